"""The timing harness of the notebook's "How fast is it?" section and of tools/: medians by
torch.utils.benchmark, interleaved repeats and their summaries, and the table and sentence that
turn measured times into words. Nothing here judges a time: it measures and it describes.
"""

from __future__ import annotations

import logging
import math
import statistics
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from types import ModuleType
from typing import Any

import numpy as np
import torch

from lab2.checks import check_at_least, check_callable, check_integer, check_positive, check_real

ON_A_PAR = 0.05  # ratios within 5 % of 1: below what these timings can tell apart
NO_ARGUMENTS = "a callable taking no arguments"
IMPLEMENTATIONS = ("hand", "nn")  # the keys of each size's timings in step_seconds
TIMES = "\u00d7"  # the multiplication sign, as in "36.6 times" written "36.6x"


def benchmark_module() -> ModuleType:
    """torch.utils.benchmark, imported without the warning a CUDA build logs on a machine without
    a GPU."""
    logging.getLogger("torch.utils.cpp_extension").setLevel(logging.ERROR)
    import torch.utils.benchmark as benchmark

    return benchmark


def median_seconds(step: Callable[[], object], min_run_time: float = 0.05) -> float:
    """Median seconds per call of ``step`` by torch.utils.benchmark's blocked_autorange (warm-up
    and GPU synchronisation included)."""
    step = check_callable(step, "step", NO_ARGUMENTS)
    timer = benchmark_module().Timer(stmt="step()", globals={"step": step})
    return timer.blocked_autorange(min_run_time=check_positive(min_run_time, "min_run_time")).median


def time_ratio(step: Callable[[], object], reference: Callable[[], object],
               min_run_time: float = 0.05) -> float:
    """Median time of ``step`` over the median time of ``reference``."""
    return median_seconds(step, min_run_time) / median_seconds(reference, min_run_time)


def float64_over_float32(make_step: Callable[[torch.dtype], Callable[[], object]],
                         min_run_time: float = 0.05) -> float:
    """Median time of ``make_step(torch.float64)`` over that of ``make_step(torch.float32)``."""
    check_callable(make_step, "make_step", "a callable dtype -> step")
    return time_ratio(make_step(torch.float64), make_step(torch.float32), min_run_time)


def matmul_step(dtype: torch.dtype, device: torch.device | str, size: int = 1024,
                seed: int = 0) -> Callable[[], torch.Tensor]:
    """A size-by-size matrix product of seeded random numbers in ``dtype`` on ``device``."""
    size = check_at_least(size, "size", 1)
    generator = torch.Generator().manual_seed(check_at_least(seed, "seed", 0))
    matrix = torch.rand(size, size, generator=generator, dtype=dtype).to(device)
    return lambda: torch.mm(matrix, matrix)


def exp_step(dtype: torch.dtype, device: torch.device | str, count: int = 4 * 10**6,
             seed: int = 0) -> Callable[[], torch.Tensor]:
    """exp of ``count`` seeded random numbers in ``dtype`` on ``device``."""
    count = check_at_least(count, "count", 1)
    generator = torch.Generator().manual_seed(check_at_least(seed, "seed", 0))
    numbers = torch.rand(count, generator=generator, dtype=dtype).to(device)
    return lambda: torch.exp(numbers)


def describe_device(device: torch.device | str) -> str:
    """The device timings run on, in words: the GPU's name, or the CPU and torch's thread count."""
    if not isinstance(device, torch.device | str):
        raise TypeError(f"device must be a torch.device or a str; got {type(device).__name__}")
    device = torch.device(device)
    if device.type == "cuda":
        return f"GPU {torch.cuda.get_device_name(device)}"
    threads = torch.get_num_threads()
    return f"CPU, {threads} torch thread{'s' if threads > 1 else ''}"


def alternate(first: Callable[[], float], second: Callable[[], float],
              repeats: int) -> tuple[list[float], list[float]]:
    """One warm-up call of each, then ``repeats`` calls of each, interleaved (first, second, first,
    ...), so that a change in the machine's load hits both alike: the two lists of results."""
    first, second = check_callable(first, "first", NO_ARGUMENTS), check_callable(second, "second",
                                                                                NO_ARGUMENTS)
    repeats = check_at_least(repeats, "repeats", 1)
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
    if isinstance(times, str) or not isinstance(times, Sequence | np.ndarray):
        raise TypeError(f"times must be a sequence of numbers; got {type(times).__name__}")
    if not len(times):
        raise ValueError("times must hold at least one measurement; got none")
    values = [check_real(value, "times", "a sequence of numbers") for value in times]
    return Summary(statistics.median(values), min(values), max(values), len(values))


