"""sin, cos, tanh, exp, log, abs, sqrt, log1p, expm1, erf, erfc, clip, where, mask_fill, astype: exact gradients,
bounds, broadcasting, accuracy and errors (the op table, tests/op_tables.py, has a row for each)."""
import math

import numpy as np
import pytest

import autograd.function as F
from autograd import Variable, to_host
from autograd.backend import DeviceError, dtype_name
from autograd.numerical import gradcheck

RNG = np.random.default_rng(11)

UNARY = {
    "sin": (F.sin, np.sin, np.cos),
    "cos": (F.cos, np.cos, lambda a: -np.sin(a)),
    "tanh": (F.tanh, np.tanh, lambda a: 1 - np.tanh(a) ** 2),
    "exp": (F.exp, np.exp, np.exp),
    "log": (F.log, np.log, lambda a: 1 / a),
}


def unary_input(name, shape=(2, 3)):
    return RNG.uniform(0.2, 3.0, shape) if name == "log" else RNG.normal(size=shape)


@pytest.mark.parametrize("name", UNARY)
def test_unary_forward_and_gradient(device, name):
    op, ref, dref = UNARY[name]
    a = unary_input(name)
    x = Variable(a, device=device)
    y = op(x)
    np.testing.assert_allclose(to_host(y), ref(a), rtol=1e-12)
    y.backward()
    np.testing.assert_allclose(to_host(x.grad), dref(a), rtol=1e-12)


@pytest.mark.parametrize("shape", [(), (4,)])  # (2, 3): the op table's rows
@pytest.mark.parametrize("name", UNARY)
def test_unary_gradcheck(device, name, shape):
    assert gradcheck(UNARY[name][0], Variable(unary_input(name, shape), device=device))


# ---- clip ---------------------------------------------------------------------------------------------

def test_clip_forward(device):
    a = np.array([-3.0, -1.0, -0.5, 0.0, 0.5, 1.0, 2.5])
    np.testing.assert_array_equal(to_host(F.clip(Variable(a, device=device), -1.0, 1.0)), np.clip(a, -1.0, 1.0))
    np.testing.assert_array_equal(to_host(F.clip(Variable(a, device=device), None, 0.5)), np.minimum(a, 0.5))
    np.testing.assert_array_equal(to_host(F.clip(Variable(a, device=device), -0.5, None)), np.maximum(a, -0.5))


def test_clip_gradient_is_one_strictly_inside_only(device):
    a = np.array([-3.0, -1.0, -0.5, 0.0, 0.5, 1.0, 2.5])
    x = Variable(a, device=device)
    F.clip(x, -1.0, 1.0).backward()
    np.testing.assert_array_equal(to_host(x.grad), [0, 0, 1, 1, 1, 0, 0])

    x = Variable(a, device=device)
    F.clip(x, None, 0.5).backward()
    np.testing.assert_array_equal(to_host(x.grad), [1, 1, 1, 1, 0, 0, 0])

    x = Variable(a, device=device)
    F.clip(x, -0.5, None).backward()
    np.testing.assert_array_equal(to_host(x.grad), [0, 0, 0, 1, 1, 1, 1])


def test_clip_gradient_scales_upstream_gradient(device):
    x = Variable(np.array([[-2.0, 0.25], [0.75, 3.0]]), device=device)
    y = F.clip(x, 0.0, 1.0)
    (y * device.put(np.array([[5.0, 6.0], [7.0, 8.0]]))).sum().backward()
    np.testing.assert_array_equal(to_host(x.grad), [[0.0, 6.0], [7.0, 0.0]])


def test_clip_min_greater_than_max_raises(device):
    with pytest.raises(ValueError, match="clip"):
        F.clip(Variable(np.zeros(3), device=device), 1.0, -1.0)


# ---- where / mask_fill --------------------------------------------------------------------------------

def test_where_values_and_gradients(device):
    cond = np.array([[True, False, True], [False, False, True]])
    a, b = RNG.normal(size=(2, 3)), RNG.normal(size=(2, 3))
    x0, x1 = Variable(a, device=device), Variable(b, device=device)
    y = F.where(device.put(cond), x0, x1)
    np.testing.assert_array_equal(to_host(y), np.where(cond, a, b))
    w = np.arange(1.0, 7.0).reshape(2, 3)
    (y * device.put(w)).sum().backward()
    np.testing.assert_array_equal(to_host(x0.grad), np.where(cond, w, 0.0))
    np.testing.assert_array_equal(to_host(x1.grad), np.where(cond, 0.0, w))
    assert y.creator.inputs[0].grad is None  # the condition gets no gradient


