"""The course template's helpers that the lab notebook calls: the predictor interface, Hoeffding's test-set size,
seeding and device choice. (The drawing of autograd's graph lives in ``autograd_graph.py``.)"""

from __future__ import annotations

import math
import numbers
import random
from collections.abc import Callable
from typing import Any

import numpy as np
import torch

from g2model import as_points


class Predictor:
    """The template's predictor interface: ``score(x)`` gives log-odds of class +1, ``classify`` its sign."""

    def __init__(self, name: str, hidden_size: int | None = None) -> None:
        self.name = name
        self.hidden_size = hidden_size

    def score(self, x: Any) -> np.ndarray:
        """Log-odds of class +1 for points x [N, 2], shape [N]; subclasses define it."""
        raise NotImplementedError(f"{type(self).__name__} must define score(x)")

    def classify(self, x: Any) -> np.ndarray:
        """Labels in {-1, +1}: the sign of the score, with 0 counted as +1."""
        return np.where(np.asarray(self.score(x)) >= 0, 1, -1)


class TorchPredictor(Predictor):
    """Adapts a torch scoring function (tensor [N, 2] -> tensor [N]) to numpy in, numpy out.

    Points are moved to ``device`` and ``dtype`` before scoring; no graph is recorded.
    """

    def __init__(self, score_fn: Callable[[torch.Tensor], torch.Tensor], *, device: torch.device | str,
                 dtype: torch.dtype, name: str, hidden_size: int | None = None) -> None:
        if not callable(score_fn):
            raise TypeError(f"score_fn must be callable (tensor [N, 2] -> tensor [N]); got {type(score_fn).__name__}")
        if not isinstance(dtype, torch.dtype) or not dtype.is_floating_point:
            raise TypeError(f"dtype must be a floating-point torch.dtype; got {dtype!r}")
        super().__init__(name, hidden_size)
        self.score_fn = score_fn
        self.device = torch.device(device)
        self.dtype = dtype

    def score(self, x: Any) -> np.ndarray:
        """Scores of ``score_fn`` on x, as a float64 numpy array [N]."""
        points = torch.as_tensor(as_points(x), dtype=self.dtype, device=self.device)
        with torch.no_grad():
            scores = self.score_fn(points)
        return scores.detach().to("cpu", torch.float64).numpy().reshape(len(points))


MAX_TEST_SIZE = 1e15  # beyond this, floats no longer tell n from n + 1, and no test set is that large


def hoeffding_test_size(eps: float, delta: float) -> int:
    """Smallest n with 2 exp(-2 n eps^2) <= delta: n test points put the error estimate within
    eps of the true error rate with probability at least 1 - delta (two-sided Hoeffding bound)."""
    for name, value in (("eps", eps), ("delta", delta)):
        if isinstance(value, bool) or not isinstance(value, numbers.Real):
            raise TypeError(f"{name} must be a real number in (0, 1); got {type(value).__name__} {value!r}")
        if not 0.0 < value < 1.0:
            raise ValueError(f"{name} must be in (0, 1); got {value!r}")
    exact = math.log(2.0 / delta) / (2.0 * eps * eps) if eps * eps > 0 else math.inf
    if exact > MAX_TEST_SIZE:
        raise ValueError(f"eps={eps!r} asks for about {exact:.3g} test points, more than {MAX_TEST_SIZE:.0e}: "
                         "choose a larger eps")
    n = max(1, math.ceil(exact))
    while n > 1 and 2.0 * math.exp(-2.0 * (n - 1) * eps**2) <= delta:  # guard against round-up at exact values
        n -= 1
    while 2.0 * math.exp(-2.0 * n * eps**2) > delta:
        n += 1
    return n


def set_seed(seed: int) -> None:
    """Seed Python's, numpy's and torch's (CPU and CUDA) generators so that a run repeats exactly."""
    if isinstance(seed, bool) or not isinstance(seed, numbers.Integral):
        raise TypeError(f"seed must be a non-negative int; got {type(seed).__name__} {seed!r}")
    if seed < 0:
        raise ValueError(f"seed must be a non-negative int; got {seed}")
    random.seed(seed)
    np.random.seed(seed)
    torch.manual_seed(seed)


def default_device() -> torch.device:
    """CUDA when a GPU is available, else the CPU."""
    return torch.device("cuda" if torch.cuda.is_available() else "cpu")