def compared(ratio: float, band: float = ON_A_PAR) -> str:
    """'faster' (ratio < 1), 'slower' or 'on a par' (within ``band`` of 1) for a ratio of times."""
    ratio, band = check_positive(ratio, "ratio"), check_positive(band, "band")
    if abs(ratio - 1) < band:
        return "on a par"
    return "faster" if ratio < 1 else "slower"


def check_size_key(key: Any) -> tuple[int, int]:
    """A key of step_seconds as a pair (N, hidden) of positive ints, else raise."""
    if not (isinstance(key, tuple) and len(key) == 2):
        raise TypeError(f"step_seconds keys must be pairs (N, hidden); got {key!r}")
    n, hidden_size = (check_integer(value, "step_seconds key", "a pair of ints") for value in key)
    if n < 1 or hidden_size < 1:
        raise ValueError(f"step_seconds keys must be pairs of positive ints; got {key!r}")
    return n, hidden_size


def check_size_timings(seconds: Any, size: tuple[int, int]) -> dict[str, float]:
    """One size's entry of step_seconds as {"hand": s, "nn": s}, each positive, else raise naming
    it."""
    name = f"step_seconds[{size!r}]"
    if not isinstance(seconds, Mapping):
        raise TypeError(f"{name} must be a mapping {{'hand': s, 'nn': s}}; "
                        f"got {type(seconds).__name__}")
    if missing := [key for key in IMPLEMENTATIONS if key not in seconds]:
        raise ValueError(f"{name} must have the keys {IMPLEMENTATIONS}; missing {missing}")
    return {key: check_positive(seconds[key], f"{name}[{key!r}]") for key in IMPLEMENTATIONS}


def check_step_seconds(step_seconds: Any, least: int = 1,
                       ) -> dict[tuple[int, int], dict[str, float]]:
    """step_seconds {(N, hidden): {"hand": s, "nn": s}} of at least ``least`` sizes, checked and
    in its order, else raise naming it."""
    expected = (f"a mapping {{(N, hidden): {{'hand': s, 'nn': s}}}} of at least {least} "
                f"size{'s' if least > 1 else ''}")
    if not isinstance(step_seconds, Mapping):
        raise TypeError(f"step_seconds must be {expected}; got {type(step_seconds).__name__}")
    if len(step_seconds) < least:
        raise ValueError(f"step_seconds must be {expected}; got {len(step_seconds)}")
    return {check_size_key(key): check_size_timings(seconds, key)
            for key, seconds in step_seconds.items()}


def work_and_times(step_seconds: Mapping[tuple[int, int], Mapping[str, float]],
                   ) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """From {(N, hidden): {"hand": s, "nn": s}} (at least two sizes): the work N·hidden, the
    hand-written step's times and the library step's times, in the mapping's order."""
    timings = check_step_seconds(step_seconds, least=2)
    work = [math.prod(size) for size in timings]
    hand, nn = ([seconds[key] for seconds in timings.values()] for key in IMPLEMENTATIONS)
    return np.array(work), np.array(hand), np.array(nn)


def speed_table(step_seconds: Mapping[tuple[int, int], Mapping[str, float]]) -> str:
    """The table of both steps' times per size and their ratio (hand / nn), one line per size."""
    work, hand, nn = work_and_times(step_seconds)
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
    work, hand, nn = work_and_times(step_seconds)
    work_steps = work[1:] / work[:-1]
    if not np.allclose(work_steps, work_steps[0]):
        raise ValueError(f"step_seconds must grow N·hidden by one factor per size; got {work}")
    ratios = hand / nn
    growth = ", ".join(f"{factor:.1f}{TIMES}" for factor in hand[1:] / hand[:-1])
    return (f"On this run the hand-written step took {ratios.min():.2f} to {ratios.max():.2f} "
            f"times the library's time ({compared(ratios[0])} at the smallest size, "
            f"{compared(ratios[-1])} at the largest). Its time grew {hand[-1] / hand[0]:.0f}-fold "
            f"for {work[-1] / work[0]:.0e} times the work, from {1e3 * hand[0]:.2f} ms to "
            f"{1e3 * hand[-1]:.2f} ms; from one size to the next ({work_steps[0]:g} times the "
            f"work each): {growth}.")
