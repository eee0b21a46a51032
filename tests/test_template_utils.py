"""Unit tests of template_utils: predictors, Hoeffding's test-set size, seeding, device choice."""

import math
import random
import re

import numpy as np
import pytest
import torch

from template_utils import (
    SCORE_CHUNK,
    Predictor,
    TorchPredictor,
    default_device,
    hoeffding_test_size,
    set_seed,
)

POINTS = np.array([[0.5, -1.0], [-2.0, 0.25], [1.0, 1.0], [0.0, 0.0]])
DEVICE_MESSAGE = "device must be a device this machine has"


class FixedScores(Predictor):
    """A template predictor whose scores are given in advance."""

    def __init__(self, scores):
        super().__init__("fixed", hidden_size=3)
        self.scores = np.asarray(scores)

    def score(self, x):
        return self.scores


def first_plus_twice_second(points):
    """A torch score function, x1 + 2 x2, returning a column [N, 1] as networks often do."""
    return (points[:, 0] + 2 * points[:, 1])[:, None]


# --------------------------------------------------------------------------------------------------
# Predictor and TorchPredictor


def test_predictor_keeps_name_and_hidden_size():
    """The name and hidden size used in plot titles are stored as given."""
    predictor = Predictor("net", hidden_size=5)
    assert (predictor.name, predictor.hidden_size) == ("net", 5)


def test_predictor_score_must_be_defined():
    """The base class has no score of its own."""
    with pytest.raises(NotImplementedError, match="score"):
        Predictor("base").score(POINTS)


def test_predictor_classify_is_sign_of_score_with_zero_as_plus_one():
    """classify gives +1 where the score is >= 0 (including exactly 0 and -0.0), else -1."""
    labels = FixedScores([-2.5, 0.0, 3.0, -0.0, -1e-300]).classify(np.zeros((5, 2)))
    assert labels.tolist() == [-1, 1, 1, 1, -1]


def test_predictor_classify_takes_infinite_log_odds_by_sign():
    """+-inf log-odds (probabilities that underflowed) are legitimate: +inf gives +1, -inf gives
    -1."""
    assert FixedScores([np.inf, -np.inf, 1.0, -np.inf]).classify(POINTS).tolist() == [1, -1, 1, -1]


def test_predictor_classify_rejects_nan_scores_with_their_count():
    """A NaN score would count silently as -1: a ValueError naming predictor.score(x) and the number
    of NaN."""
    with pytest.raises(ValueError, match=r"^predictor\.score\(x\) must be an array of log-odds, "
                                         r"not NaN; got 2 NaN among 4 values"):
        FixedScores([np.nan, 1.0, np.nan, -1.0]).classify(POINTS)


@pytest.mark.parametrize(("scores", "error", "message"), [
    pytest.param(np.zeros((4, 2)), ValueError, "must have shape", id="[N, 2]"),
    pytest.param(np.zeros((1, 4)), ValueError, "must have shape", id="row [1, N]"),
    pytest.param(np.zeros(3), ValueError, "must have shape", id="too short"),
    pytest.param(["1", "2", "3", "4"], TypeError, "must be an array of log-odds", id="strings"),
    pytest.param(None, TypeError, "must be an array of log-odds", id="None"),
    pytest.param(np.array([True, False, True, True]), TypeError, "must be an array of log-odds",
                 id="bool"),
])
def test_predictor_classify_rejects_malformed_scores(scores, error, message):
    """Scores must be [N] (or [N, 1]) real numbers; anything else names predictor.score(x)."""
    with pytest.raises(error, match=rf"^predictor\.score\(x\) {message}"):
        FixedScores(scores).classify(POINTS)


def test_predictor_classify_accepts_a_column_of_scores():
    """A column [N, 1], as a network's last layer gives, is flattened: the same labels."""
    assert FixedScores([[-1.0], [2.0], [0.0], [-3.0]]).classify(POINTS).tolist() == [-1, 1, 1, -1]


