"""The course template's helpers that the lab notebook calls: the predictor interface, Hoeffding's
test-set size, seeding and device choice. (The drawing of autograd's graph lives in
``autograd_graph.py``.)"""

from __future__ import annotations

import math
import random
import re
from collections.abc import Callable
from typing import Any

import numpy as np
import torch

from g2model import as_column_or_vector, as_numeric_array, as_points, as_scores
from lab2.checks import check_fraction, check_integer


class Predictor:
    """The template's predictor interface: ``score(x)`` gives log-odds of class +1, ``classify`` its
    sign."""

    def __init__(self, name: str, hidden_size: int | None = None) -> None:
        self.name = checked_name(name)
        self.hidden_size = checked_hidden_size(hidden_size)

    def score(self, x: Any) -> np.ndarray:
        """Log-odds of class +1 for points x [N, 2], shape [N]; subclasses define it."""
        raise NotImplementedError(f"{type(self).__name__} must define score(x)")

    def classify(self, x: Any) -> np.ndarray:
        """Labels in {-1, +1}: the sign of the score, with 0 counted as +1 (and -inf as -1, +inf as
        +1).

        The scores are checked first: a NaN would otherwise count silently as -1.
        """
        n = len(as_points(x))
        return np.where(as_scores(self.score(x), n, "predictor.score(x)") >= 0, 1, -1)


def checked_name(name: Any) -> str:
    """``name`` when it is a non-empty str (plot titles show it), else an error naming it."""
    if not isinstance(name, str):
        raise TypeError(f"name must be a non-empty str (shown in plot titles); got "
                        f"{type(name).__name__} {name!r}")
    if not name.strip():
        raise ValueError(f"name must be a non-empty str (shown in plot titles); got {name!r}")
    return name


def checked_hidden_size(hidden_size: Any) -> int | None:
    """``hidden_size`` as an int when it is a positive integer, None when None, else an error naming
    it."""
    if hidden_size is None:
        return None
    hidden_size = check_integer(hidden_size, "hidden_size", "a positive int or None")
    if hidden_size <= 0:
        raise ValueError(f"hidden_size must be a positive int or None; got {hidden_size}")
    return hidden_size


SCORE_CHUNK = 4096  # rows per call of a TorchPredictor's score_fn whose hidden size is unknown
# With a known hidden size, about this many activations per call (512 KB in float32): small enough
# to stay in cache, which makes scoring a wide network several times faster than 4096 rows a call.
SCORE_CHUNK_ACTIVATIONS = 2**17
MIN_CHUNK_ROWS = 256
SCORE_DTYPES = (torch.float16, torch.bfloat16, torch.float32, torch.float64)  # float8: storage only
DTYPE_MISMATCH = re.compile(r"dtype|scalar type")  # how torch's errors on mixed dtypes read


