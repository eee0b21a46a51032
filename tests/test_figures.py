"""Unit tests of figures: each built from small synthetic inputs, its artists checked."""

import matplotlib as mpl
import matplotlib.pyplot as plt
import numpy as np
import pytest
import torch
from matplotlib.collections import Collection
from matplotlib.path import Path
from matplotlib.text import Text

from g2model import G2Model
from lab2 import figures

G2 = G2Model()
DATA = G2.generate_sample(60, rng=0)
EPS = 10.0 ** np.arange(-1, -12.25, -0.5)
PARAMS = ("W1", "b1", "W2", "b2")
MIN_FONT_SIZE = 8  # points


@pytest.fixture(autouse=True)
def notebook_style():
    """The notebook's rcParams (figures.py sets constrained layout itself)."""
    with mpl.rc_context(
        {"figure.dpi": 100, "figure.constrained_layout.use": True, "font.size": 10}
    ):
        yield


class Linear:
    """A cheap duck-typed predictor: the sign of x1 - shift."""

    def __init__(self, shift, hidden_size=None, name="two-layer network"):
        self.shift, self.hidden_size, self.name = shift, hidden_size, name

    def score(self, x):
        return np.asarray(x)[:, 0] - self.shift

    def classify(self, x):
        return np.where(self.score(x) >= 0, 1, -1)


def title_lines(ax):
    return ax.get_title().split("\n")


def display_points(line):
    """Points along a drawn line in display coordinates, segments subdivided (a line can cross a box
    between its vertices)."""
    vertices = line.get_transform().transform(line.get_xydata())
    vertices = vertices[np.all(np.isfinite(vertices), axis=1)]
    return Path(vertices).interpolated(20).vertices if len(vertices) > 1 else vertices


def check_readable(fig):
    """No text smaller than MIN_FONT_SIZE, nothing drawn outside the figure, every legend clear of
    the data: a figure legend overlaps no axes, an axes legend covers none of its lines."""
    renderer = fig.canvas.get_renderer()
    fig.draw(renderer)
    small = [
        (text.get_text(), text.get_fontsize())
        for text in fig.findobj(Text)
        if text.get_text() and text.get_fontsize() < MIN_FONT_SIZE
    ]
    assert not small, small
    drawn, frame = fig.get_tightbbox(renderer), fig.bbox_inches
    assert (
        drawn.x0 >= -0.02
        and drawn.y0 >= -0.02
        and drawn.x1 <= frame.x1 + 0.02
        and drawn.y1 <= frame.y1 + 0.02
    ), (drawn, frame)
    for legend in fig.legends:
        box = legend.get_window_extent(renderer)
        for ax in fig.axes:
            assert not box.overlaps(ax.get_window_extent(renderer)), legend
    for ax in fig.axes:
        if (legend := ax.get_legend()) is not None:
            box = legend.get_window_extent(renderer)
            for line in ax.get_lines():
                points = display_points(line)
                inside = (
                    (box.x0 <= points[:, 0])
                    & (points[:, 0] <= box.x1)
                    & (box.y0 <= points[:, 1])
                    & (points[:, 1] <= box.y1)
                )
                assert not inside.any(), (line.get_label(), legend)


def figure_legend_labels(fig):
    assert len(fig.legends) == 1
    return [text.get_text() for text in fig.legends[0].get_texts()]


# boundary_panels


