"""Autograd's recorded graph, and any hand-written DAG, drawn inline with matplotlib (pip-only, no
Graphviz).

- ``draw_autograd_graph(tensor, names, ax, show_saved=..., unsaved=...)`` draws the graph autograd
  recorded for ``tensor``; ``unsaved`` labels the constant inputs a node did not save.
- ``autograd_digraph`` builds that graph as a networkx MultiDiGraph, by walking
  ``grad_fn.next_functions`` (an input used twice, as in ``w * w``, gives two edges); its keys are
  autograd's node objects themselves, so the graph holds them and identity stays valid on torch
  versions that create a fresh Python wrapper at each access and free it once unreferenced.
- ``saved_values(node)`` lists what a backward node saved for the backward pass.
- ``draw_dag(graph, ax)`` draws any DAG whose nodes carry a ``label`` and a ``kind`` (see
  ``NODE_COLORS``), in rows: sources on top, arrows downwards; a MultiDiGraph's parallel edges side
  by side. Edges spanning several rows bend through one waypoint per row they cross (Sugiyama style)
  and rows are ordered by barycenter sweeps, so no edge passes through a box and few edges cross.
  Sizes are physical (10 pt text, measured with Agg's renderer whatever the canvas): the drawing
  keeps its natural size, centred on ``ax``.
"""

from __future__ import annotations

import itertools
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

import matplotlib.pyplot as plt
import networkx as nx
import numpy as np
import torch
from matplotlib.axes import Axes
from matplotlib.backends.backend_agg import RendererAgg
from matplotlib.figure import Figure
from matplotlib.patches import FancyArrowPatch, FancyBboxPatch
from matplotlib.path import Path
from matplotlib.transforms import ScaledTranslation
from torch.autograd.function import BackwardCFunction

NOT_SAVED = "constant\n(not saved)"  # an input the consuming node did not keep
NODE_COLORS = {
    "leaf": "#c7e9c0",  # a tensor that requires grad: backward() accumulates its .grad
    "operation": "#deebf7",  # an operation autograd recorded (a backward node)
    "output": "#fdd0a2",  # the tensor the graph is drawn from
    "constant": "#eeeeee",  # an input that needs no gradient: autograd keeps no node for it
    "unrecorded": "#ffffff",  # a value or operation autograd does not record: greyed text,
                              # dashed outline and edges
}
GREYED_KINDS = {"unrecorded"}
FONT_SIZE = 10  # points
PAD = 0.08  # inches between a label and its box
GAP = 0.25  # inches between neighbours in a row
ROW_GAP = 0.35  # inches between rows, where only edges run
PORT_STEP = 0.15  # inches between edges leaving (or entering) one box side by side
MARGIN = 0.1  # inches around the drawing in a figure draw_dag creates ...
TITLE_ROOM = 0.35  # ... plus room for a title above it
MIN_FIGURE_WIDTH = 4.0  # inches, so that a title fits over a narrow graph
SECOND_INPUT_NAMES = ("other", "target", "tensor", "exponent")  # input 1 of two-input operations
INPUT_NAMES = {  # every input's saved name, for operations the rules above do not cover
    "AddmmBackward0": ("self", "mat1", "mat2"), "AddmvBackward0": ("self", "mat", "vec"),
    "MmBackward0": ("self", "mat2"), "MvBackward0": ("self", "vec"),
    "BinaryCrossEntropyWithLogitsBackward0": ("self", "target"),  # also saves weight, pos_weight
}
MAX_ITEMS = 4  # elements of a saved sequence listed under show_saved; the rest are counted
MAX_TEXT = 48  # characters of a saved value's text under show_saved


@dataclass(frozen=True)
class Unavailable:
    """A saved tensor that can no longer be read, and why (freed by backward(), or modified in place
    since)."""

    reason: str


# --------------------------------------------------------------------------------------------------
# Autograd's graph


