"""Tests of nn_twin: the torch.nn counterpart of the notebook's network."""

import math

import torch

from lab2.nn_twin import (
    _twin_parameters,
    nn_train_step,
    nn_twin,
    same_weights,
    twin_gradients,
    twin_loss,
)


def network(hidden: int = 4, seed: int = 0) -> dict[str, torch.Tensor]:
    """Random parameters of the notebook's shapes, in float64."""
    generator = torch.Generator().manual_seed(seed)
    shapes = {"W1": (hidden, 2), "b1": (hidden,), "W2": (hidden,), "b2": ()}
    return {name: torch.randn(shape, generator=generator, dtype=torch.float64).requires_grad_()
            for name, shape in shapes.items()}


def data(n: int = 30) -> tuple[torch.Tensor, torch.Tensor]:
    generator = torch.Generator().manual_seed(1)
    x = torch.randn(n, 2, generator=generator, dtype=torch.float64)
    y = torch.where(torch.rand(n, generator=generator) < 0.5, -1.0, 1.0).double()
    return x, y


def our_loss(params, x, y):
    scores = torch.relu(x @ params["W1"].T + params["b1"]) @ params["W2"] + params["b2"]
    return torch.log1p(torch.exp(-y * scores)).mean()


def test_twin_holds_the_same_weights_and_gives_the_same_loss_and_gradients():
    params, (x, y) = network(), data()
    twin = nn_twin(params)
    assert same_weights(params, twin, rtol=0, atol=0)
    assert math.isclose(twin_loss(twin, x, y).item(), our_loss(params, x, y).item(), rel_tol=1e-12)
    ours = dict(zip(params, torch.autograd.grad(our_loss(params, x, y), list(params.values())),
                    strict=True))
    theirs = twin_gradients(twin, x, y)
    for name in params:
        assert theirs[name].shape == params[name].shape
        torch.testing.assert_close(theirs[name], ours[name], rtol=1e-10, atol=1e-12)


def test_twin_parameters_are_named_as_the_network():
    twin = nn_twin(network(hidden=3))
    shapes = {name: tuple(p.shape) for name, p in _twin_parameters(twin).items()}
    assert shapes == {"W1": (3, 2), "b1": (3,), "W2": (1, 3), "b2": (1,)}


def test_nn_train_step_is_plain_gradient_descent():
    params, (x, y) = network(), data()
    twin = nn_twin(params)
    optimizer = torch.optim.SGD(twin.parameters(), lr=0.1)
    before = nn_train_step(twin, optimizer, x, y)
    assert math.isclose(before.item(), our_loss(params, x, y).item(), rel_tol=1e-12)
    gradients = torch.autograd.grad(our_loss(params, x, y), list(params.values()))
    stepped = {name: value.detach() - 0.1 * gradient
               for (name, value), gradient in zip(params.items(), gradients, strict=True)}
    assert same_weights(stepped, twin, rtol=1e-12, atol=1e-14)
    assert not same_weights(params, twin, rtol=1e-12, atol=1e-14)