def test_boundary_panels_row_with_shared_legend_below():
    predictors = {h: Linear(0.1 * i, hidden_size=h) for i, h in enumerate((5, 100, 500))}
    errors = {5: 0.1342, 10: 0.5, 100: 0.03, 500: 0.0134}  # more keys than panels: allowed
    fig = figures.boundary_panels(G2, DATA, predictors, errors, suptitle="after 100 epochs")
    assert len(fig.axes) == 3 and fig.get_suptitle() == "after 100 epochs"
    for ax, hidden_size in zip(fig.axes, predictors, strict=True):
        lines = title_lines(ax)
        assert lines[0] == "two-layer network" and f"hidden size = {hidden_size}" in lines[1]
        assert lines[2].endswith(f"test error {100 * errors[hidden_size]:.2f}%")
        assert (
            sum(isinstance(artist, Collection) for artist in ax.collections) >= 3
        )  # data, boundaries
        assert ax.get_legend() is None
    assert figure_legend_labels(fig) == [
        "label \u22121",
        "label +1",
        "Bayes optimal",
        "two-layer network",
        "misclassified training point",
    ]
    legend_top = fig.legends[0].get_window_extent(fig.canvas.get_renderer()).y1
    assert all(legend_top < ax.get_window_extent().y0 for ax in fig.axes)
    check_readable(fig)


def test_boundary_panels_grid_titles_and_spare_axes():
    predictors = {
        ("init", 5): Linear(0.0, 5),
        ("trained", 5): Linear(0.2, 5),
        ("trained", 9): Linear(0.4, 9),
    }
    errors = dict.fromkeys(predictors, 0.25)
    titles = {("init", 5): "at initialization", ("trained", 9): "tanh"}
    fig = figures.boundary_panels(G2, DATA, predictors, errors, titles=titles, rows=2)
    axes = fig.axes
    assert len(axes) == 4 and not axes[3].axison and all(ax.axison for ax in axes[:3])
    assert [title_lines(ax)[0] for ax in axes[:3]] == [
        "at initialization",
        "two-layer network",
        "tanh",
    ]
    assert [ax.get_title().count("%") for ax in axes[:3]] == [2, 2, 2]  # train and test error only
    assert not fig.legends and axes[3].get_legend() is not None, "the legend fills the spare cell"
    labels = [text.get_text() for text in axes[3].get_legend().get_texts()]
    assert labels[-1] == "misclassified training point" and len(labels) == 5
    assert axes[0].get_position().y0 > axes[2].get_position().y1  # row by row
    check_readable(fig)


def test_boundary_panels_closes_its_figure_when_a_panel_fails():
    predictors = {5: Linear(0.0), 10: Linear(0.1)}
    with pytest.raises(ValueError, match=r"test_error must be a real number in \[0, 1\]"):
        figures.boundary_panels(G2, DATA, predictors, {5: 0.1, 10: 1.5})
    assert plt.get_fignums() == []


# epsilon_sweep_figure


def sweep(level, zero=None):
    ratios = {name: (i + 1) * level * (EPS**2 + 1e-14 / EPS) for i, name in enumerate(PARAMS)}
    if zero is not None:
        ratios[zero] = np.where(EPS < 1e-9, 0.0, ratios[zero])
    return ratios


def test_epsilon_sweep_figure_curves_slopes_and_symbols():
    ratios64, ratios32 = sweep(1.0, zero="W2"), sweep(1e3)
    fig = figures.epsilon_sweep_figure(
        EPS, {"float64": (ratios64, torch.float64), "float32": (ratios32, torch.float32)}, "a title"
    )
    assert len(fig.axes) == 2 and fig.get_suptitle() == "a title"
    for ax, ratios, dtype, title in zip(
        fig.axes,
        (ratios64, ratios32),
        (torch.float64, torch.float32),
        ("float64", "float32"),
        strict=True,
    ):
        assert ax.get_title() == title and ax.get_xscale() == ax.get_yscale() == "log"
        lines = ax.get_lines()
        assert [line.get_label() for line in lines[:4]] == list(PARAMS)
        for line, name in zip(lines, PARAMS, strict=False):
            np.testing.assert_allclose(
                line.get_ydata(), np.maximum(ratios[name], figures.SWEEP_FLOOR)
            )
        np.testing.assert_allclose(lines[4].get_ydata(), EPS**2)
        np.testing.assert_allclose(lines[5].get_ydata(), torch.finfo(dtype).eps / EPS)
        assert ax.get_ylim() == pytest.approx(figures.SWEEP_YLIM)
        assert ax.get_xlabel() == f"step length {figures.STEP}"
    assert fig.axes[0].get_ylabel() == figures.SWEEP_YLABEL
    labels = figure_legend_labels(fig)
    assert labels[:4] == list(PARAMS)
    assert labels[5] == f"{figures.MACHINE_EPS} / {figures.STEP} (round-off slope)"
    assert not any("machine" in label for label in labels)  # machine epsilon has its own symbol
    assert figures.MACHINE_EPS != figures.STEP and figures.STEP not in figures.MACHINE_EPS
    check_readable(fig)


