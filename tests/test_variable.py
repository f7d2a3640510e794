"""Variable and Function: the graph, the iterative backward pass, operators, dtypes and devices."""
import gc
import math
import weakref

import numpy as np
import pytest

import autograd
import autograd.function as F
from autograd import DeviceError, Function, Parameter, Variable, optimizer, to_host
from autograd.backend import available_devices, device_of, dtype_name, get_device


def var(values, device, dtype=np.float64, **kwargs):
    return Variable(np.asarray(values, dtype=dtype), device=device, **kwargs)


def close(actual, expected, rtol=1e-7, atol=1e-12):
    np.testing.assert_allclose(to_host(actual), np.asarray(expected), rtol=rtol, atol=atol)


@pytest.fixture
def sim():
    if "sim" not in [d.name for d in available_devices()]:
        pytest.skip("the simulated accelerator needs array-api-strict")
    return get_device("sim")


# ---- the backward pass -------------------------------------------------------------------------------


def test_backward_seeds_ones(device):
    x = var([1.0, 2.0, 3.0], device)
    y = x * 3.0
    y.backward(retain_grad=True)
    close(y.grad, [1.0, 1.0, 1.0])
    assert y.grad.device == device
    close(x.grad, [3.0, 3.0, 3.0])
    assert x.grad.device == device


def test_backward_uses_existing_grad_as_seed(device):
    x = var([1.0, 2.0], device)
    y = x * 3.0
    y.grad = var([10.0, 100.0], device)
    y.backward()
    close(x.grad, [30.0, 300.0])


def test_grad_accumulates_when_a_variable_is_used_twice(device):
    x = var([3.0, -1.0], device)
    y = x + x
    y.backward()
    close(x.grad, [2.0, 2.0])

    x2 = var([3.0, -1.0], device)
    (x2 * x2 * x2).backward()  # 3 x^2
    close(x2.grad, [27.0, 3.0])


def test_grad_accumulates_across_backward_calls(device):
    x = var([1.0, 2.0], device)
    (x * 3.0).backward()
    close(x.grad, [3.0, 3.0])
    (x * 5.0).backward()
    close(x.grad, [8.0, 8.0])
    y = x * 2.0
    y.backward()
    y.backward()  # the seed is cleared after each pass (retain_grad=False), so it is seeded again
    close(x.grad, [12.0, 12.0])


class _Scale(Function):
    """y = k x, logging each backward call."""

    def __init__(self, k, log, label):
        self.k, self.log, self.label = k, log, label

    def forward(self, x):
        return x * self.k

    def backward(self, gy):
        self.log.append(self.label)
        return gy * self.k


class _Square(Function):
    def __init__(self, log, label):
        self.log, self.label = log, label

    def forward(self, x):
        return x * x

    def backward(self, gy):
        self.log.append(self.label)
        return gy * self.xs[0] * 2.0


class _Add(Function):
    def __init__(self, log, label):
        self.log, self.label = log, label

    def forward(self, x0, x1):
        return x0 + x1

    def backward(self, gy):
        self.log.append(self.label)
        return gy, gy


@pytest.mark.parametrize("retain_grad", [False, True])
def test_diamond_graph_runs_each_backward_once_in_generation_order(device, retain_grad):
    log = []
    x = var([0.5, -2.0], device)
    a = _Scale(1.0, log, "a")(x)                       # a = x
    b = _Square(log, "b2")(_Square(log, "b1")(a))      # b = a^4, a longer branch (higher generation)
    c = _Scale(3.0, log, "c")(a)                       # c = 3a
    d = _Add(log, "d")(b, c)                           # d = a^4 + 3a
    d.backward(retain_grad=retain_grad)
    if retain_grad:
        close(a.grad, 4 * np.array([0.5, -2.0]) ** 3 + 3)
    xs = np.array([0.5, -2.0])
    close(x.grad, 4 * xs ** 3 + 3)
    assert sorted(log) == sorted(["a", "b1", "b2", "c", "d"])  # each function's backward ran exactly once
    assert log[0] == "d"
    assert log[-1] == "a"  # a's creator waits for the gradients of both branches
    assert log.index("b2") < log.index("b1")


def test_retain_grad_false_clears_intermediate_grads(device):
    x = var([1.0, 2.0], device)
    y = x * 2.0
    z = y * 3.0
    z.backward()
    assert y.grad is None
    assert z.grad is None
    close(x.grad, [6.0, 6.0])


def test_retain_grad_true_keeps_intermediate_grads(device):
    x = var([1.0, 2.0], device)
    y = x * 2.0
    z = y * 3.0
    z.backward(retain_grad=True)
    close(z.grad, [1.0, 1.0])
    close(y.grad, [3.0, 3.0])
    close(x.grad, [6.0, 6.0])


def test_create_graph_false_gives_a_gradient_without_graph(device):
    x = var([2.0], device)
    (x ** 3).backward()
    close(x.grad, [12.0])
    assert x.grad.creator is None


def test_create_graph_true_gives_higher_derivatives(device):
    x = var([2.0, -1.0], device)
    y = x ** 3
    y.backward(create_graph=True)
    gx = x.grad
    close(gx, [12.0, 3.0])
    assert gx.creator is not None
    x.cleargrad()
    gx.backward()
    close(x.grad, [12.0, -6.0])  # 6x


def test_leaf_backward_just_seeds_its_grad(device):
    x = var([[1.0, 2.0], [3.0, 4.0]], device)
    x.backward()
    close(x.grad, np.ones((2, 2)))
    assert x.creator is None
    assert x.grad.device == device


def test_cleargrad(device):
    x = var([1.0, 2.0], device)
    (x * 4.0).backward()
    close(x.grad, [4.0, 4.0])
    x.cleargrad()
    assert x.grad is None
    (x * 5.0).backward()
    close(x.grad, [5.0, 5.0])  # not accumulated onto the cleared 4


