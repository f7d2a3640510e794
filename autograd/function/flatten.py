"""Flattening: the trailing axes of x merged into one."""
import math
import operator

from autograd._checks import is_integer
from autograd.function.shape import reshape
from autograd.variable import as_variable

__all__ = ["flatten"]


def flatten(x, start_axis=1):
    """`x` with axis `start_axis` and all after it merged into one: `(N, d1, d2, ...) -> (N, d1·d2·...)` by default.

    Built on [reshape][autograd.function.reshape], so the gradient is reshaped back. A 0-d `x`, or `start_axis`
    not an int in range, raises `ValueError`.

    Args:
        start_axis (int): the first axis to merge, in `[-x.ndim, x.ndim]`; `x.ndim` appends an axis of size 1
            (`(N,) -> (N, 1)`). Typical values: `1` (keep the batch axis; the default), `0` (flatten everything).

    Examples:
        >>> import numpy as np
        >>> x = autograd.Variable(np.zeros((2, 3, 4)))
        >>> F.flatten(x).shape, F.flatten(x, 0).shape
        ((2, 12), (24,))
    """
    x = as_variable(x)
    if x.ndim == 0:
        raise ValueError("flatten: x must have at least one axis, got a 0-d array")
    if not is_integer(start_axis) or not -x.ndim <= start_axis <= x.ndim:
        raise ValueError(f"flatten: start_axis must be an int in [{-x.ndim}, {x.ndim}] for x of shape {x.shape}, "
                         f"got {start_axis!r}")
    start = operator.index(start_axis)
    start = start % x.ndim if start < 0 else start
    return reshape(x, x.shape[:start] + (math.prod(x.shape[start:]),))
