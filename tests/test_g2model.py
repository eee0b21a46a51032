"""Unit tests of g2model: sampling, the Bayes-optimal score and classifier, error rates, plotting
and validation. (The first lab's API, run as a student's script: test_course_api.py.)"""

import math
import warnings
from fractions import Fraction

import matplotlib.pyplot as plt
import numpy as np
import pytest
import torch
from matplotlib.colors import to_rgba
from matplotlib.contour import ContourSet
from matplotlib.markers import MarkerStyle

import g2model
from g2model import G2Model, boundary_legend_handles
from template_utils import Predictor, TorchPredictor

# The ground-truth facts, written out from shared/assignment/ground_truth_model.md.
NEGATIVE_MEANS = np.array([(-1.0, -1.0), (-1.0, 0.0), (0.0, 0.0)])
POSITIVE_MEANS = np.array([(0.0, 1.0), (0.0, -1.0), (1.0, 0.0)])
VARIANCE = 0.05  # covariance I / 20

MODEL = G2Model()


def mixture_density(points, means):
    """p(x | class): the equal-weight mixture of N(mu_k, VARIANCE * I), evaluated directly (no
    log-sum-exp)."""
    squared_distances = np.sum((points[:, None, :] - means[None, :, :]) ** 2, axis=2)
    return np.mean(np.exp(-squared_distances / (2 * VARIANCE)), axis=1) / (2 * np.pi * VARIANCE)


class ConstantPredictor:
    """Duck-typed predictor (no base class) that says +1 everywhere."""

    def score(self, x):
        return np.ones(len(x))

    def classify(self, x):
        return np.ones(len(x), dtype=np.int64)


class FlippedBayes:
    """Duck-typed predictor that always answers the opposite of the Bayes classifier."""

    def score(self, x):
        return -MODEL.score(x)

    def classify(self, x):
        return -MODEL.classify(x)


class ClassifyOutput:
    """A duck-typed predictor whose classify returns ``convert`` of the Bayes labels (to break the
    interface)."""

    def __init__(self, convert):
        self.convert = convert

    def score(self, x):
        return MODEL.score(x)

    def classify(self, x):
        return self.convert(MODEL.classify(x))


class ScoreOutput(Predictor):
    """A template Predictor whose score returns ``convert`` of the Bayes scores; classify is the
    base class's."""

    def __init__(self, convert):
        super().__init__("converted scores")
        self.convert = convert

    def score(self, x):
        return self.convert(MODEL.score(x))


@pytest.fixture(scope="module")
def sample():
    """A training-size sample, N = 200."""
    return MODEL.generate_sample(200, 0)


@pytest.fixture(scope="module")
def large_sample():
    """60_000 points, 30_000 per class, for the distribution tests."""
    return MODEL.generate_sample(60_000, 2024)


@pytest.fixture(scope="module")
def large_bayes_count():
    """The Bayes classifier's error counted on 400_000 points (seeded), with that n."""
    n = 400_000
    return G2Model.error_rate(MODEL, MODEL.generate_sample(n, 777)), n


@pytest.fixture
def linear_predictor():
    """A predictor whose boundary is the line x1 = 0, so its errors can be counted by hand."""
    return TorchPredictor(lambda p: p[:, 0], device="cpu", dtype=torch.float64,
                          name="first coordinate", hidden_size=7)


# --------------------------------------------------------------------------------------------------
# The model's parameters and generate_sample


def test_parameters_match_ground_truth_facts():
    """The component means (by label and by the first lab's class index), the shared covariance,
    K and the priors are those of the ground-truth model."""
    for labels, means in (((-1, 0), NEGATIVE_MEANS), ((1,), POSITIVE_MEANS)):
        for c in labels:
            np.testing.assert_array_equal(MODEL.cls[c].mus, means)
    np.testing.assert_array_equal(MODEL.Sigma, np.eye(2) / 20)
    assert MODEL.K == 3
    np.testing.assert_array_equal(MODEL.priors, [0.5, 0.5])


@pytest.mark.parametrize("n", [2, 10, 1000])
def test_generate_sample_shapes_dtypes_and_balance(n):
    """x is float64 [n, 2], y int64 [n] with exactly n/2 labels -1 and n/2 labels +1."""
    x, y = MODEL.generate_sample(n, 1)
    assert (x.shape, x.dtype, y.shape, y.dtype) == ((n, 2), np.float64, (n,), np.int64)
    assert np.sum(y == -1) == np.sum(y == 1) == n // 2


def test_generate_sample_is_shuffled():
    """The labels are interleaved, not all -1 first (sorted order has probability
    1 / C(1000, 500))."""
    _, y = MODEL.generate_sample(1000, 3)
    assert 0 < np.sum(y[:500] == 1) < 500


def test_generate_sample_reproducible_by_int_seed():
    """The same int seed gives the same sample; another seed gives another one."""
    first, second, other = (MODEL.generate_sample(100, seed) for seed in (7, 7, 8))
    np.testing.assert_array_equal(first[0], second[0])
    np.testing.assert_array_equal(first[1], second[1])
    assert not np.array_equal(first[0], other[0])


def test_generate_sample_reproducible_by_generator():
    """Equally seeded Generators give the same sample; reusing one Generator draws fresh points."""
    x1, y1 = MODEL.generate_sample(100, np.random.default_rng(5))
    rng = np.random.default_rng(5)
    x2, y2 = MODEL.generate_sample(100, rng)
    x3, _ = MODEL.generate_sample(100, rng)
    np.testing.assert_array_equal(x1, x2)
    np.testing.assert_array_equal(y1, y2)
    assert not np.array_equal(x2, x3)


def test_generate_sample_without_rng_draws_from_numpy_global_state():
    """Without rng the draws come from np.random: np.random.seed repeats them, and consecutive calls
    give different samples."""
    np.random.seed(1)
    first, second = MODEL.generate_sample(40), MODEL.generate_sample(40)
    np.random.seed(1)
    again = MODEL.generate_sample(40)
    np.testing.assert_array_equal(first[0], again[0])
    np.testing.assert_array_equal(first[1], again[1])
    assert not np.array_equal(first[0], second[0])


def straightforward_sample(n, gen):
    """The sampler as first written: the components of class -1, then of class +1, then the noise,
    then a permutation of the rows, drawn from gen in that order."""
    half = n // 2
    means = np.concatenate([NEGATIVE_MEANS[gen.integers(0, 3, size=half)],
                            POSITIVE_MEANS[gen.integers(0, 3, size=half)]])
    x = means + gen.normal(scale=math.sqrt(VARIANCE), size=(n, 2))
    order = gen.permutation(n)
    return x[order], np.repeat([-1, 1], half)[order]


@pytest.mark.parametrize("n", [2, 1000, 26492, 200_000])
def test_generate_sample_draws_what_the_straightforward_sampler_draws(n):
    """The same points and labels as the straightforward sampler, bit for bit (the notebook's
    numbers depend on them), and the Generator left in the same state."""
    rng, reference_rng = np.random.default_rng(11), np.random.default_rng(11)
    x, y = MODEL.generate_sample(n, rng)
    expected_x, expected_y = straightforward_sample(n, reference_rng)
    np.testing.assert_array_equal(x, expected_x)
    np.testing.assert_array_equal(y, expected_y)
    assert rng.bit_generator.state == reference_rng.bit_generator.state


