"""Confidence intervals for an error rate measured on a test set: the intervals, the test-set size
each one needs, and how often each one holds the true error (exactly and in a simulation).

scipy.stats is imported inside the functions that need it, so importing this module stays cheap.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np

from lab2.checks import check_at_least, check_fraction

HOEFFDING = "Hoeffding"
CHEBYSHEV_WORST = "Chebyshev, variance 1/4"
CHEBYSHEV_PLUG_IN = "Chebyshev, variance p\u0302(1\u2212p\u0302)"
BERNSTEIN = "empirical Bernstein"
CLOPPER_PEARSON = "Clopper\u2013Pearson (exact)"
WILSON = "Wilson"
WALD = "normal (Wald)"
BOOTSTRAP = "bootstrap percentile (B \u2192 \u221e)"
METHODS = (HOEFFDING, CHEBYSHEV_WORST, CHEBYSHEV_PLUG_IN, BERNSTEIN, CLOPPER_PEARSON, WILSON, WALD,
           BOOTSTRAP)
# Methods whose "within error_rate ± eps" condition holds for every n from the first n where it
# holds on (their half-widths shrink continuously with n; tested): required_test_size bisects them.
# The bootstrap's binomial quantiles are discrete, so its condition can fail again after holding.
MONOTONE_METHODS = tuple(method for method in METHODS if method != BOOTSTRAP)
BISECTION_LIMIT = 10**7  # required_test_size searches n in 2 .. BISECTION_LIMIT
ROUND_OFF = 1e-12  # relative slack on eps, so that no round-off misses an exact n


def check_method(method: Any, allowed: tuple[str, ...] = METHODS) -> str:
    """``method`` when it is one of ``allowed``, else raise naming the choices."""
    if not isinstance(method, str):
        raise TypeError(f"method must be a str, one of {allowed}; got {type(method).__name__}")
    if method not in allowed:
        raise ValueError(f"method must be one of {allowed}; got {method!r}")
    return method


def check_counts(k: Any, n: int) -> np.ndarray:
    """``k`` as a float64 array of error counts in [0, n], else raise naming it."""
    try:
        counts = np.asarray(k, dtype=np.float64)
    except (TypeError, ValueError) as error:
        raise TypeError(f"k must be a number or an array of numbers; got {type(k).__name__}"
                        ) from error
    if counts.size and not (np.all(counts >= 0) and np.all(counts <= n)):
        raise ValueError(f"k must lie in [0, n] = [0, {n}]; got values from {counts.min()} to "
                         f"{counts.max()}")
    return counts


def around(p: np.ndarray, half_width: np.ndarray | float) -> np.ndarray:
    """The intervals p ± half_width, as [..., 2]."""
    return np.stack(np.broadcast_arrays(p - half_width, p + half_width), axis=-1)


def normal_quantile(delta: float) -> float:
    """z = the (1 - delta/2) quantile of the standard normal."""
    from scipy import stats

    return float(stats.norm.ppf(1 - delta / 2))


def hoeffding(k: np.ndarray, n: np.ndarray, delta: float) -> np.ndarray:
    """p̂ ± sqrt(ln(2/δ) / (2n)): any independent variables in [0, 1]."""
    return around(k / n, np.sqrt(math.log(2 / delta) / (2 * n)))


def chebyshev_worst(k: np.ndarray, n: np.ndarray, delta: float) -> np.ndarray:
    """p̂ ± sqrt(σ² / (nδ)) with the worst-case variance σ² = 1/4."""
    return around(k / n, np.sqrt(0.25 / (n * delta)))


def chebyshev_plug_in(k: np.ndarray, n: np.ndarray, delta: float) -> np.ndarray:
    """p̂ ± sqrt(p̂(1 - p̂) / (nδ)): Chebyshev with the estimated variance (no guarantee)."""
    p = k / n
    return around(p, np.sqrt(p * (1 - p) / (n * delta)))


def empirical_bernstein(k: np.ndarray, n: np.ndarray, delta: float) -> np.ndarray:
    """Maurer & Pontil (2009): p̂ ± (sqrt(2 V ln(4/δ) / n) + 7 ln(4/δ) / (3(n - 1)))."""
    p = k / n
    log_term = math.log(4 / delta)
    return around(p, np.sqrt(2 * p * (1 - p) * log_term / (n - 1))  # V / n = p̂(1-p̂) / (n-1)
                  + 7 * log_term / (3 * (n - 1)))


def clopper_pearson(k: np.ndarray, n: np.ndarray, delta: float) -> np.ndarray:
    """The exact binomial interval (beta quantiles), 0 at k = 0 and 1 at k = n."""
    from scipy import stats

    with np.errstate(invalid="ignore"):  # beta quantiles with a = 0 or b = 0 are replaced
        low = np.where(k > 0, stats.beta.ppf(delta / 2, k, n - k + 1), 0.0)
        high = np.where(k < n, stats.beta.ppf(1 - delta / 2, k + 1, n - k), 1.0)
    return np.stack([low, high], axis=-1)


def wilson(k: np.ndarray, n: np.ndarray, delta: float) -> np.ndarray:
    """The inversion of the normal approximation of the binomial test."""
    z = normal_quantile(delta)
    centre = (k + z**2 / 2) / (n + z**2)
    half = z * np.sqrt(k * (n - k) / n + z**2 / 4) / (n + z**2)
    return np.stack([centre - half, centre + half], axis=-1)


def wald(k: np.ndarray, n: np.ndarray, delta: float) -> np.ndarray:
    """p̂ ± z sqrt(p̂(1 - p̂) / n)."""
    p = k / n
    return around(p, normal_quantile(delta) * np.sqrt(p * (1 - p) / n))


def bootstrap_percentile(k: np.ndarray, n: np.ndarray, delta: float) -> np.ndarray:
    """The percentile bootstrap with infinitely many resamples: Binomial(n, p̂) quantiles / n."""
    from scipy import stats

    n = np.asarray(n)[..., None]
    return stats.binom.ppf([delta / 2, 1 - delta / 2], n, k[..., None] / n) / n


INTERVALS: dict[str, Callable[[np.ndarray, np.ndarray, float], np.ndarray]] = {
    HOEFFDING: hoeffding, CHEBYSHEV_WORST: chebyshev_worst, CHEBYSHEV_PLUG_IN: chebyshev_plug_in,
    BERNSTEIN: empirical_bernstein, CLOPPER_PEARSON: clopper_pearson, WILSON: wilson, WALD: wald,
    BOOTSTRAP: bootstrap_percentile,
}


def interval(method: str, k: Any, n: int, delta: float = 0.01) -> np.ndarray:
    """One method's two-sided (1 - delta) interval from k errors in n test points, clipped to
    [0, 1]: [..., 2] for k of any shape (k may be fractional)."""
    method = check_method(method)
    n = check_at_least(n, "n", 2)
    delta = check_fraction(delta, "delta", low_open=True, high_open=True)
    return np.clip(INTERVALS[method](check_counts(k, n), n, delta), 0.0, 1.0)


def confidence_intervals(k: Any, n: int, delta: float = 0.01) -> dict[str, np.ndarray]:
    """Every method's (1 - delta) interval from k errors in n test points: method -> [..., 2]."""
    return {method: interval(method, k, n, delta) for method in METHODS}


