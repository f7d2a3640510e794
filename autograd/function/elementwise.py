"""Elementwise functions.

The math functions want floats: NumPy makes integers float64, an array API device raises `TypeError`.
"""
import numbers
import operator

from autograd._checks import is_integer
from autograd.backend import DeviceError, device_of, dtype_in, dtype_name, is_array, is_host_scalar
from autograd.function.shape import sum_to
from autograd.variable import Function, Variable, array_of, as_variable

__all__ = ["astype", "clip", "cos", "exp", "log", "mask_fill", "sin", "tanh", "where"]


class Sin(Function):
    def forward(self, x):
        return device_of(x).xp.sin(x)

    def backward(self, gy):
        return gy * cos(self.xs[0])


class Cos(Function):
    def forward(self, x):
        return device_of(x).xp.cos(x)

    def backward(self, gy):
        return gy * -sin(self.xs[0])


class Tanh(Function):
    def forward(self, x):
        return device_of(x).xp.tanh(x)

    def backward(self, gy):
        (y,) = self.ys
        return gy * (1.0 - y * y)


class Exp(Function):
    def forward(self, x):
        return device_of(x).xp.exp(x)

    def backward(self, gy):
        return gy * self.ys[0]


class Log(Function):
    def forward(self, x):
        return device_of(x).xp.log(x)

    def backward(self, gy):
        return gy / self.xs[0]


def sin(x):
    """Elementwise sine `y = sin x`, in radians; `∂y/∂x = cos x`.

    Examples:
        >>> round(F.sin(autograd.Variable(1.0)).item(), 4)
        0.8415
    """
    return Sin()(x)


def cos(x):
    """Elementwise cosine `y = cos x`, in radians; `∂y/∂x = -sin x`.

    Examples:
        >>> round(F.cos(autograd.Variable(1.0)).item(), 4)
        0.5403
    """
    return Cos()(x)


def tanh(x):
    """Elementwise hyperbolic tangent `y = tanh x`; `∂y/∂x = 1 - y²` (computed from the output).

    Examples:
        >>> round(F.tanh(autograd.Variable(1.0)).item(), 4)
        0.7616
    """
    return Tanh()(x)


def exp(x):
    """Elementwise exponential `y = e^x`; `∂y/∂x = y`. Overflows to inf for large x.

    Examples:
        >>> round(F.exp(autograd.Variable(1.0)).item(), 4)
        2.7183
    """
    return Exp()(x)


def log(x):
    """Elementwise natural logarithm `y = ln x`; `∂y/∂x = 1 / x`. `log 0 = -inf`, and a negative x gives NaN.

    Examples:
        >>> round(F.log(autograd.Variable(4.0)).item(), 4)
        1.3863
    """
    return Log()(x)


class Clip(Function):
    def __init__(self, x_min, x_max):
        self.x_min, self.x_max = x_min, x_max

    def forward(self, x):
        return device_of(x).xp.clip(x, self.x_min, self.x_max)

    def backward(self, gy):
        x = self.inputs[0].data
        xp = device_of(x).xp
        inside = xp.ones_like(x, dtype=xp.bool)
        if self.x_min is not None:
            inside = inside & (x > self.x_min)
        if self.x_max is not None:
            inside = inside & (x < self.x_max)
        return gy * xp.astype(inside, gy.dtype)


def clip(x, x_min, x_max):
    """Elementwise `x` limited to [x_min, x_max]: `y = min(max(x, x_min), x_max)`.

    Gradient: 1 strictly inside the bounds, 0 at and outside them (a value exactly on a bound gets none); the
    bounds get no gradient. Numeric bounds with `x_min > x_max` raise `ValueError`.

    Args:
        x_min (float | array | None): lower bound, a number or an array that broadcasts against `x`; None for
            none. Typical values: `0.0`, `-1.0`.
        x_max (float | array | None): upper bound, likewise. Typical values: `1.0`, `6.0`.

    Examples:
        >>> x = autograd.Variable([0.0, 1.5, 3.0])
        >>> y = F.clip(x, 1.0, 2.0)
        >>> F.sum(y).backward()
        >>> autograd.to_host(y).tolist(), autograd.to_host(x.grad).tolist()
        ([1.0, 1.5, 2.0], [0.0, 1.0, 0.0])
    """
    x = as_variable(x)
    x_min, x_max = _clip_bound(x_min, "x_min", x), _clip_bound(x_max, "x_max", x)
    if isinstance(x_min, (int, float)) and isinstance(x_max, (int, float)) and x_min > x_max:
        raise ValueError(f"clip: x_min {x_min} is greater than x_max {x_max}")
    return Clip(x_min, x_max)(x)


