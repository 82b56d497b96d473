"""Numbers quoted in chapter 3 (initialisation-and-variance.md) on how the preprocessing of
the inputs decides how many first-layer tanh units start saturated."""

from snippets.experiments.initialisation_and_variance.input_saturation import (
    SATURATED_SLOPE,
    first_layer_saturation,
)
from snippets.figures.registry import quoted


@quoted("input-saturation-shares")
def _input_saturation_shares():
    shares = first_layer_saturation()
    parts = [f"{label}: {100 * values.mean():.1f} %" for label, values in shares.items()]
    return (f"the share of first-layer units with $\\tanh' < {SATURATED_SLOPE}$ at "
            f"initialisation is " + "; ".join(parts))