def test_unchain_cuts_the_link_to_the_creator(device):
    x = var([1.0, 2.0], device)
    y = x * 2.0
    z = y * 3.0
    z.unchain()
    assert z.creator is None
    assert y.creator is not None
    z.backward()
    close(z.grad, [1.0, 1.0])
    assert y.grad is None
    assert x.grad is None


def test_unchain_backward_cuts_everything_behind(device):
    x = var([1.0, 2.0], device)
    w = var([3.0, 4.0], device)
    a = F.sin(x)
    b = a * w
    c = F.exp(a)
    d = b + c
    e = d * 2.0
    e.unchain_backward()
    for v in (a, b, c, d, e):
        assert v.creator is None
    assert x.creator is None and w.creator is None
    e.backward()
    assert x.grad is None and w.grad is None and a.grad is None
    # the values are untouched
    close(e, 2 * (np.sin([1.0, 2.0]) * [3.0, 4.0] + np.exp(np.sin([1.0, 2.0]))))


def test_outputs_are_held_by_weak_reference(device):
    x = var([1.0, 2.0], device)
    y = F.sin(x)
    f = y.creator
    assert len(f.outputs) == 1
    assert f.outputs[0]() is y
    del y
    gc.collect()
    assert f.outputs[0]() is None
    assert f.inputs[0] is x  # inputs are strong references


def test_graph_is_freed_when_the_loss_goes_out_of_scope(device):
    x = var([1.0, 2.0, 3.0], device)

    def step():
        h = F.tanh(x * 2.0)
        loss = (h * h).sum()
        loss.backward()
        return weakref.ref(loss), weakref.ref(loss.creator), weakref.ref(h.creator), to_host(loss).item()

    ref_loss, ref_creator, ref_hidden, value = step()
    assert ref_loss() is None  # no reference cycle: freed by reference counting alone
    assert ref_creator() is None
    assert ref_hidden() is None
    assert value == pytest.approx(float(np.sum(np.tanh(2 * np.array([1.0, 2.0, 3.0])) ** 2)))

    def step_with_graph():
        loss = (F.sin(x) ** 2).sum()
        loss.backward(create_graph=True)
        return weakref.ref(loss.creator)

    ref = step_with_graph()
    x.cleargrad()  # the gradient graph refers back to x; dropping it frees everything
    gc.collect()
    assert ref() is None


def test_chain_of_100000_ops_backward_without_recursion_error():
    x = Variable(np.array(0.5))
    y = x
    for _ in range(100_000):
        y = y + 1.0
    assert y.generation == 100_000
    y.backward()
    assert to_host(x.grad).item() == 1.0
    assert to_host(y).item() == 100_000.5
    del y  # freeing the deep chain must not overflow the C stack either
    gc.collect()


# ---- higher derivatives (the seed's examples) ---------------------------------------------------------


def _derivatives(f, x0, order, device):
    """[f'(x0), f''(x0), ...] by repeated backward(create_graph=True)."""
    x = Variable(np.array(x0), device=device)
    y = f(x)
    out = []
    for _ in range(order):
        x.cleargrad()
        y.backward(create_graph=True)
        y = x.grad
        out.append(0.0 if y is None else to_host(y).item())
        if y is None:
            break
    return out


def _tanh_derivatives(x):
    t = math.tanh(x)
    s = 1 - t * t
    return [s, -2 * t * s, (6 * t * t - 2) * s, (16 * t - 24 * t ** 3) * s]


@pytest.mark.parametrize("name, f, x0, expected", [
    ("sin", F.sin, 1.0, [math.cos(1.0), -math.sin(1.0), -math.cos(1.0), math.sin(1.0)]),
    ("tanh", F.tanh, 0.7, _tanh_derivatives(0.7)),
    ("log", F.log, 2.0, [1 / 2.0, -1 / 2.0 ** 2, 2 / 2.0 ** 3, -6 / 2.0 ** 4]),
    ("x**3", lambda x: x ** 3, 2.0, [12.0, 12.0, 6.0, 0.0]),
    ("x**4", lambda x: x ** 4, 1.5, [4 * 1.5 ** 3, 12 * 1.5 ** 2, 24 * 1.5, 24.0]),
])
def test_higher_derivatives_match_analytic_values(device, name, f, x0, expected):
    got = _derivatives(f, x0, 4, device)
    got += [0.0] * (4 - len(got))
    np.testing.assert_allclose(got, expected, rtol=1e-10, atol=1e-12)


def test_tanh_reference_derivatives_are_right():
    """The analytic table above, checked against central differences of the previous order."""
    h = 1e-5
    d = [math.tanh] + [lambda x, k=k: _tanh_derivatives(x)[k] for k in range(4)]
    for k in range(4):
        numeric = (d[k](0.7 + h) - d[k](0.7 - h)) / (2 * h)
        assert numeric == pytest.approx(d[k + 1](0.7), rel=1e-6)


def test_newton_method_with_double_backprop(device):
    x = Variable(np.array(2.0), device=device)
    seen = []
    for _ in range(10):
        seen.append(to_host(x).item())
        y = x ** 4 - 2.0 * x ** 2
        x.cleargrad()
        y.backward(create_graph=True)
        gx = x.grad
        x.cleargrad()
        gx.backward()
        gx2 = x.grad
        x.data = x.data - gx.data / gx2.data
    np.testing.assert_allclose(seen[:6], [2.0, 1.4545454545454546, 1.1510467893775467,
                                          1.0253259289766978, 1.0009084519430513, 1.0000012353089454],
                               rtol=1e-12)
    assert seen[-1] == pytest.approx(1.0, abs=1e-12)


