"""numerical.diff (the seed's numerical.Diff) and gradcheck, which must pass right ops and catch wrong ones."""
import numpy as np
import pytest

import autograd.function as F
from autograd import Function, Variable, to_host
from autograd.backend import dtype_name
from autograd.numerical import GradcheckError, diff, gradcheck


def var(values, device, dtype=np.float64):
    return Variable(np.asarray(values, dtype=dtype), device=device)


# ---- diff -------------------------------------------------------------------------------------------------


def test_diff_of_sin_is_cos(device):
    xs = np.linspace(-3.0, 3.0, 13)
    d = diff(F.sin, var(xs, device))
    assert isinstance(d, Variable)
    assert d.device == device
    np.testing.assert_allclose(to_host(d), np.cos(xs), rtol=1e-7, atol=1e-8)


def test_diff_of_a_polynomial(device):
    xs = np.array([-2.0, 0.5, 3.0])
    d = diff(lambda x: x ** 3 - 2.0 * x, var(xs, device), h=1e-3)
    # central differences are exact up to h^2 f'''/6 = 1e-6 for a cubic
    np.testing.assert_allclose(to_host(d), 3 * xs ** 2 - 2 + 1e-6, rtol=0, atol=1e-9)


def test_diff_shifts_the_whole_input_at_once(device):
    # (sum(x + h) - sum(x - h)) / 2h = n: every element moved together, not one at a time
    d = diff(lambda x: x.sum(), var([1.0, 5.0, -2.0], device))
    assert to_host(d).item() == pytest.approx(3.0)


def test_diff_accepts_raw_numbers_and_arrays():
    assert to_host(diff(F.exp, 0.0)).item() == pytest.approx(1.0, rel=1e-8)
    np.testing.assert_allclose(to_host(diff(F.log, np.array([1.0, 4.0]))), [1.0, 0.25], rtol=1e-7)


def test_diff_records_no_graph(device):
    x = var([1.0, 2.0], device)
    d = diff(F.sin, x)
    assert d.creator is None
    assert x.grad is None


# ---- gradcheck passes right ops ---------------------------------------------------------------------------


@pytest.mark.parametrize("name, f, shapes", [
    ("sin", F.sin, [(3,)]),
    ("tanh", F.tanh, [(2, 3)]),
    ("mul", lambda a, b: a * b, [(2, 3), (2, 3)]),
    ("broadcast_div", lambda a, b: a / b, [(2, 3), (3,)]),
    ("matmul", lambda a, b: a @ b, [(2, 3), (3, 2)]),
    ("cube", lambda a: a ** 3, [(4,)]),
    ("two_outputs_used", lambda a: F.sin(a) * F.exp(a), [(3,)]),
    ("scalar_output", lambda a: (a * a).sum(), [(2, 2)]),
])
def test_gradcheck_passes_right_ops(device, name, f, shapes):
    rng = np.random.default_rng(1)
    inputs = [var(rng.uniform(0.5, 1.5, s), device) for s in shapes]
    assert gradcheck(f, *inputs) is True
    assert gradcheck(f, *inputs, second_order=False) is True


def test_gradcheck_checks_float32_inputs_in_float64(device):
    seen = []

    def f(x):
        seen.append(dtype_name(x.dtype))
        return F.sin(x) * 3.0

    assert gradcheck(f, var([0.1, 0.2], device, np.float32)) is True
    assert seen and set(seen) == {"float64"}


def test_gradcheck_accepts_raw_arrays_and_lists():
    assert gradcheck(F.exp, np.array([0.1, -0.3])) is True
    assert gradcheck(F.exp, [0.1, -0.3]) is True


def test_gradcheck_passes_integer_inputs_through_unchecked(device):
    seen = []

    def f(x, t):
        seen.append((dtype_name(x.dtype), dtype_name(t.dtype)))
        return F.where(t.data > 0, x * x, x * 3.0)

    x = var([0.5, -1.0, 2.0, 0.25], device)
    t = Variable(np.array([1, 0, 2, 0], dtype=np.int64), device=device)
    assert gradcheck(f, x, t) is True
    assert seen and set(seen) == {("float64", "int64")}  # never converted, never perturbed


def test_gradcheck_without_a_float_input_raises_value_error(device):
    t = Variable(np.array([1, 2]), device=device)
    with pytest.raises(ValueError, match="no floating-point input"):
        gradcheck(lambda t: t * 2, t)


# ---- gradcheck catches wrong ops --------------------------------------------------------------------------


class HalfSquare(Function):
    """y = x^2 with a wrong backward: gy x instead of 2 gy x."""

    def forward(self, x):
        return x * x

    def backward(self, gy):
        return gy * self.xs[0]


class MulWrongSecond(Function):
    """y = x0 x1; the gradient of x1 is twice too big."""

    def forward(self, x0, x1):
        return x0 * x1

    def backward(self, gy):
        x0, x1 = self.xs
        return gy * x1, gy * x0 * 2.0


class ConstantBackwardSquare(Function):
    """y = x^2 with a right first-order gradient 2 gy x, but computed from raw arrays wrapped as a constant:
    the backward pass is not differentiable with respect to x, so every second derivative is lost."""

    def forward(self, x):
        return x * x

    def backward(self, gy):
        return gy * (self.inputs[0].data * 2.0)  # .data: a constant even under create_graph


def test_gradcheck_catches_a_wrong_first_order_gradient(device):
    x = var([0.5, 1.5, -1.0], device)
    with pytest.raises(GradcheckError) as info:
        gradcheck(lambda x: HalfSquare()(x), x)
    message = str(info.value)
    assert "first-order" in message
    assert "input 0" in message
    assert str(device) in message
    assert isinstance(info.value, AssertionError)


def test_gradcheck_names_the_wrong_input(device):
    a = var([0.5, 1.5], device)
    b = var([2.0, -1.0], device)
    with pytest.raises(GradcheckError, match=r"first-order.*input 1"):
        gradcheck(lambda a, b: MulWrongSecond()(a, b), a, b)
    # swapping the arguments moves the blame
    with pytest.raises(GradcheckError, match=r"input 0"):
        gradcheck(lambda b, a: MulWrongSecond()(a, b), b, a)


def test_gradcheck_catches_a_wrong_second_order_gradient(device):
    x = var([0.5, 1.5, -1.0], device)

    def f(x):
        return ConstantBackwardSquare()(x)

    assert gradcheck(f, x, second_order=False) is True  # the first order is right
    with pytest.raises(GradcheckError) as info:
        gradcheck(f, x)
    message = str(info.value)
    assert "second-order" in message
    assert "first-order" not in message
    assert "input 0" in message


def test_right_square_passes_where_the_constant_backward_fails(device):
    class Square(Function):
        def forward(self, x):
            return x * x

        def backward(self, gy):
            return gy * self.xs[0] * 2.0

    assert gradcheck(lambda x: Square()(x), var([0.5, 1.5, -1.0], device)) is True


def test_gradcheck_error_reports_values():
    with pytest.raises(GradcheckError) as info:
        gradcheck(lambda x: HalfSquare()(x), np.array([2.0]))
    message = str(info.value)
    # L = x^2 w with w = 0.5 at x = 2: analytic gives 0.5 * 2 = 1, numeric 0.5 * 4 = 2
    assert "analytic 1" in message and "numeric 2" in message
    assert "index (0,)" in message
