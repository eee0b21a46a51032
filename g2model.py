"""The lab's ground truth: a two-class mixture of isotropic 2-D Gaussians.

``G2Model`` draws labelled samples, gives the Bayes-optimal log-odds and
classifier, the class densities, any predictor's error rate on a sample and its
true error rate, and draws decision boundaries with the plotting conventions of
the course template (see ``shared/assignment/ground_truth_model.md``).
"""

from __future__ import annotations

import math
import os
from collections.abc import Iterator
from typing import Any

import matplotlib.pyplot as plt
import numpy as np
from matplotlib.axes import Axes
from matplotlib.lines import Line2D
from matplotlib.transforms import ScaledTranslation

from lab2.checks import check_fraction, check_integer, check_positive

NEGATIVE_MEANS = ((-1.0, -1.0), (-1.0, 0.0), (0.0, 0.0))
POSITIVE_MEANS = ((0.0, 1.0), (0.0, -1.0), (1.0, 0.0))
VARIANCE = 0.05  # per coordinate: covariance I / 20
GRID_SIZE = 200
GRID_MARGIN = 0.5
CONTOUR_LIMIT = 1e300  # +-inf log-odds are clipped to this before contouring, so the boundary is
                       # still drawn
INTEGRATION_CHUNK = 2**14  # points per predictor call in true_error_rate: bounds a wide network's
                           # memory
MAX_CELL_WIDTH = 0.1  # true_error_rate's widest cell, in a component's standard deviations
MAX_MASS_OUTSIDE = 1e-6  # of either class, outside true_error_rate's square: lost to the integral
BYTES_PER_POINT = 24  # a sample's x (two float64) and y (one int64): generate_sample's peak is near
SAMPLE_CHUNK = 2**16  # rows per step where generate_sample works through its arrays in place
FONT_SIZE = 10  # points: legend and title text
LEGEND_DROP = 38 / 72  # inches from the axes' bottom edge to the legend's top: clears tick labels
                       # and the x label
FIGURE_SIZE = (6.0, 6.3)  # inches, for plot_predictor's own figure
# inches: y label; title; x label, legend
FIGURE_MARGINS = {"left": 0.75, "right": 0.25, "top": 0.8, "bottom": 1.15}


def to_numpy(value: Any) -> Any:
    """A torch tensor (any device, dtype, with or without grad) as a numpy array; anything else
    unchanged."""
    if hasattr(value, "detach") and hasattr(value, "cpu"):
        value = value.detach().cpu()
        if value.is_floating_point():
            value = value.double()  # numpy has no bfloat16
        return value.numpy()
    return value


def as_numeric_array(value: Any, name: str, expected: str) -> np.ndarray:
    """``value`` as a numpy array of real numbers (integer or float, not bool); a TypeError naming
    ``name`` else. A masked array with masked entries is a ValueError: numpy would read what the
    mask hides.
    """
    if np.ma.is_masked(value):
        raise ValueError(f"{name} must be {expected} without masked entries; got a masked array "
                         f"with {np.ma.count_masked(value)} masked: drop or fill them first")
    try:
        array = np.asarray(to_numpy(value))
    except (TypeError, ValueError) as exc:
        raise TypeError(f"{name} must be {expected}; got {type(value).__name__}: {exc}") from None
    if array.dtype.kind not in "iuf":
        raise TypeError(f"{name} must be {expected}; got {type(value).__name__} of dtype "
                        f"{array.dtype}")
    return array


def as_column_or_vector(values: np.ndarray, n: int, name: str) -> np.ndarray:
    """``values`` of shape [n] or [n, 1] (or a scalar when n = 1) as shape [n]; any other shape is
    an error."""
    if values.shape not in ((n,), (n, 1)) and not (n == 1 and values.shape == ()):
        raise ValueError(f"{name} must have shape [{n}] (or [{n}, 1]) to match x; got shape "
                         f"{list(values.shape)}")
    return values.reshape(n)


