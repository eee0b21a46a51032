"""The lab's ground truth: classes -1 and +1, equally likely, each an equal mixture of 3 Gaussians
of covariance I/20; the first lab's API, plus a predictor's true error rate and the Bayes error."""

from __future__ import annotations

import math
import numbers
from collections.abc import Callable
from types import SimpleNamespace
from typing import Any

import matplotlib.pyplot as plt
import numpy as np
from matplotlib.axes import Axes
from matplotlib.lines import Line2D
from matplotlib.transforms import ScaledTranslation

__all__ = ["G2Model", "boundary_legend_handles", "predictor_name"]

NEGATIVE_MEANS = ((-1.0, -1.0), (-1.0, 0.0), (0.0, 0.0))
POSITIVE_MEANS = ((0.0, 1.0), (0.0, -1.0), (1.0, 0.0))
VARIANCE = 0.05  # per coordinate: covariance I / 20
GRID_SIZE = 200
GRID_MARGIN = 0.5
CONTOUR_LIMIT = 1e300  # +-inf log-odds are clipped to this, so that their boundary is still drawn
HALF_WIDTH = 3.0  # true_error_rate integrates over [-3, 3]^2: 1.9e-19 of each class lies outside
# true_error_rate's fewest grid points per axis: cells at most 0.1 standard deviations wide
MIN_POINTS = math.ceil(2 * HALF_WIDTH / (0.1 * math.sqrt(VARIANCE))) + 1
INTEGRATION_CHUNK = 2**14  # grid points per predictor call in true_error_rate: bounds the memory
FONT_SIZE = 10  # points: legend and title text
LEGEND_DROP = 38 / 72  # inches from the axes' bottom to the legend's top: clears the x label
FIGURE_SIZE = (6.0, 6.3)  # inches, for plot_predictor's own figure
# inches: y label; title; x label, legend
FIGURE_MARGINS = {"left": 0.75, "right": 0.25, "top": 0.8, "bottom": 1.15}


