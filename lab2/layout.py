"""The layered layout of a DAG (Sugiyama style), in inches: rows by longest path to a sink, a
waypoint per row an edge crosses, rows ordered by barycenter sweeps, boxes packed apart."""

from __future__ import annotations

import itertools
from collections.abc import Mapping
from typing import Any

import networkx as nx
import numpy as np

__all__ = ["dag_layout"]

GAP = 0.25  # inches between neighbours in a row
ROW_GAP = 0.35  # inches between rows, where only edges run
PORT_STEP = 0.15  # inches between edges leaving (or entering) one box side by side


def dag_layout(graph: nx.DiGraph,
               sizes: Mapping[Any, tuple[float, float]]) -> tuple[dict, dict, tuple[float, float]]:
    """Box centres and edge polylines in inches from the drawing's centre, and its width and height,
    for boxes of ``sizes`` inches."""
    layered, row, chains = _rows_with_waypoints(graph)
    rows = _ordered_rows(layered, row)
    sizes = {node: sizes.get(node, (0.0, 0.0)) for node in layered}  # a waypoint has no box
    widths = {node: size[0] for node, size in sizes.items()}
    x = _x_positions(rows, layered, widths)
    left = min(x[n] - widths[n] / 2 for n in layered)
    right = max(x[n] + widths[n] / 2 for n in layered)
    heights = np.array([max(sizes[node][1] for node in nodes) for nodes in rows])
    y = np.cumsum([heights[0] / 2] + [(below + above) / 2 + ROW_GAP
                                      for below, above in itertools.pairwise(heights)])
    height = y[-1] + heights[-1] / 2
    centres = {node: (x[node] - (left + right) / 2, y[row[node]] - height / 2) for node in layered}
    row_extents = {node: (centres[node][1] + heights[row[node]] / 2,
                          centres[node][1] - heights[row[node]] / 2) for node in layered}
    starts, ends = _ports(chains, {node: centre[0] for node, centre in centres.items()}, widths)
    paths = {edge: _edge_path(chain, starts[edge], ends[edge], centres, sizes, row_extents)
             for edge, chain in chains.items()}
    return {node: centres[node] for node in graph}, paths, (right - left, height)


def _edge_path(chain: list[Any], start: float, end: float,
               centres: Mapping[Any, tuple[float, float]],
               sizes: Mapping[Any, tuple[float, float]],
               row_extents: Mapping[Any, tuple[float, float]]) -> list:
    """An edge's polyline: vertical within each row it crosses (between that row's boxes), diagonal
    only between rows, where no box is."""
    source, *waypoints, target = chain
    points = [(start, centres[source][1] - sizes[source][1] / 2), (start, row_extents[source][1])]
    for waypoint in waypoints:
        points += [(centres[waypoint][0], extent) for extent in row_extents[waypoint]]
    points += [(end, row_extents[target][0]), (end, centres[target][1] + sizes[target][1] / 2)]
    return [p for i, p in enumerate(points) if i == 0 or not np.allclose(p, points[i - 1])]


def _rows_with_waypoints(graph: nx.DiGraph,
                         ) -> tuple[nx.DiGraph, dict[Any, int], dict[tuple, list]]:
    """Each node's row (its longest path down to a sink, row 0), and each edge as a chain source,
    waypoints..., target with one waypoint (a node of width 0) per row it crosses."""
    row: dict[Any, int] = {}
    for node in reversed(list(nx.topological_sort(graph))):
        row[node] = max((row[successor] + 1 for successor in graph.successors(node)), default=0)
    layered = nx.DiGraph()
    layered.add_nodes_from(graph)
    chains = {}
    edges = graph.edges(keys=True) if graph.is_multigraph() else [(*e, 0) for e in graph.edges]
    for source, target, key in edges:
        chain = [source, *(object() for _ in range(row[source] - row[target] - 1)), target]
        row.update((waypoint, row[source] - k) for k, waypoint in enumerate(chain[1:-1], start=1))
        nx.add_path(layered, chain)
        chains[source, target, key] = chain
    return layered, row, chains


def _ordered_rows(layered: nx.DiGraph, row: Mapping[Any, int], sweeps: int = 8) -> list[list[Any]]:
    """The nodes of each row (bottom first), each moved to the mean position of its neighbours in
    the row just ordered, downwards then upwards; the order with fewest crossings is kept."""
    rows: list[list[Any]] = [[] for _ in range(max(row.values()) + 1)]
    for node in layered:
        rows[row[node]].append(node)
    best, fewest = [list(nodes) for nodes in rows], _crossings(rows, layered)
    for sweep in range(sweeps):
        downward = sweep % 2 == 0
        for r in range(len(rows) - 2, -1, -1) if downward else range(1, len(rows)):
            reference = {node: i for i, node in enumerate(rows[r + 1 if downward else r - 1])}
            neighbours = layered.predecessors if downward else layered.successors
            current = {node: i for i, node in enumerate(rows[r])}
            rows[r].sort(key=lambda n: np.mean([reference[m] for m in neighbours(n)]
                                               or [current[n]]))
        if (count := _crossings(rows, layered)) < fewest:
            best, fewest = [list(nodes) for nodes in rows], count
    return best


def _crossings(rows: list[list[Any]], layered: nx.DiGraph) -> int:
    """How many pairs of edges cross between adjacent rows, for these orders."""
    total = 0
    for lower, upper in itertools.pairwise(rows):
        at = {node: i for i, node in enumerate(lower)}
        edges = [(i, at[target]) for i, source in enumerate(upper)
                 for target in layered.successors(source)]
        total += sum((a - c) * (b - d) < 0 for (a, b), (c, d) in itertools.combinations(edges, 2))
    return total


def _x_positions(rows: list[list[Any]], layered: nx.DiGraph, widths: Mapping[Any, float],
                 rounds: int = 20) -> dict[Any, float]:
    """Horizontal centres: rows packed, then each node pulled to the mean of its neighbours, as
    close as its row's order and spacing allow, ``rounds`` times."""
    x: dict[Any, float] = {}
    for nodes in rows:
        x.update(zip(nodes, _spaced(nodes, [0.0] * len(nodes), widths), strict=True))
    for _ in range(rounds):
        for nodes in rows + rows[::-1]:
            targets = [np.mean([x[m] for m in nx.all_neighbors(layered, node)] or [x[node]])
                       for node in nodes]
            x.update(zip(nodes, _spaced(nodes, targets, widths), strict=True))
    return x


def _spaced(nodes: list[Any], targets: list[float], widths: Mapping[Any, float]) -> list[float]:
    """Centres closest to ``targets`` (least squares) keeping the order with GAP between boxes:
    isotonic regression of targets minus the minimal offsets (pool-adjacent-violators)."""
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


def _ports(chains: Mapping[tuple, list], x: Mapping[Any, float],
           widths: Mapping[Any, float]) -> tuple[dict, dict]:
    """Where each edge leaves its source's bottom and enters its target's top: side by side, in
    the order of where the edge goes next, so that edges at one box do not cross there."""
    starts, ends = {}, {}
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