def test_double_backprop_through_a_gradient():
    for device in available_devices():
        x = Variable(np.array(2.0), device=device)
        y = x ** 2
        y.backward(create_graph=True)
        gx = x.grad
        x.cleargrad()
        z = gx ** 3 + y
        z.backward()
        assert to_host(x.grad).item() == pytest.approx(100.0)  # 3 (2x)^2 2 + 2x at x = 2


# ---- constants, scalars and dtypes ------------------------------------------------------------------


def test_raw_arrays_are_constants_and_variables_get_grads(device):
    x = var([1.0, 2.0], device)
    c = device.put(np.array([5.0, 7.0]))
    y = x * c
    y.backward()
    close(x.grad, [5.0, 7.0])
    const = y.creator.inputs[1]
    assert const.requires_grad is False
    assert const.grad is None

    a = var([1.0, 2.0], device)
    b = var([3.0, 4.0], device)
    (a * b).backward()
    close(a.grad, [3.0, 4.0])
    close(b.grad, [1.0, 2.0])

    frozen = var([3.0, 4.0], device, requires_grad=False)
    a.cleargrad()
    (a * frozen).backward()
    close(a.grad, [3.0, 4.0])
    assert frozen.grad is None


def test_ops_on_constants_only_record_no_graph(device):
    c = var([1.0, 2.0], device, requires_grad=False)
    y = c * 2.0
    assert y.creator is None
    assert y.requires_grad is False  # constants in, constants out
    close(y, [2.0, 4.0])
    x = var([1.0, 2.0], device)
    z = x * y
    assert z.requires_grad is True
    z.sum().backward()
    close(x.grad, [2.0, 4.0])
    assert y.grad is None


@pytest.mark.parametrize("op", [
    lambda x: x * 2.0, lambda x: 2.0 * x, lambda x: x + 1, lambda x: 1 + x, lambda x: x / 3,
    lambda x: 3 / x, lambda x: 2.0 - x, lambda x: x - 1.5, lambda x: x ** 2, lambda x: x ** 0.5,
    lambda x: 2.0 ** x, lambda x: -x, lambda x: x * True,
], ids=["mul", "rmul", "add", "radd", "div", "rdiv", "rsub", "sub", "pow", "pow_half", "rpow", "neg",
        "mul_bool"])
def test_python_scalars_never_promote(device, op):
    x = var([1.0, 4.0], device, dtype=np.float32)
    y = op(x)
    assert dtype_name(y.dtype) == "float32"
    assert y.device == device
    y.backward()
    if x.grad is not None:
        assert dtype_name(x.grad.dtype) == "float32"


@pytest.mark.parametrize("scalar", [np.float64(2.0), np.float32(2.0), np.int64(2), np.int32(2)],
                         ids=["np.float64", "np.float32", "np.int64", "np.int32"])
def test_numpy_scalars_act_as_python_numbers(device, scalar):
    x = var([1.0, 4.0], device, dtype=np.float32)
    for y, expected in [(x * scalar, [2.0, 8.0]), (scalar * x, [2.0, 8.0]), (x + scalar, [3.0, 6.0]),
                        (scalar - x, [1.0, -2.0]), (x ** scalar, [1.0, 16.0])]:
        assert y.device == device  # a host number, not an array of the cpu device
        assert dtype_name(y.dtype) == "float32"
        close(y, expected)
    i = var([1, 2], device, dtype=np.int32)
    assert dtype_name((i * np.int64(3)).dtype) == "int32"
    close(i * np.int64(3), [3, 6])


def test_python_scalar_values_are_right(device):
    x = var([1.0, 4.0], device, dtype=np.float32)
    close((x * 2.0 + 1) / 4, [0.75, 2.25])
    close(2.0 - x, [1.0, -2.0])
    close(x ** 2, [1.0, 16.0])
    close(3 / x, [3.0, 0.75])


def test_float32_graph_stays_float32_through_backward(device):
    x = var([0.5, 1.5], device, dtype=np.float32)
    w = var([[1.0, 2.0], [3.0, 4.0]], device, dtype=np.float32)
    y = F.tanh(x @ w) * 2.0 + 1
    loss = (y ** 2 / 3).sum()
    assert dtype_name(loss.dtype) == "float32"
    loss.backward(create_graph=True)
    assert dtype_name(x.grad.dtype) == "float32"
    assert dtype_name(w.grad.dtype) == "float32"
    gx = x.grad
    x.cleargrad()
    gx.sum().backward()
    assert dtype_name(x.grad.dtype) == "float32"


def test_integer_variable_plus_int_stays_integer(device):
    i = var([1, 2], device, dtype=np.int32)
    assert dtype_name((i + 1).dtype) == "int32"
    close(i + 1, [2, 3])
    assert dtype_name((i * True).dtype) == "int32"


def test_integer_variable_times_float_gives_default_float():
    # cpu only: mixing integer and floating kinds is outside the array API (array-api-strict refuses it)
    i = Variable(np.array([1, 2], dtype=np.int32))
    f = i * 0.5
    assert dtype_name(f.dtype) == "float64"
    close(f, [0.5, 1.0])


def test_default_dtypes():
    assert dtype_name(Variable([1.0, 2.0]).dtype) == "float64"
    assert dtype_name(Variable(1.0).dtype) == "float64"
    assert dtype_name(Variable([1, 2]).dtype) == "int64"
    assert dtype_name(Parameter([1.0]).dtype) == "float32"
    assert dtype_name(Parameter(2.0).dtype) == "float32"
    assert dtype_name(Parameter(np.array([1.0])).dtype) == "float64"  # arrays keep their dtype
    assert dtype_name(Parameter([1.0], dtype="float64").dtype) == "float64"
    assert dtype_name(Variable([1.0], dtype="float32").dtype) == "float32"
    assert isinstance(Parameter([1.0]), Variable)


