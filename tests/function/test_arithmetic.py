"""add, sub, mul, div, neg, pow, square, maximum, minimum: broadcasting, operators, constants and exact gradients
(the op table, tests/op_tables.py, has the rows for each op and its Python-scalar spellings)."""
import numpy as np
import pytest

import autograd.function as F
from autograd import Variable, to_host
from autograd.numerical import gradcheck
from op_tables import BINARY

RNG = np.random.default_rng(7)


# (shape of x0, shape of x1): equal shapes, broadcasting either way, and 0-d operands on either side
SHAPES = [((2, 3), (2, 3)), ((2, 3), (3,)), ((3,), (2, 3)), ((2, 1), (1, 3)), ((), (2, 3)), ((2, 3), ())]


def operands(name, s0, s1):
    """Host inputs away from trouble: positive bases for pow, divisors away from 0."""
    x0 = RNG.uniform(0.5, 2.0, s0) if name == "pow" else RNG.normal(size=s0)
    x1 = RNG.uniform(0.5, 2.0, s1) * RNG.choice([-1.0, 1.0], s1) if name == "div" else RNG.normal(size=s1)
    return np.asarray(x0), np.asarray(x1)


@pytest.mark.parametrize("shapes", SHAPES, ids=lambda s: f"{s[0]}-{s[1]}")
@pytest.mark.parametrize("name", BINARY)
def test_binary_forward(device, name, shapes):
    op, ref = BINARY[name]
    a, b = operands(name, *shapes)
    y = op(Variable(a, device=device), Variable(b, device=device))
    expected = ref(a, b)
    assert y.shape == expected.shape
    assert y.device == device
    np.testing.assert_allclose(to_host(y), expected, rtol=1e-12)


@pytest.mark.parametrize("shapes", SHAPES, ids=lambda s: f"{s[0]}-{s[1]}")
@pytest.mark.parametrize("name", BINARY)
def test_binary_gradcheck(device, name, shapes):
    op, _ = BINARY[name]
    a, b = operands(name, *shapes)
    assert gradcheck(op, Variable(a, device=device), Variable(b, device=device))


@pytest.mark.parametrize("name", BINARY)
def test_binary_operators_match_functions(device, name):
    op, ref = BINARY[name]
    symbol = {"add": "+", "sub": "-", "mul": "*", "div": "/", "pow": "**"}[name]
    a, b = operands(name, (2, 3), (3,))
    x0, x1 = Variable(a, device=device), Variable(b, device=device)
    y = eval(f"x0 {symbol} x1")
    assert isinstance(y.creator, type(op(x0, x1).creator))
    np.testing.assert_allclose(to_host(y), ref(a, b), rtol=1e-12)


def test_broadcast_gradients_are_summed_exactly(device):
    a = np.array([[1.0, 2.0, 3.0], [4.0, 5.0, 6.0]])
    b = np.array([10.0, 20.0, 30.0])
    x0, x1 = Variable(a, device=device), Variable(b, device=device)
    F.add(x0, x1).backward()
    np.testing.assert_array_equal(to_host(x0.grad), np.ones((2, 3)))
    np.testing.assert_array_equal(to_host(x1.grad), [2.0, 2.0, 2.0])

    x0, x1 = Variable(a, device=device), Variable(b, device=device)
    F.sub(x0, x1).backward()
    np.testing.assert_array_equal(to_host(x1.grad), [-2.0, -2.0, -2.0])

    x0, x1 = Variable(a, device=device), Variable(b, device=device)
    F.mul(x0, x1).backward()
    np.testing.assert_array_equal(to_host(x0.grad), np.broadcast_to(b, (2, 3)))
    np.testing.assert_array_equal(to_host(x1.grad), [5.0, 7.0, 9.0])

    col, row = Variable([[1.0], [2.0]], device=device), Variable([[3.0, 4.0, 5.0]], device=device)
    F.div(col, row).backward()
    np.testing.assert_allclose(to_host(col.grad), [[1 / 3 + 1 / 4 + 1 / 5]] * 2, rtol=1e-12)
    np.testing.assert_allclose(to_host(row.grad), [[-3.0 / 9, -3.0 / 16, -3.0 / 25]], rtol=1e-12)