# Hand-derived with the mixture formulas: mean = average of the 3 component means;
# covariance = VARIANCE * I + the covariance (divided by 3) of the component means around that
# average.
# Label -1: mean (-2/3, -1/3); deviations (-1/3, -2/3), (-1/3, 1/3), (2/3, 1/3)
#   -> [[2/9, 1/9], [1/9, 2/9]].
# Label +1: mean (1/3, 0); deviations (-1/3, 1), (-1/3, -1), (2/3, 0) -> [[2/9, 0], [0, 2/3]].
@pytest.mark.parametrize(("label", "mean", "spread_of_means"), [
    (-1, (-2 / 3, -1 / 3), [[2 / 9, 1 / 9], [1 / 9, 2 / 9]]),
    (+1, (1 / 3, 0.0), [[2 / 9, 0.0], [0.0, 2 / 3]]),
])
def test_class_mean_and_covariance_match_mixture(large_sample, label, mean, spread_of_means):
    """Each class's sample mean and covariance match those of an equal mixture of its 3 Gaussians
    with var 0.05."""
    x, y = large_sample
    points = x[y == label]
    m = len(points)
    covariance = VARIANCE * np.eye(2) + np.array(spread_of_means)
    # Tolerances: 5 standard errors of the m = 30_000 i.i.d. draws of the mixture. A mean's standard
    # error is sqrt(Sigma_ii / m); a covariance entry's is the standard deviation of the products
    # (x_i - mean_i)(x_j - mean_j) over sqrt(m). A 5-SE miss has probability below 1e-6; a wrong
    # variance (0.2236) or a missing component misses by more than 30 SEs.
    np.testing.assert_array_less(np.abs(points.mean(axis=0) - mean),
                                 5 * np.sqrt(np.diag(covariance) / m))
    centred = points - points.mean(axis=0)
    products = centred[:, :, None] * centred[:, None, :]
    np.testing.assert_array_less(np.abs(products.mean(axis=0) - covariance),
                                 5 * products.std(axis=0) / np.sqrt(m))


# --------------------------------------------------------------------------------------------------
# score and classify


def test_score_matches_direct_density_ratio():
    """At moderate x the score equals log p(x|+1) - log p(x|-1) computed from the densities
    themselves."""
    grid = np.linspace(-2.0, 2.0, 41)
    points = np.column_stack([g.ravel() for g in np.meshgrid(grid, grid)])
    direct = (np.log(mixture_density(points, POSITIVE_MEANS))
              - np.log(mixture_density(points, NEGATIVE_MEANS)))
    score = MODEL.score(points)
    assert score.shape == (len(points),)
    np.testing.assert_allclose(score, direct, rtol=1e-9, atol=1e-9)


# Far away each log-sum-exp is its largest term (2 x.mu_k - |mu_k|^2) / (2 VARIANCE); the others are
# e^-70 or less relative to it. There the densities themselves underflow to 0 and the direct formula
# gives -inf - -inf = nan.
@pytest.mark.parametrize(("point", "expected"), [
    ((1e6, 0.0), (2e6 - 1) / 0.1 - 0.0),  # +1 term: mu = (1, 0); -1 term: mu = (0, 0)
    ((-1e8, 3.0), (6 - 1) / 0.1 - (2e8 - 1) / 0.1),  # +1 term: mu = (0, 1); -1 term: mu = (-1, 0)
    ((0.0, 1e8), (2e8 - 1) / 0.1 - 0.0),  # +1 term: mu = (0, 1); -1 term: mu = (0, 0)
    ((-1e6, -1e6), (2e6 - 1) / 0.1 - (4e6 - 2) / 0.1),  # +1 term: mu = (0, -1);
                                                        # -1 term: mu = (-1, -1)
])
def test_score_far_away_is_finite_and_exact(point, expected):
    """Far from the data the score stays finite and equals the difference of the dominant component
    terms."""
    score = MODEL.score([point])
    assert np.isfinite(score).all()
    np.testing.assert_allclose(score, [expected], rtol=1e-12)


def exact_far_score(point):
    """The log-odds at a point with a coordinate of 1e306 or more, in exact rational arithmetic,
    then rounded.

    There each class's log-sum-exp is its largest term (2 x.mu_k - |mu_k|^2) / (2 VARIANCE) plus at
    most log 3, and the other terms are below e^-1e305 of it unless they tie with it. So the
    log-odds is the difference of the two largest terms to within log 3 (to within e^-1e305 when
    that difference is 0). Beyond float range: +-inf.
    """
    x = [Fraction(c) for c in point]

    def top(means):
        return max((2 * (Fraction(m[0]) * x[0] + Fraction(m[1]) * x[1])
                    - Fraction(m[0]) ** 2 - Fraction(m[1]) ** 2)
                   * 10 for m in means)  # 1 / (2 VARIANCE) = 10

    difference = top(POSITIVE_MEANS) - top(NEGATIVE_MEANS)
    if abs(difference) > Fraction(np.finfo(np.float64).max):
        return math.inf if difference > 0 else -math.inf
    return float(difference)


# Directions of mixed signs and sizes, scaled below by 1e306 ... the largest float. (0, -1) ties the
# largest terms' linear parts: there the log-odds is 10, from the |mu_k|^2 constants, which float64
# cannot resolve next to 2e307.
HUGE_DIRECTIONS = [(1, 1), (-1, -1), (1, -1), (-1, 1), (1, 0), (0, -1), (-1, 3e-306), (0.5, -0.25),
                   (-0.7, 0.9)]


@pytest.mark.parametrize("size", [1e306, 1e307, 1e308, float(np.finfo(np.float64).max)])
@pytest.mark.parametrize("direction", HUGE_DIRECTIONS)
def test_score_at_huge_x_is_right_or_infinite_never_nan(size, direction):
    """Near the largest floats the score is the log-odds to float64 precision of its terms (relative
    1e-12 of the largest term, 40 |x|), +-inf where the log-odds exceeds the float range, never NaN
    and without floating-point warnings; classify gives the log-odds' sign wherever precision can
    tell it."""
    point = (direction[0] * size, direction[1] * size)
    expected = exact_far_score(point)
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        score, label = MODEL.score([point]), MODEL.classify([point])
    assert not np.isnan(score).any()
    term_precision = 1e-12 * 40 * max(abs(c) for c in point)
    np.testing.assert_allclose(score, [expected], rtol=0, atol=term_precision)
    if abs(expected) > term_precision:
        assert label.tolist() == [1 if expected > 0 else -1]


def test_score_at_huge_x_keeps_each_row_apart():
    """Huge and ordinary points in one call: each row is scaled on its own, so ordinary scores are
    unchanged."""
    ordinary = GRID_POINTS[:5]
    mixed = np.vstack([ordinary, [[-1e307, -1e307], [1e308, -1e308]]])
    scores = MODEL.score(mixed)
    np.testing.assert_array_equal(scores[:5], MODEL.score(ordinary))
    assert scores[5:].tolist() == [-math.inf, math.inf]


def test_classify_is_sign_of_score(sample):
    """classify gives labels in {-1, +1} equal to the sign of the score (no score is exactly 0
    here)."""
    x, _ = sample
    labels = MODEL.classify(x)
    assert set(labels.tolist()) == {-1, 1}
    np.testing.assert_array_equal(labels, np.sign(MODEL.score(x)))


def test_classify_score_zero_gives_plus_one():
    """A score of exactly 0 is classified +1 (classify goes through self.score, so a subclass sets
    it)."""

    class ZeroScore(G2Model):
        def score(self, x):
            return np.zeros(len(x))

    assert ZeroScore().classify(np.zeros((3, 2))).tolist() == [1, 1, 1]


# Points on a 1/8 grid in [-2, 2] are exact in every float dtype (bfloat16 keeps 8 significant
# bits), so the scores must agree exactly whatever container or dtype carries them.
GRID_POINTS = np.array([[i / 8, j / 8] for i in range(-16, 17, 3) for j in range(-16, 17, 5)])


