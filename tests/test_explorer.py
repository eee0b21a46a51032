"""Unit tests of explorer without a kernel: a fake fast draw, values changed programmatically."""

import matplotlib.pyplot as plt
import pytest

from lab2 import explorer
from lab2.explorer import Explorer, default_view

DEFAULTS = {"hidden_size": 500, "learning_rate": 0.1, "epochs": 100, "train_size": 200, "seed": 0}
PNG_MAGIC = b"\x89PNG\r\n\x1a\n"


class FakeDraw:
    """Records each call's settings and the status line then; draws the settings as a title."""

    def __init__(self):
        self.calls, self.widget = [], None

    def __call__(self, **settings):
        status = None if self.widget is None else self.widget.status.value
        self.calls.append((settings, status))
        fig, ax = plt.subplots(figsize=(3, 2))
        ax.set_title(" ".join(str(value) for value in settings.values()))
        return fig


def built():
    draw = FakeDraw()
    widget = Explorer(draw, DEFAULTS)
    draw.widget = widget
    return draw, widget


def test_explorer_draws_the_defaults_on_construction():
    draw, widget = built()
    assert draw.calls == [(DEFAULTS, None)]
    assert bytes(widget.image.value).startswith(PNG_MAGIC)
    assert widget.status.value.startswith("done in ")
    assert widget.status.value.endswith(
        "500 hidden units on 200 points for 100 epochs (lr = 0.1, seed 0)"
    )
    assert plt.get_fignums() == []  # the image widget shows the figure; pyplot does not keep it


def test_explorer_says_it_is_retraining_before_the_work_starts():
    draw, widget = built()
    first_image = bytes(widget.image.value)
    widget.controls["train_size"].value = 2000
    widget.controls["epochs"].value = 1000
    settings, status = draw.calls[-1]
    assert settings == DEFAULTS | {"train_size": 2000, "epochs": 1000}
    assert status == (
        "retraining 500 hidden units on 2\u202f000 points for 1\u202f000 epochs (lr = 0.1, seed 0)…"
    )
    assert widget.status.value.startswith("done in ") and "1\u202f000 epochs" in widget.status.value
    assert (
        bytes(widget.image.value).startswith(PNG_MAGIC) and bytes(widget.image.value) != first_image
    )
    assert len(draw.calls) == 3


def test_explorer_reports_a_failed_retraining():
    def draw(**settings):
        if settings["seed"] == 3:
            raise RuntimeError("out of memory")
        return plt.figure()

    widget = Explorer(draw, DEFAULTS)
    image = bytes(widget.image.value)
    with pytest.raises(RuntimeError, match="out of memory"):
        widget.controls["seed"].value = 3
    assert widget.status.value == "failed: RuntimeError: out of memory"
    assert bytes(widget.image.value) == image


def test_explorer_refuses_a_draw_that_returns_no_figure():
    with pytest.raises(TypeError, match="draw must return a matplotlib Figure; got Axes"):
        Explorer(lambda **settings: plt.subplots()[1], DEFAULTS)


def test_explorer_sliders_line_up_and_update_on_release():
    _, widget = built()
    controls = list(widget.controls.values())
    assert list(widget.controls) == list(explorer.SETTINGS)
    assert widget.children[:5] == tuple(controls)
    assert [control.description for control in controls] == [
        "hidden size",
        "learning rate",
        "epochs",
        "train size",
        "seed",
    ]
    assert {control.style.description_width for control in controls} == {
        explorer.LABEL_STYLE["description_width"]
    }
    assert {control.layout.width for control in controls} == {explorer.SLIDER_WIDTH}
    assert widget.status.layout.width == explorer.SLIDER_WIDTH
    assert not any(control.continuous_update for control in controls)
    assert widget.settings() == DEFAULTS


def test_explorer_slider_ranges():
    _, widget = built()
    assert widget.controls["hidden_size"].options == (5, 10, 20, 50, 100, 200, 500, 1000)
    assert widget.controls["train_size"].options == (50, 100, 200, 500, 1000, 2000)
    epochs, rate = widget.controls["epochs"], widget.controls["learning_rate"]
    assert (epochs.min, epochs.max, epochs.step) == (10, 1000, 10)
    assert (rate.min, rate.max, rate.base) == (-3, 0, 10)


def test_default_view_is_the_draw_at_the_defaults():
    draw = FakeDraw()
    fig = default_view(draw, DEFAULTS)
    assert draw.calls == [(DEFAULTS, None)]
    assert fig.axes[0].get_title() == "500 0.1 100 200 0"


@pytest.mark.parametrize(
    ("draw", "defaults", "error", "match"),
    [
        ("draw", DEFAULTS, TypeError, "draw must be a callable returning a Figure; got str"),
        (
            FakeDraw(),
            {**DEFAULTS, "width": 3},
            ValueError,
            r"defaults must be a mapping with exactly the keys",
        ),
        (FakeDraw(), [1, 2], TypeError, r"defaults must be a mapping .* got list$"),
        (
            FakeDraw(),
            DEFAULTS | {"hidden_size": 7},
            ValueError,
            r"defaults\['hidden_size'\] must be an int one of \(5, 10, .*\); got 7",
        ),
        (
            FakeDraw(),
            DEFAULTS | {"train_size": 200.0},
            ValueError,
            r"defaults\['train_size'\] must be an int",
        ),
        (
            FakeDraw(),
            DEFAULTS | {"epochs": 15},
            ValueError,
            r"defaults\['epochs'\] must be an int from 10 to 1000 in steps of 10; got 15",
        ),
        (
            FakeDraw(),
            DEFAULTS | {"seed": True},
            ValueError,
            r"defaults\['seed'\] must be an int from 0 to 20",
        ),
        (
            FakeDraw(),
            DEFAULTS | {"learning_rate": 2.0},
            ValueError,
            r"defaults\['learning_rate'\] must be a number from 0.001 to 1; got 2.0",
        ),
        (
            FakeDraw(),
            DEFAULTS | {"learning_rate": "0.1"},
            ValueError,
            r"defaults\['learning_rate'\]",
        ),
    ],
)
def test_bad_input_is_refused_by_explorer_and_default_view(draw, defaults, error, match):
    with pytest.raises(error, match=match):
        Explorer(draw, defaults)
    with pytest.raises(error, match=match):
        default_view(draw, defaults)
    assert plt.get_fignums() == []
