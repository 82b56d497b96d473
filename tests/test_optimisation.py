import math

import numpy as np
import pytest

from snippets.core import optimisation as opt

START = np.array([-1.8, 0.9])


@pytest.mark.parametrize("kappa", [1.0, 4.0, 25.0, 100.0])
def test_iterated_steps_match_the_closed_form_rate(kappa):
    curvatures = np.array([1.0, kappa])
    rate = opt.best_learning_rate(curvatures)
    counted = opt.steps_to_tolerance(curvatures, START, rate, 1e-6)
    # At η* both coordinates contract by ρ = (κ − 1)/(κ + 1), so J_k = ρ^{2k} J_0 exactly.
    rho = (kappa - 1) / (kappa + 1)
    expected = 1 if rho == 0 else math.ceil(math.log(1e-6) / (2 * math.log(rho)))
    assert counted == expected == opt.predicted_steps(curvatures, 1e-6)


def test_steps_follow_the_condition_number_not_the_gradient_size():
    steep, elongated = np.array([1.0, 1.0]), np.array([1.0, 25.0])
    flat = steep / 25  # every gradient 25 times smaller
    fixed = opt.best_learning_rate(steep)
    # With the step that suited the steep bowl, the flat bowl is slow …
    slow = opt.steps_to_tolerance(flat, START, fixed)
    assert slow > 100
    # … its coordinates contract by exactly 1 − η λ = 1 − 1/25 per step:
    assert slow == math.ceil(math.log(1e-6) / (2 * math.log(1 - 1 / 25)))
    # … but its own best step, 25 = 2/(1/25 + 1/25) and so far above 1, cures it, while the
    # elongated bowl stays slow at its best step.
    assert opt.best_learning_rate(flat) == pytest.approx(25.0, rel=1e-12)
    assert opt.steps_to_tolerance(flat, START, opt.best_learning_rate(flat)) == 1
    assert opt.steps_to_tolerance(elongated, START, opt.best_learning_rate(elongated)) > 50
    # Scaling every curvature leaves the condition number, hence the count at η*, unchanged.
    for scale in (1e-3, 1.0, 1e3):
        curvatures = scale * elongated
        assert opt.steps_to_tolerance(curvatures, START, opt.best_learning_rate(curvatures)) == \
            opt.steps_to_tolerance(elongated, START, opt.best_learning_rate(elongated))


def test_path_is_the_iterated_update():
    curvatures, rate = np.array([0.5, 3.0]), 0.3
    path = opt.gradient_descent_path(curvatures, START, rate, 20)
    theta = START.copy()
    for step in range(1, 21):
        theta = theta - rate * curvatures * theta  # ∇J(θ) = λ ⊙ θ
        np.testing.assert_allclose(path[step], theta, rtol=1e-12)


def test_too_large_a_step_never_converges():
    curvatures = np.array([1.0, 25.0])
    # Oracle: the closed-form stability bound η λ_max < 2. Just above it, never; just below, yes.
    assert opt.steps_to_tolerance(curvatures, START, 2.1 / 25, max_steps=2000) is None
    assert opt.steps_to_tolerance(curvatures, START, 1.9 / 25, max_steps=2000) is not None


def test_small_steps_stay_in_the_basin_they_start_in_and_end_at_its_local_minimum():
    # Oracle: the stationary points of J(θ) = (θ² − 1)² + tilt·θ, the roots of the cubic
    # J′(θ) = 4θ³ − 4θ + tilt (numpy's companion-matrix roots, not the iteration): two minima
    # and, between them, the maximum that separates their basins.
    from snippets.experiments.vanishing_gradient_problem import double_well

    tilt = double_well.TILT
    low, peak, high = np.sort(np.roots([4.0, 0.0, -4.0, tilt]).real)

    def cost(theta):
        return (theta ** 2 - 1) ** 2 + tilt * theta

    assert cost(low) < cost(high)                 # the minimum near +1 is only local
    assert double_well.START > peak               # the start lies in its basin
    runs = double_well.double_well_runs()
    rates, final = runs["rates"], runs["final"]
    small = rates <= 0.03
    # Every small step ends at the local minimum: it never crosses the barrier at `peak`.
    np.testing.assert_allclose(final[small], high, atol=1e-9)
    # A larger step can hop over the barrier, into the global minimum — or diverge.
    assert np.any(np.abs(final[~small] - low) < 1e-9)
    assert np.any(np.isnan(final[~small]))


def test_a_path_reaching_exactly_two_to_the_1024_is_refused_and_a_tiny_start_keeps_one_finite():
    # With η λ = 3 each step multiplies θ by −2 exactly: θ_k = θ_0 (−2)^k. From θ_0 = 1, step
    # 1024 reaches 2^1024, one past float64's range (ln of it rounds to ln(max float), which a
    # test on logarithms let through); from θ_0 = 2^-1000 the same 1024 steps end at 2^24,
    # although (−2)^1024 alone overflows.
    with pytest.raises(ValueError, match="learning_rate"):
        opt.gradient_descent_path([1.0], [1.0], 3.0, 1024)
    assert opt.gradient_descent_path([1.0], [1.0], 3.0, 1023)[-1, 0] == -(2.0**1023)
    path = opt.gradient_descent_path([1.0], [2.0**-1000], 3.0, 1024)
    assert path[:, 0].tolist() == [(-1) ** k * 2.0 ** (k - 1000) for k in range(1025)]
