"""Unit tests of explorer without a kernel: a fake draw that trains epoch by epoch on a fake clock,
values changed programmatically; the widget's worker thread retrains."""

import base64
import html
import re
import threading
import time

import matplotlib.pyplot as plt
import pytest

from lab2 import explorer
from lab2.explorer import Explorer, default_view

DEFAULTS = {"hidden_size": 500, "learning_rate": 0.1, "epochs": 100, "train_size": 200, "seed": 0}
PNG_MAGIC = b"\x89PNG\r\n\x1a\n"
LONG = {"train_size": 2000, "epochs": 1000}


class FakeClock:
    """Time that passes only when told: ``ticks`` of ``tick`` seconds (exact binary fractions)."""

    def __init__(self):
        self.ticks, self.tick = 0, 1 / 32

    def __call__(self):
        return self.ticks * self.tick


class FakeDraw:
    """Trains for ``epochs`` epochs of one clock tick each, calling ``on_epoch`` after each; records
    per call the settings, the status line at the start, the epochs finished and the progress bar
    after each epoch; runs ``actions[(call number, epoch)]`` after that epoch's ``on_epoch``."""

    def __init__(self, clock, actions=None):
        self.clock, self.actions, self.widget = clock, actions or {}, None
        self.calls, self.progress = [], []

    def __call__(self, *, on_epoch, **settings):
        call = {"settings": settings, "status": self.widget and status_text(self.widget), "done": 0}
        self.calls.append(call)
        self.progress = []
        for done in range(1, settings["epochs"] + 1):
            self.clock.ticks += 1
            on_epoch(done)
            call["done"] = done
            if self.widget:
                bar = self.widget.progress
                self.progress.append((bar.layout.visibility, bar.value, bar.max, bar.description))
            self.actions.pop((len(self.calls), done), lambda widget: None)(self.widget)
        fig, ax = plt.subplots(figsize=(3, 2))
        ax.set_title(" ".join(str(value) for value in settings.values()))
        return fig


@pytest.fixture
def clock(monkeypatch):
    fake = FakeClock()
    monkeypatch.setattr(explorer, "_now", fake)
    return fake


def built(clock, actions=None):
    draw = FakeDraw(clock, actions)
    widget = Explorer(draw, DEFAULTS)
    draw.widget = widget
    return draw, widget


def status_text(widget):
    return html.unescape(re.sub(r"<[^>]+>", "", widget.status.value))


def image_png(widget):
    source = re.search(r'src="data:image/png;base64,([^"]+)"', widget.image.value)[1]
    return base64.b64decode(source)


def image_title(widget):
    return html.unescape(re.search(r'alt="[^"]*over its training points: ([^"]*)\."',
                                   widget.image.value)[1])


def wait_until(condition):
    """Wait until ``condition()`` holds, for the worker thread (30 s at most: a guard against a
    hang, not a measure)."""
    deadline = time.monotonic() + 30
    while not condition() and time.monotonic() < deadline:
        time.sleep(0.005)
    assert condition()


def wait_for_done(widget, settings):
    """Wait until the status line says that ``settings`` are drawn."""
    described = explorer._describe(settings)
    wait_until(lambda: re.fullmatch(rf"done in \S+ s: {re.escape(described)}", status_text(widget)))


def runs(draw):
    return [(call["settings"], call["done"]) for call in draw.calls]


def test_explorer_draws_the_defaults_on_construction(clock):
    draw, widget = built(clock)
    assert runs(draw) == [(DEFAULTS, 100)] and draw.calls[0]["status"] is None
    assert image_png(widget).startswith(PNG_MAGIC)
    assert status_text(widget) == (
        "done in 3.1 s: 500 hidden units on 200 points for 100 epochs (lr = 0.1, seed 0)"
    )  # 100 ticks of 1/32 s
    assert plt.get_fignums() == []  # the image widget shows the figure; pyplot does not keep it
    assert widget._worker is None  # the first drawing is made before the widget is shown


def test_explorer_image_is_shown_at_its_pixel_size_with_an_alt_text(clock):
    _, widget = built(clock)
    assert 'width="300" height="200"' in widget.image.value  # 3 by 2 inches at 100 dpi
    alt = html.unescape(re.search(r'alt="([^"]*)"', widget.image.value)[1])
    assert alt == (
        "Decision boundary of the network trained with 500 hidden units on 200 points for 100 "
        "epochs (lr = 0.1, seed 0), over its training points: 500 0.1 100 200 0."
    )


def test_explorer_says_it_is_retraining_before_the_work_starts(clock):
    draw, widget = built(clock)
    first_image = image_png(widget)
    widget.controls["train_size"].value = 2000
    wait_for_done(widget, DEFAULTS | {"train_size": 2000})
    widget.controls["epochs"].value = 1000
    wait_for_done(widget, DEFAULTS | LONG)
    assert runs(draw) == [(DEFAULTS, 100), (DEFAULTS | {"train_size": 2000}, 100),
                          (DEFAULTS | LONG, 1000)]
    assert draw.calls[-1]["status"] == (
        "retraining 500 hidden units on 2\u202f000 points for 1\u202f000 epochs (lr = 0.1, seed 0)…"
    )
    assert image_png(widget) != first_image and image_title(widget) == "500 0.1 1000 2000 0"