def test_epsilon_sweep_figure_takes_a_machine_epsilon_number():
    fig = figures.epsilon_sweep_figure(EPS, {"bfloat16": (sweep(1.0), 2.0**-7)}, "one panel")
    np.testing.assert_allclose(fig.axes[0].get_lines()[5].get_ydata(), 2.0**-7 / EPS)


# loss_curves_figure and sharpness_figure

EPOCHS = np.arange(101)
LOSSES = {
    5: 0.5 + 2 * np.exp(-EPOCHS / 5),
    500: 0.1 + 6 * np.exp(-EPOCHS / 20) * (1.2 + np.sin(EPOCHS) / 5),
}


def test_loss_curves_figure_one_log_line_per_hidden_size():
    fig = figures.loss_curves_figure(LOSSES, 0.1)
    ax = fig.axes[0]
    assert len(fig.axes) == 1 and ax.get_yscale() == "log"
    assert [line.get_label() for line in ax.get_lines()] == ["hidden_size = 5", "hidden_size = 500"]
    np.testing.assert_array_equal(ax.get_lines()[1].get_ydata(), LOSSES[500])
    assert "lr = 0.1" in ax.get_title() and ax.get_xlabel() == "epoch"
    check_readable(fig)


def sharpness_runs():
    return {
        500: {
            "loss": LOSSES[500][:-1],  # before each of 100 steps; curvatures also after the last
            "sharpness": 18 + 8 * np.abs(np.sin(EPOCHS)),
            "along_gradient": 12 * np.exp(-EPOCHS / 30),
        },
        100: {
            "loss": LOSSES[5][:-1],
            "sharpness": np.full(101, 9.0),
            "along_gradient": np.exp(-EPOCHS / 5),
        },
    }


def test_sharpness_figure_loss_curvature_and_rises():
    runs = sharpness_runs()
    rose = {500: np.flatnonzero(np.diff(runs[500]["loss"]) > 0) + 1}
    fig = figures.sharpness_figure(runs, rose, 0.1, colors={100: "C2", 500: "C3"})
    loss_ax, curvature_ax = fig.axes
    labels = [line.get_label() for line in loss_ax.get_lines()]
    assert labels == ["hidden_size = 500", "the loss rose (500 units)", "hidden_size = 100"]
    marks = loss_ax.get_lines()[1]
    np.testing.assert_array_equal(marks.get_xdata(), rose[500])
    np.testing.assert_array_equal(marks.get_ydata(), LOSSES[500][rose[500]])
    assert [line.get_color() for line in loss_ax.get_lines()] == ["C3", "C3", "C2"]
    curves = curvature_ax.get_lines()
    assert len(curves) == 5 and [line.get_linestyle() for line in curves[:4]] == [
        "-",
        ":",
        "-",
        ":",
    ]
    np.testing.assert_array_equal(curves[0].get_ydata(), runs[500]["sharpness"])
    assert curves[4].get_ydata()[0] == 20.0  # the stability limit
    assert curvature_ax.get_ylim()[1] >= max(2.1 * 20, runs[500]["sharpness"].max())
    assert [text.get_text() for text in curvature_ax.get_legend().get_texts()][-1] == "2 / lr = 20"
    assert "lr = 0.1" in loss_ax.get_title() and curvature_ax.get_xlabel() == "epoch"
    check_readable(fig)