@pytest.mark.parametrize(("name", "error"), [(5, TypeError), (None, TypeError), (b"net", TypeError),
                                             ("", ValueError), ("  ", ValueError)])
def test_predictor_rejects_bad_name(name, error):
    """name must be a non-empty str: plot titles show it."""
    with pytest.raises(error, match=r"^name must be a non-empty str"):
        Predictor(name)


@pytest.mark.parametrize(("hidden_size", "error"), [(0, ValueError), (-5, ValueError),
                                                    (2.5, TypeError), ("5", TypeError),
                                                    (True, TypeError),
                                                    (torch.tensor(5), TypeError)])
def test_predictor_rejects_bad_hidden_size(hidden_size, error):
    """hidden_size must be a positive int or None."""
    with pytest.raises(error, match=r"^hidden_size must be a positive int or None"):
        Predictor("net", hidden_size=hidden_size)


def test_predictor_accepts_numpy_integer_hidden_size():
    """A numpy integer (e.g. from an array's shape) is stored as a Python int."""
    hidden_size = Predictor("net", hidden_size=np.int64(500)).hidden_size
    assert (hidden_size, type(hidden_size)) == (500, int)


def test_torch_predictor_numpy_in_numpy_float64_out():
    """Numpy points in give a numpy float64 array [N] of the score function's values (a [N, 1]
    output is flattened)."""
    predictor = TorchPredictor(first_plus_twice_second, device="cpu", dtype=torch.float64,
                               name="linear")
    scores = predictor.score(POINTS)
    assert isinstance(scores, np.ndarray)
    assert (scores.dtype, scores.shape) == (np.float64, (4,))
    np.testing.assert_array_equal(scores, POINTS[:, 0] + 2 * POINTS[:, 1])
    assert predictor.classify(POINTS).tolist() == [-1, -1, 1, 1]


@pytest.mark.parametrize("convert", [
    pytest.param(lambda p: p.tolist(), id="nested list"),
    pytest.param(lambda p: torch.tensor(p, dtype=torch.float32), id="float32 tensor"),
    pytest.param(lambda p: torch.tensor(p, requires_grad=True), id="tensor requiring grad"),
])
def test_torch_predictor_accepts_lists_and_tensors(convert):
    """Points may come as nested lists or tensors (these values are exact in float32), with the same
    scores."""
    predictor = TorchPredictor(first_plus_twice_second, device="cpu", dtype=torch.float64,
                               name="linear")
    np.testing.assert_array_equal(predictor.score(convert(POINTS)), predictor.score(POINTS))


def test_torch_predictor_scores_in_chunks_with_the_same_result():
    """More points than SCORE_CHUNK go to score_fn in chunks of at most SCORE_CHUNK rows, in
    order."""
    sizes = []

    def recording_score(points):
        sizes.append(len(points))
        return points[:, 0] - 3 * points[:, 1]

    points = np.random.default_rng(0).normal(size=(2 * SCORE_CHUNK + 5, 2))
    predictor = TorchPredictor(recording_score, device="cpu", dtype=torch.float64, name="chunked")
    np.testing.assert_array_equal(predictor.score(points), points[:, 0] - 3 * points[:, 1])
    assert sizes == [SCORE_CHUNK, SCORE_CHUNK, 5]


@pytest.mark.parametrize(("hidden_size", "rows"), [(None, 4096), (5, 26214), (100, 1310),
                                                   (500, 262), (1000, 256), (10**6, 256)])
def test_torch_predictor_chunks_a_known_width_to_stay_in_cache(hidden_size, rows):
    """With a hidden size, each call gets about 2**17 activations' worth of rows (at least 256);
    without one, SCORE_CHUNK rows; the scores do not depend on the chunking."""
    sizes = []

    def recording_score(points):
        sizes.append(len(points))
        return points[:, 0] - 3 * points[:, 1]

    predictor = TorchPredictor(recording_score, device="cpu", dtype=torch.float64, name="wide",
                               hidden_size=hidden_size)
    points = np.random.default_rng(1).normal(size=(2 * rows + 7, 2))
    np.testing.assert_array_equal(predictor.score(points), points[:, 0] - 3 * points[:, 1])
    assert sizes == [rows, rows, 7]