def deviations(method: str, error_rate: float, sizes: np.ndarray, delta: float) -> np.ndarray:
    """max(error_rate - low, high - error_rate) of method's interval around p̂ = error_rate
    (k = n·error_rate errors), for each n in sizes."""
    ends = np.clip(INTERVALS[method](sizes * error_rate, sizes, delta), 0.0, 1.0)
    low, high = ends[..., 0], ends[..., 1]
    return np.maximum(error_rate - low, high - error_rate)


def within_eps(deviation: np.ndarray, eps: float) -> np.ndarray:
    """Whether each deviation is at most eps (with ROUND_OFF slack, so no exact n is missed)."""
    return deviation <= eps * (1 + ROUND_OFF)


def hoeffding_size(eps: float, delta: float) -> int:
    """ceil(ln(2/δ) / (2ε²)): from this n on, Hoeffding's interval lies within p̂ ± eps.
    (Not template_utils.hoeffding_test_size: that module imports torch; this one stays cheap.)"""
    return math.ceil(math.log(2 / delta) / (2 * eps**2))


def check_size_arguments(error_rate: Any, eps: Any, delta: Any) -> tuple[float, float, float]:
    """The arguments of the test-set size searches, checked."""
    return (check_fraction(error_rate, "error_rate", low_open=False, high_open=False),
            check_fraction(eps, "eps", low_open=True, high_open=True),
            check_fraction(delta, "delta", low_open=True, high_open=True))


