"""sigmoid, relu, leaky_relu, elu, silu, softplus, gelu, softmax, log_softmax: exact gradients, every axis,
stability (the op table, tests/op_tables.py, has a row for each)."""
import math
import warnings

import numpy as np
import pytest

import autograd.function as F
from autograd import Variable, to_host
from autograd.numerical import gradcheck
from op_tables import np_log_softmax, np_softmax

RNG = np.random.default_rng(3)


def away_from_zero(shape):
    a = RNG.uniform(0.1, 2.0, shape)
    return a * RNG.choice([-1.0, 1.0], shape)


# ---- sigmoid -----------------------------------------------------------------------------------------

def test_sigmoid_forward_and_gradient(device):
    a = RNG.normal(size=(2, 3)) * 3
    x = Variable(a, device=device)
    y = F.sigmoid(x)
    s = 1 / (1 + np.exp(-a))
    np.testing.assert_allclose(to_host(y), s, rtol=1e-12)
    y.backward()
    np.testing.assert_allclose(to_host(x.grad), s * (1 - s), rtol=1e-10)


@pytest.mark.parametrize("shape", [(), (5,)])  # (2, 3): the op table's row
def test_sigmoid_gradcheck(device, shape):
    assert gradcheck(F.sigmoid, Variable(RNG.normal(size=shape) * 2, device=device))


@pytest.mark.parametrize("dtype", [np.float32, np.float64])
def test_sigmoid_is_stable_for_large_inputs(device, dtype):
    # pytest turns RuntimeWarnings (overflow) into errors
    x = Variable(np.array([-1000.0, -50.0, 0.0, 50.0, 1000.0], dtype=dtype), device=device)
    y = F.sigmoid(x)
    np.testing.assert_allclose(to_host(y), [0.0, 1 / (1 + math.exp(50)), 0.5, 1 / (1 + math.exp(-50)), 1.0],
                               rtol=1e-6, atol=1e-30)
    y.backward()
    g = to_host(x.grad)
    assert np.all(np.isfinite(g))
    np.testing.assert_allclose(g[[0, 2, 4]], [0.0, 0.25, 0.0], atol=1e-30)


def test_sigmoid_in_float16_keeps_its_left_tail(device):
    if not hasattr(device.xp, "float16"):
        pytest.skip(f"{device.name} has no float16 (the array API standard has none)")
    # exp(12) overflows float16 (max 65504), but sigmoid(-12) = 6.1e-6 is a float16 (a subnormal one: they are
    # spaced 6e-8 apart, the absolute tolerance below)
    points = [-16.0, -12.0, -8.0, 0.0, 8.0, 12.0]
    y = F.sigmoid(Variable(np.array(points, dtype=np.float16), device=device))
    got = to_host(y)
    assert got.dtype == np.float16
    np.testing.assert_allclose(got, [exact_sigmoid(v) for v in points], rtol=1e-3, atol=6e-8)
    assert got[0] > 0.0 and got[1] > 5e-6


SIGMOID_POINTS = [-80.0, -30.0, -10.0, 0.0, 10.0, 30.0, 80.0, 1000.0, -1000.0]


def exact_sigmoid(x):
    """1 / (1 + e^-x) in float64, written so that neither tail overflows."""
    return 1.0 / (1.0 + math.exp(-x)) if x >= 0 else math.exp(x) / (1.0 + math.exp(x))


