"""Dropout."""
from autograd import config
from autograd.variable import as_variable


def check_ratio(op, ratio):
    """A dropout probability: a real number in [0, 1) (the Dropout layer checks it at construction too)."""
    if isinstance(ratio, bool) or not isinstance(ratio, (int, float)) or not 0.0 <= ratio < 1.0:
        raise ValueError(f"{op}: ratio must be in [0, 1), got {ratio!r}")


def dropout(x, ratio=0.5):
    """Inverted dropout: in training, zero each element with probability ``ratio`` and scale the rest by
    1 / (1 - ratio), so inference (``test_mode()``) is the identity. The mask is a constant of the graph."""
    check_ratio("dropout", ratio)
    x = as_variable(x)
    if not config.is_training() or ratio == 0.0:
        return x
    device = x.device
    xp = device.xp
    keep = device.uniform(x.shape, x.dtype) >= ratio
    return x * (xp.astype(keep, x.dtype) * (1.0 / (1.0 - ratio)))
