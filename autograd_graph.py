"""Autograd's recorded graph drawn inline with matplotlib and networkx (pip-only, no Graphviz).

``draw_autograd_graph`` walks ``grad_fn.next_functions`` from a tensor and draws leaves on top,
backward nodes below them and the output at the bottom, with arrows in the forward direction.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import matplotlib.pyplot as plt
import networkx as nx
import numpy as np
import torch
from matplotlib.axes import Axes


def draw_autograd_graph(tensor: torch.Tensor, names: Mapping[str, torch.Tensor] | None = None,
                        ax: Axes | None = None) -> Axes:
    """Draw the graph autograd recorded for ``tensor``: leaves on top, backward nodes, the output at the bottom.

    ``names`` maps a name to a leaf tensor (shown with its value or shape and its ``.grad`` once set) or to an
    intermediate result (its backward node is labelled with the name). Inputs that need no gradient are not
    recorded by autograd; they appear as grey "constant" boxes. Arrows follow the forward data flow.
    """
    if not isinstance(tensor, torch.Tensor):
        raise TypeError(f"tensor must be a torch.Tensor; got {type(tensor).__name__}")
    if tensor.grad_fn is None:
        raise ValueError("tensor must be the result of operations on tensors that require grad; its grad_fn is None")
    names = dict(names or {})
    for name, value in names.items():
        if not isinstance(value, torch.Tensor):
            raise TypeError(f"names[{name!r}] must be a torch.Tensor; got {type(value).__name__}")
    graph = autograd_digraph(tensor, names)
    positions = layered_positions(graph)
    return draw_graph(graph, positions, ax)


def autograd_digraph(tensor: torch.Tensor, names: Mapping[str, torch.Tensor] | None = None) -> nx.DiGraph:
    """Walk ``grad_fn.next_functions`` from ``tensor`` into a DiGraph whose edges run input -> consumer."""
    names = names or {}
    graph = nx.DiGraph()
    root = tensor.grad_fn
    graph.add_node(id(root), label=f"{output_name(tensor, names)}\n{type(root).__name__}", kind="output")
    stack, seen = [root], {id(root)}
    while stack:
        node = stack.pop()
        for position, (parent, _) in enumerate(node.next_functions):
            if parent is None:
                key = f"constant:{id(node)}:{position}"
                graph.add_node(key, label="constant", kind="constant")
            else:
                key = id(parent)
                if key not in seen:
                    seen.add(key)
                    stack.append(parent)
                    graph.add_node(key, **node_style(parent, names))
            graph.add_edge(key, id(node))
    return graph


def node_style(node: Any, names: Mapping[str, torch.Tensor]) -> dict[str, str]:
    """Label and kind of a backward node: a named leaf with value and grad, or an operation."""
    variable = getattr(node, "variable", None)
    if variable is not None:
        name = next((n for n, t in names.items() if t is variable), "leaf")
        lines = [f"{name} = {describe(variable)}"]
        if variable.grad is not None:
            lines.append(f"grad = {describe(variable.grad)}")
        return {"label": "\n".join(lines), "kind": "leaf"}
    name = next((n for n, t in names.items() if t.grad_fn is node), None)
    op = type(node).__name__
    return {"label": f"{name}\n{op}" if name else op, "kind": "operation"}


def output_name(tensor: torch.Tensor, names: Mapping[str, torch.Tensor]) -> str:
    """'l = 37' for a named scalar output, 'output [3, 2]' for an unnamed tensor."""
    name = next((n for n, t in names.items() if t is tensor), "output")
    return f"{name} = {describe(tensor)}"


def describe(t: torch.Tensor) -> str:
    """A scalar's value to 4 significant digits, else the shape."""
    return f"{t.item():.4g}" if t.numel() == 1 else f"shape {list(t.shape)}"


def layered_positions(graph: nx.DiGraph) -> dict[Any, tuple[float, float]]:
    """Row = longest path to the output (the output is row 0, drawn lowest); within a row,
    nodes are ordered by the mean position of the nodes they feed, to limit crossings."""
    depth: dict[Any, int] = {}
    for node in reversed(list(nx.topological_sort(graph))):
        depth[node] = max((depth[s] + 1 for s in graph.successors(node)), default=0)
    rows: dict[int, list[Any]] = {}
    for node, d in depth.items():
        rows.setdefault(d, []).append(node)
    positions: dict[Any, tuple[float, float]] = {}
    for d in sorted(rows):
        row = sorted(rows[d], key=lambda n: np.mean([positions[s][0] for s in graph.successors(n)] or [0.0]))
        for i, node in enumerate(row):
            positions[node] = (i - (len(row) - 1) / 2, float(d))
    return positions


NODE_COLORS = {"leaf": "#c7e9c0", "operation": "#deebf7", "output": "#fdd0a2", "constant": "#eeeeee"}


def draw_graph(graph: nx.DiGraph, positions: Mapping[Any, tuple[float, float]], ax: Axes | None) -> Axes:
    """Boxes for nodes and arrows for edges, with matplotlib only."""
    widest = max(sum(1 for p in positions.values() if p[1] == row) for row in {p[1] for p in positions.values()})
    height = max(p[1] for p in positions.values())
    if ax is None:
        _, ax = plt.subplots(figsize=(max(4.0, 2.3 * widest), 0.75 * height + 1.0))
    boxes = {}
    for node, (x, y) in positions.items():
        data = graph.nodes[node]
        boxes[node] = ax.text(x, y, data["label"], ha="center", va="center", fontsize=8, family="monospace",
                              bbox={"boxstyle": "round,pad=0.4", "fc": NODE_COLORS[data["kind"]], "ec": "0.4"})
    for source, target in graph.edges:
        ax.annotate("", xy=(0.5, 1.0), xycoords=boxes[target], xytext=(0.5, 0.0), textcoords=boxes[source],
                    arrowprops={"arrowstyle": "-|>", "color": "0.3", "shrinkA": 5, "shrinkB": 5})
    ax.set_xlim(-widest / 2 - 0.1, widest / 2 + 0.1)
    ax.set_ylim(-0.6, height + 0.6)
    ax.axis("off")
    return ax
