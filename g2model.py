"""The lab's ground truth: a two-class mixture of isotropic 2-D Gaussians.

``G2Model`` draws labelled samples, gives the Bayes-optimal log-odds and
classifier, measures any predictor's error rate and draws decision boundaries
with the plotting conventions of the course template (see
``shared/assignment/ground_truth_model.md``).
"""

from __future__ import annotations

import numbers
from typing import Any

import matplotlib.pyplot as plt
import numpy as np
from matplotlib.axes import Axes
from matplotlib.lines import Line2D

NEGATIVE_MEANS = ((-1.0, -1.0), (-1.0, 0.0), (0.0, 0.0))
POSITIVE_MEANS = ((0.0, 1.0), (0.0, -1.0), (1.0, 0.0))
VARIANCE = 0.05  # per coordinate: covariance I / 20
GRID_SIZE = 200
GRID_MARGIN = 0.5


def as_points(x: Any, name: str = "x") -> np.ndarray:
    """Return ``x`` (numpy array, nested list or torch tensor) as a finite float64 array [N, 2]."""
    if isinstance(x, (str, bytes)):
        raise TypeError(f"{name} must be an array of shape [N, 2]; got {type(x).__name__} {x!r}")
    if hasattr(x, "detach") and hasattr(x, "cpu"):  # a torch tensor, on any device, of any dtype
        x = x.detach().cpu().double().numpy()
    try:
        points = np.asarray(x, dtype=np.float64)
    except (TypeError, ValueError) as exc:
        raise TypeError(f"{name} must be an array of numbers of shape [N, 2]; got {type(x).__name__}: {exc}") from None
    if points.ndim != 2 or points.shape[1] != 2:
        raise ValueError(f"{name} must have shape [N, 2]; got shape {list(points.shape)}")
    if not np.all(np.isfinite(points)):
        raise ValueError(f"{name} must hold finite numbers; got {int(np.sum(~np.isfinite(points)))} NaN or inf entries")
    return points


def as_labels(y: Any, n: int, name: str = "y") -> np.ndarray:
    """Return ``y`` as an int64 array of ``n`` labels in {-1, +1}."""
    if hasattr(y, "detach") and hasattr(y, "cpu"):
        y = y.detach().cpu().numpy()
    labels = np.asarray(y)
    if labels.shape != (n,):
        raise ValueError(f"{name} must have shape [{n}] to match x; got shape {list(labels.shape)}")
    if not np.all(np.isin(labels, (-1, 1))):
        raise ValueError(f"{name} must hold labels -1 and +1 only; got values {np.unique(labels)[:5].tolist()}")
    return labels.astype(np.int64)


def check_sample_size(n: Any) -> int:
    """Return ``n`` as an int when it is a positive even integer, else raise naming what was given."""
    if isinstance(n, bool) or not isinstance(n, numbers.Integral):
        raise TypeError(f"n must be a positive even integer; got {type(n).__name__} {n!r}")
    if n <= 0 or n % 2:
        raise ValueError(f"n must be a positive even integer (n/2 points per class); got {n}")
    return int(n)


def as_generator(rng: Any) -> np.random.Generator:
    """Return a numpy Generator from None (fresh entropy), an int seed or a Generator."""
    if rng is None or isinstance(rng, np.random.Generator):
        return np.random.default_rng(rng)
    if isinstance(rng, bool) or not isinstance(rng, numbers.Integral):
        raise TypeError("rng must be None, a non-negative int seed or a numpy.random.Generator; "
                        f"got {type(rng).__name__} {rng!r}")
    if rng < 0:
        raise ValueError(f"rng must be a non-negative int seed; got {rng}")
    return np.random.default_rng(int(rng))


def check_predictor(predictor: Any, name: str = "predictor") -> Any:
    """Return ``predictor`` when it has callable ``score`` and ``classify`` methods."""
    missing = [m for m in ("score", "classify") if not callable(getattr(predictor, m, None))]
    if missing:
        raise TypeError(f"{name} must have callable score() and classify() methods; "
                        f"{type(predictor).__name__} lacks {', '.join(missing)}")
    return predictor


