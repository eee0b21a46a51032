"""The lab's two-layer network rebuilt from torch.nn and trained with torch.optim: a cross-check of
the hand-written network and the library side of the notebook's speed comparison."""

from __future__ import annotations

from collections.abc import Mapping

import torch

__all__ = ["nn_train_step", "nn_twin", "same_weights", "twin_gradients", "twin_loss"]

PARAMETERS = ("W1", "b1", "W2", "b2")


def nn_twin(params: Mapping[str, torch.Tensor]) -> torch.nn.Sequential:
    """An nn.Sequential (Linear, ReLU, Linear) holding copies of the network's four weights."""
    first = params["W1"]
    hidden_size, input_size = first.shape
    twin = torch.nn.Sequential(torch.nn.Linear(input_size, hidden_size), torch.nn.ReLU(),
                               torch.nn.Linear(hidden_size, 1)).to(first.device, first.dtype)
    with torch.no_grad():
        for name, parameter in _twin_parameters(twin).items():
            parameter.copy_(params[name].reshape(parameter.shape))
    return twin


def _twin_parameters(twin: torch.nn.Sequential) -> dict[str, torch.nn.Parameter]:
    """The twin's four parameters under the network's names (W2 is [1, h], b2 is [1] there)."""
    return dict(zip(PARAMETERS, twin.parameters(), strict=True))


def twin_loss(twin: torch.nn.Sequential, x: torch.Tensor, y: torch.Tensor) -> torch.Tensor:
    """PyTorch's own logistic loss on the twin's scores, labels mapped from {-1, +1} to {0, 1}."""
    return torch.nn.functional.binary_cross_entropy_with_logits(twin(x).squeeze(1), (y + 1) / 2)


def twin_gradients(twin: torch.nn.Sequential, x: torch.Tensor,
                   y: torch.Tensor) -> dict[str, torch.Tensor]:
    """The gradient of twin_loss in each parameter, shaped as the network's own parameters."""
    parameters = _twin_parameters(twin)
    gradients = torch.autograd.grad(twin_loss(twin, x, y), list(parameters.values()))
    shapes = {"W1": parameters["W1"].shape, "b1": parameters["b1"].shape,
              "W2": parameters["W2"].shape[1:], "b2": ()}
    return {name: gradient.reshape(shapes[name])
            for name, gradient in zip(parameters, gradients, strict=True)}


def nn_train_step(twin: torch.nn.Sequential, optimizer: torch.optim.Optimizer, x: torch.Tensor,
                  y: torch.Tensor) -> torch.Tensor:
    """One gradient-descent step the library way; returns the loss before the step."""
    optimizer.zero_grad()
    value = twin_loss(twin, x, y)
    value.backward()
    optimizer.step()
    return value.detach()


def same_weights(params: Mapping[str, torch.Tensor], twin: torch.nn.Sequential, *,
                 rtol: float = 1e-4, atol: float = 1e-6) -> bool:
    """Whether the network and the twin hold the same four weights (to the tolerances)."""
    return all(torch.allclose(params[name], weight.reshape(params[name].shape), rtol=rtol,
                              atol=atol) for name, weight in _twin_parameters(twin).items())

