"""The first lab's API: a student's script written against it runs unchanged on G2Model.

The script is run in a fresh interpreter, as a student would run it: it seeds numpy's global
generator, draws samples, trains the first lab's least-squares network (a predictor object with
score, classify, name and hidden_size), reports its errors with ``test_error``, plots it with
``plot_boundary`` and rebuilds the class scores from ``K``, ``priors``, ``cls[c].mus`` and
``Sigma`` as the first lab's template did. It prints what it found as JSON; the tests check it.
"""

import json
import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest

ROOT = Path(__file__).resolve().parents[1]

STUDENT_SCRIPT = r'''
import json

import matplotlib
matplotlib.use("Agg")
import matplotlib.pyplot as plt
import numpy as np
import scipy.special
import scipy.stats

from g2model import G2Model


class MyNet:
    """The first lab's network: a random tanh lifting, then least squares."""

    def __init__(self, input_size, hidden_size):
        self.hidden_size = hidden_size
        self.name = f"test-net-{hidden_size}"
        self.W1 = np.random.rand(hidden_size, input_size) * 2 - 1
        self.W1 /= np.linalg.norm(self.W1, axis=1).reshape(hidden_size, 1)
        self.b1 = (np.random.rand(hidden_size) * 2 - 1) * 2
        self.theta = None

    def lift(self, x):
        psi = np.tanh((x @ self.W1.T + self.b1[np.newaxis, :]) * 5)
        return np.hstack([psi, np.ones((x.shape[0], 1))])

    def score(self, x):
        return self.lift(x) @ self.theta

    def classify(self, x):
        return np.sign(self.score(x))

    def train(self, train_data, lambda_reg=1e-5):
        x, y = train_data
        psi = self.lift(x)
        self.theta = np.linalg.inv(psi.T @ psi + lambda_reg * np.eye(psi.shape[1])) @ psi.T @ y


def score_class_by_hand(G, c, x):
    """The first lab's template: log-sum-exp of the components' log-densities, plus log 1/K and
    the log prior of class index c."""
    S = np.stack([scipy.stats.multivariate_normal(G.cls[c].mus[k, :], G.Sigma).logpdf(x)
                  for k in range(G.K)], axis=1)
    return scipy.special.logsumexp(S, axis=1) + np.log(1.0 / G.K) + np.log(G.priors[c])


G = G2Model()
np.random.seed(1)
train_data = G.generate_sample(40)
test_data = G.generate_sample(2000)
net = MyNet(2, 40)
net.train(train_data)
train_error = G.test_error(net, train_data)
test_error = G.test_error(net, test_data)
G.plot_boundary(train_data, net, train_error=train_error, test_error=test_error,
                title=f"{net.name}, seed 1")
ax = plt.gca()

np.random.seed(1)
again = G.generate_sample(40)
x_test, y_test = test_data
by_index = [G.score_class(c, x_test) for c in range(2)]
by_label = [G.score_class(c, x_test) for c in (-1, 1)]
print(json.dumps({
    "K": G.K, "priors": np.asarray(G.priors).tolist(), "Sigma": np.asarray(G.Sigma).tolist(),
    "name": G.name,
    "mus": {str(c): np.asarray(G.cls[c].mus).tolist() for c in (-1, 0, 1)},
    "train": [train_data[0].tolist(), train_data[1].tolist()],
    "again": [again[0].tolist(), again[1].tolist()],
    "test_labels": np.unique(y_test, return_counts=True)[1].tolist(),
    "errors": [train_error, test_error],
    "errors_by_hand": [float(np.mean(net.classify(x) != y)) for x, y in (train_data, test_data)],
    "bayes_error": G.test_error(G, test_data),
    "score_class_gap": max(float(np.max(np.abs(by_index[c] - score_class_by_hand(G, c, x_test))))
                           for c in range(2)),
    "labels_match_indices": all(np.array_equal(a, b) for a, b in zip(by_index, by_label)),
    "odds_gap": float(np.max(np.abs(by_index[1] - by_index[0] - G.score(x_test)))),
    "title": ax.get_title(),
    "contours": len([c for c in ax.collections if type(c).__name__ == "QuadContourSet"]),
}))
'''


@pytest.fixture(scope="module")
def report():
    """What the student's script found, run in a fresh interpreter from the repository's root."""
    done = subprocess.run([sys.executable, "-c", STUDENT_SCRIPT], cwd=ROOT, capture_output=True,
                          text=True, timeout=120, check=False)
    assert done.returncode == 0, done.stderr
    return json.loads(done.stdout)


def test_model_attributes_are_the_first_labs(report):
    """K = 3, equal priors, covariance I/20, the component means by label and by class index."""
    assert report["K"] == 3
    assert report["priors"] == [0.5, 0.5]
    np.testing.assert_array_equal(report["Sigma"], np.eye(2) / 20)
    assert report["mus"]["-1"] == report["mus"]["0"] == [[-1, -1], [-1, 0], [0, 0]]
    assert report["mus"]["1"] == [[0, 1], [0, -1], [1, 0]]
    assert isinstance(report["name"], str) and report["name"]


def test_seeded_global_state_repeats_the_sample(report):
    """np.random.seed(1) then generate_sample(40) twice gives the same 40 labelled points, half of
    each label; the test set too has half of each."""
    assert report["train"] == report["again"]
    x, y = np.array(report["train"][0]), np.array(report["train"][1])
    assert x.shape == (40, 2) and sorted(set(y.tolist())) == [-1, 1] and (y == 1).sum() == 20
    assert report["test_labels"] == [1000, 1000]


def test_test_error_counts_the_networks_mistakes(report):
    """test_error is the fraction misclassified, as counted by hand; the least-squares network
    does worse on the test set than the Bayes classifier, which errs on about 1.7 %."""
    assert report["errors"] == report["errors_by_hand"]
    assert 0.005 < report["bayes_error"] < 0.04
    assert report["errors"][1] > report["bayes_error"]


def test_score_class_is_the_first_labs_class_score(report):
    """score_class(c, x) for the class index c = 0, 1 is the first lab's log p(x, c) (to
    round-off), the labels -1, +1 give the same, and the two differ by the log-odds score."""
    assert report["score_class_gap"] < 1e-9
    assert report["labels_match_indices"]
    assert report["odds_gap"] < 1e-9


def test_plot_boundary_draws_both_boundaries_under_the_given_title(report):
    """plot_boundary takes the first lab's arguments and title=: the title carries it, N, the
    hidden size and both error rates in percent; the Bayes and network boundaries are drawn."""
    title = report["title"]
    train_error, test_error = report["errors"]
    assert title.splitlines()[0] == "test-net-40, seed 1"
    for fact in ("N = 40", "hidden size = 40", f"train error {100 * train_error:.2f}%",
                 f"test error {100 * test_error:.2f}%"):
        assert fact in title
    assert report["contours"] == 2
