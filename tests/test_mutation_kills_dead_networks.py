"""Tests that kill surviving mutants of snippets/core/dead_networks.py (issue 20): each against
an independent oracle."""

import math

import numpy as np
import pytest

from snippets.core import dead_networks, validation

# ---------------------------------------------------------------------------- inactive_share


def test_inactive_share_counts_a_unit_at_exactly_zero_as_inactive():
    # Hand count: units 0 (0, −1) and 1 (0, 0) are ≤ 0 on both examples, unit 2 is not: 2/3.
    z = np.array([[0.0, 0.0, 1.0],
                  [-1.0, 0.0, -2.0]])
    assert dead_networks.inactive_share([z]) == 2 / 3


def test_inactive_share_gives_one_share_per_stacked_network_over_all_its_layers():
    # Hand count over 3 units per network: network 0 has both units of the first layer
    # inactive and the unit of the second active (2/3); network 1 only the second layer's (1/3).
    first = np.array([[[-1.0, 0.0], [-2.0, -1.0]],
                      [[1.0, -1.0], [-1.0, 2.0]]])
    second = np.array([[[3.0], [-1.0]],
                       [[-1.0], [-5.0]]])
    shares = dead_networks.inactive_share([first, second])
    assert isinstance(shares, np.ndarray) and shares.tolist() == [2 / 3, 1 / 3]


def test_inactive_share_of_one_network_is_a_python_float():
    # Hand count: one unit of two is ≤ 0 everywhere; one network gives a plain float, 1/2.
    share = dead_networks.inactive_share([np.array([[-1.0, 1.0], [-1.0, -1.0]])])
    assert isinstance(share, float) and share == 0.5


def test_inactive_share_refuses_an_empty_list_naming_the_shapes_it_accepts():
    # The message names the parameter and the two array shapes it accepts.
    with pytest.raises(ValueError, match=r"^pre_activations must be a non-empty list of arrays "
                                         r"\(examples, units\) or \(networks, examples, units\)$"):
        dead_networks.inactive_share([])


# ------------------------------------------------------------------------------ sample_layer


def test_sample_layer_accepts_width_one_and_refuses_width_zero_by_name():
    # Boundary: the smallest width, 1, is accepted; 0 is refused, naming width and [1, 100000].
    weights, biases = dead_networks.sample_layer(np.random.default_rng(0), 1, 1, 1, "rai")
    assert weights.shape == (1, 1, 1) and biases.shape == (1, 1, 1)
    with pytest.raises(ValueError, match=r"width must lie in \[1, 100000\]"):
        dead_networks.sample_layer(np.random.default_rng(0), 1, 1, 0, "rai")


@pytest.mark.parametrize("init", ["he", "rai"])
def test_sample_layer_element_budget_is_three_arrays_of_the_parameters_at_its_exact_edge(
        monkeypatch, init):
    # Oracle: the stated budget 3 × count × (fan_in + 1) × width = 3 × 2 × 3 × 3 = 54 entries.
    # With the bound lowered to 54 the call passes; at 53 it is one entry over and refused.
    monkeypatch.setattr(dead_networks, "MAX_ELEMENTS", 54)
    weights, biases = dead_networks.sample_layer(np.random.default_rng(0), 2, 2, 3, init)
    assert weights.shape == (2, 2, 3) and biases.shape == (2, 1, 3)
    monkeypatch.setattr(dead_networks, "MAX_ELEMENTS", 53)
    with pytest.raises(ValueError, match=r"^3 × count × \(fan_in \+ 1\) × width must be at most"):
        dead_networks.sample_layer(np.random.default_rng(0), 2, 2, 3, init)


def _within(estimate, expected, error, sigmas=4.5):
    return abs(estimate - expected) <= sigmas * error


def test_rai_symmetric_weights_share_the_second_moment_left_after_the_beta_draw():
    # Closed forms: ξ ~ Beta(2, 1) has E[ξ²] = 2·3/(3·4) = 1/2, so the fan_in symmetric weights
    # get σ² = (2 − 1/2)/fan_in. Every negative weight is one of them, and for a centred normal
    # E[w² | w < 0] = σ². Margin: 4.5 standard errors of the sample mean.
    fan_in = 4
    weights, _ = dead_networks.sample_layer(np.random.default_rng(3), 4000, fan_in, 5, "rai")
    negative = weights[weights < 0.0]
    squares = negative ** 2
    assert _within(squares.mean(), (2.0 - 0.5) / fan_in,
                   squares.std(ddof=1) / math.sqrt(squares.size))


