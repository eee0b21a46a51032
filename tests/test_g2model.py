"""Unit tests of g2model: sampling, the Bayes-optimal score and classifier, error rates, plotting and validation."""

import math

import matplotlib.pyplot as plt
import numpy as np
import pytest
import torch
from matplotlib.colors import to_rgba
from matplotlib.contour import ContourSet

from g2model import G2Model
from template_utils import Predictor, TorchPredictor

# The ground-truth facts, written out from shared/assignment/ground_truth_model.md.
NEGATIVE_MEANS = np.array([(-1.0, -1.0), (-1.0, 0.0), (0.0, 0.0)])
POSITIVE_MEANS = np.array([(0.0, 1.0), (0.0, -1.0), (1.0, 0.0)])
VARIANCE = 0.05  # covariance I / 20

MODEL = G2Model()


def mixture_density(points, means):
    """p(x | class): the equal-weight mixture of N(mu_k, VARIANCE * I), evaluated directly (no log-sum-exp)."""
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


class BadOutputPredictor:
    """A predictor whose classify breaks the interface: a column [N, 1], or labels 0/1 instead of -1/+1."""

    def __init__(self, kind):
        self.kind = kind

    def score(self, x):
        return MODEL.score(x)

    def classify(self, x):
        labels = MODEL.classify(x)
        return labels[:, None] if self.kind == "column [N, 1]" else (labels + 1) // 2


@pytest.fixture(scope="module")
def sample():
    """A training-size sample, N = 200."""
    return MODEL.generate_sample(200, 0)


@pytest.fixture(scope="module")
def large_sample():
    """60_000 points, 30_000 per class, for the distribution tests."""
    return MODEL.generate_sample(60_000, 2024)


@pytest.fixture
def linear_predictor():
    """A predictor whose boundary is the line x1 = 0, so its errors can be counted by hand."""
    return TorchPredictor(lambda p: p[:, 0], device="cpu", dtype=torch.float64, name="first coordinate",
                          hidden_size=7)


# ---------------------------------------------------------------------------------------------------------------------
# The model's parameters and generate_sample


def test_parameters_match_ground_truth_facts():
    """The component means and the shared covariance are those of the ground-truth model."""
    np.testing.assert_array_equal(MODEL.negative_means, NEGATIVE_MEANS)
    np.testing.assert_array_equal(MODEL.positive_means, POSITIVE_MEANS)
    np.testing.assert_array_equal(MODEL.covariance, np.eye(2) / 20)


@pytest.mark.parametrize("n", [2, 10, 1000])
def test_generate_sample_shapes_dtypes_and_balance(n):
    """x is float64 [n, 2], y int64 [n] with exactly n/2 labels -1 and n/2 labels +1."""
    x, y = MODEL.generate_sample(n, 1)
    assert (x.shape, x.dtype, y.shape, y.dtype) == ((n, 2), np.float64, (n,), np.int64)
    assert np.sum(y == -1) == np.sum(y == 1) == n // 2


def test_generate_sample_is_shuffled():
    """The labels are interleaved, not all -1 first (sorted order has probability 1 / C(1000, 500))."""
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


def test_generate_sample_without_rng_uses_fresh_entropy():
    """rng=None gives a different sample each call."""
    assert not np.array_equal(MODEL.generate_sample(20)[0], MODEL.generate_sample(20)[0])


# Hand-derived with the mixture formulas: mean = average of the 3 component means; covariance = VARIANCE * I + the
# covariance (divided by 3) of the component means around that average.
# Label -1: mean (-2/3, -1/3); deviations (-1/3, -2/3), (-1/3, 1/3), (2/3, 1/3) -> [[2/9, 1/9], [1/9, 2/9]].
# Label +1: mean (1/3, 0); deviations (-1/3, 1), (-1/3, -1), (2/3, 0) -> [[2/9, 0], [0, 2/3]].
@pytest.mark.parametrize(("label", "mean", "spread_of_means"), [
    (-1, (-2 / 3, -1 / 3), [[2 / 9, 1 / 9], [1 / 9, 2 / 9]]),
    (+1, (1 / 3, 0.0), [[2 / 9, 0.0], [0.0, 2 / 3]]),
])
def test_class_mean_and_covariance_match_mixture(large_sample, label, mean, spread_of_means):
    """Each class's sample mean and covariance match those of an equal mixture of its 3 Gaussians with var 0.05."""
    x, y = large_sample
    points = x[y == label]
    m = len(points)
    covariance = VARIANCE * np.eye(2) + np.array(spread_of_means)
    # Tolerances: 5 standard errors of the m = 30_000 i.i.d. draws of the mixture. A mean's standard error is
    # sqrt(Sigma_ii / m); a covariance entry's is the standard deviation of the products (x_i - mean_i)(x_j - mean_j)
    # over sqrt(m). A 5-SE miss has probability below 1e-6; a wrong variance (0.2236) or a missing component misses by
    # more than 30 SEs.
    np.testing.assert_array_less(np.abs(points.mean(axis=0) - mean), 5 * np.sqrt(np.diag(covariance) / m))
    centred = points - points.mean(axis=0)
    products = centred[:, :, None] * centred[:, None, :]
    np.testing.assert_array_less(np.abs(products.mean(axis=0) - covariance), 5 * products.std(axis=0) / np.sqrt(m))


