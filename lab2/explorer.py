"""The lab's interactive explorer: sliders that retrain the network, in a background thread, by
the notebook's ``draw(**settings, on_epoch=...)``, which returns a Figure, and show its figure."""

from __future__ import annotations

import base64
import html
import io
import struct
import threading
import time
from collections.abc import Callable, Mapping
from typing import Any

import ipywidgets as widgets
import matplotlib.pyplot as plt
from matplotlib.figure import Figure

__all__ = ["Explorer", "default_view"]

HIDDEN_SIZES = (5, 10, 20, 50, 100, 200, 500, 1000)
TRAIN_SIZES = (50, 100, 200, 500, 1000, 2000)
EPOCHS = range(10, 1001, 10)
SEEDS = range(21)
LEARNING_RATE_EXPONENTS = (-3.0, 0.0, 0.25)  # min, max, step of log10(learning rate)
LABEL_STYLE = {"description_width": "110px"}  # room for the longest label, "learning rate"
COLUMN_WIDTH = "380px"  # the sliders, the status line (it wraps) and the progress bar
ROW_MARGIN = "2px 0"  # the same for every row (SelectionSlider's default differs)
PROGRESS_DELAY, PROGRESS_INTERVAL = 0.5, 0.1  # seconds: show the bar after, update it every
THIN_SPACE = "\u202f"  # between thousands: 2 000 points
NOTE = "Interactive explorer: its sliders need a running Jupyter kernel (run this cell in Jupyter)"


class _SupersededError(Exception):
    """Raised in a run whose settings newer ones have replaced, to stop it."""


class Explorer(widgets.HBox):
    """Sliders for the five settings, a status line, a progress bar and the figure ``draw`` makes
    for them; releasing a slider retrains in a thread, where newer settings stop a stale run."""

    def __init__(self, draw: Callable[..., Figure], defaults: Mapping[str, Any]) -> None:
        self.draw = draw
        self.controls = _controls(defaults)
        column = widgets.Layout(width=COLUMN_WIDTH, margin=ROW_MARGIN)
        self.status = widgets.HTML(layout=column)
        self.progress = widgets.IntProgress(style=LABEL_STYLE, layout=widgets.Layout(
            width=COLUMN_WIDTH, margin=ROW_MARGIN, visibility="hidden"))
        self.image = widgets.HTML()
        sliders = widgets.VBox([*self.controls.values(), self.status, self.progress])
        super().__init__([sliders, self.image], layout=widgets.Layout(
            flex_flow="row wrap", align_items="flex-start"))
        self._wake, self._queued = threading.Condition(), None
        self._worker: threading.Thread | None = None
        self._retrain(self.settings())
        for control in self.controls.values():
            control.observe(self._queue, names="value")

    def __repr__(self) -> str:
        return NOTE

    def settings(self) -> dict[str, Any]:
        """The sliders' current values, by setting name."""
        return {name: control.value for name, control in self.controls.items()}

    def _queue(self, change: Any = None) -> None:
        """Queue the sliders' settings for the worker (started once), replacing any queued."""
        with self._wake:
            self._queued = self.settings()
            self._wake.notify()
            if self._worker is None:
                self._worker = _in_background(self._work)

    def _work(self) -> None:
        """Retrain for each queued settings, for good; a failure is told in the status line. One
        lasting thread: torch's first steps in a new thread are slow."""
        while True:
            with self._wake:
                self._wake.wait_for(lambda: self._queued is not None)
                settings, self._queued = self._queued, None
            try:
                self._retrain(settings)
            except _SupersededError:
                pass
            except Exception as error:
                self._say(f"failed: {type(error).__name__}: {error}")

    def _retrain(self, settings: dict[str, Any]) -> None:
        """Draw ``settings`` into the image, saying what is retrained and then how long it took."""
        self._say(f"retraining {_describe(settings)}…")
        start = _now()
        try:
            fig = self.draw(**settings, on_epoch=self._epoch_callback(settings["epochs"], start))
        finally:
            self.progress.layout.visibility = "hidden"
        self.image.value = _image_html(_png_bytes(fig), _alt_text(fig, settings))
        self._say(f"done in {_now() - start:.2g} s: {_describe(settings)}")

    def _epoch_callback(self, total: int, start: float) -> Callable[[int], None]:
        """``on_epoch`` for one run: it stops the run once newer settings are queued, and shows
        the progress bar after PROGRESS_DELAY seconds, updated every PROGRESS_INTERVAL."""
        shown = float("-inf")  # when the bar was last updated

        def on_epoch(done: int) -> None:
            nonlocal shown
            if self._queued is not None:
                raise _SupersededError
            now = _now()
            if now - start >= PROGRESS_DELAY and now - shown >= PROGRESS_INTERVAL:
                shown = now
                self._show_progress(done, total)

        return on_epoch

    def _show_progress(self, done: int, total: int) -> None:
        """The progress bar at ``done`` epochs of ``total``, with the count as its label."""
        with self.progress.hold_sync():
            self.progress.max, self.progress.value = total, done
            self.progress.description = f"{_grouped(done)} of {_grouped(total)}"
        self.progress.layout.visibility = "visible"

    def _say(self, text: str) -> None:
        """``text`` in the status line, which wraps to its width."""
        self.status.value = f'<div style="line-height: 1.4">{html.escape(text)}</div>'


