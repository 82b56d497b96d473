"""The largest sigmoid product FACTOR^r computed step by step in float16, float32 and float64:
the depth r at which it turns subnormal and the depth at which it becomes exactly 0 (chapter 2,
figure 2.2). Deterministic."""

import numpy as np

from snippets.core import underflow
from snippets.experiments import experiment

FACTOR = 0.25   # σ′ ≤ 1/4: the largest factor a sigmoid layer can contribute


@experiment
def products_by_type():
    """{type name: {"products": FACTOR^r for r = 0 … the first exact 0 (as float64),
    "subnormal_at", "zero_at": depths, "smallest_normal": the type's smallest normal number}}."""
    results = {}
    for dtype in underflow.FLOAT_TYPES:
        subnormal_at, zero_at = underflow.underflow_depths(FACTOR, dtype)
        results[np.dtype(dtype).name] = {
            "products": underflow.running_product(FACTOR, zero_at, dtype).astype(float),
            "subnormal_at": subnormal_at, "zero_at": zero_at,
            "smallest_normal": float(np.finfo(dtype).smallest_normal)}
    return results
