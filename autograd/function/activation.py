"""Activation functions: elementwise, and softmax along an axis."""
import math

from autograd.backend import device_of, ignoring_overflow
from autograd.function.elementwise import exp, tanh
from autograd.function.reduction import sum
from autograd.variable import Function

__all__ = ["gelu", "leaky_relu", "log_softmax", "relu", "sigmoid", "softmax"]


class Sigmoid(Function):
    def forward(self, x):
        xp = device_of(x).xp
        float16 = getattr(xp, "float16", None)  # (the array API standard has none)
        if float16 is not None and x.dtype == float16:  # exp(-x) overflows float16 from x = -11.1 (y = 1.5e-5)
            return xp.astype(self.forward(xp.astype(x, xp.float32)), x.dtype)
        with ignoring_overflow():
            z = xp.exp(-x)  # inf for x below about -88 (float32): y = 1 / inf = 0, the limit
        z += 1.0
        return 1.0 / z  # full relative precision in both tails, in four array ops

    def backward(self, gy):
        (y,) = self.ys
        gx = 1.0 - y  # a new array: the in-place products below write only into it (Variables: plain products)
        gx *= y
        gx *= gy
        return gx


def sigmoid(x):
    """Elementwise logistic sigmoid `y = 1 / (1 + e^-x)`; `∂y/∂x = y (1 - y)`.

    Stable in both tails: large negative x gives 0 (no overflow warning), large positive x gives 1. float16
    inputs are computed in float32 and rounded back, since `e^-x` overflows float16 from x = -11.1.

    Args:
        x (Variable | array | float): the input, floating point.

    Returns:
        (Variable): values in [0, 1], of `x`'s shape and dtype.

    Examples:
        >>> import autograd.function as F
        >>> from autograd import Variable
        >>> x = Variable(0.0)
        >>> y = F.sigmoid(x)
        >>> y.item()
        0.5
        >>> y.backward()
        >>> x.grad.item()   # 0.5 (1 - 0.5)
        0.25
    """
    return Sigmoid()(x)


class ReLU(Function):
    def forward(self, x):
        return device_of(x).xp.maximum(x, 0)  # NaN stays NaN

    def backward(self, gy):
        x = self.inputs[0].data
        return gy * device_of(x).xp.astype(x > 0, gy.dtype)  # a constant mask, made from the input's data


def relu(x):
    """Elementwise rectified linear unit `y = max(x, 0)`.

    Gradient: 1 where `x > 0`, else 0 (0 at `x = 0` too). NaN stays NaN.

    Args:
        x (Variable | array | float): the input.

    Returns:
        (Variable): the result, of `x`'s shape and dtype.

    Examples:
        >>> import autograd.function as F
        >>> from autograd import Variable, to_host
        >>> x = Variable([-1.0, 0.0, 2.0])
        >>> y = F.relu(x)
        >>> to_host(y).tolist()
        [0.0, 0.0, 2.0]
        >>> F.sum(y).backward()
        >>> to_host(x.grad).tolist()
        [0.0, 0.0, 1.0]
    """
    return ReLU()(x)


class LeakyReLU(Function):
    def __init__(self, slope):
        self.slope = slope

    def forward(self, x):
        return device_of(x).xp.where(x > 0, x, x * self.slope)

    def backward(self, gy):
        x = self.inputs[0].data
        xp = device_of(x).xp
        ones = xp.ones_like(x, dtype=gy.dtype)
        return gy * xp.where(x > 0, ones, ones * self.slope)


def leaky_relu(x, slope=0.01):
    """Elementwise leaky ReLU: `y = x` where `x > 0`, else `slope · x`.

    Gradient: 1 where `x > 0`, else `slope` (at `x = 0` too).

    Args:
        x (Variable | array | float): the input, floating point.
        slope (float): the slope for `x <= 0`. Typical values: `0.01` (the default, as in PyTorch), `0.2`.

    Returns:
        (Variable): the result, of `x`'s shape and dtype.

    Examples:
        >>> import autograd.function as F
        >>> from autograd import Variable, to_host
        >>> x = Variable([-1.0, 2.0])
        >>> y = F.leaky_relu(x, slope=0.1)
        >>> to_host(y).tolist()
        [-0.1, 2.0]
        >>> F.sum(y).backward()
        >>> to_host(x.grad).tolist()
        [0.1, 1.0]
    """
    return LeakyReLU(slope)(x)


