"""A loss's curvature from Hessian-vector products alone: the sharpness (top Hessian eigenvalue, by
Lanczos; scipy is imported only then) and the curvature along a direction, along training."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import numpy as np

__all__ = ["along_training", "curvature_along", "top_eigenpair"]


def top_eigenpair(hvp: Callable[[np.ndarray], np.ndarray], size: int,
                  start: np.ndarray | None = None, seed: int = 0,
                  tol: float = 1e-5) -> tuple[float, np.ndarray]:
    """Largest (algebraic) eigenvalue of the symmetric operator v -> hvp(v) on R^size (size >= 3)
    and its unit eigenvector, by Lanczos (ARPACK) from ``start``, else a normal draw of ``seed``."""
    from scipy.sparse.linalg import LinearOperator, eigsh

    if start is None:
        start = np.random.default_rng(seed).standard_normal(size)
    operator = LinearOperator((size, size), matvec=hvp, dtype=np.float64)
    (value,), vectors = eigsh(operator, k=1, which="LA", v0=np.asarray(start, dtype=np.float64),
                              ncv=3, tol=tol)  # few products from a warm start
    return float(value), vectors[:, 0]


def curvature_along(hvp: Callable[[np.ndarray], np.ndarray], direction: np.ndarray) -> float:
    """The curvature d·Hd / d·d of the operator hvp along ``direction`` (a Rayleigh quotient)."""
    direction = np.asarray(direction, dtype=np.float64)
    return float(direction @ hvp(direction) / (direction @ direction))


def along_training(hvp_at: Callable[[], tuple[Callable[[np.ndarray], np.ndarray], np.ndarray]],
                   step: Callable[[], Any], steps: int, seed: int = 0) -> dict[str, np.ndarray]:
    """Run ``step`` ``steps`` times: its "loss"es, and before each step and after the last the
    "sharpness" and the curvature "along_gradient", from ``hvp_at()`` = (hvp, gradient)."""
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
