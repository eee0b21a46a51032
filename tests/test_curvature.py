"""Tests of curvature.py: Lanczos's largest eigenvalue against numpy on explicit symmetric matrices,
warm starts, the curvature along a direction, and both along training."""


import numpy as np
import pytest
from scipy.sparse.linalg import LinearOperator, eigsh

from lab2 import curvature


def symmetric_matrix(eigenvalues: list[float], seed: int) -> np.ndarray:
    """A random orthogonal change of basis of diag(eigenvalues)."""
    rng = np.random.default_rng(seed)
    basis, _ = np.linalg.qr(rng.standard_normal((len(eigenvalues), len(eigenvalues))))
    return basis @ np.diag(eigenvalues) @ basis.T


class CountingProduct:
    """v -> matrix @ v, counting the products."""

    def __init__(self, matrix: np.ndarray) -> None:
        self.matrix, self.calls = matrix, 0

    def __call__(self, vector: np.ndarray) -> np.ndarray:
        self.calls += 1
        return self.matrix @ vector


@pytest.mark.parametrize("seed", range(4))
def test_top_eigenvalue_matches_numpy(seed):
    rng = np.random.default_rng(seed)
    noise = rng.standard_normal((60, 60))
    matrix = (noise + noise.T) / 2
    value, vector = curvature.top_eigenpair(CountingProduct(matrix), 60, tol=0)
    assert np.isclose(value, np.linalg.eigvalsh(matrix)[-1], rtol=1e-10)
    assert np.isclose(np.linalg.norm(vector), 1) and np.allclose(matrix @ vector, value * vector)


def test_largest_algebraic_not_largest_in_magnitude():
    matrix = symmetric_matrix([-10.0, 3.0, *np.linspace(-2, 1, 38)], seed=1)
    value, _ = curvature.top_eigenpair(CountingProduct(matrix), 40)
    assert np.isclose(value, 3.0, rtol=1e-5)


def test_warm_start_gives_the_same_value_with_fewer_products():
    matrix = symmetric_matrix(list(np.linspace(-3, 20, 200)), seed=2)
    cold = CountingProduct(matrix)
    value, vector = curvature.top_eigenpair(cold, 200)
    warm = CountingProduct(matrix)
    warm_value, _ = curvature.top_eigenpair(warm, 200, start=vector)
    assert np.isclose(warm_value, value, rtol=1e-5) and np.isclose(value, 20.0, rtol=1e-5)
    assert warm.calls < cold.calls


def test_the_default_start_is_the_notebooks_seeded_normal_vector():
    matrix = symmetric_matrix(list(np.linspace(-1, 5, 30)), seed=3)
    operator = LinearOperator((30, 30), matvec=lambda vector: matrix @ vector, dtype=np.float64)
    start = np.random.default_rng(7).standard_normal(30)
    (expected,), expected_vectors = eigsh(operator, k=1, which="LA", v0=start, ncv=3, tol=1e-5)
    value, vector = curvature.top_eigenpair(CountingProduct(matrix), 30, seed=7)
    assert value == expected and np.array_equal(vector, expected_vectors[:, 0])
    assert curvature.top_eigenpair(CountingProduct(matrix), 30, seed=8)[0] != value


def test_curvature_along_a_direction():
    matrix = symmetric_matrix([4.0, 1.0, -2.0], seed=4)
    eigenvalues, eigenvectors = np.linalg.eigh(matrix)
    for eigenvalue, eigenvector in zip(eigenvalues, eigenvectors.T, strict=True):
        assert np.isclose(curvature.curvature_along(CountingProduct(matrix), 3 * eigenvector),
                          eigenvalue)
    direction = np.array([1.0, 2.0, -1.0])
    expected = direction @ matrix @ direction / (direction @ direction)
    assert np.isclose(curvature.curvature_along(CountingProduct(matrix), direction), expected)


def test_along_training_measures_before_every_step_and_after_the_last():
    """Gradient descent on a quadratic ½ xᵀAx: the sharpness is A's top eigenvalue at every step,
    the curvature along the gradient is gᵀAg / gᵀg, and the losses are what the steps return."""
    matrix = np.diag([4.0, 2.0, 1.0, 0.5])
    state = {"x": np.array([1.0, -2.0, 0.5, 3.0])}
    visited = []

    def hvp_at():
        visited.append(state["x"].copy())
        return CountingProduct(matrix), matrix @ state["x"]

    def step():
        loss = 0.5 * state["x"] @ matrix @ state["x"]
        state["x"] = state["x"] - 0.1 * matrix @ state["x"]
        return loss

    measured = curvature.along_training(hvp_at, step, steps=3)
    assert [len(measured[key]) for key in ("loss", "sharpness", "along_gradient")] == [3, 4, 4]
    np.testing.assert_allclose(measured["sharpness"], 4.0, rtol=1e-6)
    gradients = [matrix @ x for x in visited]
    expected = [g @ matrix @ g / (g @ g) for g in gradients]
    np.testing.assert_allclose(measured["along_gradient"], expected, rtol=1e-12)
    np.testing.assert_allclose(measured["loss"], [0.5 * x @ matrix @ x for x in visited[:3]])
