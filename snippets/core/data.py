"""Real data for the experiments: scikit-learn's bundled handwritten digits (8×8 images,
1797 examples, 10 classes), read from the installed package, so no download is needed.

The file is read directly (the same CSV that ``sklearn.datasets.load_digits`` parses), which
spares every figure process the second or so that importing scikit-learn costs;
tests/test_data.py checks that both give identical arrays.
"""

import functools
import importlib.util
from pathlib import Path

import numpy as np


@functools.lru_cache(maxsize=1)
def _digits():
    spec = importlib.util.find_spec("sklearn")  # locates the package without importing it
    if spec is None or spec.origin is None:
        raise ValueError("scikit-learn is not installed: pip install -r requirements.txt")
    table = np.loadtxt(Path(spec.origin).parent / "datasets" / "data" / "digits.csv.gz",
                       delimiter=",")
    return table[:, :-1], table[:, -1].astype(int)


def digits_pixels():
    """Pixel intensities scaled to [0, 1]: shape (1797, 64), every entry ≥ 0."""
    pixels, _ = _digits()
    return pixels / 16.0


def digits_labels():
    """Class labels 0 … 9, shape (1797,)."""
    return _digits()[1].copy()
