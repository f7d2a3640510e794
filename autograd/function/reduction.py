"""Reductions.

Each takes `axis` (an int, a tuple of ints, or None for all axes; negative values count from the end) and
`keepdims`. The gradient of the result is broadcast back over the reduced axes.
"""
import math
from autograd._checks import normalize_axes
from autograd.backend import device_of
from autograd.function.elementwise import exp
from autograd.function.shape import broadcast_to, reshape
from autograd.variable import Function, as_variable

__all__ = ["logsumexp", "max", "mean", "min", "sum", "variance"]


def _keepdims_shape(x_shape, axis):
    """The shape a reduction over `axis` has with keepdims=True."""
    axes = normalize_axes(axis, len(x_shape), "reduction")
    return tuple(1 if i in axes else s for i, s in enumerate(x_shape))


def _count(x_shape, axes):
    """How many elements a reduction over `axes` combines into each result."""
    return math.prod(x_shape[a] for a in axes)


def _expand(gy, x_shape, axis):
    """The gradient of a reduction's output, broadcast back over the reduced axes."""
    return broadcast_to(reshape(gy, _keepdims_shape(x_shape, axis)), x_shape)


class Sum(Function):
    def __init__(self, axis, keepdims):
        self.axis, self.keepdims = axis, keepdims

    def forward(self, x):
        return device_of(x).xp.sum(x, axis=self.axis, keepdims=self.keepdims)

    def backward(self, gy):
        return _expand(gy, self.inputs[0].shape, self.axis)


def _axis(axis, ndim, op):
    return None if axis is None else normalize_axes(axis, ndim, op)


def sum(x, axis=None, keepdims=False):  # noqa: A001  (F.sum, as in NumPy)
    """Sum of the elements over `axis`: `y = Σ x` (all elements when `axis` is None).

    Gradient: `∂y/∂x = 1`: `gy` is broadcast back over the reduced axes. The dtype is the array library's
    (an integer sum stays an integer).

    Args:
        x (Variable | array): the input.
        axis (int | tuple[int, ...] | None): the axis or axes to reduce; negative values count from the end;
            None reduces all axes. Typical values: `None`, `0`, `-1`, `(2, 3)`.
        keepdims (bool): keep the reduced axes with size 1, so the result broadcasts against `x`.

    Returns:
        (Variable): the sums; 0-d when `axis` is None and `keepdims` is False.

    Raises:
        ValueError: an axis is out of range for `x`, or repeated.

    Examples:
        >>> import autograd.function as F
        >>> from autograd import Variable, to_host
        >>> x = Variable([[1.0, 2.0], [3.0, 4.0]])
        >>> to_host(F.sum(x, axis=0)).tolist()
        [4.0, 6.0]
        >>> F.sum(x, axis=1, keepdims=True).shape
        (2, 1)
        >>> y = F.sum(x)
        >>> y.item()
        10.0
        >>> y.backward()
        >>> to_host(x.grad).tolist()
        [[1.0, 1.0], [1.0, 1.0]]
    """
    x = as_variable(x)
    return Sum(_axis(axis, x.ndim, "sum"), keepdims)(x)


def mean(x, axis=None, keepdims=False):
    """Arithmetic mean over `axis`: `y = Σ x / n`, n the number of elements reduced into each result.

    Gradient: `∂y/∂x = 1 / n`, broadcast back over the reduced axes. NumPy turns the mean of integers into
    float64; the array API devices (the simulated accelerator) refuse integer input with a `TypeError`.

    Args:
        x (Variable | array): the input.
        axis (int | tuple[int, ...] | None): the axis or axes to reduce; negative values count from the end;
            None reduces all axes. Typical values: `None`, `0`, `-1`, `(2, 3)`.
        keepdims (bool): keep the reduced axes with size 1, so the result broadcasts against `x`.

    Returns:
        (Variable): the means.

    Raises:
        ValueError: an axis is out of range for `x`, or repeated.

    Examples:
        >>> import autograd.function as F
        >>> from autograd import Variable, to_host
        >>> x = Variable([[1.0, 2.0], [3.0, 4.0]])
        >>> to_host(F.mean(x, axis=-1)).tolist()
        [1.5, 3.5]
        >>> y = F.mean(x)
        >>> y.item()
        2.5
        >>> y.backward()
        >>> to_host(x.grad).tolist()
        [[0.25, 0.25], [0.25, 0.25]]
    """
    x = as_variable(x)
    axes = normalize_axes(axis, x.ndim, "mean")
    return sum(x, axis, keepdims) / _count(x.shape, axes)


