"""Confidence intervals for a test error rate: the test-set size each needs, their coverage (exact
and simulated) and their tables; scipy.stats is imported inside the functions that need it."""

from __future__ import annotations

import math
from collections.abc import Callable
from typing import Any

import numpy as np

__all__ = ["BERNSTEIN", "BOOTSTRAP", "CHEBYSHEV_WORST", "CLOPPER_PEARSON", "HOEFFDING", "METHODS",
           "MONOTONE_METHODS", "WALD", "WILSON", "confidence_intervals", "count_distribution",
           "coverage_table", "exact_coverage", "interval_table", "mean_widths",
           "required_test_size", "simulated_coverage", "size_table"]

HOEFFDING = "Hoeffding"
CHEBYSHEV_WORST = "Chebyshev, variance 1/4"
BERNSTEIN = "empirical Bernstein"
CLOPPER_PEARSON = "Clopper\u2013Pearson (exact)"
WILSON = "Wilson"
WALD = "normal (Wald)"
BOOTSTRAP = "bootstrap percentile (B \u2192 \u221e)"
METHODS = (HOEFFDING, CHEBYSHEV_WORST, BERNSTEIN, CLOPPER_PEARSON, WILSON, WALD, BOOTSTRAP)
# Methods whose "within error_rate ± eps" holds for every n once it holds (their half-widths shrink
# with n; tested): what required_test_size accepts. The bootstrap's quantiles are discrete.
MONOTONE_METHODS = tuple(method for method in METHODS if method != BOOTSTRAP)
BISECTION_LIMIT = 10**7  # required_test_size searches n in 2 .. BISECTION_LIMIT
ROUND_OFF = 1e-12  # relative slack on eps, so that no round-off misses an exact n


def _around(p: np.ndarray, half_width: np.ndarray | float) -> np.ndarray:
    """The intervals p ± half_width, as [..., 2]."""
    return np.stack(np.broadcast_arrays(p - half_width, p + half_width), axis=-1)


def _normal_quantile(delta: float) -> float:
    """z = the (1 - delta/2) quantile of the standard normal."""
    from scipy import stats

    return float(stats.norm.ppf(1 - delta / 2))


def _hoeffding(k: np.ndarray, n: np.ndarray, delta: float) -> np.ndarray:
    """p̂ ± sqrt(ln(2/δ) / (2n)): any independent variables in [0, 1]."""
    return _around(k / n, np.sqrt(math.log(2 / delta) / (2 * n)))


def _chebyshev_worst(k: np.ndarray, n: np.ndarray, delta: float) -> np.ndarray:
    """p̂ ± sqrt(σ² / (nδ)) with the worst-case variance σ² = 1/4."""
    return _around(k / n, np.sqrt(0.25 / (n * delta)))


def _empirical_bernstein(k: np.ndarray, n: np.ndarray, delta: float) -> np.ndarray:
    """Maurer & Pontil (2009): p̂ ± (sqrt(2 V ln(4/δ) / n) + 7 ln(4/δ) / (3(n - 1)))."""
    p = k / n
    log_term = math.log(4 / delta)
    return _around(p, np.sqrt(2 * p * (1 - p) * log_term / (n - 1))  # V / n = p̂(1-p̂) / (n-1)
                   + 7 * log_term / (3 * (n - 1)))


def _clopper_pearson(k: np.ndarray, n: np.ndarray, delta: float) -> np.ndarray:
    """The exact binomial interval (beta quantiles), 0 at k = 0 and 1 at k = n."""
    from scipy import stats

    with np.errstate(invalid="ignore"):  # beta quantiles with a = 0 or b = 0 are replaced
        low = np.where(k > 0, stats.beta.ppf(delta / 2, k, n - k + 1), 0.0)
        high = np.where(k < n, stats.beta.ppf(1 - delta / 2, k + 1, n - k), 1.0)
    return np.stack([low, high], axis=-1)


def _wilson(k: np.ndarray, n: np.ndarray, delta: float) -> np.ndarray:
    """The inversion of the normal approximation of the binomial test."""
    z = _normal_quantile(delta)
    centre = (k + z**2 / 2) / (n + z**2)
    half = z * np.sqrt(k * (n - k) / n + z**2 / 4) / (n + z**2)
    return np.stack([centre - half, centre + half], axis=-1)


def _wald(k: np.ndarray, n: np.ndarray, delta: float) -> np.ndarray:
    """p̂ ± z sqrt(p̂(1 - p̂) / n)."""
    p = k / n
    return _around(p, _normal_quantile(delta) * np.sqrt(p * (1 - p) / n))


def _bootstrap_percentile(k: np.ndarray, n: np.ndarray, delta: float) -> np.ndarray:
    """The percentile bootstrap with infinitely many resamples: Binomial(n, p̂) quantiles / n."""
    from scipy import stats

    n = np.asarray(n)[..., None]
    return stats.binom.ppf([delta / 2, 1 - delta / 2], n, k[..., None] / n) / n


INTERVALS: dict[str, Callable[[np.ndarray, np.ndarray, float], np.ndarray]] = {
    HOEFFDING: _hoeffding, CHEBYSHEV_WORST: _chebyshev_worst, BERNSTEIN: _empirical_bernstein,
    CLOPPER_PEARSON: _clopper_pearson, WILSON: _wilson, WALD: _wald,
    BOOTSTRAP: _bootstrap_percentile,
}


def confidence_intervals(k: Any, n: int, delta: float = 0.01) -> dict[str, np.ndarray]:
    """Every method's two-sided (1 - delta) interval from k errors in n test points, clipped to
    [0, 1]: method -> [..., 2] for k of any shape (k may be fractional)."""
    counts = np.asarray(k, dtype=np.float64)
    return {method: np.clip(bounds(counts, n, delta), 0.0, 1.0)
            for method, bounds in INTERVALS.items()}