def test_dtype_and_device_arguments(device):
    v = Variable([1, 2], dtype="float32", device=device)
    assert dtype_name(v.dtype) == "float32"
    assert v.device == device
    close(v, [1.0, 2.0])
    p = Parameter([[1.0, 2.0]], device=device)
    assert p.device == device and dtype_name(p.dtype) == "float32"


# ---- operators and array-like properties ------------------------------------------------------------


def test_arithmetic_operators(device):
    a_np = np.array([[1.0, 2.0], [3.0, 4.0]])
    b_np = np.array([[0.5, -1.0], [2.0, 0.25]])
    a, b = var(a_np, device), var(b_np, device)
    close(a + b, a_np + b_np)
    close(a - b, a_np - b_np)
    close(a * b, a_np * b_np)
    close(a / b, a_np / b_np)
    close(a ** b, a_np ** b_np)
    close(a @ b, a_np @ b_np)
    close(-a, -a_np)
    for r in (a + b, a - b, a * b, a / b, a ** b, a @ b, -a):
        assert isinstance(r, Variable) and r.device == device


def test_matmul_gradient(device):
    a_np = np.array([[1.0, 2.0, 3.0], [4.0, 5.0, 6.0]])
    b_np = np.array([[1.0], [-1.0], [2.0]])
    a, b = var(a_np, device), var(b_np, device)
    (a @ b).sum().backward()
    close(a.grad, np.ones((2, 1)) @ b_np.T)
    close(b.grad, a_np.T @ np.ones((2, 1)))


def test_indexing(device):
    x_np = np.arange(12.0).reshape(3, 4)
    x = var(x_np, device)
    close(x[1], x_np[1])
    close(x[1:, ::2], x_np[1:, ::2])
    close(x[:, -1], x_np[:, -1])
    close(x[0, 2], x_np[0, 2])
    y = x[1:, 1:3]
    y.sum().backward()
    expected = np.zeros((3, 4))
    expected[1:, 1:3] = 1.0
    close(x.grad, expected)


def test_indexing_with_repeated_integer_indices_accumulates(device):
    x = var([10.0, 20.0, 30.0], device)
    y = x[[0, 2, 0, 0]]
    close(y, [10.0, 30.0, 10.0, 10.0])
    y.sum().backward()
    close(x.grad, [3.0, 0.0, 1.0])


def test_shape_properties(device):
    x_np = np.arange(24.0).reshape(2, 3, 4)
    x = var(x_np, device)
    assert x.shape == (2, 3, 4)
    assert isinstance(x.shape, tuple)
    assert x.ndim == 3
    assert x.size == 24
    assert len(x) == 2
    assert dtype_name(x.dtype) == "float64"
    assert x.device == device
    close(x.T, x_np.T)
    assert x.T.shape == (4, 3, 2)
    close(x.mT, np.swapaxes(x_np, -1, -2))
    assert x.mT.shape == (2, 4, 3)
    close(x.reshape((6, 4)), x_np.reshape(6, 4))
    close(x.reshape(4, 6), x_np.reshape(4, 6))
    close(x.reshape(-1), x_np.reshape(-1))
    close(x.transpose(), x_np.transpose())
    close(x.transpose((1, 0, 2)), x_np.transpose(1, 0, 2))
    close(x.transpose(2, 0, 1), x_np.transpose(2, 0, 1))
    close(x.sum(), x_np.sum())
    close(x.sum(axis=1), x_np.sum(axis=1))
    close(x.sum(axis=(0, 2), keepdims=True), x_np.sum(axis=(0, 2), keepdims=True))
    close(x.mean(), x_np.mean())
    close(x.mean(axis=-1), x_np.mean(axis=-1))


def test_shape_ops_gradients(device):
    x_np = np.arange(6.0).reshape(2, 3)
    x = var(x_np, device)
    w = var(np.arange(6.0).reshape(3, 2) + 1, device)
    (x.T * w).sum().backward()
    close(x.grad, to_host(w).T)
    x.cleargrad()
    (x.reshape(3, 2) * w).sum().backward()
    close(x.grad, to_host(w).reshape(2, 3))
    x.cleargrad()
    x.mean().backward()
    close(x.grad, np.full((2, 3), 1 / 6))


def test_len_of_a_0d_variable_raises_type_error(device):
    with pytest.raises(TypeError, match="0-d"):
        len(var(1.0, device))


def test_item_and_float(device):
    x = var([2.5], device)
    assert x.item() == 2.5
    assert isinstance(x.item(), float)
    assert float(x) == 2.5
    s = var(3.0, device)
    assert float(s * 2.0) == 6.0
    with pytest.raises((ValueError, TypeError)):
        var([1.0, 2.0], device).item()


def test_numpy_array_on_the_left_defers_to_variable():
    a = np.array([1.0, 2.0])
    v = Variable(np.array([3.0, 5.0]))
    for result, expected in [(a + v, [4.0, 7.0]), (a * v, [3.0, 10.0]), (a - v, [-2.0, -3.0]),
                             (a / v, [1 / 3, 0.4]), (a @ v, 13.0), (a ** v, [1.0, 32.0])]:
        assert isinstance(result, Variable)
        close(result, expected)
    (a * v).sum().backward()
    close(v.grad, a)
    m = np.array([[1.0, 2.0], [3.0, 4.0]])
    r = m @ v
    assert isinstance(r, Variable)
    close(r, m @ np.array([3.0, 5.0]))


def test_comparisons_give_boolean_arrays(device):
    x = var([1.0, 2.0, 3.0], device)
    y = var([3.0, 2.0, 1.0], device)
    for result, expected in [(x < 2.0, [True, False, False]), (x > 2.0, [False, False, True]),
                             (x <= 2.0, [True, True, False]), (x >= 2.0, [False, True, True]),
                             (x < y, [True, False, False]), (x >= y, [False, True, True])]:
        assert not isinstance(result, Variable)
        host = to_host(result)
        assert host.dtype == np.bool_
        np.testing.assert_array_equal(host, expected)


