"""Unit tests of figures: each built from small synthetic inputs, its artists checked; bad input."""

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


@pytest.mark.parametrize(
    ("g2", "predictors", "errors", "options", "error", "match"),
    [
        ("G2", {5: Linear(0)}, {5: 0.1}, {}, TypeError, "g2 must be a G2Model"),
        (G2, {}, {}, {}, ValueError, "predictors must be"),
        (G2, [Linear(0)], {5: 0.1}, {}, TypeError, "predictors must be"),
        (
            G2,
            {5: Linear(0)},
            {10: 0.1},
            {},
            ValueError,
            r"test_errors must have the keys \[5\]; missing \[5\]",
        ),
        (
            G2,
            {5: Linear(0)},
            {5: 0.1},
            {"titles": {6: "x"}},
            ValueError,
            r"titles must .* got \[6\]",
        ),
        (
            G2,
            {5: Linear(0)},
            {5: 0.1},
            {"rows": 0},
            ValueError,
            "rows must be an int from 1 to 1; got 0",
        ),
        (
            G2,
            {5: Linear(0)},
            {5: 0.1},
            {"rows": 2},
            ValueError,
            "rows must be an int from 1 to 1; got 2",
        ),
        (G2, {5: Linear(0)}, {5: 0.1}, {"rows": "1"}, TypeError, "rows must be an int"),
    ],
)
def test_boundary_panels_rejects_bad_input(g2, predictors, errors, options, error, match):
    with pytest.raises(error, match=match):
        figures.boundary_panels(g2, DATA, predictors, errors, **options)


def test_boundary_panels_closes_its_figure_when_a_panel_fails():
    predictors = {5: Linear(0.0), 10: Linear(0.1)}
    with pytest.raises(ValueError, match=r"test_error must be a real number in \[0, 1\]"):
        figures.boundary_panels(G2, DATA, predictors, {5: 0.1, 10: 1.5})
    assert plt.get_fignums() == []


# epsilon_sweep_figure and sweep_against_reference_figure


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


@pytest.mark.parametrize(
    ("eps", "panels", "title", "error", "match"),
    [
        (EPS, {}, "t", ValueError, "panels must be"),
        (EPS, {"p": sweep(1.0)}, "t", TypeError, r"panels\['p'\] must be a pair"),
        (
            EPS,
            {"p": (sweep(1.0), torch.int64)},
            "t",
            TypeError,
            r"panels\['p'\] dtype must be a floating",
        ),
        (
            EPS,
            {"p": (sweep(1.0), 2.0)},
            "t",
            TypeError,
            r"panels\['p'\] dtype must be .* in \(0, 1\)",
        ),
        (
            EPS[:-1],
            {"p": (sweep(1.0), torch.float64)},
            "t",
            ValueError,
            r"panels\['p'\]\['W1'\] must be a 1-D",
        ),
        (EPS, {"p": ({"W1": np.full(len(EPS), np.nan)}, torch.float64)}, "t", ValueError, "finite"),
        (EPS, {"p": ({}, torch.float64)}, "t", ValueError, r"panels\['p'\] must be a non-empty"),
        (EPS, {"p": (sweep(1.0), torch.float64)}, "", ValueError, "title must be a non-empty str"),
        ([[1e-3]], {"p": (sweep(1.0), torch.float64)}, "t", ValueError, "eps must be a 1-D array"),
    ],
)
def test_epsilon_sweep_figure_rejects_bad_input(eps, panels, title, error, match):
    with pytest.raises(error, match=match):
        figures.epsilon_sweep_figure(eps, panels, title)


