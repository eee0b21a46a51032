"""The course template's helpers: the predictor interface, Hoeffding's test-set size, seeding and
device choice. Its argument checks are g2model's, shared by the two course files."""

from __future__ import annotations

import math
import numbers
import random
import re
from collections.abc import Callable
from typing import Any

import numpy as np
import torch

from g2model import check_array, check_points, check_value  # the course files' shared checks

__all__ = ["Predictor", "TorchPredictor", "default_device", "hoeffding_test_size", "set_seed"]

SCORE_CHUNK = 4096  # rows per call of a TorchPredictor's score_fn whose hidden size is unknown
# else about this many activations a call (512 KB in float32): in cache, several times faster
SCORE_CHUNK_ACTIVATIONS = 2**17
MIN_CHUNK_ROWS = 256
SCORE_DTYPES = (torch.float16, torch.bfloat16, torch.float32, torch.float64)  # float8: storage only
DTYPE_MISMATCH = re.compile(r"dtype|scalar type")  # how torch's errors on mixed dtypes read
MAX_TEST_SIZE = 1e15  # beyond this floats no longer tell n from n + 1; no test set is that large
MAX_SEED = 2**32 - 1  # numpy's legacy global generator takes seeds 0 .. 2**32 - 1


class Predictor:
    """The template's predictor interface: ``score(x)`` gives log-odds of class +1, ``classify``
    its sign; ``name`` and ``hidden_size`` go into plot titles."""

    def __init__(self, name: str, hidden_size: int | None = None) -> None:
        self.name = check_value(name, "name", "a non-empty str (shown in plot titles)", str,
                                 lambda value: value.strip() != "")
        self.hidden_size = None if hidden_size is None else check_value(
            hidden_size, "hidden_size", "a positive int or None", numbers.Integral,
            lambda value: value > 0)

    def score(self, x: Any) -> np.ndarray:
        """Log-odds of class +1 for points x [N, 2], shape [N]; subclasses define it."""
        raise NotImplementedError(f"{type(self).__name__} must define score(x)")

    def classify(self, x: Any) -> np.ndarray:
        """Labels in {-1, +1}: the sign of the score, 0 counted as +1 (-inf as -1, +inf as +1);
        the scores are checked first: a NaN would otherwise count silently as -1."""
        scores = check_array(self.score(x), "predictor.score(x)", "an array of log-odds",
                              rows=len(x))
        return np.where(scores >= 0, 1, -1)


class TorchPredictor(Predictor):
    """Adapts a torch scoring function (tensor [N, 2] -> scores [N] or [N, 1]) to numpy in, numpy
    out: points go to ``device`` in ``dtype``, and no graph is recorded."""

    def __init__(self, score_fn: Callable[[torch.Tensor], torch.Tensor], *,
                 device: torch.device | str, dtype: torch.dtype, name: str,
                 hidden_size: int | None = None) -> None:
        super().__init__(name, hidden_size)
        self.score_fn = check_value(score_fn, "score_fn", "callable (tensor [N, 2] -> [N])",
                                     Callable)
        self.dtype = check_value(dtype, "dtype", "a torch.dtype among "
                                  f"{', '.join(map(str, SCORE_DTYPES))}", torch.dtype,
                                  lambda value: value in SCORE_DTYPES)
        self.device = torch.device(check_value(
            device, "device", "a device this machine has, as a str such as 'cpu' or 'cuda:0' or a "
            "torch.device (default_device() picks one)", (str, torch.device), _is_available))

    def score(self, x: Any) -> np.ndarray:
        """``score_fn``'s scores of x [N, 2] as a float64 array [N] (checked: no NaN); score_fn gets
        a chunk of rows at a time, so that a wide network's activations stay small (in cache)."""
        points = torch.as_tensor(check_points(x), dtype=self.dtype, device=self.device)
        rows = (SCORE_CHUNK if self.hidden_size is None
                else max(MIN_CHUNK_ROWS, SCORE_CHUNK_ACTIVATIONS // self.hidden_size))
        with torch.no_grad():  # torch.split gives an empty x as one empty chunk
            return np.concatenate([self._chunk_scores(chunk)
                                   for chunk in torch.split(points, rows)])

    def _chunk_scores(self, chunk: torch.Tensor) -> np.ndarray:
        """``score_fn(chunk)``, checked; torch's error on mixed dtypes comes back naming dtype."""
        try:
            values = self.score_fn(chunk)
        except RuntimeError as error:
            if DTYPE_MISMATCH.search(str(error)):
                raise TypeError(f"dtype {self.dtype} does not match score_fn's (torch: {error}): "
                                "give TorchPredictor the dtype of score_fn's parameters, e.g. "
                                "dtype=next(net.parameters()).dtype") from error
            raise
        return check_array(values, "score_fn(x)", "an array of log-odds", rows=len(chunk))


def hoeffding_test_size(eps: float, delta: float) -> int:
    """Smallest n with 2 exp(-2 n eps^2) <= delta: n test points put the error estimate within
    eps of the true error rate with probability at least 1 - delta (two-sided Hoeffding bound)."""
    eps, delta = (float(check_value(value, name, "a real number in (0, 1)", numbers.Real,
                                     lambda value: 0 < value < 1))
                  for name, value in (("eps", eps), ("delta", delta)))
    exact = (math.log(2.0) - math.log(delta)) / (2.0 * eps * eps) if eps * eps > 0 else math.inf
    if exact > MAX_TEST_SIZE:
        raise ValueError(f"eps={eps!r} asks for about {exact:.3g} test points, more than "
                         f"{MAX_TEST_SIZE:.0e}: choose a larger eps")
    n = max(1, math.ceil(exact))
    # the quotient may round up where the bound holds exactly: step to the smallest n
    while n > 1 and 2.0 * math.exp(-2.0 * (n - 1) * eps**2) <= delta:
        n -= 1
    while 2.0 * math.exp(-2.0 * n * eps**2) > delta:
        n += 1
    return n


def set_seed(seed: int) -> None:
    """Seed Python's, numpy's and torch's (CPU and CUDA) generators so that a run repeats exactly;
    ``seed`` is checked before any generator is touched."""
    seed = check_value(seed, "seed", "an int in [0, 2**32 - 1]", numbers.Integral,
                        lambda value: 0 <= value <= MAX_SEED)
    random.seed(seed)
    np.random.seed(seed)
    torch.manual_seed(seed)


def default_device() -> torch.device:
    """CUDA when a GPU is available, else the CPU."""
    return torch.device("cuda" if torch.cuda.is_available() else "cpu")


def _is_available(device: str | torch.device) -> bool:
    """Whether ``device`` names a torch device that this machine has."""
    try:
        device = torch.device(device)
    except RuntimeError:
        return False
    if device.type == "cuda":
        return torch.cuda.is_available() and (device.index is None
                                              or device.index < torch.cuda.device_count())
    return device.type == "cpu" or (device.type == "mps" and torch.backends.mps.is_available())