def as_points(x: Any, name: str = "x") -> np.ndarray:
    """Return ``x`` (numpy array, nested list or torch tensor) as a finite float64 array [N, 2]."""
    points = as_numeric_array(x, name, "an array of numbers of shape [N, 2]").astype(np.float64)
    if points.ndim != 2 or points.shape[1] != 2:
        raise ValueError(f"{name} must have shape [N, 2]; got shape {list(points.shape)}")
    if not np.all(np.isfinite(points)):
        raise ValueError(f"{name} must hold finite numbers; got "
                         f"{int(np.sum(~np.isfinite(points)))} NaN or inf entries")
    return points


def as_labels(y: Any, n: int, name: str = "y") -> np.ndarray:
    """Return ``y`` (shape [n] or [n, 1]) as an int64 array of ``n`` labels in {-1, +1}."""
    labels = as_column_or_vector(as_numeric_array(y, name, "an array of labels -1 and +1"), n, name)
    wrong = ~np.isin(labels, (-1, 1))
    if wrong.any():
        raise ValueError(f"{name} must hold labels -1 and +1 only; got {int(wrong.sum())} other "
                         f"values, e.g. {np.unique(labels[wrong])[:5].tolist()}")
    return labels.astype(np.int64)


def as_scores(scores: Any, n: int, name: str) -> np.ndarray:
    """Return a predictor's ``scores`` (shape [n] or [n, 1]) as float64 log-odds [n].

    +-inf are legitimate (a probability of 0 or 1 up to underflow); NaN is not: it would classify
    silently as -1.
    """
    values = as_column_or_vector(
        as_numeric_array(scores, name, "an array of log-odds (real numbers)"), n, name)
    values = values.astype(np.float64)
    nan = np.isnan(values)
    if nan.any():
        raise ValueError(f"{name} must hold log-odds, not NaN; got {int(nan.sum())} NaN among "
                         f"{n} scores")
    return values


def check_sample_size(n: Any) -> int:
    """Return ``n`` as an int when it is a positive even integer, else raise naming what was
    given."""
    n = check_integer(n, "n", "a positive even integer")
    if n <= 0 or n % 2:
        raise ValueError(f"n must be a positive even integer (n/2 points per class); got {n}")
    return n


def as_generator(rng: Any) -> np.random.Generator:
    """Return a numpy Generator from None (fresh entropy), an int seed or a Generator."""
    if rng is None or isinstance(rng, np.random.Generator):
        return np.random.default_rng(rng)
    seed = check_integer(rng, "rng", "None, a non-negative int seed or a numpy.random.Generator")
    if seed < 0:
        raise ValueError(f"rng must be a non-negative int seed; got {seed}")
    return np.random.default_rng(seed)


def check_predictor(predictor: Any, name: str = "predictor") -> Any:
    """Return ``predictor`` when it is an object (not a class) with callable ``score`` and
    ``classify`` methods."""
    if isinstance(predictor, type):
        raise TypeError(f"{name} must be a predictor object, not the class {predictor.__name__}: "
                        f"create one first (e.g. {predictor.__name__}(...))")
    missing = [m for m in ("score", "classify") if not callable(getattr(predictor, m, None))]
    if missing:
        raise TypeError(f"{name} must have callable score() and classify() methods; "
                        f"{type(predictor).__name__} lacks {', '.join(missing)}")
    return predictor


def predictor_name(predictor: Any) -> str:
    """The short name a predictor gives for plot titles (its ``name``, else its class name)."""
    return str(getattr(predictor, "name", type(predictor).__name__))


def boundary_legend_handles(predictor_name: str | None) -> list[Line2D]:
    """Legend entries for ``plot_predictor``: the two labels, the Bayes boundary and, when
    ``predictor_name`` is given, the predictor's boundary and the circled errors. Pass them to
    ``fig.legend`` to share one legend among subplots drawn with ``legend=False``."""
    if predictor_name is not None and not isinstance(predictor_name, str):
        raise TypeError(f"predictor_name must be a str or None; got "
                        f"{type(predictor_name).__name__} {predictor_name!r}")
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