@pytest.mark.parametrize("dtype, rtol", [(np.float32, 1e-6), (np.float64, 1e-13)], ids=["float32", "float64"])
def test_sigmoid_across_the_range_without_warnings(device, dtype, rtol):
    a = np.array(SIGMOID_POINTS, dtype=dtype)
    x = Variable(a, device=device)
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        y = F.sigmoid(x)
        y.backward()
    got = to_host(y)
    assert got.dtype == dtype
    want = np.array([exact_sigmoid(v) for v in SIGMOID_POINTS])
    normal = want >= np.finfo(dtype).tiny  # where the true value is a normal number of the dtype
    assert normal.sum() == 8
    np.testing.assert_allclose(got[normal], want[normal], rtol=rtol, atol=0)
    assert got[SIGMOID_POINTS.index(-1000.0)] == 0.0 and got[SIGMOID_POINTS.index(1000.0)] == 1.0
    assert got[SIGMOID_POINTS.index(0.0)] == 0.5
    assert 0.0 < got[0] < 1e-34  # e^-80, not flushed to zero
    g = to_host(x.grad)
    assert g.dtype == dtype
    np.testing.assert_allclose(g, got * (1 - got), rtol=rtol, atol=0)
    assert g[SIGMOID_POINTS.index(-1000.0)] == 0.0 and g[SIGMOID_POINTS.index(1000.0)] == 0.0
    np.testing.assert_allclose(g[:4], [exact_sigmoid(v) * exact_sigmoid(-v) for v in SIGMOID_POINTS[:4]],
                               rtol=rtol * 4, atol=0)  # the left tail: y (1 - y) is the true derivative


# ---- relu / leaky_relu ------------------------------------------------------------------------------

def test_relu(device):
    a = np.array([[-2.0, -0.5, 0.25], [1.0, -3.0, 4.0]])
    x = Variable(a, device=device)
    y = F.relu(x)
    np.testing.assert_array_equal(to_host(y), np.maximum(a, 0))
    y.backward()
    np.testing.assert_array_equal(to_host(x.grad), (a > 0).astype(float))
    assert gradcheck(F.relu, Variable(away_from_zero((2, 3)), device=device))


@pytest.mark.parametrize("slope", [None, 0.2, 1.5])
def test_leaky_relu(device, slope):
    a = np.array([[-2.0, -0.5, 0.25], [1.0, -3.0, 4.0]])
    s = 0.01 if slope is None else slope
    f = F.leaky_relu if slope is None else (lambda v: F.leaky_relu(v, slope))
    x = Variable(a, device=device)
    y = f(x)
    np.testing.assert_allclose(to_host(y), np.where(a > 0, a, s * a), rtol=1e-12)
    y.backward()
    np.testing.assert_allclose(to_host(x.grad), np.where(a > 0, 1.0, s), rtol=1e-12)
    assert gradcheck(f, Variable(away_from_zero((2, 3)), device=device))


# ---- gelu ------------------------------------------------------------------------------------------

def test_gelu_tanh_matches_the_tanh_form(device):
    a = np.linspace(-4.0, 4.0, 9)
    y = F.gelu(Variable(a, device=device), approximate="tanh")
    expected = 0.5 * a * (1 + np.tanh(np.sqrt(2 / np.pi) * (a + 0.044715 * a ** 3)))
    np.testing.assert_allclose(to_host(y), expected, rtol=1e-12, atol=1e-15)
    # published values of the tanh approximation
    np.testing.assert_allclose(to_host(F.gelu(Variable([1.0, -1.0], device=device), approximate="tanh")),
                               [0.8411919906082768, -0.15880800939172324], rtol=1e-12)


def test_gelu_default_is_the_exact_erf_form(device):
    # PyTorch's default, approximate="none": x Φ(x), with Φ(1) = 0.8413447460685429 and Φ(-1) = 1 - Φ(1)
    np.testing.assert_allclose(to_host(F.gelu(Variable([1.0, -1.0], device=device))),
                               [0.8413447460685429, -0.15865525393145707], rtol=1e-15)
    a = np.concatenate([np.linspace(-8.0, 8.0, 33), [-30.0, -12.0, 30.0]])
    # the argument -x/√2 rounded as gelu rounds it: erfc multiplies an argument's rounding by 2z², 900 at x = -30
    exact = np.array([v * 0.5 * math.erfc(v * -math.sqrt(0.5)) for v in a])
    np.testing.assert_allclose(to_host(F.gelu(Variable(a, device=device), approximate="none")), exact,
                               rtol=2e-15, atol=0)  # relative: the left tail (-7.6e-23 at -10) too


