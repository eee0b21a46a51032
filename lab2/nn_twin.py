"""The lab's two-layer network rebuilt from torch.nn and trained with torch.optim: a cross-check of
the hand-written network (the same loss and gradients) and the library side of the notebook's
speed comparison. The notebook's own network uses neither.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import torch

PARAMETERS = ("W1", "b1", "W2", "b2")


def nn_twin(params: Mapping[str, torch.Tensor]) -> torch.nn.Sequential:
    """An nn.Sequential (Linear, ReLU, Linear) holding copies of the network's four weights."""
    first = check_params(params)["W1"]
    hidden_size, input_size = first.shape
    twin = torch.nn.Sequential(torch.nn.Linear(input_size, hidden_size), torch.nn.ReLU(),
                               torch.nn.Linear(hidden_size, 1)).to(first.device, first.dtype)
    with torch.no_grad():
        for name, parameter in twin_parameters(twin).items():
            parameter.copy_(params[name].reshape(parameter.shape))
    return twin


def twin_parameters(twin: torch.nn.Sequential) -> dict[str, torch.nn.Parameter]:
    """The twin's four parameters under the network's names (W2 is [1, h], b2 is [1] there)."""
    if not isinstance(twin, torch.nn.Sequential) or len(list(twin.parameters())) != 4:
        raise TypeError(f"twin must be an nn.Sequential made by nn_twin; got {type(twin).__name__}")
    return dict(zip(PARAMETERS, twin.parameters(), strict=True))


def twin_loss(twin: torch.nn.Sequential, x: torch.Tensor, y: torch.Tensor) -> torch.Tensor:
    """PyTorch's own logistic loss on the twin's scores, labels mapped from {-1, +1} to {0, 1}."""
    return torch.nn.functional.binary_cross_entropy_with_logits(twin(x).squeeze(1), (y + 1) / 2)


def twin_gradients(twin: torch.nn.Sequential, x: torch.Tensor,
                   y: torch.Tensor) -> dict[str, torch.Tensor]:
    """The gradient of twin_loss in each parameter, shaped as the network's own parameters."""
    parameters = twin_parameters(twin)
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
                              atol=atol) for name, weight in twin_parameters(twin).items())


def check_params(params: Any) -> Mapping[str, torch.Tensor]:
    """``params`` as the network's parameter dict (W1 [h, d], b1 [h], W2 [h], b2 []), else raise."""
    if not isinstance(params, Mapping) or set(params) != set(PARAMETERS):
        given = sorted(params) if isinstance(params, Mapping) else type(params).__name__
        raise TypeError(f"params must be a dict with the keys {list(PARAMETERS)}; got {given}")
    for name in PARAMETERS:
        if not torch.is_tensor(params[name]):
            raise TypeError(f"params[{name!r}] must be a torch.Tensor; "
                            f"got {type(params[name]).__name__}")
    shapes = {name: tuple(params[name].shape) for name in PARAMETERS}
    hidden = shapes["W1"][:1]
    expected = {"b1": hidden, "W2": hidden, "b2": ()}
    if len(shapes["W1"]) != 2 or any(shapes[name] != expected[name] for name in expected):
        raise ValueError(f"params must have shapes W1 [h, d], b1 [h], W2 [h], b2 []; got {shapes}")
    return params
