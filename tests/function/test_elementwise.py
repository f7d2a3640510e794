"""sin, cos, tanh, exp, log, clip, where, mask_fill, astype: exact gradients, bounds, broadcasting and errors (the op
table, tests/op_tables.py, has a row for each)."""
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