_GELU_C = math.sqrt(2.0 / math.pi)


def gelu(x):
    """Elementwise Gaussian error linear unit, in its tanh approximation (PyTorch's `approximate="tanh"`):

        y = 0.5 x (1 + tanh(√(2/π) (x + 0.044715 x³)))

    Composed from differentiable ops, which give its gradient.

    Args:
        x (Variable | array | float): the input, floating point.

    Returns:
        (Variable): the result, of `x`'s shape and dtype.

    Examples:
        >>> import autograd.function as F
        >>> from autograd import Variable
        >>> x = Variable(1.0)
        >>> y = F.gelu(x)
        >>> round(y.item(), 4)
        0.8412
        >>> y.backward()
        >>> round(x.grad.item(), 4)
        1.083
    """
    return 0.5 * x * (1.0 + tanh(_GELU_C * (x + 0.044715 * x * x * x)))


class Softmax(Function):
    def __init__(self, axis):
        self.axis = axis

    def forward(self, x):
        xp = device_of(x).xp
        y = xp.exp(x - xp.max(x, axis=self.axis, keepdims=True))
        return y / xp.sum(y, axis=self.axis, keepdims=True)

    def backward(self, gy):
        (y,) = self.ys
        gx = y * gy
        return gx - y * sum(gx, axis=self.axis, keepdims=True)


def softmax(x, axis=1):
    """Softmax along `axis`: `y = exp(x) / Σ exp(x)`, computed stably (the maximum is subtracted first).

    Gradient: `∂L/∂x = y (gy - Σ y gy)`, the sum along `axis`.

    Args:
        x (Variable | array): the scores (logits), floating point.
        axis (int): the axis that sums to 1. Typical values: `1` (the default: the class axis of `(N, C)`
            scores), `-1`; a 1-D `x` needs `axis=0` or `-1`.

    Returns:
        (Variable): probabilities of `x`'s shape and dtype.

    Raises:
        ValueError: `axis` is out of range for `x`.

    Examples:
        >>> import math
        >>> import autograd.function as F
        >>> from autograd import Variable, to_host
        >>> x = Variable([[0.0, math.log(3.0)]])
        >>> y = F.softmax(x)
        >>> [round(p, 4) for p in to_host(y)[0].tolist()]
        [0.25, 0.75]
    """
    return Softmax(axis)(x)


class LogSoftmax(Function):
    def __init__(self, axis):
        self.axis = axis

    def forward(self, x):
        xp = device_of(x).xp
        m = xp.max(x, axis=self.axis, keepdims=True)
        shifted = x - m
        return shifted - xp.log(xp.sum(xp.exp(shifted), axis=self.axis, keepdims=True))

    def backward(self, gy):
        (y,) = self.ys
        return gy - exp(y) * sum(gy, axis=self.axis, keepdims=True)


def log_softmax(x, axis=1):
    """Log of the softmax along `axis`: `y = x - logsumexp(x)`, without softmax's underflow to `log 0`.

    Gradient: `∂L/∂x = gy - softmax(x) Σ gy`, the sum along `axis`.

    Args:
        x (Variable | array): the scores (logits), floating point.
        axis (int): the class axis. Typical values: `1` (the default, for `(N, C)` scores), `-1`.

    Returns:
        (Variable): log-probabilities (at most 0) of `x`'s shape and dtype.

    Raises:
        ValueError: `axis` is out of range for `x`.

    Examples:
        >>> import math
        >>> import autograd.function as F
        >>> from autograd import Variable, to_host
        >>> x = Variable([[0.0, math.log(3.0)]])
        >>> y = F.log_softmax(x)
        >>> [round(v, 4) for v in to_host(y)[0].tolist()]   # log 0.25, log 0.75
        [-1.3863, -0.2877]
    """
    return LogSoftmax(axis)(x)
