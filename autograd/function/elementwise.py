"""Elementwise functions.

The math functions want floating-point input: NumPy turns an integer array into float64, while an array API
device (the simulated accelerator) refuses it with a `TypeError`.
"""
from autograd.backend import device_of, dtype_in, dtype_name
from autograd.function.shape import sum_to
from autograd.variable import Function, array_of, as_variable

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

    Args:
        x (Variable | array | float): the input, floating point.

    Returns:
        (Variable): `sin x`, of `x`'s shape and dtype.

    Examples:
        >>> import autograd.function as F
        >>> from autograd import Variable
        >>> x = Variable(0.0)
        >>> y = F.sin(x)
        >>> y.item()
        0.0
        >>> y.backward()
        >>> x.grad.item()   # cos 0
        1.0
    """
    return Sin()(x)


def cos(x):
    """Elementwise cosine `y = cos x`, in radians; `∂y/∂x = -sin x`.

    Args:
        x (Variable | array | float): the input, floating point.

    Returns:
        (Variable): `cos x`, of `x`'s shape and dtype.

    Examples:
        >>> import autograd.function as F
        >>> from autograd import Variable
        >>> x = Variable(0.0)
        >>> y = F.cos(x)
        >>> y.item()
        1.0
        >>> y.backward()
        >>> x.grad.item()   # -sin 0
        -0.0
    """
    return Cos()(x)


def tanh(x):
    """Elementwise hyperbolic tangent `y = tanh x`; `∂y/∂x = 1 - y²` (computed from the output).

    Args:
        x (Variable | array | float): the input, floating point.

    Returns:
        (Variable): `tanh x` in (-1, 1), of `x`'s shape and dtype.

    Examples:
        >>> import autograd.function as F
        >>> from autograd import Variable
        >>> x = Variable(0.0)
        >>> y = F.tanh(x)
        >>> y.item()
        0.0
        >>> y.backward()
        >>> x.grad.item()   # 1 - tanh² 0
        1.0
    """
    return Tanh()(x)


def exp(x):
    """Elementwise exponential `y = e^x`; `∂y/∂x = e^x` (the output itself). Overflows to inf for large x.

    Args:
        x (Variable | array | float): the input, floating point.

    Returns:
        (Variable): `e^x`, of `x`'s shape and dtype.

    Examples:
        >>> import autograd.function as F
        >>> from autograd import Variable
        >>> x = Variable(0.0)
        >>> y = F.exp(x)
        >>> y.item()
        1.0
        >>> y.backward()
        >>> x.grad.item()
        1.0
    """
    return Exp()(x)


def log(x):
    """Elementwise natural logarithm `y = ln x`; `∂y/∂x = 1 / x`.

    As in the array library, `log 0 = -inf` and a negative x gives NaN (NumPy warns; nothing raises).

    Args:
        x (Variable | array | float): the input, floating point and positive.

    Returns:
        (Variable): `ln x`, of `x`'s shape and dtype.

    Examples:
        >>> import autograd.function as F
        >>> from autograd import Variable
        >>> x = Variable(4.0)
        >>> y = F.log(x)
        >>> round(y.item(), 4)
        1.3863
        >>> y.backward()
        >>> x.grad.item()   # 1/4
        0.25
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
    """Elementwise `x` limited to the interval [x_min, x_max]: `y = min(max(x, x_min), x_max)`.

    Gradient: `∂y/∂x = 1` where `x_min < x < x_max` strictly, and 0 at the bounds and outside them (so a value
    sitting exactly on a bound gets no gradient). The bounds themselves get no gradient.

    Args:
        x (Variable | array): the input.
        x_min (float | array | None): lower bound, a number or an array that broadcasts against `x` (on its
            device); None for no lower bound. Typical values: `0.0`, `-1.0`.
        x_max (float | array | None): upper bound, likewise; None for no upper bound. Typical values: `1.0`, `6.0`.

    Returns:
        (Variable): the clipped values, of `x`'s shape and dtype.

    Raises:
        ValueError: both bounds are numbers and `x_min > x_max`.

    Examples:
        >>> import autograd.function as F
        >>> from autograd import Variable, to_host
        >>> x = Variable([0.0, 1.5, 3.0])
        >>> y = F.clip(x, 1.0, 2.0)
        >>> to_host(y).tolist()
        [1.0, 1.5, 2.0]
        >>> F.sum(y).backward()
        >>> to_host(x.grad).tolist()   # 1 strictly inside the bounds only
        [0.0, 1.0, 0.0]
    """
    numbers = (int, float)
    if isinstance(x_min, numbers) and isinstance(x_max, numbers) and x_min > x_max:
        raise ValueError(f"clip: x_min {x_min} is greater than x_max {x_max}")
    return Clip(x_min, x_max)(x)


