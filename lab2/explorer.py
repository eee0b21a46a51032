"""The lab's interactive explorer: sliders that retrain the network and redraw its boundary.

The training and drawing live in the notebook; this module takes them as one callable,
``draw(hidden_size=..., learning_rate=..., epochs=..., train_size=..., seed=...) -> Figure``, and
builds the widget around it: aligned sliders, a status line that says what is being retrained (set
before the work starts) and how long it took, and the figure as a PNG image.
"""

from __future__ import annotations

import io
import numbers
import time
from collections.abc import Callable, Mapping
from typing import Any

import ipywidgets as widgets
import matplotlib.pyplot as plt
from matplotlib.figure import Figure

from lab2.checks import check_callable

SETTINGS = ("hidden_size", "learning_rate", "epochs", "train_size", "seed")
HIDDEN_SIZES = (5, 10, 20, 50, 100, 200, 500, 1000)
TRAIN_SIZES = (50, 100, 200, 500, 1000, 2000)
EPOCHS = range(10, 1001, 10)
SEEDS = range(21)
LEARNING_RATE_EXPONENTS = (-3.0, 0.0, 0.25)  # min, max, step of log10(learning rate)
LABEL_STYLE = {"description_width": "110px"}  # room for the longest label, "learning rate"
SLIDER_WIDTH = "480px"
THIN_SPACE = "\u202f"  # between thousands: 2 000 points


class Explorer(widgets.VBox):
    """Sliders for the five settings, a status line and the figure ``draw`` makes for them;
    releasing a slider retrains, and the status line says so until the new figure is up."""

    def __init__(self, draw: Callable[..., Figure], defaults: Mapping[str, Any]) -> None:
        self.draw = checked_draw(draw)
        self.controls = make_controls(checked_settings(defaults, "defaults"))
        self.status = widgets.Label(layout=widgets.Layout(width=SLIDER_WIDTH))
        self.image = widgets.Image(format="png")
        super().__init__([*self.controls.values(), self.status, self.image])
        for control in self.controls.values():
            control.observe(self.refresh, names="value")
        self.refresh()

    def settings(self) -> dict[str, Any]:
        """The sliders' current values, by setting name."""
        return {name: control.value for name, control in self.controls.items()}

    def refresh(self, change: Any = None) -> None:
        """Retrain and redraw for the current settings, saying so in the status line meanwhile."""
        settings = self.settings()
        self.status.value = f"retraining {describe(settings)}…"
        start = time.perf_counter()
        try:
            png = png_bytes(self.draw(**settings))
        except Exception as error:
            self.status.value = f"failed: {type(error).__name__}: {error}"
            raise
        self.image.value = png
        self.status.value = f"done in {time.perf_counter() - start:.2g} s: {describe(settings)}"


def default_view(draw: Callable[..., Figure], defaults: Mapping[str, Any]) -> Figure:
    """The figure the explorer shows first: ``draw`` at the checked ``defaults`` (for a page
    opened without a kernel)."""
    return checked_figure(checked_draw(draw)(**checked_settings(defaults, "defaults")))


def make_controls(settings: Mapping[str, Any]) -> dict[str, widgets.ValueWidget]:
    """One slider per setting, at ``settings``, all with the same label and slider widths; each
    reports its value when released, not while dragged."""
    low, high, step = LEARNING_RATE_EXPONENTS
    common = {"style": LABEL_STYLE, "layout": widgets.Layout(width=SLIDER_WIDTH),
              "continuous_update": False}
    return {
        "hidden_size": widgets.SelectionSlider(options=HIDDEN_SIZES, value=settings["hidden_size"],
                                               description="hidden size", **common),
        "learning_rate": widgets.FloatLogSlider(value=settings["learning_rate"], base=10, min=low,
                                                max=high, step=step, description="learning rate",
                                                readout_format=".3g", **common),
        "epochs": widgets.IntSlider(value=settings["epochs"], min=EPOCHS.start, max=EPOCHS[-1],
                                    step=EPOCHS.step, description="epochs", **common),
        "train_size": widgets.SelectionSlider(options=TRAIN_SIZES, value=settings["train_size"],
                                              description="train size", **common),
        "seed": widgets.IntSlider(value=settings["seed"], min=SEEDS.start, max=SEEDS[-1],
                                  description="seed", **common),
    }


def checked_settings(settings: Any, name: str) -> dict[str, Any]:
    """``settings`` as a dict when it gives each of SETTINGS a value the sliders can show."""
    expected = f"a mapping with exactly the keys {SETTINGS}"
    if not isinstance(settings, Mapping):
        raise TypeError(f"{name} must be {expected}; got {type(settings).__name__}")
    if set(settings) != set(SETTINGS):
        raise ValueError(f"{name} must be {expected}; got {list(settings)}")
    check_choice(settings["hidden_size"], f"{name}['hidden_size']", HIDDEN_SIZES)
    check_choice(settings["train_size"], f"{name}['train_size']", TRAIN_SIZES)
    check_choice(settings["epochs"], f"{name}['epochs']", EPOCHS)
    check_choice(settings["seed"], f"{name}['seed']", SEEDS)
    rate = settings["learning_rate"]
    low, high = 10 ** LEARNING_RATE_EXPONENTS[0], 10 ** LEARNING_RATE_EXPONENTS[1]
    if isinstance(rate, bool) or not isinstance(rate, numbers.Real) or not low <= rate <= high:
        raise ValueError(f"{name}['learning_rate'] must be a number from {low:g} to {high:g}; "
                         f"got {rate!r}")
    return dict(settings)


def check_choice(value: Any, name: str, choices: Any) -> None:
    """Raise unless ``value`` is an int among ``choices``."""
    if isinstance(value, bool) or not isinstance(value, numbers.Integral) or value not in choices:
        shown = (f"from {choices.start} to {choices[-1]} in steps of {choices.step}"
                 if isinstance(choices, range) else f"one of {choices}")
        raise ValueError(f"{name} must be an int {shown}; got {value!r}")


def checked_draw(draw: Any) -> Callable[..., Figure]:
    """``draw`` when it is callable."""
    return check_callable(draw, "draw", "a callable returning a Figure")


def checked_figure(fig: Any) -> Figure:
    """``fig`` when it is a matplotlib Figure (what ``draw`` must return)."""
    if not isinstance(fig, Figure):
        raise TypeError(f"draw must return a matplotlib Figure; got {type(fig).__name__}")
    return fig


def png_bytes(fig: Any) -> bytes:
    """The figure as PNG bytes; the figure is closed (the image widget shows it, not pyplot)."""
    buffer = io.BytesIO()
    checked_figure(fig).savefig(buffer, format="png")
    plt.close(fig)
    return buffer.getvalue()


def describe(settings: Mapping[str, Any]) -> str:
    """The settings in words: '500 hidden units on 2 000 points for 1 000 epochs (lr = 0.1,
    seed 0)'."""
    return (f"{grouped(settings['hidden_size'])} hidden units on {grouped(settings['train_size'])} "
            f"points for {grouped(settings['epochs'])} epochs "
            f"(lr = {settings['learning_rate']:.3g}, seed {settings['seed']})")


def grouped(number: int) -> str:
    """``number`` with thin spaces between groups of three digits."""
    return f"{number:,}".replace(",", THIN_SPACE)