def test_sharpness_figure_raises_its_top_for_a_sharper_run():
    runs = sharpness_runs()
    runs[100]["sharpness"] = np.full(101, 80.0)  # the second run: every curve counts
    fig = figures.sharpness_figure(runs, {}, 0.1)
    assert fig.axes[1].get_ylim()[1] >= 80 * 1.05
    assert [line.get_color() for line in fig.axes[0].get_lines()] == ["C0", "C1"]


def test_sharpness_figure_draws_the_stability_limit_of_lr():
    fig = figures.sharpness_figure(sharpness_runs(), {}, 0.05)
    curvature_ax = fig.axes[1]
    assert curvature_ax.get_lines()[-1].get_ydata()[0] == 40.0  # 2 / lr
    assert [text.get_text() for text in curvature_ax.get_legend().get_texts()][-1] == "2 / lr = 40"
    assert "lr = 0.05" in fig.axes[0].get_title()


# learning_curves_figure, seed_errors_figure, training_size_figure

CHECKPOINTS = np.array([1, 2, 5, 10, 20, 50, 100, 200, 500, 1000])


def learning_curves():
    return {
        h: np.column_stack([0.4 * CHECKPOINTS**-0.3, 0.42 * CHECKPOINTS**-0.28 + 0.01 * k])
        for k, h in enumerate((5, 500))
    }


def test_learning_curves_figure_errors_gaps_and_legend_below():
    curves = learning_curves()
    fig = figures.learning_curves_figure(CHECKPOINTS, curves, 0.0168, marked_epoch=100, lr=0.1)
    error_ax, gap_ax = fig.axes
    test, train, bayes, _ = error_ax.get_lines()[:2] + error_ax.get_lines()[-2:]
    np.testing.assert_allclose(test.get_ydata(), 100 * curves[5][:, 1])
    np.testing.assert_allclose(train.get_ydata(), 100 * curves[5][:, 0])
    assert test.get_linestyle() == "-" and train.get_linestyle() == "--"
    assert bayes.get_ydata()[0] == pytest.approx(1.68)
    np.testing.assert_allclose(
        gap_ax.get_lines()[1].get_ydata(), 100 * (curves[500][:, 1] - curves[500][:, 0])
    )
    assert (
        error_ax.get_lines()[-1].get_xdata()[0] == 100
        and gap_ax.get_lines()[-1].get_xdata()[0] == 100
    )
    ticks = [label.get_text() for label in error_ax.get_yticklabels()]
    assert ticks and all(tick.isdigit() for tick in ticks)
    assert figure_legend_labels(fig) == [
        "hidden_size = 5",
        "hidden_size = 500",
        "Bayes error (test set)",
        "test error",
        "train error",
        "epoch 100 (Step 3)",
    ]
    fig.draw(fig.canvas.get_renderer())
    legend = fig.legends[0].get_window_extent()
    assert legend.y1 < min(ax.get_window_extent().y0 for ax in (error_ax, gap_ax))
    assert fig.get_suptitle() == "Training for 1000 epochs (lr = 0.1), evaluated at 10 checkpoints"
    check_readable(fig)


HIDDEN = [5, 10, 100, 500]
SEED_ERRORS = np.array(
    [[0.15, 0.16, 0.14], [0.12, 0.11, 0.13], [0.05, 0.06, 0.07], [0.03, 0.035, 0.04]]
)
SEED_GAPS = np.array(
    [[0.01, -0.01, 0.0], [0.02, 0.0, 0.01], [0.0, 0.01, -0.01], [0.01, 0.0, 0.005]]
)