def test_where_broadcasts_all_three(device):
    cond = np.array([[True], [False]])           # (2, 1)
    a, b = RNG.normal(size=(3,)), RNG.normal(size=(2, 3))
    x0, x1 = Variable(a, device=device), Variable(b, device=device)
    y = F.where(device.put(cond), x0, x1)
    np.testing.assert_array_equal(to_host(y), np.where(cond, a, b))
    y.backward()
    np.testing.assert_array_equal(to_host(x0.grad), [1.0, 1.0, 1.0])
    np.testing.assert_array_equal(to_host(x1.grad), [[0.0, 0.0, 0.0], [1.0, 1.0, 1.0]])
    assert gradcheck(lambda p, q: F.where(device.put(cond), p, q),
                     Variable(a, device=device), Variable(b, device=device))

    cond = np.array([[True, False, True], [False, True, True]])  # the condition is the widest
    p, q = RNG.normal(size=(3,)), RNG.normal(size=(1, 3))
    y = F.where(device.put(cond), Variable(p, device=device), Variable(q, device=device))
    np.testing.assert_array_equal(to_host(y), np.where(cond, p, q))
    assert gradcheck(lambda u, v: F.where(device.put(cond), u, v),
                     Variable(p, device=device), Variable(q, device=device))


def test_where_with_python_scalars(device):
    a = np.array([-1.0, 2.0, -3.0])
    x = Variable(a, device=device)
    y = F.where(x > 0, x, 0.0)
    np.testing.assert_array_equal(to_host(y), [0.0, 2.0, 0.0])
    y.backward()
    np.testing.assert_array_equal(to_host(x.grad), [0.0, 1.0, 0.0])
    x = Variable(a, device=device)
    y = F.where(x > 0, -1.0, x)
    np.testing.assert_array_equal(to_host(y), [-1.0, -1.0, -3.0])
    y.backward()
    np.testing.assert_array_equal(to_host(x.grad), [1.0, 0.0, 1.0])


def test_where_non_boolean_condition_raises(device):
    with pytest.raises(TypeError, match="where"):
        F.where(device.put(np.array([1, 0])), Variable(np.zeros(2), device=device), 1.0)


def test_mask_fill_values_and_gradients(device):
    a = RNG.normal(size=(2, 3))
    mask = np.array([True, False, True])  # broadcast over rows
    x = Variable(a, device=device)
    y = F.mask_fill(x, device.put(mask), -7.5)
    np.testing.assert_array_equal(to_host(y), np.where(mask, -7.5, a))
    w = np.arange(1.0, 7.0).reshape(2, 3)
    (y * device.put(w)).sum().backward()
    np.testing.assert_array_equal(to_host(x.grad), np.where(mask, 0.0, w))
    assert gradcheck(lambda v: F.mask_fill(v, device.put(mask), 2.0), Variable(a, device=device))


def test_mask_fill_with_comparison_mask(device):
    a = np.array([[0.5, -1.0], [2.0, -0.25]])
    x = Variable(a, device=device)
    y = F.mask_fill(x, x < 0, 0.0)  # a Variable comparison gives a boolean array on x's device
    np.testing.assert_array_equal(to_host(y), [[0.5, 0.0], [2.0, 0.0]])
    y.backward()
    np.testing.assert_array_equal(to_host(x.grad), [[1.0, 0.0], [1.0, 0.0]])


def test_astype_converts_and_sends_the_gradient_back_in_the_input_dtype(device):
    a = RNG.normal(size=(2, 3)).astype(np.float32)
    x = Variable(a, device=device)
    y = F.astype(x, "float64")
    assert dtype_name(y.dtype) == "float64"
    np.testing.assert_array_equal(to_host(y), a.astype(np.float64))
    (y * y).sum().backward()
    assert dtype_name(x.grad.dtype) == "float32"
    np.testing.assert_allclose(to_host(x.grad), 2 * a, rtol=1e-6)
    assert F.astype(x, "float32") is x
    # second order through the cast: d/dx sum(x³) = 3x², d²/dx² = 6x
    x = Variable(a, device=device)
    y = F.astype(x, "float64")
    (y * y * y).sum().backward(create_graph=True)
    g = x.grad
    x.cleargrad()
    g.sum().backward()
    assert dtype_name(x.grad.dtype) == "float32"
    np.testing.assert_allclose(to_host(x.grad), 6 * a, rtol=1e-5)