def test_torch_predictor_scores_empty_x_in_one_empty_call():
    """No points: score_fn is called once, on an empty [0, 2] tensor, and the result is an empty
    float64 array."""
    shapes = []

    def recording_score(points):
        shapes.append(tuple(points.shape))
        return points[:, 0]

    scores = TorchPredictor(recording_score, device="cpu", dtype=torch.float64,
                            name="empty").score(np.zeros((0, 2)))
    assert (scores.dtype, scores.shape, shapes) == (np.float64, (0,), [(0, 2)])


def test_torch_predictor_records_no_graph():
    """The score function runs with gradients off on an input that does not require grad: no graph
    is kept."""
    weight = torch.tensor([1.0, -1.0], dtype=torch.float64, requires_grad=True)
    seen = {}

    def score_fn(points):
        seen.update(grad_enabled=torch.is_grad_enabled(), input_requires_grad=points.requires_grad)
        output = points @ weight
        seen["output_has_graph"] = output.grad_fn is not None
        return output

    scores = TorchPredictor(score_fn, device="cpu", dtype=torch.float64, name="w").score(POINTS)
    assert seen == {"grad_enabled": False, "input_requires_grad": False, "output_has_graph": False}
    assert torch.is_grad_enabled()  # switched back on afterwards
    np.testing.assert_array_equal(scores, POINTS[:, 0] - POINTS[:, 1])


@pytest.mark.parametrize("dtype", [torch.float16, torch.bfloat16, torch.float32, torch.float64])
@pytest.mark.parametrize("device", ["cpu", torch.device("cpu")])
def test_torch_predictor_uses_given_dtype_and_device(dtype, device):
    """The score function receives the points in the given dtype on the given device; the result is
    float64."""
    seen = {}

    def score_fn(points):
        seen.update(dtype=points.dtype, device=points.device)
        return points.sum(dim=1)

    predictor = TorchPredictor(score_fn, device=device, dtype=dtype, name="sum")
    scores = predictor.score(POINTS)
    assert seen == {"dtype": dtype, "device": torch.device("cpu")}
    assert scores.dtype == np.float64
    # quarters and halves: exact in every float dtype
    np.testing.assert_array_equal(scores, POINTS.sum(axis=1))


@pytest.mark.parametrize(("dtype", "error"), [
    (torch.int64, ValueError), (torch.bool, ValueError), (torch.complex64, ValueError),
    (torch.float8_e4m3fn, ValueError), (torch.float8_e5m2, ValueError), ("float32", TypeError),
    (np.float32, TypeError), (None, TypeError),
])
def test_torch_predictor_rejects_dtypes_it_cannot_score_in(dtype, error):
    """dtype must be one of the four float dtypes torch computes in: not an integer, a complex nor
    a float8 (a storage format: torch's matmul fails on it), and not a name or a numpy dtype."""
    with pytest.raises(error, match=r"^dtype must be a torch\.dtype among torch\.float16, "
                                    r"torch\.bfloat16, torch\.float32, torch\.float64; got"):
        TorchPredictor(first_plus_twice_second, device="cpu", dtype=dtype, name="bad")