def test_rai_symmetric_weights_are_centred():
    # Closed form: a weight is negative only when it is a symmetric draw (probability
    # fan_in/(fan_in + 1)) that falls below 0 (probability 1/2): 2/5 for fan_in = 4.
    fan_in = 4
    weights, _ = dead_networks.sample_layer(np.random.default_rng(4), 4000, fan_in, 5, "rai")
    share = np.mean(weights < 0.0)
    p = fan_in / (fan_in + 1) / 2
    assert _within(share, p, math.sqrt(p * (1 - p) / weights.size))


def test_rai_draws_the_positive_parameter_at_a_uniform_position_among_weights_and_bias():
    # Closed forms for fan_in = 2, each of the 3 positions chosen with probability 1/3: the
    # bias is non-zero with probability 1/3, and each weight is positive with probability
    # 1/3 + 2/3 · 1/2 = 2/3. Margin: 4.5 binomial standard errors.
    count, width = 2000, 10
    weights, biases = dead_networks.sample_layer(np.random.default_rng(5), count, 2, width, "rai")
    units = count * width
    for share, p in ((np.mean(biases != 0.0), 1 / 3),
                     (np.mean(weights[:, 0, :] > 0.0), 2 / 3),
                     (np.mean(weights[:, 1, :] > 0.0), 2 / 3)):
        assert _within(share, p, math.sqrt(p * (1 - p) / units))


def test_rai_draws_one_beta_value_per_unit_and_a_fresh_one_for_every_unit():
    # Continuous laws: in a unit no two parameters coincide, and the Beta draws of different
    # units differ; a non-zero bias is the unit's Beta(2, 1) draw, in (0, 1), of mean 2/3 and
    # variance 2·1/(3²·4) = 1/18.
    weights, biases = dead_networks.sample_layer(np.random.default_rng(6), 500, 1, 20, "rai")
    assert not np.any(weights[:, 0, :] == biases[:, 0, :])
    drawn = biases[biases != 0.0]
    assert drawn.size > 100 and np.unique(drawn).size == drawn.size
    assert np.all((drawn > 0.0) & (drawn < 1.0))
    assert _within(drawn.mean(), 2 / 3, math.sqrt(1 / 18 / drawn.size))
    # A unit whose bias is 0 had its weight drawn from Beta(2, 1): positive and below 1.
    chosen_weight = weights[:, 0, :][biases[:, 0, :] == 0.0]
    assert np.all((chosen_weight > 0.0) & (chosen_weight < 1.0))


# --------------------------------------------------------------------------- born_dead_share


def _born_dead_by_hand(rng, width, depth, trials, init, grid, batch):
    """Second implementation: the same layers drawn batch by batch from sample_layer (so the
    generator is shared), each network then evaluated alone at each grid point with Python
    loops; it is born dead when its last layer takes one value on the whole grid."""
    xs = [(2 * i - (grid - 1)) / (grid - 1) for i in range(grid)]
    dead = dead_at_one = 0
    done = 0
    while done < trials:
        count = min(batch, trials - done)
        layers, fan_in = [], 1
        for _ in range(depth):
            layers.append(dead_networks.sample_layer(rng, count, fan_in, width, init))
            fan_in = width
        for k in range(count):
            outputs = []
            for x in xs:
                a = [x]
                for w, b in layers:
                    a = [max(sum(a[i] * float(w[k, i, j]) for i in range(len(a)))
                             + float(b[k, 0, j]), 0.0) for j in range(width)]
                outputs.append(a)
            dead += all(out == outputs[0] for out in outputs)
            dead_at_one += all(value == 0.0 for value in outputs[-1])
        done += count
    return dead, dead_at_one


@pytest.mark.parametrize("init, width, depth, grid", [("rai", 2, 6, 5), ("rai", 2, 10, 2),
                                                      ("rai", 2, 10, 5), ("he", 2, 3, 3)])
