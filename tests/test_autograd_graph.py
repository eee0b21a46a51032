"""Unit tests of autograd_graph: the drawing of autograd's recorded graph."""

import math
from collections import Counter

import matplotlib.pyplot as plt
import numpy as np
import pytest
import torch
from matplotlib.text import Annotation

from autograd_graph import draw_autograd_graph

# ---------------------------------------------------------------------------------------------------------------------
# draw_autograd_graph


def small_graph():
    """l = (w x - t)^2 + w^2 with w = 1.5 requiring grad and constants x = 2, t = 1; so l = 2^2 + 2.25 = 6.25."""
    w = torch.tensor(1.5, requires_grad=True)
    x, t = torch.tensor(2.0), torch.tensor(1.0)
    return w, (w * x - t) ** 2 + w**2


def boxes(ax):
    """The texts of the node boxes (arrows are Annotations with empty text)."""
    return [t.get_text() for t in ax.texts if not isinstance(t, Annotation)]


def arrows(ax):
    """The arrows (edges) of the drawing."""
    return [t for t in ax.texts if isinstance(t, Annotation)]


def walk(tensor):
    """Independent walk of grad_fn.next_functions: the distinct nodes, the constant inputs and the distinct edges.

    The visited nodes are kept in a list (alive), so identity comparison is reliable.
    """
    nodes, stack, constants, edges = [tensor.grad_fn], [tensor.grad_fn], 0, set()
    while stack:
        node = stack.pop()
        for parent, _ in node.next_functions:
            if parent is None:
                constants += 1
                edges.add(("constant", constants))
                continue
            if not any(parent is seen for seen in nodes):
                nodes.append(parent)
                stack.append(parent)
            edges.add((next(i for i, seen in enumerate(nodes) if seen is parent), nodes.index(node)))
    return nodes, constants, edges


def test_draw_small_graph_boxes():
    """One box per operation (Add, two Pow, Sub, Mul), one for the leaf w with its value, one per constant input
    (x into Mul, t into Sub) and the output l with its value, on the Add node; one arrow per edge (8, by hand)."""
    w, out = small_graph()
    ax = draw_autograd_graph(out, {"w": w, "l": out})
    assert Counter(boxes(ax)) == Counter({"l = 6.25\nAddBackward0": 1, "PowBackward0": 2, "SubBackward0": 1,
                                          "MulBackward0": 1, "w = 1.5": 1, "constant": 2})
    assert len(arrows(ax)) == 8


def test_draw_shows_gradient_after_backward():
    """After l.backward() the leaf box also shows dl/dw = 2 (w x - t) x + 2 w = 2 * 2 * 2 + 3 = 11."""
    w, out = small_graph()
    out.backward()
    assert "w = 1.5\ngrad = 11" in boxes(draw_autograd_graph(out, {"w": w, "l": out}))


def test_draw_names_intermediate_results_and_unnamed_output():
    """A named intermediate labels its operation box; an unnamed output and leaf read 'output' and 'leaf'."""
    w = torch.tensor(1.5, requires_grad=True)
    u = w * torch.tensor(2.0)
    labels = boxes(draw_autograd_graph(u.exp(), {"u": u}))
    assert sorted(labels) == sorted([f"output = {math.exp(3.0):.4g}\nExpBackward0", "u\nMulBackward0", "leaf = 1.5",
                                     "constant"])


def test_draw_network_graph_matches_independent_walk():
    """For a small network, boxes and arrows match a walk of grad_fn.next_functions; tensors show their shapes."""
    torch.manual_seed(0)
    W1, b1 = torch.randn(3, 2, requires_grad=True), torch.randn(3, requires_grad=True)
    W2, b2 = torch.randn(1, 3, requires_grad=True), torch.randn(1, requires_grad=True)
    x, y = torch.randn(5, 2), torch.tensor([1.0, -1.0, 1.0, 1.0, -1.0])
    scores = (torch.tanh(x @ W1.T + b1) @ W2.T + b2).squeeze(1)
    loss = torch.nn.functional.softplus(-y * scores).mean()
    nodes, constants, edges = walk(loss)
    ax = draw_autograd_graph(loss, {"W1": W1, "b1": b1, "W2": W2, "b2": b2, "loss": loss})
    labels = boxes(ax)
    assert len(labels) == len(nodes) + constants
    assert len(arrows(ax)) == len(edges)
    leaves = {"W1 = shape [3, 2]", "b1 = shape [3]", "W2 = shape [1, 3]", f"b2 = {b2.item():.4g}"}  # b2: one value
    assert leaves <= set(labels)
    assert sum(hasattr(node, "variable") for node in nodes) == len(leaves)
    assert Counter(label.splitlines()[-1] for label in labels if label not in leaves) == Counter(
        [type(node).__name__ for node in nodes if not hasattr(node, "variable")] + ["constant"] * constants)
    assert f"loss = {loss.item():.4g}\nMeanBackward0" in labels


def test_draw_into_given_axes():
    """With ax given, the drawing goes there, that ax is returned and no figure is created."""
    _, ax = plt.subplots()
    figures = plt.get_fignums()
    _, out = small_graph()
    assert draw_autograd_graph(out, ax=ax) is ax
    assert plt.get_fignums() == figures
    assert len(boxes(ax)) == 8


@pytest.mark.parametrize(("tensor", "error"), [
    pytest.param(torch.tensor(1.0, requires_grad=True), ValueError, id="leaf requiring grad"),
    pytest.param(torch.tensor(1.0) * 2, ValueError, id="no grad recorded"),
    pytest.param(np.float64(1.0), TypeError, id="numpy scalar"),
    pytest.param(2.0, TypeError, id="float"),
])
def test_draw_rejects_tensor_without_graph(tensor, error):
    """tensor must be a torch.Tensor with a grad_fn."""
    with pytest.raises(error, match=r"^tensor must"):
        draw_autograd_graph(tensor)


@pytest.mark.parametrize("value", [1.5, np.array(1.5), "w"])
def test_draw_rejects_names_that_are_not_tensors(value):
    """Every value of names must be a tensor; the message names the key."""
    _, out = small_graph()
    with pytest.raises(TypeError, match=r"^names\['w'\] must"):
        draw_autograd_graph(out, {"w": value})
