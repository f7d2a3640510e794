"""Dropout: inverted dropout, active in training and the identity in test mode."""
from autograd import config
from autograd._checks import check_ratio
from autograd.variable import as_variable

__all__ = ["dropout"]


def dropout(x, ratio=0.5):
    """Inverted dropout: in training, zero each element with probability `ratio` and scale the rest.

        y = x · mask / (1 - ratio),    mask ~ Bernoulli(1 - ratio), drawn anew at each call

    The expected value of y is x, so inference is the identity: inside
    [test_mode][autograd.config.test_mode] (or with `ratio=0`) a Variable `x` is returned as is. The mask is a
    constant of the graph: the gradient is `gy · mask / (1 - ratio)`. The mask comes from the device's generator,
    which [seed][autograd.backend.seed] reseeds. The op of [Dropout][autograd.layer.Dropout].

    Args:
        x (Variable | array): the input, floating point.
        ratio (float): the probability of zeroing an element, in [0, 1). Typical values: `0.1`, `0.5`.

    Returns:
        (Variable): the result, of `x`'s shape and dtype (`x` itself in test mode).

    Raises:
        ValueError: `ratio` is not a number in [0, 1).

    Examples:
        >>> import numpy as np
        >>> import autograd
        >>> import autograd.function as F
        >>> from autograd import Variable, to_host
        >>> autograd.seed(0)
        >>> x = Variable(np.ones(1000))
        >>> y = F.dropout(x, 0.5)
        >>> sorted(set(to_host(y).tolist()))   # zeroed, or scaled by 1 / (1 - 0.5)
        [0.0, 2.0]
        >>> with autograd.test_mode():
        ...     F.dropout(x, 0.5) is x
        True
    """
    check_ratio("dropout", ratio)
    x = as_variable(x)
    if not config.is_training() or ratio == 0.0:
        return x
    device = x.device
    xp = device.xp
    keep = device.uniform(x.shape, x.dtype) >= ratio
    return x * (xp.astype(keep, x.dtype) * (1.0 / (1.0 - ratio)))