def test_born_dead_share_counts_match_a_network_by_network_evaluation(init, width, depth, grid):
    # Oracle: _born_dead_by_hand, on the same random numbers, over several batches (the last
    # one partial).
    trials, batch = 250, 100
    counts = dead_networks.born_dead_share(np.random.default_rng(11), width, depth, trials,
                                           init, grid=grid, batch=batch)
    expected = _born_dead_by_hand(np.random.default_rng(11), width, depth, trials, init,
                                  grid, batch)
    assert counts == expected
    assert 0 < expected[0] < trials and 0 < expected[1] < trials  # both counts can go wrong


def test_born_dead_share_of_one_he_unit_on_one_layer_is_never_dead():
    # Hand count: with zero bias relu(w x) on a grid of both signs is constant only for w = 0
    # (probability 0), and dead at x = 1 exactly when w < 0; w ~ N(0, 2) is the first draw.
    trials = 200
    dead, dead_at_one = dead_networks.born_dead_share(np.random.default_rng(2), 1, 1, trials,
                                                      "he")
    w = np.random.default_rng(2).normal(0.0, math.sqrt(2.0), size=trials)
    assert dead == 0 and dead_at_one == int(np.sum(w < 0.0))


def test_born_dead_share_accepts_the_smallest_sizes_and_refuses_below_them_by_name():
    # Boundary: width, depth, trials and batch of 1 are accepted; 0 is refused by name.
    # At width 1, depth 1 (He) the hand count of the previous test applies, batch by batch.
    for trials in (1, 3):
        counts = dead_networks.born_dead_share(np.random.default_rng(9), 1, 1, trials, batch=1)
        w = np.random.default_rng(9).normal(0.0, math.sqrt(2.0), size=trials)
        assert counts == (0, int(np.sum(w < 0.0)))
    rng = np.random.default_rng(0)
    for name, arguments in (("width", (0, 1, 1, "he", 64, 1)), ("depth", (1, 0, 1, "he", 64, 1)),
                            ("trials", (1, 1, 0, "he", 64, 1)), ("batch", (1, 1, 1, "he", 64, 0))):
        with pytest.raises(ValueError, match=rf"^{name} must lie in \[1, "):
            dead_networks.born_dead_share(rng, *arguments)


def test_born_dead_share_refuses_widths_and_trials_beyond_their_bounds_by_name():
    # Boundary: width must lie in [1, 100000] and trials in [1, 100000000]; one beyond either
    # end is refused with that range, before any budget.
    rng = np.random.default_rng(0)
    for width in (-1, 100_001):
        with pytest.raises(ValueError, match=r"^width must lie in \[1, 100000\]"):
            dead_networks.born_dead_share(rng, width, 1, 1)
    with pytest.raises(ValueError, match=r"^trials must lie in \[1, 100000000\]"):
        dead_networks.born_dead_share(rng, 100, 1, 100_000_001)


def test_born_dead_share_element_budget_at_its_edge_with_the_default_grid_64_and_batch_2000(
        monkeypatch):
    # Oracle: the stated budget 3 × batch × width × (grid + width + 1) with the documented
    # defaults grid = 64, batch = 2000, width = 2: 3 · 2000 · 2 · 67 = 804000 entries.
    monkeypatch.setattr(dead_networks, "MAX_ELEMENTS", 3 * 2000 * 2 * (64 + 2 + 1))
    dead_networks.born_dead_share(np.random.default_rng(0), 2, 1, 3)
    monkeypatch.setattr(dead_networks, "MAX_ELEMENTS", 3 * 2000 * 2 * (64 + 2 + 1) - 1)
    with pytest.raises(ValueError, match=r"^3 × batch × width × \(grid \+ width \+ 1\) of batch, "
                                         r"grid and width must be at most"):
        dead_networks.born_dead_share(np.random.default_rng(0), 2, 1, 3)


def test_born_dead_share_operation_budget_at_its_exact_edge(monkeypatch):
    # Oracle: the stated budget trials × depth × width² × (2 grid + 20) + ⌈trials/batch⌉ × depth
    # × STEP_COST for trials 3, depth 2, width 2, grid 2, batch 2: 576 + 2 · 2 · 10⁵.
    budget = 3 * 2 * 2 ** 2 * (2 * 2 + 20) + 2 * 2 * validation.STEP_COST
    assert budget == 400_576
    monkeypatch.setattr(dead_networks, "MAX_OPERATIONS", budget)
    dead_networks.born_dead_share(np.random.default_rng(0), 2, 2, 3, grid=2, batch=2)
    monkeypatch.setattr(dead_networks, "MAX_OPERATIONS", budget - 1)
    with pytest.raises(ValueError, match=r"^trials × depth × width² × \(2 × grid \+ 20\) of "
                                         r"trials, depth, width and grid, plus STEP_COST per "
                                         r"layer of each batch must be at most"):
        dead_networks.born_dead_share(np.random.default_rng(0), 2, 2, 3, grid=2, batch=2)


