"""The notebook's multi-panel and multi-curve figures, drawn from numbers it has already computed.

Each function takes the results (curves, errors, predictors), draws one figure with constrained
layout and returns it; the notebook shows it. Legends sit outside the data: below or beside the
axes, or in a corner the curves leave free. Bad input raises TypeError or ValueError naming the
argument.
"""

from __future__ import annotations

import math
from collections.abc import Hashable, Mapping
from typing import Any

import matplotlib.pyplot as plt
import numpy as np
import torch
from matplotlib.axes import Axes
from matplotlib.figure import Figure
from matplotlib.lines import Line2D
from matplotlib.ticker import NullFormatter

from g2model import G2Model, as_numeric_array, boundary_legend_handles, predictor_name
from lab2.checks import check_at_least, check_fraction, check_positive
from lab2.timing import check_step_seconds

STEP = r"$\varepsilon$"  # the finite-difference step length
MACHINE_EPS = r"$\varepsilon_{\mathrm{mach}}$"  # the dtype's machine epsilon: another symbol
SWEEP_YLABEL = r"$|\Delta\mathcal{L} - \langle\nabla\mathcal{L}, \Delta w\rangle|\ /\ \varepsilon$"
SWEEP_FLOOR = 1e-18  # exact zeros are drawn here, below the panels' lower limit
SWEEP_YLIM = (1e-16, 1e2)
PANEL_SIZE = (4.2, 4.6)  # inches per boundary panel, its three-line title and x label included
LEGEND_HEIGHT = 0.6  # inches below the boundary panels for the shared legend
SUPTITLE_HEIGHT = 0.35  # inches above them for a suptitle
PERCENT_TICKS = (1, 2, 5, 10, 20, 50, 100)
SPEED_STYLES = {"hand": ("by hand (this notebook)", "o"), "nn": ("nn.Sequential + optim.SGD", "x")}
SHARPNESS_KEYS = ("loss", "sharpness", "along_gradient")
MINUS = "\u2212"


def boundary_panels(g2: G2Model, data: tuple[Any, Any], predictors: Mapping[Hashable, Any],
                    test_errors: Mapping[Hashable, float], *,
                    titles: Mapping[Hashable, str] | None = None, rows: int = 1,
                    suptitle: str | None = None) -> Figure:
    """A grid of ``g2.plot_predictor`` panels, filled row by row in the order of ``predictors``,
    with one shared legend: in the first spare cell of the grid if there is one, else below.
    ``titles`` replaces the first title line of the panels named."""
    if not isinstance(g2, G2Model):
        raise TypeError(f"g2 must be a G2Model; got {type(g2).__name__}")
    check_mapping(predictors, "predictors", "a non-empty mapping of panel keys to predictors")
    check_covers(test_errors, "test_errors", predictors)
    titles = {} if titles is None else titles
    check_within(titles, "titles", predictors)
    rows = check_count(rows, "rows", len(predictors))
    if suptitle is not None:
        check_text(suptitle, "suptitle")
    columns = math.ceil(len(predictors) / rows)
    spare = rows * columns > len(predictors)
    height = (rows * PANEL_SIZE[1] + (0.0 if spare else LEGEND_HEIGHT)
              + (SUPTITLE_HEIGHT if suptitle else 0.0))
    fig, axes = plt.subplots(rows, columns, figsize=(columns * PANEL_SIZE[0], height),
                             layout="constrained", squeeze=False)
    try:
        for ax, (key, predictor) in zip(axes.flat, predictors.items(), strict=False):
            g2.plot_predictor(data, predictor, test_error=test_errors[key], ax=ax,
                              title=titles.get(key), legend=False)
    except Exception:
        plt.close(fig)  # no half-drawn figure left open
        raise
    for ax in axes.flat[len(predictors):]:
        ax.set_axis_off()
    handles = boundary_legend_handles(predictor_name(next(iter(predictors.values()))))
    if spare:
        axes.flat[len(predictors)].legend(handles=handles, loc="center")
    else:
        ncol = len(handles) if columns >= 3 else 3  # five entries need about three panels' width
        fig.legend(handles=handles, loc="outside lower center", ncol=ncol)
    if suptitle is not None:
        fig.suptitle(suptitle)
    return fig