def test_equality_is_identity(device):
    x = var([1.0, 2.0], device)
    y = var([1.0, 2.0], device)
    assert (x == x) is True
    assert (x == y) is False
    assert (x != y) is True
    assert len({x, y, x}) == 2
    d = {x: "x", y: "y"}
    assert d[x] == "x" and d[y] == "y"
    assert x in [x] and y not in {x}


def test_repr_is_readable(device):
    x = Variable(np.array([1.5, 2.0]), name="weights", device=device)
    r = repr(x)
    assert r.startswith("Variable(")
    assert "1.5" in r and "2." in r
    assert "float64" in r
    assert "weights" in r
    if device.name == "cpu":
        assert "device" not in r
    else:
        assert f"device={device.name}" in r
    y = F.sin(x)
    assert "Sin" in repr(y)
    assert "float32" in repr(Parameter([1.0]))


def test_name_attribute():
    assert Variable([1.0]).name is None
    v = Variable([1.0], name="x")
    assert v.name == "x"
    v.name = "renamed"
    assert v.name == "renamed"
    assert Parameter([1.0], name="w").name == "w"


def test_variable_of_a_variable_shares_its_data(device):
    x = var([1.0, 2.0], device)
    y = Variable(x)
    close(y, [1.0, 2.0])
    assert y.creator is None and y.device == device


@pytest.mark.parametrize("bad", [None, "a", b"bytes", {"a": 1}, {1, 2}])
def test_variable_of_non_array_data_raises_type_error(bad):
    with pytest.raises(TypeError, match="Variable"):
        Variable(bad)


# ---- devices --------------------------------------------------------------------------------------------


def test_to_moves_between_devices_and_gradients_flow_back(sim):
    x = Variable(np.array([1.0, 2.0, 3.0]))
    assert x.to("cpu") is x
    xs = x.to(sim)
    assert xs.device == sim
    assert xs.creator is not None
    y = (xs * xs).sum()
    assert y.device == sim
    back = y.to("cpu")
    assert back.device == autograd.get_device("cpu")
    assert isinstance(back.data, np.ndarray)
    back.backward()
    assert x.grad.device == autograd.get_device("cpu")
    assert isinstance(x.grad.data, np.ndarray)
    close(x.grad, [2.0, 4.0, 6.0])
    assert to_host(back).item() == 14.0


def test_to_keeps_dtype_and_is_differentiable_twice(sim):
    x = Variable(np.array([1.0, 2.0], dtype=np.float32))
    y = x.to("sim") ** 3
    assert dtype_name(y.dtype) == "float32"
    y.sum().to("cpu").backward(create_graph=True)
    gx = x.grad
    assert gx.device == autograd.get_device("cpu")
    close(gx, [3.0, 12.0])
    x.cleargrad()
    gx.sum().backward()
    close(x.grad, [6.0, 12.0])


@pytest.mark.parametrize("op, name", [
    (lambda a, b: a + b, "Add"), (lambda a, b: a * b, "Mul"), (lambda a, b: a @ b, "MatMul"),
    (lambda a, b: b - a, "Sub"),
])
def test_mixing_devices_raises_device_error(sim, op, name):
    a = Variable(np.ones((2, 2)), device=sim)
    b = Variable(np.ones((2, 2)))
    with pytest.raises(DeviceError) as info:
        op(a, b)
    assert isinstance(info.value, ValueError)
    message = str(info.value)
    assert name.lower() in message.lower()
    assert "sim" in message and "cpu" in message


def test_mixing_devices_error_names_the_op_class(sim):
    a = Variable(np.ones(2), device=sim)
    b = Variable(np.ones(2))
    with pytest.raises(DeviceError, match=r"Add\b.*(sim.*cpu|cpu.*sim)"):
        a + b
    with pytest.raises(DeviceError, match=r"Mul\b"):
        b * a


def test_numpy_array_with_a_sim_variable_raises(sim):
    a = Variable(np.ones(3), device=sim)
    with pytest.raises(DeviceError):
        a + np.ones(3)
    with pytest.raises(DeviceError):
        np.ones(3) * a
    with pytest.raises(DeviceError):
        Variable(np.ones((3, 3)), device=sim) @ np.ones(3)


def test_nothing_converts_sim_data_to_numpy_silently(sim):
    a = Variable(np.array([1.0, 2.0]), device=sim)
    with pytest.raises((RuntimeError, TypeError, ValueError)):
        np.asarray(a.data)
    with pytest.raises((RuntimeError, TypeError, ValueError)):
        np.array(a.data)
    with pytest.raises((RuntimeError, TypeError, ValueError)):
        a.data + np.ones(2)
    # the explicit ways work
    np.testing.assert_array_equal(to_host(a), [1.0, 2.0])
    np.testing.assert_array_equal(a.to("cpu").data, [1.0, 2.0])


def test_gradient_keeps_the_dtype_of_its_variable_when_float64_data_meets_it(device):
    # float32 parameters fed float64 data get float32 gradients (as in PyTorch), at first and second order.
    w = Variable(np.array([0.5, -1.0], dtype=np.float32), device=device)
    data = Variable(np.array([2.0, 3.0]), device=device)
    y = (w * data * w).sum()
    assert dtype_name(y.dtype) == "float64"
    y.backward(create_graph=True)
    assert dtype_name(w.grad.dtype) == "float32"
    np.testing.assert_allclose(to_host(w.grad), [2.0, -6.0])
    assert dtype_name(data.grad.dtype) == "float64"
    g = w.grad
    w.cleargrad()
    g.sum().backward()
    assert dtype_name(w.grad.dtype) == "float32"
    np.testing.assert_allclose(to_host(w.grad), [4.0, 6.0])


