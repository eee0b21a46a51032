"""Autograd's recorded graph (``draw_autograd_graph``, ``autograd_digraph``, ``saved_values``) and
any labelled DAG (``draw_dag``), drawn inline with matplotlib, no Graphviz."""

from __future__ import annotations

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
from matplotlib.transforms import ScaledTranslation, Transform
from torch.autograd.function import BackwardCFunction
from torch.autograd.graph import Node

from lab2.layout import dag_layout

__all__ = ["NODE_COLORS", "Unavailable", "autograd_digraph", "draw_autograd_graph", "draw_dag",
           "saved_values"]

NOT_SAVED = "constant\n(not saved)"  # an input the consuming node did not keep
NODE_COLORS = {
    "leaf": "#c7e9c0",  # a tensor that requires grad: backward() accumulates its .grad
    "operation": "#deebf7",  # an operation autograd recorded (a backward node)
    "output": "#fdd0a2",  # the tensor the graph is drawn from
    "constant": "#eeeeee",  # an input that needs no gradient: autograd keeps no node for it
    "unrecorded": "#ffffff",  # a value or operation autograd does not record: greyed, dashed
}
FONT_SIZE = 10  # points
PAD = 0.08  # inches between a label and its box
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
    """A saved tensor that can no longer be read, and why (freed, or modified in place since)."""

    reason: str


def draw_autograd_graph(tensor: torch.Tensor, names: Mapping[str, torch.Tensor] | None = None,
                        ax: Axes | None = None, *, show_saved: bool = False,
                        unsaved: Mapping[str, str] | None = None) -> Axes:
    """Draw ``tensor``'s autograd graph, ``names``' tensors named; ``show_saved`` lists what each
    node saved; ``unsaved`` labels a constant a node did not keep: {"SubBackward0": "t = 3"}."""
    return draw_dag(autograd_digraph(tensor, names, show_saved=show_saved, unsaved=unsaved), ax)


def autograd_digraph(tensor: torch.Tensor, names: Mapping[str, torch.Tensor] | None = None, *,
                     show_saved: bool = False,
                     unsaved: Mapping[str, str] | None = None) -> nx.MultiDiGraph:
    """``tensor``'s graph for ``draw_dag``: autograd's nodes, ``("constant", consumer, position)``
    for inputs that need no gradient, and an edge input -> consumer per use."""
    _check_type(tensor, "tensor", torch.Tensor, "a torch.Tensor")
    if tensor.grad_fn is None:
        raise ValueError("tensor must be the result of operations on tensors that require grad; "
                         "its grad_fn is None")
    names = _check_mapping(names, "names", torch.Tensor, "torch.Tensor")
    measuring = Figure()
    for name in names:
        _text_size(name, measuring, "names' keys")
    show_saved = bool(_check_type(show_saved, "show_saved", (bool, np.bool_), "a bool"))
    unsaved = _check_mapping(unsaved, "unsaved", str, "str")
    graph = _walk(tensor, names, show_saved, unsaved)
    if unsaved:
        raise ValueError(f"unsaved must name nodes with one input they did not save; no such input "
                         f"for {sorted(unsaved)}")
    return graph


def _walk(tensor: torch.Tensor, names: Mapping[str, torch.Tensor], show_saved: bool,
          unsaved: dict[str, str]) -> nx.MultiDiGraph:
    """The graph of ``tensor``'s backward nodes and constant inputs; uses up ``unsaved``."""
    root = tensor.grad_fn
    graph = nx.MultiDiGraph()
    graph.add_node(root, label=_operation_label(root, names, show_saved, output=tensor),
                   kind="output")
    stack = [root]
    while stack:
        node = stack.pop()
        for position, (parent, _) in enumerate(node.next_functions):
            if parent is None:
                parent = ("constant", node, position)
                label = _constant_label(node, position, names)
                if label == NOT_SAVED and unsaved and node.name() in unsaved:
                    label = f"{unsaved.pop(node.name())}\n(constant, not saved)"
                graph.add_node(parent, label=label, kind="constant")
            elif parent not in graph:
                graph.add_node(parent, **_node_style(parent, names, show_saved))
                stack.append(parent)
            graph.add_edge(parent, node)
    return graph