def epsilon_sweep_figure(eps: np.ndarray,
                         panels: Mapping[str, tuple[Mapping[str, np.ndarray], Any]],
                         title: str) -> Figure:
    """One log-log panel per entry of ``panels`` (title -> (ratios per parameter, dtype or machine
    epsilon)): each ratio against the step ε, with the truncation and round-off slopes."""
    eps = as_curve(eps, "eps")
    check_mapping(panels, "panels", "a non-empty mapping of panel titles to (ratios, dtype)")
    checked = {check_text(panel_title, "panels key"):
               sweep_panel(panel, f"panels[{panel_title!r}]", len(eps))
               for panel_title, panel in panels.items()}
    title = check_text(title, "title")
    fig, axes = plt.subplots(1, len(panels), figsize=(10, 4.6), sharey=True, layout="constrained",
                             squeeze=False)
    for ax, (panel_title, (ratios, machine_eps)) in zip(axes[0], checked.items(), strict=True):
        draw_sweep(ax, eps, ratios)
        draw_slopes(ax, eps, machine_eps)
        ax.set(title=panel_title, xlabel=f"step length {STEP}")
    axes[0, 0].set_ylabel(SWEEP_YLABEL)
    fig.suptitle(title)
    fig.legend(*axes[0, 0].get_legend_handles_labels(), loc="outside lower center", ncol=6)
    return fig


def sweep_against_reference_figure(eps: np.ndarray, ratios: Mapping[str, np.ndarray],
                                   reference: Mapping[str, np.ndarray], precision: Any, *,
                                   title: str, label: str, reference_label: str) -> Figure:
    """One ε-sweep panel: ``ratios`` as in ``epsilon_sweep_figure``, with ``reference`` curves (some
    of the same parameters, e.g. ReLU's W1 and b1) as thin faded lines in the matching colours."""
    eps = as_curve(eps, "eps")
    ratios = sweep_ratios(ratios, "ratios", len(eps))
    reference = sweep_ratios(reference, "reference", len(eps))
    if unknown := [name for name in reference if name not in ratios]:
        raise ValueError(f"reference must name parameters of ratios {list(ratios)}; "
                         f"got {unknown}")
    machine_eps = machine_epsilon(precision, "precision")
    texts = {name: check_text(text, name) for name, text in
             (("title", title), ("label", label), ("reference_label", reference_label))}
    fig, ax = plt.subplots(figsize=(7, 5), layout="constrained")
    lines = draw_sweep(ax, eps, ratios, suffix=f" ({texts['label']})")
    for name, values in reference.items():
        ax.loglog(eps, np.maximum(values, SWEEP_FLOOR), color=lines[name].get_color(), lw=1.2,
                  alpha=0.55, label=f"{name} ({texts['reference_label']})")
    draw_slopes(ax, eps, machine_eps)
    ax.set(title=texts["title"], xlabel=f"step length {STEP}", ylabel=SWEEP_YLABEL)
    fig.legend(loc="outside lower center", ncol=4)
    return fig


def loss_curves_figure(curves: Mapping[int, np.ndarray], lr: float) -> Figure:
    """Training loss per epoch (log scale), one line per hidden size."""
    check_mapping(curves, "curves", "a non-empty mapping of hidden sizes to loss curves")
    curves = {hidden_size: as_curve(curve, f"curves[{hidden_size!r}]")
              for hidden_size, curve in curves.items()}
    lr = check_positive(lr, "lr")
    fig, ax = plt.subplots(figsize=(7, 4.2), layout="constrained")
    for hidden_size, curve in curves.items():
        ax.plot(curve, label=f"hidden_size = {hidden_size}")
    ax.set(title=f"Training loss (full-batch gradient descent, lr = {lr:g})",
           xlabel="epoch", ylabel="NLL on the training set (log scale)", yscale="log")
    ax.legend(loc="upper right")
    return fig