def test_pow_gradients(device):
    a, c = np.array([0.5, 2.0, 3.0]), np.array([2.0, 3.0, 0.5])
    x, e = Variable(a, device=device), Variable(c, device=device)
    F.pow(x, e).backward()
    np.testing.assert_allclose(to_host(x.grad), c * a ** (c - 1), rtol=1e-12)
    np.testing.assert_allclose(to_host(e.grad), a ** c * np.log(a), rtol=1e-12)


def test_pow_with_constant_exponent_computes_no_exponent_gradient(device):
    # a negative base is fine when the exponent is a constant: no log(x) is needed
    a = np.array([-2.0, -0.5, 1.5])
    x = Variable(a, device=device)
    exponent = device.put(np.array([2.0, 3.0, 4.0]))
    y = F.pow(x, exponent)
    np.testing.assert_allclose(to_host(y), a ** np.array([2.0, 3.0, 4.0]), rtol=1e-12)
    y.backward()
    np.testing.assert_allclose(to_host(x.grad), np.array([2.0, 3.0, 4.0]) * a ** np.array([1.0, 2.0, 3.0]),
                               rtol=1e-12)
    assert y.creator.inputs[1].grad is None


def test_scalar_operand_gradients_exact(device):
    a = np.array([1.0, 2.0, 4.0])
    x = Variable(a, device=device)
    (3.0 * x - x / 2 + x ** 2).backward()
    np.testing.assert_allclose(to_host(x.grad), 3.0 - 0.5 + 2 * a, rtol=1e-12)
    x = Variable(a, device=device)
    (2.0 ** x).backward()
    np.testing.assert_allclose(to_host(x.grad), 2.0 ** a * np.log(2.0), rtol=1e-12)


def test_neg(device):
    a = np.array([[1.5, -2.0, 0.0]])
    x = Variable(a, device=device)
    y = F.neg(x)
    np.testing.assert_array_equal(to_host(y), -a)
    y.backward()
    np.testing.assert_array_equal(to_host(x.grad), -np.ones_like(a))
    assert gradcheck(F.neg, Variable(RNG.normal(size=(2, 3)), device=device))


def test_square(device):
    a = RNG.normal(size=(2, 3))
    x = Variable(a, device=device)
    y = F.square(x)
    np.testing.assert_allclose(to_host(y), a * a, rtol=1e-12)
    y.backward()
    np.testing.assert_allclose(to_host(x.grad), 2 * a, rtol=1e-12)
    assert gradcheck(F.square, Variable(a, device=device))


@pytest.mark.parametrize("name", BINARY)
def test_constant_operands_get_no_gradient(device, name):
    op, ref = BINARY[name]
    a, b = operands(name, (2, 3), (3,))
    x = Variable(a, device=device)
    y = op(x, device.put(b))
    np.testing.assert_allclose(to_host(y), ref(a, b), rtol=1e-12)
    y.backward()
    assert x.grad is not None and x.grad.shape == (2, 3)
    assert y.creator.inputs[1].requires_grad is False
    assert y.creator.inputs[1].grad is None

    x1 = Variable(b, device=device)
    y = op(device.put(a), x1)
    y.backward()
    assert x1.grad is not None and x1.grad.shape == (3,)
    assert y.creator.inputs[0].grad is None


def test_constants_only_build_no_graph(device):
    y = F.mul(device.put(np.array([1.0, 2.0])), device.put(np.array([3.0, 4.0])))
    np.testing.assert_array_equal(to_host(y), [3.0, 8.0])
    assert y.creator is None


# ---- pow at the edge points: PyTorch's gradients, no warning ------------------------------------------------

LN2 = np.log(2.0)


