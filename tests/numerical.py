"""Independent oracles shared by the tests."""

import numpy as np


def central_difference(function, x, step=1e-6):
    """(f(x + h) − f(x − h)) / 2h, elementwise: error O(h²) plus rounding O(ε/h)."""
    x = np.asarray(x, dtype=float)
    return (function(x + step) - function(x - step)) / (2 * step)


def assert_parameter_gradients(network, cost, grad_w, grad_b, stride=1, step=1e-6, atol=2e-7):
    """Compare back-propagated gradients with central differences of ``cost()``, perturbing
    every ``stride``-th entry of every weight matrix and bias vector in place."""
    for layer in range(len(network.weights)):
        for parameters, gradient in ((network.weights, grad_w), (network.biases, grad_b)):
            flat = parameters[layer].reshape(-1)
            for index in range(0, flat.size, stride):
                original = flat[index]
                flat[index] = original + step
                plus = cost()
                flat[index] = original - step
                minus = cost()
                flat[index] = original
                numeric = (plus - minus) / (2 * step)
                assert abs(gradient[layer].reshape(-1)[index] - numeric) <= atol, \
                    (layer, index, gradient[layer].reshape(-1)[index], numeric)
