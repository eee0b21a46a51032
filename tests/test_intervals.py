"""Tests of intervals.py: the intervals against scipy and their formulas, the test-set sizes against
brute-force scans, the coverages against their definitions, and the tables."""

import math

import numpy as np
import pytest
from scipy import stats

from lab2 import intervals as iv

Z_99 = stats.norm.ppf(0.995)


@pytest.mark.parametrize(("k", "n"), [(0, 50), (3, 50), (17, 100), (50, 100), (100, 100),
                                      (817, 26492)])
@pytest.mark.parametrize(("scipy_method", "ours"), [("exact", iv.CLOPPER_PEARSON),
                                                    ("wilson", iv.WILSON)])
def test_exact_and_wilson_match_scipy_binomtest(k, n, scipy_method, ours):
    expected = stats.binomtest(k, n).proportion_ci(0.99, method=scipy_method)
    ends = iv.confidence_intervals(k, n)[ours]
    assert np.allclose(ends, (expected.low, expected.high), rtol=1e-9, atol=1e-15)


def test_closed_form_intervals():
    k, n, delta = 100, 400, 0.05
    p, log_term = k / n, math.log(4 / delta)
    intervals = iv.confidence_intervals(k, n, delta)
    half_widths = {iv.HOEFFDING: math.sqrt(math.log(2 / delta) / (2 * n)),
                   iv.CHEBYSHEV_WORST: math.sqrt(0.25 / (n * delta)),
                   iv.BERNSTEIN: math.sqrt(2 * p * (1 - p) * log_term / (n - 1))
                   + 7 * log_term / (3 * (n - 1)),
                   iv.WALD: stats.norm.ppf(1 - delta / 2) * math.sqrt(p * (1 - p) / n)}
    for method, half_width in half_widths.items():
        assert np.allclose(intervals[method], (p - half_width, p + half_width), rtol=1e-12), method
    expected_low, expected_high = stats.binom.ppf([delta / 2, 1 - delta / 2], n, p) / n
    assert np.array_equal(intervals[iv.BOOTSTRAP], (expected_low, expected_high))


def test_every_interval_holds_p_hat_inside_zero_one():
    n = 40
    counts = np.arange(n + 1)
    intervals = iv.confidence_intervals(counts, n)
    assert list(intervals) == list(iv.METHODS)
    for method, ends in intervals.items():
        assert ends.shape == (n + 1, 2), method
        assert np.all(ends[:, 0] <= counts / n) and np.all(counts / n <= ends[:, 1]), method
        assert np.all(ends >= 0) and np.all(ends <= 1), method
    assert intervals[iv.HOEFFDING][0, 0] == 0.0 and intervals[iv.HOEFFDING][-1, 1] == 1.0, "clipped"


def test_intervals_keep_the_shape_of_k():
    ends = iv.confidence_intervals(np.array([[1, 2, 3], [4, 5, 6]]), 10)[iv.BOOTSTRAP]
    assert ends.shape == (2, 3, 2)
    assert np.array_equal(ends[1, 2], iv.confidence_intervals(6, 10)[iv.BOOTSTRAP])


@pytest.mark.parametrize("rate", [0.5, 0.148, 0.0308])
def test_bisection_equals_brute_force_scan_and_the_condition_is_monotone(rate):
    eps = 0.02  # the notebook's eps = 0.01 asks for 4 times as many n: same code, slower scans
    for method in iv.MONOTONE_METHODS:
        found = iv.required_test_size(method, rate, eps=eps)
        sizes = np.arange(2, 2 * found + 100)
        deviations = iv._deviations(method, rate, sizes, 0.01)
        holds = iv._within_eps(deviations, eps)
        assert sizes[holds][0] == found and np.all(holds[sizes >= found]), method
        assert np.all(np.diff(deviations) <= 1e-15), f"{method}: the deviation shrinks with n"


def test_sizes_the_notebook_states():
    for rate in (0.5, 0.148, 0.0308):
        assert iv.required_test_size(iv.HOEFFDING, rate) == 26492
        assert iv.required_test_size(iv.CHEBYSHEV_WORST, rate) == 250_000
        normal_size = Z_99**2 * rate * (1 - rate) / 0.01**2
        assert iv.required_test_size(iv.WALD, rate) == math.ceil(normal_size)


def test_count_distribution_is_the_sum_of_two_binomials():
    n, rates = 400, (0.1, 0.3)
    pmf = iv.count_distribution(n, rates)
    counts = np.arange(n + 1)
    assert pmf.shape == (n + 1,) and math.isclose(pmf.sum(), 1.0)
    assert math.isclose(pmf @ counts, n / 2 * sum(rates))
    variance = pmf @ counts**2 - (pmf @ counts) ** 2
    assert math.isclose(variance, n / 2 * sum(r * (1 - r) for r in rates), rel_tol=1e-9)
    assert np.allclose(iv.count_distribution(n, (0.2, 0.2)), stats.binom.pmf(counts, n, 0.2))


