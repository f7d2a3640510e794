"""matmul (1-D operands, batches, broadcasting) and linear (fused, with and without bias): exact gradients, constants,
errors (the op table, tests/op_tables.py, has rows for both)."""
import numpy as np
import pytest

import autograd
import autograd.function as F
from autograd import Variable, to_host
from autograd.backend import dtype_name
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


# ---- einsum (issue 16) ---------------------------------------------------------------------------

EINSUM_CASES = [  # (subscripts, operand shapes): NumPy's einsum is the reference
    ("ij,jk->ik", [(2, 3), (3, 4)]), ("ij,jk", [(2, 3), (3, 4)]), ("bhqd,bhkd->bhqk", [(2, 2, 3, 4), (2, 2, 5, 4)]),
    ("i,i->", [(3,), (3,)]), ("i,j->ij", [(2,), (3,)]), ("ij->ji", [(2, 3)]), ("ij->", [(2, 3)]), ("ba", [(2, 3)]),
    ("ij,ij->i", [(2, 3), (2, 3)]), ("ij,k->", [(2, 3), (4,)]), ("ii->i", [(3, 3)]), ("ii", [(3, 3)]),
    ("iij->j", [(2, 2, 3)]), ("ij,ji->", [(3, 3), (3, 3)]), ("...ij,...jk", [(2, 1, 2, 3), (4, 3, 2)]),
    ("i...->...", [(2, 3, 4)]), ("i,i->i", [(1,), (3,)]), ("ij,jk,kl->il", [(2, 3), (3, 4), (4, 2)]),
    ("b i j, b j k -> b k i", [(2, 2, 3), (2, 3, 2)]), ("", [()]), (",i->i", [(), (3,)]),
]


@pytest.mark.parametrize("subscripts, shapes", EINSUM_CASES, ids=[c[0] or "scalar" for c in EINSUM_CASES])
def test_einsum_matches_numpy_and_gradchecks(device, subscripts, shapes):
    arrays = [RNG.normal(size=s) for s in shapes]
    xs = [Variable(a, device=device) for a in arrays]
    y = F.einsum(subscripts, *xs)
    expected = np.einsum(subscripts, *arrays)
    assert y.shape == expected.shape
    np.testing.assert_allclose(to_host(y), expected, rtol=1e-12, atol=1e-12)
    assert gradcheck(lambda *vs: F.einsum(subscripts, *vs), *xs)  # first and second order


def test_einsum_gradients_are_the_known_ones(device):
    a, b = RNG.normal(size=(2, 3)), RNG.normal(size=(3, 4))
    x, w = Variable(a, device=device), Variable(b, device=device)
    F.einsum("ij,jk->ik", x, w).backward(device.put(np.ones((2, 4))))
    np.testing.assert_allclose(to_host(x.grad), np.ones((2, 4)) @ b.T, rtol=1e-12)
    np.testing.assert_allclose(to_host(w.grad), a.T @ np.ones((2, 4)), rtol=1e-12)
    m = Variable(RNG.normal(size=(3, 3)), device=device)
    F.einsum("ii->", m).backward()  # d trace / dm = the identity
    np.testing.assert_array_equal(to_host(m.grad), np.eye(3))


def test_einsum_constant_operands_and_dtypes(device):
    x = Variable(RNG.normal(size=(2, 3)).astype(np.float32), device=device)
    c = device.put(np.ones((3,), dtype=np.float32))
    y = F.einsum("ij,j->i", x, c)
    assert dtype_name(y.dtype) == "float32"
    F.sum(y).backward()
    np.testing.assert_array_equal(to_host(x.grad), np.ones((2, 3), np.float32))
    assert dtype_name(F.einsum(",i->i", 2.0, x[0]).dtype) == "float32"  # a Python number takes the array's dtype


@pytest.mark.parametrize("subscripts, shapes, pattern", [
    ("ij,jk->ik", [(2, 3)], r"^einsum: 'ij,jk->ik' has 2 input terms for 1 operands"),
    ("ij,jk->ik", [(2, 3), (4, 5)], r"^einsum: index 'j' of 'ij,jk->ik' has sizes 3 and 4 \(operand shapes \(2, 3\), "
                                    r"\(4, 5\)\)"),
    ("ijk", [(2, 3)], r"^einsum: term 'ijk' of 'ijk' has 3 indices for an operand of shape \(2, 3\)"),
    ("ij->k", [(2, 3)], r"^einsum: output index 'k' of 'ij->k' is in no input term"),
    ("ij->ii", [(2, 3)], r"^einsum: output index 'i' of 'ij->ii' appears more than once"),
    ("i1->i", [(2, 3)], r"^einsum: 'i1->i' holds '1'; indices are the letters a-z and A-Z"),
    ("ii->i", [(2, 3)], r"^einsum: index 'i' of 'ii->i' is repeated in one term over axes of sizes 2 and 3"),
    ("...i->i", [(2, 3)], r"^einsum: the operands of '...i->i' have axes under '...' but the output has no '...'"),
])
def test_einsum_refuses_bad_subscripts(device, subscripts, shapes, pattern):
    with pytest.raises(ValueError, match=pattern):
        F.einsum(subscripts, *[Variable(np.ones(s), device=device) for s in shapes])