def test_torch_predictor_names_dtype_when_score_fn_has_another():
    """A float32 network scored in float64: torch's dtype mismatch comes back as a TypeError that
    says dtype is the argument to change; other errors of score_fn pass through unchanged."""
    network = torch.nn.Linear(2, 1)
    predictor = TorchPredictor(network, device="cpu", dtype=torch.float64, name="linear")
    with pytest.raises(TypeError, match=r"^dtype torch\.float64 does not match score_fn's "
                                        r"\(torch: .*dtype.*\): give TorchPredictor the dtype"):
        predictor.score(POINTS)
    right = TorchPredictor(network, device="cpu", dtype=torch.float32, name="linear")
    assert right.score(POINTS).shape == (4,)

    def failing(points):
        raise RuntimeError("out of memory")

    with pytest.raises(RuntimeError, match=r"^out of memory$"):
        TorchPredictor(failing, device="cpu", dtype=torch.float64, name="failing").score(POINTS)


MANY_POINTS = np.tile(POINTS, (2500, 1))  # 10 000 rows: three chunks of SCORE_CHUNK = 4096


@pytest.mark.parametrize(("score_fn", "message"), [
    pytest.param(lambda p: p[:, 0] / 0 * 0,
                 r"must be an array of log-odds, not NaN; got 4096 NaN among 4096 values",
                 id="NaN"),
    pytest.param(lambda p: p[:, :1].T,
                 r"must have shape \[4096\] \(or \[4096, 1\]\) to match x; got shape \[1, 4096\]$",
                 id="row [1, N]"),
])
def test_torch_predictor_refuses_a_bad_chunk_naming_what_score_fn_was_given(score_fn, message):
    """For 10 000 points score_fn gets 4096 rows at a time: a bad output is refused at the first
    chunk, with the message counting the rows score_fn was given (its x)."""
    assert SCORE_CHUNK == 4096
    predictor = TorchPredictor(score_fn, device="cpu", dtype=torch.float64, name="bad")
    with pytest.raises(ValueError, match=rf"^score_fn\(x\) {message}"):
        predictor.score(MANY_POINTS)


@pytest.mark.parametrize("score_fn", [None, "net", np.zeros(2)])
def test_torch_predictor_rejects_non_callable_score_fn(score_fn):
    """score_fn must be callable."""
    with pytest.raises(TypeError, match=r"^score_fn must"):
        TorchPredictor(score_fn, device="cpu", dtype=torch.float32, name="bad")


@pytest.mark.parametrize("x", [[1.0, 2.0], np.zeros((3, 3)), [[np.nan, 0.0]], "0 0"])
def test_torch_predictor_rejects_bad_points(x):
    """x must be a finite array [N, 2]."""
    predictor = TorchPredictor(first_plus_twice_second, device="cpu", dtype=torch.float32,
                               name="linear")
    with pytest.raises((TypeError, ValueError), match=r"^x must"):
        predictor.score(x)


@pytest.mark.parametrize("convert", [
    pytest.param(lambda t: t.numpy(), id="numpy array"),
    pytest.param(lambda t: t.tolist(), id="list"),
    pytest.param(lambda t: t.numpy().astype(np.float32), id="numpy float32"),
])
def test_torch_predictor_accepts_score_fn_returning_numpy_or_list(convert):
    """A score function that returns a numpy array or a list (of [N] or [N, 1]) gives the same
    scores."""
    reference = TorchPredictor(first_plus_twice_second, device="cpu", dtype=torch.float64,
                               name="tensor")
    predictor = TorchPredictor(lambda p: convert(first_plus_twice_second(p)), device="cpu",
                               dtype=torch.float64, name="converted")
    np.testing.assert_array_equal(predictor.score(POINTS), reference.score(POINTS))


