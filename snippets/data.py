"""Real data for the experiments: scikit-learn's bundled handwritten digits (8×8 images,
1797 examples, 10 classes), read from the installed package, so no download is needed."""

import functools

@functools.lru_cache(maxsize=1)
def _digits():
    from sklearn.datasets import load_digits

    bunch = load_digits()
    return bunch.data.astype(float), bunch.target.astype(int)

def digits_pixels():
    """Pixel intensities scaled to [0, 1]: shape (1797, 64), every entry ≥ 0."""
    pixels, _ = _digits()
    return pixels / 16.0

def digits_labels():
    """Class labels 0 … 9, shape (1797,)."""
    return _digits()[1].copy()
