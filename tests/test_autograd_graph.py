"""Unit tests of autograd_graph: the drawing of autograd's recorded graph, and of hand-written
DAGs."""

import io
import itertools
import math
import weakref
from collections import Counter

import matplotlib.pyplot as plt
import networkx as nx
import numpy as np
import pytest
import torch
from matplotlib import colors
from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.figure import Figure
from matplotlib.patches import FancyArrowPatch, FancyBboxPatch
from matplotlib.path import Path
from torch.nn import functional

from lab2.autograd_graph import (
    NODE_COLORS,
    Unavailable,
    _sequence_text,
    autograd_digraph,
    draw_autograd_graph,
    draw_dag,
    saved_values,
)

# --------------------------------------------------------------------------------------------------
# Graphs and helpers


def small_graph():
    """l = (w x - t)^2 + w^2 with w = 1.5 requiring grad and constants x = 2, t = 1; so
    l = 2^2 + 2.25 = 6.25."""
    w = torch.tensor(1.5, requires_grad=True)
    x, t = torch.tensor(2.0), torch.tensor(1.0)
    return w, (w * x - t) ** 2 + w**2


def part1_graph():
    """The notebook's Part 1: x = 2, b = 4, t = 3, w = 1; a = x + b = 6, y = relu(a w) = 6,
    l = (y - t)^2 + w^2 = 10."""
    x, b, t = torch.tensor(2.0), torch.tensor(4.0), torch.tensor(3.0)
    w = torch.tensor(1.0, requires_grad=True)
    a = x + b
    y = torch.relu(a * w)
    return {"w": w, "a": a, "t": t, "y": y, "l": (y - t) ** 2 + w**2}


def exp_loss():
    """The notebook's Step 5: l = (exp(w) - 5)^2 at w = 1."""
    w = torch.tensor(1.0, requires_grad=True)
    return w, (torch.exp(w) - 5) ** 2


def network_graph():
    """A two-layer network's loss on 5 points, with its parameters by name."""
    torch.manual_seed(0)
    W1, b1 = torch.randn(3, 2, requires_grad=True), torch.randn(3, requires_grad=True)
    W2, b2 = torch.randn(1, 3, requires_grad=True), torch.randn(1, requires_grad=True)
    x, y = torch.randn(5, 2), torch.tensor([1.0, -1.0, 1.0, 1.0, -1.0])
    scores = (torch.tanh(x @ W1.T + b1) @ W2.T + b2).squeeze(1)
    loss = torch.nn.functional.softplus(-y * scores).mean()
    return loss, {"W1": W1, "b1": b1, "W2": W2, "b2": b2, "loss": loss}


def diamond_graph():
    """w feeds two branches that meet again: u = 2 w, v = exp(w), out = u v."""
    w = torch.tensor(0.5, requires_grad=True)
    return (w * 2) * w.exp(), {"w": w}


def square_graph():
    """w * w, doubled: Mul takes w twice, so two parallel edges run from w to it."""
    w = torch.tensor(1.5, requires_grad=True)
    return (w * w) * 2, {"w": w}


def skip_graph():
    """A chain of five operations on w, plus w itself added at the end: the edge from w skips five
    rows."""
    w = torch.tensor(0.5, requires_grad=True)
    return w.exp().sin().cos().tanh().sigmoid() + w, {"w": w}


def paper_dag():
    """The notebook's "DAG on paper" of Part 1: the constant part (x, b, +) unrecorded, the rest as
    autograd sees it."""
    graph = nx.DiGraph()
    for key, label, kind in [("x", "x = 2", "unrecorded"), ("b", "b = 4", "unrecorded"),
                             ("sum", "+", "unrecorded"), ("a", "a = 6", "constant"),
                             ("w", "w = 1", "leaf"), ("mul", "· w", "operation"),
                             ("relu", "max(·, 0)", "operation"), ("sub", "- t", "operation"),
                             ("square", "(·)²", "operation"), ("w2", "w²", "operation"),
                             ("add", "+", "operation"), ("l", "l = 10", "output")]:
        graph.add_node(key, label=label, kind=kind)
    nx.add_path(graph, ["x", "sum", "a", "mul", "relu", "sub", "square", "add", "l"])
    graph.add_edges_from([("b", "sum"), ("w", "mul"), ("w", "w2"), ("w2", "add")])
    return graph


def labels(ax):
    """The texts of the node boxes."""
    return [t.get_text() for t in ax.texts]


def box_patches(ax):
    return [p for p in ax.patches if isinstance(p, FancyBboxPatch)]