class G2Model:
    """The first lab's attributes: ``K``, ``priors`` [P(-1), P(+1)], ``cls[c].mus`` (the K means
    [K, 2] of label c = -1, +1, or class index 0, 1), ``Sigma`` (I/20) and ``name``."""

    name = "Bayes optimal"
    K = 3

    def __init__(self) -> None:
        negative = SimpleNamespace(mus=np.array(NEGATIVE_MEANS))
        positive = SimpleNamespace(mus=np.array(POSITIVE_MEANS))
        self.cls = {-1: negative, 0: negative, 1: positive}
        self.priors = np.array([0.5, 0.5])
        self.Sigma = VARIANCE * np.eye(2)

    def generate_sample(self, n: int, rng: Any = None) -> tuple[np.ndarray, np.ndarray]:
        """n points, n/2 per class, shuffled: (x [n, 2] float64, y [n] int64), drawn by ``rng`` (an
        int seed or a numpy Generator), else by numpy's global state (``np.random.seed``)."""
        n = check_value(n, "n", "a positive even integer (n/2 points per class)",
                         numbers.Integral, lambda value: value > 0 and value % 2 == 0)
        if rng is not None and not isinstance(rng, np.random.Generator):
            rng = np.random.default_rng(check_value(
                rng, "rng", "None, an int seed >= 0 or a numpy.random.Generator",
                numbers.Integral, lambda value: value >= 0))
        gen = np.random if rng is None else rng
        half = n // 2
        means = np.concatenate([self.cls[c].mus[gen.choice(self.K, size=half)] for c in (-1, 1)])
        x = means + gen.normal(scale=math.sqrt(VARIANCE), size=(n, 2))
        order = gen.permutation(n)
        return x[order], np.repeat([-1, 1], half)[order]

    def score_class(self, c: int, x: Any) -> np.ndarray:
        """log p(x, y = c) = log p(x | c) + log P(c), shape [N], for the label c = -1 or +1 (or the
        first lab's class index 0 or 1): the first lab's score of class c."""
        c = check_value(c, "c", "a label -1 or +1 (or a class index 0 or 1)", numbers.Integral,
                         lambda value: value in (-1, 0, 1))
        squared = np.sum((check_points(x)[:, None, :] - self.cls[c].mus) ** 2, axis=2)
        log_components = -squared / (2 * VARIANCE) - math.log(2 * math.pi * VARIANCE)
        return (np.logaddexp.reduce(log_components, axis=1) - math.log(self.K)
                + math.log(self.priors[int(c > 0)]))

    def score(self, x: Any) -> np.ndarray:
        """Bayes-optimal log-odds log p(x|+1) - log p(x|-1), shape [N], never NaN (+-inf beyond
        float range): log-sum-exps of terms linear in x, x scaled by a power of two (exact)."""
        points = check_points(x)
        _, exponent = np.frexp(np.max(np.abs(points), axis=1))
        scale = np.ldexp(1.0, np.clip(exponent, 0, 1023))
        top_plus, rest_plus = _scaled_log_sum_exp(points, scale, self.cls[1].mus)
        top_minus, rest_minus = _scaled_log_sum_exp(points, scale, self.cls[-1].mus)
        with np.errstate(over="ignore"):  # beyond float range the log-odds is +-inf
            return scale * (top_plus - top_minus) + (rest_plus - rest_minus)

    def classify(self, x: Any) -> np.ndarray:
        """Bayes-optimal labels in {-1, +1}; a score of exactly 0 gives +1."""
        return np.where(self.score(x) >= 0, 1, -1)

    @staticmethod
    def error_rate(predictor: Any, data: tuple[Any, Any]) -> float:
        """Fraction of ``data = (x, y)`` that ``predictor.classify`` gets wrong."""
        x, y = _unpack_data(data)
        return float(np.mean(_predicted_labels(predictor, x) != y))

    test_error = error_rate  # the first lab's name

    def true_error_rate(self, predictor: Any, *, points: int = 601) -> float:
        """The predictor's true error rate: the mean of its two class error rates."""
        negative, positive = self.class_error_rates(predictor, points=points)
        return (negative + positive) / 2.0

    def class_error_rates(self, predictor: Any, *, points: int = 601) -> tuple[float, float]:
        """(R-, R+): the predictor's error rates on class -1 and +1, by the midpoint rule on the
        (points - 1)^2 cells of [-3, 3]^2 (halving the cells moves the Bayes error 5.2e-6)."""
        points = check_value(points, "points", f"an int >= {MIN_POINTS} (grid cells at most 0.1 "
                              "standard deviations wide)", numbers.Integral,
                              lambda value: value >= MIN_POINTS)
        step = 2.0 * HALF_WIDTH / (points - 1)
        centres = -HALF_WIDTH + step * (np.arange(points - 1) + 0.5)
        count = len(centres) ** 2
        wrong_negative = wrong_positive = 0.0
        for start in range(0, count, INTEGRATION_CHUNK):
            index = np.arange(start, min(start + INTEGRATION_CHUNK, count))
            cells = np.column_stack([centres[index % len(centres)], centres[index // len(centres)]])
            plus = _predicted_labels(predictor, cells) == 1
            wrong_negative += float(np.sum(_mixture_density(cells, self.cls[-1].mus)[plus]))
            wrong_positive += float(np.sum(_mixture_density(cells, self.cls[1].mus)[~plus]))
        return wrong_negative * step**2, wrong_positive * step**2

    def bayes_error(self, *, points: int = 601) -> float:
        """The Bayes error rate, the floor no predictor beats."""
        return self.true_error_rate(self, points=points)

    def plot_predictor(self, data: tuple[Any, Any], predictor: Any = None, *,
                       train_error: float | None = None, test_error: float | None = None,
                       ax: Axes | None = None, title: str | None = None,
                       legend: bool = True) -> Axes:
        """Draw the data, the Bayes boundary and the predictor's (errors circled) into ``ax`` or a
        new figure; legend=False leaves one to fig.legend(handles=boundary_legend_handles(name))."""
        if not isinstance(self, G2Model):
            raise TypeError("plot_predictor must be called on a G2Model object "
                            f"(G2Model().plot_predictor(data)); got {type(self).__name__} as self")
        x, y = _unpack_data(data)
        for name, rate in (("train_error", train_error), ("test_error", test_error)):
            if rate is not None:
                check_value(rate, name, "a real number in [0, 1]", numbers.Real,
                             lambda value: 0 <= value <= 1)
        check_value(ax, "ax", "a matplotlib Axes (e.g. from plt.subplots()) or None",
                     (Axes, type(None)))
        check_value(title, "title", "a str or None", (str, type(None)))
        check_value(legend, "legend", "True or False", (bool, np.bool_))
        grid_x1, grid_x2 = _boundary_grid(x)
        grid = np.column_stack([grid_x1.ravel(), grid_x2.ravel()])
        bayes_scores = _contour_values(self.score(grid), grid_x1.shape)
        # The predictor is called before anything is drawn: if it fails, no figure is left.
        if predictor is not None:
            wrong = _predicted_labels(predictor, x) != y
            scores = check_array(predictor.score(grid), "predictor.score(x)",
                                  "an array of log-odds", rows=len(grid))
        if ax is None:
            ax = _new_boundary_axes()
        ax.scatter(*x[y == -1].T, s=12, marker="o", color="tab:blue")
        ax.scatter(*x[y == 1].T, s=12, marker="D", color="tab:red")
        ax.contour(grid_x1, grid_x2, bayes_scores, levels=[0.0], colors="red", linestyles="--",
                   linewidths=1.5)
        misclassified = None
        if predictor is not None:
            ax.contour(grid_x1, grid_x2, _contour_values(scores, grid_x1.shape), levels=[0.0],
                       colors="black", linestyles="-", linewidths=1.5)
            ax.scatter(*x[wrong].T, s=70, facecolors="none", edgecolors="black", linewidths=1.0)
            misclassified = int(wrong.sum())
            if train_error is None:
                train_error = float(np.mean(wrong))
        if legend:
            _add_legend_below(ax, boundary_legend_handles(
                None if predictor is None else predictor_name(predictor)))
        ax.set(xlabel="$x_1$", ylabel="$x_2$", aspect="equal")
        ax.set_title(_plot_title(title, predictor, len(y), misclassified, train_error, test_error),
                     fontsize=FONT_SIZE)
        return ax

    plot_boundary = plot_predictor  # the first lab's name


def predictor_name(predictor: Any) -> str:
    """The short name a predictor gives for plot titles (its ``name``, else its class name)."""
    return str(getattr(predictor, "name", type(predictor).__name__))


def boundary_legend_handles(predictor_name: str | None) -> list[Line2D]:
    """Legend entries of ``plot_predictor``: the two labels, the Bayes boundary and, when
    ``predictor_name`` is given, the predictor's boundary and the circled errors."""
    check_value(predictor_name, "predictor_name", "a str or None", (str, type(None)))
    handles = [
        Line2D([], [], ls="", marker="o", ms=4, color="tab:blue", label="label \u22121"),
        Line2D([], [], ls="", marker="D", ms=4, color="tab:red", label="label +1"),
        Line2D([], [], color="red", ls="--", lw=1.5, label="Bayes optimal"),
    ]
    if predictor_name is not None:
        handles += [
            Line2D([], [], color="black", lw=1.5, label=predictor_name),
            Line2D([], [], ls="", marker="o", ms=8, mfc="none", mec="black",
                   label="misclassified training point"),
        ]
    return handles


def _scaled_log_sum_exp(points: np.ndarray, scale: np.ndarray,
                        means: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """log sum_k exp((2 x.mu_k - |mu_k|^2) / (2 var)) as (top, rest), the result being
    ``scale * top + rest``: ``top`` the largest term over ``scale``, ``rest`` in [0, log K]."""
    terms = ((2.0 * means @ (points / scale[:, None]).T - np.sum(means**2, axis=1)[:, None] / scale)
             / (2 * VARIANCE))
    top = terms.max(axis=0)
    with np.errstate(over="ignore"):  # scale * (terms - top) may reach -inf: its exp is then 0
        return top, np.log(np.exp(scale * (terms - top)).sum(axis=0))


def _mixture_density(points: np.ndarray, means: np.ndarray) -> np.ndarray:
    """The equal-weight mixture of N(mu_k, VARIANCE I) at points [N, 2], shape [N]."""
    squared_distances = np.sum((points[:, None, :] - means[None, :, :]) ** 2, axis=2)
    return np.mean(np.exp(-squared_distances / (2 * VARIANCE)), axis=1) / (2 * np.pi * VARIANCE)


def _predicted_labels(predictor: Any, x: np.ndarray) -> np.ndarray:
    """``predictor.classify(x)`` as [N] labels in {-1, +1}, after checking that ``predictor`` is an
    object with score() and classify() (0/1 labels, say, would compare silently wrong)."""
    missing = [m for m in ("score", "classify") if not callable(getattr(predictor, m, None))]
    if isinstance(predictor, type) or missing:
        given = (f"the class {predictor.__name__}: create one first" if isinstance(predictor, type)
                 else f"{type(predictor).__name__}, which lacks {', '.join(missing)}")
        raise TypeError(f"predictor must be an object with callable score() and classify() "
                        f"methods; got {given}")
    return _check_labels(predictor.classify(x), len(x), "predictor.classify(x)")


def _unpack_data(data: Any) -> tuple[np.ndarray, np.ndarray]:
    """``data = (x, y)``, checked, as (float64 [N, 2], int64 [N]) with N > 0."""
    if not isinstance(data, (tuple, list)) or len(data) != 2:
        raise TypeError(f"data must be a pair (x, y); got {type(data).__name__}")
    x = check_points(data[0], "data x")
    if len(x) == 0:
        raise ValueError("data must hold at least one point; got x of shape [0, 2]")
    return x, _check_labels(data[1], len(x), "data y")


# The course files' argument checks (template_utils uses them too; not in __all__).
def check_value(value: Any, name: str, expected: str, kind: type | tuple[type, ...],
                valid: Callable[[Any], bool] = lambda value: True) -> Any:
    """``value`` (int for numbers.Integral) if a ``kind``, no bool for a number, and ``valid``."""
    if not isinstance(value, kind) or (
            isinstance(value, bool) and kind in (numbers.Integral, numbers.Real)):
        raise TypeError(f"{name} must be {expected}; got {type(value).__name__} {value!r}")
    if not valid(value):
        raise ValueError(f"{name} must be {expected}; got {value!r}")
    return int(value) if kind is numbers.Integral else value


def check_array(value: Any, name: str, expected: str, rows: int | None = None) -> np.ndarray:
    """Real numbers (array, list, tensor) as float64; with ``rows``, [rows] or [rows, 1], no NaN."""
    if np.ma.is_masked(value):  # numpy would read what the mask hides
        raise ValueError(f"{name} must be {expected} without masked entries; got a masked array "
                         f"with {np.ma.count_masked(value)} masked: drop or fill them first")
    array, given = value, type(value).__name__
    if hasattr(array, "detach") and hasattr(array, "cpu"):  # a tensor: any device, dtype, grad
        array = array.detach().cpu()
        array = (array.double() if array.is_floating_point() else array).numpy()  # no bfloat16
    try:
        array = np.asarray(array)
    except (TypeError, ValueError):  # a ragged nested list
        array = np.asarray(None)
    if array.dtype.kind not in "iuf":
        raise TypeError(f"{name} must be {expected}; got {given} of dtype {array.dtype}")
    array = array.astype(np.float64)
    if rows is None:
        return array
    if array.shape not in ((rows,), (rows, 1)):
        raise ValueError(f"{name} must have shape [{rows}] (or [{rows}, 1]) to match x; got shape "
                         f"{list(array.shape)}")
    if np.isnan(array).any():
        raise ValueError(f"{name} must be {expected}, not NaN; got {int(np.isnan(array).sum())} "
                         f"NaN among {rows} values")
    return array.reshape(rows)


def check_points(x: Any, name: str = "x") -> np.ndarray:
    """``x`` as a finite float64 array [N, 2]."""
    points = check_array(x, name, "an array of numbers of shape [N, 2]")
    if points.ndim != 2 or points.shape[1] != 2 or not np.isfinite(points).all():
        raise ValueError(f"{name} must be finite numbers of shape [N, 2]; got shape "
                         f"{list(points.shape)} with {int(np.sum(~np.isfinite(points)))} NaN "
                         "or inf")
    return points


def _check_labels(values: Any, n: int, name: str) -> np.ndarray:
    """``values`` as n int64 labels in {-1, +1} (shape [n] or [n, 1])."""
    labels = check_array(values, name, "an array of labels -1 and +1", rows=n)
    wrong = ~np.isin(labels, (-1, 1))
    if wrong.any():
        raise ValueError(f"{name} must hold labels -1 and +1 only; got {int(wrong.sum())} other "
                         f"values, e.g. {np.unique(labels[wrong])[:5].tolist()}")
    return labels.astype(np.int64)


def _boundary_grid(x: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """A GRID_SIZE x GRID_SIZE mesh over the data's range with GRID_MARGIN on each side."""
    low, high = x.min(axis=0) - GRID_MARGIN, x.max(axis=0) + GRID_MARGIN
    return np.meshgrid(np.linspace(low[0], high[0], GRID_SIZE),
                       np.linspace(low[1], high[1], GRID_SIZE))


def _contour_values(scores: np.ndarray, shape: tuple[int, ...]) -> np.ndarray:
    """Scores on the grid, +-inf clipped to +-CONTOUR_LIMIT: contouring needs finite values."""
    return np.clip(scores, -CONTOUR_LIMIT, CONTOUR_LIMIT).reshape(shape)


def _new_boundary_axes() -> Axes:
    """Axes in a new figure with fixed margins (inches) for the title, x label and legend, without
    a layout engine (constrained layout can misplace an equal-aspect axes)."""
    (width, height), margin = FIGURE_SIZE, FIGURE_MARGINS
    fig = plt.figure(figsize=FIGURE_SIZE, layout="none")
    fig.subplots_adjust(left=margin["left"] / width, right=1 - margin["right"] / width,
                        top=1 - margin["top"] / height, bottom=margin["bottom"] / height)
    return fig.add_subplot()


def _add_legend_below(ax: Axes, handles: list[Line2D]) -> None:
    """The legend centred below the axes, clear of the tick labels and the x label."""
    below = ax.transAxes + ScaledTranslation(0.0, -LEGEND_DROP, ax.figure.dpi_scale_trans)
    ax.legend(handles=handles, loc="upper center", bbox_to_anchor=(0.5, 0.0), bbox_transform=below,
              ncol=3, fontsize=FONT_SIZE, frameon=False, handlelength=1.8, columnspacing=1.2)


def _plot_title(title: str | None, predictor: Any, n: int, misclassified: int | None,
                train_error: float | None, test_error: float | None) -> str:
    """Up to three short lines: the caller's title (or the predictor's name); N, the hidden size
    and the number of circled errors; the error rates in percent."""
    hidden_size = getattr(predictor, "hidden_size", None)
    facts = [f"N = {n}", *([] if hidden_size is None else [f"hidden size = {hidden_size}"]),
             *([] if misclassified is None else [f"{misclassified} misclassified"])]
    rates = [f"{label} error {100 * rate:.2f}%"
             for label, rate in (("train", train_error), ("test", test_error)) if rate is not None]
    first = title or ("Ground truth and data" if predictor is None else predictor_name(predictor))
    return "\n".join([first, ", ".join(facts)] + ([", ".join(rates)] if rates else []))