def sharpness_figure(runs: Mapping[int, Mapping[str, np.ndarray]], rose: Mapping[int, np.ndarray],
                     lr: float, *, colors: Mapping[int, str] | None = None) -> Figure:
    """Training loss (top) and the loss's curvature (bottom) per epoch of each run, with the epochs
    where the loss rose marked and the stability limit 2 / lr drawn."""
    check_mapping(runs, "runs", "a non-empty mapping of hidden sizes to measured curves")
    colors = colors or {hidden_size: f"C{i}" for i, hidden_size in enumerate(runs)}
    check_covers(colors, "colors", runs)
    check_within(rose, "rose", runs)
    lr = check_positive(lr, "lr")
    limit = check_positive(2 / lr, "2 / lr")
    curves = {hidden_size: sharpness_curves(measured, f"runs[{hidden_size!r}]")
              for hidden_size, measured in runs.items()}
    rises = {hidden_size: as_indices(epochs, f"rose[{hidden_size!r}]", len(curves[hidden_size][0]))
             for hidden_size, epochs in rose.items()}
    fig, (loss_ax, curvature_ax) = plt.subplots(2, 1, sharex=True, figsize=(8, 6.5),
                                                layout="constrained")
    for hidden_size, (loss, sharpness, along) in curves.items():
        color = colors[hidden_size]
        loss_ax.semilogy(loss, color=color, label=f"hidden_size = {hidden_size}")
        curvature_ax.plot(sharpness, color=color)
        curvature_ax.plot(along, color=color, ls=":")
        if hidden_size in rises:
            epochs = rises[hidden_size]
            loss_ax.plot(epochs, loss[epochs], "o", color=color, ms=4,
                         label=f"the loss rose ({hidden_size} units)")
    curvature_ax.axhline(limit, color="k", ls="--", lw=1)
    highest = max(np.max(line.get_ydata()) for line in curvature_ax.get_lines())
    top = max(2.1 * limit, 1.05 * highest)  # room above 2 / lr for the legend, as drawn before
    loss_ax.set(title=f"Full-batch gradient descent, lr = {lr:g}: training loss",
                ylabel="NLL on the training set")
    curvature_ax.set(title="Curvature of the loss at the parameters of each epoch", xlabel="epoch",
                     ylabel="curvature", ylim=(-0.025 * top, top))
    loss_ax.legend(loc="upper right")
    curvature_ax.legend(handles=curvature_handles(limit), loc="upper right")
    return fig


def learning_curves_figure(checkpoints: np.ndarray, curves: Mapping[int, np.ndarray],
                           bayes_error: float, *, marked_epoch: int, lr: float) -> Figure:
    """Test and train error (left, log-log) and their gap (right) at each checkpoint epoch, one
    colour per hidden size; ``curves`` holds [checkpoints, 2] arrays of (train, test) errors."""
    checkpoints = as_curve(checkpoints, "checkpoints")
    check_mapping(curves, "curves",
                  "a non-empty mapping of hidden sizes to [checkpoints, 2] arrays")
    pairs = {hidden_size: 100 * as_error_pairs(curve, f"curves[{hidden_size!r}]", len(checkpoints))
             for hidden_size, curve in curves.items()}
    bayes_error = check_fraction(bayes_error, "bayes_error")
    marked_epoch = check_at_least(marked_epoch, "marked_epoch", 0)
    lr = check_positive(lr, "lr")
    fig, (error_ax, gap_ax) = plt.subplots(1, 2, figsize=(12, 4.8), sharex=True,
                                           layout="constrained")
    for hidden_size, (train, test) in pairs.items():
        line, = error_ax.plot(checkpoints, test, "-", marker=".",
                              label=f"hidden_size = {hidden_size}")
        error_ax.plot(checkpoints, train, "--", color=line.get_color())
        gap_ax.plot(checkpoints, test - train, marker=".", color=line.get_color())
    error_ax.axhline(100 * bayes_error, color="red", ls=":",
                     label="Bayes error (test set)")
    gap_ax.axhline(0, color="grey", lw=0.8)
    for ax in (error_ax, gap_ax):
        ax.axvline(marked_epoch, color="black", lw=0.8, ls="-.")
    error_ax.set(title="Test error (solid) and train error (dashed)", xscale="log", yscale="log",
                 xlabel="epoch", ylabel="error (%)")
    set_percent_ticks(error_ax)
    gap_ax.set(title="Generalization gap", xlabel="epoch",
               ylabel=f"test {MINUS} train error (percentage points)")
    styles = [Line2D([], [], color="grey", ls="-", label="test error"),
              Line2D([], [], color="grey", ls="--", label="train error"),
              Line2D([], [], color="black", lw=0.8, ls="-.",
                     label=f"epoch {marked_epoch} (Step 3)")]
    fig.legend(handles=error_ax.get_legend_handles_labels()[0] + styles, loc="outside right center")
    fig.suptitle(f"Training for {checkpoints.max():g} epochs (lr = {lr:g}), "
                 f"evaluated at {len(checkpoints)} checkpoints")
    return fig