def test_parameters_stay_float32_through_the_seed_example_with_float64_data(device):
    import autograd.function as F
    from autograd import hook, model, optimizer

    mlp = model.MLP([4, 1])
    opt = optimizer.Adam(hooks=[hook.WeightDecay(1e-4), hook.ClipGrad(1.0)])
    x = Variable([1.0, 2.0, 3.0], device=device)
    t = Variable([0.0, 1.0, 0.0], device=device)
    for _ in range(2):
        loss = F.mean_squared_error(mlp(x), t)
        mlp.cleargrads()
        loss.backward()
        opt.update(mlp)
    assert [dtype_name(p.dtype) for p in mlp.params()] == ["float32"] * 4


class _SinCos(Function):
    """Two outputs: (sin x, cos x)."""

    def forward(self, x):
        xp = device_of(x).xp
        return xp.sin(x), xp.cos(x)

    def backward(self, g_sin, g_cos):
        (x,) = self.xs
        return g_sin * F.cos(x) - g_cos * F.sin(x)


@pytest.mark.parametrize("create_graph", [False, True])
def test_an_unused_output_of_a_multi_output_function_gets_zeros(device, create_graph):
    x = Variable(np.array([0.5, 1.0, 2.0]), device=device)
    s, c = _SinCos()(x)
    F.sum(s * 2.0).backward(create_graph=create_graph)  # c unused: its gradient counts as zeros
    np.testing.assert_allclose(to_host(x.grad), 2.0 * np.cos([0.5, 1.0, 2.0]), rtol=1e-12)


# ---- the version check: id reuse and views cannot fool it (issue 15, item 1) -----------------------------------


def test_backward_refuses_data_replaced_twice_even_when_an_id_is_reused(device):
    x = var([1.0, 2.0], device)
    y = F.sum(x * x)
    x.data = var([5.0, 5.0], device).data  # the first array is freed (unless the graph holds it) ...
    x.data = var([1.0, 2.0], device).data  # ... and this one may get its id: the graph must compare arrays
    with pytest.raises(RuntimeError, match=r"^backward: an input of Mul \(shape \(2,\)\) was given new data"):
        y.backward()
    assert x.grad is None


@pytest.mark.parametrize("view", [lambda w: w.T, lambda w: F.reshape(w, (4,)), lambda w: w[0],
                                  lambda w: F.broadcast_to(w, (3, 2, 2))],
                         ids=["T", "reshape", "basic index", "broadcast_to"])
def test_a_view_taken_under_no_grad_sees_its_base_updated_in_place(device, view):
    W = Parameter(np.array([[1.0, 2.0], [3.0, 4.0]]), device=device)
    opt = optimizer.SGD([W], learning_rate=0.1)
    W.grad = var(np.ones((2, 2)), device)
    opt.update()  # from now on the optimizer writes into W.data in place
    with autograd.no_grad():
        Wv = view(W)
    assert Wv.version == W.version == 1
    a = var(np.ones(Wv.shape), device)
    loss = F.sum((a * Wv) ** 2)  # Mul's backward reads Wv's values: they must be the forward's
    W.grad = var(np.ones((2, 2)), device)
    opt.update()
    assert Wv.version == 2
    with pytest.raises(RuntimeError, match=r"^backward: an input of Mul was updated in place"):
        loss.backward()


def test_a_copy_made_by_an_op_keeps_its_own_version(device):
    W = Parameter(np.array([[1.0, 2.0], [3.0, 4.0]]), device=device)
    with autograd.no_grad():
        picked = W[[1, 0]]  # integer arrays: a copy, which W's updates never reach
        doubled = W * 2.0
    W.version += 1
    assert picked.version == doubled.version == 0
    a = var([[1.0, 1.0], [1.0, 1.0]], device, requires_grad=True)
    F.sum(a * picked).backward()
    close(a.grad, [[3.0, 4.0], [1.0, 2.0]])


def test_a_variable_of_a_variable_shares_its_version(device):
    W = Parameter(np.array([1.0, 2.0]), device=device)
    alias = Variable(W)  # the same array: an update of one is an update of the other
    y = F.sum(alias * alias)
    W.version += 1
    assert alias.version == 1 and Parameter(W).version == 0  # a Parameter copies: its own array and count
    with pytest.raises(RuntimeError, match="updated in place"):
        y.backward()


# ---- an aborted backward leaves nothing a retry could double (issue 15, item 2) ------------------------------


class _FailsOnce(Function):
    """The identity, whose first backward raises `error` (a user's formula, or Ctrl-C, failing half-way)."""

    def __init__(self, error):
        self.error = error

    def forward(self, x):
        return x * 1.0

    def backward(self, gy):
        error, self.error = self.error, None
        if error is not None:
            raise error
        return gy


def _graph_with_a_failing_op(device, error):
    """loss = Σ(f(h)·x + h), h = 3x, with f the identity failing once: x (and h) get gradients before f runs."""
    x = var([1.0, 2.0], device)
    h = x * 3.0
    return x, h, F.sum(_FailsOnce(error)(h) * x + h)


@pytest.mark.parametrize("error", [KeyboardInterrupt(), ValueError("a user's formula failed")],
                         ids=["KeyboardInterrupt", "ValueError"])