def test_gelu_gradient_is_phi_plus_x_times_the_density(device):
    a = np.array([-3.0, -0.5, 0.0, 0.7, 2.0])
    x = Variable(a, device=device)
    F.gelu(x).backward(create_graph=True)
    g = x.grad
    cdf = np.array([0.5 * math.erfc(-v / math.sqrt(2.0)) for v in a])
    pdf = np.exp(-a * a / 2) / math.sqrt(2 * math.pi)
    np.testing.assert_allclose(to_host(g), cdf + a * pdf, rtol=1e-14, atol=1e-16)
    x.cleargrad()
    g.backward()
    np.testing.assert_allclose(to_host(x.grad), (2 - a * a) * pdf, rtol=1e-13, atol=1e-16)  # d/dx (Φ + xφ)


def test_gelu_in_float32(device):
    y = F.gelu(Variable(np.array([-2.0, 1.0], dtype=np.float32), device=device))
    assert to_host(y).dtype == np.float32
    np.testing.assert_allclose(to_host(y), [-0.04550026389635842, 0.8413447460685429], rtol=1e-6)


# ---- issue 16, elemops: silu, elu, softplus with beta and threshold ----------------------------------------

def test_silu_values_and_gradient(device):
    a = np.array([-3.0, -0.5, 0.0, 1.0, 4.0])
    x = Variable(a, device=device)
    y = F.silu(x)
    y.backward()
    s = 1 / (1 + np.exp(-a))
    np.testing.assert_allclose(to_host(y), a * s, rtol=1e-15)
    np.testing.assert_allclose(to_host(x.grad), s * (1 + a * (1 - s)), rtol=1e-14)


def test_elu_values_and_gradient(device):
    a = np.array([-50.0, -1.0, 0.0, 0.5, 800.0])  # 800: exp would overflow, but only x <= 0 takes it
    for alpha in (1.0, 0.3):
        x = Variable(a, device=device)
        y = F.elu(x, alpha=alpha)
        y.backward()
        np.testing.assert_allclose(to_host(y), np.where(a > 0, a, alpha * np.expm1(np.minimum(a, 0))), rtol=1e-15)
        # at 0 the gradient is alpha e^0 = alpha, as PyTorch
        np.testing.assert_allclose(to_host(x.grad), np.where(a > 0, 1.0, alpha * np.exp(np.minimum(a, 0))),
                                   rtol=1e-15)


def test_elu_second_derivative(device):
    a = np.array([-1.5, -0.2, 0.8])
    x = Variable(a, device=device)
    F.elu(x, alpha=2.0).backward(create_graph=True)
    g = x.grad
    x.cleargrad()
    g.backward()
    np.testing.assert_allclose(to_host(x.grad), np.where(a > 0, 0.0, 2.0 * np.exp(a)), rtol=1e-15)


def test_softplus_beta_and_threshold_as_pytorch(device):
    a = np.array([-30.0, -1.0, 0.0, 2.0, 9.0, 11.0, 40.0])
    x = Variable(a, device=device)
    y = F.softplus(x, beta=2.0, threshold=20.0)  # linear where 2x > 20
    y.backward()
    np.testing.assert_allclose(to_host(y), np.where(2 * a > 20, a, np.logaddexp(2 * a, 0) / 2), rtol=1e-15)
    assert to_host(y)[5] == 11.0 and to_host(y)[4] != 9.0  # 2 · 11 > 20: x itself; 2 · 9 = 18: the formula
    np.testing.assert_allclose(to_host(x.grad), np.where(2 * a > 20, 1.0, 1 / (1 + np.exp(-2 * a))), rtol=1e-15)


def test_softplus_default_threshold_and_none(device):
    a = np.array([19.0, 21.0])
    np.testing.assert_array_equal(to_host(F.softplus(Variable(a, device=device)))[1], 21.0)
    exact = to_host(F.softplus(Variable(a, device=device), threshold=math.inf))
    np.testing.assert_allclose(exact, a + np.log1p(np.exp(-a)), rtol=1e-16)
    assert exact[1] > 21.0


# ---- softmax / log_softmax --------------------------------------------------------------------------