class TorchPredictor(Predictor):
    """Adapts a torch scoring function (tensor [N, 2] -> scores [N] or [N, 1]) to numpy in, numpy
    out.

    Points are moved to ``device`` and ``dtype`` before scoring; no graph is recorded. ``score_fn``
    may return a tensor, a numpy array or a list.
    """

    def __init__(self, score_fn: Callable[[torch.Tensor], torch.Tensor], *,
                 device: torch.device | str, dtype: torch.dtype, name: str,
                 hidden_size: int | None = None) -> None:
        if not callable(score_fn):
            raise TypeError(f"score_fn must be callable (tensor [N, 2] -> tensor [N]); got "
                            f"{type(score_fn).__name__}")
        if not isinstance(dtype, torch.dtype) or dtype not in SCORE_DTYPES:
            raise TypeError(f"dtype must be a torch.dtype among "
                            f"{', '.join(map(str, SCORE_DTYPES))}; got {dtype!r}")
        super().__init__(name, hidden_size)
        self.score_fn = score_fn
        self.device = available_device(device)
        self.dtype = dtype

    def score(self, x: Any) -> np.ndarray:
        """Scores of ``score_fn`` on x, as a float64 numpy array [N] (checked: no NaN, [N] or
        [N, 1]).

        Points go to ``score_fn`` in chunks of ``chunk_rows`` rows, so that a wide network's
        activations stay small (in cache) however many points are scored; error messages count x's
        N rows, not a chunk's.
        """
        points = torch.as_tensor(as_points(x), dtype=self.dtype, device=self.device)
        with torch.no_grad():  # torch.split gives an empty x as one empty chunk
            scores = [self.chunk_scores(chunk, len(points))
                      for chunk in torch.split(points, self.chunk_rows)]
        return as_scores(np.concatenate(scores), len(points), "score_fn(x)")

    def chunk_scores(self, chunk: torch.Tensor, n: int) -> np.ndarray:
        """``score_fn`` on one chunk of x's n rows, as an array [len(chunk)]; a wrong shape is
        reported against n."""
        values = as_numeric_array(self.call_score_fn(chunk), "score_fn(x)",
                                  "an array of log-odds (real numbers)")
        if len(chunk) == n:
            return as_column_or_vector(values, n, "score_fn(x)")
        try:
            return as_column_or_vector(values, len(chunk), "score_fn(x)")
        except ValueError:
            raise ValueError(f"score_fn(x) must have shape [{n}] (or [{n}, 1]) to match x; got "
                             f"shape {list(values.shape)} for a chunk of {len(chunk)} rows (x goes "
                             f"to score_fn {self.chunk_rows} rows at a time)") from None

    @property
    def chunk_rows(self) -> int:
        """Rows per call of score_fn: SCORE_CHUNK, or with a known hidden size as many as hold
        about SCORE_CHUNK_ACTIVATIONS activations (at least MIN_CHUNK_ROWS)."""
        if self.hidden_size is None:
            return SCORE_CHUNK
        return max(MIN_CHUNK_ROWS, SCORE_CHUNK_ACTIVATIONS // self.hidden_size)

    def call_score_fn(self, chunk: torch.Tensor) -> Any:
        """``score_fn(chunk)``; torch's error on mixed dtypes comes back as a TypeError naming
        ``dtype``."""
        try:
            return self.score_fn(chunk)
        except RuntimeError as error:
            if DTYPE_MISMATCH.search(str(error)):
                raise TypeError(f"dtype {self.dtype} does not match score_fn's (torch: {error}): "
                                "give TorchPredictor the dtype of score_fn's parameters, e.g. "
                                "dtype=next(net.parameters()).dtype") from error
            raise


DEVICE_AVAILABLE = {  # each asks torch when called, not at import
    "cpu": lambda: True,
    "cuda": lambda: torch.cuda.is_available(),
    "mps": lambda: torch.backends.mps.is_available(),
}


def available_device(device: Any) -> torch.device:
    """``device`` (a torch.device or a string such as "cpu", "cuda", "cuda:1") as a torch.device
    that this machine has, so that a missing GPU is reported here rather than deep inside torch at
    the first score."""
    if not isinstance(device, (str, torch.device)):
        raise TypeError(f"device must be a torch.device or a str such as 'cpu' or 'cuda'; got "
                        f"{type(device).__name__} {device!r}")
    try:
        device = torch.device(device)
    except RuntimeError:
        raise ValueError(f"device must name a torch device such as 'cpu', 'cuda' or 'cuda:0'; got "
                         f"{device!r}") from None
    if device.type not in DEVICE_AVAILABLE:
        raise ValueError(f"device must be of type {', '.join(DEVICE_AVAILABLE)}; got {device}")
    if not DEVICE_AVAILABLE[device.type]():
        raise ValueError(f"device {device} is not available on this machine; use default_device() "
                         "to pick one")
    if (device.type == "cuda" and device.index is not None
            and device.index >= torch.cuda.device_count()):
        raise ValueError(f"device {device} does not exist: this machine has "
                         f"{torch.cuda.device_count()} CUDA devices")
    return device


MAX_TEST_SIZE = 1e15  # beyond this, floats no longer tell n from n + 1, and no test set is that
                      # large


def hoeffding_test_size(eps: float, delta: float) -> int:
    """Smallest n with 2 exp(-2 n eps^2) <= delta: n test points put the error estimate within
    eps of the true error rate with probability at least 1 - delta (two-sided Hoeffding bound)."""
    eps, delta = (check_fraction(value, name, low_open=True, high_open=True)
                  for name, value in (("eps", eps), ("delta", delta)))
    exact = (math.log(2.0) - math.log(delta)) / (2.0 * eps * eps) if eps * eps > 0 else math.inf
    if exact > MAX_TEST_SIZE:
        raise ValueError(f"eps={eps!r} asks for about {exact:.3g} test points, more than "
                         f"{MAX_TEST_SIZE:.0e}: choose a larger eps")
    n = max(1, math.ceil(exact))
    # guard against round-up at exact values
    while n > 1 and 2.0 * math.exp(-2.0 * (n - 1) * eps**2) <= delta:
        n -= 1
    while 2.0 * math.exp(-2.0 * n * eps**2) > delta:
        n += 1
    return n


MAX_SEED = 2**32 - 1  # numpy's legacy global generator takes seeds 0 .. 2**32 - 1; Python's and
                      # torch's take more


def set_seed(seed: int) -> None:
    """Seed Python's, numpy's and torch's (CPU and CUDA) generators so that a run repeats exactly.

    ``seed`` (an int or a numpy integer) is checked before any generator is touched.
    """
    seed = check_integer(seed, "seed", "an int in [0, 2**32 - 1]")
    if not 0 <= seed <= MAX_SEED:
        raise ValueError(f"seed must be an int in [0, 2**32 - 1] (numpy's limit); got {seed}")
    random.seed(seed)
    np.random.seed(seed)
    torch.manual_seed(seed)


def default_device() -> torch.device:
    """CUDA when a GPU is available, else the CPU."""
    return torch.device("cuda" if torch.cuda.is_available() else "cpu")