def seed_errors_figure(hidden_sizes: Any, test_errors: np.ndarray, gaps: np.ndarray,
                       bayes_error: float) -> Figure:
    """Mean ± std over seeds of the test error and of the gap, against the hidden size;
    ``test_errors`` are [hidden sizes, seeds] error rates, ``gaps`` their differences."""
    sizes = as_curve(hidden_sizes, "hidden_sizes")
    test_errors = as_table(test_errors, "test_errors", len(sizes))
    gaps = as_table(gaps, "gaps", len(sizes), test_errors.shape[1], low=-1.0)
    bayes_error = check_fraction(bayes_error, "bayes_error")
    fig, ax = plt.subplots(figsize=(7, 4.2), layout="constrained")
    for values, marker, label in ((test_errors, "o", "test error"),
                                  (gaps, "s", f"generalization gap (test {MINUS} train)")):
        ax.errorbar(sizes, 100 * values.mean(axis=1), yerr=100 * values.std(axis=1, ddof=1),
                    marker=marker, capsize=4, label=label)
    ax.axhline(100 * bayes_error, color="red", ls="--", label="Bayes error (test set)")
    ax.axhline(0, color="0.6", lw=0.8)
    ax.set(xscale="log", xlabel="hidden units", ylabel="percent",
           title=f"Test error and generalization gap: mean ± std over {test_errors.shape[1]} seeds")
    ax.set_xticks(sizes, [f"{size:g}" for size in sizes])
    ax.minorticks_off()
    ax.legend(loc="upper right")
    return fig


def training_size_figure(sizes: Any, errors: Mapping[int, np.ndarray], bayes_error: float, *,
                         epochs: int, highlight: tuple[str, float] | None = None) -> Figure:
    """Test error (mean ± std over seeds) against the training-set size, one line per hidden size
    (``errors``: [sizes, seeds] error rates); ``highlight`` (label, error) stars the last size."""
    sizes = as_curve(sizes, "sizes")
    check_mapping(errors, "errors", "a non-empty mapping of hidden sizes to [sizes, seeds] arrays")
    errors = {hidden_size: as_table(values, f"errors[{hidden_size!r}]", len(sizes))
              for hidden_size, values in errors.items()}
    epochs = check_at_least(epochs, "epochs", 1)
    highlight = None if highlight is None else check_highlight(highlight)
    bayes_error = check_fraction(bayes_error, "bayes_error")
    fig, ax = plt.subplots(figsize=(7, 4.6), layout="constrained")
    seeds = 0
    for (hidden_size, values), marker in zip(errors.items(), "osD^v", strict=False):
        seeds = values.shape[1]
        ax.errorbar(sizes, 100 * values.mean(axis=1), yerr=100 * values.std(axis=1, ddof=1),
                    marker=marker, capsize=4, label=f"{hidden_size} hidden units, {epochs} epochs")
    if highlight is not None:
        label, error = highlight
        ax.plot(sizes[-1], 100 * error, "k*", markersize=12, label=label)
    ax.axhline(100 * bayes_error, color="red", ls="--", label="Bayes error")
    ax.set(xscale="log", yscale="log", xlabel="training-set size N", ylabel="test error (%)",
           title=f"Test error against training-set size (mean ± std over {seeds} seeds)")
    ax.set_xticks(sizes, [f"{size:g}" for size in sizes])
    set_percent_ticks(ax)
    ax.minorticks_off()
    fig.legend(loc="outside lower center", ncol=2)
    return fig