def test_sweep_against_reference_draws_one_panel_with_faded_references():
    tanh, relu = sweep(1.0), sweep(5.0)
    reference = {name: relu[name] for name in ("W1", "b1")}
    fig = figures.sweep_against_reference_figure(
        EPS, tanh, reference, torch.float64, title="tanh", label="tanh", reference_label="ReLU"
    )
    assert len(fig.axes) == 1
    ax = fig.axes[0]
    lines = {line.get_label(): line for line in ax.get_lines()}
    assert list(lines)[:6] == [
        "W1 (tanh)",
        "b1 (tanh)",
        "W2 (tanh)",
        "b2 (tanh)",
        "W1 (ReLU)",
        "b1 (ReLU)",
    ]
    for name in ("W1", "b1"):
        main, faded = lines[f"{name} (tanh)"], lines[f"{name} (ReLU)"]
        np.testing.assert_allclose(faded.get_ydata(), relu[name])
        assert faded.get_color() == main.get_color() and faded.get_alpha() < 1
        assert faded.get_marker() == "None" and main.get_marker() == "."
        assert faded.get_linewidth() < main.get_linewidth()
    np.testing.assert_allclose(ax.get_lines()[-1].get_ydata(), torch.finfo(torch.float64).eps / EPS)
    assert ax.get_title() == "tanh" and ax.get_ylabel() == figures.SWEEP_YLABEL
    assert len(figure_legend_labels(fig)) == 8
    check_readable(fig)


@pytest.mark.parametrize(
    ("reference", "options", "error", "match"),
    [
        ({}, {}, ValueError, "reference must be a non-empty mapping"),
        (
            {"W3": np.ones(len(EPS))},
            {},
            ValueError,
            r"reference must name parameters .* got \['W3'\]",
        ),
        (
            {"W1": np.ones(3)},
            {},
            ValueError,
            r"reference\['W1'\] must be a 1-D array of 23 numbers",
        ),
        ({"W1": np.ones(len(EPS))}, {"label": None}, TypeError, "label must be a non-empty str"),
    ],
)
def test_sweep_against_reference_rejects_bad_input(reference, options, error, match):
    kwargs = {"title": "t", "label": "tanh", "reference_label": "ReLU"} | options
    with pytest.raises(error, match=match):
        figures.sweep_against_reference_figure(EPS, sweep(1.0), reference, torch.float64, **kwargs)


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


@pytest.mark.parametrize(
    ("curves", "lr", "error", "match"),
    [
        ({}, 0.1, ValueError, "curves must be a non-empty"),
        ({5: [[1.0]]}, 0.1, ValueError, r"curves\[5\] must be a 1-D"),
        (LOSSES, 0.0, ValueError, "lr must be a positive finite number; got 0.0"),
        (LOSSES, "0.1", TypeError, "lr must be a positive finite number; got str"),
    ],
)
def test_loss_curves_figure_rejects_bad_input(curves, lr, error, match):
    with pytest.raises(error, match=match):
        figures.loss_curves_figure(curves, lr)


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


@pytest.mark.parametrize(
    ("change", "error", "match"),
    [
        (
            {"rose": {7: np.array([1])}},
            ValueError,
            r"rose must have only keys among \[500, 100\]; got \[7\]",
        ),
        ({"rose": {500: np.array([100])}}, ValueError, r"rose\[500\] must hold ints in \[0, 100\)"),
        (
            {"rose": {500: np.array([1.5])}},
            TypeError,
            r"rose\[500\] must be a non-empty 1-D array of ints",
        ),
        (
            {"colors": {500: "C3"}},
            ValueError,
            r"colors must have the keys \[500, 100\]; missing \[100\]",
        ),
        ({"lr": -0.1}, ValueError, "lr must be a positive finite number; got -0.1"),
        ({"lr": 1e-320}, ValueError, "2 / lr must be a positive finite number; got inf"),
        (
            {"runs": {500: {"loss": LOSSES[500]}}},
            ValueError,
            r"runs\[500\] must have keys .* missing",
        ),
    ],
)
def test_sharpness_figure_rejects_bad_input(change, error, match):
    arguments = {"runs": sharpness_runs(), "rose": {}, "lr": 0.1} | change
    with pytest.raises(error, match=match):
        figures.sharpness_figure(**arguments)


# learning_curves_figure, seed_errors_figure, training_size_figure

CHECKPOINTS = np.array([1, 2, 5, 10, 20, 50, 100, 200, 500, 1000])