class G2Model:
    """Two equally likely classes, each an equal mixture of three Gaussians with covariance I/20."""

    name = "Bayes optimal"

    def __init__(self) -> None:
        self.negative_means = np.array(NEGATIVE_MEANS)
        self.positive_means = np.array(POSITIVE_MEANS)
        self.covariance = VARIANCE * np.eye(2)

    def generate_sample(self, n: int, rng: Any = None) -> tuple[np.ndarray, np.ndarray]:
        """Draw ``n`` labelled points, n/2 of each class, in shuffled order:
        ``(x [n, 2] float64, y [n] int64)``.

        Memory peaks near the result's BYTES_PER_POINT bytes a point; an n whose result would not
        fit in the memory available is refused up front (ValueError naming n).
        """
        n = check_sample_size(n)
        check_sample_fits(n)
        gen = as_generator(rng)
        try:
            x = noisy_means(gen, n, self.negative_means, self.positive_means)
            return shuffled_sample(gen, x)
        except MemoryError:
            raise MemoryError(f"n = {n} points need {n * BYTES_PER_POINT / 2**30:.3g} GiB, which "
                              "could not be allocated: ask for fewer points") from None

    def score(self, x: Any) -> np.ndarray:
        """Bayes-optimal log-odds log p(x|+1) - log p(x|-1), shape [N].

        Each class term is a log-sum-exp over its components; the common -|x|^2/(2 var) cancels
        between classes, so what remains is linear in x. Each point is first divided by a power of
        two (exactly) that brings it into [-2, 2]^2, and the difference of the two classes' largest
        terms is scaled back last: the score is accurate to the rounding of those terms, finite
        where it fits in a float and +-inf beyond, never NaN for any finite x.
        """
        points = as_points(x)
        scale = power_of_two_scale(points)
        top_positive, rest_positive = scaled_log_sum_exp(
            scaled_linear_terms(points, scale, self.positive_means), scale)
        top_negative, rest_negative = scaled_log_sum_exp(
            scaled_linear_terms(points, scale, self.negative_means), scale)
        with np.errstate(over="ignore"):  # beyond float range the log-odds is +-inf
            return scale * (top_positive - top_negative) + (rest_positive - rest_negative)

    def classify(self, x: Any) -> np.ndarray:
        """Bayes-optimal labels in {-1, +1}; a score of exactly 0 gives +1."""
        return np.where(self.score(x) >= 0, 1, -1)

    def class_densities(self, x: Any) -> tuple[np.ndarray, np.ndarray]:
        """The class-conditional densities ``(p(x|-1), p(x|+1))`` at points x [N, 2], each of shape
        [N]."""
        points = as_points(x)
        return (mixture_density(points, self.negative_means),
                mixture_density(points, self.positive_means))

    def true_error_rate(self, predictor: Any, *, half_width: float = 3.0,
                        points: int = 601) -> float:
        """The predictor's true error rate, the integral of 1/2 p(x|-1) 1{classify(x) = +1} + 1/2
        p(x|+1) 1{classify(x) = -1}: the mean of its two class error rates
        (``class_error_rates``)."""
        negative, positive = self.class_error_rates(predictor, half_width=half_width, points=points)
        return (negative + positive) / 2.0

    def class_error_rates(self, predictor: Any, *, half_width: float = 3.0,
                          points: int = 601) -> tuple[float, float]:
        """(R-, R+): the probabilities that the predictor misclassifies a point of class -1 and of
        class +1, the integrals of p(x|-1) 1{classify(x) = +1} and p(x|+1) 1{classify(x) = -1}, by
        the midpoint rule on the (points - 1)^2 cells of a points x points grid on
        [-half_width, half_width]^2.

        The grid must resolve and hold the classes: cells at most MAX_CELL_WIDTH standard
        deviations wide, and at most MAX_MASS_OUTSIDE of either class outside the square; any other
        grid is refused (ValueError naming half_width and points). The defaults (cells of 0.01, or
        0.045 standard deviations; the nearest means 8.94 standard deviations inside) leave out a
        mass of 1.9e-19 per class. A boundary crossing a cell counts the whole cell on its centre's
        side; along a curved or oblique boundary those errors largely cancel (quartering the cells
        moves the Bayes error by 6e-6), and a boundary on grid lines, such as x1 = 0, loses
        nothing. The predictor sees at most INTEGRATION_CHUNK points per call.
        """
        check_predictor(predictor)
        centres, step = cell_centres(half_width, points)
        check_grid_resolves(half_width, points, step)
        for label, means in ((-1, self.negative_means), (1, self.positive_means)):
            check_square_holds(half_width, means, label)
        wrong_negative = wrong_positive = 0.0
        for cell_points in grid_chunks(centres):
            negative, positive = self.class_densities(cell_points)
            plus = predicted_labels(predictor, cell_points) == 1
            wrong_negative += float(np.sum(negative[plus]))
            wrong_positive += float(np.sum(positive[~plus]))
        return wrong_negative * step**2, wrong_positive * step**2

    def bayes_error(self, *, half_width: float = 3.0, points: int = 601) -> float:
        """The Bayes error rate, the floor no predictor beats: ``true_error_rate`` of the Bayes
        classifier."""
        return self.true_error_rate(self, half_width=half_width, points=points)

    @staticmethod
    def error_rate(predictor: Any, data: tuple[Any, Any]) -> float:
        """Fraction of ``data = (x, y)`` that ``predictor.classify`` gets wrong."""
        check_predictor(predictor)
        x, y = unpack_data(data)
        return float(np.mean(predicted_labels(predictor, x) != y))

    def plot_predictor(self, data: tuple[Any, Any], predictor: Any = None, *,
                       train_error: float | None = None, test_error: float | None = None,
                       ax: Axes | None = None, title: str | None = None,
                       legend: bool = True) -> Axes:
        """Draw the data, the Bayes boundary (red dashed) and the predictor's boundary (black) with
        its errors circled.

        ``train_error`` defaults to the predictor's error on ``data``; ``test_error`` is shown when
        given. The legend goes below the axes; with ``legend=False`` there is none (share one among
        subplots with ``fig.legend(handles=boundary_legend_handles(name))``). Draws into ``ax`` when
        given, else into a new figure; returns the Axes.
        """
        if not isinstance(self, G2Model):
            raise TypeError("plot_predictor must be called on a G2Model object "
                            f"(G2Model().plot_predictor(data)); got {type(self).__name__} as self")
        x, y = unpack_data(data)
        if predictor is not None:
            check_predictor(predictor)
        check_plot_options(train_error, test_error, ax, title, legend)
        grid_x1, grid_x2 = boundary_grid(x)
        grid_points = np.column_stack([grid_x1.ravel(), grid_x2.ravel()])
        bayes_scores = contour_values(self.score(grid_points), grid_x1.shape)
        # The predictor is called before anything is drawn: if it fails, no figure is left.
        fitted = (None if predictor is None else
                  predictor_outputs(predictor, grid_points, grid_x1.shape, x, y))
        if ax is None:
            ax = new_boundary_axes()
        ax.scatter(*x[y == -1].T, s=12, marker="o", color="tab:blue")
        ax.scatter(*x[y == 1].T, s=12, marker="D", color="tab:red")
        ax.contour(grid_x1, grid_x2, bayes_scores, levels=[0.0], colors="red", linestyles="--",
                   linewidths=1.5)
        misclassified = None
        if fitted is not None:
            scores, wrong = fitted
            ax.contour(grid_x1, grid_x2, scores, levels=[0.0], colors="black", linestyles="-",
                       linewidths=1.5)
            ax.scatter(*x[wrong].T, s=70, facecolors="none", edgecolors="black", linewidths=1.0)
            misclassified = int(wrong.sum())
            if train_error is None:
                train_error = float(np.mean(wrong))
        if legend:
            add_legend_below(ax, boundary_legend_handles(
                None if predictor is None else predictor_name(predictor)))
        ax.set(xlabel="$x_1$", ylabel="$x_2$", aspect="equal")
        ax.set_title(plot_title(title, predictor, len(y), misclassified, train_error, test_error),
                     fontsize=FONT_SIZE)
        return ax