def test_einsum_subscripts_must_be_a_string():
    with pytest.raises(TypeError, match=r"^einsum: subscripts must be a string such as 'ij,jk->ik', got list"):
        F.einsum([0, 1], np.ones(2))


# ---- norm (issue 16) -----------------------------------------------------------------------------

NORM_CASES = [  # (shape, ord, axis): numpy.linalg.norm is the reference
    ((5,), None, None), ((5,), 2, None), ((5,), 1, None), ((5,), np.inf, None), ((5,), -np.inf, None),
    ((3, 4), None, None), ((3, 4), "fro", None), ((3, 4), 1, None), ((3, 4), -1, None), ((3, 4), np.inf, None),
    ((3, 4), -np.inf, None), ((2, 3, 4), None, None), ((2, 3, 4), None, 1), ((2, 3, 4), 1, -1),
    ((2, 3, 4), np.inf, (2, 0)), ((2, 3, 4), 1, (2, 0)), ((2, 3, 4), "fro", (0, 2)), ((2, 3, 4), -np.inf, (1, 2)),
]


@pytest.mark.parametrize("keepdims", [False, True])
@pytest.mark.parametrize("shape, ord, axis", NORM_CASES, ids=str)
def test_norm_matches_numpy_and_gradchecks(device, shape, ord, axis, keepdims):
    n = int(np.prod(shape))  # distinct magnitudes away from 0, and sums of them without ties
    a = (RNG.permutation(n) * 0.37 - 2.0 + RNG.uniform(0, 0.1, n)).reshape(shape)
    y = F.norm(Variable(a, device=device), ord, axis, keepdims)
    expected = np.linalg.norm(a, ord, axis, keepdims)
    assert y.shape == np.shape(expected)
    np.testing.assert_allclose(to_host(y), expected, rtol=1e-12)
    assert gradcheck(lambda x: F.norm(x, ord, axis, keepdims), Variable(a, device=device))


@pytest.mark.filterwarnings("error")
def test_norm_gradient_at_zero_is_zero_as_pytorch(device):
    # torch.linalg.norm: the 2-norm's gradient x / |x| is 0 / 0 at 0; PyTorch gives the subgradient 0
    x = Variable(np.array([[0.0, 0.0], [3.0, 4.0]]), device=device)
    F.sum(F.norm(x, axis=1)).backward()
    np.testing.assert_array_equal(to_host(x.grad), [[0.0, 0.0], [0.6, 0.8]])
    z = Variable(np.zeros(3), device=device)
    F.norm(z, ord=1).backward()  # sign(0) = 0
    np.testing.assert_array_equal(to_host(z.grad), np.zeros(3))


def test_norm_inf_shares_the_gradient_among_ties(device):
    x = Variable(np.array([-2.0, 1.0, 2.0]), device=device)
    F.norm(x, ord=np.inf).backward()
    np.testing.assert_array_equal(to_host(x.grad), [-0.5, 0.0, 0.5])


@pytest.mark.parametrize("shape, ord, axis, pattern", [
    ((3,), "fro", None, r"^norm: ord='fro' is not a vector norm here; use one of None, 2, 1, inf, -inf"),
    ((3, 3), 2, None, r"^norm: ord=2 is not a matrix norm here; .*\(2, -2 and 'nuc' need singular values\)"),
    ((2, 2, 2), 1, None, r"^norm: ord=1 with axis=None needs a 1-d or 2-d input, got shape \(2, 2, 2\)"),
    ((2, 2, 2), None, (0, 1, 2), r"^norm: axis must be an int \(vector norms\) or a pair of axes"),
    ((2, 2), None, (0, 0), r"^norm: repeated axis"),
])
def test_norm_refuses_what_it_does_not_compute(device, shape, ord, axis, pattern):
    with pytest.raises(ValueError, match=pattern):
        F.norm(Variable(np.ones(shape), device=device), ord, axis)


def test_norm_needs_floating_point(device):
    with pytest.raises(TypeError, match=r"^norm: x must be a floating-point array, got dtype int64"):
        F.norm(Variable(device.put(np.array([3, 4]))))


def test_einsum_and_norm_work_in_a_gradient_formula(device):
    # a backward that records no graph hands its formula arrays, not Variables: the ops take those too
    class Double(autograd.Function):
        def forward(self, x):
            return x * 2.0

        def backward(self, gy):
            (x,) = self.xs
            return F.einsum("i,->i", gy, 2.0) + 0.0 * F.norm(x, ord=1) + 0.0 * F.norm(x)

    x = Variable(np.array([1.0, -2.0]), device=device)
    F.sum(Double()(x)).backward()
    np.testing.assert_array_equal(to_host(x.grad), [2.0, 2.0])
