"""The notebook's multi-panel and multi-curve figures, drawn from numbers it has computed: each
function returns one figure, its legends outside the data or in a corner the curves leave free."""

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

from g2model import G2Model, boundary_legend_handles, predictor_name

__all__ = ["boundary_panels", "epsilon_sweep_figure", "learning_curves_figure",
           "loss_curves_figure", "seed_errors_figure", "sharpness_figure", "speed_figure",
           "training_size_figure"]

STEP = r"$\varepsilon$"  # the finite-difference step length
MACHINE_EPS = r"$\varepsilon_{\mathrm{mach}}$"  # the dtype's machine epsilon: another symbol
SWEEP_YLABEL = r"$|\Delta\mathcal{L} - \langle\nabla\mathcal{L}, \Delta w\rangle|\ /\ \varepsilon$"
SWEEP_FLOOR = 1e-18  # exact zeros are drawn here, below the panels' lower limit
SWEEP_YLIM = (1e-16, 1e2)
PANEL_SIZE = (4.2, 4.6)  # inches per boundary panel, its three-line title and x label included
LEGEND_HEIGHT = 0.6  # inches below the boundary panels for the shared legend
SUPTITLE_HEIGHT = 0.35  # inches above them for a suptitle
PERCENT_TICKS = (1, 2, 5, 10, 20, 50, 100)
SHARPNESS_KEYS = ("loss", "sharpness", "along_gradient")  # the curves of one run
SPEED_STYLES = {"hand": ("by hand (this notebook)", "o"), "nn": ("nn.Sequential + optim.SGD", "x")}
MINUS = "\u2212"


def boundary_panels(g2: G2Model, data: tuple[Any, Any], predictors: Mapping[Hashable, Any],
                    test_errors: Mapping[Hashable, float], *,
                    titles: Mapping[Hashable, str] | None = None, rows: int = 1,
                    suptitle: str | None = None) -> Figure:
    """A grid of ``g2.plot_predictor`` panels, row by row, sharing one legend (in a spare cell, else
    below); ``titles`` replaces the first title line of the panels named."""
    titles = {} if titles is None else titles
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
    eps = _floats(eps)
    fig, axes = plt.subplots(1, len(panels), figsize=(10, 4.6), sharey=True, layout="constrained",
                             squeeze=False)
    for ax, (panel_title, (ratios, precision)) in zip(axes[0], panels.items(), strict=True):
        _draw_sweep(ax, eps, ratios)
        _draw_slopes(ax, eps, _machine_epsilon(precision))
        ax.set(title=panel_title, xlabel=f"step length {STEP}")
    axes[0, 0].set_ylabel(SWEEP_YLABEL)
    fig.suptitle(title)
    fig.legend(*axes[0, 0].get_legend_handles_labels(), loc="outside lower center", ncol=6)
    return fig


def loss_curves_figure(curves: Mapping[int, np.ndarray], lr: float) -> Figure:
    """Training loss per epoch (log scale), one line per hidden size."""
    fig, ax = plt.subplots(figsize=(7, 4.2), layout="constrained")
    for hidden_size, curve in curves.items():
        ax.plot(_floats(curve), label=f"hidden_size = {hidden_size}")
    ax.set(title=f"Training loss (full-batch gradient descent, lr = {lr:g})",
           xlabel="epoch", ylabel="NLL on the training set (log scale)", yscale="log")
    ax.legend(loc="upper right")
    return fig