def draw_autograd_graph(tensor: torch.Tensor, names: Mapping[str, torch.Tensor] | None = None,
                        ax: Axes | None = None, *, show_saved: bool = False,
                        unsaved: Mapping[str, str] | None = None) -> Axes:
    """Draw the graph autograd recorded for ``tensor``: leaves on top, backward nodes, the output at
    the bottom.

    ``names`` maps a name to a leaf tensor (shown with its value or shape and its ``.grad`` once
    set), to an intermediate result (its backward node is labelled with the name and value) or to a
    constant. Inputs that need no gradient have no node; their grey boxes show the value when the
    consuming node saved it. With ``show_saved``, each backward node also lists what it saved for
    backward. Arrows follow the forward data flow. ``unsaved`` names the constants the graph cannot
    know, keyed by their consumer's node name: ``{"SubBackward0": "t = 3"}`` labels the one input
    SubBackward0 did not save.
    """
    return draw_dag(autograd_digraph(tensor, names, show_saved=show_saved, unsaved=unsaved), ax)


def autograd_digraph(tensor: torch.Tensor, names: Mapping[str, torch.Tensor] | None = None, *,
                     show_saved: bool = False,
                     unsaved: Mapping[str, str] | None = None) -> nx.MultiDiGraph:
    """Walk ``grad_fn.next_functions`` from ``tensor`` into a MultiDiGraph (edges input ->
    consumer, one per use) for ``draw_dag``.

    Keys: autograd's node objects (held by the graph), and ``("constant", consumer, position)`` for
    inputs that need no gradient (a ``None`` in ``next_functions``).
    """
    check_tensor(tensor)
    names = checked_names(names)
    if not isinstance(show_saved, bool | np.bool_):
        raise TypeError(f"show_saved must be a bool; got {type(show_saved).__name__}")
    show_saved = bool(show_saved)
    unsaved = checked_unsaved(unsaved)
    root = tensor.grad_fn
    graph = nx.MultiDiGraph()
    graph.add_node(root, label=operation_label(root, names, show_saved, output=tensor),
                   kind="output")
    stack = [root]
    while stack:
        node = stack.pop()
        for position, (parent, _) in enumerate(node.next_functions):
            if parent is None:
                parent = ("constant", node, position)
                label = constant_label(node, position, names)
                if label == NOT_SAVED and unsaved and node.name() in unsaved:
                    label = f"{unsaved.pop(node.name())}\n(constant, not saved)"
                graph.add_node(parent, label=label, kind="constant")
            elif parent not in graph:
                graph.add_node(parent, **node_style(parent, names, show_saved))
                stack.append(parent)
            graph.add_edge(parent, node)
    if unsaved:
        raise ValueError(f"unsaved must name nodes with one input they did not save; no such input "
                         f"for {sorted(unsaved)}")
    return graph


def checked_unsaved(unsaved: Any) -> dict[str, str]:
    """unsaved as a new dict, once checked to map node names (str) to labels (str)."""
    if unsaved is None:
        return {}
    if not isinstance(unsaved, Mapping) or not all(
            isinstance(key, str) and isinstance(value, str) for key, value in unsaved.items()):
        raise TypeError(f"unsaved must be a mapping from node names to labels (str to str); got "
                        f"{unsaved!r}")
    return dict(unsaved)


def check_tensor(tensor: Any) -> None:
    """tensor must be a torch.Tensor that autograd recorded a graph for."""
    if not isinstance(tensor, torch.Tensor):
        raise TypeError(f"tensor must be a torch.Tensor; got {type(tensor).__name__}")
    if tensor.grad_fn is None:
        raise ValueError("tensor must be the result of operations on tensors that require grad; "
                         "its grad_fn is None")


def checked_names(names: Any) -> dict[str, torch.Tensor]:
    """names as a dict, once checked to be a mapping from str to torch.Tensor."""
    if names is None:
        return {}
    if not isinstance(names, Mapping):
        raise TypeError(f"names must be a mapping from str to torch.Tensor; got "
                        f"{type(names).__name__}")
    for name, value in names.items():
        if not isinstance(name, str):
            raise TypeError(f"names must be a mapping from str to torch.Tensor; got key {name!r}")
        if not isinstance(value, torch.Tensor):
            raise TypeError(f"names[{name!r}] must be a torch.Tensor; got {type(value).__name__}")
    measuring = Figure()
    for name in names:
        try:
            text_size(name, measuring)
        except ValueError as error:
            raise ValueError(f"names must have keys matplotlib can draw (valid mathtext between $ "
                             f"signs); got key {name!r}: {last_line(error)}") from None
    return dict(names)


