"""Activation functions."""
import math

from autograd._checks import number
from autograd.backend import device_of, ignoring_overflow
from autograd.function.elementwise import erfc, exp, tanh, where
from autograd.function.reduction import is_float16, sum
from autograd.variable import Function, as_variable

__all__ = ["elu", "gelu", "leaky_relu", "log_softmax", "relu", "sigmoid", "silu", "softmax", "softplus"]


class Sigmoid(Function):
    def forward(self, x):
        xp = device_of(x).xp
        if is_float16(x):  # exp(-x) overflows float16 from x = -11.1 (y = 1.5e-5)
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

    Accurate in both tails, without overflow warnings; float16 runs in float32 (`e^-x` overflows it from x = -11.1).

    Examples:
        >>> x = autograd.Variable(0.0)
        >>> y = F.sigmoid(x)
        >>> y.backward()
        >>> y.item(), x.grad.item()   # 0.5, 0.5 (1 - 0.5)
        (0.5, 0.25)
    """
    return Sigmoid()(x)


class ReLU(Function):
    def forward(self, x):
        return device_of(x).xp.maximum(x, 0)  # NaN stays NaN

    def backward(self, gy):
        x = self.inputs[0].data
        return gy * device_of(x).xp.astype(x > 0, gy.dtype)  # a constant mask, made from the input's data


def relu(x):
    """Elementwise rectified linear unit `y = max(x, 0)`; `∂y/∂x = 1` where `x > 0`, else 0. NaN stays NaN.

    Examples:
        >>> x = autograd.Variable([-1.0, 0.0, 2.0])
        >>> y = F.relu(x)
        >>> F.sum(y).backward()
        >>> autograd.to_host(y).tolist(), autograd.to_host(x.grad).tolist()   # no gradient at 0
        ([0.0, 0.0, 2.0], [0.0, 0.0, 1.0])
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
    """Elementwise leaky ReLU: `y = x` where `x > 0`, else `slope · x`; `∂y/∂x = 1` or `slope` (at `x = 0` too).

    Args:
        slope (float): the slope for `x <= 0`. Typical values: `0.01` (the default, as in PyTorch), `0.2`.

    Examples:
        >>> x = autograd.Variable([-1.0, 2.0])
        >>> y = F.leaky_relu(x, slope=0.1)
        >>> F.sum(y).backward()
        >>> autograd.to_host(y).tolist(), autograd.to_host(x.grad).tolist()
        ([-0.1, 2.0], [0.1, 1.0])
    """
    return LeakyReLU(number("leaky_relu: slope", slope, -math.inf))(x)  # a Python float, from NumPy's too


class ELU(Function):
    def __init__(self, alpha):
        self.alpha = alpha

    def forward(self, x):
        xp = device_of(x).xp
        return xp.where(x > 0, x, self.alpha * xp.expm1(xp.minimum(x, 0.0)))  # no overflow where x > 0

    def backward(self, gy):
        positive = self.inputs[0].data > 0  # a constant mask, from the input's data
        negative_part = where(positive, 0.0, self.xs[0])  # e^x of it never overflows
        return gy * where(positive, 1.0, self.alpha * exp(negative_part))  # α e^x, not y + α: exact in the tail


def elu(x, alpha=1.0):
    """Elementwise exponential linear unit: `y = x` where `x > 0`, else `α (e^x - 1)`.

    Gradient: `∂y/∂x = 1` where `x > 0`, else `α e^x` (at `x = 0` too, as PyTorch).

    Args:
        alpha (float): the scale of the negative part, `y → -alpha` as `x → -∞`. Typical value: `1.0` (the
            default, as in PyTorch).

    Examples:
        >>> x = autograd.Variable([-1.0, 2.0])
        >>> y = F.elu(x)
        >>> F.sum(y).backward()
        >>> [[round(v, 4) for v in autograd.to_host(a).tolist()] for a in (y, x.grad)]   # e^-1 - 1, e^-1
        [[-0.6321, 2.0], [0.3679, 1.0]]
    """
    return ELU(number("elu: alpha", alpha, -math.inf))(x)


def silu(x):
    """Elementwise sigmoid linear unit (swish): `y = x · sigmoid(x)`; `∂y/∂x = s (1 + x (1 - s))`, s = sigmoid(x).

    Composed from [F.sigmoid][autograd.function.sigmoid] and a product, which give its gradient.

    Examples:
        >>> x = autograd.Variable(1.0)
        >>> y = F.silu(x)
        >>> y.backward()
        >>> round(y.item(), 4), round(x.grad.item(), 4)
        (0.7311, 0.9277)
    """
    x = as_variable(x)
    return x * sigmoid(x)


class Softplus(Function):
    def __init__(self, beta, threshold):
        self.beta, self.threshold = beta, threshold

    def forward(self, x):
        xp = device_of(x).xp
        z = x * self.beta
        y = (xp.maximum(z, 0.0) + xp.log1p(xp.exp(-xp.abs(z)))) / self.beta  # never overflows; exact in the tails
        return xp.where(z > self.threshold, x, y)

    def backward(self, gy):
        (x,) = self.xs
        linear = self.inputs[0].data * self.beta > self.threshold  # a constant mask, from the input's data
        return gy * where(linear, 1.0, sigmoid(x * self.beta))