def sharpness_figure(runs: Mapping[int, Mapping[str, np.ndarray]], rose: Mapping[int, np.ndarray],
                     lr: float, *, colors: Mapping[int, str] | None = None) -> Figure:
    """Training loss (top) and the loss's curvature (bottom) per epoch of each run, with the epochs
    where the loss rose marked and the stability limit 2 / lr drawn."""
    colors = colors or {hidden_size: f"C{i}" for i, hidden_size in enumerate(runs)}
    limit = 2 / lr
    curves = {hidden_size: [_floats(measured[key]) for key in SHARPNESS_KEYS]
              for hidden_size, measured in runs.items()}
    fig, (loss_ax, curvature_ax) = plt.subplots(2, 1, sharex=True, figsize=(8, 6.5),
                                                layout="constrained")
    for hidden_size, (loss, sharpness, along) in curves.items():
        color = colors[hidden_size]
        loss_ax.semilogy(loss, color=color, label=f"hidden_size = {hidden_size}")
        curvature_ax.plot(sharpness, color=color)
        curvature_ax.plot(along, color=color, ls=":")
        if hidden_size in rose:
            epochs = np.asarray(rose[hidden_size])
            loss_ax.plot(epochs, loss[epochs], "o", color=color, ms=4,
                         label=f"the loss rose ({hidden_size} units)")
    curvature_ax.axhline(limit, color="k", ls="--", lw=1)
    highest = max(np.max(line.get_ydata()) for line in curvature_ax.get_lines())
    top = max(2.1 * limit, 1.05 * highest)  # room above 2 / lr for the legend
    loss_ax.set(title=f"Full-batch gradient descent, lr = {lr:g}: training loss",
                ylabel="NLL on the training set")
    curvature_ax.set(title="Curvature of the loss at the parameters of each epoch", xlabel="epoch",
                     ylabel="curvature", ylim=(-0.025 * top, top))
    loss_ax.legend(loc="upper right")
    style_color = colors[next(iter(runs))] if len(runs) == 1 else "grey"  # one run: its colour
    curvature_ax.legend(handles=_curvature_handles(limit, style_color), loc="upper right")
    return fig


def learning_curves_figure(checkpoints: np.ndarray, curves: Mapping[int, np.ndarray],
                           bayes_error: float, *, marked_epoch: int, lr: float) -> Figure:
    """Test and train error (left, log-log) and their gap (right) at each checkpoint epoch, one
    colour per hidden size; ``curves`` holds [checkpoints, 2] arrays of (train, test) errors."""
    checkpoints = _floats(checkpoints)
    pairs = {hidden_size: 100 * _floats(curve).T for hidden_size, curve in curves.items()}
    fig, (error_ax, gap_ax) = plt.subplots(1, 2, figsize=(12, 4.8), sharex=True,
                                           layout="constrained")
    for hidden_size, (train, test) in pairs.items():
        line, = error_ax.plot(checkpoints, test, "-", marker=".",
                              label=f"hidden_size = {hidden_size}")
        error_ax.plot(checkpoints, train, "--", color=line.get_color())
        gap_ax.plot(checkpoints, test - train, marker=".", color=line.get_color())
    error_ax.axhline(100 * bayes_error, color="red", ls=":", label="Bayes error (test set)")
    gap_ax.axhline(0, color="grey", lw=0.8)
    for ax in (error_ax, gap_ax):
        ax.axvline(marked_epoch, color="black", lw=0.8, ls="-.")
    error_ax.set(title="Test error (solid) and train error (dashed)", xscale="log", yscale="log",
                 xlabel="epoch", ylabel="error (%)")
    _set_percent_ticks(error_ax)
    gap_ax.set(title="Generalization gap", xlabel="epoch",
               ylabel=f"test {MINUS} train error (percentage points)")
    styles = [Line2D([], [], color="grey", ls="-", label="test error"),
              Line2D([], [], color="grey", ls="--", label="train error"),
              Line2D([], [], color="black", lw=0.8, ls="-.",
                     label=f"epoch {marked_epoch} (Step 3)")]
    fig.legend(handles=error_ax.get_legend_handles_labels()[0] + styles, loc="outside lower center",
               ncol=4)  # below both panels: the Bayes line and the epoch mark concern both
    fig.suptitle(f"Training for {checkpoints.max():g} epochs (lr = {lr:g}), "
                 f"evaluated at {len(checkpoints)} checkpoints")
    return fig


