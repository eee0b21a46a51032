"""Argument checks shared by the lab's modules: each returns the value it accepts and otherwise
raises a TypeError or ValueError that names the argument, what was expected and what was given."""

from __future__ import annotations

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