def default_view(draw: Callable[..., Figure], defaults: Mapping[str, Any]) -> Figure:
    """The figure the explorer shows first: ``draw`` at ``defaults`` (for a page opened without a
    kernel)."""
    return draw(**defaults, on_epoch=lambda done: None)


_now = time.perf_counter  # the tests put a fake clock here


def _in_background(job: Callable[[], None]) -> threading.Thread:
    """``job`` started in a daemon thread, so that the kernel keeps taking slider changes."""
    thread = threading.Thread(target=job, name="explorer-retrain", daemon=True)
    thread.start()
    return thread


def _controls(settings: Mapping[str, Any]) -> dict[str, widgets.ValueWidget]:
    """One slider per setting, at ``settings``, all with the same label and slider widths; each
    reports its value when released, not while dragged."""
    low, high, step = LEARNING_RATE_EXPONENTS
    common = {"style": LABEL_STYLE, "layout": widgets.Layout(width=COLUMN_WIDTH, margin=ROW_MARGIN),
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


def _png_bytes(fig: Figure) -> bytes:
    """The figure as PNG bytes at its own size; closed if pyplot holds it (the widget shows it)."""
    buffer = io.BytesIO()
    fig.savefig(buffer, format="png")
    plt.close(fig)
    return buffer.getvalue()


def _image_html(png: bytes, alt: str) -> str:
    """An <img> of the PNG, sized in CSS px to its pixels (never scaled), with ``alt``."""
    width, height = struct.unpack(">II", png[16:24])  # from the PNG's IHDR chunk
    source = base64.b64encode(png).decode("ascii")
    return (f'<img src="data:image/png;base64,{source}" width="{width}" height="{height}" '
            f'style="display: block; max-width: none" alt="{html.escape(alt)}">')


def _alt_text(fig: Figure, settings: Mapping[str, Any]) -> str:
    """What the figure shows, in a sentence: the settings, then its axes' titles."""
    titles = "; ".join(ax.get_title().replace("\n", ", ") for ax in fig.axes if ax.get_title())
    return (f"Decision boundary of the network trained with {_describe(settings)}, over its "
            f"training points" + (f": {titles}." if titles else "."))


def _describe(settings: Mapping[str, Any]) -> str:
    """The settings in words: '500 hidden units on 2 000 points for 10 epochs (lr = 0.1, seed 0)'"""
    return (f"{_grouped(settings['hidden_size'])} hidden units on "
            f"{_grouped(settings['train_size'])} points for {_grouped(settings['epochs'])} epochs "
            f"(lr = {settings['learning_rate']:.3g}, seed {settings['seed']})")


def _grouped(number: int) -> str:
    """``number`` with thin spaces between groups of three digits."""
    return f"{number:,}".replace(",", THIN_SPACE)