def learning_curves():
    return {
        h: np.column_stack([0.4 * CHECKPOINTS**-0.3, 0.42 * CHECKPOINTS**-0.28 + 0.01 * k])
        for k, h in enumerate((5, 500))
    }


def test_learning_curves_figure_errors_gaps_and_legend_at_right():
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
    assert fig.legends[0].get_window_extent().x0 > gap_ax.get_window_extent().x1
    assert fig.get_suptitle() == "Training for 1000 epochs (lr = 0.1), evaluated at 10 checkpoints"
    check_readable(fig)


@pytest.mark.parametrize(
    ("curves", "bayes", "error", "match"),
    [
        ({5: np.ones((9, 2))}, 0.01, ValueError, r"curves\[5\] must be a \[10, 2\] array"),
        ({}, 0.01, ValueError, "curves must be a non-empty"),
        (
            {5: np.ones((10, 2)) / 2},
            1.5,
            ValueError,
            r"bayes_error must be a real number in \[0, 1\]; got 1.5",
        ),
    ],
)
def test_learning_curves_figure_rejects_bad_input(curves, bayes, error, match):
    with pytest.raises(error, match=match):
        figures.learning_curves_figure(CHECKPOINTS, curves, bayes, marked_epoch=100, lr=0.1)


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


@pytest.mark.parametrize(
    ("errors", "gaps", "error", "match"),
    [
        (SEED_ERRORS[:3], SEED_GAPS, ValueError, r"test_errors must be a \[4, seeds\] array"),
        (
            SEED_ERRORS,
            SEED_GAPS[:, :2],
            ValueError,
            r"gaps must be a \[4, seeds\] array .* got shape \[4, 2\]",
        ),
        (SEED_ERRORS[:, :1], SEED_GAPS[:, :1], ValueError, r"2 seeds or more"),
        ("errors", SEED_GAPS, TypeError, "test_errors must be"),
    ],
)
def test_seed_errors_figure_rejects_bad_input(errors, gaps, error, match):
    with pytest.raises(error, match=match):
        figures.seed_errors_figure(HIDDEN, errors, gaps, 0.0168)


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


@pytest.mark.parametrize(
    ("errors", "highlight", "error", "match"),
    [
        ({5: np.ones((4, 3)) / 5}, None, ValueError, r"errors\[5\] must be a \[5, seeds\] array"),
        (SIZE_ERRORS, ("x", 2.0), ValueError, r"highlight error must be a real number in \[0, 1\]"),
        (SIZE_ERRORS, ("", 0.1), ValueError, "highlight label must be a non-empty str"),
        (SIZE_ERRORS, ("x",), TypeError, r"highlight must be a pair \(label, error rate\)"),
    ],
)
def test_training_size_figure_rejects_bad_input(errors, highlight, error, match):
    with pytest.raises(error, match=match):
        figures.training_size_figure(SIZES, errors, 0.0168, epochs=100, highlight=highlight)


# count_histogram_figure and speed_figure

N_TEST = 100
BINOMIAL = np.array([np.exp(-((k - 15) ** 2) / 30) for k in range(N_TEST + 1)])


def test_count_histogram_figure_bars_and_pmfs():
    counts = np.array([12, 15, 15, 16, 18, 15, 14])
    fig = figures.count_histogram_figure(counts, BINOMIAL, BINOMIAL * 0.9, hidden_size=5)
    ax = fig.axes[0]
    bars = ax.patches
    shown = np.arange(7, 24)  # five counts either side of the observed range
    np.testing.assert_array_equal([bar.get_x() + bar.get_width() / 2 for bar in bars], shown)
    assert sum(bar.get_height() for bar in bars) == pytest.approx(1.0)
    assert bars[list(shown).index(15)].get_height() == pytest.approx(3 / 7)
    binomial, split = ax.get_lines()
    np.testing.assert_allclose(binomial.get_ydata(), BINOMIAL[shown])
    np.testing.assert_allclose(split.get_ydata(), 0.9 * BINOMIAL[shown])
    assert ax.get_title() == "Errors of the 5-unit network in test sets of n = 100"
    assert "7 test sets drawn from G2Model" in figure_legend_labels(fig)
    check_readable(fig)


