"""Curvature of a loss from its Hessian-vector products alone: the largest eigenvalue of the Hessian
(the sharpness) by Lanczos's method, and the curvature along a direction.

scipy.sparse.linalg is imported inside top_eigenpair, so importing this module stays cheap.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import numpy as np

from lab2.checks import check_at_least, check_callable, check_real

MIN_SIZE = 3  # ARPACK with k = 1 and ncv = 3 needs at least 3 dimensions


def check_direction(vector: Any, name: str, size: int | None = None) -> np.ndarray:
    """``vector`` as a finite, non-zero 1-d float64 array (of length ``size`` when given)."""
    if isinstance(vector, str | bytes):
        raise TypeError(f"{name} must be a 1-d array of numbers; got {type(vector).__name__}")
    try:
        array = np.asarray(vector, dtype=np.float64)
    except (TypeError, ValueError):
        raise TypeError(f"{name} must be a 1-d array of numbers; "
                        f"got {type(vector).__name__}") from None
    if array.ndim != 1 or (size is not None and array.size != size):
        expected = f"length {size}" if size is not None else "any length"
        raise ValueError(f"{name} must be a 1-d array of {expected}; got shape {array.shape}")
    if not np.all(np.isfinite(array)) or not np.any(array):
        raise ValueError(f"{name} must be finite and non-zero; got {array}")
    return array


def check_hvp(hvp: Any) -> Callable[[np.ndarray], np.ndarray]:
    """``hvp`` when it is callable, else a TypeError."""
    return check_callable(hvp, "hvp", "a callable vector -> Hessian @ vector")


def top_eigenpair(hvp: Callable[[np.ndarray], np.ndarray], size: int,
                  start: np.ndarray | None = None, seed: int = 0,
                  tol: float = 1e-5) -> tuple[float, np.ndarray]:
    """Largest (algebraic) eigenvalue of the symmetric operator v -> hvp(v) on R^size and its unit
    eigenvector, by Lanczos (ARPACK), from ``start`` or else from a standard normal of ``seed``."""
    from scipy.sparse.linalg import LinearOperator, eigsh

    size = check_at_least(size, "size", MIN_SIZE)
    seed = check_at_least(seed, "seed", 0)
    if check_real(tol, "tol", "a real number >= 0") < 0:
        raise ValueError(f"tol must be a real number >= 0 (0: machine precision); got {tol}")
    if start is None:
        start = np.random.default_rng(seed).standard_normal(size)
    operator = LinearOperator((size, size), matvec=check_hvp(hvp), dtype=np.float64)
    (value,), vectors = eigsh(operator, k=1, which="LA", v0=check_direction(start, "start", size),
                              ncv=3, tol=tol)  # few products from a warm start
    return float(value), vectors[:, 0]


def curvature_along(hvp: Callable[[np.ndarray], np.ndarray], direction: np.ndarray) -> float:
    """The curvature d·Hd / d·d of the operator hvp along ``direction`` (a Rayleigh quotient)."""
    direction = check_direction(direction, "direction")
    return float(direction @ check_hvp(hvp)(direction) / (direction @ direction))


def along_training(hvp_at: Callable[[], tuple[Callable[[np.ndarray], np.ndarray], np.ndarray]],
                   step: Callable[[], Any], steps: int, seed: int = 0) -> dict[str, np.ndarray]:
    """Run ``step`` ``steps`` times; before each step and after the last, measure the sharpness
    (top_eigenpair, warm-started from the previous eigenvector) and the curvature along the
    gradient, from ``hvp_at()`` = (v -> Hv, gradient) at the current parameters. Returns the
    arrays "loss" (what each step returned), "sharpness" and "along_gradient" (one value more)."""
    steps = check_at_least(steps, "steps", 0)
    check_callable(hvp_at, "hvp_at", "a callable returning (hvp, gradient)")
    check_callable(step, "step", "a callable that makes one training step")
    losses, sharpness, along_gradient, eigenvector = [], [], [], None
    for index in range(steps + 1):
        hvp, gradient = hvp_at()
        top, eigenvector = top_eigenpair(hvp, np.size(gradient), eigenvector, seed)
        sharpness.append(top)
        along_gradient.append(curvature_along(hvp, gradient))
        if index < steps:
            losses.append(float(step()))
    return {"loss": np.array(losses), "sharpness": np.array(sharpness),
            "along_gradient": np.array(along_gradient)}