def node_style(node: Any, names: Mapping[str, torch.Tensor], show_saved: bool) -> dict[str, str]:
    """Label and kind of a backward node: a leaf (AccumulateGrad) with its value and grad, or an
    operation (a custom autograd.Function's node too, whatever attributes its ctx was given)."""
    if type(node).__name__ != "AccumulateGrad":
        return {"label": operation_label(node, names, show_saved), "kind": "operation"}
    variable = node.variable
    lines = [tensor_text(name_of(variable, names) or "leaf", variable)]
    if variable.grad is not None:
        lines.append(tensor_text("grad", variable.grad))
    return {"label": "\n".join(lines), "kind": "leaf"}


def operation_label(node: Any, names: Mapping[str, torch.Tensor], show_saved: bool,
                    output: torch.Tensor | None = None) -> str:
    """The result's name and value (when named, or for the output), the operation, then what it
    saved if asked."""
    named = next((name for name, t in names.items() if t.grad_fn is node), None)
    lines = [tensor_text(named, names[named])] if named else []
    if output is not None and not named:
        lines.append(tensor_text("output", output))
    lines.append(type(node).__name__)
    if show_saved:
        lines += saved_lines(node, names)
    return "\n".join(lines)


def input_name(consumer: Any, position: int, saved: Mapping[str, Any]) -> str | None:
    """The name under which ``consumer`` saves its input at ``position``, when known (else None):
    from INPUT_NAMES, else "self" for input 0 and, for input 1 of a two-input operation, the one of
    SECOND_INPUT_NAMES it saved."""
    known = INPUT_NAMES.get(type(consumer).__name__)
    if known is not None:
        return known[position] if position < len(known) else None
    if position == 0:
        return "self"
    if position == 1 and len(consumer.next_functions) == 2:
        return next((name for name in SECOND_INPUT_NAMES if name in saved), None)
    return None


def constant_label(consumer: Any, position: int, names: Mapping[str, torch.Tensor]) -> str:
    """What is known of an input that needs no gradient: its value (and name) if its consumer saved
    it; 'not saved' only when known: its slot is empty, or the consumer saved no tensor but its
    results."""
    saved = saved_values(consumer)
    attribute = input_name(consumer, position, saved)
    value = saved.get(attribute) if attribute is not None else None
    if isinstance(value, torch.Tensor):
        name = name_of(value, names)
        return f"{tensor_text(name, value) if name else describe(value)}\n(constant, saved)"
    if isinstance(value, Unavailable):
        return f"constant\n(saved, {value.reason})"
    if attribute in saved or not may_hold_inputs(consumer, saved):
        return NOT_SAVED
    return "constant"


def may_hold_inputs(node: Any, saved: Mapping[str, Any]) -> bool:
    """Whether ``node`` may hold an input among its saved values: it saved a tensor other than its
    results, or it is a custom autograd.Function (its ctx may hold anything)."""
    return isinstance(node, BackwardCFunction) or any(
        holds_tensor(value) for attribute, value in saved.items()
        if not attribute.startswith("result"))


def holds_tensor(value: Any) -> bool:
    """A saved value that is, or was, a tensor, or a sequence holding one."""
    if isinstance(value, tuple | list):
        return any(holds_tensor(item) for item in value)
    return isinstance(value, torch.Tensor | Unavailable)


def saved_values(node: Any) -> dict[str, Any]:
    """What a backward node saved for backward: its ``_saved_*`` attributes, by name without the
    prefix, and for a custom autograd.Function what it saved with ``save_for_backward``, as
    ``saved_tensors[0]``, ...

    Saved tensors come back as tensors sharing the saved data; one that can no longer be read comes
    back as an ``Unavailable`` saying why. Integers come back signed (torch gives int64 -100 as
    2**64 - 100).
    """
    values = {name.removeprefix("_saved_"): signed(read_saved(node, name))
              for name in dir(node) if name.startswith("_saved_")}
    if isinstance(node, BackwardCFunction):
        tensors = read_saved(node, "saved_tensors")
        values.update({"saved_tensors": tensors} if isinstance(tensors, Unavailable) else
                      {f"saved_tensors[{i}]": tensor for i, tensor in enumerate(tensors)})
    return values


