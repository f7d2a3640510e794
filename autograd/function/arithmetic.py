"""Elementwise arithmetic."""
from autograd.backend import device_of, ignoring_poles
from autograd.function.elementwise import log, where
from autograd.function.shape import sum_to
from autograd.variable import Function

__all__ = ["add", "div", "maximum", "minimum", "mul", "neg", "pow", "square", "sub"]


class Add(Function):
    def forward(self, x0, x1):
        return x0 + x1

    def backward(self, gy):
        x0, x1 = self.inputs
        return (sum_to(gy, x0.shape) if x0.requires_grad else None,
                sum_to(gy, x1.shape) if x1.requires_grad else None)


class Sub(Function):
    def forward(self, x0, x1):
        return x0 - x1

    def backward(self, gy):
        x0, x1 = self.inputs
        return (sum_to(gy, x0.shape) if x0.requires_grad else None,
                sum_to(-gy, x1.shape) if x1.requires_grad else None)


class Mul(Function):
    def forward(self, x0, x1):
        return x0 * x1

    def backward(self, gy):
        a, b = self.inputs
        x0, x1 = self.xs
        return (sum_to(gy * x1, a.shape) if a.requires_grad else None,
                sum_to(gy * x0, b.shape) if b.requires_grad else None)


class Div(Function):
    def forward(self, x0, x1):
        return x0 / x1

    def backward(self, gy):
        a, b = self.inputs
        x0, x1 = self.xs
        gx0 = gy / x1
        return (sum_to(gx0, a.shape) if a.requires_grad else None,
                sum_to(-gx0 * x0 / x1, b.shape) if b.requires_grad else None)


class Neg(Function):
    def forward(self, x):
        return -x

    def backward(self, gy):
        return -gy


class Pow(Function):
    def forward(self, x0, x1):
        return device_of(x0).xp.pow(x0, x1)

    def backward(self, gy):
        a, b = self.inputs
        x0, x1 = self.xs
        gx0 = gx1 = None
        with ignoring_poles():  # inf at a pole (0.5 x^-0.5 at 0) is the value, not a reason to warn
            if a.requires_grad:  # c x^(c-1), and 0 where x = c = 0 (computed there as 1 x^0, not 0 · 0^-1 = 0 · inf)
                flat = (b.data == 0) & (a.data == 0)
                gx0 = sum_to(gy * where(flat, 0.0, x1 * x0 ** (where(flat, 1.0, x1) - 1)), a.shape)
            if b.requires_grad:  # y ln x, and 0 where x = 0 and c >= 0 (computed there as y ln 1)
                gx1 = sum_to(gy * x0 ** x1 * log(where((a.data == 0) & (b.data >= 0), 1.0, x0)), b.shape)
        return gx0, gx1


class _Pairwise(Function):
    """maximum or minimum of two broadcast operands. Gradient (PyTorch's): `gy` to the operand that is chosen,
    `gy / 2` to each where they tie, and, where one is NaN (the result), `gy` to both. The shares are constants
    made from the inputs' data, so higher derivatives are 0, as of relu."""

    def backward(self, gy):
        a, b = self.inputs
        xp = device_of(a.data).xp
        tie = xp.astype(a.data == b.data, gy.dtype) * 0.5
        gx0 = gx1 = None
        if a.requires_grad:  # a loses where it is below b for maximum, above for minimum
            gx0 = sum_to(gy * (1.0 - tie - xp.astype(self.loses(a.data, b.data), gy.dtype)), a.shape)
        if b.requires_grad:
            gx1 = sum_to(gy * (1.0 - tie - xp.astype(self.loses(b.data, a.data), gy.dtype)), b.shape)
        return gx0, gx1


class Maximum(_Pairwise):
    def forward(self, x0, x1):
        return device_of(x0).xp.maximum(x0, x1)

    @staticmethod
    def loses(x, other):
        return x < other


class Minimum(_Pairwise):
    def forward(self, x0, x1):
        return device_of(x0).xp.minimum(x0, x1)

    @staticmethod
    def loses(x, other):
        return x > other


class Square(Function):
    def forward(self, x):
        return x * x

    def backward(self, gy):
        (x,) = self.xs
        return gy * x * 2.0


def add(x0, x1):
    """Elementwise sum `y = x0 + x1` (the `+` operator); `∂y/∂x0 = ∂y/∂x1 = 1`.

    Examples:
        >>> x = autograd.Variable([1.0, 2.0])
        >>> y = F.add(x, autograd.Variable([[10.0], [20.0]]))  # (2,) + (2, 1) -> (2, 2)
        >>> F.sum(y).backward()
        >>> autograd.to_host(y).tolist(), autograd.to_host(x.grad).tolist()  # the gradient summed back to (2,)
        ([[11.0, 12.0], [21.0, 22.0]], [2.0, 2.0])
    """
    return Add()(x0, x1)