@pytest.mark.parametrize(("score_fn", "error", "message"), [
    pytest.param(lambda p: p, ValueError, r"must have shape \[4\] \(or \[4, 1\]\)", id="[N, 2]"),
    pytest.param(lambda p: p[:, :1].T, ValueError, "must have shape", id="row [1, N]"),
    pytest.param(lambda p: p.sum(), ValueError, "must have shape", id="scalar"),
    pytest.param(lambda p: None, TypeError, "must be an array of log-odds", id="None"),
    pytest.param(lambda p: "scores", TypeError, "must be an array of log-odds", id="str"),
    pytest.param(lambda p: p[:, 0] > 0, TypeError, "must be an array of log-odds",
                 id="bool tensor"),
    pytest.param(lambda p: p[:, 0] / 0 * 0, ValueError,
                 "must be an array of log-odds, not NaN; got 4 NaN", id="NaN"),
])
def test_torch_predictor_rejects_malformed_score_fn_output(score_fn, error, message):
    """What score_fn returns must be [N] (or [N, 1]) real numbers, not NaN: the error names
    score_fn(x)."""
    predictor = TorchPredictor(score_fn, device="cpu", dtype=torch.float64, name="bad")
    with pytest.raises(error, match=rf"^score_fn\(x\) {message}"):
        predictor.score(POINTS)


def test_torch_predictor_infinite_scores_pass_through():
    """+-inf scores (log-odds of probabilities that underflowed) are returned and classified by
    their sign."""
    predictor = TorchPredictor(lambda p: torch.where(p[:, 0] > 0, torch.inf, -torch.inf),
                               device="cpu", dtype=torch.float32, name="saturated")
    assert predictor.score(POINTS).tolist() == [math.inf, -math.inf, math.inf, -math.inf]
    assert predictor.classify(POINTS).tolist() == [1, -1, 1, -1]


@pytest.mark.parametrize("device", ["cuda", "cuda:0", torch.device("cuda"), "mps"])
def test_torch_predictor_rejects_unavailable_gpu(monkeypatch, device):
    """Asking for a GPU where torch has none fails at construction with a ValueError, not later
    inside torch."""
    monkeypatch.setattr(torch.cuda, "is_available", lambda: False)
    monkeypatch.setattr(torch.backends.mps, "is_available", lambda: False)
    with pytest.raises(ValueError, match=rf"^{DEVICE_MESSAGE}, .* got {re.escape(repr(device))}$"):
        TorchPredictor(first_plus_twice_second, device=device, dtype=torch.float32, name="gpu")


def test_torch_predictor_accepts_cuda_when_available(monkeypatch):
    """Where torch reports a GPU, device="cuda" is accepted (nothing runs on it at construction)."""
    monkeypatch.setattr(torch.cuda, "is_available", lambda: True)
    predictor = TorchPredictor(first_plus_twice_second, device="cuda", dtype=torch.float32,
                               name="gpu")
    assert predictor.device == torch.device("cuda")


@pytest.mark.parametrize("index", [2, 3])
def test_torch_predictor_rejects_missing_cuda_index(monkeypatch, index):
    """On a machine with two GPUs (cuda:0 and cuda:1), cuda:2, the first index too many, and cuda:3
    are named in a ValueError; cuda:1 is accepted."""
    monkeypatch.setattr(torch.cuda, "is_available", lambda: True)
    monkeypatch.setattr(torch.cuda, "device_count", lambda: 2)
    accepted = TorchPredictor(first_plus_twice_second, device="cuda:1", dtype=torch.float32,
                              name="gpu")
    assert accepted.device == torch.device("cuda:1")
    with pytest.raises(ValueError, match=rf"^{DEVICE_MESSAGE}, .* got 'cuda:{index}'$"):
        TorchPredictor(first_plus_twice_second, device=f"cuda:{index}", dtype=torch.float32,
                       name="gpu")


@pytest.mark.parametrize(("device", "error"), [
    ("gpu", ValueError), ("cpu:x", ValueError), ("meta", ValueError),
    (torch.device("meta"), ValueError), (None, TypeError), (0, TypeError), (3.5, TypeError),
])
def test_torch_predictor_rejects_nonsense_device(device, error):
    """device must be a torch.device or a string naming a device (cpu, cuda, mps) this machine
    has."""
    with pytest.raises(error, match=rf"^{DEVICE_MESSAGE}, as a str such as 'cpu' or 'cuda:0' or a "
                                    r"torch\.device \(default_device\(\) picks one\); got"):
        TorchPredictor(first_plus_twice_second, device=device, dtype=torch.float32, name="bad")