def signed(value: Any) -> Any:
    """An int that torch handed over as unsigned 64-bit, back as the signed int64 it was; anything
    else as is."""
    if isinstance(value, int) and not isinstance(value, bool) and value >= 2**63:
        return value - 2**64
    return value


def read_saved(node: Any, attribute: str) -> Any:
    """One saved attribute, or Unavailable when backward() freed it or an in-place change
    invalidated it."""
    try:
        return getattr(node, attribute)
    except RuntimeError as error:
        for marker, reason in (("freed", "freed by backward()"), ("inplace", "modified in place")):
            if marker in str(error):
                return Unavailable(reason)
        raise


def saved_lines(node: Any, names: Mapping[str, torch.Tensor]) -> list[str]:
    """One line per informative saved value: tensors (named when ``names`` holds them), numbers and
    short sequences; None, flags and size/stride tuples (which repeat the inputs' shapes) are left
    out."""
    lines = []
    for attribute, value in saved_values(node).items():
        if isinstance(value, torch.Tensor):
            name = name_of(value, names)
            lines.append(tensor_text(f"{attribute} = {name}" if name else attribute, value))
        elif isinstance(value, Unavailable):
            lines.append(f"{attribute}: {value.reason}")
        elif isinstance(value, int | float) and not isinstance(value, bool):
            lines.append(f"{attribute} = {value:.4g}")
        elif (isinstance(value, tuple | list) and value and "size" not in attribute
              and "stride" not in attribute):
            lines.append(f"{attribute} = {sequence_text(value)}")
    return lines


def sequence_text(values: tuple | list) -> str:
    """A saved tuple or list, short: tensors as ``describe`` gives them, at most MAX_ITEMS items
    (then how many there are), at most MAX_TEXT characters."""
    items = [describe(v) if isinstance(v, torch.Tensor) else repr(v) for v in values[:MAX_ITEMS]]
    if len(values) > MAX_ITEMS:
        items.append(f"... ({len(values)} items)")
    if isinstance(values, list):
        text = "[" + ", ".join(items) + "]"
    else:
        text = "(" + ", ".join(items) + ("," if len(values) == 1 else "") + ")"
    return text if len(text) <= MAX_TEXT else text[:MAX_TEXT - 3] + "..."


def name_of(tensor: torch.Tensor, names: Mapping[str, torch.Tensor]) -> str | None:
    """The name under which ``names`` holds these very data (same address, shape, stride and dtype),
    if any; a sparse or other non-strided tensor, which has no single address, only when it is the
    very object.

    Saved tensors are unpacked as new tensor objects, so object identity cannot be relied on.
    """
    return next((name for name, t in names.items() if t is tensor or same_data(t, tensor)), None)


def same_data(first: torch.Tensor, second: torch.Tensor) -> bool:
    """Whether two strided tensors view the same data the same way (address, shape, stride,
    dtype)."""
    return (first.layout == second.layout == torch.strided and first.data_ptr() == second.data_ptr()
            and first.shape == second.shape and first.stride() == second.stride()
            and first.dtype == second.dtype)


def tensor_text(name: str, t: torch.Tensor) -> str:
    """'w = 1.5' for a one-element tensor, 'W1: shape [3, 2]' otherwise."""
    return f"{name} = {describe(t)}" if t.numel() == 1 else f"{name}: {describe(t)}"


def describe(t: torch.Tensor) -> str:
    """A one-element tensor's value to 4 significant digits, else its shape (and its dtype, unless a
    float)."""
    if t.numel() == 1:
        return f"{t.item():.4g}"
    dtype = "" if t.is_floating_point() else f" {str(t.dtype).removeprefix('torch.')}"
    return f"shape {list(t.shape)}{dtype}"


# --------------------------------------------------------------------------------------------------
# Drawing a DAG