def count_histogram_figure(error_counts: np.ndarray, binomial_pmf: np.ndarray,
                           split_pmf: np.ndarray, *, hidden_size: int) -> Figure:
    """The distribution of a network's error count over many test sets of n points (the pmfs have
    n + 1 entries), against Binomial(n, R) and the sum of the two classes' binomials."""
    binomial_pmf = as_curve(binomial_pmf, "binomial_pmf")
    split_pmf = as_curve(split_pmf, "split_pmf", len(binomial_pmf))
    test_size = len(binomial_pmf) - 1
    counts = as_indices(error_counts, "error_counts", test_size + 1)
    hidden_size = check_at_least(hidden_size, "hidden_size", 1)
    shown = np.arange(max(counts.min() - 5, 0), min(counts.max() + 6, test_size + 1))
    fractions = np.bincount(counts, minlength=test_size + 1)[shown] / len(counts)
    fig, ax = plt.subplots(figsize=(7, 4.6), layout="constrained")
    ax.bar(shown, fractions, width=1, color="lightgray", edgecolor="gray",
           label=f"{len(counts)} test sets drawn from G2Model")
    ax.plot(shown, binomial_pmf[shown], "k-", lw=3, label="Binomial(n, R)")
    ax.plot(shown, split_pmf[shown], "r--", label=f"Binomial(n/2, R{MINUS}) + Binomial(n/2, R+)")
    ax.set(title=f"Errors of the {hidden_size}-unit network in test sets of n = {test_size}",
           xlabel="number of misclassified test points", ylabel="fraction of test sets")
    fig.legend(loc="outside lower center", ncol=2)
    return fig


def speed_figure(step_seconds: Mapping[tuple[int, int], Mapping[str, float]],
                 device: str) -> Figure:
    """Median time per training step against the work N · hidden_size, by hand and with torch.nn,
    with a line proportional to the work through the largest hand-written time."""
    timings = check_step_seconds(step_seconds)
    device = check_text(device, "device")
    sizes = sorted(timings, key=lambda size: size[0] * size[1])
    work = np.array([n * hidden_size for n, hidden_size in sizes], dtype=float)
    fig, ax = plt.subplots(figsize=(7, 4.2), layout="constrained")
    for implementation, (label, marker) in SPEED_STYLES.items():
        times = [timings[size][implementation] for size in sizes]
        ax.loglog(work, 1e3 * np.array(times), marker=marker, label=label)
    largest = 1e3 * timings[sizes[-1]]["hand"]
    ax.loglog(work, largest * work / work[-1], "k:",
              label="proportional to the work (through the largest)")
    ax.set(title=f"Time per training step (full batch) on {device}",
           xlabel="N · hidden_size", ylabel="ms per step (median)")
    ax.legend(loc="upper left")
    return fig


def sweep_ratios(ratios: Any, name: str, length: int) -> dict[str, np.ndarray]:
    """``ratios`` (parameter name -> ratios) checked: each a curve of ``length`` numbers."""
    check_mapping(ratios, name, "a non-empty mapping of parameter names to ratios")
    return {param: as_curve(values, f"{name}[{param!r}]", length)
            for param, values in ratios.items()}


def sweep_panel(panel: Any, name: str, length: int) -> tuple[dict[str, np.ndarray], float]:
    """One panel (ratios, dtype or machine epsilon) of epsilon_sweep_figure, checked."""
    if not isinstance(panel, tuple) or len(panel) != 2:
        raise TypeError(f"{name} must be a pair (ratios, dtype); got {panel!r}")
    ratios, precision = panel
    return sweep_ratios(ratios, name, length), machine_epsilon(precision, f"{name} dtype")


def draw_sweep(ax: Axes, eps: np.ndarray, ratios: Mapping[str, np.ndarray],
               suffix: str = "") -> dict:
    """Each parameter's checked ratio against ε, with markers; returns the lines by name."""
    lines = {}
    for param, values in ratios.items():
        lines[param], = ax.loglog(eps, np.maximum(values, SWEEP_FLOOR), marker=".",
                                  label=f"{param}{suffix}")
    return lines