# --------------------------------------------------------------------------------------------------
# hoeffding_test_size


# n = ceil(ln(2 / delta) / (2 eps^2)), by hand:
@pytest.mark.parametrize(("eps", "delta", "expected"), [
    (0.01, 0.01, 26492),  # ln(200) = 5.29832; / 2e-4 = 26491.59
    (0.1, 0.05, 185),  # ln(40) = 3.68888; / 0.02 = 184.44
    (0.05, 0.1, 600),  # ln(20) = 2.99573; / 0.005 = 599.15
    (0.5, 0.5, 3),  # ln(4) = 1.38629; / 0.5 = 2.77
    (0.9, 0.9, 1),  # ln(2.2222) = 0.79851; / 1.62 = 0.49
    # Exactly on the bound, 2 exp(-2 n eps^2) = delta: n itself, though the quotient may round up.
    (0.5, 2 * math.exp(-1.5), 3),  # ln(2 / delta) = 1.5; / 0.5 = 3
    (0.1, 2 * math.exp(-2 * 54 * 0.1**2), 54),  # (ln 2 - ln delta) / 0.02 = 54.00000000000001
    (0.5, 1e-320, 1476),  # ln(2) - ln(1e-320) = 737.52; / 0.5 = 1475.05 (2 / 1e-320 is inf)
])
def test_hoeffding_test_size_hand_computed(eps, delta, expected):
    """The test-set size matches values worked out by hand."""
    assert hoeffding_test_size(eps, delta) == expected


@pytest.mark.parametrize("eps", [0.003, 0.01, 0.05, 0.2, 0.7, 0.999])
@pytest.mark.parametrize("delta", [1e-9, 0.01, 0.2, 0.9])
def test_hoeffding_test_size_is_smallest_satisfying_bound(eps, delta):
    """n satisfies 2 exp(-2 n eps^2) <= delta and n - 1 does not (n - 1 = 0 never does:
    2 > delta)."""
    n = hoeffding_test_size(eps, delta)
    assert isinstance(n, int)
    assert 2 * math.exp(-2 * n * eps**2) <= delta < 2 * math.exp(-2 * (n - 1) * eps**2)


@pytest.mark.parametrize("value", [0, 1, -0.1, 1.5, float("nan"), float("inf"), "0.1", True, None])
@pytest.mark.parametrize("name", ["eps", "delta"])
def test_hoeffding_test_size_rejects_values_outside_unit_interval(name, value):
    """eps and delta must be real numbers strictly between 0 and 1."""
    arguments = {"eps": 0.1, "delta": 0.1, name: value}
    with pytest.raises((TypeError, ValueError), match=rf"^{name} must"):
        hoeffding_test_size(**arguments)


@pytest.mark.parametrize("value", [pytest.param(10**400, id="10**400"),
                                   pytest.param(-(10**400), id="-10**400")])
@pytest.mark.parametrize("name", ["eps", "delta"])
def test_hoeffding_test_size_rejects_ints_too_large_for_a_float(name, value):
    """An int beyond float range is a ValueError naming the argument, not a bare OverflowError."""
    with pytest.raises(ValueError, match=rf"^{name} must be a real number in \(0, 1\); got -?10+$"):
        hoeffding_test_size(**{"eps": 0.1, "delta": 0.1, name: value})


@pytest.mark.parametrize("eps", [1e-12, 1e-160, 1e-170])
def test_hoeffding_test_size_tiny_eps_returns_or_rejects_promptly(eps, monkeypatch):
    """A valid but tiny eps gives either n with 2 n eps^2 = ln(2 / delta) or a ValueError naming
    eps, after a handful of evaluations of the bound (counted, not timed: no search through n one
    step at a time)."""
    evaluations = []
    real_exp = math.exp
    monkeypatch.setattr(math, "exp", lambda value: evaluations.append(value) or real_exp(value))
    try:
        n = hoeffding_test_size(eps, 0.05)
    except ValueError as exc:
        assert str(exc).startswith("eps")
    else:  # compared in logs, since 2 n eps^2 itself may underflow
        assert math.log(2 * n) + 2 * math.log(eps) == pytest.approx(math.log(math.log(40)),
                                                                     abs=1e-9)
    assert len(evaluations) < 10