def draw_dag(graph: nx.DiGraph, ax: Axes | None = None) -> Axes:
    """Draw a DAG whose nodes carry a ``label`` (text) and a ``kind`` (a key of ``NODE_COLORS``) as
    boxes in rows, sources on top, arrows downwards; no edge passes through a box, and "unrecorded"
    nodes are greyed and dashed.

    Text is 10 pt and sizes are physical: without ``ax``, the figure is sized to the drawing; into a
    given ``ax`` the drawing goes at that same size, centred (so give it at least the size of the
    figure drawn without ``ax``). A MultiDiGraph's parallel edges (an input used twice) are drawn
    side by side.
    """
    check_dag(graph)
    if ax is not None and not isinstance(ax, Axes):
        raise TypeError(f"ax must be a matplotlib Axes or None; got {type(ax).__name__}")
    # Labels are measured before anything is drawn: one matplotlib cannot draw leaves no figure.
    sizes = label_sizes(graph, plt.rcParams["figure.dpi"] if ax is None else ax.figure.dpi)
    created = ax is None
    if created:
        _, ax = plt.subplots(layout="constrained")
    # from the axes' centre
    inches = ax.figure.dpi_scale_trans + ScaledTranslation(0.5, 0.5, ax.transAxes)
    centres, paths, (width, height) = dag_layout(graph, sizes)
    for node, data in graph.nodes(data=True):
        (x, y), (w, h), greyed = centres[node], sizes[node], data["kind"] in GREYED_KINDS
        ax.text(x, y, data["label"], transform=inches, ha="center", va="center", fontsize=FONT_SIZE,
                family="monospace", color="0.45" if greyed else "black", zorder=3, in_layout=False)
        ax.add_patch(FancyBboxPatch((x - w / 2, y - h / 2), w, h,
                                    boxstyle="round,pad=0,rounding_size=0.06",
                                    transform=inches, fc=NODE_COLORS[data["kind"]],
                                    ec="0.6" if greyed else "0.35", ls="--" if greyed else "-",
                                    zorder=2, in_layout=False))
    for (source, target, _), points in paths.items():
        greyed = {graph.nodes[source]["kind"], graph.nodes[target]["kind"]} & GREYED_KINDS
        ax.add_patch(FancyArrowPatch(path=Path(points), arrowstyle="-|>", mutation_scale=12,
                                     transform=inches, color="0.6" if greyed else "0.25",
                                     ls="--" if greyed else "-", zorder=1, in_layout=False))
    ax.axis("off")
    if created:
        ax.figure.set_size_inches(max(MIN_FIGURE_WIDTH, width + 2 * MARGIN),
                                  height + 2 * MARGIN + TITLE_ROOM)
    return ax


def label_sizes(graph: nx.DiGraph, dpi: float) -> dict[Any, tuple[float, float]]:
    """Each node's box size in inches: its label's, padded; a label matplotlib cannot draw (bad
    mathtext) is a ValueError naming the node."""
    measuring = Figure(dpi=dpi)
    sizes = {}
    for node, label in graph.nodes(data="label"):
        try:
            width, height = text_size(label, measuring)
        except ValueError as error:
            raise ValueError(f"graph's nodes must have labels matplotlib can draw (valid mathtext "
                             f"between $ signs); node {node!r} has label {label!r}: "
                             f"{last_line(error)}") from None
        sizes[node] = (width + 2 * PAD, height + 2 * PAD)
    return sizes


def last_line(error: Exception) -> str:
    """The last line of an error's message (matplotlib's mathtext errors first show the text with a
    caret)."""
    return str(error).strip().splitlines()[-1]


def text_size(text: str, measuring: Figure) -> tuple[float, float]:
    """Width and height in inches of ``text`` as draw_dag sets it (10 pt monospace), on the figure
    ``measuring`` (never shown) with Agg's renderer: every canvas (SVG, PDF, none) can use its
    metrics."""
    dpi = measuring.dpi
    extent = measuring.text(0, 0, text, fontsize=FONT_SIZE, family="monospace").get_window_extent(
        RendererAgg(1, 1, dpi))
    return extent.width / dpi, extent.height / dpi


def check_dag(graph: Any) -> None:
    """graph must be a non-empty acyclic networkx DiGraph whose nodes have a str label and a known
    kind."""
    if not isinstance(graph, nx.DiGraph):
        raise TypeError(f"graph must be a networkx DiGraph; got {type(graph).__name__}")
    if graph.number_of_nodes() == 0 or not nx.is_directed_acyclic_graph(graph):
        raise ValueError("graph must be a non-empty directed acyclic graph")
    for node, data in graph.nodes(data=True):
        if not isinstance(data.get("label"), str) or data.get("kind") not in NODE_COLORS:
            raise ValueError(f"graph's nodes must have a str label and a kind in "
                             f"{sorted(NODE_COLORS)}; node {node!r} has label "
                             f"{data.get('label')!r} and kind {data.get('kind')!r}")