@pytest.mark.parametrize(
    ("counts", "split", "error", "match"),
    [
        (
            np.array([1.0, 2.0]),
            BINOMIAL,
            TypeError,
            "error_counts must be a non-empty 1-D array of ints",
        ),
        (np.array([1, 101]), BINOMIAL, ValueError, r"error_counts must hold ints in \[0, 101\)"),
        (
            np.array([1, 2]),
            BINOMIAL[:-1],
            ValueError,
            "split_pmf must be a 1-D array of 101 numbers",
        ),
    ],
)
def test_count_histogram_figure_rejects_bad_input(counts, split, error, match):
    with pytest.raises(error, match=match):
        figures.count_histogram_figure(counts, BINOMIAL, split, hidden_size=5)


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


@pytest.mark.parametrize(
    ("seconds", "device", "error", "match"),
    [
        (
            {(200, 10): {"hand": 1e-4}},
            "cpu",
            ValueError,
            r"step_seconds\[\(200, 10\)\] must have the keys \('hand', 'nn'\); missing \['nn'\]",
        ),
        (
            {(200, 10): {"hand": -1.0, "nn": 1.0}},
            "cpu",
            ValueError,
            r"step_seconds\[\(200, 10\)\]\['hand'\] must be",
        ),
        ({}, "cpu", ValueError, "step_seconds must be a mapping .* of at least 1 size; got 0"),
        ([], "cpu", TypeError, "step_seconds must be a mapping .*; got list"),
        ({(0, 10): {"hand": 1.0, "nn": 1.0}}, "cpu", ValueError, "keys must be pairs of positive"),
        (STEP_SECONDS, "", ValueError, "device must be a non-empty str"),
        (STEP_SECONDS, 3, TypeError, "device must be a non-empty str"),
    ],
)
def test_speed_figure_rejects_bad_input(seconds, device, error, match):
    with pytest.raises(error, match=match):
        figures.speed_figure(seconds, device)


def test_every_figure_function_leaves_one_open_figure_and_does_not_show(monkeypatch):
    shown = []
    monkeypatch.setattr(plt, "show", lambda *args, **kwargs: shown.append(args))
    figures.loss_curves_figure(LOSSES, 0.1)
    figures.speed_figure(STEP_SECONDS, "cpu")
    assert len(plt.get_fignums()) == 2 and not shown


def second_panel_refused():
    """An epsilon sweep whose second panel is bad: the first one would already be drawn."""
    panels = {"ok": (sweep(1.0), torch.float64), "bad": (sweep(1.0), torch.int64)}
    figures.epsilon_sweep_figure(EPS, panels, "t")


