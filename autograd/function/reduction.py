"""Reductions: sum, mean, max, min, variance, logsumexp."""
import math
from autograd.backend import device_of
from autograd.function.elementwise import exp
from autograd.function.shape import _normalize_axes, broadcast_to, reshape
from autograd.variable import Function, as_variable


def _keepdims_shape(x_shape, axis):
    """The shape a reduction over ``axis`` has with keepdims=True."""
    axes = _normalize_axes(axis, len(x_shape), "reduction")
    return tuple(1 if i in axes else s for i, s in enumerate(x_shape))


def _count(x_shape, axes):
    """How many elements a reduction over ``axes`` combines into each result."""
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
    return None if axis is None else _normalize_axes(axis, ndim, op)


def sum(x, axis=None, keepdims=False):  # noqa: A001  (F.sum, as in NumPy)
    """Sum over ``axis`` (all axes when None)."""
    x = as_variable(x)
    return Sum(_axis(axis, x.ndim, "sum"), keepdims)(x)


def mean(x, axis=None, keepdims=False):
    """Arithmetic mean over ``axis``: sum / count."""
    x = as_variable(x)
    axes = _normalize_axes(axis, x.ndim, "mean")
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
    """Largest element over ``axis``; the gradient goes to every element equal to it."""
    x = as_variable(x)
    return Max(_axis(axis, x.ndim, "max"), keepdims)(x)


def min(x, axis=None, keepdims=False):  # noqa: A001
    """Smallest element over ``axis``; the gradient goes to every element equal to it."""
    x = as_variable(x)
    return Min(_axis(axis, x.ndim, "min"), keepdims)(x)


def variance(x, axis=None, keepdims=False, ddof=0):
    """mean((x - mean(x))²) over ``axis``; ``ddof=1`` divides by count - 1 (the unbiased estimate)."""
    x = as_variable(x)
    axes = _normalize_axes(axis, x.ndim, "variance")
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
        x = self.inputs[0]
        y = _expand(self.outputs[0](), x.shape, self.axis)
        return _expand(gy, x.shape, self.axis) * exp(x - y)


def _reduced_shape(x_shape, axis):
    axes = _normalize_axes(axis, len(x_shape), "reduction")
    return tuple(s for i, s in enumerate(x_shape) if i not in axes)


def logsumexp(x, axis=None, keepdims=False):
    """log(sum(exp(x))) over ``axis``, computed stably; the gradient is softmax(x)."""
    x = as_variable(x)
    return LogSumExp(_axis(axis, x.ndim, "logsumexp"), keepdims)(x)