class AsType(Function):
    def __init__(self, dtype):
        self.dtype = dtype

    def forward(self, x):
        xp = device_of(x).xp
        return xp.astype(x, dtype_in(xp, self.dtype))

    def backward(self, gy):
        return astype(gy, self.inputs[0].dtype)


def astype(x, dtype):
    """`x` converted to another dtype; the gradient is converted back to `x`'s dtype.

    When `x` already has that dtype, `x` itself is returned (no new node). Casting floats to an integer dtype
    truncates, as in the array library, and no gradient can flow back through an integer result (backward
    raises `TypeError`).

    Args:
        x (Variable | array): the input.
        dtype (str | dtype): the target dtype, as a name or a dtype object of any array library.
            Typical values: `"float32"`, `"float64"`, `numpy.float16`.

    Returns:
        (Variable): `x` with dtype `dtype`, of `x`'s shape.

    Raises:
        TypeError: `dtype` names no dtype of `x`'s array namespace (e.g. `"foo"`).

    Examples:
        >>> import autograd.function as F
        >>> from autograd import Variable
        >>> x = Variable([1.5, 2.5])            # float64
        >>> y = F.astype(x, "float32")
        >>> str(y.dtype)
        'float32'
        >>> F.sum(y).backward()
        >>> str(x.grad.dtype)                   # the gradient comes back as float64
        'float64'
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

    Gradient: `gy` flows to `x0` where `condition` is True and to `x1` where it is False (each summed back to
    its operand's shape); the condition gets none. A Python number for `x0` or `x1` takes the dtype of the other.

    Args:
        condition (Variable | array | list): boolean mask, broadcast against `x0` and `x1`.
        x0 (Variable | array | float): values where `condition` is True.
        x1 (Variable | array | float): values where `condition` is False.

    Returns:
        (Variable): the chosen values, of the broadcast shape.

    Raises:
        TypeError: `condition` is not boolean, or both `x0` and `x1` are Python numbers.
        ValueError: the shapes do not broadcast.
        DeviceError: the inputs are on different devices.

    Examples:
        >>> import numpy as np
        >>> import autograd.function as F
        >>> from autograd import Variable, to_host
        >>> a, b = Variable([1.0, 2.0]), Variable([3.0, 4.0])
        >>> y = F.where(np.array([True, False]), a, b)
        >>> to_host(y).tolist()
        [1.0, 4.0]
        >>> F.sum(y).backward()
        >>> to_host(a.grad).tolist(), to_host(b.grad).tolist()
        ([1.0, 0.0], [0.0, 1.0])
    """
    condition = as_variable(condition)
    if not device_of(array_of(condition)).xp.isdtype(condition.dtype, "bool"):
        raise TypeError(f"where: condition must be boolean, got dtype {condition.dtype}")
    like = x0 if not isinstance(x0, (int, float)) else x1
    if isinstance(like, (int, float)):
        raise TypeError("where: at least one of x0 and x1 must be an array or a Variable")
    like = array_of(as_variable(like))
    return Where()(condition, as_variable(x0, like), as_variable(x1, like))


def mask_fill(x, mask, value):
    """`x` with `value` written where `mask` is True (PyTorch's `masked_fill`): `where(mask, value, x)`.

    Gradient: `gy` where `mask` is False, 0 where it is True. A number `value` takes `x`'s dtype.

    Args:
        x (Variable | array): the input.
        mask (Variable | array | list): boolean mask, broadcast against `x`. Typical use: a causal or
            padding mask in attention.
        value (float | Variable | array): the fill value. Typical values: `0.0`, `-1e9`, `-inf` (before a
            softmax).

    Returns:
        (Variable): the filled values, of the broadcast shape.

    Raises:
        TypeError: `mask` is not boolean.
        ValueError: the shapes do not broadcast.

    Examples:
        >>> import numpy as np
        >>> import autograd.function as F
        >>> from autograd import Variable, to_host
        >>> x = Variable([1.0, 2.0, 3.0])
        >>> y = F.mask_fill(x, np.array([False, True, False]), 0.0)
        >>> to_host(y).tolist()
        [1.0, 0.0, 3.0]
        >>> F.sum(y).backward()
        >>> to_host(x.grad).tolist()
        [1.0, 0.0, 1.0]
    """
    return where(mask, value, x)