# ---------------------------------------------------------------------------------------------------------------------
# score and classify


def test_score_matches_direct_density_ratio():
    """At moderate x the score equals log p(x|+1) - log p(x|-1) computed from the densities themselves."""
    grid = np.linspace(-2.0, 2.0, 41)
    points = np.column_stack([g.ravel() for g in np.meshgrid(grid, grid)])
    direct = np.log(mixture_density(points, POSITIVE_MEANS)) - np.log(mixture_density(points, NEGATIVE_MEANS))
    score = MODEL.score(points)
    assert score.shape == (len(points),)
    np.testing.assert_allclose(score, direct, rtol=1e-9, atol=1e-9)


# Far away each log-sum-exp is its largest term (2 x.mu_k - |mu_k|^2) / (2 VARIANCE); the others are e^-70 or less
# relative to it. There the densities themselves underflow to 0 and the direct formula gives -inf - -inf = nan.
@pytest.mark.parametrize(("point", "expected"), [
    ((1e6, 0.0), (2e6 - 1) / 0.1 - 0.0),  # +1 term: mu = (1, 0); -1 term: mu = (0, 0)
    ((-1e8, 3.0), (6 - 1) / 0.1 - (2e8 - 1) / 0.1),  # +1 term: mu = (0, 1); -1 term: mu = (-1, 0)
    ((0.0, 1e8), (2e8 - 1) / 0.1 - 0.0),  # +1 term: mu = (0, 1); -1 term: mu = (0, 0)
    ((-1e6, -1e6), (2e6 - 1) / 0.1 - (4e6 - 2) / 0.1),  # +1 term: mu = (0, -1); -1 term: mu = (-1, -1)
])
def test_score_far_away_is_finite_and_exact(point, expected):
    """Far from the data the score stays finite and equals the difference of the dominant component terms."""
    score = MODEL.score([point])
    assert np.isfinite(score).all()
    np.testing.assert_allclose(score, [expected], rtol=1e-12)


def test_score_is_not_nan_for_huge_finite_x():
    """At x = (1e307, 0) the log-odds is about +2e308 (overflowing to +inf is fine), and the label is +1."""
    with np.errstate(all="ignore"):
        score, label = MODEL.score([[1e307, 0.0]]), MODEL.classify([[1e307, 0.0]])
    assert not np.isnan(score).any()
    assert label.tolist() == [1]


def test_classify_is_sign_of_score(sample):
    """classify gives labels in {-1, +1} equal to the sign of the score (no score is exactly 0 here)."""
    x, _ = sample
    labels = MODEL.classify(x)
    assert set(labels.tolist()) == {-1, 1}
    np.testing.assert_array_equal(labels, np.sign(MODEL.score(x)))


def test_classify_score_zero_gives_plus_one():
    """A score of exactly 0 is classified +1 (classify goes through self.score, so a subclass sets it)."""

    class ZeroScore(G2Model):
        def score(self, x):
            return np.zeros(len(x))

    assert ZeroScore().classify(np.zeros((3, 2))).tolist() == [1, 1, 1]


# Points on a 1/8 grid in [-2, 2] are exact in every float dtype (bfloat16 keeps 8 significant bits), so the scores
# must agree exactly whatever container or dtype carries them.
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
    """score and classify accept numpy arrays, nested lists and torch tensors of any float dtype, returning numpy."""
    expected = getattr(MODEL, method)(GRID_POINTS)
    result = getattr(MODEL, method)(convert(GRID_POINTS))
    assert isinstance(result, np.ndarray)
    np.testing.assert_array_equal(result, expected)


@pytest.mark.parametrize("dtype", [torch.float32, torch.bfloat16, torch.float16])
def test_low_precision_tensor_scores_its_rounded_points(dtype):
    """A low-precision tensor is scored at its own (rounded) values, promoted to float64 without further loss."""
    points = np.random.default_rng(0).uniform(-2, 2, size=(50, 2))
    tensor = torch.tensor(points, dtype=dtype)
    rounded = np.array(tensor.double().tolist())
    assert MODEL.score(tensor).dtype == np.float64
    np.testing.assert_array_equal(MODEL.score(tensor), MODEL.score(rounded))


# ---------------------------------------------------------------------------------------------------------------------
# error_rate


