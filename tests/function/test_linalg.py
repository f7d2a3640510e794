"""matmul (1-D operands, batches, broadcasting) and linear (fused, with and without bias): exact gradients, constants,
errors (the op table, tests/op_tables.py, has rows for both)."""
import numpy as np
import pytest

import autograd.function as F
from autograd import Variable, to_host
from autograd.numerical import gradcheck
from op_tables import np_sum_to

RNG = np.random.default_rng(17)


MATMUL_SHAPES = [
    ((2, 3), (3, 4)),
    ((3,), (3,)),
    ((3,), (3, 2)),
    ((2, 3), (3,)),
    ((3,), (2, 3, 2)),
    ((2, 2, 3), (3,)),
    ((2, 2, 3), (2, 3, 2)),
    ((2, 2, 3), (3, 2)),
    ((3, 2), (2, 2, 3)),
    ((2, 1, 3, 4), (5, 4, 2)),
]


@pytest.mark.parametrize("s0, s1", MATMUL_SHAPES, ids=str)
def test_matmul_forward(device, s0, s1):
    a, b = RNG.normal(size=s0), RNG.normal(size=s1)
    y = F.matmul(Variable(a, device=device), Variable(b, device=device))
    expected = np.matmul(a, b)
    assert y.shape == expected.shape
    np.testing.assert_allclose(to_host(y), expected, rtol=1e-12, atol=1e-12)


@pytest.mark.parametrize("s0, s1", MATMUL_SHAPES, ids=str)
def test_matmul_gradient_values(device, s0, s1):
    a, b = RNG.normal(size=s0), RNG.normal(size=s1)
    x0, x1 = Variable(a, device=device), Variable(b, device=device)
    y = F.matmul(x0, x1)
    w = RNG.normal(size=y.shape)
    (y * device.put(w)).sum().backward()
    # reference: d/da sum(w * (a @ b)) through NumPy, with 1-D operands promoted as NumPy does
    a2 = a[None, :] if a.ndim == 1 else a
    b2 = b[:, None] if b.ndim == 1 else b
    w2 = np.reshape(w, np.matmul(a2, b2).shape)
    ga = np.matmul(w2, np.swapaxes(b2, -1, -2))
    gb = np.matmul(np.swapaxes(a2, -1, -2), w2)
    ga, gb = np_sum_to(ga, a2.shape), np_sum_to(gb, b2.shape)
    np.testing.assert_allclose(to_host(x0.grad), ga.reshape(a.shape), rtol=1e-10, atol=1e-12)
    np.testing.assert_allclose(to_host(x1.grad), gb.reshape(b.shape), rtol=1e-10, atol=1e-12)


@pytest.mark.parametrize("s0, s1", MATMUL_SHAPES, ids=str)
def test_matmul_gradcheck(device, s0, s1):
    if s0 == (2, 1, 3, 4):
        s0, s1 = (2, 1, 2, 3), (3, 3, 2)  # the same broadcasting pattern, fewer elements
    assert gradcheck(F.matmul, Variable(RNG.normal(size=s0), device=device),
                     Variable(RNG.normal(size=s1), device=device))


def test_matmul_operator_and_constant_operand(device):
    a, b = RNG.normal(size=(2, 3)), RNG.normal(size=(3, 2))
    x = Variable(a, device=device)
    y = x @ device.put(b)
    np.testing.assert_allclose(to_host(y), a @ b, rtol=1e-12)
    y.backward()
    np.testing.assert_allclose(to_host(x.grad), np.ones((2, 2)) @ b.T, rtol=1e-12)
    assert y.creator.inputs[1].grad is None
    w = Variable(b, device=device)
    y = F.matmul(device.put(a), w)
    y.backward()
    np.testing.assert_allclose(to_host(w.grad), a.T @ np.ones((2, 2)), rtol=1e-12)
    assert y.creator.inputs[0].grad is None


@pytest.mark.parametrize("s0, s1", [((2, 3), (4, 2)), ((3,), (4,)), ((2, 3), (2,)), ((4,), (3, 2)),
                                    ((2, 3, 4), (3, 4, 5))], ids=str)
def test_matmul_mismatched_shapes_raise(device, s0, s1):
    with pytest.raises(ValueError, match="matmul"):
        F.matmul(Variable(np.zeros(s0), device=device), Variable(np.zeros(s1), device=device))


def test_matmul_of_0d_raises(device):
    with pytest.raises(ValueError, match="matmul"):
        F.matmul(Variable(np.array(2.0), device=device), Variable(np.zeros(3), device=device))


# ---- linear ---------------------------------------------------------------------------------------

@pytest.mark.parametrize("bias", [True, False], ids=["bias", "nobias"])
@pytest.mark.parametrize("x_shape", [(2, 3), (2, 2, 3), (3,)], ids=str)
def test_linear_forward_and_gradients(device, x_shape, bias):
    a, w_ = RNG.normal(size=x_shape), RNG.normal(size=(3, 4))
    c = RNG.normal(size=(4,))
    x, W = Variable(a, device=device), Variable(w_, device=device)
    b = Variable(c, device=device) if bias else None
    y = F.linear(x, W, b)
    expected = a @ w_ + (c if bias else 0.0)
    np.testing.assert_allclose(to_host(y), expected, rtol=1e-12)
    g = RNG.normal(size=expected.shape)
    (y * device.put(g)).sum().backward()
    np.testing.assert_allclose(to_host(x.grad), g @ w_.T, rtol=1e-12)
    np.testing.assert_allclose(to_host(W.grad), a.reshape(-1, 3).T @ g.reshape(-1, 4), rtol=1e-12)
    if bias:
        np.testing.assert_allclose(to_host(b.grad), g.reshape(-1, 4).sum(axis=0), rtol=1e-12)


def test_linear_is_one_node(device):
    y = F.linear(Variable(np.ones((2, 3)), device=device), Variable(np.ones((3, 2)), device=device),
                 Variable(np.ones(2), device=device))
    assert type(y.creator).__name__ == "Linear"
    assert all(x.creator is None for x in y.creator.inputs)


def test_linear_constant_inputs_get_no_gradient(device):
    a, w_, c = RNG.normal(size=(2, 3)), RNG.normal(size=(3, 4)), RNG.normal(size=(4,))
    W, b = Variable(w_, device=device), Variable(c, device=device)
    y = F.linear(device.put(a), W, b)  # x is a raw array: a constant
    np.testing.assert_allclose(to_host(y), a @ w_ + c, rtol=1e-12)
    y.backward()
    np.testing.assert_allclose(to_host(W.grad), a.T @ np.ones((2, 4)), rtol=1e-12)
    np.testing.assert_array_equal(to_host(b.grad), [2.0, 2.0, 2.0, 2.0])
    x_const = y.creator.inputs[0]
    assert x_const.requires_grad is False and x_const.grad is None

    x = Variable(a, device=device)
    y = F.linear(x, device.put(w_), device.put(c))  # constant weight and bias
    y.backward()
    np.testing.assert_allclose(to_host(x.grad), np.ones((2, 4)) @ w_.T, rtol=1e-12)
    assert y.creator.inputs[1].grad is None and y.creator.inputs[2].grad is None


@pytest.mark.parametrize("x_shape, w_shape", [((2, 3), (4, 2)), ((2, 3, 5), (3, 2)), ((3,), (2, 3))], ids=str)
def test_linear_mismatched_shapes_raise(device, x_shape, w_shape):
    with pytest.raises(ValueError, match="linear"):
        F.linear(Variable(np.zeros(x_shape), device=device), Variable(np.zeros(w_shape), device=device))
