"""Numerical differentiation: central differences, and gradcheck to test backward against them.

[diff][autograd.numerical.diff] estimates the derivative of an elementwise function, the seed's
`numerical.Diff`. [gradcheck][autograd.numerical.gradcheck] compares the gradients backprop computes, first
and second order, with central differences, and raises [GradcheckError][autograd.numerical.GradcheckError]
where they disagree: the test every op of autograd passes.
"""
from __future__ import annotations

import math

from autograd.backend import device_of, to_host
from autograd.config import no_grad
from autograd.variable import Variable, as_variable

__all__ = ["diff", "gradcheck", "GradcheckError"]


class GradcheckError(AssertionError):
    """Backprop and numerical gradients disagree (a subclass of AssertionError, so pytest reports it as a
    failed check); the message names the input, the order, the index and both values."""


def diff(f, x, h=1e-4):
    """The central difference `(f(x + h) - f(x - h)) / 2h`, all of x shifted at once (the seed's `numerical.Diff`).

    For an elementwise `f` this is the derivative at every element; otherwise the derivative along the all-ones
    direction. The error is O(h²); x keeps its dtype, so use `h` around `1e-2` for float32.

    Examples:
        >>> import autograd.function as F
        >>> from autograd import Variable, numerical
        >>> round(numerical.diff(F.sin, Variable(0.0)).item(), 6)  # cos 0
        1.0
    """
    x = as_variable(x)
    with no_grad():
        y_plus = f(Variable(x.data + h))
        y_minus = f(Variable(x.data - h))
    return Variable((y_plus.data - y_minus.data) / (2 * h))


def _weights(y):
    """Fixed, uneven weights shaped like y, so that errors in different elements cannot cancel."""
    device = device_of(y)
    xp = device.xp
    k = xp.arange(math.prod(y.shape), dtype=y.dtype, device=device.where)
    return xp.reshape(0.5 + (k * 0.618034) % 1.0, tuple(y.shape))


def _weighted_sum(outputs):
    """sum_k sum(y_k * w_k): one scalar that depends on every element of every output (None for none)."""
    if isinstance(outputs, Variable):
        outputs = [outputs]
    total = None
    for y in outputs:
        term = (y * _weights(y.data)).sum()
        total = term if total is None else total + term
    return total


def _numeric_grad(scalar_fn, arrays, i, h):
    """d scalar_fn / d arrays[i] by central differences, element by element, as a host array."""
    x = arrays[i]
    device = device_of(x)
    xp = device.xp
    flat = xp.reshape(x, (-1,))
    grad = to_host(xp.zeros_like(flat)).copy()
    for k in range(math.prod(x.shape)):
        step = xp.zeros_like(flat)
        step[k] = h
        values = []
        for sign in (1.0, -1.0):
            shifted = list(arrays)
            shifted[i] = xp.reshape(flat + sign * step, tuple(x.shape))
            values.append(to_host(scalar_fn(shifted).data).item())
        grad[k] = (values[0] - values[1]) / (2 * h)
    return grad.reshape(tuple(x.shape))


def _compare(analytic, numeric, what, x, atol, rtol):
    analytic = to_host(analytic)
    error = abs(analytic - numeric)
    bound = atol + rtol * abs(numeric)
    if (error > bound).any() or not (error == error).all():
        flat = (error - bound).argmax() if (error == error).all() else (error != error).argmax()
        index = tuple(int(i) for i in _unravel(flat, numeric.shape))
        raise GradcheckError(
            f"gradcheck: {what} of input {x} differs from the numerical gradient: "
            f"max |analytic - numeric| = {float(error.max()):.3g} at index {index}: analytic "
            f"{float(analytic[index]):.6g}, numeric {float(numeric[index]):.6g} (atol {atol}, rtol {rtol})")


def _unravel(flat, shape):
    index = []
    for s in reversed(shape):
        index.append(flat % s)
        flat //= s
    return tuple(reversed(index))


def gradcheck(f, *inputs, h=1e-6, atol=1e-5, rtol=1e-4, second_order=True):
    """Check the gradients of `f(*inputs)` against central differences, first and second order, on the inputs' device.

    Floating inputs are checked in float64; integer inputs (labels) pass through. The first order compares
    `dL/dx` for `L = sum(f(x) * w)` with fixed uneven weights `w` (errors cannot cancel); the second order compares
    `dG/dx` for `G = Σ_i sum(dL/dx_i * v_i)`, differentiating the recorded backward pass. An element passes when
    `|analytic - numeric| <= atol + rtol * |numeric|`. Two evaluations of `f` per element and order: keep inputs small.

    Returns:
        ok (bool): True when every gradient agrees.

    Raises:
        GradcheckError: a gradient differs or is NaN; the message names the input, the order, the index and both values.
        ValueError: no input is floating-point.

    Examples:
        >>> import autograd.function as F
        >>> from autograd import Function, Variable, numerical
        >>> numerical.gradcheck(F.matmul, Variable([[1.0, 2.0]]), Variable([[3.0], [4.0]]))
        True
        >>> class BadSquare(Function):
        ...     def forward(self, x):
        ...         return x * x
        ...     def backward(self, gy):
        ...         return gy * self.xs[0]  # should be 2 x gy
        >>> numerical.gradcheck(lambda x: BadSquare()(x), Variable([1.0, 2.0]))
        Traceback (most recent call last):
        ...
        autograd.numerical.GradcheckError: gradcheck: the first-order gradient of input 0 (shape (2,), on cpu) ...
    """
    arrays, checked = [], []
    for i, x in enumerate(inputs):
        data = x.data if isinstance(x, Variable) else as_variable(x).data
        xp = device_of(data).xp
        if xp.isdtype(data.dtype, "real floating"):
            data = xp.astype(data, xp.float64)
            checked.append(i)
        arrays.append(data)
    if not checked:
        raise ValueError("gradcheck: no floating-point input to check")

    def loss(arrays):
        return _weighted_sum(f(*[Variable(a) for a in arrays]))

    def first_grads(arrays, create_graph):
        xs = [Variable(a) for a in arrays]
        loss_value = _weighted_sum(f(*xs))
        loss_value.backward(create_graph=create_graph)
        return xs, [xs[i].grad for i in checked]

    _, grads = first_grads(arrays, create_graph=False)
    for i, g in zip(checked, grads):
        numeric = _numeric_grad(loss, arrays, i, h)
        _compare(_grad_or_zeros(g, arrays[i]), numeric, "the first-order gradient", _describe(i, arrays[i]), atol, rtol)
    if not second_order:
        return True

    def grad_dot(arrays, create_graph=False):
        xs, grads = first_grads(arrays, create_graph=create_graph)
        return xs, _weighted_sum([g for g in grads if g is not None])

    xs, total = grad_dot(arrays, create_graph=True)
    if total is None:
        return True
    for x in xs:
        x.cleargrad()
    total.backward()
    for i in checked:
        numeric = _numeric_grad(lambda a: grad_dot(a)[1], arrays, i, h)
        _compare(_grad_or_zeros(xs[i].grad, arrays[i]), numeric, "the second-order gradient", _describe(i, arrays[i]), atol, rtol)
    return True


def _grad_or_zeros(grad, like):
    """The gradient's array, or zeros where backprop gave none (the input did not reach the output)."""
    return grad.data if grad is not None else device_of(like).xp.zeros_like(like)


def _describe(i, array):
    return f"{i} (shape {tuple(array.shape)}, on {device_of(array)})"