def test_bayes_error_rate_matches_grid_integration():
    """The Bayes classifier's counted error on 200_000 points agrees with the integral of min(p(x|-1), p(x|+1)) / 2.

    The integral is a midpoint sum over a 500 x 500 grid on [-2.5, 2.5]^2 (each Gaussian lies 6.7 standard deviations
    inside it): it uses the densities only, no sampling and no classify. Halving the step moves it by under 1e-5.
    The counted rate is a mean of 200_000 indicators with probability R ~ 0.0168, whose standard error is at most
    the binomial sqrt(R (1 - R) / n) ~ 2.9e-4 (sampling n/2 per class only lowers it); the test allows 5 of them.
    """
    step = 0.01
    grid = np.arange(-2.5 + step / 2, 2.5, step)
    points = np.column_stack([g.ravel() for g in np.meshgrid(grid, grid)])
    negative, positive = mixture_density(points, NEGATIVE_MEANS), mixture_density(points, POSITIVE_MEANS)
    assert np.sum(negative + positive) / 2 * step**2 == pytest.approx(1.0, abs=1e-6)  # the grid holds all the mass
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
    pytest.param(lambda x, y: (torch.tensor(x, dtype=torch.float64), torch.tensor(y)), id="tensors"),
    pytest.param(lambda x, y: (x, y.astype(np.float64)), id="float labels"),
])
def test_error_rate_accepts_other_containers(sample, convert):
    """data may be a list pair, a pair of tensors or carry float labels, with the same error rate as numpy."""
    x, y = sample
    assert G2Model.error_rate(MODEL, convert(x, y)) == G2Model.error_rate(MODEL, (x, y))


@pytest.mark.parametrize("kind", ["column [N, 1]", "labels 0/1"])
@pytest.mark.parametrize("call", [
    pytest.param(lambda p, data: G2Model.error_rate(p, data), id="error_rate"),
    pytest.param(lambda p, data: MODEL.plot_predictor(data, p), id="plot_predictor"),
])
def test_classify_output_breaking_interface_is_rejected(sample, kind, call):
    """A classify output that is not [N] labels in {-1, +1} raises a ValueError naming classify, not a wrong rate."""
    with pytest.raises(ValueError, match="classify"):
        call(BadOutputPredictor(kind), sample)


@pytest.mark.parametrize("call", [
    pytest.param(lambda data: G2Model.error_rate(MODEL, data), id="error_rate"),
    pytest.param(lambda data: MODEL.plot_predictor(data), id="plot_predictor"),
])
@pytest.mark.filterwarnings("ignore::RuntimeWarning")
def test_empty_data_is_rejected(call):
    """An error rate or a plot of zero points is undefined: a ValueError naming data."""
    with pytest.raises(ValueError, match="data"):
        call((np.zeros((0, 2)), np.zeros(0, dtype=np.int64)))


# ---------------------------------------------------------------------------------------------------------------------
# plot_predictor


def contour_sets(ax):
    """The ContourSets drawn in ax, as (RGBA colour, dashed?, ContourSet) triples."""
    return [(tuple(c.get_edgecolor()[0]), c.get_linestyle()[0][1] is not None, c)
            for c in ax.collections if isinstance(c, ContourSet)]


def hollow_scatter(ax):
    """The scatter collections without face colour: the circles around misclassified points."""
    return [c for c in ax.collections if not isinstance(c, ContourSet) and len(c.get_facecolor()) == 0]


def legend_texts(ax):
    """The legend's entries."""
    return [t.get_text() for t in ax.get_legend().get_texts()]


def test_plot_draws_red_dashed_bayes_and_black_solid_predictor_boundaries(sample, linear_predictor):
    """One red dashed contour on s*(x) = 0 and one black solid contour on the predictor's score(x) = x1 = 0."""
    x, _ = sample
    ax = MODEL.plot_predictor(sample, linear_predictor)
    sets = contour_sets(ax)
    assert sorted((colour, dashed) for colour, dashed, _ in sets) == [(to_rgba("black"), False),
                                                                       (to_rgba("red"), True)]
    bayes = next(c for colour, _, c in sets if colour == to_rgba("red"))
    predictor = next(c for colour, _, c in sets if colour == to_rgba("black"))
    # Contour vertices lie on grid edges where the linear interpolant is 0. For x1 that is exact; for s*, whose second
    # derivative along any line is at most (40^2 + (sqrt(2)/0.05)^2) / 4 = 600 (|mu_k - mu_l| / var per class),
    # the interpolation error is at most 600 h^2 / 8 on an edge of length h (200 points over the range + 2 * 0.5).
    np.testing.assert_allclose(predictor.get_paths()[0].vertices[:, 0], 0.0, atol=1e-12)
    step = np.max(np.ptp(x, axis=0) + 1.0) / 199
    bayes_vertices = bayes.get_paths()[0].vertices
    assert len(bayes_vertices) > 100
    direct = np.log(mixture_density(bayes_vertices, POSITIVE_MEANS) / mixture_density(bayes_vertices, NEGATIVE_MEANS))
    assert np.max(np.abs(direct)) <= 600 * step**2 / 8