@pytest.mark.parametrize("retain_grad", [False, True])
@pytest.mark.parametrize("create_graph", [False, True])
def test_an_aborted_backward_puts_every_gradient_back(device, error, retain_grad, create_graph):
    x, h, loss = _graph_with_a_failing_op(device, error)
    x.grad = var([100.0, 200.0], device)  # from an earlier pass: kept, not lost and not added twice
    with pytest.raises(type(error)):
        loss.backward(retain_grad=retain_grad, create_graph=create_graph)
    close(x.grad, [100.0, 200.0])
    assert h.grad is None and loss.grad is None
    loss.backward(retain_grad=retain_grad, create_graph=create_graph)  # the retry: as one clean pass
    close(x.grad, [100.0 + 9.0, 200.0 + 15.0])  # d/dx Σ(3x² + 3x) = 6x + 3
    if retain_grad:
        close(h.grad, [2.0, 3.0])  # x + 1


def test_an_aborted_second_order_pass_leaves_the_first_order_gradients(device):
    x = var([1.0, 2.0], device)
    F.sum(_FailsOnce(None)(x) ** 3).backward(create_graph=True)
    gx = x.grad  # 3x²
    x.cleargrad()
    y = F.sum(_FailsOnce(RuntimeError("boom"))(gx) * x)  # x gets its gradient from Mul before the failing op
    with pytest.raises(RuntimeError, match="boom"):
        y.backward()
    assert x.grad is None and gx.grad is None
    y.backward()
    close(x.grad, [9.0, 36.0])  # d/dx Σ 3x³


# ---- y.backward(gradient): PyTorch's seed (issue 15, item 17) -------------------------------------------------


@pytest.mark.parametrize("as_variable", [False, True], ids=["array", "Variable"])
def test_backward_takes_a_seed_gradient(device, as_variable):
    x = var([1.0, 2.0, 3.0], device)
    y = x * x
    seed = var([1.0, 0.5, -2.0], device, requires_grad=False)
    y.backward(seed if as_variable else seed.data)
    close(x.grad, [2.0, 2.0, -12.0])  # seed · 2x


def test_backward_takes_a_number_as_the_seed_of_a_scalar(device):
    x = var([1.0, 2.0], device, dtype=np.float32)
    y = F.sum(x * x)
    y.backward(3)
    close(x.grad, [6.0, 12.0])
    assert dtype_name(x.grad.dtype) == "float32"  # the seed takes the Variable's dtype


def test_a_seed_gradient_accumulates_into_a_leaf_and_keywords_still_work(device):
    x = var([1.0, 2.0], device)
    x.backward(var([1.0, 1.0], device))
    x.backward(gradient=var([2.0, 3.0], device))
    close(x.grad, [3.0, 4.0])
    y = x * 2.0
    y.backward(var([1.0, -1.0], device), retain_grad=True)
    close(y.grad, [1.0, -1.0])
    close(x.grad, [5.0, 2.0])


def test_a_seed_variable_keeps_its_graph_under_create_graph(device):
    x, s = var([1.0, 2.0], device), var([3.0, 4.0], device)
    y = x * x
    y.backward(s * s, create_graph=True)  # x.grad = s² · 2x: differentiable in s too
    gx = x.grad
    x.cleargrad()
    F.sum(gx).backward()
    close(s.grad, [2 * 3.0 * 2 * 1.0, 2 * 4.0 * 2 * 2.0])  # d/ds Σ 2x s² = 4xs


def test_a_seed_gradient_of_another_device_raises(sim):
    y = Variable(np.array([1.0, 2.0]), device=sim) * 2.0
    with pytest.raises(DeviceError, match=r"^backward: gradient is on cpu, the Variable on sim"):
        y.backward(np.ones(2))


# ---- threads accumulating into one Parameter (issue 15, item 7) -----------------------------------------------


def test_backward_passes_in_threads_lose_no_accumulation(device):
    import sys
    import threading

    W = Parameter(np.array([1.0, 2.0]), device=device)
    threads, passes = 8, 150
    x = var([1.0, 1.0], device, requires_grad=False)

    def train():
        for _ in range(passes):
            F.sum(W * x).backward()  # each pass adds [1, 1] into the shared W.grad

    interval = sys.getswitchinterval()
    sys.setswitchinterval(1e-6)  # switch threads as often as possible: a lost update shows at once
    try:
        workers = [threading.Thread(target=train) for _ in range(threads)]
        for t in workers:
            t.start()
        for t in workers:
            t.join()
    finally:
        sys.setswitchinterval(interval)
    close(W.grad, [threads * passes] * 2)


# ---- copies and pickles: whole, or refused (issue 15, item 6) -------------------------------------------------


def _pickled(v):
    import pickle

    return pickle.loads(pickle.dumps(v))


def _deep_copied(v):
    import copy

    return copy.deepcopy(v)


@pytest.mark.parametrize("copy_of", [_deep_copied, _pickled], ids=["deepcopy", "pickle"])
def test_a_leaf_copies_whole_and_its_copy_trains(device, copy_of):
    p = Parameter(np.array([1.0, 2.0]), name="w", device=device)
    F.sum(p * p).backward()
    p.version += 3
    c = copy_of(p)
    assert type(c) is Parameter and c.name == "w" and c.device == device and c.version == 3
    assert c.data is not p.data and c.creator is None
    close(c.grad, [2.0, 4.0])
    c.version += 1  # its own count: the original's graphs are not the copy's
    assert p.version == 3
    F.sum(c * c * c).backward()
    close(c.grad, [2.0 + 3.0, 4.0 + 12.0])


@pytest.mark.parametrize("copy_of", [_deep_copied, _pickled], ids=["deepcopy", "pickle"])
def test_a_variable_made_by_an_op_refuses_to_be_copied(device, copy_of):
    y = var([1.0, 2.0], device) * 2.0
    with pytest.raises(RuntimeError, match=r"^Variable: only Variables created by the user \(graph leaves\) can be "
                                           r"copied or pickled; this one \(shape \(2,\)\) was made by Mul"):
        copy_of(y)
    y.unchain()  # a leaf now: it copies
    close(copy_of(y), [2.0, 4.0])


