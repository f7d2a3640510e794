"""Dropout."""
from autograd import config
from autograd._checks import check_ratio
from autograd.backend import dtype_name
from autograd.variable import as_variable

__all__ = ["dropout"]


def dropout(x, ratio=0.5):
    """Inverted dropout: `y = x · mask / (1 - ratio)`, `mask ~ Bernoulli(1 - ratio)` drawn anew at each call.

    Gradient: `gy · mask / (1 - ratio)`. E[y] = x, so in [test_mode][autograd.config.test_mode] (or with
    `ratio=0`) `x` itself is returned, as a Variable. The mask comes from x's device's generator, which
    [seed][autograd.backend.seed] reseeds. The op of [Dropout][autograd.layer.Dropout]. `x` must be floating
    point (TypeError), in test mode too.

    Args:
        ratio (float): the probability of zeroing an element, in [0, 1); typically 0.1 to 0.5.

    Examples:
        >>> import numpy as np
        >>> import autograd
        >>> from autograd import Variable, to_host
        >>> x = Variable(np.ones(1000))
        >>> sorted(set(to_host(F.dropout(x, 0.5)).tolist()))   # zeroed, or scaled by 1 / (1 - 0.5)
        [0.0, 2.0]
        >>> with autograd.test_mode():
        ...     F.dropout(x, 0.5) is x
        True
    """
    ratio = check_ratio("dropout", ratio)  # a float: a NumPy float32 would promote float16 data
    x = as_variable(x)
    if not x.xp.isdtype(x.dtype, "real floating"):  # an integer mask product would round every kept value
        raise TypeError(f"dropout: x must be a floating-point array, got dtype {dtype_name(x.dtype)}")
    if not config.is_training() or ratio == 0.0:
        return x
    device = x.device
    xp = device.xp
    keep = device.uniform(x.shape, x.dtype) >= ratio
    return x * (xp.astype(keep, x.dtype) * (1.0 / (1.0 - ratio)))