def dag_layout(graph: nx.DiGraph,
               sizes: Mapping[Any, tuple[float, float]]) -> tuple[dict, dict, tuple[float, float]]:
    """Box centres and edge polylines, in inches from the drawing's centre, and the drawing's width
    and height."""
    layered, row, chains = rows_with_waypoints(graph)
    rows = ordered_rows(layered, row)
    widths = {node: sizes[node][0] if node in sizes else 0.0 for node in layered}
    x = x_positions(rows, layered, widths)
    left, right = (min(x[n] - widths[n] / 2 for n in layered),
                   max(x[n] + widths[n] / 2 for n in layered))
    heights = np.array([max((sizes[node][1] for node in nodes if node in sizes), default=0.0)
                        for nodes in rows])
    y = np.cumsum([heights[0] / 2] + [(below + above) / 2 + ROW_GAP
                                      for below, above in itertools.pairwise(heights)])
    height = y[-1] + heights[-1] / 2
    centres = {node: (x[node] - (left + right) / 2, y[row[node]] - height / 2) for node in layered}
    row_extents = {node: (centres[node][1] + heights[row[node]] / 2,
                          centres[node][1] - heights[row[node]] / 2)
                   for node in layered}
    starts, ends = ports(chains, {node: centre[0] for node, centre in centres.items()}, widths)
    paths = {edge: edge_path(chain, starts[edge], ends[edge], centres, sizes, row_extents)
             for edge, chain in chains.items()}
    return {node: centres[node] for node in graph}, paths, (right - left, height)


def edge_path(chain: list[Any], start: float, end: float,
              centres: Mapping[Any, tuple[float, float]], sizes: Mapping[Any, tuple[float, float]],
              row_extents: Mapping[Any, tuple[float, float]]) -> list:
    """An edge's polyline: straight down from its port under the source box to the bottom of that
    row, through the row of each waypoint vertically (between that row's boxes), diagonally only
    between rows, where no box is, and straight down into its port on top of the target box."""
    source, *waypoints, target = chain
    points = [(start, centres[source][1] - sizes[source][1] / 2), (start, row_extents[source][1])]
    for waypoint in waypoints:
        points += [(centres[waypoint][0], extent) for extent in row_extents[waypoint]]
    points += [(end, row_extents[target][0]), (end, centres[target][1] + sizes[target][1] / 2)]
    return [p for i, p in enumerate(points) if i == 0 or not np.allclose(p, points[i - 1])]


def rows_with_waypoints(graph: nx.DiGraph) -> tuple[nx.DiGraph, dict[Any, int], dict[tuple, list]]:
    """Each node's row (its longest path down to a sink; sinks are row 0, at the bottom), and each
    edge as a chain source, waypoints..., target with one waypoint (a node of width 0) per row it
    crosses."""
    row: dict[Any, int] = {}
    for node in reversed(list(nx.topological_sort(graph))):
        row[node] = max((row[successor] + 1 for successor in graph.successors(node)), default=0)
    layered = nx.DiGraph()
    layered.add_nodes_from(graph)
    chains = {}
    for source, target, key in edge_keys(graph):
        chain = [source, *(object() for _ in range(row[source] - row[target] - 1)), target]
        row.update((waypoint, row[source] - k) for k, waypoint in enumerate(chain[1:-1], start=1))
        nx.add_path(layered, chain)
        chains[source, target, key] = chain
    return layered, row, chains


def edge_keys(graph: nx.DiGraph) -> list[tuple[Any, Any, Any]]:
    """Every edge as (source, target, key): a MultiDiGraph's parallel edges apart, a DiGraph's with
    key 0."""
    if graph.is_multigraph():
        return list(graph.edges(keys=True))
    return [(source, target, 0) for source, target in graph.edges]