def seed_errors_figure(hidden_sizes: Any, test_errors: np.ndarray, gaps: np.ndarray,
                       bayes_error: float) -> Figure:
    """Mean ± std over seeds of the test error and of the gap, against the hidden size;
    ``test_errors`` are [hidden sizes, seeds] error rates, ``gaps`` their differences."""
    sizes, test_errors, gaps = _floats(hidden_sizes), _floats(test_errors), _floats(gaps)
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
    sizes = _floats(sizes)
    fig, ax = plt.subplots(figsize=(7, 4.6), layout="constrained")
    seeds = 0
    for (hidden_size, values), marker in zip(errors.items(), "osD^v", strict=False):
        values = _floats(values)
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
    _set_percent_ticks(ax)
    ax.minorticks_off()
    fig.legend(loc="outside lower center", ncol=2)
    return fig


def speed_figure(step_seconds: Mapping[tuple[int, int], Mapping[str, float]],
                 device: str) -> Figure:
    """Median time per training step against the work N · hidden_size, by hand and with torch.nn,
    with a line proportional to the work through the largest hand-written time."""
    sizes = sorted(step_seconds, key=lambda size: size[0] * size[1])
    work = np.array([n * hidden_size for n, hidden_size in sizes], dtype=float)
    fig, ax = plt.subplots(figsize=(7, 4.2), layout="constrained")
    for implementation, (label, marker) in SPEED_STYLES.items():
        times = [step_seconds[size][implementation] for size in sizes]
        ax.loglog(work, 1e3 * np.array(times), marker=marker, label=label)
    largest = 1e3 * step_seconds[sizes[-1]]["hand"]
    ax.loglog(work, largest * work / work[-1], "k:",
              label="proportional to the work (through the largest)")
    ax.set(title=f"Time per training step (full batch) on {device}",
           xlabel="N · hidden_size", ylabel="ms per step (median)")
    ax.legend(loc="upper left")
    return fig


def _draw_sweep(ax: Axes, eps: np.ndarray, ratios: Mapping[str, np.ndarray]) -> None:
    """Each parameter's ratio against ε, with markers."""
    for param, values in ratios.items():
        ax.loglog(eps, np.maximum(_floats(values), SWEEP_FLOOR), marker=".", label=param)


def _draw_slopes(ax: Axes, eps: np.ndarray, machine_eps: float) -> None:
    """The ε² truncation slope (dotted) and the ε_mach / ε round-off slope (dashed)."""
    ax.loglog(eps, eps**2, "k:", label=r"$\varepsilon^2$ (truncation slope)")
    ax.loglog(eps, machine_eps / eps, "k--", label=f"{MACHINE_EPS} / {STEP} (round-off slope)")
    ax.set_ylim(*SWEEP_YLIM)


def _machine_epsilon(precision: torch.dtype | float) -> float:
    """The machine epsilon of a floating torch dtype, or ``precision`` itself when a number."""
    return float(torch.finfo(precision).eps) if isinstance(precision, torch.dtype) else precision


def _curvature_handles(limit: float, color: str) -> list[Line2D]:
    """Legend entries for the curvature panel: the two line styles and the stability limit."""
    return [Line2D([], [], color=color, label="sharpness (largest eigenvalue of the Hessian)"),
            Line2D([], [], color=color, ls=":", label="curvature along the gradient"),
            Line2D([], [], color="k", ls="--", lw=1, label=f"2 / lr = {limit:g}")]


def _set_percent_ticks(ax: Axes) -> None:
    """Plain-number ticks (1, 2, 5, 10, ...) on a log percent axis, those inside its limits."""
    low, high = ax.get_ylim()
    ticks = [tick for tick in PERCENT_TICKS if low <= tick <= high]
    ax.set_yticks(ticks, [str(tick) for tick in ticks])
    ax.yaxis.set_minor_formatter(NullFormatter())
    ax.set_ylim(low, high)


def _floats(values: Any) -> np.ndarray:
    """``values`` (an array, or a tensor of any dtype and device) as a float64 numpy array."""
    if isinstance(values, torch.Tensor):
        values = values.detach().cpu().double()
    return np.asarray(values, dtype=np.float64)
