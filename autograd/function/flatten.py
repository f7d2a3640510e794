"""flatten: the trailing axes of x merged into one."""
import math

from autograd.function.shape import reshape
from autograd.variable import as_variable


def flatten(x, start_axis=1):
    """x with axes ``start_axis`` and after merged: (N, d1, d2, ...) -> (N, d1 * d2 * ...) by default.

    ``start_axis`` may be negative (counted from the end) or equal to x.ndim, which appends an axis of size 1
    ((N,) -> (N, 1)). Built on :func:`reshape`, so the gradient is reshaped back.
    """
    x = as_variable(x)
    if x.ndim == 0:
        raise ValueError("flatten: x must have at least one axis, got a 0-d array")
    if not isinstance(start_axis, int) or not -x.ndim <= start_axis <= x.ndim:
        raise ValueError(f"flatten: start_axis must be an int in [{-x.ndim}, {x.ndim}] for x of shape {x.shape}, "
                         f"got {start_axis!r}")
    start = start_axis % x.ndim if start_axis < 0 else start_axis
    return reshape(x, x.shape[:start] + (math.prod(x.shape[start:]),))