def test_clip_accepts_array_bounds(device):
    a = np.array([-2.0, 0.5, 3.0])
    low, high = np.array([-1.0, 0.0, 0.0]), np.array([1.0, 1.0, 2.0])
    x = Variable(a, device=device)
    y = F.clip(x, device.put(low), device.put(high))
    np.testing.assert_array_equal(to_host(y), [-1.0, 0.5, 2.0])
    y.sum().backward()
    np.testing.assert_array_equal(to_host(x.grad), [0.0, 1.0, 0.0])


# ---- clip's bounds: numbers, arrays and Variables of x's device; another device is refused (issue 15) -------

def _other_device(device):
    from autograd import get_device
    return get_device("sim" if device.name == "cpu" else "cpu")


def test_clip_bounds_arrays_variables_and_numpy_numbers(device):
    a, lo, hi = np.array([-2.0, 0.5, 3.0, 1.0]), np.array([-1.0, 0.0, 0.0, 1.5]), np.array([1.0, 1.0, 2.0, 2.0])
    expected = np.clip(a, lo, hi)
    for bounds in [(device.put(lo), device.put(hi)), (Variable(lo, device=device), Variable(hi, device=device))]:
        x = Variable(a, device=device)
        y = F.clip(x, *bounds)
        np.testing.assert_array_equal(to_host(y), expected)
        F.sum(y).backward()
        np.testing.assert_array_equal(to_host(x.grad), [0.0, 1.0, 0.0, 0.0])  # only 0.5 is inside
    y = F.clip(Variable(a.astype(np.float32), device=device), np.float64(0.0), np.float32(1.0))
    assert dtype_name(y.dtype) == "float32"  # NumPy scalars are numbers: they neither promote nor meet a sim array
    np.testing.assert_array_equal(to_host(y), [0.0, 0.5, 1.0, 1.0])


def test_clip_bound_on_another_device_names_both(device):
    other = _other_device(device)
    x = Variable(np.zeros(3), device=device)
    with pytest.raises(DeviceError, match=rf"^clip: x_min is on {other} but x is on {device}; .*"
                                          rf"autograd.get_device\('{device}'\).put\(x_min\)"):
        F.clip(x, other.put(np.zeros(3)), 1.0)
    with pytest.raises(DeviceError, match=rf"^clip: x_max is on {other} but x is on {device}; .*"
                                          rf"x_max.to\('{device}'\) for a Variable"):
        F.clip(x, None, Variable(np.ones(3), device=other))


def test_where_second_order_on_0d_operands(device):
    # NumPy's 0-d results are NumPy scalars: the backward's where(condition, gy, 0.0) must take one as an array
    x = Variable(np.array(2.0), device=device)
    y = F.where(Variable(np.array(True), device=device), x * x * x, 0.0)
    y.backward(create_graph=True)
    g = x.grad
    x.cleargrad()
    g.backward()
    assert float(to_host(g)) == 12.0 and float(to_host(x.grad)) == 12.0  # 3 x², 6 x


# ---- issue 16, elemops: abs, sqrt, log1p, expm1, erf, erfc -----------------------------------------------

def test_abs_gradient_is_the_sign_and_zero_at_zero(device):
    x = Variable(np.array([-2.0, -0.0, 0.0, 3.0]), device=device)
    y = F.abs(x)
    (y * device.put(np.array([5.0, 6.0, 7.0, 8.0]))).sum().backward()
    np.testing.assert_array_equal(to_host(y), [2.0, 0.0, 0.0, 3.0])
    np.testing.assert_array_equal(to_host(x.grad), [-5.0, 0.0, 0.0, 8.0])  # PyTorch: sign(0) = 0


def test_sqrt_gradient_is_inf_at_zero_without_warning(device):
    x = Variable(np.array([0.0, 0.25, 4.0]), device=device)
    y = F.sqrt(x)
    y.backward()  # pytest makes a "divide by zero" RuntimeWarning an error
    np.testing.assert_array_equal(to_host(y), [0.0, 0.5, 2.0])
    np.testing.assert_array_equal(to_host(x.grad), [np.inf, 1.0, 0.25])


def test_sqrt_second_derivative(device):
    x = Variable(np.array([0.25, 4.0]), device=device)
    F.sqrt(x).backward(create_graph=True)
    g = x.grad
    x.cleargrad()
    g.backward()
    np.testing.assert_allclose(to_host(x.grad), -0.25 * np.array([0.25, 4.0]) ** -1.5, rtol=1e-14)  # -x^-3/2 / 4