@pytest.mark.parametrize("convert", [
    pytest.param(lambda p: p.tolist(), id="nested list"),
    pytest.param(lambda p: p.astype(np.float32), id="numpy float32"),
    *(pytest.param(lambda p, d=dtype: torch.tensor(p, dtype=d), id=str(dtype))
      for dtype in (torch.float32, torch.float64, torch.bfloat16, torch.float16)),
    pytest.param(lambda p: torch.tensor(p, requires_grad=True), id="tensor requiring grad"),
])
@pytest.mark.parametrize("method", ["score", "classify"])
def test_input_containers_and_dtypes(convert, method):
    """score and classify accept numpy arrays, nested lists and torch tensors of any float dtype,
    returning numpy."""
    expected = getattr(MODEL, method)(GRID_POINTS)
    result = getattr(MODEL, method)(convert(GRID_POINTS))
    assert isinstance(result, np.ndarray)
    np.testing.assert_array_equal(result, expected)


@pytest.mark.parametrize("dtype", [torch.float32, torch.bfloat16, torch.float16])
def test_low_precision_tensor_scores_its_rounded_points(dtype):
    """A low-precision tensor is scored at its own (rounded) values, promoted to float64 without
    further loss."""
    points = np.random.default_rng(0).uniform(-2, 2, size=(50, 2))
    tensor = torch.tensor(points, dtype=dtype)
    rounded = np.array(tensor.double().tolist())
    assert MODEL.score(tensor).dtype == np.float64
    np.testing.assert_array_equal(MODEL.score(tensor), MODEL.score(rounded))


# --------------------------------------------------------------------------------------------------
# error_rate


def test_bayes_error_rate_matches_grid_integration():
    """The Bayes classifier's counted error on 200_000 points agrees with the integral of
    min(p(x|-1), p(x|+1)) / 2.

    The integral is a midpoint sum over a 500 x 500 grid on [-2.5, 2.5]^2 (each Gaussian lies 6.7
    standard deviations inside it): it uses the densities only, no sampling and no classify. Halving
    the step moves it by under 1e-5. The counted rate is a mean of 200_000 indicators with
    probability R ~ 0.0168, whose standard error is at most the binomial
    sqrt(R (1 - R) / n) ~ 2.9e-4 (sampling n/2 per class only lowers it); the test allows 5 of them.
    """
    step = 0.01
    grid = np.arange(-2.5 + step / 2, 2.5, step)
    points = np.column_stack([g.ravel() for g in np.meshgrid(grid, grid)])
    negative, positive = (mixture_density(points, NEGATIVE_MEANS),
                          mixture_density(points, POSITIVE_MEANS))
    # the grid holds all the mass
    assert np.sum(negative + positive) / 2 * step**2 == pytest.approx(1.0, abs=1e-6)
    bayes_error = np.sum(np.minimum(negative, positive)) / 2 * step**2

    n = 200_000
    counted = G2Model.error_rate(MODEL, MODEL.generate_sample(n, 12345))
    assert isinstance(counted, float)
    assert abs(counted - bayes_error) < 5 * math.sqrt(bayes_error * (1 - bayes_error) / n)


def test_error_rate_of_constant_predictor_is_one_half(sample):
    """A duck-typed predictor that always says +1 is wrong on exactly the n/2 points labelled -1."""
    assert G2Model.error_rate(ConstantPredictor(), sample) == 0.5


def test_error_rate_of_flipped_predictor_is_complement(sample):
    """Answering the opposite of the Bayes classifier is wrong exactly where it is right."""
    bayes = G2Model.error_rate(MODEL, sample)
    assert 0.0 < bayes < 0.5
    assert G2Model.error_rate(FlippedBayes(), sample) == pytest.approx(1.0 - bayes, abs=1e-12)


@pytest.mark.parametrize("convert", [
    pytest.param(lambda x, y: [x.tolist(), y.tolist()], id="list of lists"),
    pytest.param(lambda x, y: (torch.tensor(x, dtype=torch.float64), torch.tensor(y)),
                 id="tensors"),
    pytest.param(lambda x, y: (x, y.astype(np.float64)), id="float labels"),
])
def test_error_rate_accepts_other_containers(sample, convert):
    """data may be a list pair, a pair of tensors or carry float labels, with the same error rate as
    numpy."""
    x, y = sample
    assert G2Model.error_rate(MODEL, convert(x, y)) == G2Model.error_rate(MODEL, (x, y))


BOTH_CALLS = [
    pytest.param(lambda p, data: G2Model.error_rate(p, data), id="error_rate"),
    pytest.param(lambda p, data: MODEL.plot_predictor(data, p), id="plot_predictor"),
]


@pytest.mark.parametrize(("convert", "error", "message"), [
    pytest.param(lambda labels: (labels + 1) // 2, ValueError, r"must hold labels -1 and \+1 only",
                 id="labels 0/1"),
    pytest.param(lambda labels: labels.astype(np.float64) * np.nan, ValueError,
                 "must be an array of labels -1 and \\+1, not NaN", id="NaN"),
    pytest.param(lambda labels: labels[None, :], ValueError, r"must have shape \[200\]",
                 id="row [1, N]"),
    pytest.param(lambda labels: np.column_stack([labels, labels]), ValueError, "must have shape",
                 id="[N, 2]"),
    pytest.param(lambda labels: labels[:-1], ValueError, "must have shape", id="too short"),
    pytest.param(lambda labels: labels == 1, TypeError, "must be an array of labels", id="bool"),
    pytest.param(lambda labels: labels.astype(str), TypeError, "must be an array of labels",
                 id="strings"),
    pytest.param(lambda labels: None, TypeError, "must be an array of labels", id="None"),
    pytest.param(lambda labels: [object()] * len(labels), TypeError, "must be an array of labels",
                 id="objects"),
])
@pytest.mark.parametrize("call", BOTH_CALLS)
def test_classify_output_breaking_interface_is_rejected(sample, convert, error, message, call):
    """A classify output that is not [N] (or [N, 1]) labels in {-1, +1} raises an error naming
    predictor.classify(x), never a silently wrong rate."""
    with pytest.raises(error, match=rf"^predictor\.classify\(x\) {message}"):
        call(ClassifyOutput(convert), sample)


@pytest.mark.parametrize("convert", [
    pytest.param(lambda labels: labels[:, None], id="column [N, 1]"),
    pytest.param(lambda labels: labels.astype(np.float32), id="float32"),
    pytest.param(lambda labels: torch.tensor(labels), id="tensor"),
    pytest.param(lambda labels: labels.tolist(), id="list"),
])
def test_classify_output_in_other_containers_is_accepted(sample, convert):
    """Labels as a column [N, 1], floats, a tensor or a list mean the same labels: the same error
    rate."""
    assert G2Model.error_rate(ClassifyOutput(convert), sample) == G2Model.error_rate(MODEL, sample)


def with_nan_at_three_points(scores):
    """The scores with three of them replaced by NaN (as a network that overflowed would give)."""
    scores = scores.copy()
    scores[[0, 7, 11]] = np.nan
    return scores


@pytest.mark.parametrize("call", BOTH_CALLS)
def test_nan_scores_are_rejected_with_their_count(sample, call):
    """NaN log-odds would classify silently as -1 (error rate 0.5, no boundary drawn): a ValueError
    naming predictor.score(x) and how many NaN it returned."""
    with pytest.raises(ValueError, match=r"^predictor\.score\(x\) must be an array of log-odds, "
                                         r"not NaN; got 3 NaN among"):
        call(ScoreOutput(with_nan_at_three_points), sample)


def test_nan_scores_of_duck_typed_predictor_are_rejected_by_plot(sample):
    """plot_predictor contours score(x) itself, so a duck-typed predictor's NaN scores are caught
    there too."""

    class NanScoreBayesLabels(FlippedBayes):
        def score(self, x):
            return with_nan_at_three_points(MODEL.score(x))

    with pytest.raises(ValueError, match=r"^predictor\.score\(x\) must be an array of log-odds, "
                                         r"not NaN; got 3 NaN among 40000 values"):
        MODEL.plot_predictor(sample, NanScoreBayesLabels())


