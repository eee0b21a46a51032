"""The timing harness of the notebook's speed section and of tools/: medians, interleaved repeats
and their summaries, and the table and sentence that put measured times into words."""

from __future__ import annotations

import logging
import math
import statistics
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from types import ModuleType

import numpy as np
import torch

__all__ = ["Summary", "alternate", "describe_device", "exp_step", "float64_over_float32",
           "matmul_step", "median_seconds", "speed_sentence", "speed_table", "summarize"]

ON_A_PAR = 0.05  # ratios within 5 % of 1: below what these timings can tell apart
TIMES = "\u00d7"  # the multiplication sign, as in "36.6 times" written "36.6x"


def _benchmark_module() -> ModuleType:
    """torch.utils.benchmark, without the warning a CUDA build logs on a machine without a GPU."""
    logging.getLogger("torch.utils.cpp_extension").setLevel(logging.ERROR)
    import torch.utils.benchmark as benchmark

    return benchmark


def median_seconds(step: Callable[[], object], min_run_time: float = 0.05) -> float:
    """Median seconds per call of ``step`` by torch.utils.benchmark's blocked_autorange (warm-up
    and GPU synchronisation included)."""
    timer = _benchmark_module().Timer(stmt="step()", globals={"step": step})
    return timer.blocked_autorange(min_run_time=min_run_time).median


def float64_over_float32(make_step: Callable[[torch.dtype], Callable[[], object]],
                         min_run_time: float = 0.05) -> float:
    """Median time of ``make_step(torch.float64)`` over that of ``make_step(torch.float32)``."""
    return (median_seconds(make_step(torch.float64), min_run_time)
            / median_seconds(make_step(torch.float32), min_run_time))


def matmul_step(dtype: torch.dtype, device: torch.device | str, size: int = 1024,
                seed: int = 0) -> Callable[[], torch.Tensor]:
    """A size-by-size matrix product of seeded random numbers in ``dtype`` on ``device``."""
    generator = torch.Generator().manual_seed(seed)
    matrix = torch.rand(size, size, generator=generator, dtype=dtype).to(device)
    return lambda: torch.mm(matrix, matrix)


def exp_step(dtype: torch.dtype, device: torch.device | str, count: int = 4 * 10**6,
             seed: int = 0) -> Callable[[], torch.Tensor]:
    """exp of ``count`` seeded random numbers in ``dtype`` on ``device``."""
    generator = torch.Generator().manual_seed(seed)
    numbers = torch.rand(count, generator=generator, dtype=dtype).to(device)
    return lambda: torch.exp(numbers)


def describe_device(device: torch.device | str) -> str:
    """The device timings run on, in words: the GPU's name, or the CPU and torch's thread count."""
    device = torch.device(device)
    if device.type == "cuda":
        return f"GPU {torch.cuda.get_device_name(device)}"
    threads = torch.get_num_threads()
    return f"CPU, {threads} torch thread{'s' if threads > 1 else ''}"


def alternate(first: Callable[[], float], second: Callable[[], float],
              repeats: int) -> tuple[list[float], list[float]]:
    """One warm-up call of each, then ``repeats`` calls of each, interleaved (first, second, first,
    ...), so that a change in the machine's load hits both alike: the two lists of results."""
    first(), second()
    first_times, second_times = [], []
    for _ in range(repeats):
        first_times.append(first())
        second_times.append(second())
    return first_times, second_times


@dataclass(frozen=True)
class Summary:
    """Median, smallest and largest of ``count`` measurements."""

    median: float
    low: float
    high: float
    count: int


def summarize(times: Sequence[float]) -> Summary:
    """The median and the min-max spread of a non-empty sequence of measurements."""
    return Summary(statistics.median(times), min(times), max(times), len(times))


def _compared(ratio: float) -> str:
    """'faster' (ratio < 1), 'slower' or 'on a par' (within ON_A_PAR of 1) for a ratio of times."""
    if abs(ratio - 1) < ON_A_PAR:
        return "on a par"
    return "faster" if ratio < 1 else "slower"


def _ends_compared(ratios: np.ndarray) -> str:
    """How the hand-written step compared at the smallest and at the largest size, in words."""
    first, last = _compared(ratios[0]), _compared(ratios[-1])
    if first == last:
        return f"{first} at both the smallest and the largest size"
    return f"{first} at the smallest size, {last} at the largest"


def _work_and_times(step_seconds: Mapping[tuple[int, int], Mapping[str, float]],
                    ) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """The work N·hidden, the hand-written and the library step's times, in step_seconds' order."""
    work = [math.prod(size) for size in step_seconds]
    hand, nn = ([seconds[key] for seconds in step_seconds.values()] for key in ("hand", "nn"))
    return np.array(work), np.array(hand), np.array(nn)


def speed_table(step_seconds: Mapping[tuple[int, int], Mapping[str, float]]) -> str:
    """The table of both steps' times per size and their ratio (hand / nn), one line per size."""
    work, hand, nn = _work_and_times(step_seconds)
    lines = [f"{'N':>6} {'hidden':>6} {'N·hidden':>9} | {'by hand':>9} {'nn + optim':>10} | "
             f"{'ratio':>5}"]
    for (n, hidden_size), size_work, hand_seconds, nn_seconds in zip(step_seconds, work, hand, nn,
                                                                      strict=True):
        lines.append(f"{n:>6} {hidden_size:>6} {size_work:>9.0e} | {1e3 * hand_seconds:>7.3f}ms "
                     f"{1e3 * nn_seconds:>8.3f}ms | {hand_seconds / nn_seconds:>5.2f}")
    return "\n".join(lines)


def speed_sentence(step_seconds: Mapping[tuple[int, int], Mapping[str, float]]) -> str:
    """How the hand-written step compares with the library's, and how its time grows with the
    work (sizes in order, each with the same factor more work than the one before)."""
    work, hand, nn = _work_and_times(step_seconds)
    work_steps = work[1:] / work[:-1]
    ratios = hand / nn
    growth = ", ".join(f"{factor:.1f}{TIMES}" for factor in hand[1:] / hand[:-1])
    return (f"On this run the hand-written step took {ratios.min():.2f} to {ratios.max():.2f} "
            f"times the library's time ({_ends_compared(ratios)}). "
            f"Its time grew {hand[-1] / hand[0]:.0f}-fold "
            f"for {work[-1] / work[0]:.0e} times the work, from {1e3 * hand[0]:.2f} ms to "
            f"{1e3 * hand[-1]:.2f} ms; from one size to the next ({work_steps[0]:g} times the "
            f"work each): {growth}.")