@pytest.mark.parametrize("eps", [0.001, 1e-4])
def test_hoeffding_test_size_search_starts_at_the_bound(eps, monkeypatch):
    """Small eps whose n (1.8e6, 1.8e8) is found by the search, not refused before it: a handful of
    evaluations of the bound, as the search starts at ln(2 / delta) / (2 eps^2) (from ln(1 / delta)
    it would walk n up one by one, 346 575 evaluations at eps = 0.001), and n is the smallest that
    satisfies it."""
    evaluations = []
    real_exp = math.exp
    monkeypatch.setattr(math, "exp", lambda value: evaluations.append(value) or real_exp(value))
    n = hoeffding_test_size(eps, 0.05)
    assert len(evaluations) < 10
    assert 2 * real_exp(-2 * n * eps**2) <= 0.05 < 2 * real_exp(-2 * (n - 1) * eps**2)


# --------------------------------------------------------------------------------------------------
# set_seed and default_device


def draws():
    """One draw from each of Python's, numpy's and torch's global generators."""
    return random.random(), np.random.rand(3).tolist(), torch.rand(3).tolist()


def test_set_seed_repeats_python_numpy_and_torch_draws():
    """The same seed repeats all three generators' draws; another seed changes each of them."""
    set_seed(11)
    first = draws()
    set_seed(11)
    assert draws() == first
    set_seed(12)
    assert all(a != b for a, b in zip(draws(), first, strict=True))


@pytest.mark.parametrize("seed", [np.int64(11), np.uint32(11), np.int8(11)])
def test_set_seed_accepts_numpy_integers(seed):
    """A numpy integer seeds exactly as the same Python int does."""
    set_seed(11)
    expected = draws()
    set_seed(seed)
    assert draws() == expected


@pytest.mark.parametrize("seed", [0, 2**32 - 1, np.uint64(2**32 - 1)])
def test_set_seed_accepts_the_whole_range(seed):
    """0 and 2**32 - 1, the ends of numpy's legacy seed range, seed all three generators."""
    set_seed(seed)
    first = draws()
    set_seed(seed)
    assert draws() == first


def generator_states():
    """The full states of Python's, numpy's and torch's global generators, comparable with ==."""
    kind, keys, *rest = np.random.get_state()
    return random.getstate(), (kind, keys.tolist(), *rest), torch.get_rng_state().tolist()


@pytest.mark.parametrize(("seed", "error"), [
    (-1, ValueError), (2**32, ValueError), (np.int64(-3), ValueError),
    (np.uint64(2**63), ValueError), (True, TypeError), (1.5, TypeError), ("1", TypeError),
    (None, TypeError), (np.float64(3), TypeError),
])
def test_set_seed_rejects_bad_seed_before_touching_any_generator(seed, error):
    """seed must be an int in [0, 2**32 - 1]; a rejected seed leaves all three generators as they
    were."""
    set_seed(5)
    random.random(), np.random.rand(), torch.rand(1)  # move each generator off its seeded state
    before = generator_states()
    with pytest.raises(error, match=r"^seed must be an int in \[0, 2\*\*32 - 1\]"):
        set_seed(seed)
    assert generator_states() == before


@pytest.mark.parametrize(("available", "expected"), [(True, "cuda"), (False, "cpu")])
def test_default_device_follows_cuda_availability(monkeypatch, available, expected):
    """CUDA when torch says a GPU is available, else the CPU."""
    monkeypatch.setattr(torch.cuda, "is_available", lambda: available)
    assert default_device() == torch.device(expected)