@pytest.mark.parametrize(("convert", "error", "message"), [
    pytest.param(lambda s: s[None, :], ValueError, "must have shape", id="row [1, N]"),
    pytest.param(lambda s: np.column_stack([s, -s]), ValueError, "must have shape", id="[N, 2]"),
    pytest.param(lambda s: s[:-1], ValueError, "must have shape", id="too short"),
    pytest.param(lambda s: s.sum(), ValueError, "must have shape", id="scalar"),
    pytest.param(lambda s: s > 0, TypeError, "must be an array of log-odds", id="bool"),
    pytest.param(lambda s: s.astype(str), TypeError, "must be an array of log-odds", id="strings"),
    pytest.param(lambda s: None, TypeError, "must be an array of log-odds", id="None"),
    pytest.param(lambda s: [None, *s[1:]], TypeError, "must be an array of log-odds",
                 id="list with None"),
    pytest.param(lambda s: s.astype(complex), TypeError, "must be an array of log-odds",
                 id="complex"),
    pytest.param(lambda s: object(), TypeError, "must be an array of log-odds", id="object"),
])
@pytest.mark.parametrize("call", BOTH_CALLS)
def test_scores_breaking_interface_are_rejected(sample, convert, error, message, call):
    """Scores that are not [N] (or [N, 1]) real numbers raise an error naming predictor.score(x)."""
    with pytest.raises(error, match=rf"^predictor\.score\(x\) {message}"):
        call(ScoreOutput(convert), sample)


@pytest.mark.parametrize("convert", [
    pytest.param(lambda s: s[:, None], id="column [N, 1]"),
    pytest.param(lambda s: s.astype(np.float16), id="float16"),
    pytest.param(lambda s: torch.tensor(s, dtype=torch.bfloat16), id="bfloat16 tensor"),
    pytest.param(lambda s: s.tolist(), id="list"),
])
def test_scores_in_other_containers_are_accepted(sample, convert):
    """Scores as a column, a low-precision array or tensor or a list give the same error rate and a
    plot."""
    assert G2Model.error_rate(ScoreOutput(convert), sample) == G2Model.error_rate(MODEL, sample)
    assert len(contour_sets(MODEL.plot_predictor(sample, ScoreOutput(convert)))) == 2


class InfiniteLogOdds(Predictor):
    """Log-odds of the rule x1 >= 0 as +-inf only (probabilities 1 and 0 after underflow)."""

    def __init__(self):
        super().__init__("saturated")

    def score(self, x):
        return np.where(np.asarray(x)[:, 0] >= 0, np.inf, -np.inf)


def test_infinite_scores_classify_and_count_like_their_sign(sample):
    """+-inf log-odds are legitimate: classified by their sign, so the error rate is that of the
    rule x1 >= 0."""
    x, y = sample
    labels = InfiniteLogOdds().classify(x)
    np.testing.assert_array_equal(labels, np.where(x[:, 0] >= 0, 1, -1))
    assert (G2Model.error_rate(InfiniteLogOdds(), sample)
            == np.mean(np.where(x[:, 0] >= 0, 1, -1) != y))


def test_infinite_scores_still_draw_their_boundary(sample):
    """The boundary of +-inf scores is drawn (clipped to finite values before contouring): on
    x1 = 0, within one grid step, and spanning the grid from bottom to top."""
    x, _ = sample
    ax = MODEL.plot_predictor(sample, InfiniteLogOdds())
    (boundary,) = [c for colour, _, c in contour_sets(ax) if colour == to_rgba("black")]
    vertices = np.concatenate([path.vertices for path in boundary.get_paths()])
    step = (np.ptp(x[:, 0]) + 1.0) / 199
    assert np.max(np.abs(vertices[:, 0])) <= step
    assert vertices[:, 1].min() == pytest.approx(x[:, 1].min() - 0.5)
    assert vertices[:, 1].max() == pytest.approx(x[:, 1].max() + 0.5)


@pytest.mark.parametrize("call", [
    pytest.param(lambda data: G2Model.error_rate(MODEL, data), id="error_rate"),
    pytest.param(lambda data: MODEL.plot_predictor(data), id="plot_predictor"),
])
@pytest.mark.filterwarnings("ignore::RuntimeWarning")
def test_empty_data_is_rejected(call):
    """An error rate or a plot of zero points is undefined: a ValueError naming data."""
    with pytest.raises(ValueError, match="data"):
        call((np.zeros((0, 2)), np.zeros(0, dtype=np.int64)))


def masked(values, count):
    """values as a masked array whose first `count` entries (of its first axis) are masked."""
    mask = np.zeros(np.shape(values), dtype=bool)
    mask[:count] = True
    return np.ma.masked_array(values, mask=mask)


def masked_classify(sample):
    """The error rate of a predictor whose classify returns masked labels."""
    return MODEL.error_rate(ClassifyOutput(lambda labels: masked(labels, 2)), sample)


def masked_scores(sample):
    """The error rate of a predictor whose score returns masked scores."""
    return MODEL.error_rate(ScoreOutput(lambda scores: masked(scores, 2)), sample)


@pytest.mark.parametrize(("call", "name"), [
    pytest.param(lambda sample: MODEL.score(masked(sample[0], 2)), r"x", id="score x"),
    pytest.param(lambda sample: MODEL.error_rate(MODEL, (masked(sample[0], 2), sample[1])),
                 r"data x", id="data x"),
    pytest.param(lambda sample: MODEL.error_rate(MODEL, (sample[0], masked(sample[1], 2))),
                 r"data y", id="data y"),
    pytest.param(masked_classify, r"predictor\.classify\(x\)", id="classify output"),
    pytest.param(masked_scores, r"predictor\.score\(x\)", id="score output"),
])
def test_masked_entries_are_refused_not_read_through(sample, call, name):
    """numpy would use the values under a mask as if unmasked: a masked array with masked entries
    is refused, naming the argument and how many entries are masked (2 rows of x hold 4)."""
    with pytest.raises(ValueError, match=rf"^{name} must be .* without masked entries; got a "
                                         r"masked array with [24] masked: drop or fill them first"):
        call(sample)


def test_masked_array_without_masked_entries_is_read_as_is(sample):
    """A masked array whose mask hides nothing is its data: scored and counted like the plain
    array."""
    x, y = sample
    np.testing.assert_array_equal(MODEL.score(masked(x, 0)), MODEL.score(x))
    assert MODEL.error_rate(MODEL, (masked(x, 0), masked(y, 0))) == MODEL.error_rate(MODEL, sample)


# --------------------------------------------------------------------------------------------------
# plot_predictor


def contour_sets(ax):
    """The ContourSets drawn in ax, as (RGBA colour, dashed?, ContourSet) triples."""
    return [(tuple(c.get_edgecolor()[0]), c.get_linestyle()[0][1] is not None, c)
            for c in ax.collections if isinstance(c, ContourSet)]


def hollow_scatter(ax):
    """The scatter collections without face colour: the circles around misclassified points."""
    return [c for c in ax.collections
            if not isinstance(c, ContourSet) and len(c.get_facecolor()) == 0]


def legend_texts(ax):
    """The legend's entries."""
    return [t.get_text() for t in ax.get_legend().get_texts()]


def test_plot_draws_red_dashed_bayes_and_black_solid_predictor_boundaries(sample, linear_predictor):
    """One red dashed contour on s*(x) = 0 and one black solid contour on the predictor's
    score(x) = x1 = 0."""
    x, _ = sample
    ax = MODEL.plot_predictor(sample, linear_predictor)
    sets = contour_sets(ax)
    assert sorted((colour, dashed) for colour, dashed, _ in sets) == [(to_rgba("black"), False),
                                                                       (to_rgba("red"), True)]
    bayes = next(c for colour, _, c in sets if colour == to_rgba("red"))
    predictor = next(c for colour, _, c in sets if colour == to_rgba("black"))
    # Contour vertices lie on grid edges where the linear interpolant is 0. For x1 that is exact;
    # for s*, whose second derivative along any line is at most (40^2 + (sqrt(2)/0.05)^2) / 4 = 600
    # (|mu_k - mu_l| / var per class), the interpolation error is at most 600 h^2 / 8 on an edge of
    # length h (200 points over the range + 2 * 0.5).
    np.testing.assert_allclose(predictor.get_paths()[0].vertices[:, 0], 0.0, atol=1e-12)
    step = np.max(np.ptp(x, axis=0) + 1.0) / 199
    bayes_vertices = bayes.get_paths()[0].vertices
    assert len(bayes_vertices) > 100
    direct = np.log(mixture_density(bayes_vertices, POSITIVE_MEANS)
                    / mixture_density(bayes_vertices, NEGATIVE_MEANS))
    assert np.max(np.abs(direct)) <= 600 * step**2 / 8