@pytest.mark.parametrize(
    ("call", "error", "match"),
    [
        (lambda: figures.boundary_panels(G2, DATA, {5: Linear(0)}, {5: 0.1}, suptitle=""),
         ValueError, "suptitle must be a non-empty str"),
        (second_panel_refused, TypeError, r"panels\['bad'\] dtype must be"),
        (lambda: figures.epsilon_sweep_figure(EPS, {"p": (sweep(1.0), torch.float64)}, 3),
         TypeError, "title must be a non-empty str"),
        (lambda: figures.sweep_against_reference_figure(
            EPS, sweep(1.0), {"W1": np.ones(len(EPS))}, torch.float64, title="t", label="tanh",
            reference_label=3), TypeError, "reference_label must be a non-empty str"),
        (lambda: figures.sweep_against_reference_figure(
            EPS, sweep(1.0), {"W1": np.ones(len(EPS))}, torch.float64, title="", label="tanh",
            reference_label="ReLU"), ValueError, "title must be a non-empty str"),
        (lambda: figures.loss_curves_figure(LOSSES, -1), ValueError, "lr must be a positive"),
        (lambda: figures.loss_curves_figure({5: LOSSES[5], 6: "x"}, 0.1), TypeError,
         r"curves\[6\] must be"),
        (lambda: figures.sharpness_figure(sharpness_runs(), {100: np.array([100])}, 0.1),
         ValueError, r"rose\[100\] must hold ints"),
        (lambda: figures.sharpness_figure(sharpness_runs(), {}, -0.1), ValueError,
         "lr must be a positive"),
        (lambda: figures.learning_curves_figure(CHECKPOINTS, learning_curves(), 0.01,
                                                marked_epoch=100, lr=-1), ValueError,
         "lr must be a positive"),
        (lambda: figures.learning_curves_figure(CHECKPOINTS, learning_curves(), 2.0,
                                                marked_epoch=100, lr=0.1), ValueError,
         "bayes_error must be"),
        (lambda: figures.learning_curves_figure(CHECKPOINTS, learning_curves(), 0.01,
                                                marked_epoch=-1, lr=0.1), ValueError,
         "marked_epoch must be an integer >= 0; got -1"),
        (lambda: figures.seed_errors_figure(HIDDEN, SEED_ERRORS, SEED_GAPS, 2.0), ValueError,
         r"bayes_error must be a real number in \[0, 1\]; got 2.0"),
        (lambda: figures.training_size_figure(SIZES, SIZE_ERRORS, 2.0, epochs=100), ValueError,
         "bayes_error must be"),
        (lambda: figures.training_size_figure(SIZES, SIZE_ERRORS, 0.01, epochs=0), ValueError,
         "epochs must be an integer >= 1; got 0"),
        (lambda: figures.count_histogram_figure(np.array([1, 2]), BINOMIAL, BINOMIAL,
                                                hidden_size=0), ValueError,
         "hidden_size must be an integer >= 1; got 0"),
        (lambda: figures.speed_figure(STEP_SECONDS, ""), ValueError, "device must be"),
        (lambda: figures.speed_figure({**STEP_SECONDS, (1, 1): {"hand": 1.0}}, "cpu"),
         ValueError, r"step_seconds\[\(1, 1\)\] must have the keys"),
    ],
)
def test_a_refused_call_leaves_no_figure_open(call, error, match):
    with pytest.raises(error, match=match):
        call()
    assert plt.get_fignums() == []


@pytest.mark.parametrize(
    ("call", "match"),
    [
        (lambda: figures.seed_errors_figure(HIDDEN, 100 * SEED_ERRORS, SEED_GAPS, 0.0168),
         r"test_errors must be a \[4, seeds\] array of numbers in \[0, 1\] .* got values from 3 "
         "to 16"),
        (lambda: figures.seed_errors_figure(HIDDEN, SEED_ERRORS, SEED_GAPS - 1.5, 0.0168),
         r"gaps must be a \[4, seeds\] array of numbers in \[-1, 1\]"),
        (lambda: figures.training_size_figure(SIZES, {5: SIZE_ERRORS[5] + 1}, 0.01, epochs=10),
         r"errors\[5\] must be a \[5, seeds\] array of numbers in \[0, 1\]"),
        (lambda: figures.learning_curves_figure(CHECKPOINTS, {5: np.full((10, 2), 50.0)}, 0.01,
                                                marked_epoch=100, lr=0.1),
         r"curves\[5\] must be a \[10, 2\] array of \(train, test\) error rates in \[0, 1\]"),
    ],
)
def test_error_rates_out_of_range_are_refused(call, match):
    with pytest.raises(ValueError, match=match):
        call()


def test_seed_errors_figure_refuses_percentages():
    errors = np.full((4, 3), 50.0)
    with pytest.raises(ValueError, match=r"test_errors must be .* in \[0, 1\]"):
        figures.seed_errors_figure(HIDDEN, errors, SEED_GAPS, 0.0168)
    assert plt.get_fignums() == []


def test_loss_curves_figure_takes_bfloat16_tensors():
    curves = {5: torch.tensor(LOSSES[5], dtype=torch.bfloat16, requires_grad=True)}
    line = figures.loss_curves_figure(curves, 0.1).axes[0].get_lines()[0]
    np.testing.assert_allclose(line.get_ydata(), curves[5].detach().double().numpy())