def _deviations(method: str, error_rate: float, sizes: np.ndarray, delta: float) -> np.ndarray:
    """max(error_rate - low, high - error_rate) of method's interval around p̂ = error_rate, for
    each n in sizes."""
    ends = np.clip(INTERVALS[method](sizes * error_rate, sizes, delta), 0.0, 1.0)
    return np.maximum(error_rate - ends[..., 0], ends[..., 1] - error_rate)


def _within_eps(deviation: np.ndarray, eps: float) -> np.ndarray:
    """Whether each deviation is at most eps (with ROUND_OFF slack, so no exact n is missed)."""
    return deviation <= eps * (1 + ROUND_OFF)


def required_test_size(method: str, error_rate: float, eps: float = 0.01,
                       delta: float = 0.01) -> int:
    """Smallest n at which a monotone method's interval around p̂ = error_rate lies within
    error_rate ± eps, by bisection over 2 .. BISECTION_LIMIT."""

    def holds(n: int) -> bool:
        return bool(_within_eps(_deviations(method, error_rate, np.array(n), delta), eps))

    if not holds(BISECTION_LIMIT):  # the bisection would answer BISECTION_LIMIT: wrong
        raise ValueError(f"eps = {eps!r} needs more than {BISECTION_LIMIT} test points ({method})")
    too_small, enough = 1, BISECTION_LIMIT  # 1 is never evaluated: n >= 2
    while enough - too_small > 1:
        middle = (too_small + enough) // 2
        if holds(middle):
            enough = middle
        else:
            too_small = middle
    return enough


def _contains(intervals: dict[str, np.ndarray], risk: float) -> dict[str, np.ndarray]:
    """For each method, whether each of its intervals [..., 2] contains ``risk``."""
    return {method: (ends[..., 0] <= risk) & (risk <= ends[..., 1])
            for method, ends in intervals.items()}


def count_distribution(n: int, class_rates: tuple[float, float]) -> np.ndarray:
    """P(count = 0 .. n) for Binomial(n/2, R-) + Binomial(n/2, R+): the errors in a test set of n/2
    points per class, misclassified with probabilities class_rates = (R-, R+)."""
    from scipy import stats

    half = n // 2
    return np.convolve(*(stats.binom.pmf(np.arange(half + 1), half, rate) for rate in class_rates))


def exact_coverage(risk: float, count_pmf: Any, delta: float = 0.01) -> dict[str, float]:
    """P(interval contains risk) for each method when the count k = 0 .. n has the pmf count_pmf."""
    pmf = np.asarray(count_pmf, dtype=np.float64)
    covers = _contains(confidence_intervals(np.arange(pmf.size), pmf.size - 1, delta), risk)
    return {method: float(pmf @ covered) for method, covered in covers.items()}


def simulated_coverage(risk: float, error_counts: Any, n: int,
                       delta: float = 0.01) -> dict[str, float]:
    """For each method, the fraction of test sets (error_counts: errors in each of n points) whose
    interval contains risk."""
    covers = _contains(confidence_intervals(np.arange(n + 1), n, delta), risk)
    return {method: float(covered[error_counts].mean()) for method, covered in covers.items()}


def mean_widths(error_counts: Any, n: int, delta: float = 0.01) -> dict[str, float]:
    """For each method, the mean width of its intervals over the test sets' error counts."""
    return {method: float((ends[:, 1] - ends[:, 0])[error_counts].mean())
            for method, ends in confidence_intervals(np.arange(n + 1), n, delta).items()}


def _confidence_label(delta: float) -> str:
    """The header of a table of (1 - delta) intervals: "99 % interval" for delta = 0.01."""
    return f"{round(100 * (1 - delta), 10):g} % interval"


def interval_table(columns: dict[str, dict[str, Any]], delta: float = 0.01) -> str:
    """The (1 - delta) intervals as a table: a column per label of ``columns`` (label -> method ->
    (low, high)), a line per method, each entry "[low, high] width w" in percent."""
    lines = [f"{_confidence_label(delta):<35}" + "".join(f"{label:>30}" for label in columns)]
    for method in next(iter(columns.values())):
        ends = [columns[label][method] for label in columns]
        lines.append(f"{method:<35}" + "".join(f" [{low:6.2%}, {high:6.2%}] width {high - low:6.2%}"
                                               for low, high in ends))
    return "\n".join(lines)


def size_table(sizes: dict[str, dict[str, int]], title: str = "test points needed") -> str:
    """Required test-set sizes as a table: a line per method of ``sizes`` (method -> label -> n)."""
    labels = list(next(iter(sizes.values())))
    lines = [f"{title:<30}" + "".join(f"{label:>20}" for label in labels)]
    lines += [f"{method:<30}" + "".join(f"{by_label[label]:>20,}" for label in labels)
              for method, by_label in sizes.items()]
    return "\n".join(lines)


def coverage_table(simulated: dict[str, float], exact: dict[str, float],
                   widths: dict[str, float], delta: float = 0.01) -> str:
    """Simulated and exact coverage and mean width of the (1 - delta) intervals, a line per
    method of ``simulated`` (``exact`` and ``widths`` hold the same methods)."""
    lines = [f"{_confidence_label(delta):<30} {'coverage: simulated':>19} {'exact':>8} "
             f"{'mean width':>11}"]
    lines += [f"{method:<30} {simulated[method]:>19.2%} {exact[method]:>8.3%} "
              f"{widths[method]:>11.2%}" for method in simulated]
    return "\n".join(lines)