def softplus(x, beta=1.0, threshold=20.0):
    """Elementwise `y = log(1 + e^(βx)) / β`, a smooth relu, and `y = x` where `βx > threshold` (PyTorch's
    `softplus`); `∂y/∂x = sigmoid(βx)`, and 1 where linear.

    Computed as `(max(βx, 0) + log1p(e^-|βx|)) / β`: no overflow, full precision in both tails. The switch to
    `y = x` changes the value by at most `log1p(e^-threshold) / β` (2e-9 at the default); `threshold=math.inf`
    turns it off.

    Args:
        beta (float): the sharpness, > 0; `y → relu(x)` as `beta → ∞`. Typical values: `1.0` (the default), `2.0`.
        threshold (float): where the function turns linear, in units of `βx`. Default `20.0`, as in PyTorch.

    Examples:
        >>> x = autograd.Variable(0.0)
        >>> y = F.softplus(x)
        >>> y.backward()
        >>> round(y.item(), 6), x.grad.item()   # log 2, sigmoid(0)
        (0.693147, 0.5)
        >>> round(F.softplus(autograd.Variable(1.0), beta=2.0).item(), 6)   # log(1 + e²) / 2
        1.063464
    """
    beta = number("softplus: beta", beta, 0.0, low_open=True)  # Python floats: NumPy's would promote float16
    return Softplus(beta, number("softplus: threshold", threshold, -math.inf))(x)


_GELU_C = math.sqrt(2.0 / math.pi)
_SQRT_HALF = math.sqrt(0.5)


def gelu(x, approximate="none"):
    """Elementwise Gaussian error linear unit, `y = x Φ(x)`, Φ the standard normal distribution function
    (PyTorch's `gelu`, with its `approximate` argument).

    - `approximate="none"` (the default): the exact form, `y = x · erfc(-x / √2) / 2` (= `x (1 + erf(x / √2)) / 2`,
      with the left tail kept exact) on [F.erfc][autograd.function.erfc]; `∂y/∂x = Φ(x) + x φ(x)`, φ the normal
      density.
    - `approximate="tanh"`: `y = 0.5 x (1 + tanh(√(2/π) (x + 0.044715 x³)))`, GPT-2's, within 5e-4 of the exact
      form.

    Composed from differentiable ops, which give its gradient.

    Args:
        approximate (str): `"none"` or `"tanh"`, as in PyTorch.

    Examples:
        >>> x = autograd.Variable(1.0)
        >>> round(F.gelu(x).item(), 6), round(F.gelu(x, approximate="tanh").item(), 6)
        (0.841345, 0.841192)
    """
    if approximate not in ("none", "tanh"):
        raise ValueError(f"gelu: approximate must be 'none' or 'tanh', got {approximate!r}")
    x = as_variable(x)
    if approximate == "tanh":
        return 0.5 * x * (1.0 + tanh(_GELU_C * (x + 0.044715 * x * x * x)))
    return 0.5 * x * erfc(x * -_SQRT_HALF)


class Softmax(Function):
    def __init__(self, axis):
        self.axis = axis

    def forward(self, x):
        xp = device_of(x).xp
        if is_float16(x):  # Σ exp over more than 65,504 classes overflows float16
            return xp.astype(self.forward(xp.astype(x, xp.float32)), x.dtype)
        y = xp.exp(x - xp.max(x, axis=self.axis, keepdims=True))
        return y / xp.sum(y, axis=self.axis, keepdims=True)

    def backward(self, gy):
        (y,) = self.ys
        gx = y * gy
        return gx - y * sum(gx, axis=self.axis, keepdims=True)


def softmax(x, axis=1):
    """Softmax along `axis`, `y = exp(x) / Σ exp(x)`, computed stably; `∂L/∂x = y (gy - Σ y gy)`, summed along `axis`.

    Args:
        axis (int): the axis that sums to 1. Typical values: `1` (the default: the class axis of `(N, C)`
            scores), `-1`; a 1-D `x` needs `axis=0` or `-1`.

    Examples:
        >>> import math
        >>> y = F.softmax(autograd.Variable([[0.0, math.log(3.0)]]))
        >>> [round(p, 4) for p in autograd.to_host(y)[0].tolist()]
        [0.25, 0.75]
    """
    return Softmax(axis)(x)


class LogSoftmax(Function):
    def __init__(self, axis):
        self.axis = axis

    def forward(self, x):
        xp = device_of(x).xp
        if is_float16(x):  # as Softmax
            return xp.astype(self.forward(xp.astype(x, xp.float32)), x.dtype)
        m = xp.max(x, axis=self.axis, keepdims=True)
        shifted = x - m
        return shifted - xp.log(xp.sum(xp.exp(shifted), axis=self.axis, keepdims=True))

    def backward(self, gy):
        (y,) = self.ys
        return gy - exp(y) * sum(gy, axis=self.axis, keepdims=True)


def log_softmax(x, axis=1):
    """Log of the softmax along `axis`, `y = x - logsumexp(x)`, computed stably; `∂L/∂x = gy - softmax(x) Σ gy`.

    Args:
        axis (int): the class axis. Typical values: `1` (the default, for `(N, C)` scores), `-1`.

    Examples:
        >>> import math
        >>> y = F.log_softmax(autograd.Variable([[0.0, math.log(3.0)]]))
        >>> [round(v, 4) for v in autograd.to_host(y)[0].tolist()]   # log 0.25, log 0.75
        [-1.3863, -0.2877]
    """
    return LogSoftmax(axis)(x)