def _node_style(node: Any, names: Mapping[str, torch.Tensor], show_saved: bool) -> dict[str, str]:
    """Label and kind of a backward node: a leaf (AccumulateGrad, with value and grad), or else an
    operation."""
    if type(node).__name__ != "AccumulateGrad":
        return {"label": _operation_label(node, names, show_saved), "kind": "operation"}
    variable = node.variable
    lines = [_tensor_text(_name_of(variable, names) or "leaf", variable)]
    if variable.grad is not None:
        lines.append(_tensor_text("grad", variable.grad))
    return {"label": "\n".join(lines), "kind": "leaf"}


def _operation_label(node: Any, names: Mapping[str, torch.Tensor], show_saved: bool,
                     output: torch.Tensor | None = None) -> str:
    """The result's name and value (if named, or the output), the operation, what it saved."""
    named = next((name for name, t in names.items() if t.grad_fn is node), None)
    shown = names[named] if named else output
    lines = [] if shown is None else [_tensor_text(named or "output", shown)]
    lines.append(type(node).__name__)
    if show_saved:
        lines += _saved_lines(node, names)
    return "\n".join(lines)


def _input_name(consumer: Any, position: int, saved: Mapping[str, Any]) -> str | None:
    """The name under which ``consumer`` saves its input at ``position``, when known: INPUT_NAMES,
    else "self" for input 0, else for a two-input operation the SECOND_INPUT_NAMES it saved."""
    known = INPUT_NAMES.get(type(consumer).__name__)
    if known is not None:
        return known[position] if position < len(known) else None
    if position == 0:
        return "self"
    if position == 1 and len(consumer.next_functions) == 2:
        return next((name for name in SECOND_INPUT_NAMES if name in saved), None)
    return None


def _constant_label(consumer: Any, position: int, names: Mapping[str, torch.Tensor]) -> str:
    """An input that needs no gradient: its value (and name) if its consumer saved it; 'not saved'
    only when known (its slot is empty, or the consumer saved no tensor but its results)."""
    saved = _saved_values(consumer)
    attribute = _input_name(consumer, position, saved)
    value = saved.get(attribute)
    if isinstance(value, torch.Tensor):
        name = _name_of(value, names)
        return f"{_tensor_text(name, value) if name else _describe(value)}\n(constant, saved)"
    if isinstance(value, Unavailable):
        return f"constant\n(saved, {value.reason})"
    if attribute in saved or not _may_hold_inputs(consumer, saved):
        return NOT_SAVED
    return "constant"


def _may_hold_inputs(node: Any, saved: Mapping[str, Any]) -> bool:
    """Whether ``node`` saved a tensor besides its results, or is a custom Function."""
    return isinstance(node, BackwardCFunction) or any(
        _holds_tensor(value) for attribute, value in saved.items()
        if not attribute.startswith("result"))


def _holds_tensor(value: Any) -> bool:
    """A saved value that is, or was, a tensor, or a sequence holding one."""
    if isinstance(value, tuple | list):
        return any(_holds_tensor(item) for item in value)
    return isinstance(value, torch.Tensor | Unavailable)


def saved_values(node: Node) -> dict[str, Any]:
    """What a backward node saved: ``_saved_*`` attributes without the prefix (a custom Function's
    as ``saved_tensors[i]``), ints signed, ``Unavailable`` for a tensor now unreadable."""
    return _saved_values(_check_type(node, "node", Node, "a backward node (a tensor's grad_fn)"))


def _saved_values(node: Any) -> dict[str, Any]:
    """saved_values, for any object that looks like a backward node."""
    values = {name.removeprefix("_saved_"): _signed(_read_saved(node, name))
              for name in dir(node) if name.startswith("_saved_")}
    if isinstance(node, BackwardCFunction):
        tensors = _read_saved(node, "saved_tensors")
        values.update({"saved_tensors": tensors} if isinstance(tensors, Unavailable) else
                      {f"saved_tensors[{i}]": tensor for i, tensor in enumerate(tensors)})
    return values


def _signed(value: Any) -> Any:
    """An int torch handed over as unsigned 64-bit, back as the signed int64 it was."""
    if isinstance(value, int) and not isinstance(value, bool) and value >= 2**63:
        return value - 2**64
    return value


def _read_saved(node: Any, attribute: str) -> Any:
    """One saved attribute, or Unavailable when freed by backward() or modified in place."""
    try:
        return getattr(node, attribute)
    except RuntimeError as error:
        for marker, reason in (("freed", "freed by backward()"), ("inplace", "modified in place")):
            if marker in str(error):
                return Unavailable(reason)
        raise