def test_seed_errors_figure_means_and_spreads():
    fig = figures.seed_errors_figure(HIDDEN, SEED_ERRORS, SEED_GAPS, 0.0168)
    ax = fig.axes[0]
    test_bars, gap_bars = ax.containers
    np.testing.assert_allclose(test_bars.lines[0].get_ydata(), 100 * SEED_ERRORS.mean(axis=1))
    np.testing.assert_allclose(gap_bars.lines[0].get_ydata(), 100 * SEED_GAPS.mean(axis=1))
    caps_top = test_bars.lines[1][1].get_ydata()
    np.testing.assert_allclose(
        caps_top, 100 * (SEED_ERRORS.mean(axis=1) + SEED_ERRORS.std(axis=1, ddof=1))
    )
    assert [label.get_text() for label in ax.get_xticklabels()] == ["5", "10", "100", "500"]
    assert ax.get_title().endswith("over 3 seeds") and ax.get_xscale() == "log"
    check_readable(fig)


SIZES = np.array([32, 64, 128, 256, 512])
SIZE_ERRORS = {
    5: np.full((5, 3), 0.2) + np.linspace(0, 0.02, 3),
    500: np.full((5, 3), 0.04) + np.linspace(0, 0.01, 3),
}


def test_training_size_figure_lines_star_and_legend_below():
    fig = figures.training_size_figure(
        SIZES, SIZE_ERRORS, 0.0168, epochs=100, highlight=("5 hidden units, 1000 epochs", 0.038)
    )
    ax = fig.axes[0]
    assert len(ax.containers) == 2
    np.testing.assert_allclose(
        ax.containers[1].lines[0].get_ydata(), 100 * SIZE_ERRORS[500].mean(axis=1)
    )
    star = next(line for line in ax.get_lines() if line.get_marker() == "*")
    assert star.get_xdata()[0] == 512 and star.get_ydata()[0] == pytest.approx(3.8)
    assert [label.get_text() for label in ax.get_xticklabels()] == ["32", "64", "128", "256", "512"]
    assert [label.get_text() for label in ax.get_yticklabels()] == ["2", "5", "10", "20"]
    assert sorted(figure_legend_labels(fig)) == sorted(
        [
            "5 hidden units, 100 epochs",
            "500 hidden units, 100 epochs",
            "5 hidden units, 1000 epochs",
            "Bayes error",
        ]
    )
    assert ax.get_title().endswith("over 3 seeds)")
    check_readable(fig)


# speed_figure


STEP_SECONDS = {
    (2000, 100): {"hand": 2e-3, "nn": 2.1e-3},
    (200, 10): {"hand": 1e-4, "nn": 1.5e-4},
    (200, 100): {"hand": 3e-4, "nn": 3.5e-4},
}


def test_speed_figure_sorted_by_work_with_a_proportional_line():
    fig = figures.speed_figure(STEP_SECONDS, "cpu")
    ax = fig.axes[0]
    hand, nn, proportional = ax.get_lines()
    np.testing.assert_array_equal(hand.get_xdata(), [2000, 20000, 200000])
    np.testing.assert_allclose(hand.get_ydata(), [0.1, 0.3, 2.0])
    np.testing.assert_allclose(nn.get_ydata(), [0.15, 0.35, 2.1])
    np.testing.assert_allclose(proportional.get_ydata(), [0.02, 0.2, 2.0])
    assert [hand.get_marker(), nn.get_marker()] == ["o", "x"]
    assert ax.get_title().endswith("on cpu") and ax.get_xscale() == ax.get_yscale() == "log"
    check_readable(fig)


def test_every_figure_function_leaves_one_open_figure_and_does_not_show(monkeypatch):
    shown = []
    monkeypatch.setattr(plt, "show", lambda *args, **kwargs: shown.append(args))
    figures.loss_curves_figure(LOSSES, 0.1)
    figures.speed_figure(STEP_SECONDS, "cpu")
    assert len(plt.get_fignums()) == 2 and not shown


def test_loss_curves_figure_takes_bfloat16_tensors():
    curves = {5: torch.tensor(LOSSES[5], dtype=torch.bfloat16, requires_grad=True)}
    line = figures.loss_curves_figure(curves, 0.1).axes[0].get_lines()[0]
    np.testing.assert_allclose(line.get_ydata(), curves[5].detach().double().numpy())