def draw_slopes(ax: Axes, eps: np.ndarray, machine_eps: float) -> None:
    """The ε² truncation slope (dotted) and the ε_mach / ε round-off slope (dashed)."""
    ax.loglog(eps, eps**2, "k:", label=r"$\varepsilon^2$ (truncation slope)")
    ax.loglog(eps, machine_eps / eps, "k--", label=f"{MACHINE_EPS} / {STEP} (round-off slope)")
    ax.set_ylim(*SWEEP_YLIM)


def machine_epsilon(precision: Any, name: str) -> float:
    """The machine epsilon of a floating torch dtype, or ``precision`` itself when it is one."""
    if isinstance(precision, torch.dtype) and precision.is_floating_point:
        return float(torch.finfo(precision).eps)
    if isinstance(precision, float) and 0.0 < precision < 1.0:
        return precision
    raise TypeError(f"{name} must be a floating torch dtype or a machine epsilon in (0, 1); "
                    f"got {precision!r}")


def sharpness_curves(measured: Any, name: str) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """The loss, sharpness and along-gradient curves of one run, checked: one curvature more than
    losses (measured before every step and after the last)."""
    check_mapping(measured, name, f"a mapping with keys {SHARPNESS_KEYS}")
    if missing := [key for key in SHARPNESS_KEYS if key not in measured]:
        raise ValueError(f"{name} must have keys {SHARPNESS_KEYS}; missing {missing}")
    loss = as_curve(measured["loss"], f"{name}['loss']")
    # the curvatures are measured before every step and after the last one: one value more
    others = (as_curve(measured[key], f"{name}[{key!r}]", len(loss) + 1)
              for key in SHARPNESS_KEYS[1:])
    return loss, *others


def curvature_handles(limit: float) -> list[Line2D]:
    """Legend entries for the curvature panel: the two line styles and the stability limit."""
    return [Line2D([], [], color="grey", label="sharpness (largest eigenvalue of the Hessian)"),
            Line2D([], [], color="grey", ls=":", label="curvature along the gradient"),
            Line2D([], [], color="k", ls="--", lw=1, label=f"2 / lr = {limit:g}")]


def set_percent_ticks(ax: Axes) -> None:
    """Plain-number ticks (1, 2, 5, 10, ...) on a log percent axis, those inside its limits."""
    low, high = ax.get_ylim()
    ticks = [tick for tick in PERCENT_TICKS if low <= tick <= high]
    ax.set_yticks(ticks, [str(tick) for tick in ticks])
    ax.yaxis.set_minor_formatter(NullFormatter())
    ax.set_ylim(low, high)


def check_mapping(value: Any, name: str, expected: str, *, empty: bool = False) -> None:
    """Raise unless ``value`` is a Mapping (non-empty unless ``empty``)."""
    if not isinstance(value, Mapping):
        raise TypeError(f"{name} must be {expected}; got {type(value).__name__}")
    if not value and not empty:
        raise ValueError(f"{name} must be {expected}; got an empty mapping")


def check_covers(value: Any, name: str, keys: Mapping) -> None:
    """Raise unless ``value`` is a Mapping holding every key of ``keys`` (it may hold more)."""
    check_mapping(value, name, f"a mapping with the keys {list(keys)}")
    if missing := [key for key in keys if key not in value]:
        raise ValueError(f"{name} must have the keys {list(keys)}; missing {missing}")


def check_within(value: Any, name: str, keys: Mapping) -> None:
    """Raise unless ``value`` is a Mapping (maybe empty) whose keys are all keys of ``keys``."""
    check_mapping(value, name, f"a mapping with some of the keys {list(keys)}", empty=True)
    if unknown := [key for key in value if key not in keys]:
        raise ValueError(f"{name} must have only keys among {list(keys)}; got {unknown}")


