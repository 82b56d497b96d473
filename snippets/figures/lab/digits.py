"""The digits the training lab trains on, exported once per change of the data code: every
8×8 image as 64 letters ("a" + its pixel value 0 … 16, scaled to [0, 1] by the lab as by
snippets/core/data.py) and its label as a digit. The first TRAINING_EXAMPLES train and the
rest are held out, the split of chapters 2 and 5."""

import numpy as np

from snippets.core.data import digits_labels, digits_pixels
from snippets.experiments.vanishing_gradient_problem.learning_speed import TRAINING_EXAMPLES
from snippets.figures.registry import data

PIXEL_LEVELS = 16   # digits_pixels() is the raw value 0 … 16 over 16


# --8<-- [start:lab-digits]
@data("lab-digits")
def lab_digits():
    """{"inputs", "classes", "training", "pixels", "labels"}: 1797 × 64 letters and 1797
    digits."""
    levels = np.rint(digits_pixels() * PIXEL_LEVELS).astype(int)
    labels = digits_labels()
    return {"inputs": levels.shape[1], "classes": 10, "training": TRAINING_EXAMPLES,
            "pixels": "".join(chr(ord("a") + value) for value in levels.ravel()),
            "labels": "".join(str(label) for label in labels)}
# --8<-- [end:lab-digits]