def predictor_name(predictor: Any) -> str:
    """The short name a predictor gives for plot titles (its ``name``, else its class name)."""
    return str(getattr(predictor, "name", type(predictor).__name__))


class G2Model:
    """Two equally likely classes, each an equal mixture of three Gaussians with covariance I/20."""

    name = "Bayes optimal"

    def __init__(self) -> None:
        self.negative_means = np.array(NEGATIVE_MEANS)
        self.positive_means = np.array(POSITIVE_MEANS)
        self.covariance = VARIANCE * np.eye(2)

    def generate_sample(self, n: int, rng: Any = None) -> tuple[np.ndarray, np.ndarray]:
        """Draw ``n`` labelled points, n/2 of each class, in shuffled order: ``(x [n, 2] float64, y [n] int64)``."""
        n = check_sample_size(n)
        gen = as_generator(rng)
        half = n // 2
        means = np.concatenate([
            self.negative_means[gen.integers(0, 3, size=half)],
            self.positive_means[gen.integers(0, 3, size=half)],
        ])
        x = means + gen.normal(scale=np.sqrt(VARIANCE), size=(n, 2))
        y = np.repeat(np.array([-1, 1], dtype=np.int64), half)
        order = gen.permutation(n)
        return x[order], y[order]

    def score(self, x: Any) -> np.ndarray:
        """Bayes-optimal log-odds log p(x|+1) - log p(x|-1), shape [N].

        Each class term is a log-sum-exp over its components; the common -|x|^2/(2 var)
        cancels between classes, so what remains is linear in x: finite up to |x| of about 1e306,
        and +-inf (never NaN) beyond, where the component terms themselves overflow.
        """
        points = as_points(x)
        with np.errstate(over="ignore", invalid="ignore"):
            return (log_sum_exp(self.linear_terms(points, self.positive_means))
                    - log_sum_exp(self.linear_terms(points, self.negative_means)))

    @staticmethod
    def linear_terms(points: np.ndarray, means: np.ndarray) -> np.ndarray:
        """(2 x.mu_k - |mu_k|^2) / (2 var), shape [K, N]: each component's log-density up to terms common to all."""
        return (2.0 * means @ points.T - np.sum(means**2, axis=1)[:, None]) / (2.0 * VARIANCE)

    def classify(self, x: Any) -> np.ndarray:
        """Bayes-optimal labels in {-1, +1}; a score of exactly 0 gives +1."""
        return np.where(self.score(x) >= 0, 1, -1)

    @staticmethod
    def error_rate(predictor: Any, data: tuple[Any, Any]) -> float:
        """Fraction of ``data = (x, y)`` that ``predictor.classify`` gets wrong."""
        x, y = unpack_data(data)
        return float(np.mean(predicted_labels(check_predictor(predictor), x) != y))

    def plot_predictor(self, data: tuple[Any, Any], predictor: Any = None, *, train_error: float | None = None,
                       test_error: float | None = None, ax: Axes | None = None, title: str | None = None) -> Axes:
        """Draw the data, the Bayes boundary (red dashed) and the predictor's boundary (black) with its errors circled.

        ``train_error`` defaults to the predictor's error on ``data``; ``test_error`` is shown when given.
        Draws into ``ax`` when given, else into a new figure; returns the Axes.
        """
        x, y = unpack_data(data)
        if predictor is not None:
            check_predictor(predictor)
        for name, value in (("train_error", train_error), ("test_error", test_error)):
            check_rate(value, name)
        if ax is None:
            _, ax = plt.subplots(figsize=(5.5, 5.5))
        grid_x1, grid_x2 = boundary_grid(x)
        grid_points = np.column_stack([grid_x1.ravel(), grid_x2.ravel()])
        handles = [
            Line2D([], [], ls="", marker="o", ms=4, color="tab:blue", label="label -1"),
            Line2D([], [], ls="", marker="D", ms=4, color="tab:red", label="label +1"),
            Line2D([], [], color="red", ls="--", label="Bayes optimal"),
        ]
        ax.scatter(*x[y == -1].T, s=12, marker="o", color="tab:blue")
        ax.scatter(*x[y == 1].T, s=12, marker="D", color="tab:red")
        ax.contour(grid_x1, grid_x2, self.score(grid_points).reshape(grid_x1.shape), levels=[0.0],
                   colors="red", linestyles="--", linewidths=1.5)
        if predictor is not None:
            predictor_scores = np.asarray(predictor.score(grid_points), dtype=np.float64)
            ax.contour(grid_x1, grid_x2, predictor_scores.reshape(grid_x1.shape), levels=[0.0],
                       colors="black", linestyles="-", linewidths=1.5)
            wrong = predicted_labels(predictor, x) != y
            ax.scatter(*x[wrong].T, s=70, facecolors="none", edgecolors="black", linewidths=1.0)
            handles += [
                Line2D([], [], color="black", label=predictor_name(predictor)),
                Line2D([], [], ls="", marker="o", ms=8, mfc="none", mec="black",
                       label=f"misclassified ({int(wrong.sum())})"),
            ]
            if train_error is None:
                train_error = float(np.mean(wrong))
        ax.legend(handles=handles, loc="upper left", fontsize=8, framealpha=0.85)
        ax.set(xlabel="$x_1$", ylabel="$x_2$", aspect="equal",
               title=plot_title(title, predictor, len(y), train_error, test_error))
        ax.title.set_fontsize(10)
        return ax