def test_plot_legend_and_circles_count_the_errors(sample, linear_predictor):
    """The legend names Bayes optimal, the predictor and 'misclassified (k)'; k points are circled, the wrong ones."""
    x, y = sample
    wrong = np.where(x[:, 0] >= 0, 1, -1) != y  # the predictor's errors, counted by hand
    k = int(wrong.sum())
    assert k > 0
    ax = MODEL.plot_predictor(sample, linear_predictor)
    assert {"Bayes optimal", "first coordinate", f"misclassified ({k})"} <= set(legend_texts(ax))
    (circles,) = hollow_scatter(ax)
    assert sorted(map(tuple, circles.get_offsets())) == sorted(map(tuple, x[wrong]))


def test_plot_title_carries_size_hidden_size_and_errors(sample, linear_predictor):
    """The title shows N = 200, the hidden size, the train error in percent (counted by hand) and the test error."""
    x, y = sample
    k = int(np.sum(np.where(x[:, 0] >= 0, 1, -1) != y))
    title = MODEL.plot_predictor(sample, linear_predictor, test_error=0.1234).get_title()
    assert title.splitlines()[0] == "first coordinate"
    for fact in ("N = 200", "hidden size = 7", f"train error {100 * k / 200:.2f}%", "test error 12.34%"):
        assert fact in title


def test_plot_title_uses_given_train_error_and_title(sample, linear_predictor):
    """A given train_error replaces the counted one and a given title replaces the predictor's name."""
    title = MODEL.plot_predictor(sample, linear_predictor, train_error=0.5, title="Run 3").get_title()
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


def test_plot_without_predictor(sample):
    """predictor=None draws only the data and the Bayes boundary, with no error count or train error."""
    ax = MODEL.plot_predictor(sample)
    assert [(colour, dashed) for colour, dashed, _ in contour_sets(ax)] == [(to_rgba("red"), True)]
    assert hollow_scatter(ax) == []
    assert not any(text.startswith("misclassified") for text in legend_texts(ax))
    assert "Bayes optimal" in legend_texts(ax)
    assert "N = 200" in ax.get_title()
    assert "train error" not in ax.get_title()


def test_plot_with_subclassed_predictor(sample):
    """A template Predictor subclass works too; its errors (always +1: the n/2 points labelled -1) are counted."""

    class AlwaysPlus(Predictor):
        def score(self, x):
            return np.ones(len(x))

    ax = MODEL.plot_predictor(sample, AlwaysPlus("always +1"))
    assert "misclassified (100)" in legend_texts(ax)
    assert "train error 50.00%" in ax.get_title()


# ---------------------------------------------------------------------------------------------------------------------
# Validation: every bad input raises a ValueError or TypeError whose message names the argument


@pytest.mark.parametrize(("n", "error"), [
    (3, ValueError), (0, ValueError), (-2, ValueError), (3.5, TypeError), (True, TypeError), ("10", TypeError),
    (None, TypeError), (10.0, TypeError),
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
@pytest.mark.parametrize("method", ["score", "classify"])
def test_score_and_classify_reject_bad_x(method, x):
    """x must be a finite array [N, 2]."""
    with pytest.raises((TypeError, ValueError), match=r"^x must"):
        getattr(MODEL, method)(x)


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
    pytest.param([[-1], [1], [1], [-1]], id="column"),
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


@pytest.mark.parametrize("predictor", [object(), OnlyScore(), ClassifyNotCallable(), "Bayes", np.zeros(3)])
@pytest.mark.parametrize("call", [
    pytest.param(lambda p, data: G2Model.error_rate(p, data), id="error_rate"),
    pytest.param(lambda p, data: MODEL.plot_predictor(data, p), id="plot_predictor"),
])
def test_predictor_without_interface_is_rejected(sample, call, predictor):
    """The predictor must have callable score and classify methods."""
    with pytest.raises(TypeError, match=r"^predictor must"):
        call(predictor, sample)


@pytest.mark.parametrize("value", [-0.1, 1.5, float("nan"), "0.1", True])
@pytest.mark.parametrize("name", ["train_error", "test_error"])
def test_plot_rejects_bad_error_rates(sample, name, value):
    """train_error and test_error must be fractions in [0, 1] or None."""
    with pytest.raises((TypeError, ValueError), match=rf"^{name} must"):
        MODEL.plot_predictor(sample, MODEL, **{name: value})