def check_text(value: Any, name: str) -> str:
    """``value`` when it is a non-empty str: another type is a TypeError, a blank one a
    ValueError."""
    if not isinstance(value, str):
        raise TypeError(f"{name} must be a non-empty str; got {type(value).__name__} {value!r}")
    if not value.strip():
        raise ValueError(f"{name} must be a non-empty str; got {value!r}")
    return value


def check_count(value: Any, name: str, most: int) -> int:
    """``value`` when it is an int between 1 and ``most``."""
    if isinstance(value, bool) or not isinstance(value, (int, np.integer)):
        raise TypeError(f"{name} must be an int from 1 to {most}; "
                        f"got {type(value).__name__} {value!r}")
    if not 1 <= value <= most:
        raise ValueError(f"{name} must be an int from 1 to {most}; got {value}")
    return int(value)


def check_highlight(highlight: Any) -> tuple[str, float]:
    """training_size_figure's ``highlight``: a pair (label, error rate), checked."""
    if not isinstance(highlight, tuple) or len(highlight) != 2:
        raise TypeError(f"highlight must be a pair (label, error rate) or None; got {highlight!r}")
    label, error = highlight
    return check_text(label, "highlight label"), check_fraction(error, "highlight error")


def as_array(values: Any, name: str, expected: str) -> np.ndarray:
    """``values`` as a finite float array (a tensor of any dtype, bfloat16 included, detached and
    copied to the CPU)."""
    array = as_numeric_array(values, name, expected).astype(float)
    if not np.all(np.isfinite(array)):
        raise ValueError(f"{name} must be {expected} with finite values; got NaN or inf")
    return array


def as_curve(values: Any, name: str, length: int | None = None) -> np.ndarray:
    """``values`` as a non-empty 1-D finite float array, of ``length`` when given."""
    expected = "a 1-D array" + (f" of {length} numbers" if length else " of numbers")
    array = as_array(values, name, expected)
    if array.ndim != 1 or len(array) == 0 or (length is not None and len(array) != length):
        raise ValueError(f"{name} must be {expected}; got shape {list(array.shape)}")
    return array


def as_table(values: Any, name: str, rows: int, columns: int | None = None,
             low: float = 0.0) -> np.ndarray:
    """``values`` as a [rows, columns] array of numbers in [low, 1] (error rates, or with low = -1
    their differences) with at least two columns (seeds)."""
    expected = f"a [{rows}, seeds] array of numbers in [{low:g}, 1] (2 seeds or more)"
    array = as_array(values, name, expected)
    if array.ndim != 2 or array.shape[0] != rows or array.shape[1] < 2 or (
            columns is not None and array.shape[1] != columns):
        raise ValueError(f"{name} must be {expected}; got shape {list(array.shape)}")
    return check_range(array, name, expected, low)


def as_error_pairs(values: Any, name: str, rows: int) -> np.ndarray:
    """A [rows, 2] array of (train, test) error rates, returned transposed as (train, test)."""
    expected = f"a [{rows}, 2] array of (train, test) error rates"
    array = as_array(values, name, expected)
    if array.shape != (rows, 2):
        raise ValueError(f"{name} must be {expected}; got shape {list(array.shape)}")
    return check_range(array, name, f"{expected} in [0, 1]", 0.0).T


def check_range(array: np.ndarray, name: str, expected: str, low: float) -> np.ndarray:
    """``array`` when its values lie in [low, 1], else a ValueError naming ``name``."""
    if array.min() < low or array.max() > 1:
        raise ValueError(f"{name} must be {expected}; got values from {array.min():g} to "
                         f"{array.max():g}")
    return array


def as_indices(values: Any, name: str, end: int) -> np.ndarray:
    """``values`` as a non-empty 1-D int array of indices (epochs, counts) in [0, end)."""
    array = np.asarray(values)
    if array.ndim != 1 or len(array) == 0 or not np.issubdtype(array.dtype, np.integer):
        raise TypeError(f"{name} must be a non-empty 1-D array of ints; got {array.dtype} "
                        f"of shape {list(array.shape)}")
    if array.min() < 0 or array.max() >= end:
        raise ValueError(f"{name} must hold ints in [0, {end}); got {array.min()} to {array.max()}")
    return array