def log_sum_exp(values: np.ndarray) -> np.ndarray:
    """log(sum(exp(values))) over the first axis (components), shifted by the maximum so that it never overflows.

    Where the maximum itself is infinite (|x| beyond ~1e306) the result is that infinity, not NaN.
    """
    top = values.max(axis=0)
    finite_top = np.where(np.isinf(top), 0.0, top)
    return top + np.log(np.exp(values - finite_top).sum(axis=0))


def predicted_labels(predictor: Any, x: np.ndarray) -> np.ndarray:
    """``predictor.classify(x)``, checked to be [N] labels in {-1, +1} (a [N, 1] column or 0/1 labels would
    otherwise broadcast or compare silently wrong)."""
    return as_labels(predictor.classify(x), len(x), "predictor.classify(x)")


def unpack_data(data: Any) -> tuple[np.ndarray, np.ndarray]:
    """Validate ``data = (x, y)`` and return it as (float64 [N, 2], int64 [N])."""
    if not isinstance(data, (tuple, list)) or len(data) != 2:
        raise TypeError(f"data must be a pair (x, y); got {type(data).__name__}")
    x = as_points(data[0], "data x")
    if len(x) == 0:
        raise ValueError("data must hold at least one point; got x of shape [0, 2]")
    return x, as_labels(data[1], len(x), "data y")


def check_rate(value: Any, name: str) -> None:
    """Raise unless ``value`` is None or an error rate in [0, 1]."""
    if value is None:
        return
    if isinstance(value, bool) or not isinstance(value, numbers.Real) or not 0.0 <= value <= 1.0:
        raise ValueError(f"{name} must be a fraction in [0, 1] or None; got {value!r}")


def boundary_grid(x: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """A GRID_SIZE x GRID_SIZE mesh over the data's range with GRID_MARGIN on each side."""
    low, high = x.min(axis=0) - GRID_MARGIN, x.max(axis=0) + GRID_MARGIN
    return np.meshgrid(np.linspace(low[0], high[0], GRID_SIZE), np.linspace(low[1], high[1], GRID_SIZE))


def plot_title(title: str | None, predictor: Any, n: int, train_error: float | None, test_error: float | None) -> str:
    """Up to three short lines (they fit a subplot of a grid): the caller's title (or the predictor's name),
    then N and the hidden size, then the error rates in percent."""
    lines = [title or (predictor_name(predictor) if predictor is not None else "Ground truth and data")]
    hidden_size = getattr(predictor, "hidden_size", None)
    lines.append(f"N = {n}" + (f", hidden size = {hidden_size}" if hidden_size is not None else ""))
    rates = [f"{label} error {100 * rate:.2f}%" for label, rate in (("train", train_error), ("test", test_error))
             if rate is not None]
    if rates:
        lines.append(", ".join(rates))
    return "\n".join(lines)