def test_plot_legend_and_circles_count_the_errors(sample, linear_predictor):
    """The legend names Bayes optimal, the predictor and the circles; the title says
    'k misclassified' and k points are circled, the wrong ones."""
    x, y = sample
    wrong = np.where(x[:, 0] >= 0, 1, -1) != y  # the predictor's errors, counted by hand
    k = int(wrong.sum())
    assert k > 0
    ax = MODEL.plot_predictor(sample, linear_predictor)
    assert ({"Bayes optimal", "first coordinate", "misclassified training point"}
            <= set(legend_texts(ax)))
    assert f"hidden size = 7, {k} misclassified" in ax.get_title()
    (circles,) = hollow_scatter(ax)
    assert sorted(map(tuple, circles.get_offsets())) == sorted(map(tuple, x[wrong]))


def test_plot_title_carries_size_hidden_size_and_errors(sample, linear_predictor):
    """The title shows N = 200, the hidden size, the train error in percent (counted by hand) and
    the test error."""
    x, y = sample
    k = int(np.sum(np.where(x[:, 0] >= 0, 1, -1) != y))
    title = MODEL.plot_predictor(sample, linear_predictor, test_error=0.1234).get_title()
    assert title.splitlines()[0] == "first coordinate"
    for fact in ("N = 200", "hidden size = 7", f"train error {100 * k / 200:.2f}%",
                 "test error 12.34%"):
        assert fact in title


def test_plot_title_uses_given_train_error_and_title(sample, linear_predictor):
    """A given train_error replaces the counted one and a given title replaces the predictor's
    name."""
    title = MODEL.plot_predictor(sample, linear_predictor, train_error=0.5,
                                 title="Run 3").get_title()
    assert title.splitlines()[0] == "Run 3"
    assert "train error 50.00%" in title


def test_plot_into_given_axes_makes_no_new_figure(sample, linear_predictor):
    """With ax given, the plot is drawn there, that ax is returned and no figure is created."""
    fig, ax = plt.subplots()
    figures = plt.get_fignums()
    assert MODEL.plot_predictor(sample, linear_predictor, ax=ax) is ax
    assert plt.get_fignums() == figures
    assert ax.figure is fig


def test_plot_without_axes_makes_one_figure(sample):
    """Without ax, exactly one new figure holds the returned axes."""
    before = set(plt.get_fignums())
    ax = MODEL.plot_predictor(sample, MODEL)
    (new,) = set(plt.get_fignums()) - before
    assert ax.figure is plt.figure(new)


class RaisingScore(FlippedBayes):
    """A duck-typed predictor whose score raises."""

    def score(self, x):
        raise RuntimeError("the network is on another device")


