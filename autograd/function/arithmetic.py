"""Elementwise arithmetic, with NumPy broadcasting.

The operators `+ - * / ** -x` on Variables call these. Python numbers on either side take the dtype of the
array beside them (`float32 * 2.0` stays float32).
"""
from autograd.backend import device_of
from autograd.function.elementwise import log
from autograd.function.shape import sum_to
from autograd.variable import Function

__all__ = ["add", "div", "mul", "neg", "pow", "square", "sub"]


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
        return (sum_to(gy * x1 * x0 ** (x1 - 1), a.shape) if a.requires_grad else None,
                sum_to(gy * x0 ** x1 * log(x0), b.shape) if b.requires_grad else None)


class Square(Function):
    def forward(self, x):
        return x * x

    def backward(self, gy):
        (x,) = self.xs
        return gy * x * 2.0


def add(x0, x1):
    """Elementwise sum `y = x0 + x1`, broadcasting the operands (the `+` operator).

    Gradient: `∂y/∂x0 = ∂y/∂x1 = 1`; the gradient of a broadcast operand is summed back to its shape.

    Args:
        x0 (Variable | array | float): first operand: a Variable, an array of any device, or a Python number.
        x1 (Variable | array | float): second operand, broadcast against `x0` with NumPy's rules.

    Returns:
        (Variable): the sum, of the broadcast shape.

    Raises:
        ValueError: the shapes do not broadcast.
        DeviceError: the operands are on different devices.

    Examples:
        >>> import autograd.function as F
        >>> from autograd import Variable, to_host
        >>> x = Variable([1.0, 2.0])
        >>> y = F.add(x, Variable([[10.0], [20.0]]))  # (2,) + (2, 1) -> (2, 2)
        >>> to_host(y).tolist()
        [[11.0, 12.0], [21.0, 22.0]]
        >>> F.sum(y).backward()
        >>> to_host(x.grad).tolist()                   # summed over the broadcast axis
        [2.0, 2.0]
    """
    return Add()(x0, x1)


def sub(x0, x1):
    """Elementwise difference `y = x0 - x1`, broadcasting the operands (the `-` operator).

    Gradient: `∂y/∂x0 = 1`, `∂y/∂x1 = -1`, each summed back to its operand's shape.

    Args:
        x0 (Variable | array | float): first operand: a Variable, an array of any device, or a Python number.
        x1 (Variable | array | float): second operand, broadcast against `x0`.

    Returns:
        (Variable): the difference, of the broadcast shape.

    Raises:
        ValueError: the shapes do not broadcast.
        DeviceError: the operands are on different devices.

    Examples:
        >>> import autograd.function as F
        >>> from autograd import Variable
        >>> a, b = Variable(5.0), Variable(3.0)
        >>> y = F.sub(a, b)
        >>> y.item()
        2.0
        >>> y.backward()
        >>> a.grad.item(), b.grad.item()
        (1.0, -1.0)
    """
    return Sub()(x0, x1)


def mul(x0, x1):
    """Elementwise product `y = x0 * x1`, broadcasting the operands (the `*` operator).

    Gradient: `∂y/∂x0 = x1`, `∂y/∂x1 = x0`, each summed back to its operand's shape.

    Args:
        x0 (Variable | array | float): first operand: a Variable, an array of any device, or a Python number.
        x1 (Variable | array | float): second operand, broadcast against `x0`.

    Returns:
        (Variable): the product, of the broadcast shape.

    Raises:
        ValueError: the shapes do not broadcast.
        DeviceError: the operands are on different devices.

    Examples:
        >>> import autograd.function as F
        >>> from autograd import Variable
        >>> a, b = Variable(3.0), Variable(4.0)
        >>> y = F.mul(a, b)
        >>> y.item()
        12.0
        >>> y.backward()
        >>> a.grad.item(), b.grad.item()
        (4.0, 3.0)
    """
    return Mul()(x0, x1)


def div(x0, x1):
    """Elementwise true division `y = x0 / x1`, broadcasting the operands (the `/` operator).

    Gradient: `∂y/∂x0 = 1 / x1`, `∂y/∂x1 = -x0 / x1²`, each summed back to its operand's shape. Division by
    zero follows IEEE arithmetic (inf or NaN, with NumPy's warning), as in the array library. Integer operands
    give float64 on NumPy; the array API devices (the simulated accelerator) refuse them with a `TypeError`.

    Args:
        x0 (Variable | array | float): numerator: a Variable, an array of any device, or a Python number.
        x1 (Variable | array | float): denominator, broadcast against `x0`.

    Returns:
        (Variable): the quotient, of the broadcast shape.

    Raises:
        ValueError: the shapes do not broadcast.
        DeviceError: the operands are on different devices.

    Examples:
        >>> import autograd.function as F
        >>> from autograd import Variable
        >>> a, b = Variable(1.0), Variable(4.0)
        >>> y = F.div(a, b)
        >>> y.item()
        0.25
        >>> y.backward()
        >>> a.grad.item(), b.grad.item()   # 1/4 and -1/16
        (0.25, -0.0625)
    """
    return Div()(x0, x1)


def neg(x):
    """Elementwise negation `y = -x` (the unary `-` operator); `∂y/∂x = -1`.

    Args:
        x (Variable | array | float): a Variable, an array of any device, or a Python number.

    Returns:
        (Variable): the result, of `x`'s shape and dtype.

    Examples:
        >>> import autograd.function as F
        >>> from autograd import Variable, to_host
        >>> x = Variable([1.0, -2.0])
        >>> to_host(F.neg(x)).tolist()
        [-1.0, 2.0]
    """
    return Neg()(x)


def pow(x, c):
    """Elementwise power `y = x ** c`, broadcasting `x` and `c` (the `**` operator, both ways round).

    Gradients:

        ∂y/∂x = c · x^(c-1)
        ∂y/∂c = y · log x      (only computed when c needs a gradient)

    So where `c` is a Variable that needs a gradient, `x` must be positive (else the gradient is NaN); a
    negative `x` with a non-integer `c` gives NaN already in the forward pass.

    Args:
        x (Variable | array | float): the base: a Variable, an array of any device, or a Python number.
        c (float | array | Variable): the exponent: a Python number, an array or a Variable.
            Typical values: `2`, `0.5`, `-1`.

    Returns:
        (Variable): the power, of the broadcast shape.

    Raises:
        ValueError: the shapes do not broadcast.
        DeviceError: `x` and `c` are arrays on different devices.

    Examples:
        >>> import autograd.function as F
        >>> from autograd import Variable
        >>> x = Variable(2.0)
        >>> y = F.pow(x, 3)
        >>> y.item()
        8.0
        >>> y.backward()
        >>> x.grad.item()   # 3 x² = 12
        12.0
    """
    return Pow()(x, c)


def square(x):
    """Elementwise square `y = x * x`; `∂y/∂x = 2x`.

    Args:
        x (Variable | array | float): a Variable, an array of any device, or a Python number.

    Returns:
        (Variable): the result, of `x`'s shape and dtype.

    Examples:
        >>> import autograd.function as F
        >>> from autograd import Variable
        >>> x = Variable(3.0)
        >>> y = F.square(x)
        >>> y.item()
        9.0
        >>> y.backward()
        >>> x.grad.item()
        6.0
    """
    return Square()(x)