# ------------------------------------------------------------------------------- rai_network


def test_rai_network_element_budget_is_three_times_its_parameters_at_its_exact_edge(monkeypatch):
    # Oracle: sizes 2–3–2 have (2 + 1)·3 + (3 + 1)·2 = 17 parameters; the budget 3 × 17 = 51
    # passes at a bound of 51 and is refused at 50.
    monkeypatch.setattr(dead_networks, "MAX_ELEMENTS", 51)
    network = dead_networks.rai_network(np.random.default_rng(0), [2, 3, 2])
    assert network.sizes == [2, 3, 2]
    monkeypatch.setattr(dead_networks, "MAX_ELEMENTS", 50)
    with pytest.raises(ValueError, match=r"^3 × the parameters \(n_0 \+ 1\) n_1 \+ … \+ "
                                         r"\(n_\{L−1\} \+ 1\) n_L of sizes must be at most"):
        dead_networks.rai_network(np.random.default_rng(0), [2, 3, 2])


def test_rai_network_takes_a_sigmoid_output():
    # Documented choices: "sigmoid" and "softmax".
    network = dead_networks.rai_network(np.random.default_rng(0), [2, 3, 2], output="sigmoid")
    assert network.output == "sigmoid" and network.hidden == "relu"


def test_rai_network_uses_he_with_zero_bias_on_the_output_layer_and_rai_below():
    # Docstring: the output layer is He with zero bias, so all 60 output biases are exactly 0
    # (under RAI each would be non-zero with probability 1/3). The first hidden layer (fan_in
    # 1) is RAI: each bias is 0 or a Beta(2, 1) draw in (0, 1), non-zero with probability 1/2.
    network = dead_networks.rai_network(np.random.default_rng(7), [1, 50, 2, 60])
    assert np.all(network.biases[-1] == 0.0)
    first = network.biases[0]
    assert np.any(first != 0.0) and np.all((first >= 0.0) & (first < 1.0))
    # He's law N(0, 2/fan_in) for the 120 output weights: negative about half of the time.
    assert 30 < np.sum(network.weights[-1] < 0.0) < 90


def test_rai_network_draws_one_layer_at_a_time_from_the_generator():
    # Oracle: the layers sample_layer draws one by one, count 1, from the same seed.
    network = dead_networks.rai_network(np.random.default_rng(8), [3, 4, 5, 2])
    rng = np.random.default_rng(8)
    for layer, (fan_in, width, init) in enumerate(((3, 4, "rai"), (4, 5, "rai"), (5, 2, "he"))):
        w, b = dead_networks.sample_layer(rng, 1, fan_in, width, init)
        assert np.array_equal(network.weights[layer], w[0])
        assert np.array_equal(network.biases[layer], b[0, 0])


def test_rai_units_have_the_squared_norm_the_docstring_states_below_hes_two_when_narrow():
    # Closed form from the construction: each of the fan_in + 1 positions is the Beta draw
    # (E[ξ²] = 1/2) with probability 1/(fan_in + 1), otherwise a weight N(0, 1.5/fan_in) or the
    # zero bias: E‖(w, b)‖² = (2 fan_in + 1/2)/(fan_in + 1) — 1.25 at fan_in = 1, not He's 2.
    # Margin: 4.5 standard errors of the sample mean.
    for fan_in in (1, 3):
        weights, biases = dead_networks.sample_layer(np.random.default_rng(fan_in), 20000,
                                                     fan_in, 4, "rai")
        norms = (weights ** 2).sum(axis=1) + (biases ** 2).sum(axis=1)
        assert _within(norms.mean(), (2 * fan_in + 0.5) / (fan_in + 1),
                       norms.std(ddof=1) / math.sqrt(norms.size))
        assert norms.mean() < 2.0 - 0.1
