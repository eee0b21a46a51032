"""Tests of checks: the argument checks shared by the modules."""

import numpy as np
import pytest

from lab2.checks import (
    check_at_least,
    check_callable,
    check_fraction,
    check_integer,
    check_positive,
    check_real,
)


def test_checks_return_what_they_accept():
    assert check_integer(np.int64(3), "n", "an integer") == 3
    assert type(check_integer(np.int64(3), "n", "an integer")) is int
    assert check_real(np.float32(0.5), "eps", "a real number") == 0.5
    assert check_at_least(2, "size", 2) == 2
    assert check_callable(len, "step") is len
    assert check_positive(np.int64(2), "lr") == 2.0 and type(check_positive(2, "lr")) is float
    assert check_fraction(0, "rate") == 0.0 and check_fraction(1, "rate") == 1.0
    assert check_fraction(np.float32(0.5), "eps", low_open=True, high_open=True) == 0.5


@pytest.mark.parametrize(("call", "error", "message"), [
    (lambda: check_integer(True, "n", "an int"), TypeError, "n must be an int; got bool True"),
    (lambda: check_integer(2.0, "n", "an int"), TypeError, "n must be an int; got float 2.0"),
    (lambda: check_real("1", "eps", "a real"), TypeError, "eps must be a real; got str"),
    (lambda: check_real(10**400, "eps", "a real number"), ValueError, "too large for a float"),
    (lambda: check_at_least(1, "size", 2), ValueError, "size must be an integer >= 2; got 1"),
    (lambda: check_at_least(2.5, "size", 2), TypeError, "size must be an integer >= 2; got float"),
    (lambda: check_callable(3, "step", "a callable taking no arguments"), TypeError,
     "step must be a callable taking no arguments; got int"),
    (lambda: check_positive(0.0, "lr"), ValueError, "lr must be a positive finite number; got 0.0"),
    (lambda: check_positive(float("inf"), "lr"), ValueError, "lr must be a positive finite"),
    (lambda: check_positive(float("nan"), "lr"), ValueError, "lr must be a positive finite"),
    (lambda: check_positive("1", "lr"), TypeError, "lr must be a positive finite number; got str"),
    (lambda: check_fraction(1.5, "rate"), ValueError,
     r"rate must be a real number in \[0, 1\]; got 1.5"),
    (lambda: check_fraction(float("nan"), "rate"), ValueError, r"rate must be a real number in"),
    (lambda: check_fraction(0, "eps", low_open=True), ValueError,
     r"eps must be a real number in \(0, 1\]; got 0"),
    (lambda: check_fraction(1, "delta", high_open=True), ValueError,
     r"delta must be a real number in \[0, 1\); got 1"),
    (lambda: check_fraction(None, "rate"), TypeError,
     r"rate must be a real number in \[0, 1\]; got NoneType"),
])
def test_bad_input_is_named(call, error, message):
    with pytest.raises(error, match=message):
        call()