def predictor_outputs(predictor: Any, grid_points: np.ndarray, shape: tuple[int, ...],
                      x: np.ndarray, y: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """The predictor's checked scores on the grid (ready to contour), and which points of (x, y) it
    gets wrong."""
    scores = as_scores(predictor.score(grid_points), len(grid_points), "predictor.score(x)")
    return contour_values(scores, shape), predicted_labels(predictor, x) != y


def cell_centres(half_width: Any, points: Any) -> tuple[np.ndarray, float]:
    """The centres of the points - 1 equal cells that split [-half_width, half_width], and their
    width."""
    half_width = check_positive(half_width, "half_width")
    points = check_integer(points, "points", "an int >= 2 (grid points per axis)")
    if points < 2:
        raise ValueError(f"points must be an int >= 2 (grid points per axis); got {points}")
    step = 2.0 * half_width / (points - 1)
    return -half_width + step * (np.arange(points - 1) + 0.5), step


def check_grid_resolves(half_width: float, points: int, step: float) -> None:
    """Refuse, naming half_width and points, cells wider than MAX_CELL_WIDTH standard deviations."""
    widest = MAX_CELL_WIDTH * math.sqrt(VARIANCE)
    if step > widest:
        needed = math.ceil(2.0 * half_width / widest) + 1
        raise ValueError(
            f"half_width and points must give cells at most {MAX_CELL_WIDTH} standard deviations "
            f"({widest:.4g}) wide; got cells {step:.4g} wide (half_width = {half_width:g}, "
            f"points = {points}): use points >= {needed if needed < 1e9 else f'{needed:.3g}'} "
            "or a smaller half_width")


def check_square_holds(half_width: float, means: np.ndarray, label: int) -> None:
    """Refuse, naming half_width, a square leaving over MAX_MASS_OUTSIDE of class ``label`` out."""
    outside = mass_outside(means, half_width)
    if outside > MAX_MASS_OUTSIDE:
        raise ValueError(
            f"half_width must leave at most {MAX_MASS_OUTSIDE:g} of each class outside the square; "
            f"got half_width = {half_width:g}, which leaves {outside:.3g} of class {label:+d} "
            "outside: use a larger half_width (the default 3.0 leaves 1.9e-19)")


def mass_outside(means: np.ndarray, half_width: float) -> float:
    """The mass the equal mixture of N(mu_k, VARIANCE I) puts outside [-half_width, half_width]^2,
    in closed form."""
    scale = math.sqrt(2 * VARIANCE)
    inside = [math.prod((math.erf((half_width - m) / scale) + math.erf((half_width + m) / scale))
                        / 2 for m in mean) for mean in means]
    return 1.0 - float(np.mean(inside))


def grid_chunks(centres: np.ndarray) -> Iterator[np.ndarray]:
    """The points of the grid centres x centres ([K^2, 2], x1 varying fastest), in chunks of
    INTEGRATION_CHUNK points."""
    count = len(centres) ** 2
    for start in range(0, count, INTEGRATION_CHUNK):
        index = np.arange(start, min(start + INTEGRATION_CHUNK, count))
        yield np.column_stack([centres[index % len(centres)], centres[index // len(centres)]])


def check_sample_fits(n: int) -> None:
    """Refuse, naming n, a sample whose BYTES_PER_POINT bytes a point exceed the memory free."""
    available = available_memory()
    needed = n * BYTES_PER_POINT
    if available is not None and needed > available:
        raise ValueError(
            f"n must be small enough for the sample to fit in memory; got n = {n}, which needs "
            f"{needed / 2**30:.3g} GiB, more than the {available / 2**30:.3g} GiB available")


def available_memory() -> int | None:
    """Bytes of memory available: Linux's MemAvailable, else the physical memory (POSIX), else None
    (unknown)."""
    try:
        with open("/proc/meminfo", encoding="ascii") as meminfo:
            return next(int(line.split()[1]) * 1024 for line in meminfo
                        if line.startswith("MemAvailable:"))
    except (OSError, StopIteration, ValueError, IndexError):
        pass
    try:
        return os.sysconf("SC_PAGE_SIZE") * os.sysconf("SC_PHYS_PAGES")
    except (AttributeError, OSError, ValueError):
        return None


def noisy_means(gen: np.random.Generator, n: int, negative_means: np.ndarray,
                positive_means: np.ndarray) -> np.ndarray:
    """Class -1's n/2 points, then class +1's [n, 2]: each a random component's mean plus noise.

    The components are drawn first (class -1's, then class +1's), then the noise, as ever: a seed
    gives the same sample as before. The means are added into the noise in place, in chunks, so no
    second [n, 2] array is made.
    """
    half = n // 2
    components = [gen.integers(0, 3, size=half).astype(np.int8) for _ in range(2)]
    x = gen.normal(scale=np.sqrt(VARIANCE), size=(n, 2))
    for rows, means, component in ((x[:half], negative_means, components[0]),
                                   (x[half:], positive_means, components[1])):
        for start in range(0, half, SAMPLE_CHUNK):
            rows[start:start + SAMPLE_CHUNK] += means[component[start:start + SAMPLE_CHUNK]]
    return x


def shuffled_sample(gen: np.random.Generator, x: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """``(x[order], y[order])`` for ``order = gen.permutation(n)`` and labels y = -1 (first half),
    +1 (second half), computed in place.

    The permutation's labels overwrite it; x is then shuffled in place by the same draws (the
    generator rewound), which leave the generator where the permutation had. The shuffle sees x's
    rows as one 16-byte item each: numpy shuffles that 1-D array 30 times faster than 2-D rows.
    """
    half = len(x) // 2
    state = gen.bit_generator.state
    y = gen.permutation(len(x))
    for start in range(0, len(y), SAMPLE_CHUNK):
        block = y[start:start + SAMPLE_CHUNK]
        block[:] = np.where(block < half, -1, 1)
    gen.bit_generator.state = state
    gen.shuffle(x.view(np.dtype((np.void, x.strides[0]))).reshape(-1))
    return x, y


def power_of_two_scale(points: np.ndarray) -> np.ndarray:
    """Per point, the power of two 2^e >= 1 that brings its coordinates into [-2, 2]: dividing by it
    is exact."""
    _, exponent = np.frexp(np.max(np.abs(points), axis=1))
    return np.ldexp(1.0, np.clip(exponent, 0, 1023))


def scaled_linear_terms(points: np.ndarray, scale: np.ndarray, means: np.ndarray) -> np.ndarray:
    """(2 x.mu_k - |mu_k|^2) / (2 var) / scale, shape [K, N]: each component's log-density up to
    terms common to all, divided by each point's ``scale``."""
    return ((2.0 * means @ (points / scale[:, None]).T - np.sum(means**2, axis=1)[:, None] / scale)
            / (2 * VARIANCE))


def scaled_log_sum_exp(terms: np.ndarray, scale: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """log(sum_k exp(scale * terms_k)) over the first axis, as ``(top, rest)`` with the result
    ``scale * top + rest``: ``top`` is the largest term (scaled back it may overflow), ``rest`` in
    [0, log K]."""
    top = terms.max(axis=0)
    with np.errstate(over="ignore"):  # scale * (terms - top) may reach -inf: its exp is then 0
        return top, np.log(np.exp(scale * (terms - top)).sum(axis=0))


def mixture_density(points: np.ndarray, means: np.ndarray) -> np.ndarray:
    """The equal-weight mixture of N(mu_k, VARIANCE I) at points [N, 2], shape [N]."""
    squared_distances = np.sum((points[:, None, :] - means[None, :, :]) ** 2, axis=2)
    return np.mean(np.exp(-squared_distances / (2 * VARIANCE)), axis=1) / (2 * np.pi * VARIANCE)


def predicted_labels(predictor: Any, x: np.ndarray) -> np.ndarray:
    """``predictor.classify(x)``, checked to be [N] (or [N, 1]) labels in {-1, +1}: 0/1 labels, say,
    would otherwise compare silently wrong."""
    return as_labels(predictor.classify(x), len(x), "predictor.classify(x)")


def unpack_data(data: Any) -> tuple[np.ndarray, np.ndarray]:
    """Validate ``data = (x, y)`` and return it as (float64 [N, 2], int64 [N])."""
    if not isinstance(data, (tuple, list)) or len(data) != 2:
        raise TypeError(f"data must be a pair (x, y); got {type(data).__name__}")
    x = as_points(data[0], "data x")
    if len(x) == 0:
        raise ValueError("data must hold at least one point; got x of shape [0, 2]")
    return x, as_labels(data[1], len(x), "data y")


def check_optional_rate(value: Any, name: str) -> None:
    """Raise unless ``value`` is None or an error rate in [0, 1]."""
    if value is not None:
        check_fraction(value, name)


def check_plot_options(train_error: Any, test_error: Any, ax: Any, title: Any, legend: Any) -> None:
    """Raise, naming the argument, unless plot_predictor's keyword arguments have the documented
    types and ranges."""
    check_optional_rate(train_error, "train_error")
    check_optional_rate(test_error, "test_error")
    if ax is not None and not isinstance(ax, Axes):
        raise TypeError(f"ax must be a matplotlib Axes (e.g. from plt.subplots()) or None; got "
                        f"{type(ax).__name__}")
    if title is not None and not isinstance(title, str):
        raise TypeError(f"title must be a str or None; got {type(title).__name__} {title!r}")
    if not isinstance(legend, (bool, np.bool_)):
        raise TypeError(f"legend must be True or False; got {type(legend).__name__} {legend!r}")


def boundary_grid(x: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """A GRID_SIZE x GRID_SIZE mesh over the data's range with GRID_MARGIN on each side."""
    low, high = x.min(axis=0) - GRID_MARGIN, x.max(axis=0) + GRID_MARGIN
    return np.meshgrid(np.linspace(low[0], high[0], GRID_SIZE),
                       np.linspace(low[1], high[1], GRID_SIZE))


def contour_values(scores: np.ndarray, shape: tuple[int, ...]) -> np.ndarray:
    """Scores reshaped to the grid, +-inf clipped to +-CONTOUR_LIMIT: contouring needs finite
    values."""
    return np.clip(scores, -CONTOUR_LIMIT, CONTOUR_LIMIT).reshape(shape)


def new_boundary_axes() -> Axes:
    """Axes in a new figure with fixed margins (in inches) for the three-line title above and the x
    label and legend below. An equal-aspect axes shrinks inside them and its title and legend follow
    it, so nothing is clipped whatever the data's aspect; a layout engine (constrained layout) can
    misplace such an axes, so none is used."""
    width, height = FIGURE_SIZE
    fig = plt.figure(figsize=FIGURE_SIZE, layout="none")
    fig.subplots_adjust(left=FIGURE_MARGINS["left"] / width,
                        right=1 - FIGURE_MARGINS["right"] / width,
                        top=1 - FIGURE_MARGINS["top"] / height,
                        bottom=FIGURE_MARGINS["bottom"] / height)
    return fig.add_subplot()


def add_legend_below(ax: Axes, handles: list[Line2D]) -> None:
    """The legend centred below the axes, clear of the tick labels and x label, so it never covers
    the data."""
    below = ax.transAxes + ScaledTranslation(0.0, -LEGEND_DROP, ax.figure.dpi_scale_trans)
    ax.legend(handles=handles, loc="upper center", bbox_to_anchor=(0.5, 0.0), bbox_transform=below,
              ncol=3, fontsize=FONT_SIZE, frameon=False, handlelength=1.8, columnspacing=1.2)


def plot_title(title: str | None, predictor: Any, n: int, misclassified: int | None,
               train_error: float | None, test_error: float | None) -> str:
    """Up to three short lines (they fit a subplot of a grid): the caller's title (or the
    predictor's name), then N, the hidden size and the number of circled errors, then the error
    rates in percent."""
    lines = [title or (predictor_name(predictor) if predictor is not None
                       else "Ground truth and data")]
    hidden_size = getattr(predictor, "hidden_size", None)
    facts = [f"N = {n}"]
    if hidden_size is not None:
        facts.append(f"hidden size = {hidden_size}")
    if misclassified is not None:
        facts.append(f"{misclassified} misclassified")
    lines.append(", ".join(facts))
    rates = [f"{label} error {100 * rate:.2f}%"
             for label, rate in (("train", train_error), ("test", test_error)) if rate is not None]
    if rates:
        lines.append(", ".join(rates))
    return "\n".join(lines)