def _first_and_second(f, *xs):
    """f(*xs) summed, its gradients (recorded), and the gradients of their sum: [(g_i, [d(sum g_i)/dx_j])]."""
    F.sum(f(*xs)).backward(create_graph=True)
    grads = [x.grad for x in xs]
    second = []
    for g in grads:
        for x in xs:
            x.cleargrad()
        F.sum(g).backward()
        second.append([to_host(x.grad) if x.grad is not None else None for x in xs])
    return [to_host(g) for g in grads], second


@pytest.mark.filterwarnings("error")
@pytest.mark.parametrize("c, gx, ggx", [
    (0, [0.0, 0.0, 0.0], [0.0, 0.0, 0.0]),  # x^0 = 1: derivative 0 everywhere, at x = 0 too
    (1, [1.0, 1.0, 1.0], [0.0, 0.0, 0.0]),
    (2, [0.0, 4.0, -2.0], [2.0, 2.0, 2.0]),
    (3, [0.0, 12.0, 3.0], [0.0, 12.0, -6.0]),
])
def test_pow_with_a_number_exponent_at_zero(device, c, gx, ggx):
    x = Variable(np.array([0.0, 2.0, -1.0]), device=device)
    (g,), ((gg,),) = _first_and_second(lambda x: x ** c, x)
    np.testing.assert_allclose(g, gx, rtol=1e-12)
    np.testing.assert_allclose(gg, ggx, rtol=1e-12)


@pytest.mark.filterwarnings("error")
def test_pow_of_a_square_root_at_zero_is_inf_without_warning(device):
    # d/dx x^0.5 = 0.5 x^-0.5: inf at 0 (PyTorch's value), -inf for the second derivative
    x = Variable(np.array([0.0, 4.0]), device=device)
    (g,), ((gg,),) = _first_and_second(lambda x: x ** 0.5, x)
    np.testing.assert_allclose(g, [np.inf, 0.25], rtol=1e-12)
    np.testing.assert_allclose(gg, [-np.inf, -0.25 * 4.0 ** -1.5], rtol=1e-12)
    x = Variable(np.array([0.0, 4.0]), device=device)
    F.sum(F.pow(x, 0.5)).backward()
    np.testing.assert_allclose(to_host(x.grad), [np.inf, 0.25], rtol=1e-12)


@pytest.mark.filterwarnings("error")
def test_pow_with_a_tensor_exponent_at_zero_base(device):
    # PyTorch: dy/dx = 0 where c = 0; dy/dc = y ln x, 0 where x = 0 and c >= 0; at every order
    x = Variable(np.array([0.0, 0.0, 0.0, 2.0]), device=device)
    c = Variable(np.array([0.0, 2.0, 0.5, 2.0]), device=device)
    F.sum(x ** c).backward()
    np.testing.assert_allclose(to_host(x.grad), [0.0, 0.0, np.inf, 4.0], rtol=1e-12)
    np.testing.assert_allclose(to_host(c.grad), [0.0, 0.0, 0.0, 4.0 * LN2], rtol=1e-12)
    # second order: constant 0s at x = 0; elsewhere the true derivatives, at c = 0 too (there PyTorch's
    # where(c == 0, 0, ...) would give 0 for ∂²y/∂x∂c = 1/x, which gradcheck refuses)
    x = Variable(np.array([0.0, 0.0, 2.0, 2.0]), device=device)
    c = Variable(np.array([0.0, 2.0, 2.0, 0.0]), device=device)
    (gx, gc), ((gxx, gxc), (gcx, gcc)) = _first_and_second(lambda x, c: x ** c, x, c)
    np.testing.assert_allclose(gx, [0.0, 0.0, 4.0, 0.0], rtol=1e-12)
    np.testing.assert_allclose(gc, [0.0, 0.0, 4.0 * LN2, LN2], rtol=1e-12)
    np.testing.assert_allclose(gxx, [0.0, 2.0, 2.0, 0.0], rtol=1e-12)
    np.testing.assert_allclose(gxc, [0.0, 0.0, 2.0 + 4.0 * LN2, 0.5], rtol=1e-12)  # x^(c-1) (1 + c ln x)
    np.testing.assert_allclose(gcx, [0.0, 0.0, 4.0 * LN2 + 2.0, 0.5], rtol=1e-12)  # c x^(c-1) ln x + y / x
    np.testing.assert_allclose(gcc, [0.0, 0.0, 4.0 * LN2 ** 2, LN2 ** 2], rtol=1e-12)  # y ln² x