def _saved_lines(node: Any, names: Mapping[str, torch.Tensor]) -> list[str]:
    """One line per informative saved value (tensors, named when ``names`` holds them, numbers,
    short sequences); None, flags and size/stride tuples are left out."""
    lines = []
    for attribute, value in _saved_values(node).items():
        if isinstance(value, torch.Tensor):
            name = _name_of(value, names)
            lines.append(_tensor_text(f"{attribute} = {name}" if name else attribute, value))
        elif isinstance(value, Unavailable):
            lines.append(f"{attribute}: {value.reason}")
        elif isinstance(value, int | float) and not isinstance(value, bool):
            lines.append(f"{attribute} = {value:.4g}")
        elif (isinstance(value, tuple | list) and value and "size" not in attribute
              and "stride" not in attribute):
            lines.append(f"{attribute} = {_sequence_text(value)}")
    return lines


def _sequence_text(values: tuple | list) -> str:
    """A saved tuple or list, short: at most MAX_ITEMS items (tensors described, then how many
    there are), at most MAX_TEXT characters."""
    items = [_describe(v) if isinstance(v, torch.Tensor) else repr(v) for v in values[:MAX_ITEMS]]
    if len(values) > MAX_ITEMS:
        items.append(f"... ({len(values)} items)")
    text = ", ".join(items) + ("," if len(values) == 1 and isinstance(values, tuple) else "")
    text = f"[{text}]" if isinstance(values, list) else f"({text})"
    return text if len(text) <= MAX_TEXT else text[:MAX_TEXT - 3] + "..."


def _name_of(tensor: torch.Tensor, names: Mapping[str, torch.Tensor]) -> str | None:
    """The name under which ``names`` holds these very data (saved tensors come back as new
    objects); a non-strided tensor only when it is the very object."""
    return next((name for name, t in names.items() if t is tensor or _same_data(t, tensor)), None)


def _same_data(first: torch.Tensor, second: torch.Tensor) -> bool:
    """Whether two strided tensors view the same data alike (address, shape, stride, dtype)."""
    return (first.layout == second.layout == torch.strided and first.data_ptr() == second.data_ptr()
            and first.shape == second.shape and first.stride() == second.stride()
            and first.dtype == second.dtype)


def _tensor_text(name: str, t: torch.Tensor) -> str:
    """'w = 1.5' for a one-element tensor, 'W1: shape [3, 2]' otherwise."""
    return f"{name} = {_describe(t)}" if t.numel() == 1 else f"{name}: {_describe(t)}"


def _describe(t: torch.Tensor) -> str:
    """A one-element tensor's value to 4 digits, else its shape (and dtype, unless a float)."""
    if t.numel() == 1:
        return f"{t.item():.4g}"
    dtype = "" if t.is_floating_point() else f" {str(t.dtype).removeprefix('torch.')}"
    return f"shape {list(t.shape)}{dtype}"


def draw_dag(graph: nx.DiGraph, ax: Axes | None = None) -> Axes:
    """Draw a DAG of nodes with a ``label`` and a ``kind`` (a key of NODE_COLORS) as boxes in rows,
    sources on top, into ``ax`` at its own size, else a new figure sized to it."""
    _check_type(graph, "graph", nx.DiGraph, "a networkx DiGraph")
    if graph.number_of_nodes() == 0 or not nx.is_directed_acyclic_graph(graph):
        raise ValueError("graph must be a non-empty directed acyclic graph")
    if ax is not None:
        _check_type(ax, "ax", Axes, "a matplotlib Axes or None")
    # Labels are measured before anything is drawn: one matplotlib cannot draw leaves no figure.
    sizes = _box_sizes(graph, plt.rcParams["figure.dpi"] if ax is None else ax.figure.dpi)
    created = ax is None
    if created:
        _, ax = plt.subplots(layout="constrained")
    centres, paths, (width, height) = dag_layout(graph, sizes)
    inches = ax.figure.dpi_scale_trans + ScaledTranslation(0.5, 0.5, ax.transAxes)  # from centre
    _draw_boxes(ax, graph, centres, sizes, inches)
    _draw_edges(ax, graph, paths, inches)
    ax.axis("off")
    if created:
        ax.figure.set_size_inches(max(MIN_FIGURE_WIDTH, width + 2 * MARGIN),
                                  height + 2 * MARGIN + TITLE_ROOM)
    return ax


