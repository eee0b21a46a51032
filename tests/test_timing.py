"""Tests of timing.py with fake steps and fixed times: no test asserts on a wall-clock value."""

import ast
import logging
import math
from pathlib import Path

import pytest
import torch

from lab2 import timing

# The notebook's committed table (milliseconds): (N, hidden) -> by hand, nn + optim.
COMMITTED_MS = {(200, 5): (0.170, 0.246), (200, 50): (0.190, 0.263), (2000, 50): (0.403, 0.483),
                (2000, 500): (3.316, 3.553), (20000, 500): (121.262, 118.425)}
STEP_SECONDS = {size: {"hand": hand / 1e3, "nn": nn / 1e3}
                for size, (hand, nn) in COMMITTED_MS.items()}


class Recorder:
    """Fake steps that log their calls in order and return 1, 2, 3, ... per name."""

    def __init__(self) -> None:
        self.log: list[str] = []

    def step(self, name: str):
        def call() -> float:
            self.log.append(name)
            return float(self.log.count(name))
        return call


def test_alternate_interleaves_after_one_warm_up_each():
    recorder = Recorder()
    first, second = timing.alternate(recorder.step("a"), recorder.step("b"), repeats=3)
    assert recorder.log == ["a", "b"] * 4
    assert first == second == [2.0, 3.0, 4.0], "the warm-up results are dropped"


def test_summarize():
    assert timing.summarize([3.0, 1.0, 10.0, 2.0]) == timing.Summary(2.5, 1.0, 10.0, 4)
    assert timing.summarize((5,)) == timing.Summary(5, 5, 5, 1)


@pytest.mark.parametrize(("ratio", "words"), [(0.5, "faster"), (0.94, "faster"), (0.96, "on a par"),
                                               (1.04, "on a par"), (1.06, "slower"), (3, "slower")])
def test_compared(ratio, words):
    assert timing._compared(ratio) == words


def test_median_seconds_calls_the_step_and_silences_the_cuda_build_logger():
    calls = []
    seconds = timing.median_seconds(lambda: calls.append(1), min_run_time=0.001)
    assert calls and seconds > 0 and math.isfinite(seconds)
    assert logging.getLogger("torch.utils.cpp_extension").level == logging.ERROR


def test_float64_over_float32_times_both_versions(monkeypatch):
    asked = []
    monkeypatch.setattr(timing, "median_seconds", lambda step, min_run_time: step())

    def make_step(dtype):
        asked.append(dtype)
        return lambda: 3.0 if dtype == torch.float64 else 2.0

    assert timing.float64_over_float32(make_step) == 1.5 and asked == [torch.float64, torch.float32]


@pytest.mark.parametrize("dtype", [torch.float32, torch.float64])
def test_matmul_and_exp_steps_compute_in_the_dtype(dtype):
    product = timing.matmul_step(dtype, "cpu", size=8)
    exponential = timing.exp_step(dtype, "cpu", count=10)
    assert product().shape == (8, 8) and product().dtype == dtype
    assert exponential().shape == (10,) and exponential().dtype == dtype
    assert torch.all(exponential() >= 1) and torch.equal(product(), product())


def test_describe_device(monkeypatch):
    monkeypatch.setattr(torch, "get_num_threads", lambda: 1)
    assert timing.describe_device(torch.device("cpu")) == "CPU, 1 torch thread"
    monkeypatch.setattr(torch, "get_num_threads", lambda: 4)
    assert timing.describe_device("cpu") == "CPU, 4 torch threads"
    monkeypatch.setattr(torch.cuda, "get_device_name", lambda device: "Fake H200")
    assert timing.describe_device(torch.device("cuda")) == "GPU Fake H200"


def test_speed_table_reproduces_the_notebooks_layout():
    assert timing.speed_table(STEP_SECONDS).splitlines() == [
        "     N hidden  N·hidden |   by hand nn + optim | ratio",
        "   200      5     1e+03 |   0.170ms    0.246ms |  0.69",
        "   200     50     1e+04 |   0.190ms    0.263ms |  0.72",
        "  2000     50     1e+05 |   0.403ms    0.483ms |  0.83",
        "  2000    500     1e+06 |   3.316ms    3.553ms |  0.93",
        " 20000    500     1e+07 | 121.262ms  118.425ms |  1.02",
    ]


def test_speed_sentence():
    assert timing.speed_sentence(STEP_SECONDS) == (
        "On this run the hand-written step took 0.69 to 1.02 times the library's time (faster at "
        "the smallest size, on a par at the largest). Its time grew 713-fold for 1e+04 times the "
        "work, from 0.17 ms to 121.26 ms; from one size to the next (10 times the work each): "
        "1.1×, 2.1×, 8.2×, 36.6×.")  # noqa: RUF001


def test_work_and_times_keep_the_order():
    work, hand, nn = timing._work_and_times(STEP_SECONDS)
    assert work.tolist() == [1e3, 1e4, 1e5, 1e6, 1e7]
    assert hand.tolist() == [seconds["hand"] for seconds in STEP_SECONDS.values()]
    assert nn.tolist() == [seconds["nn"] for seconds in STEP_SECONDS.values()]


def test_the_benchmark_uses_this_harness():
    """Read, not imported: importing the benchmark loads nbclient (seconds)."""
    bench = Path(timing.__file__).parent.parent / "tools" / "bench_notebook.py"
    tree = ast.parse(bench.read_text())
    imported = {alias.name for node in ast.walk(tree)
                if isinstance(node, ast.ImportFrom) and node.module == "lab2.timing"
                for alias in node.names}
    defined = {node.name for node in ast.walk(tree) if isinstance(node, ast.FunctionDef)}
    assert {"alternate", "summarize"} <= imported and not defined & {"alternate", "summarize"}
