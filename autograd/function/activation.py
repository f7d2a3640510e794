"""Activations: sigmoid, relu, leaky_relu, gelu, softmax, log_softmax."""
import math

from autograd.backend import device_of, ignoring_overflow
from autograd.config import backprop_enabled
from autograd.function.elementwise import exp, tanh
from autograd.function.reduction import sum
from autograd.variable import Function


class Sigmoid(Function):
    def forward(self, x):
        with ignoring_overflow():
            z = device_of(x).xp.exp(-x)  # inf for x below about -88 (float32): y = 1 / inf = 0, the limit
        z += 1.0
        return 1.0 / z  # full relative precision in both tails, in four array ops

    def backward(self, gy):
        y, gy = self._operands(self.outputs[0](), gy)
        gx = 1.0 - y  # a new array: the in-place products below write only into it (Variables: plain products)
        gx *= y
        gx *= gy
        return gx


def sigmoid(x):
    """1 / (1 + e^-x); d/dx = y (1 - y)."""
    return Sigmoid()(x)


class ReLU(Function):
    def forward(self, x):
        return device_of(x).xp.maximum(x, 0)  # NaN stays NaN

    def backward(self, gy):
        x = self.inputs[0].data
        xp = device_of(x).xp
        if backprop_enabled():
            return gy * xp.astype(x > 0, gy.dtype)
        return xp.where(x > 0, gy.data, 0.0)  # plain arrays when no graph of the backward pass is wanted


def relu(x):
    """max(x, 0); the gradient is 1 where x > 0, else 0."""
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
    """x where x > 0, else slope * x."""
    return LeakyReLU(slope)(x)


_GELU_C = math.sqrt(2.0 / math.pi)


def gelu(x):
    """GELU, tanh form: 0.5 x (1 + tanh(sqrt(2/pi) (x + 0.044715 x³)))."""
    return 0.5 * x * (1.0 + tanh(_GELU_C * (x + 0.044715 * x * x * x)))


class Softmax(Function):
    def __init__(self, axis):
        self.axis = axis

    def forward(self, x):
        xp = device_of(x).xp
        y = xp.exp(x - xp.max(x, axis=self.axis, keepdims=True))
        return y / xp.sum(y, axis=self.axis, keepdims=True)

    def backward(self, gy):
        y = self.outputs[0]()
        gx = y * gy
        return gx - y * sum(gx, axis=self.axis, keepdims=True)


def softmax(x, axis=1):
    """exp(x) / sum(exp(x)) along ``axis`` (the class axis, 1 by default), computed stably."""
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
        y = self.outputs[0]()
        return gy - exp(y) * sum(gy, axis=self.axis, keepdims=True)


def log_softmax(x, axis=1):
    """x - logsumexp(x) along ``axis``: the log of softmax, without its underflow."""
    return LogSoftmax(axis)(x)