class _Extremum(Function):
    """max or min; every element equal to the result receives the whole gradient (ties included)."""

    def __init__(self, axis, keepdims):
        self.axis, self.keepdims = axis, keepdims

    def forward(self, x):
        return self.reduce(device_of(x).xp)(x, axis=self.axis, keepdims=self.keepdims)

    def backward(self, gy):
        x = self.inputs[0]
        xp = device_of(x.data).xp
        y = xp.reshape(self.outputs[0]().data, _keepdims_shape(x.shape, self.axis))
        mask = xp.astype(x.data == y, gy.dtype)
        return _expand(gy, x.shape, self.axis) * mask


class Max(_Extremum):
    @staticmethod
    def reduce(xp):
        return xp.max


class Min(_Extremum):
    @staticmethod
    def reduce(xp):
        return xp.min


def max(x, axis=None, keepdims=False):  # noqa: A001
    """Largest element over `axis`: `y = max x`.

    Gradient: every element equal to the maximum receives the whole `gy`; ties are not split, so with two
    tied maxima both get `gy` (the seed's semantics; PyTorch's `amax` would split it evenly). The others get 0.

    Args:
        x (Variable | array): the input.
        axis (int | tuple[int, ...] | None): the axis or axes to reduce; negative values count from the end;
            None reduces all axes. Typical values: `None`, `0`, `-1`, `(2, 3)`.
        keepdims (bool): keep the reduced axes with size 1, so the result broadcasts against `x`.

    Returns:
        (Variable): the maxima, of `x`'s dtype.

    Raises:
        ValueError: an axis is out of range for `x`, or repeated.

    Examples:
        >>> import autograd.function as F
        >>> from autograd import Variable, to_host
        >>> x = Variable([1.0, 3.0, 3.0])
        >>> y = F.max(x)
        >>> y.item()
        3.0
        >>> y.backward()
        >>> to_host(x.grad).tolist()   # both tied elements get the gradient
        [0.0, 1.0, 1.0]
    """
    x = as_variable(x)
    return Max(_axis(axis, x.ndim, "max"), keepdims)(x)


def min(x, axis=None, keepdims=False):  # noqa: A001
    """Smallest element over `axis`: `y = min x`.

    Gradient: every element equal to the minimum receives the whole `gy` (ties are not split); the others get 0.

    Args:
        x (Variable | array): the input.
        axis (int | tuple[int, ...] | None): the axis or axes to reduce; negative values count from the end;
            None reduces all axes. Typical values: `None`, `0`, `-1`, `(2, 3)`.
        keepdims (bool): keep the reduced axes with size 1, so the result broadcasts against `x`.

    Returns:
        (Variable): the minima, of `x`'s dtype.

    Raises:
        ValueError: an axis is out of range for `x`, or repeated.

    Examples:
        >>> import autograd.function as F
        >>> from autograd import Variable, to_host
        >>> x = Variable([2.0, 1.0, 1.0])
        >>> y = F.min(x)
        >>> y.item()
        1.0
        >>> y.backward()
        >>> to_host(x.grad).tolist()   # both tied elements get the gradient
        [0.0, 1.0, 1.0]
    """
    x = as_variable(x)
    return Min(_axis(axis, x.ndim, "min"), keepdims)(x)