@pytest.mark.parametrize("dtype", ["float32", "float64"])
def test_log1p_and_expm1_keep_tiny_arguments_exact(device, dtype):
    a = np.array([1e-30, -1e-20, 1e-10], dtype=dtype)
    np.testing.assert_allclose(to_host(F.log1p(Variable(a, device=device))), np.log1p(a), rtol=1e-6)
    np.testing.assert_allclose(to_host(F.expm1(Variable(a, device=device))), a, rtol=1e-6)
    assert to_host(F.log1p(Variable(a, device=device))).dtype == dtype


def test_log1p_and_expm1_gradients(device):
    a = np.array([-0.5, 0.0, 2.0])
    x = Variable(a, device=device)
    F.log1p(x).backward()
    np.testing.assert_allclose(to_host(x.grad), 1 / (1 + a), rtol=1e-15)
    x = Variable(a, device=device)
    F.expm1(x).backward()
    np.testing.assert_allclose(to_host(x.grad), np.exp(a), rtol=1e-15)


# erf written against the array namespace: checked against Python's math.erf and math.erfc (the C library's)
# over the whole line, through the three ranges of Cody's approximation (|x| <= 0.46875, <= 4, beyond) and
# the tails, where erfc underflows (float64: about 26.5, float32: about 9.2)
ERF_POINTS = np.concatenate([np.linspace(-30.0, 30.0, 6001), np.geomspace(1e-300, 1.0, 301),
                             -np.geomspace(1e-300, 1.0, 301), [0.46875, np.nextafter(0.46875, 1.0), 4.0,
                                                              np.nextafter(4.0, 5.0), 26.5, 27.0]])
# measured worst cases (in units in the last place) of this implementation, with a margin of one: float64
# erf 3, erfc 6 (a relative error of 8e-16); float32 erf 3, erfc 9 (of 7e-7: its eight-term rational function
# rounds in float32)
ERF_ULPS = {"float32": (4, 10), "float64": (4, 7)}


@pytest.mark.parametrize("dtype", ["float32", "float64"])
def test_erf_and_erfc_match_the_c_library(device, dtype):
    a = ERF_POINTS.astype(dtype)
    erf = to_host(F.erf(Variable(a, device=device)))
    erfc = to_host(F.erfc(Variable(a, device=device)))
    assert erf.dtype == erfc.dtype == dtype
    exact_erf = np.array([math.erf(float(v)) for v in a])
    exact_erfc = np.array([math.erfc(float(v)) for v in a])
    tiny = np.finfo(dtype).tiny  # below it the spacing of subnormals is the measure
    for got, exact, ulps in [(erf, exact_erf, ERF_ULPS[dtype][0]), (erfc, exact_erfc, ERF_ULPS[dtype][1])]:
        spacing = np.spacing(np.maximum(np.abs(exact), tiny).astype(dtype)).astype(np.float64)
        assert np.max(np.abs(got - exact) / spacing) <= ulps


def test_erf_special_values(device):
    a = np.array([np.nan, np.inf, -np.inf, 0.0, -0.0, 40.0, -40.0])
    np.testing.assert_array_equal(to_host(F.erf(Variable(a, device=device))), [np.nan, 1, -1, 0, -0.0, 1, -1])
    np.testing.assert_array_equal(to_host(F.erfc(Variable(a, device=device))), [np.nan, 0, 2, 1, 1, 0, 2])
    assert math.copysign(1.0, to_host(F.erf(Variable(a, device=device)))[4]) == -1.0  # erf(-0) = -0


def test_erf_in_float16(device):
    if not hasattr(device.xp, "float16"):
        pytest.skip(f"{device.name} has no float16 (the array API standard has none)")
    a = np.array([-3.0, -0.5, 0.0, 0.3, 1.0, 2.5], dtype=np.float16)  # computed in float32: no overflow
    y = to_host(F.erf(Variable(a, device=device)))
    assert y.dtype == np.float16
    np.testing.assert_allclose(y, [math.erf(float(v)) for v in a], rtol=1e-3)


def test_erf_and_erfc_derivatives(device):
    a = np.array([-2.0, -0.3, 0.0, 0.4, 1.5, 5.0])
    for op, sign in [(F.erf, 1.0), (F.erfc, -1.0)]:
        x = Variable(a, device=device)
        op(x).backward(create_graph=True)
        g = x.grad
        np.testing.assert_allclose(to_host(g), sign * 2 / math.sqrt(math.pi) * np.exp(-a * a), rtol=1e-15)
        x.cleargrad()
        g.backward()
        np.testing.assert_allclose(to_host(x.grad), sign * -4 * a / math.sqrt(math.pi) * np.exp(-a * a),
                                   rtol=1e-14)