@pytest.mark.parametrize(("n", "p"), [(20, 0.1), (100, 0.03), (200, 0.5), (1000, 0.146)])
def test_clopper_pearson_covers_at_least_one_minus_delta(n, p):
    coverage = iv.exact_coverage(p, iv.count_distribution(n, (p, p)))
    assert coverage[iv.CLOPPER_PEARSON] >= 0.99
    assert all(coverage[method] >= 0.99 for method in (iv.HOEFFDING, iv.CHEBYSHEV_WORST))


def test_wald_falls_short_when_n_p_is_small():
    coverage = iv.exact_coverage(0.02, iv.count_distribution(100, (0.02, 0.02)))
    assert coverage[iv.WALD] < 0.9 < 0.99 <= coverage[iv.CLOPPER_PEARSON]


def test_exact_coverage_is_the_probability_of_the_covering_counts():
    n, risk = 1000, 0.5
    pmf = np.zeros(n + 1)
    pmf[[0, 500]] = 0.25, 0.75  # 0 errors: no interval reaches 0.5; 500 errors: all contain it
    assert iv.exact_coverage(risk, pmf) == dict.fromkeys(iv.METHODS, 0.75)
    assert iv.simulated_coverage(risk, np.array([0, 500, 500, 500]), n) == dict.fromkeys(iv.METHODS,
                                                                                           0.75)


def test_simulated_coverage_agrees_with_the_exact_one():
    n, rates = 1000, (0.11, 0.18)
    risk = sum(rates) / 2
    rng = np.random.default_rng(0)
    counts = rng.binomial(n // 2, rates[0], 20_000) + rng.binomial(n // 2, rates[1], 20_000)
    simulated = iv.simulated_coverage(risk, counts, n)
    exact = iv.exact_coverage(risk, iv.count_distribution(n, rates))
    noise = math.sqrt(0.01 * 0.99 / counts.size)
    assert all(abs(simulated[method] - exact[method]) < 4 * noise + 1e-3 for method in iv.METHODS)


def test_mean_widths():
    counts, n = np.array([3, 5, 5, 9]), 50
    widths = iv.mean_widths(counts, n)
    for method, ends in iv.confidence_intervals(counts, n).items():
        assert math.isclose(widths[method], np.mean(ends[:, 1] - ends[:, 0]), rel_tol=1e-12)


def test_required_test_size_refuses_an_eps_beyond_its_search():
    with pytest.raises(ValueError, match="more than 10000000"):
        iv.required_test_size(iv.WALD, 0.5, eps=1e-5)


def test_interval_table_lines_up_methods_and_columns():
    table = iv.interval_table({"a": {"Wald": (0.1, 0.2), "Wilson": (0.11, 0.19)},
                                      "b": {"Wald": (0.0, 0.05), "Wilson": (0.01, 0.06)}})
    lines = table.splitlines()
    assert len(lines) == 3 and lines[0].split() == ["99", "%", "interval", "a", "b"]
    assert lines[1].startswith("Wald") and "[10.00%, 20.00%] width 10.00%" in lines[1]
    assert lines[2].endswith("[ 1.00%,  6.00%] width  5.00%")
    assert len({len(line) for line in lines}) == 1, "columns line up"


def test_size_and_coverage_tables():
    sizes = iv.size_table({"Hoeffding": {"R = 1/2": 26492, "R = 0.1": 26492},
                                  "normal (Wald)": {"R = 1/2": 16588, "R = 0.1": 5972}})
    assert sizes.splitlines()[2].split() == ["normal", "(Wald)", "16,588", "5,972"]
    coverage = iv.coverage_table({"Wald": 0.9875}, {"Wald": 0.98869}, {"Wald": 0.0574})
    assert coverage.splitlines()[1].split() == ["Wald", "98.75%", "98.869%", "5.74%"]
    assert coverage.splitlines()[0].split()[:3] == ["99", "%", "interval"]


def test_tables_name_the_confidence_level_of_delta():
    columns = {"a": {"Wald": (0.1, 0.2)}}
    assert iv.interval_table(columns, delta=0.05).split()[:3] == ["95", "%", "interval"]
    coverage = iv.coverage_table({"Wald": 0.95}, {"Wald": 0.95}, {"Wald": 0.05}, delta=0.001)
    assert coverage.split()[:3] == ["99.9", "%", "interval"]