def arrows(ax):
    """The arrows (edges) of the drawing."""
    return [p for p in ax.patches if isinstance(p, FancyArrowPatch)]


def walk(tensor):
    """Independent walk of grad_fn.next_functions: the distinct nodes, the constant inputs and the
    distinct edges.

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
            edges.add((next(i for i, seen in enumerate(nodes) if seen is parent),
                       nodes.index(node)))
    return nodes, constants, edges


# --------------------------------------------------------------------------------------------------
# Labels


def test_draw_small_graph_boxes():
    """One box per operation (Add, two Pow, Sub, Mul), one for the leaf w with its value, one per
    constant input (x into Mul, which saved it; t into Sub, which saved nothing) and the output l
    with its value, on the Add node; one arrow per edge (8, by hand)."""
    w, out = small_graph()
    ax = draw_autograd_graph(out, {"w": w, "l": out})
    assert Counter(labels(ax)) == Counter({"l = 6.25\nAddBackward0": 1, "PowBackward0": 2,
                                           "SubBackward0": 1, "MulBackward0": 1, "w = 1.5": 1,
                                           "2\n(constant, saved)": 1, "constant\n(not saved)": 1})
    assert len(arrows(ax)) == 8


def test_draw_shows_gradient_after_backward():
    """After l.backward() the leaf box also shows dl/dw = 2 (w x - t) x + 2 w = 2 * 2 * 2 + 3 = 11,
    and the constant that Mul had saved is reported freed."""
    w, out = small_graph()
    out.backward()
    drawn = labels(draw_autograd_graph(out, {"w": w, "l": out}))
    assert "w = 1.5\ngrad = 11" in drawn
    assert "constant\n(saved, freed by backward())" in drawn


def test_draw_names_intermediate_results_and_unnamed_output():
    """A named intermediate labels its operation box with its name and value; an unnamed output and
    leaf read 'output' and 'leaf'."""
    w = torch.tensor(1.5, requires_grad=True)
    u = w * torch.tensor(2.0)
    drawn = labels(draw_autograd_graph(u.exp(), {"u": u}))
    assert sorted(drawn) == sorted([f"output = {math.exp(3.0):.4g}\nExpBackward0",
                                    "u = 3\nMulBackward0", "leaf = 1.5", "2\n(constant, saved)"])


def test_draw_network_graph_matches_independent_walk():
    """For a small network, boxes and arrows match a walk of grad_fn.next_functions; tensors show
    their shapes."""
    loss, names = network_graph()
    nodes, constants, edges = walk(loss)
    ax = draw_autograd_graph(loss, names)
    drawn = labels(ax)
    assert len(drawn) == len(nodes) + constants
    assert len(arrows(ax)) == len(edges)
    b2 = names["b2"]
    # b2: one value
    leaves = {"W1: shape [3, 2]", "b1: shape [3]", "W2: shape [1, 3]", f"b2 = {b2.item():.4g}"}
    assert leaves <= set(drawn)
    assert sum(hasattr(node, "variable") for node in nodes) == len(leaves)
    operations = [label for label in drawn if label not in leaves and "constant" not in label]
    assert Counter(label.splitlines()[-1] for label in operations) == Counter(
        type(node).__name__ for node in nodes if not hasattr(node, "variable"))
    assert len(drawn) - len(leaves) - len(operations) == constants
    assert f"loss = {loss.item():.4g}\nMeanBackward0" in drawn
    # The inputs x (into Mm) and -y (into Mul) are constants both saved by their consumers, as
    # shapes.
    assert Counter(label for label in drawn if "constant" in label) == Counter(
        {"shape [5, 2]\n(constant, saved)": 1, "shape [5]\n(constant, saved)": 1})


def test_constants_of_fused_affine_maps_are_found_under_their_argument_names():
    """addmm saves its input x as `mat1` (W's gradient needs it): the constant's box shows it,
    named."""
    torch.manual_seed(0)
    W1, b1 = torch.randn(3, 2, requires_grad=True), torch.randn(3, requires_grad=True)
    W2, b2 = torch.randn(3, requires_grad=True), torch.randn((), requires_grad=True)
    x = torch.randn(5, 2)
    scores = torch.addmv(b2, torch.relu(torch.addmm(b1, x, W1.T)), W2)
    constants = [label for label in labels(draw_autograd_graph(scores.sum(), {"x": x}))
                 if "constant" in label]
    assert constants == ["x: shape [5, 2]\n(constant, saved)"]


def test_constants_of_unknown_operations_claim_nothing():
    """For an operation of more than two inputs whose argument names are not known (lerp), a
    constant input reads just 'constant': neither saved nor not saved is claimed."""
    w = torch.tensor(1.0, requires_grad=True)
    out = torch.lerp(w, torch.zeros(()), torch.tensor(0.5)) * 2
    assert Counter(label for label in labels(draw_autograd_graph(out))
                   if "constant" in label) == Counter({"constant": 2, "2\n(constant, saved)": 1})


W_PAIR = torch.tensor([1.5, 2.0], requires_grad=True)
C_PAIR = torch.tensor([3.0, 4.0])


def constant_labels(out):
    """The labels of the constant boxes in the drawing of out, with C_PAIR named c."""
    drawn = labels(draw_autograd_graph(out, {"c": C_PAIR}))
    return [label for label in drawn if "constant" in label]


@pytest.mark.parametrize("make", [
    pytest.param(lambda w, c: functional.mse_loss(w, c), id="mse_loss saves target"),
    pytest.param(lambda w, c: torch.dot(w, c), id="dot saves tensor"),
    pytest.param(lambda w, c: (w**c).sum(), id="pow saves exponent"),
    pytest.param(lambda w, c: functional.binary_cross_entropy_with_logits(w, c),
                 id="bce_with_logits saves target"),
    pytest.param(lambda w, c: (c * w).sum(), id="mul saves self"),
    pytest.param(lambda w, c: (c**w).sum(), id="pow saves self"),
])
def test_saved_constants_are_found_under_the_name_their_consumer_saved_them(make):
    """A constant input saved under its argument's name (target, tensor, exponent, self) is shown
    saved, named, as saved_values lists it; it used to read "not saved"."""
    assert constant_labels(make(W_PAIR, C_PAIR)) == ["c: shape [2]\n(constant, saved)"]


NOT_SAVED = "constant\n(not saved)"


@pytest.mark.parametrize(("make", "expected"), [
    pytest.param(lambda w, c: (w - c).sum(), NOT_SAVED, id="sub saves no tensor"),
    pytest.param(lambda w, c: torch.lerp(w, c, 0.5).sum(), NOT_SAVED, id="lerp saves a number"),
    pytest.param(lambda w, c: torch.polar(w, c).real.sum(), NOT_SAVED, id="polar saves its result"),
    pytest.param(lambda w, c: torch.fmod(w, c).sum(), NOT_SAVED, id="fmod's other slot empty"),
    pytest.param(lambda w, c: torch.where(c > 3, c, w).sum(), "constant",
                 id="where saves its condition"),
    pytest.param(lambda w, c: torch.addcmul(w, c, w).sum(), "constant",
                 id="addcmul, names unknown"),
])
def test_not_saved_is_claimed_only_when_known(make, expected):
    """'not saved' when the consumer saved no tensor but its result, or the input's own slot is
    empty; a consumer holding a tensor that may be the input (where saves its condition, addcmul
    one of its factors) claims nothing."""
    assert constant_labels(make(W_PAIR, C_PAIR)) == [expected]


def test_draw_into_given_axes():
    """With ax given, the drawing goes there, that ax is returned and no figure is created."""
    _, ax = plt.subplots()
    figures = plt.get_fignums()
    _, out = small_graph()
    assert draw_autograd_graph(out, ax=ax) is ax
    assert plt.get_fignums() == figures
    assert len(box_patches(ax)) == len(labels(ax)) == 8


# --------------------------------------------------------------------------------------------------
# Node identity when torch creates a fresh Python wrapper at each access (torch 2.11)


class StandInNode:
    """Stand-in for the Python wrapper of an autograd node, as torch 2.11 makes it: created afresh
    at each access to ``next_functions`` unless a wrapper of the same node is still alive (cached
    through a weak reference only)."""

    def __init__(self, core):
        self.core = core

    @property
    def next_functions(self):
        return tuple((None if core is None else wrapper(core), 0) for core in self.core.inputs)


class Core:
    """The node behind the wrapper (C++ in torch): its inputs (Core, or None for a constant) and a
    weak cache."""

    def __init__(self, *inputs):
        self.inputs = inputs
        self.cached = lambda: None


def wrapper(core):
    """The live wrapper of core if there is one, else a fresh one (as torch 2.11 does)."""
    node = core.cached()
    if node is None:
        node = StandInNode(core)
        core.cached = weakref.ref(node)
    return node


class StandInTensor(torch.Tensor):
    """A tensor whose grad_fn is the wrapper of a stand-in node."""

    @property
    def grad_fn(self):
        return wrapper(self.core)


def stand_in_tensor(core):
    tensor = torch.tensor(3.0).as_subclass(StandInTensor)
    tensor.core = core
    return tensor


def chain(length):
    """Cores of a chain: each node's one input is the previous node; the first has a constant
    input."""
    core = Core(None)
    for _ in range(length - 1):
        core = Core(core)
    return core


def test_stand_in_wrappers_are_fresh_once_unreferenced():
    """The stand-in behaves like torch 2.11: a wrapper dies when unreferenced, and the next access
    makes a new one."""
    core = chain(2)
    first = weakref.ref(wrapper(core))
    assert first() is None
    alive = wrapper(core)
    assert wrapper(core) is alive


@pytest.mark.parametrize("length", [2, 10, 30])
def test_chain_of_fresh_wrappers_has_one_node_per_operation(length):
    """A chain of `length` operations (plus its constant input) gives length + 1 nodes and length
    edges, drawn as many boxes and arrows; no wrapper freed on the way may be mistaken for
    another."""
    tensor = stand_in_tensor(chain(length))
    graph = autograd_digraph(tensor)
    assert (graph.number_of_nodes(), graph.number_of_edges()) == (length + 1, length)
    ax = draw_autograd_graph(tensor)
    assert (len(box_patches(ax)), len(arrows(ax))) == (length + 1, length)


def test_diamond_of_fresh_wrappers_shares_its_node():
    """top <- left, right <- bottom <- constant: the bottom node, reached twice, is one node
    (5 nodes, 5 edges)."""
    bottom = Core(None)
    tensor = stand_in_tensor(Core(Core(bottom), Core(bottom)))
    graph = autograd_digraph(tensor)
    assert (graph.number_of_nodes(), graph.number_of_edges()) == (5, 5)


# --------------------------------------------------------------------------------------------------
# What nodes saved


def test_saved_values_of_exp_loss():
    """Step 5's graph: Pow saved its base e - 5 and the exponent 2, Sub only alpha = 1, Exp its
    result e."""
    _, loss = exp_loss()
    pow_node = loss.grad_fn
    sub_node = pow_node.next_functions[0][0]
    exp_node = sub_node.next_functions[0][0]
    pow_saved, exp_saved = saved_values(pow_node), saved_values(exp_node)
    assert set(pow_saved) == {"self", "exponent"} and pow_saved["exponent"] == 2
    assert math.isclose(pow_saved["self"].item(), math.e - 5, rel_tol=1e-6)
    assert saved_values(sub_node) == {"alpha": 1}
    assert set(exp_saved) == {"result"} and math.isclose(exp_saved["result"].item(), math.e,
                                                         rel_tol=1e-6)


def test_saved_values_once_unavailable():
    """A saved tensor freed by backward() or modified in place since is reported so, not raised."""
    _, loss = exp_loss()
    exp_node = loss.grad_fn.next_functions[0][0].next_functions[0][0]
    with torch.no_grad():
        exp_node._saved_result.mul_(2)
    assert saved_values(exp_node) == {"result": Unavailable("modified in place")}
    _, loss = exp_loss()
    loss.backward()
    assert saved_values(loss.grad_fn) == {"exponent": 2, "self": Unavailable("freed by backward()")}


def test_saved_values_rejects_a_tensor_for_its_node():
    _, loss = exp_loss()
    with pytest.raises(TypeError, match=r"^node must be a backward node \(a tensor's grad_fn\); "
                                        r"got Tensor"):
        saved_values(loss)


def test_show_saved_exp_loss():
    """Exp shows its saved result e, Pow its base e - 5 and exponent 2, Sub its alpha."""
    w, loss = exp_loss()
    drawn = labels(draw_autograd_graph(loss, {"w": w}, show_saved=True))
    assert sorted(drawn) == sorted([
        "w = 1", "ExpBackward0\nresult = 2.718", "SubBackward0\nalpha = 1",
        f"output = {(math.e - 5) ** 2:.4g}\nPowBackward0\nexponent = 2\nself = -2.282",
        "constant\n(not saved)"])


def test_show_saved_part1_names_saved_tensors():
    """Part 1 with a = 6, y = 6, y - t = 3, w = 1: Mul saved a (its input 0, self), Relu its result
    y, the squares their bases 3 and w; saved tensors named in ``names`` are shown by name. The
    constant a is named in its box; the constant t, which Sub did not save, is not."""
    names = part1_graph()
    drawn = labels(draw_autograd_graph(names["l"], names, show_saved=True))
    assert sorted(drawn) == sorted([
        "w = 1", "a = 6\n(constant, saved)", "MulBackward0\nself = a = 6",
        "y = 6\nReluBackward0\nresult = y = 6", "constant\n(not saved)", "SubBackward0\nalpha = 1",
        "PowBackward0\nexponent = 2\nself = 3", "PowBackward0\nexponent = 2\nself = w = 1",
        "l = 10\nAddBackward0\nalpha = 1"])


def test_names_match_saved_tensors_by_data_not_by_value():
    """A clone of a (equal value, other data) does not name the saved a; a itself does, in both
    modes."""
    names = part1_graph()
    clone = {**names, "a": names["a"].clone()}
    assert "6\n(constant, saved)" in labels(draw_autograd_graph(names["l"], clone))
    assert "a = 6\n(constant, saved)" in labels(draw_autograd_graph(names["l"], names))


def test_saved_size_tuples_left_out_and_dims_kept():
    """Mm's saved sizes and strides repeat its inputs' shapes and are left out; Permute's dims are
    kept."""
    loss, names = network_graph()
    drawn = labels(draw_autograd_graph(loss, names, show_saved=True))
    assert not any("size" in label or "stride" in label for label in drawn)
    assert drawn.count("PermuteBackward0\ndims = (1, 0)") == 2
    assert "MmBackward0\nself: shape [5, 2]" in drawn


class ScaleBy(torch.autograd.Function):
    """x * k as a custom Function that saves both with save_for_backward and gives its ctx a
    `variable`."""

    @staticmethod
    def forward(ctx, x, k):
        ctx.save_for_backward(x, k)
        ctx.variable = "oops"  # AccumulateGrad has this attribute: it does not make this a leaf
        return x * k

    @staticmethod
    def backward(ctx, grad):
        _, k = ctx.saved_tensors
        return grad * k, None


def test_custom_function_is_an_operation_listing_what_it_saved():
    """A custom Function's node is drawn as an operation (its ctx.variable is not a leaf's tensor),
    with the tensors it saved by save_for_backward; once backward() freed them, that is said. Its
    constant input, whose slot is unknown, claims nothing."""
    v = torch.tensor(1.5, requires_grad=True)
    out = ScaleBy.apply(v, torch.tensor(2.0)) * 3
    graph = autograd_digraph(out, {"v": v}, show_saved=True)
    assert Counter(kind for _, kind in graph.nodes(data="kind")) == Counter(
        {"output": 1, "operation": 1, "leaf": 1, "constant": 2})
    drawn = labels(draw_autograd_graph(out, {"v": v}, show_saved=True))
    assert "ScaleByBackward\nsaved_tensors[0] = v = 1.5\nsaved_tensors[1] = 2" in drawn
    assert "constant" in drawn and "v = 1.5" in drawn
    out.backward()
    freed = Unavailable("freed by backward()")
    assert saved_values(out.grad_fn.next_functions[0][0]) == {"saved_tensors": freed}
    drawn = labels(draw_autograd_graph(out, show_saved=True))
    assert "ScaleByBackward\nsaved_tensors: freed by backward()" in drawn


def test_indexing_lists_its_indices_shortly():
    """Indexing with 1 002 indices saves them as a tuple of one int64 tensor: listed by shape and
    dtype in one short line (its repr was 114 lines, 8 941 characters)."""
    x = torch.randn(3, 2, requires_grad=True)
    drawn = labels(draw_autograd_graph(x[torch.arange(3).repeat(334)].sum(), show_saved=True))
    assert "IndexBackward0\nindices = (shape [1002] int64,)" in drawn
    assert max(len(label) for label in drawn) < 60


@pytest.mark.parametrize(("values", "expected"), [
    ((1, 0), "(1, 0)"),
    ((7,), "(7,)"),
    ([None, torch.zeros(4, dtype=torch.int64)], "[None, shape [4] int64]"),
    (tuple(range(10)), "(0, 1, 2, 3, ... (10 items))"),
    ((torch.tensor(2.5), "a" * 80), "(2.5, '" + "a" * 38 + "..."),  # 48 characters
])
def test_saved_sequences_are_shown_short(values, expected):
    """At most 4 items (then how many), tensors by describe, at most 48 characters."""
    assert _sequence_text(values) == expected


def test_cross_entropy_ignore_index_is_minus_100():
    """torch hands NLL's int64 ignore_index = -100 over as 2**64 - 100 (1.845e+19 when printed):
    shown as -100."""
    logits = torch.randn(2, 3, requires_grad=True)
    loss = functional.cross_entropy(logits, torch.tensor([0, 1]))
    assert saved_values(loss.grad_fn)["ignore_index"] == -100
    assert "\nignore_index = -100\n" in labels(draw_autograd_graph(loss, show_saved=True))[0]


def test_input_used_twice_gets_two_edges():
    """w * w: Mul takes w twice; the graph holds two edges and the drawing two arrows side by side,
    uncrossed."""
    w = torch.tensor(1.5, requires_grad=True)
    graph = autograd_digraph(w * w)
    assert graph.number_of_nodes() == 2
    assert [type(node).__name__ for node, _ in graph.edges()] == ["AccumulateGrad"] * 2
    _, _, edges = geometry(draw_autograd_graph(w * w))
    assert len(edges) == 2 and edge_crossings(edges) == 0


@pytest.mark.parametrize("backend", ["svg", "pdf"])
def test_draw_on_canvases_other_than_agg(backend):
    """Text is measured with Agg's renderer whatever the canvas: the default call works under the
    SVG and PDF backends (FigureCanvasSVG has no get_renderer), and the figure saves."""
    w = torch.tensor(1.5, requires_grad=True)
    plt.switch_backend(backend)
    try:
        ax = draw_autograd_graph((w * 2).exp(), {"w": w}, show_saved=True)
        assert len(box_patches(ax)) == len(labels(ax)) == 4
        ax.figure.savefig(io.BytesIO(), format=backend)
    finally:
        plt.switch_backend("Agg")


def test_draw_into_axes_of_a_bare_figure():
    """Into Figure().add_subplot() (a canvas without renderer of its own, outside pyplot) the
    drawing is the same size as on Agg: every text inside its box."""
    _, out = small_graph()
    ax = draw_autograd_graph(out, ax=Figure().add_subplot())
    assert len(box_patches(ax)) == len(labels(ax)) == 8
    FigureCanvasAgg(ax.figure)
    boxes, texts, _ = geometry(ax)
    assert all(any(box.x0 <= t.x0 and t.x1 <= box.x1 and box.y0 <= t.y0 and t.y1 <= box.y1
                   for box in boxes) for t in texts)


# --------------------------------------------------------------------------------------------------
# Bad input


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
    with pytest.raises(TypeError, match=r"^names\['w'\] must be a torch.Tensor; got"):
        draw_autograd_graph(out, {"w": value})


@pytest.mark.parametrize(("names", "given"), [
    pytest.param(torch.tensor(1.5), "got Tensor", id="tensor"),
    pytest.param([("w", torch.tensor(1.5))], "got list", id="list of pairs"),
])
def test_draw_rejects_names_that_are_not_a_mapping_of_str(names, given):
    """names must be a mapping from str to tensor; the message says what was given."""
    _, out = small_graph()
    with pytest.raises(TypeError,
                       match=rf"^names must be a mapping from str to torch.Tensor; {given}"):
        draw_autograd_graph(out, names)


def test_draw_rejects_names_keys_that_are_not_str():
    _, out = small_graph()
    with pytest.raises(TypeError, match=r"^names key 1 must be a str; got int"):
        draw_autograd_graph(out, {1: torch.tensor(1.5)})


def test_draw_rejects_figure_as_ax():
    """ax must be an Axes: a Figure is refused."""
    fig = plt.figure()
    _, out = small_graph()
    with pytest.raises(TypeError, match=r"^ax must be a matplotlib Axes or None; got Figure"):
        draw_autograd_graph(out, ax=fig)


def test_draw_rejects_show_saved_not_bool():
    _, out = small_graph()
    with pytest.raises(TypeError, match=r"^show_saved must be a bool; got str"):
        draw_autograd_graph(out, show_saved="yes")


def test_draw_accepts_numpy_bools_for_show_saved():
    """np.True_ and np.False_ (from a numpy comparison, say) mean True and False."""
    _, loss = exp_loss()
    saved = labels(draw_autograd_graph(loss, show_saved=True))
    assert labels(draw_autograd_graph(loss, show_saved=np.True_)) == saved
    unsaved = labels(draw_autograd_graph(loss))
    assert labels(draw_autograd_graph(loss, show_saved=np.False_)) == unsaved != saved


def test_draw_names_a_sparse_tensor():
    """A sparse leaf in names (it has no single data pointer) is named by identity."""
    sparse = torch.tensor([[0.0, 1.0], [2.0, 0.0]]).to_sparse().requires_grad_()
    assert "s: shape [2, 2]" in labels(draw_autograd_graph((sparse * 2).sum(), {"s": sparse}))


def test_bad_mathtext_name_is_refused_naming_names_and_leaves_no_figure():
    """A name matplotlib cannot typeset is refused before any figure is made, naming names and the
    key."""
    w, loss = exp_loss()
    before = plt.get_fignums()
    with pytest.raises(ValueError, match=r"^names' keys must be text matplotlib can draw \(valid "
                                         r"mathtext between \$ signs\); got '\$\\\\alpah\$': "
                                         r".*Unknown symbol: \\alpah"):
        draw_autograd_graph(loss, {"$\\alpah$": w})
    assert plt.get_fignums() == before
    assert "$\\alpha$ = 1" in labels(draw_autograd_graph(loss, {"$\\alpha$": w}))


@pytest.mark.parametrize("ax", [None, "given"])
def test_bad_mathtext_label_is_refused_naming_the_node_and_draws_nothing(ax):
    """draw_dag measures every label before drawing: a label matplotlib cannot typeset is a
    ValueError naming its node, and no figure (or nothing in a given axes) is left."""
    graph = paper_dag()
    graph.nodes["w"]["label"] = "$\\omeg$"
    axes = plt.subplots()[1] if ax else None
    before = plt.get_fignums()
    with pytest.raises(ValueError, match=r"^the label of graph node 'w' must be text matplotlib "
                                         r"can draw .*; got '\$\\\\omeg\$': .*Unknown symbol"):
        draw_dag(graph, axes)
    assert plt.get_fignums() == before
    assert axes is None or not (axes.texts or axes.patches)


def test_draw_dag_rejects_bad_graphs():
    """graph must be a DiGraph, acyclic, with a str label and a known kind on every node."""
    with pytest.raises(TypeError, match=r"^graph must be a networkx DiGraph; got Graph"):
        draw_dag(nx.Graph())
    with pytest.raises(ValueError, match=r"^graph must be a non-empty directed acyclic graph"):
        draw_dag(nx.DiGraph([("a", "b"), ("b", "a")]))
    graph = paper_dag()
    graph.nodes["x"]["kind"] = "variable"
    with pytest.raises(ValueError,
                       match=r"^graph's nodes must have a str label and a kind in .*node 'x'"):
        draw_dag(graph)


# --------------------------------------------------------------------------------------------------
# Geometry: no edge through a box, no overlapping boxes, readable text, figure sized to the drawing


def autograd_drawing(make, show_saved=False):
    def draw():
        result = make()
        tensor, names = (result["l"], result) if isinstance(result, dict) else result
        return draw_autograd_graph(tensor, names, show_saved=show_saved)
    return draw


DRAWINGS = {
    "part 1": autograd_drawing(part1_graph),
    "part 1, saved": autograd_drawing(part1_graph, show_saved=True),
    "network": autograd_drawing(network_graph),
    "network, saved": autograd_drawing(network_graph, show_saved=True),
    "diamond": autograd_drawing(diamond_graph),
    "input used twice": autograd_drawing(square_graph),
    "skip edge": autograd_drawing(skip_graph),
    "paper": lambda: draw_dag(paper_dag()),
}


def geometry(ax):
    """After a draw, in display pixels: box extents, text extents and the polylines of each edge's
    drawn path."""
    ax.figure.canvas.draw()
    boxes = [p.get_window_extent() for p in box_patches(ax)]
    texts = [t.get_window_extent() for t in ax.texts]
    edges = [[polygon for polygon in
              p.get_transform().transform_path(p.get_path()).to_polygons(closed_only=False)]
             for p in arrows(ax)]
    return boxes, texts, edges


@pytest.mark.parametrize("name", DRAWINGS)
def test_no_edge_passes_through_a_box(name):
    """No edge's drawn path (line and arrowhead) enters any box: it may only touch its own boxes'
    borders."""
    boxes, _, edges = geometry(DRAWINGS[name]())
    assert edges and boxes
    for polygons, box in itertools.product(edges, boxes):
        inside = box.padded(-1.5)  # pixels: an edge may end on the border
        assert not any(Path(polygon).intersects_bbox(inside, filled=False) for polygon in polygons)


@pytest.mark.parametrize("name", DRAWINGS)
def test_boxes_apart_and_text_readable_inside(name):
    """Boxes do not overlap; every text is >= 10 pt, monospace, and lies inside one box."""
    ax = DRAWINGS[name]()
    boxes, texts, _ = geometry(ax)
    for first, second in itertools.combinations(boxes, 2):
        assert not first.overlaps(second)
    assert all(t.get_fontsize() >= 10 and t.get_fontfamily() == ["monospace"] for t in ax.texts)
    for text in texts:
        assert sum(box.x0 <= text.x0 and text.x1 <= box.x1
                   and box.y0 <= text.y0 and text.y1 <= box.y1 for box in boxes) == 1


@pytest.mark.parametrize("name", DRAWINGS)
def test_figure_sized_to_drawing_with_a_title(name):
    """With a title set, everything drawn lies inside the figure, and the margins are small (at most
    0.5 in left + right beyond the 4 in minimum width, at most 0.6 in top + bottom including the
    title)."""
    ax = DRAWINGS[name]()
    ax.set_title("A title")
    boxes, _, edges = geometry(ax)
    drawing = boxes[0].union(boxes + [Path(p).get_extents()
                                      for polygons in edges for p in polygons])
    figure, dpi = ax.figure.bbox, ax.figure.dpi
    assert figure.x0 <= drawing.x0 and drawing.x1 <= figure.x1 and figure.y0 <= drawing.y0
    assert drawing.y1 <= ax.title.get_window_extent().y0
    assert figure.width / dpi <= max(4.0, drawing.width / dpi + 0.5)
    assert (figure.height - drawing.height) / dpi <= 0.6


def edge_crossings(edges):
    """Pairs of edges whose drawn lines cross (edges at one box leave or enter it at distinct
    points)."""
    lines = [Path(polygons[0]) for polygons in edges]
    return sum(first.intersects_path(second, filled=False)
               for first, second in itertools.combinations(lines, 2))


@pytest.mark.parametrize("name", ["part 1", "diamond", "input used twice", "skip edge", "paper"])
def test_rows_ordered_without_crossings(name):
    """These graphs can be drawn in rows without crossings, and the barycenter sweeps find such an
    order."""
    _, _, edges = geometry(DRAWINGS[name]())
    assert edge_crossings(edges) == 0


# --------------------------------------------------------------------------------------------------
# draw_dag


def test_draw_dag_paper_graph_styles_by_kind():
    """Every node is drawn with its label in a box of its kind's colour; unrecorded nodes and the
    edges touching them are dashed, all others solid."""
    graph = paper_dag()
    ax = draw_dag(graph)
    boxes, texts, _ = geometry(ax)
    drawn = []
    for text, extent in zip(ax.texts, texts, strict=True):
        box = box_patches(ax)[next(i for i, box in enumerate(boxes)
                                   if box.contains(*extent.get_points().mean(0)))]
        drawn.append((text.get_text(), colors.to_hex(box.get_facecolor()),
                      box.get_linestyle() == "--"))
    assert Counter(drawn) == Counter((data["label"], NODE_COLORS[data["kind"]],
                                      data["kind"] == "unrecorded")
                                     for _, data in graph.nodes(data=True))
    dashed = [arrow.get_linestyle() == "--" for arrow in arrows(ax)]
    assert len(dashed) == graph.number_of_edges()
    assert sum(dashed) == sum("unrecorded" in (graph.nodes[u]["kind"], graph.nodes[v]["kind"])
                              for u, v in graph.edges)


def test_unsaved_names_the_constant_a_node_did_not_keep():
    """Part 1's t: SubBackward0 keeps no operand, so only the caller can say what it subtracted."""
    w = torch.tensor(1.0, requires_grad=True)
    a, t = torch.tensor(6.0), torch.tensor(3.0)
    loss = (torch.relu(a * w) - t) ** 2
    plain = dict(autograd_digraph(loss).nodes(data="label"))
    unsaved = {"SubBackward0": "t = 3"}
    named = dict(autograd_digraph(loss, unsaved=unsaved).nodes(data="label"))
    assert unsaved == {"SubBackward0": "t = 3"}  # used up in a copy: the caller's is kept
    changed = {key for key in plain if plain[key] != named[key]}
    assert len(changed) == 1
    (key,) = changed
    assert key[0] == "constant" and key[1].name() == "SubBackward0"
    assert plain[key] == "constant\n(not saved)" and named[key] == "t = 3\n(constant, not saved)"


@pytest.mark.parametrize(("unsaved", "error", "message"), [
    ({"MulBackward0": "a"}, ValueError, r"unsaved must name nodes .* for \['MulBackward0'\]"),
    ({"SubBackward9": "t"}, ValueError, r"no such input for \['SubBackward9'\]"),
    (["SubBackward0"], TypeError, "^unsaved must be a mapping from str to str; got list"),
    ({"SubBackward0": 3}, TypeError, r"^unsaved\['SubBackward0'\] must be a str; got int"),
])
def test_unsaved_rejects_what_it_cannot_place(unsaved, error, message):
    w = torch.tensor(1.0, requires_grad=True)
    loss = (torch.tensor(6.0) * w - torch.tensor(3.0)) ** 2
    with pytest.raises(error, match=message):
        autograd_digraph(loss, unsaved=unsaved)