def test_a_gradient_retained_by_an_earlier_pass_is_not_sent_down_again(device):
    x = var([1.0, 2.0], device)
    h = x * 3.0
    loss = F.sum(h * h)
    loss.backward(retain_grad=True)
    x.cleargrad()
    loss.backward(retain_grad=True)  # h.grad holds the first pass's gradient: x must not get it twice
    close(x.grad, [18.0, 36.0])  # d/dx Σ 9x² = 18x
    close(h.grad, [2 * 6.0, 2 * 12.0])  # h's own gradient accumulates over passes, as a leaf's does (PyTorch)


# ---- issue 16, elemops: the array methods, each a call of its op ------------------------------------------

# (method call, the same through F, NumPy's method on the host): values in [0.5, 3) with a tie, for log and sqrt
METHOD_INPUT = np.array([[0.5, 2.5, 1.25], [2.5, 0.75, 1.5]])
METHODS = {
    "exp": (lambda x: x.exp(), F.exp, np.exp),
    "log": (lambda x: x.log(), F.log, np.log),
    "abs": (lambda x: (x - 1.0).abs(), lambda x: F.abs(x - 1.0), lambda a: np.abs(a - 1.0)),
    "abs(x)": (lambda x: abs(x - 1.0), lambda x: F.abs(x - 1.0), lambda a: abs(a - 1.0)),
    "sqrt": (lambda x: x.sqrt(), F.sqrt, np.sqrt),
    "max": (lambda x: x.max(), F.max, np.max),
    "max axis keepdims": (lambda x: x.max(axis=0, keepdims=True), lambda x: F.max(x, 0, True),
                          lambda a: a.max(axis=0, keepdims=True)),
    "min axis": (lambda x: x.min(axis=1), lambda x: F.min(x, 1), lambda a: a.min(axis=1)),
    "var": (lambda x: x.var(), F.variance, np.var),  # ddof=0, as NumPy's
    "var axis ddof": (lambda x: x.var(axis=1, ddof=1), lambda x: F.variance(x, axis=1, ddof=1),
                      lambda a: a.var(axis=1, ddof=1)),
    "clip": (lambda x: x.clip(1.0, 2.0), lambda x: F.clip(x, 1.0, 2.0), lambda a: a.clip(1.0, 2.0)),
    "clip min": (lambda x: x.clip(min=1.0), lambda x: F.clip(x, 1.0, None), lambda a: a.clip(min=1.0)),
    "clip max": (lambda x: x.clip(max=2.0), lambda x: F.clip(x, None, 2.0), lambda a: a.clip(max=2.0)),
}


@pytest.mark.parametrize("name", METHODS)
def test_method_equals_its_op(device, name):
    method, op, ref = METHODS[name]
    x, x_op = var(METHOD_INPUT, device), var(METHOD_INPUT, device)
    y, y_op = method(x), op(x_op)
    close(y, ref(METHOD_INPUT), rtol=1e-15)
    np.testing.assert_array_equal(to_host(y), to_host(y_op))
    assert type(y.creator) is type(y_op.creator)  # the op itself, not a copy of it
    y.sum().backward()
    y_op.sum().backward()
    np.testing.assert_array_equal(to_host(x.grad), to_host(x_op.grad))


@pytest.mark.skipif(not hasattr(F, "std"), reason="F.std comes from the redops branch")
def test_std_method_equals_the_op(device):
    for kwargs in [{}, {"axis": 1, "keepdims": True}, {"axis": 0, "ddof": 1}]:
        x, x_op = var(METHOD_INPUT, device), var(METHOD_INPUT, device)
        y, y_op = x.std(**kwargs), F.std(x_op, **kwargs)
        close(y, METHOD_INPUT.std(**kwargs), rtol=1e-14)  # ddof=0 unless given, as NumPy's
        y.sum().backward()
        y_op.sum().backward()
        np.testing.assert_array_equal(to_host(x.grad), to_host(x_op.grad))


@pytest.mark.skipif(not hasattr(F, "argmax"), reason="F.argmax and F.argmin come from the redops branch")
def test_argmax_and_argmin_methods_equal_the_ops(device):
    a = np.array([[0.5, 2.5, 1.25], [3.0, 0.75, 1.5]])
    x = var(a, device)
    for kwargs in [{}, {"axis": 1}, {"axis": 0, "keepdims": True}]:
        np.testing.assert_array_equal(to_host(x.argmax(**kwargs)), to_host(F.argmax(x, **kwargs)))
        np.testing.assert_array_equal(to_host(x.argmax(**kwargs)), a.argmax(**kwargs))
        np.testing.assert_array_equal(to_host(x.argmin(**kwargs)), to_host(F.argmin(x, **kwargs)))
        np.testing.assert_array_equal(to_host(x.argmin(**kwargs)), a.argmin(**kwargs))
# ---- detach (issue 16, item 1) ---------------------------------------------------------------------------------


def test_detach_shares_the_data_outside_the_graph(device):
    x = var([1.0, 2.0], device)
    y = x * 3.0
    d = y.detach()
    assert d.data is y.data and d.creator is None and d.requires_grad is False and d.grad is None
    assert d.device == device
    z = F.sum(d * x)  # d is a constant: the gradient reaches x only through the product
    z.backward()
    close(x.grad, [3.0, 6.0])
    assert y.grad is None and d.grad is None


def test_detach_shares_the_version_count(device):
    W = Parameter(np.array([1.0, 2.0]), device=device)
    d = W.detach()
    y = F.sum(W * W)
    d.version += 1  # an in-place write through the detached Variable is one to W
    assert W.version == 1
    with pytest.raises(RuntimeError, match="updated in place"):
        y.backward()
    loss = F.sum(d * W)
    W.version += 1
    assert d.version == 2
    with pytest.raises(RuntimeError, match="updated in place"):
        loss.backward()