def _draw_boxes(ax: Axes, graph: nx.DiGraph, centres: Mapping[Any, tuple[float, float]],
                sizes: Mapping[Any, tuple[float, float]], inches: Transform) -> None:
    """Each node's label in its rounded box, coloured by kind."""
    for node, data in graph.nodes(data=True):
        (x, y), (w, h), greyed = centres[node], sizes[node], data["kind"] == "unrecorded"
        ax.text(x, y, data["label"], transform=inches, ha="center", va="center", fontsize=FONT_SIZE,
                family="monospace", color="0.45" if greyed else "black", zorder=3, in_layout=False)
        ax.add_patch(FancyBboxPatch((x - w / 2, y - h / 2), w, h,
                                    boxstyle="round,pad=0,rounding_size=0.06",
                                    transform=inches, fc=NODE_COLORS[data["kind"]],
                                    ec="0.6" if greyed else "0.35", ls="--" if greyed else "-",
                                    zorder=2, in_layout=False))


def _draw_edges(ax: Axes, graph: nx.DiGraph, paths: Mapping[tuple, list],
                inches: Transform) -> None:
    """Each edge as an arrow along its polyline, dashed and grey at an "unrecorded" node."""
    for (source, target, _), points in paths.items():
        greyed = "unrecorded" in (graph.nodes[source]["kind"], graph.nodes[target]["kind"])
        ax.add_patch(FancyArrowPatch(path=Path(points), arrowstyle="-|>", mutation_scale=12,
                                     transform=inches, color="0.6" if greyed else "0.25",
                                     ls="--" if greyed else "-", zorder=1, in_layout=False))


def _box_sizes(graph: nx.DiGraph, dpi: float) -> dict[Any, tuple[float, float]]:
    """Each node's box in inches, its label's size padded; a node without a str label and a known
    kind, or whose label matplotlib cannot draw, is a ValueError naming the node."""
    measuring = Figure(dpi=dpi)
    sizes = {}
    for node, data in graph.nodes(data=True):
        label = data.get("label")
        if not isinstance(label, str) or data.get("kind") not in NODE_COLORS:
            raise ValueError(f"graph's nodes must have a str label and a kind in "
                             f"{sorted(NODE_COLORS)}; node {node!r} has label {label!r} and kind "
                             f"{data.get('kind')!r}")
        width, height = _text_size(label, measuring, f"the label of graph node {node!r}")
        sizes[node] = (width + 2 * PAD, height + 2 * PAD)
    return sizes


def _text_size(text: str, measuring: Figure, name: str) -> tuple[float, float]:
    """Width and height in inches of ``text`` set as draw_dag sets it, by Agg's renderer (every
    canvas can use its metrics); text matplotlib cannot typeset is a ValueError naming ``name``."""
    dpi = measuring.dpi
    try:
        extent = measuring.text(0, 0, text, fontsize=FONT_SIZE,
                                family="monospace").get_window_extent(RendererAgg(1, 1, dpi))
    except ValueError as error:  # matplotlib's mathtext errors show the text with a caret first
        reason = str(error).strip().splitlines()[-1]
        raise ValueError(f"{name} must be text matplotlib can draw (valid mathtext between $ "
                         f"signs); got {text!r}: {reason}") from None
    return extent.width / dpi, extent.height / dpi


def _check_type(value: Any, name: str, kind: type | tuple[type, ...], expected: str) -> Any:
    """``value`` when it is an instance of ``kind``, else a TypeError naming ``name``."""
    if not isinstance(value, kind):
        raise TypeError(f"{name} must be {expected}; got {type(value).__name__}")
    return value


def _check_mapping(value: Any, name: str, kind: type, expected: str) -> dict[str, Any]:
    """``value`` as a new dict (None: empty) mapping str to ``kind``, else a TypeError naming it."""
    if value is None:
        return {}
    _check_type(value, name, Mapping, f"a mapping from str to {expected}")
    for key, item in value.items():
        _check_type(key, f"{name} key {key!r}", str, "a str")
        _check_type(item, f"{name}[{key!r}]", kind, f"a {expected}")
    return dict(value)
