"""Elementwise arithmetic with NumPy broadcasting: add, sub, mul, div, neg, pow, square.

Python numbers on either side take the dtype of the array beside them (``float32 * 2.0`` stays float32).
"""
from autograd.backend import device_of
from autograd.function.elementwise import log
from autograd.function.shape import unbroadcast
from autograd.variable import Function


class Add(Function):
    def forward(self, x0, x1):
        return x0 + x1

    def backward(self, gy):
        x0, x1 = self.inputs
        (gy,) = self._operands(gy)
        return (unbroadcast(gy, x0.shape) if x0.requires_grad else None,
                unbroadcast(gy, x1.shape) if x1.requires_grad else None)


class Sub(Function):
    def forward(self, x0, x1):
        return x0 - x1

    def backward(self, gy):
        x0, x1 = self.inputs
        (gy,) = self._operands(gy)
        return (unbroadcast(gy, x0.shape) if x0.requires_grad else None,
                unbroadcast(-gy, x1.shape) if x1.requires_grad else None)


class Mul(Function):
    def forward(self, x0, x1):
        return x0 * x1

    def backward(self, gy):
        a, b = self.inputs
        x0, x1, gy = self._operands(a, b, gy)
        return (unbroadcast(gy * x1, a.shape) if a.requires_grad else None,
                unbroadcast(gy * x0, b.shape) if b.requires_grad else None)


class Div(Function):
    def forward(self, x0, x1):
        return x0 / x1

    def backward(self, gy):
        a, b = self.inputs
        x0, x1, gy = self._operands(a, b, gy)
        gx0 = gy / x1
        return (unbroadcast(gx0, a.shape) if a.requires_grad else None,
                unbroadcast(-gx0 * x0 / x1, b.shape) if b.requires_grad else None)


class Neg(Function):
    def forward(self, x):
        return -x

    def backward(self, gy):
        (gy,) = self._operands(gy)
        return -gy


class Pow(Function):
    """y = x0 ** x1; dy/dx0 = x1 x0^(x1-1), dy/dx1 = y log(x0) (only computed when x1 needs a gradient)."""

    def forward(self, x0, x1):
        return device_of(x0).xp.pow(x0, x1)

    def backward(self, gy):
        x0, x1 = self.inputs
        gx0 = gx1 = None
        if x0.requires_grad:
            gx0 = unbroadcast(gy * x1 * x0 ** (x1 - 1), x0.shape)
        if x1.requires_grad:
            gx1 = unbroadcast(gy * x0 ** x1 * log(x0), x1.shape)
        return gx0, gx1


class Square(Function):
    def forward(self, x):
        return x * x

    def backward(self, gy):
        x, gy = self._operands(self.inputs[0], gy)
        return gy * x * 2.0


def add(x0, x1):
    """x0 + x1."""
    return Add()(x0, x1)


def sub(x0, x1):
    """x0 - x1."""
    return Sub()(x0, x1)


def mul(x0, x1):
    """x0 * x1."""
    return Mul()(x0, x1)


def div(x0, x1):
    """x0 / x1."""
    return Div()(x0, x1)


def neg(x):
    """-x."""
    return Neg()(x)


def pow(x, c):
    """x ** c, for a number, array or Variable c (its gradient is y log x, so x > 0 where c needs one)."""
    return Pow()(x, c)


def square(x):
    """x * x."""
    return Square()(x)