@pytest.mark.parametrize(("predictor", "error"), [
    pytest.param(ScoreOutput(with_nan_at_three_points), ValueError, id="NaN scores"),
    pytest.param(ClassifyOutput(lambda labels: (labels + 1) // 2), ValueError, id="0/1 labels"),
    pytest.param(RaisingScore(), RuntimeError, id="score raises"),
])
def test_plot_that_fails_leaves_no_figure_open(sample, predictor, error):
    """A predictor that breaks the interface is called before the figure is made: the call raises
    and leaves no half-drawn figure behind (in a notebook it would be shown below the
    traceback)."""
    before = plt.get_fignums()
    with pytest.raises(error):
        MODEL.plot_predictor(sample, predictor)
    assert plt.get_fignums() == before


def marker_vertices(marker):
    """The path of a scatter marker, as matplotlib stores it in a PathCollection."""
    return MarkerStyle(marker).get_path().transformed(MarkerStyle(marker).get_transform()).vertices


def test_plot_draws_each_class_with_its_own_marker_and_colour(sample):
    """The filled scatters are label -1's points as blue circles and label +1's as red diamonds,
    matching the legend: each scatter holds exactly its class's points."""
    x, y = sample
    ax = MODEL.plot_predictor(sample, MODEL)
    filled = [c for c in ax.collections if not isinstance(c, ContourSet) and len(c.get_facecolor())]
    drawn = {to_rgba("tab:blue"): (-1, "o"), to_rgba("tab:red"): (1, "D")}
    assert sorted(tuple(c.get_facecolor()[0]) for c in filled) == sorted(drawn)
    for collection in filled:
        label, marker = drawn[tuple(collection.get_facecolor()[0])]
        np.testing.assert_array_equal(collection.get_offsets(), x[y == label])
        np.testing.assert_allclose(collection.get_paths()[0].vertices, marker_vertices(marker))
    legend = {handle.get_label(): (handle.get_marker(), to_rgba(handle.get_color()))
              for handle in ax.get_legend().legend_handles}
    assert legend["label \u22121"] == ("o", to_rgba("tab:blue"))
    assert legend["label +1"] == ("D", to_rgba("tab:red"))


def test_plot_without_predictor(sample):
    """predictor=None draws only the data and the Bayes boundary, with no error count or train
    error."""
    ax = MODEL.plot_predictor(sample)
    assert [(colour, dashed) for colour, dashed, _ in contour_sets(ax)] == [(to_rgba("red"), True)]
    assert hollow_scatter(ax) == []
    assert not any(text.startswith("misclassified") for text in legend_texts(ax))
    assert "misclassified" not in ax.get_title()
    assert "Bayes optimal" in legend_texts(ax)
    assert "N = 200" in ax.get_title()
    assert "train error" not in ax.get_title()


def test_plot_with_subclassed_predictor(sample):
    """A template Predictor subclass works too; its errors (always +1: the n/2 points labelled -1)
    are counted."""

    class AlwaysPlus(Predictor):
        def score(self, x):
            return np.ones(len(x))

    ax = MODEL.plot_predictor(sample, AlwaysPlus("always +1"))
    assert "100 misclassified" in ax.get_title()
    assert "train error 50.00%" in ax.get_title()


NOTEBOOK_RC = {"figure.dpi": 100, "figure.constrained_layout.use": True}


def drawn_extents(fig, artists):
    """The display-space bounding boxes of ``artists`` after a full draw of ``fig``."""
    fig.canvas.draw()
    renderer = fig.canvas.get_renderer()
    return [artist.get_window_extent(renderer) for artist in artists]


@pytest.mark.parametrize("stretch", [(1.0, 1.0), (1.0, 2.0), (3.0, 1.0)],
                         ids=["sample", "tall data", "wide data"])
def test_plot_legend_lies_outside_the_axes_and_inside_the_figure(sample, linear_predictor, stretch):
    """At the notebook's settings the legend sits below the axes (never over the data or the
    boundaries), with every entry readable (>= 10 pt) and nothing clipped: legend and title lie
    inside the figure, whatever the data's aspect (the equal-aspect axes then shrinks one way or the
    other)."""
    x, y = sample
    with plt.rc_context(NOTEBOOK_RC):
        ax = MODEL.plot_predictor((x * stretch, y), linear_predictor, test_error=0.05)
        fig = ax.figure
        axes_box, legend_box, title_box, xlabel_box = drawn_extents(
            fig, [ax, ax.get_legend(), ax.title, ax.xaxis.label])
    figure_box = fig.bbox
    assert not legend_box.overlaps(axes_box)
    assert legend_box.y1 <= xlabel_box.y0  # below the x label, not over it
    for box in (legend_box, title_box):
        assert figure_box.x0 <= box.x0 and box.x1 <= figure_box.x1 and figure_box.y0 <= box.y0
        assert box.y1 <= figure_box.y1
    assert min(text.get_fontsize() for text in ax.get_legend().get_texts()) >= 10
    assert ax.title.get_fontsize() >= 10


def test_plot_legend_names_labels_with_true_minus_sign(sample, linear_predictor):
    """The legend reads 'label \u22121' (U+2212, as the prose writes it) and 'label +1', then the
    boundaries."""
    texts = legend_texts(MODEL.plot_predictor(sample, linear_predictor))
    assert texts == ["label \u22121", "label +1", "Bayes optimal", "first coordinate",
                     "misclassified training point"]


@pytest.mark.parametrize("legend", [False, np.bool_(False)])
def test_plot_without_legend(sample, linear_predictor, legend):
    """legend=False draws no legend; the title still carries the count of circled points."""
    ax = MODEL.plot_predictor(sample, linear_predictor, legend=legend)
    assert ax.get_legend() is None
    assert "misclassified" in ax.get_title()
    assert len(hollow_scatter(ax)) == 1


@pytest.mark.parametrize(("name", "expected"), [
    (None, ["label \u22121", "label +1", "Bayes optimal"]),
    ("net", ["label \u22121", "label +1", "Bayes optimal", "net", "misclassified training point"]),
])
def test_boundary_legend_handles(name, expected):
    """The shared legend's entries: the data and Bayes boundary, plus the named predictor and its
    circles."""
    handles = boundary_legend_handles(name)
    assert [h.get_label() for h in handles] == expected
    assert (handles[0].get_marker(), handles[1].get_marker(),
            handles[2].get_linestyle()) == ("o", "D", "--")


@pytest.mark.parametrize("name", [5, ["net"], b"net"])
def test_boundary_legend_handles_rejects_non_string_name(name):
    """predictor_name must be a str or None."""
    with pytest.raises(TypeError, match=r"^predictor_name must"):
        boundary_legend_handles(name)


def test_grid_of_plots_with_one_shared_legend(sample, linear_predictor):
    """Three panels drawn with legend=False and one fig.legend of boundary_legend_handles: the
    legend covers no panel, lies inside the figure, and each panel keeps its own count of
    misclassified points in its title."""
    with plt.rc_context(NOTEBOOK_RC):
        fig, axes = plt.subplots(1, 3, figsize=(12.6, 5.0))
        for ax, predictor in zip(axes, (linear_predictor, MODEL, FlippedBayes()), strict=True):
            MODEL.plot_predictor(sample, predictor, ax=ax, legend=False)
        legend = fig.legend(handles=boundary_legend_handles("predictor"),
                            loc="outside lower center", ncol=5, fontsize=10)
        legend_box, *axes_boxes = drawn_extents(fig, [legend, *axes])
    assert not any(legend_box.overlaps(box) for box in axes_boxes)
    assert fig.bbox.y0 <= legend_box.y0
    bayes_wrong = round(G2Model.error_rate(MODEL, sample) * 200)
    assert f"{bayes_wrong} misclassified" in axes[1].get_title()
    assert f"{200 - bayes_wrong} misclassified" in axes[2].get_title()


# --------------------------------------------------------------------------------------------------
# score_class, true_error_rate and bayes_error


SIGMA = math.sqrt(VARIANCE)


def normal_cdf(z):
    """The standard normal distribution function, Phi(z)."""
    return 0.5 * math.erfc(-z / math.sqrt(2))


def half_plane_error(w, c):
    """True error of the rule 'label +1 where w.x >= c', in closed form: each Gaussian component
    puts mass Phi((w.mu - c) / (sigma |w|)) on the +1 side."""
    w = np.asarray(w, dtype=float)
    spread = SIGMA * np.linalg.norm(w)
    wrong_negative = np.mean([normal_cdf((w @ mu - c) / spread) for mu in NEGATIVE_MEANS])
    wrong_positive = np.mean([normal_cdf((c - w @ mu) / spread) for mu in POSITIVE_MEANS])
    return (wrong_negative + wrong_positive) / 2


def square_mass(means, half_width):
    """The mass an equal mixture of N(mu_k, VARIANCE I) puts on [-half_width, half_width]^2, in
    closed form."""
    return np.mean([math.prod(normal_cdf((half_width - m) / SIGMA)
                              - normal_cdf((-half_width - m) / SIGMA) for m in mu)
                    for mu in means])


class HalfPlane(Predictor):
    """The rule 'label +1 where w.x >= c' as a template Predictor (score w.x - c)."""

    def __init__(self, w, c):
        super().__init__("half-plane")
        self.w, self.c = np.asarray(w, dtype=float), c

    def score(self, x):
        return np.asarray(x) @ self.w - self.c


class Constant(Predictor):
    """The same label everywhere."""

    def __init__(self, label):
        super().__init__(f"always {label:+d}")
        self.label = label

    def score(self, x):
        return np.full(len(x), float(self.label))


@pytest.mark.parametrize(("labels", "means"), [((-1, 0), NEGATIVE_MEANS), ((1,), POSITIVE_MEANS)])
def test_score_class_is_the_log_of_prior_times_density(labels, means):
    """score_class(c, x) is log(1/2 p(x|c)) with p this file's own mixture formula, shape [N], for
    the label and for the first lab's class index alike; the two differ by the score."""
    expected = np.log(0.5 * mixture_density(GRID_POINTS, means))
    for c in labels:
        scores = MODEL.score_class(c, GRID_POINTS)
        assert scores.shape == (len(GRID_POINTS),)
        np.testing.assert_allclose(scores, expected, rtol=1e-13, atol=1e-13)
    difference = MODEL.score_class(1, GRID_POINTS) - MODEL.score_class(-1, GRID_POINTS)
    np.testing.assert_allclose(difference, MODEL.score(GRID_POINTS), rtol=1e-12, atol=1e-12)


def test_score_class_far_away_is_minus_infinity_not_nan():
    """Where the density underflows (and beyond, where |x - mu|^2 overflows) the log-density is a
    large negative number or -inf, never NaN."""
    with np.errstate(over="ignore"):
        scores = MODEL.score_class(1, [[1e3, 0.0], [1e200, -1e200]])
    assert scores[0] == pytest.approx(-(999**2) / 0.1 + math.log(0.5 / 3 / (2 * math.pi * 0.05)))
    assert scores[1] == -math.inf


@pytest.mark.parametrize(("c", "error"), [(2, ValueError), (-2, ValueError), (1.0, TypeError),
                                          ("1", TypeError), (True, TypeError), (None, TypeError)])
def test_score_class_rejects_other_classes(c, error):
    """c must be a label -1 or +1 or a class index 0 or 1."""
    with pytest.raises(error, match=r"^c must be a label -1 or \+1 \(or a class index 0 or 1\)"):
        MODEL.score_class(c, GRID_POINTS)


def test_bayes_error_matches_monte_carlo(large_bayes_count):
    """The quadrature's Bayes error agrees with the Bayes classifier's error counted on 400_000
    fresh points, within 4 binomial standard errors (sqrt(R (1 - R) / n) ~ 2e-4; sampling n/2 per
    class only lowers it)."""
    counted, n = large_bayes_count
    bayes_error = MODEL.bayes_error()
    assert isinstance(bayes_error, float)
    assert abs(counted - bayes_error) < 4 * math.sqrt(bayes_error * (1 - bayes_error) / n)


def test_bayes_error_is_the_integral_of_the_smaller_density():
    """With the Bayes classifier the integrand is min(p(x|-1), p(x|+1)) / 2: the same midpoint sum,
    computed from this file's densities on the 600 x 600 cell centres of the default grid, agrees to
    round-off."""
    step = 6.0 / 600
    centres = -3.0 + step * (np.arange(600) + 0.5)
    points = np.column_stack([g.ravel() for g in np.meshgrid(centres, centres)])
    smaller = np.minimum(mixture_density(points, NEGATIVE_MEANS),
                         mixture_density(points, POSITIVE_MEANS))
    assert MODEL.bayes_error() == pytest.approx(np.sum(smaller) * step**2 / 2, rel=1e-12)


def test_bayes_error_converges_with_the_grid():
    """Halving the cells (1201 points) moves the Bayes error by under 1e-5, far below a test set's
    1e-3 error bars."""
    assert abs(MODEL.bayes_error(points=1201) - MODEL.bayes_error()) < 1e-5


@pytest.mark.parametrize(("w", "c"), [
    pytest.param((1.0, 0.0), 0.0, id="x1 >= 0, on grid lines"),
    pytest.param((0.7, -1.0), 0.2345, id="oblique line across cells"),
])
def test_true_error_of_half_plane_rule_matches_closed_form_and_monte_carlo(large_sample, w, c):
    """A linear rule's true error from the quadrature agrees with its closed form (to 2e-4: cells
    cut by the line count wholly on their centre's side; on grid lines it is exact up to 1e-8) and
    with its error counted on 60_000 sampled points (4 binomial standard errors, ~7e-3)."""
    predictor = HalfPlane(w, c)
    true_error = MODEL.true_error_rate(predictor)
    on_grid_lines = c == 0.0 and 0.0 in w
    assert true_error == pytest.approx(half_plane_error(w, c), abs=1e-8 if on_grid_lines else 2e-4)
    counted = G2Model.error_rate(predictor, large_sample)
    assert abs(counted - true_error) < 4 * math.sqrt(true_error * (1 - true_error)
                                                     / len(large_sample[1]))


def test_true_error_of_constant_predictors_is_the_other_class_mass():
    """Always +1 errs on all of class -1: half its mass on the square [-3, 3]^2 (closed form), 1/2
    up to 1e-15; always -1 likewise on class +1."""
    for label, other_means in ((1, NEGATIVE_MEANS), (-1, POSITIVE_MEANS)):
        expected = square_mass(other_means, 3.0) / 2
        assert MODEL.true_error_rate(Constant(label)) == pytest.approx(expected, abs=1e-9)
    assert MODEL.true_error_rate(Constant(1)) == pytest.approx(0.5, abs=1e-9)


def test_class_error_rates_split_the_true_error_by_class(large_sample):
    """Always +1 errs on every point of class -1 and none of class +1 (R- = 1, R+ = 0); a linear
    rule's two rates average to its true error, and each matches its count on the sample's points
    of that class (4 binomial standard errors)."""
    assert MODEL.class_error_rates(Constant(1)) == pytest.approx((1.0, 0.0), abs=1e-9)
    assert MODEL.class_error_rates(Constant(-1)) == pytest.approx((0.0, 1.0), abs=1e-9)
    predictor = HalfPlane((0.7, -1.0), 0.2345)
    negative, positive = MODEL.class_error_rates(predictor)
    assert (negative + positive) / 2 == MODEL.true_error_rate(predictor)
    x, y = large_sample
    for label, rate in ((-1, negative), (1, positive)):
        counted = G2Model.error_rate(predictor, (x[y == label], y[y == label]))
        assert abs(counted - rate) < 4 * math.sqrt(rate * (1 - rate) / np.sum(y == label))
    assert negative != pytest.approx(positive, abs=0.01), "the rule errs unequally on the classes"


def test_default_grid_holds_all_but_negligible_mass():
    """The default square misses a mass below 1e-15 in closed form (the nearest means are
    2 / sigma = 8.94 standard deviations inside, and each class loses about Phi(-8.94) = 1.9e-19
    there, as the docstring says); the quadrature of both densities over it, via the two constant
    predictors, is 1 to within 1e-9."""
    nearest = min(3.0 - abs(m) for mean in (*NEGATIVE_MEANS, *POSITIVE_MEANS) for m in mean)
    assert nearest / SIGMA == pytest.approx(8.94, abs=0.005)
    assert normal_cdf(-nearest / SIGMA) == pytest.approx(1.9e-19, rel=0.02)
    outside = 1 - (square_mass(NEGATIVE_MEANS, 3.0) + square_mass(POSITIVE_MEANS, 3.0)) / 2
    assert outside < 1e-15
    covered = MODEL.true_error_rate(Constant(1)) + MODEL.true_error_rate(Constant(-1))
    assert covered == pytest.approx(1.0, abs=1e-9)


def test_true_error_rate_calls_predictor_in_bounded_chunks(monkeypatch):
    """A wide network sees at most INTEGRATION_CHUNK points per call, even where that is less than
    a row of the grid (points=20001 used to call it with rows of 20 000), and the chunking does not
    change the result beyond round-off (checked with chunks of 257 points, less than a row of
    600)."""
    sizes = []

    class Recording(HalfPlane):
        def score(self, x):
            sizes.append(len(x))
            return super().score(x)

    default = MODEL.true_error_rate(Recording((1.0, 0.5), 0.1))
    assert sum(sizes) == 600 * 600
    assert max(sizes) <= g2model.INTEGRATION_CHUNK
    monkeypatch.setattr(g2model, "INTEGRATION_CHUNK", 257)
    sizes.clear()
    assert MODEL.true_error_rate(Recording((1.0, 0.5), 0.1)) == pytest.approx(default, rel=1e-12)
    assert sum(sizes) == 600 * 600 and max(sizes) == 257


QUADRATURE_CALLS = [
    pytest.param(lambda **kwargs: MODEL.true_error_rate(Constant(1), **kwargs),
                 id="true_error_rate"),
    pytest.param(lambda **kwargs: MODEL.bayes_error(**kwargs), id="bayes_error"),
]


@pytest.mark.parametrize("points", [3, 269])
@pytest.mark.parametrize("call", QUADRATURE_CALLS)
def test_quadrature_refuses_cells_wider_than_a_tenth_of_a_sigma(call, points):
    """Cells wider than 0.1 sigma = 0.02236 do not resolve the Gaussians (3 points gave 1.3e-10 for
    always +1): refused, naming points and the fewest that do."""
    with pytest.raises(ValueError, match=r"^points must be an int >= 270 \(grid cells at most 0\.1 "
                                         rf"standard deviations wide\); got {points}$"):
        call(points=points)


@pytest.mark.parametrize("call", QUADRATURE_CALLS)
def test_quadrature_accepts_the_coarsest_grid_allowed(call):
    """270 points (cells of 0.0223 < 0.02236) are accepted and give the default grid's answer to
    within 3e-5."""
    assert call(points=270) == pytest.approx(call(), abs=3e-5)


@pytest.mark.parametrize(("value", "error"), [
    (1, ValueError), (0, ValueError), (-601, ValueError), (601.0, TypeError), ("601", TypeError),
    (True, TypeError), (None, TypeError),
])
@pytest.mark.parametrize("call", [
    pytest.param(lambda **kwargs: MODEL.true_error_rate(MODEL, **kwargs), id="true_error_rate"),
    pytest.param(lambda **kwargs: MODEL.bayes_error(**kwargs), id="bayes_error"),
])
def test_quadrature_rejects_bad_grid(call, value, error):
    """points must be an int >= 270."""
    with pytest.raises(error, match=r"^points must"):
        call(points=value)


@pytest.mark.parametrize("predictor", [G2Model, object(), None, "Bayes"])
def test_true_error_rate_rejects_non_predictor(predictor):
    """The predictor must be an object with score and classify."""
    with pytest.raises(TypeError, match=r"^predictor must"):
        MODEL.true_error_rate(predictor)


# --------------------------------------------------------------------------------------------------
# Validation: every bad input raises a ValueError or TypeError whose message names the argument


@pytest.mark.parametrize(("n", "error"), [
    (3, ValueError), (0, ValueError), (-2, ValueError), (3.5, TypeError), (True, TypeError),
    ("10", TypeError), (None, TypeError), (10.0, TypeError),
])
def test_generate_sample_rejects_bad_size(n, error):
    """n must be a positive even int."""
    with pytest.raises(error, match=r"^n must"):
        MODEL.generate_sample(n, 0)


@pytest.mark.parametrize("rng", ["0", 1.5, -1, True, np.random.RandomState(0), [1, 2]])
def test_generate_sample_rejects_bad_rng(rng):
    """rng must be None, a non-negative int or a numpy Generator."""
    with pytest.raises((TypeError, ValueError), match=r"^rng"):
        MODEL.generate_sample(10, rng)


BAD_POINTS = [
    pytest.param([1.0, 2.0], id="1-D"),
    pytest.param(np.zeros((4, 3)), id="[N, 3]"),
    pytest.param(np.zeros((2, 2, 2)), id="3-D"),
    pytest.param([[0.0, np.nan]], id="nan"),
    pytest.param([[np.inf, 0.0]], id="inf"),
    pytest.param(torch.tensor([[0.0, -float("inf")]]), id="tensor -inf"),
    pytest.param("0 0", id="string"),
    pytest.param([["a", "b"]], id="strings"),
    pytest.param(None, id="None"),
]


@pytest.mark.parametrize("x", BAD_POINTS)
@pytest.mark.parametrize("call", [
    pytest.param(MODEL.score, id="score"), pytest.param(MODEL.classify, id="classify"),
    pytest.param(lambda x: MODEL.score_class(-1, x), id="score_class"),
])
def test_score_and_classify_reject_bad_x(call, x):
    """x must be a finite array [N, 2]."""
    with pytest.raises((TypeError, ValueError), match=r"^x must"):
        call(x)


@pytest.mark.parametrize("x", BAD_POINTS)
@pytest.mark.parametrize("call", [
    pytest.param(lambda data: G2Model.error_rate(MODEL, data), id="error_rate"),
    pytest.param(lambda data: MODEL.plot_predictor(data), id="plot_predictor"),
])
def test_data_with_bad_x_is_rejected(call, x):
    """The x of data must be a finite array [N, 2]."""
    with pytest.raises((TypeError, ValueError), match=r"^data x must"):
        call((x, [1]))


@pytest.mark.parametrize("data", [
    pytest.param(np.zeros((2, 2)), id="array"),
    pytest.param((np.zeros((2, 2)),), id="1-tuple"),
    pytest.param((np.zeros((2, 2)), [1, -1], [1, -1]), id="3-tuple"),
    pytest.param(None, id="None"),
    pytest.param({"x": np.zeros((2, 2)), "y": [1, -1]}, id="dict"),
])
@pytest.mark.parametrize("call", [
    pytest.param(lambda data: G2Model.error_rate(MODEL, data), id="error_rate"),
    pytest.param(lambda data: MODEL.plot_predictor(data), id="plot_predictor"),
])
def test_data_not_a_pair_is_rejected(call, data):
    """data must be a pair (x, y)."""
    with pytest.raises((TypeError, ValueError), match=r"^data must"):
        call(data)


@pytest.mark.parametrize("y", [
    pytest.param([0, 1, 1, 0], id="0/1 labels"),
    pytest.param([-1, 1, 2, 1], id="label 2"),
    pytest.param([-1, 1, np.nan, 1], id="nan"),
    pytest.param([-1, 1, 1], id="too short"),
    pytest.param([-1, 1, 1, -1, 1], id="too long"),
    pytest.param([[-1, 1, 1, -1]], id="row"),
    pytest.param([True, True, False, True], id="bool"),
    pytest.param(None, id="None"),
    pytest.param(["-1", "1", "1", "-1"], id="strings"),
])
@pytest.mark.parametrize("call", [
    pytest.param(lambda data: G2Model.error_rate(MODEL, data), id="error_rate"),
    pytest.param(lambda data: MODEL.plot_predictor(data), id="plot_predictor"),
])
def test_bad_labels_are_rejected(call, y):
    """The labels of data must be [N] values in {-1, +1}."""
    with pytest.raises((TypeError, ValueError), match=r"^data y must"):
        call((np.zeros((4, 2)), y))


class OnlyScore:
    def score(self, x):
        return np.zeros(len(x))


class ClassifyNotCallable(OnlyScore):
    classify = "sign"


@pytest.mark.parametrize("predictor", [object(), OnlyScore(), ClassifyNotCallable(), "Bayes",
                                       np.zeros(3)])
@pytest.mark.parametrize("call", [
    pytest.param(lambda p, data: G2Model.error_rate(p, data), id="error_rate"),
    pytest.param(lambda p, data: MODEL.plot_predictor(data, p), id="plot_predictor"),
])
def test_predictor_without_interface_is_rejected(sample, call, predictor):
    """The predictor must have callable score and classify methods."""
    with pytest.raises(TypeError, match=r"^predictor must"):
        call(predictor, sample)


@pytest.mark.parametrize(("value", "error"), [
    (-0.1, ValueError), (1.5, ValueError), (float("nan"), ValueError), ("0.1", TypeError),
    (True, TypeError), ([0.1], TypeError), (torch.tensor(0.1), TypeError),
])
@pytest.mark.parametrize("name", ["train_error", "test_error"])
def test_plot_rejects_error_rates_by_kind(sample, name, value, error):
    """A rate of the wrong type is a TypeError, one out of [0, 1] (or NaN) a ValueError, each naming
    the argument."""
    with pytest.raises(error, match=rf"^{name} must be a real number in \[0, 1\]"):
        MODEL.plot_predictor(sample, MODEL, **{name: value})


@pytest.mark.parametrize(("ax", "given"), [
    (lambda: plt.figure(), "Figure"), (lambda: "left", "str"),
    (lambda: plt.subplots(1, 2)[1], "ndarray"),
])
def test_plot_rejects_non_axes_ax(sample, ax, given):
    """ax must be a matplotlib Axes: a Figure, say, is named in a TypeError, not a failure inside
    scatter."""
    with pytest.raises(TypeError, match=rf"^ax must be a matplotlib Axes .* got {given} "):
        MODEL.plot_predictor(sample, MODEL, ax=ax())


@pytest.mark.parametrize("title", [5, ["Run 3"], b"Run 3"])
def test_plot_rejects_non_string_title(sample, title):
    """title must be a str or None."""
    with pytest.raises(TypeError, match=r"^title must be a str or None"):
        MODEL.plot_predictor(sample, title=title)


@pytest.mark.parametrize("legend", ["yes", None, 1, 0.0])
def test_plot_rejects_non_bool_legend(sample, legend):
    """legend must be True or False."""
    with pytest.raises(TypeError, match=r"^legend must be True or False"):
        MODEL.plot_predictor(sample, legend=legend)


@pytest.mark.parametrize("predictor", [G2Model, TorchPredictor, Predictor, FlippedBayes])
@pytest.mark.parametrize("call", BOTH_CALLS)
def test_predictor_class_instead_of_object_is_rejected(sample, call, predictor):
    """A class has score and classify attributes too, but unbound: a TypeError saying to create an
    object."""
    with pytest.raises(TypeError, match=r"^predictor must be an object with callable score\(\) "
                                        r"and classify\(\) methods; got the class "
                                        rf"{predictor.__name__}: create one first$"):
        call(predictor, sample)


def test_plot_called_on_the_class_is_rejected(sample):
    """G2Model.plot_predictor(data, predictor) (as if static, like error_rate) says to call it on a
    G2Model."""
    with pytest.raises(TypeError, match=r"^plot_predictor must be called on a G2Model object"):
        G2Model.plot_predictor(sample, MODEL)
