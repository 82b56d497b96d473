"""Chapter 1's claims about what ReLU costs, decided on the code and on the recorded
measurement (snippets/experiments/why_relu_works/activation_cost_measured.py), never on a
timing taken during the test."""

import numpy as np
import pytest

from snippets.core import activations
from snippets.experiments.why_relu_works import activation_cost_measured as record


class ExponentialCalled(AssertionError):
    pass


def _no_exponential(*args, **kwargs):
    raise ExponentialCalled("numpy.exp was called")


def test_relu_computes_no_exponential_and_the_sigmoid_does(monkeypatch):
    """numpy's exp is replaced by a function that raises: ReLU and its derivative still run,
    the sigmoid does not (the control: the patch does reach the activations module)."""
    z = np.linspace(-5, 5, 101)
    monkeypatch.setattr(np, "exp", _no_exponential)
    assert np.array_equal(activations.relu(z), np.where(z > 0, z, 0.0))
    activations.relu_derivative(z)
    with pytest.raises(ExponentialCalled):
        activations.sigmoid(z)


def _quartiles(values):
    return np.quantile(values, [0.25, 0.5, 0.75])


def test_recorded_relu_is_cheaper_than_every_exponential_sigmoid():
    """On the recorded rounds ReLU's interquartile range lies below the sigmoid's (both
    forms), with medians more than 10 % apart — the page's rule for saying "cheaper";
    against numpy's tanh it is not told apart, which the nuance says."""
    relu = _quartiles(record.SAMPLES["ReLU, max(0, z)"])
    for name in ("sigmoid, 1/(1+exp(−z))", "sigmoid, overflow-safe form"):
        sigmoid = _quartiles(record.SAMPLES[name])
        assert relu[2] < sigmoid[0] and sigmoid[1] >= 1.1 * relu[1], name
    tanh = _quartiles(record.SAMPLES["tanh (numpy)"])
    assert not relu[2] < tanh[0]