def ordered_rows(layered: nx.DiGraph, row: Mapping[Any, int], sweeps: int = 8) -> list[list[Any]]:
    """The nodes of each row (bottom row first), ordered by barycenter sweeps, downwards then
    upwards: each node goes to the mean position of its neighbours in the row just ordered. The
    order with fewest crossings is kept."""
    rows: list[list[Any]] = [[] for _ in range(max(row.values()) + 1)]
    for node in layered:
        rows[row[node]].append(node)
    best, fewest = [list(nodes) for nodes in rows], crossings(rows, layered)
    for sweep in range(sweeps):
        downward = sweep % 2 == 0
        for r in range(len(rows) - 2, -1, -1) if downward else range(1, len(rows)):
            reference = {node: i for i, node in enumerate(rows[r + 1 if downward else r - 1])}
            neighbours = layered.predecessors if downward else layered.successors
            current = {node: i for i, node in enumerate(rows[r])}
            rows[r].sort(key=lambda n: np.mean([reference[m] for m in neighbours(n)]
                                               or [current[n]]))
        if (count := crossings(rows, layered)) < fewest:
            best, fewest = [list(nodes) for nodes in rows], count
    return best


def crossings(rows: list[list[Any]], layered: nx.DiGraph) -> int:
    """How many pairs of edges cross between adjacent rows, for these orders."""
    total = 0
    for lower, upper in itertools.pairwise(rows):
        at = {node: i for i, node in enumerate(lower)}
        edges = [(i, at[target]) for i, source in enumerate(upper)
                 for target in layered.successors(source)]
        total += sum((a - c) * (b - d) < 0 for (a, b), (c, d) in itertools.combinations(edges, 2))
    return total


def x_positions(rows: list[list[Any]], layered: nx.DiGraph, widths: Mapping[Any, float],
                rounds: int = 20) -> dict[Any, float]:
    """Horizontal centres: rows packed side by side, then repeatedly each node pulled to the mean of
    its neighbours, as close as its row's order and spacing allow."""
    x: dict[Any, float] = {}
    for nodes in rows:
        x.update(zip(nodes, spaced(nodes, [0.0] * len(nodes), widths), strict=True))
    for _ in range(rounds):
        for nodes in rows + rows[::-1]:
            targets = [np.mean([x[m] for m in nx.all_neighbors(layered, node)] or [x[node]])
                       for node in nodes]
            x.update(zip(nodes, spaced(nodes, targets, widths), strict=True))
    return x


def spaced(nodes: list[Any], targets: list[float], widths: Mapping[Any, float]) -> list[float]:
    """Centres closest to ``targets`` (least squares) that keep the order with GAP between boxes:
    isotonic regression of targets minus the minimal offsets, by pool-adjacent-violators."""
    offsets = np.cumsum([0.0] + [(widths[a] + widths[b]) / 2 + GAP
                                 for a, b in itertools.pairwise(nodes)])
    blocks: list[list[float]] = []  # [mean, count]
    for value in np.asarray(targets) - offsets:
        blocks.append([value, 1])
        while len(blocks) > 1 and blocks[-2][0] > blocks[-1][0]:
            (mean2, count2), (mean1, count1) = blocks.pop(), blocks.pop()
            blocks.append([(mean1 * count1 + mean2 * count2) / (count1 + count2), count1 + count2])
    return list(np.repeat([mean for mean, _ in blocks], [int(count) for _, count in blocks])
                + offsets)


def ports(chains: Mapping[tuple, list], x: Mapping[Any, float],
          widths: Mapping[Any, float]) -> tuple[dict, dict]:
    """Where each edge leaves its source's bottom and enters its target's top: side by side along
    the box, in the order of where the edge goes next, so that edges at one box do not cross
    there."""
    starts: dict[tuple, float] = {}
    ends: dict[tuple, float] = {}
    for end, (side, towards) in ((starts, (0, 1)), (ends, (1, -2))):
        by_node: dict[Any, list[tuple]] = {}
        for edge in chains:
            by_node.setdefault(edge[side], []).append(edge)
        for node, edges in by_node.items():
            edges.sort(key=lambda edge: x[chains[edge][towards]])
            step = min(PORT_STEP, 0.8 * widths[node] / len(edges))
            end.update((edge, x[node] + (k - (len(edges) - 1) / 2) * step)
                       for k, edge in enumerate(edges))
    return starts, ends