def variance(x, axis=None, keepdims=False, ddof=0):
    """Variance over `axis`: `y = Σ (x - mean(x))² / (n - ddof)`, n the number of elements reduced.

    With the default `ddof=0` this is the biased (population) variance, NumPy's default; `ddof=1` gives the
    unbiased sample estimate (PyTorch's default). Gradient: `∂y/∂x = 2 (x - mean(x)) / (n - ddof)`.

    Args:
        x (Variable | array): the input, floating point.
        axis (int | tuple[int, ...] | None): the axis or axes to reduce; negative values count from the end;
            None reduces all axes. Typical values: `None`, `0`, `-1`, `(2, 3)`.
        keepdims (bool): keep the reduced axes with size 1, so the result broadcasts against `x`.
        ddof (int): "delta degrees of freedom", subtracted from n in the divisor. Typical values: `0`, `1`.

    Returns:
        (Variable): the variances.

    Raises:
        ValueError: an axis is out of range for `x`, or repeated.

    Examples:
        >>> import autograd.function as F
        >>> from autograd import Variable, to_host
        >>> x = Variable([1.0, 2.0, 3.0, 4.0])
        >>> y = F.variance(x)
        >>> y.item()
        1.25
        >>> round(F.variance(x, ddof=1).item(), 4)
        1.6667
        >>> y.backward()
        >>> to_host(x.grad).tolist()   # 2 (x - 2.5) / 4
        [-0.75, -0.25, 0.25, 0.75]
    """
    x = as_variable(x)
    axes = normalize_axes(axis, x.ndim, "variance")
    d = x - mean(x, axes, keepdims=True)
    return sum(d * d, axes, keepdims) / (_count(x.shape, axes) - ddof)


class LogSumExp(Function):
    def __init__(self, axis, keepdims):
        self.axis, self.keepdims = axis, keepdims

    def forward(self, x):
        xp = device_of(x).xp
        m = xp.max(x, axis=self.axis, keepdims=True)
        m = xp.where(xp.isfinite(m), m, xp.zeros_like(m))
        y = xp.log(xp.sum(xp.exp(x - m), axis=self.axis, keepdims=True)) + m
        return y if self.keepdims else xp.reshape(y, _reduced_shape(x.shape, self.axis))

    def backward(self, gy):
        shape = self.inputs[0].shape
        (x,), (y,) = self.xs, self.ys
        return _expand(gy, shape, self.axis) * exp(x - _expand(y, shape, self.axis))


def _reduced_shape(x_shape, axis):
    axes = normalize_axes(axis, len(x_shape), "reduction")
    return tuple(s for i, s in enumerate(x_shape) if i not in axes)


def logsumexp(x, axis=None, keepdims=False):
    """`y = log Σ exp(x)` over `axis`, computed stably as `m + log Σ exp(x - m)` with `m = max x`.

    No overflow for large x (`logsumexp([1000, 1000]) = 1000 + log 2`); a slice of all `-inf` gives `-inf`.
    Gradient: `∂y/∂x = exp(x - y)`, the softmax of `x` along `axis`.

    Args:
        x (Variable | array): the input, floating point.
        axis (int | tuple[int, ...] | None): the axis or axes to reduce; negative values count from the end;
            None reduces all axes. Typical values: `None`, `0`, `-1`, `(2, 3)`.
        keepdims (bool): keep the reduced axes with size 1, so the result broadcasts against `x`.

    Returns:
        (Variable): the log-sum-exps.

    Raises:
        ValueError: an axis is out of range for `x`, or repeated.

    Examples:
        >>> import autograd.function as F
        >>> from autograd import Variable, to_host
        >>> x = Variable([0.0, 0.0])
        >>> y = F.logsumexp(x)
        >>> round(y.item(), 4)   # log 2
        0.6931
        >>> y.backward()
        >>> to_host(x.grad).tolist()   # softmax
        [0.5, 0.5]
    """
    x = as_variable(x)
    return LogSumExp(_axis(axis, x.ndim, "logsumexp"), keepdims)(x)
