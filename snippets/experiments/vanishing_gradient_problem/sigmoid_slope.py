"""The sigmoid's slope written through its own output, σ′ = s(1 − s) with s = σ(z), on a grid
of outputs, and where it peaks (chapter 2, figure 2.3). Deterministic."""

import numpy as np

from snippets.experiments import experiment

POINTS = 401


@experiment
def slope_by_output():
    """{"s": outputs in [0, 1], "slope": s(1 − s), "peak": (s at the maximum, the maximum)}."""
    s = np.linspace(0.0, 1.0, POINTS)
    slope = s * (1 - s)
    peak = int(np.argmax(slope))
    return {"s": s, "slope": slope, "peak": (float(s[peak]), float(slope[peak]))}