def required_test_size(method: str, error_rate: float, eps: float = 0.01,
                       delta: float = 0.01) -> int:
    """Smallest n at which a monotone method's interval around p̂ = error_rate lies within
    error_rate ± eps, by bisection over 2 .. BISECTION_LIMIT (bootstrap: bootstrap_test_sizes)."""
    method = check_method(method, MONOTONE_METHODS)
    error_rate, eps, delta = check_size_arguments(error_rate, eps, delta)

    def holds(n: int) -> bool:
        return bool(within_eps(deviations(method, error_rate, np.array(n), delta), eps))

    if not holds(BISECTION_LIMIT):
        raise ValueError(f"eps = {eps!r} needs more than {BISECTION_LIMIT} test points ({method})")
    too_small, enough = 1, BISECTION_LIMIT  # 1 is never evaluated: n >= 2
    while enough - too_small > 1:
        middle = (too_small + enough) // 2
        if holds(middle):
            enough = middle
        else:
            too_small = middle
    return enough


@dataclass(frozen=True)
class RequiredSizes:
    """Where a non-monotone condition holds: first at n = ``smallest``, and for every n from
    ``holds_from`` on."""

    smallest: int
    holds_from: int


def bootstrap_test_sizes(error_rate: float, eps: float = 0.01,
                         delta: float = 0.01) -> RequiredSizes:
    """Smallest n at which the bootstrap interval around p̂ = error_rate lies within
    error_rate ± eps, and the n from which it does for every larger n (every n up to Hoeffding's
    size tried)."""
    error_rate, eps, delta = check_size_arguments(error_rate, eps, delta)
    # Beyond Hoeffding's size the condition always holds: by Hoeffding's inequality each binomial
    # quantile lies within sqrt(ln(2/δ) / (2n)) of n·error_rate / n, which is then at most eps.
    sizes = np.arange(2, hoeffding_size(eps, delta) + 1)
    holds = within_eps(deviations(BOOTSTRAP, error_rate, sizes, delta), eps)
    failures = sizes[~holds]
    return RequiredSizes(smallest=int(sizes[holds][0]),
                         holds_from=int(failures[-1]) + 1 if failures.size else 2)


def contains(intervals: dict[str, np.ndarray], risk: float) -> dict[str, np.ndarray]:
    """For each method, whether each of its intervals [..., 2] contains ``risk``."""
    return {method: (ends[..., 0] <= risk) & (risk <= ends[..., 1])
            for method, ends in intervals.items()}


def count_distribution(n: int, class_rates: tuple[float, float]) -> np.ndarray:
    """P(count = 0 .. n) for Binomial(n/2, R-) + Binomial(n/2, R+): errors in a test set with n/2
    points of each class, misclassified with probabilities class_rates = (R-, R+)."""
    from scipy import stats

    n = check_at_least(n, "n", 2)
    if n % 2:
        raise ValueError(f"n must be even (n/2 points per class); got {n}")
    if isinstance(class_rates, str) or not isinstance(class_rates, Sequence | np.ndarray):
        raise TypeError(f"class_rates must be a pair (R-, R+) of error rates; got "
                        f"{type(class_rates).__name__} {class_rates!r}")
    if len(class_rates) != 2:
        raise ValueError(f"class_rates must be a pair (R-, R+); got {len(class_rates)} values")
    rates = [check_fraction(rate, "class_rates") for rate in class_rates]
    half = n // 2
    return np.convolve(*(stats.binom.pmf(np.arange(half + 1), half, rate) for rate in rates))


def exact_coverage(risk: float, count_pmf: Any, delta: float = 0.01) -> dict[str, float]:
    """P(interval contains risk) for each method when the count k = 0 .. n has the pmf count_pmf."""
    risk = check_fraction(risk, "risk", low_open=False, high_open=False)
    pmf = np.asarray(count_pmf, dtype=np.float64)
    if pmf.ndim != 1 or pmf.size < 3 or not math.isclose(pmf.sum(), 1.0, abs_tol=1e-9):
        raise ValueError(f"count_pmf must be a pmf over 0 .. n (n >= 2) summing to 1; got shape "
                         f"{pmf.shape}, sum {pmf.sum():.6g}")
    covers = contains(confidence_intervals(np.arange(pmf.size), pmf.size - 1, delta), risk)
    return {method: float(pmf @ covered) for method, covered in covers.items()}