def sub(x0, x1):
    """Elementwise difference `y = x0 - x1` (the `-` operator); `∂y/∂x0 = 1`, `∂y/∂x1 = -1`.

    Examples:
        >>> F.sub(autograd.Variable(5.0), 3.0).item()
        2.0
    """
    return Sub()(x0, x1)


def mul(x0, x1):
    """Elementwise product `y = x0 * x1` (the `*` operator); `∂y/∂x0 = x1`, `∂y/∂x1 = x0`.

    Examples:
        >>> a, b = autograd.Variable(3.0), autograd.Variable(4.0)
        >>> y = F.mul(a, b)
        >>> y.backward()
        >>> y.item(), a.grad.item(), b.grad.item()
        (12.0, 4.0, 3.0)
    """
    return Mul()(x0, x1)


def div(x0, x1):
    """Elementwise true division `y = x0 / x1` (the `/` operator); `∂y/∂x0 = 1 / x1`, `∂y/∂x1 = -x0 / x1²`.

    Division by zero gives inf or NaN. Integer operands give float64 on NumPy, a `TypeError` on array API devices.

    Examples:
        >>> a, b = autograd.Variable(1.0), autograd.Variable(4.0)
        >>> y = F.div(a, b)
        >>> y.backward()
        >>> y.item(), a.grad.item(), b.grad.item()   # 1/4, 1/4, -1/16
        (0.25, 0.25, -0.0625)
    """
    return Div()(x0, x1)


def neg(x):
    """Elementwise negation `y = -x` (the unary `-` operator); `∂y/∂x = -1`.

    Examples:
        >>> autograd.to_host(F.neg(autograd.Variable([1.0, -2.0]))).tolist()
        [-1.0, 2.0]
    """
    return Neg()(x)


def pow(x, c):
    """Elementwise power `y = x ** c` (the `**` operator, both ways round).

    Gradient (PyTorch's values): `∂y/∂x = c x^(c-1)`, 0 where `c = 0` (at x = 0 too), inf at x = 0 for
    0 < c < 1; `∂y/∂c = y ln x`, computed only when `c` needs a gradient, 0 where `x = 0` and `c >= 0`, NaN
    where `x < 0`; the 0s are constants at x = 0, so higher orders are 0 there too. No warning from the backward
    at these points. A negative `x` with a non-integer `c` gives NaN already in the forward pass.

    Examples:
        >>> x = autograd.Variable(2.0)
        >>> y = F.pow(x, 3)
        >>> y.backward()
        >>> y.item(), x.grad.item()   # 2³, 3 · 2²
        (8.0, 12.0)
    """
    return Pow()(x, c)


def square(x):
    """Elementwise square `y = x * x`; `∂y/∂x = 2x`.

    Examples:
        >>> autograd.to_host(F.square(autograd.Variable([3.0, -0.5]))).tolist()
        [9.0, 0.25]
    """
    return Square()(x)


def maximum(x0, x1):
    """Elementwise larger of two operands, `y = max(x0, x1)`, broadcasting them (NumPy's and PyTorch's `maximum`).

    Gradient: `gy` to the larger, 0 to the other; where they are equal each gets `gy / 2` (PyTorch's choice, so
    that the gradients still add up to `gy`). NaN in either operand gives NaN, and `gy` to both.

    Examples:
        >>> a, b = autograd.Variable([1.0, 2.0, 3.0]), autograd.Variable([3.0, 2.0, 1.0])
        >>> y = F.maximum(a, b)
        >>> F.sum(y).backward()
        >>> [autograd.to_host(v).tolist() for v in (y, a.grad, b.grad)]
        [[3.0, 2.0, 3.0], [0.0, 0.5, 1.0], [1.0, 0.5, 0.0]]
    """
    return Maximum()(x0, x1)


def minimum(x0, x1):
    """Elementwise smaller of two operands, `y = min(x0, x1)`, broadcasting them; gradient as
    [F.maximum][autograd.function.maximum]: `gy` to the smaller, `gy / 2` to each at a tie.

    Examples:
        >>> a = autograd.Variable([1.0, 2.0, 3.0])
        >>> y = F.minimum(a, 2.0)
        >>> F.sum(y).backward()
        >>> autograd.to_host(y).tolist(), autograd.to_host(a.grad).tolist()
        ([1.0, 2.0, 2.0], [1.0, 0.5, 0.0])
    """
    return Minimum()(x0, x1)
