"""Argument checks shared by the lab's modules: each returns the value it accepts and otherwise
raises a TypeError or ValueError that names the argument, what was expected and what was given."""

from __future__ import annotations

import math
import numbers
from collections.abc import Callable
from typing import Any


def check_integer(value: Any, name: str, expected: str) -> int:
    """``value`` as an int when it is an integer (Python or numpy, not a bool), else a TypeError
    naming ``name``."""
    if isinstance(value, bool) or not isinstance(value, numbers.Integral):
        raise TypeError(f"{name} must be {expected}; got {type(value).__name__} {value!r}")
    return int(value)


def check_real(value: Any, name: str, expected: str) -> float:
    """``value`` as a float when it is a real number (not a bool), else a TypeError naming
    ``name``."""
    if isinstance(value, bool) or not isinstance(value, numbers.Real):
        raise TypeError(f"{name} must be {expected}; got {type(value).__name__} {value!r}")
    try:
        return float(value)
    except OverflowError:
        raise ValueError(f"{name} must be {expected}; got {type(value).__name__} too large for a "
                         "float") from None


def check_at_least(value: Any, name: str, minimum: int) -> int:
    """``value`` as an int of at least ``minimum``, else raise naming it."""
    number = check_integer(value, name, f"an integer >= {minimum}")
    if number < minimum:
        raise ValueError(f"{name} must be an integer >= {minimum}; got {number}")
    return number


def check_callable(value: Any, name: str, expected: str = "a callable") -> Callable:
    """``value`` when it is callable, else a TypeError naming it."""
    if not callable(value):
        raise TypeError(f"{name} must be {expected}; got {type(value).__name__}")
    return value


def check_positive(value: Any, name: str) -> float:
    """``value`` as a float when it is a positive finite number, else raise naming it."""
    number = check_real(value, name, "a positive finite number")
    if not 0.0 < number < math.inf:
        raise ValueError(f"{name} must be a positive finite number; got {value!r}")
    return number


def check_fraction(value: Any, name: str, low_open: bool = False, high_open: bool = False) -> float:
    """``value`` as a float in [0, 1], (0, 1) or a half-open mix, else raise naming it."""
    expected = f"a real number in {'(' if low_open else '['}0, 1{')' if high_open else ']'}"
    number = check_real(value, name, expected)
    above_low = number > 0 if low_open else number >= 0
    below_high = number < 1 if high_open else number <= 1
    if not (above_low and below_high):
        raise ValueError(f"{name} must be {expected}; got {value!r}")
    return number