def test_a_long_run_shows_its_progress_from_half_a_second_on(clock):
    draw, widget = built(clock)
    assert widget.progress.layout.visibility == "hidden"
    widget.controls["epochs"].value = 1000
    wait_for_done(widget, DEFAULTS | {"epochs": 1000})
    shown = [state for state in draw.progress if state[0] == "visible"]
    # epoch 16 is 0.5 s in; then one update each 4 ticks (0.125 s), the first >= 0.1 s
    assert sorted({value for _, value, _, _ in shown}) == list(range(16, 1001, 4))
    assert shown[0] == ("visible", 16, 1000, "16 of 1\u202f000")
    assert shown[-1] == ("visible", 1000, 1000, "1\u202f000 of 1\u202f000")
    assert len(draw.progress) - len(shown) == 15  # hidden for the first 15 epochs
    assert widget.progress.layout.visibility == "hidden"  # gone once the figure is up


def test_a_short_run_shows_no_progress_bar(clock):
    draw, widget = built(clock)
    widget.controls["epochs"].value = 10  # 10 ticks: 0.31 s
    wait_for_done(widget, DEFAULTS | {"epochs": 10})
    assert {state[0] for state in draw.progress} == {"hidden"}


def test_a_newer_setting_stops_the_stale_run_at_its_next_epoch(clock):
    def two_changes(widget):
        widget.controls["seed"].value = 5
        widget.controls["epochs"].value = 500

    draw, widget = built(clock, actions={(2, 30): two_changes})
    widget.controls["train_size"].value = 2000  # call 2; changed at its epoch 30
    latest = DEFAULTS | {"train_size": 2000, "seed": 5, "epochs": 500}
    wait_for_done(widget, latest)
    # the stale run stops at epoch 31 (before it); the settings in between are never trained
    assert runs(draw) == [(DEFAULTS, 100), (DEFAULTS | {"train_size": 2000}, 30), (latest, 500)]
    assert image_title(widget) == "500 0.1 500 2000 5"


def test_slider_changes_while_the_worker_runs_supersede_its_run(clock):
    started, release = threading.Event(), threading.Event()

    def block(widget):
        started.set()
        assert release.wait(timeout=30)

    draw, widget = built(clock, actions={(2, 1): block})
    widget.controls["epochs"].value = 1000  # run 2, in the worker thread: blocks at epoch 1
    assert started.wait(timeout=30)
    widget.controls["seed"].value = 5  # from this thread, as the kernel does
    widget.controls["seed"].value = 6
    release.set()
    wait_for_done(widget, DEFAULTS | {"epochs": 1000, "seed": 6})
    assert runs(draw) == [(DEFAULTS, 100), (DEFAULTS | {"epochs": 1000}, 1),
                          (DEFAULTS | {"epochs": 1000, "seed": 6}, 1000)]
    assert image_title(widget) == "500 0.1 1000 200 6"


def test_explorer_reports_a_failed_retraining_and_keeps_serving(clock):
    def draw(*, on_epoch, **settings):
        if settings["seed"] == 3:
            raise RuntimeError("out of memory")
        return plt.figure()

    widget = Explorer(draw, DEFAULTS)
    image = image_png(widget)
    widget.controls["seed"].value = 3
    wait_until(lambda: status_text(widget) == "failed: RuntimeError: out of memory")
    assert image_png(widget) == image and widget.progress.layout.visibility == "hidden"
    widget.controls["seed"].value = 4
    wait_for_done(widget, DEFAULTS | {"seed": 4})  # the worker goes on


def test_explorer_shows_a_note_where_a_widget_cannot_be_shown(clock):
    _, widget = built(clock)
    bundle = widget._repr_mimebundle_()
    assert bundle["text/plain"] == repr(widget) == explorer.NOTE  # not Explorer(children=...
    assert "application/vnd.jupyter.widget-view+json" in bundle


def test_explorer_sliders_line_up_and_update_on_release(clock):
    _, widget = built(clock)
    controls = list(widget.controls.values())
    assert list(widget.controls) == [
        "hidden_size", "learning_rate", "epochs", "train_size", "seed"]
    assert widget.children[0].children == (*controls, widget.status, widget.progress)
    assert widget.children[1] is widget.image
    assert [control.description for control in controls] == [
        "hidden size",
        "learning rate",
        "epochs",
        "train size",
        "seed",
    ]
    assert {control.style.description_width for control in [*controls, widget.progress]} == {
        explorer.LABEL_STYLE["description_width"]
    }
    assert {item.layout.width for item in [*controls, widget.status, widget.progress]} == {
        explorer.COLUMN_WIDTH
    }
    assert not any(control.continuous_update for control in controls)
    assert widget.settings() == DEFAULTS


def test_explorer_slider_ranges(clock):
    _, widget = built(clock)
    assert widget.controls["hidden_size"].options == (5, 10, 20, 50, 100, 200, 500, 1000)
    assert widget.controls["train_size"].options == (50, 100, 200, 500, 1000, 2000)
    epochs, rate = widget.controls["epochs"], widget.controls["learning_rate"]
    assert (epochs.min, epochs.max, epochs.step) == (10, 1000, 10)
    assert (rate.min, rate.max, rate.base) == (-3, 0, 10)


def test_default_view_is_the_draw_at_the_defaults(clock):
    draw = FakeDraw(clock)
    fig = default_view(draw, DEFAULTS)
    assert runs(draw) == [(DEFAULTS, 100)]
    assert fig.axes[0].get_title() == "500 0.1 100 200 0"