def check_error_counts(error_counts: Any, n: int) -> np.ndarray:
    """``error_counts`` as a non-empty 1-d integer array in [0, n], else raise naming it."""
    counts = np.asarray(error_counts)
    if counts.ndim != 1 or not counts.size or not np.issubdtype(counts.dtype, np.integer):
        raise TypeError(f"error_counts must be a non-empty 1-d array of integers; got shape "
                        f"{counts.shape}, dtype {counts.dtype}")
    if counts.min() < 0 or counts.max() > n:
        raise ValueError(f"error_counts must lie in [0, n] = [0, {n}]; got {counts.min()} to "
                         f"{counts.max()}")
    return counts


def simulated_coverage(risk: float, error_counts: Any, n: int,
                       delta: float = 0.01) -> dict[str, float]:
    """For each method, the fraction of test sets (error_counts: errors in each of n points) whose
    interval contains risk."""
    risk = check_fraction(risk, "risk", low_open=False, high_open=False)
    counts = check_error_counts(error_counts, check_at_least(n, "n", 2))
    covers = contains(confidence_intervals(np.arange(n + 1), n, delta), risk)
    return {method: float(covered[counts].mean()) for method, covered in covers.items()}


def mean_widths(error_counts: Any, n: int, delta: float = 0.01) -> dict[str, float]:
    """For each method, the mean width of its intervals over the test sets' error counts."""
    counts = check_error_counts(error_counts, check_at_least(n, "n", 2))
    return {method: float((ends[:, 1] - ends[:, 0])[counts].mean())
            for method, ends in confidence_intervals(np.arange(n + 1), n, delta).items()}


def check_table_rows(value: Any, name: str) -> Mapping:
    """``value`` when it is a non-empty mapping (a table's lines or columns), else raise naming
    it."""
    if not isinstance(value, Mapping):
        raise TypeError(f"{name} must be a non-empty mapping; got {type(value).__name__}")
    if not value:
        raise ValueError(f"{name} must be a non-empty mapping; got an empty one")
    return value


def confidence_label(delta: float) -> str:
    """The header of a table of (1 - delta) intervals: "99 % interval" for delta = 0.01."""
    level = 100 * (1 - check_fraction(delta, "delta", low_open=True, high_open=True))
    return f"{round(level, 10):g} % interval"


def interval_table(columns: dict[str, dict[str, Any]], delta: float = 0.01) -> str:
    """The (1 - delta) intervals as a table: a column per label of ``columns`` (label -> method ->
    (low, high)), a line per method, each entry "[low, high] width w" in percent."""
    methods = list(check_table_rows(next(iter(check_table_rows(columns, "columns").values())),
                                    "columns' first value"))
    lines = [f"{confidence_label(delta):<35}" + "".join(f"{label:>30}" for label in columns)]
    for method in methods:
        ends = [columns[label][method] for label in columns]
        lines.append(f"{method:<35}" + "".join(f" [{low:6.2%}, {high:6.2%}] width {high - low:6.2%}"
                                               for low, high in ends))
    return "\n".join(lines)


def size_table(sizes: dict[str, dict[str, int]], title: str = "test points needed") -> str:
    """Required test-set sizes as a table: a line per method of ``sizes`` (method -> label -> n)."""
    labels = list(check_table_rows(next(iter(check_table_rows(sizes, "sizes").values())),
                                   "sizes' first value"))
    lines = [f"{title:<30}" + "".join(f"{label:>20}" for label in labels)]
    lines += [f"{method:<30}" + "".join(f"{by_label[label]:>20,}" for label in labels)
              for method, by_label in sizes.items()]
    return "\n".join(lines)


def coverage_table(simulated: dict[str, float], exact: dict[str, float],
                   widths: dict[str, float], delta: float = 0.01) -> str:
    """Simulated and exact coverage and mean width of the (1 - delta) intervals, a line per
    method of ``simulated`` (``exact`` and ``widths`` hold the same methods)."""
    methods = list(check_table_rows(simulated, "simulated"))
    for name, values in (("exact", exact), ("widths", widths)):
        missing = [method for method in methods if method not in check_table_rows(values, name)]
        if missing:
            raise ValueError(f"{name} must hold the methods of simulated; missing {missing}")
    lines = [f"{confidence_label(delta):<30} {'coverage: simulated':>19} {'exact':>8} "
             f"{'mean width':>11}"]
    lines += [f"{method:<30} {simulated[method]:>19.2%} {exact[method]:>8.3%} "
              f"{widths[method]:>11.2%}" for method in methods]
    return "\n".join(lines)