AXIS_CASES = [((2, 3), None), ((2, 3), 0), ((2, 3), -1), ((2, 3, 2), 1), ((2, 3, 2), 2), ((2, 3, 2), 0)]


@pytest.mark.parametrize("shape, axis", AXIS_CASES)
def test_softmax_forward(device, shape, axis):
    a = RNG.normal(size=shape)
    x = Variable(a, device=device)
    y = F.softmax(x) if axis is None else F.softmax(x, axis=axis)
    ax = 1 if axis is None else axis
    expected = np_softmax(a, ax)
    np.testing.assert_allclose(to_host(y), expected, rtol=1e-12)
    np.testing.assert_allclose(to_host(y).sum(axis=ax), 1.0, rtol=1e-12)


@pytest.mark.parametrize("shape, axis", AXIS_CASES)
def test_softmax_gradcheck(device, shape, axis):
    f = F.softmax if axis is None else (lambda v: F.softmax(v, axis=axis))
    assert gradcheck(f, Variable(RNG.normal(size=shape), device=device))


def test_softmax_gradient_values(device):
    a = np.array([[0.5, -1.0, 2.0]])
    w = np.array([[1.0, 2.0, 3.0]])
    x = Variable(a, device=device)
    (F.softmax(x) * device.put(w)).sum().backward()
    s = np_softmax(a, 1)
    np.testing.assert_allclose(to_host(x.grad), s * (w - (s * w).sum(axis=1, keepdims=True)), rtol=1e-12)


@pytest.mark.parametrize("op, ref", [(F.softmax, np_softmax), (F.log_softmax, np_log_softmax)])
def test_softmax_family_stable_for_large_inputs(device, op, ref):
    a = np.array([[1000.0, 1001.0, 999.0], [-1000.0, -1002.0, -999.0]])
    x = Variable(a, device=device)
    y = op(x)
    out = to_host(y)
    assert np.all(np.isfinite(out))
    np.testing.assert_allclose(out, ref(a - a.max(axis=1, keepdims=True), 1), rtol=1e-12)
    y.backward()
    assert np.all(np.isfinite(to_host(x.grad)))
    f32 = op(Variable(a.astype(np.float32), device=device))
    np.testing.assert_allclose(to_host(f32), ref(a, 1), rtol=1e-5, atol=1e-6)


@pytest.mark.parametrize("shape, axis", AXIS_CASES)
def test_log_softmax_forward(device, shape, axis):
    a = RNG.normal(size=shape)
    x = Variable(a, device=device)
    y = F.log_softmax(x) if axis is None else F.log_softmax(x, axis=axis)
    ax = 1 if axis is None else axis
    np.testing.assert_allclose(to_host(y), np.log(np_softmax(a, ax)), rtol=1e-12)


@pytest.mark.parametrize("shape, axis", AXIS_CASES)
def test_log_softmax_gradcheck(device, shape, axis):
    f = F.log_softmax if axis is None else (lambda v: F.log_softmax(v, axis=axis))
    assert gradcheck(f, Variable(RNG.normal(size=shape), device=device))


def test_log_softmax_does_not_underflow(device):
    a = np.array([[0.0, -800.0]])
    y = to_host(F.log_softmax(Variable(a, device=device)))
    np.testing.assert_allclose(y, [[0.0, -800.0]], atol=1e-12)


def test_softmax_and_log_softmax_of_float16_over_70000_classes(device):
    if not hasattr(device.xp, "float16"):
        pytest.skip(f"{device.name} has no float16 (the array API standard has none)")
    n = 70_000  # Σ exp(0) = 70,000 overflows float16 (max 65504)
    x = Variable(np.zeros((1, n), dtype=np.float16), device=device)
    y = F.softmax(x)
    assert y.dtype == np.float16
    np.testing.assert_array_equal(to_host(y), np.float16(1 / n))
    z = F.log_softmax(x)
    assert z.dtype == np.float16
    np.testing.assert_array_equal(to_host(z), np.float16(-np.log(n)))
