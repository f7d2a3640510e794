"""Elementwise functions: sin, cos, tanh, exp, log, astype, clip, where, mask_fill."""
from autograd.backend import device_of, dtype_in, dtype_name
from autograd.function.shape import unbroadcast
from autograd.variable import Function, as_variable


class Sin(Function):
    def forward(self, x):
        return device_of(x).xp.sin(x)

    def backward(self, gy):
        return gy * cos(self.inputs[0])


class Cos(Function):
    def forward(self, x):
        return device_of(x).xp.cos(x)

    def backward(self, gy):
        return gy * -sin(self.inputs[0])


class Tanh(Function):
    def forward(self, x):
        return device_of(x).xp.tanh(x)

    def backward(self, gy):
        y = self.outputs[0]()
        return gy * (1.0 - y * y)


class Exp(Function):
    def forward(self, x):
        return device_of(x).xp.exp(x)

    def backward(self, gy):
        return gy * self.outputs[0]()


class Log(Function):
    def forward(self, x):
        return device_of(x).xp.log(x)

    def backward(self, gy):
        return gy / self.inputs[0]


def sin(x):
    """sin x; d/dx = cos x."""
    return Sin()(x)


def cos(x):
    """cos x; d/dx = -sin x."""
    return Cos()(x)


def tanh(x):
    """tanh x; d/dx = 1 - tanh² x."""
    return Tanh()(x)


def exp(x):
    """e^x; d/dx = e^x."""
    return Exp()(x)


def log(x):
    """Natural logarithm; d/dx = 1/x."""
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
    """x limited to [x_min, x_max] (numbers, arrays of x's device, or None for no bound); the gradient is 1
    strictly inside the bounds, 0 at and outside them."""
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
    """x converted to ``dtype`` (a dtype of any library, or its name); the gradient is converted back."""
    x = as_variable(x)
    if dtype_name(x.dtype) == dtype_name(dtype):
        return x
    return AsType(dtype)(x)


class Where(Function):
    def forward(self, condition, x0, x1):
        return device_of(x0).xp.where(condition, x0, x1)

    def backward(self, gy):
        condition, x0, x1 = self.inputs
        zero = gy * 0.0
        return (None,
                unbroadcast(where(condition, gy, zero), x0.shape) if x0.requires_grad else None,
                unbroadcast(where(condition, zero, gy), x1.shape) if x1.requires_grad else None)


def where(condition, x0, x1):
    """Elementwise ``x0 if condition else x1``, broadcasting all three; the condition gets no gradient."""
    condition = as_variable(condition)
    if not device_of(condition.data).xp.isdtype(condition.dtype, "bool"):
        raise TypeError(f"where: condition must be boolean, got dtype {condition.dtype}")
    like = x0 if not isinstance(x0, (int, float)) else x1
    if isinstance(like, (int, float)):
        raise TypeError("where: at least one of x0 and x1 must be an array or a Variable")
    like = as_variable(like)
    return Where()(condition, as_variable(x0, like.data), as_variable(x1, like.data))


def mask_fill(x, mask, value):
    """x with ``value`` where ``mask`` is True (PyTorch's ``masked_fill``); no gradient flows there."""
    return where(mask, value, x)