@pytest.mark.filterwarnings("error")
def test_zero_to_a_tensor_power(device):
    c = Variable(np.array([0.0, 2.0, 0.5]), device=device)
    y = 0.0 ** c
    F.sum(y).backward()
    np.testing.assert_array_equal(to_host(y), [1.0, 0.0, 0.0])
    np.testing.assert_array_equal(to_host(c.grad), [0.0, 0.0, 0.0])  # PyTorch: 0 where the base is 0 and c >= 0


# ---- issue 16, elemops: maximum, minimum ----------------------------------------------------------------

@pytest.mark.parametrize("op, ref", [(F.maximum, np.maximum), (F.minimum, np.minimum)])
def test_maximum_minimum_split_ties_half_and_half(device, op, ref):
    # PyTorch's rule: the chosen operand gets gy, the other 0, and at a tie each gets gy / 2
    a, b = np.array([1.0, 2.0, 3.0, -1.0]), np.array([3.0, 2.0, 1.0, -1.0])
    x0, x1 = Variable(a, device=device), Variable(b, device=device)
    y = op(x0, x1)
    (y * device.put(np.array([2.0, 4.0, 6.0, 8.0]))).sum().backward()
    np.testing.assert_array_equal(to_host(y), ref(a, b))
    wins = (a > b) if op is F.maximum else (a < b)
    np.testing.assert_array_equal(to_host(x0.grad), np.where(a == b, [1.0, 2.0, 3.0, 4.0], wins * [2.0, 4, 6, 8]))
    np.testing.assert_array_equal(to_host(x1.grad), np.where(a == b, [1.0, 2.0, 3.0, 4.0], ~wins * [2.0, 4, 6, 8]))


def test_maximum_broadcasts_and_sums_gradients_back(device):
    x0 = Variable(np.array([[0.0], [2.0]]), device=device)  # (2, 1)
    x1 = Variable(np.array([-1.0, 2.0, 3.0]), device=device)  # (3,)
    y = F.maximum(x0, x1)
    y.backward()
    np.testing.assert_array_equal(to_host(y), [[0.0, 2.0, 3.0], [2.0, 2.0, 3.0]])
    np.testing.assert_array_equal(to_host(x0.grad), [[1.0], [1.5]])
    np.testing.assert_array_equal(to_host(x1.grad), [0.0, 1.5, 2.0])  # column 1: 1 (2 > 0), 1/2 (the tie)


def test_maximum_with_nan_gives_nan_and_the_gradient_to_both(device):
    x0, x1 = Variable(np.array([np.nan, 1.0]), device=device), Variable(np.array([0.0, np.nan]), device=device)
    y = F.maximum(x0, x1)
    y.backward()
    assert np.isnan(to_host(y)).all()
    np.testing.assert_array_equal(to_host(x0.grad), [1.0, 1.0])  # as PyTorch
    np.testing.assert_array_equal(to_host(x1.grad), [1.0, 1.0])


def test_minimum_with_a_number_keeps_float32_and_has_no_second_derivative(device):
    x = Variable(np.array([0.5, 1.0, 2.0], dtype=np.float32), device=device)
    y = F.minimum(x, 1.0)
    assert str(y.dtype).endswith("float32")
    (y * y).sum().backward(create_graph=True)  # 2 y dy/dx
    g = x.grad
    np.testing.assert_array_equal(to_host(g), [1.0, 1.0, 0.0])  # 2 · 0.5, 2 · 1 · 1/2, 0
    x.cleargrad()
    g.sum().backward()
    np.testing.assert_array_equal(to_host(x.grad), [2.0, 0.5, 0.0])  # 2 (dy/dx)²: the shares are constants