def _clip_bound(bound, name, x):
    """A bound of clip as None, a Python number (from a NumPy one too) or an array on x's device (a Variable's
    data: bounds get no gradient); DeviceError for an array on another device."""
    if bound is None:
        return None
    if isinstance(bound, numbers.Real):
        return operator.index(bound) if is_integer(bound) else float(bound)
    if isinstance(bound, Variable):
        bound = bound.data
    elif isinstance(bound, (list, tuple)):
        return x.device.asarray(bound)
    if not is_array(bound):
        raise TypeError(f"clip: {name} must be a number, an array or None, got {type(bound).__name__}")
    if device_of(bound) != x.device:
        raise DeviceError(f"clip: {name} is on {device_of(bound)} but x is on {x.device}; arrays do not move "
                          f"between devices implicitly: pass autograd.get_device('{x.device}').put({name}) "
                          f"(or {name}.to('{x.device}') for a Variable)")
    return bound


class AsType(Function):
    def __init__(self, dtype):
        self.dtype = dtype

    def forward(self, x):
        xp = device_of(x).xp
        return xp.astype(x, dtype_in(xp, self.dtype))

    def backward(self, gy):
        return astype(gy, self.inputs[0].dtype)


def astype(x, dtype):
    """`x` converted to `dtype`, a name (`"float32"`) or a dtype of any array library; the gradient converts back.

    `x` itself comes back when it has that dtype already. Casting to an integer dtype truncates, and backward
    through an integer result raises `TypeError`; so does a `dtype` that `x`'s array library lacks (e.g. "foo").

    Examples:
        >>> x = autograd.Variable([1.5, 2.5])   # float64
        >>> y = F.astype(x, "float32")
        >>> F.sum(y).backward()
        >>> str(y.dtype), str(x.grad.dtype)
        ('float32', 'float64')
    """
    x = as_variable(x)
    device = device_of(array_of(x))
    try:
        dtype_in(device.xp, dtype)
    except (AttributeError, TypeError):
        raise TypeError(f"astype: {dtype!r} is not a dtype of {device}'s arrays") from None
    if dtype_name(x.dtype) == dtype_name(dtype):
        return x
    return AsType(dtype)(x)


class Where(Function):
    def forward(self, condition, x0, x1):
        return device_of(x0).xp.where(condition, x0, x1)

    def backward(self, gy):
        condition, x0, x1 = self.inputs
        return (None,
                sum_to(where(condition.data, gy, 0.0), x0.shape) if x0.requires_grad else None,
                sum_to(where(condition.data, 0.0, gy), x1.shape) if x1.requires_grad else None)


def where(condition, x0, x1):
    """Elementwise choice `y = x0 if condition else x1`, broadcasting all three (NumPy's `where`).

    Gradient: `gy` to `x0` where `condition` is True, else to `x1`; none to the condition. A number `x0` or `x1`
    takes the other's dtype; a condition that is not boolean, or two numbers, raise `TypeError`.

    Examples:
        >>> a, b = autograd.Variable([1.0, 2.0]), autograd.Variable([3.0, 4.0])
        >>> y = F.where([True, False], a, b)
        >>> F.sum(y).backward()
        >>> [autograd.to_host(v).tolist() for v in (y, a.grad, b.grad)]
        [[1.0, 4.0], [1.0, 0.0], [0.0, 1.0]]
    """
    condition = as_variable(condition)
    if not device_of(array_of(condition)).xp.isdtype(condition.dtype, "bool"):
        raise TypeError(f"where: condition must be boolean, got dtype {condition.dtype}")
    like = x0 if not isinstance(x0, (int, float)) else x1
    if isinstance(like, (int, float)):  # two numbers: a NumPy scalar (a 0-d result of NumPy) is an array here
        like = x0 if is_host_scalar(x0) else x1
        if not is_host_scalar(like):
            raise TypeError("where: at least one of x0 and x1 must be an array or a Variable")
    like = array_of(as_variable(like))
    return Where()(condition, as_variable(x0, like), as_variable(x1, like))


def mask_fill(x, mask, value):
    """`x` with `value` written where `mask` is True: `where(mask, value, x)` (PyTorch's `masked_fill`).

    Gradient: `gy` where `mask` is False, else 0. A mask that is not boolean raises `TypeError`. Typical use: a
    causal or padding mask in attention, `value` `-inf` or `-1e9` before a softmax.

    Examples:
        >>> x = autograd.Variable([1.0, 2.0, 3.0])
        >>> y = F.mask_fill(x, [False, True, False], 0.0)
        >>> F.sum(y).backward()
        >>> autograd.to_host(y).tolist(), autograd.to_host(x.grad).tolist()
        ([1.0, 0.0, 3.0], [1.0, 0.0, 1.0])
    """
    return where(mask, value, x)
