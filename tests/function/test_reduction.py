"""sum, mean, max, min, variance, logsumexp: every axis form, keepdims, ties, ddof, stability."""
import re

import numpy as np
import pytest

import autograd
import autograd.function as F
from autograd import Variable, to_host
from autograd.backend import device_of
from autograd.numerical import gradcheck
from op_tables import REDUCTIONS

RNG = np.random.default_rng(5)
SHAPE = (2, 3, 2)
AXES = [None, 0, 1, -1, (0, 2), (-1, 0), (0, 1, 2)]
GRAD_AXES = [None, 1, -1, (-1, 0)]  # gradcheck is the slow part: a representative subset


def distinct_values(shape):
    """Values with no ties (max and min are differentiable there)."""
    n = int(np.prod(shape))
    return (RNG.permutation(n) * 0.37 - 2.0 + RNG.uniform(0, 0.1, n)).reshape(shape)


@pytest.mark.parametrize("keepdims", [False, True])
@pytest.mark.parametrize("axis", AXES, ids=str)
@pytest.mark.parametrize("name", REDUCTIONS)
def test_reduction_forward(device, name, axis, keepdims):
    op, ref = REDUCTIONS[name]
    a = distinct_values(SHAPE)
    y = op(Variable(a, device=device), axis=axis, keepdims=keepdims)
    expected = np.asarray(ref(a, axis=axis, keepdims=keepdims))
    assert y.shape == expected.shape
    np.testing.assert_allclose(to_host(y), expected, rtol=1e-12)


@pytest.mark.parametrize("keepdims", [False, True])
@pytest.mark.parametrize("axis", GRAD_AXES, ids=str)
@pytest.mark.parametrize("name", REDUCTIONS)
def test_reduction_gradcheck(device, name, axis, keepdims):
    op, _ = REDUCTIONS[name]
    assert gradcheck(lambda x: op(x, axis=axis, keepdims=keepdims), Variable(distinct_values(SHAPE), device=device))


def test_sum_and_mean_gradients_exact(device):
    a = RNG.normal(size=SHAPE)
    x = Variable(a, device=device)
    F.sum(x, axis=1).backward()
    np.testing.assert_array_equal(to_host(x.grad), np.ones(SHAPE))
    x = Variable(a, device=device)
    y = F.mean(x, axis=(0, 2), keepdims=True)
    (y * device.put(np.array([[[1.0], [2.0], [3.0]]]))).sum().backward()
    np.testing.assert_allclose(to_host(x.grad), np.broadcast_to(np.array([[[1.0], [2.0], [3.0]]]) / 4, SHAPE),
                               rtol=1e-12)
    x = Variable(a, device=device)
    F.mean(x).backward()
    np.testing.assert_allclose(to_host(x.grad), np.full(SHAPE, 1 / 12), rtol=1e-12)


@pytest.mark.parametrize("op", [F.max, F.min], ids=["max", "min"])
def test_extremum_splits_the_gradient_among_ties(device, op):
    """k tied elements each get gy / k, so the gradient sums to gy (PyTorch's amax / amin and x.max())."""
    big = 3.0 if op is F.max else -3.0
    a = np.array([[1.0, big, big], [2.0, 2.0, 0.0 if op is F.max else 4.0]])
    # per row: the ties at big, and the two 2.0s (row max of [2, 2, 0], row min of [2, 2, 4])
    x = Variable(a, device=device)
    y = op(x, axis=1)
    np.testing.assert_array_equal(to_host(y), [big, 2.0])
    (y * device.put(np.array([2.0, 5.0]))).sum().backward()
    np.testing.assert_array_equal(to_host(x.grad), [[0.0, 1.0, 1.0], [2.5, 2.5, 0.0]])

    x = Variable(a, device=device)
    y = op(x)  # over everything: only the two elements equal to big
    assert y.item() == big
    y.backward()
    np.testing.assert_array_equal(to_host(x.grad), [[0.0, 0.5, 0.5], [0.0, 0.0, 0.0]])

    b = np.zeros(SHAPE)  # over axes (0, 2): four ties in slice 0, one winner in slice 1, two ties in slice 2
    b[:, 0, :] = big
    b[1, 1, 0] = big
    b[0, 2, 1] = b[1, 2, 0] = big
    x = Variable(b, device=device)
    y = op(x, axis=(0, 2), keepdims=True)
    assert y.shape == (1, 3, 1)
    (y * device.put(np.array([[[4.0], [10.0], [100.0]]]))).sum().backward()
    expected = np.zeros(SHAPE)
    expected[:, 0, :] = 1.0
    expected[1, 1, 0] = 10.0
    expected[0, 2, 1] = expected[1, 2, 0] = 50.0
    np.testing.assert_array_equal(to_host(x.grad), expected)


def test_max_of_nan_gives_the_gradient_to_the_nans(device):
    """A slice holding NaN has the maximum NaN; its NaNs are the tied maxima (PyTorch's x.max())."""
    x = Variable(np.array([[1.0, np.nan, np.nan], [1.0, 2.0, 0.0]]), device=device)
    y = F.max(x, axis=1)
    assert np.isnan(to_host(y)[0]) and to_host(y)[1] == 2.0
    y.sum().backward()
    np.testing.assert_array_equal(to_host(x.grad), [[0.0, 0.5, 0.5], [0.0, 1.0, 0.0]])


def test_extremum_ties_second_order(device):
    """The split gradient stays differentiable: y = max(x)², gx = 2 max(x) / k at the k ties, Σ gx = 2 max(x),
    whose gradient is 2 / k at the ties."""
    x = Variable(np.array([1.0, 3.0, 3.0, 3.0]), device=device)
    y = F.max(x)
    (y * y).backward(create_graph=True)
    gx = x.grad
    np.testing.assert_array_equal(to_host(gx), [0.0, 2.0, 2.0, 2.0])
    x.cleargrad()
    gx.sum().backward()
    np.testing.assert_allclose(to_host(x.grad), [0.0, 2 / 3, 2 / 3, 2 / 3], rtol=1e-15)


@pytest.mark.parametrize("op", [F.max, F.min], ids=["max", "min"])
def test_extremum_gradient_single_winner(device, op):
    a = np.array([[0.5, -1.0, 2.0], [3.0, 0.1, -0.2]])
    x = Variable(a, device=device)
    op(x, axis=-1).backward()
    idx = a.argmax(axis=1) if op is F.max else a.argmin(axis=1)
    expected = np.zeros_like(a)
    expected[np.arange(2), idx] = 1.0
    np.testing.assert_array_equal(to_host(x.grad), expected)


@pytest.mark.parametrize("ddof", [1, 2])
@pytest.mark.parametrize("axis", [None, 1, (0, 2)], ids=str)
def test_variance_ddof(device, axis, ddof):
    a = RNG.normal(size=SHAPE)
    y = F.variance(Variable(a, device=device), axis=axis, ddof=ddof)
    np.testing.assert_allclose(to_host(y), np.var(a, axis=axis, ddof=ddof), rtol=1e-12)
    assert gradcheck(lambda x: F.variance(x, axis=axis, ddof=ddof), Variable(a, device=device))


def test_variance_gradient_exact(device):
    a = np.array([1.0, 2.0, 4.0, 9.0])
    x = Variable(a, device=device)
    F.variance(x, ddof=1).backward()
    np.testing.assert_allclose(to_host(x.grad), 2 * (a - a.mean()) / 3, rtol=1e-12)


def test_logsumexp_stable_for_large_inputs(device):
    a = np.array([[1000.0, 1000.0], [-1000.0, -1000.0]])
    x = Variable(a, device=device)
    y = F.logsumexp(x, axis=1)
    np.testing.assert_allclose(to_host(y), [1000.0 + np.log(2.0), -1000.0 + np.log(2.0)], rtol=1e-12)
    y.backward()
    np.testing.assert_allclose(to_host(x.grad), np.full((2, 2), 0.5), rtol=1e-12)
    y32 = F.logsumexp(Variable(a.astype(np.float32), device=device))
    np.testing.assert_allclose(to_host(y32), 1000.0 + np.log(2.0), rtol=1e-6)


def test_logsumexp_gradient_is_softmax(device):
    a = RNG.normal(size=(2, 3))
    x = Variable(a, device=device)
    F.logsumexp(x, axis=1).backward()
    e = np.exp(a)
    np.testing.assert_allclose(to_host(x.grad), e / e.sum(axis=1, keepdims=True), rtol=1e-12)


@pytest.mark.filterwarnings("error")
@pytest.mark.parametrize("dtype", ["float64", "float32"])
def test_logsumexp_of_all_minus_inf_is_minus_inf_without_a_warning(device, dtype):
    """PyTorch's -inf, silently (log 0 warned "divide by zero"); the gradient over such a slice is 0 (PyTorch's
    NaN, from -inf - -inf, warned "invalid value" too), the other slices keep the softmax."""
    x = Variable(np.array([-np.inf, -np.inf], dtype=dtype), device=device)
    y = F.logsumexp(x)
    assert to_host(y).dtype == dtype and to_host(y).item() == -np.inf
    y.backward()
    np.testing.assert_array_equal(to_host(x.grad), [0.0, 0.0])
    a = np.array([[-np.inf, -np.inf, -np.inf], [0.0, np.log(3.0), -np.inf]], dtype=dtype)
    x = Variable(a, device=device)
    y = F.logsumexp(x, axis=1, keepdims=True)
    np.testing.assert_allclose(to_host(y), [[-np.inf], [np.log(4.0)]], rtol=1e-6)
    F.sum(y).backward(create_graph=True)
    np.testing.assert_allclose(to_host(x.grad), [[0.0, 0.0, 0.0], [0.25, 0.75, 0.0]], rtol=1e-6)
    g = x.grad
    x.cleargrad()
    F.sum(g * g).backward()  # d/dx_i Σ s_j² = 2 s_i (s_i - Σ s_j²)
    np.testing.assert_allclose(to_host(x.grad), [[0.0, 0.0, 0.0], [2 * 0.25 * (0.25 - 0.625),
                                                               2 * 0.75 * (0.75 - 0.625), 0.0]], rtol=1e-5)


@pytest.mark.parametrize("op", [F.sum, F.mean, F.max, F.min, F.variance, F.logsumexp],
                         ids=["sum", "mean", "max", "min", "variance", "logsumexp"])
@pytest.mark.parametrize("axis", [3, -4, (0, 0)], ids=str)
def test_bad_axis_raises(device, op, axis):
    with pytest.raises(ValueError):
        op(Variable(np.zeros(SHAPE), device=device), axis=axis)


@pytest.mark.parametrize("op", [F.sum, F.mean, F.max, F.min])
def test_reducing_a_0d_variable_over_axis_0_raises(op):
    with pytest.raises(ValueError, match="out of range"):
        op(Variable(2.0), axis=0)


# ---- float16: accumulated in float32 (issue 15) -----------------------------------------------------------

N16 = 70_000  # more elements than float16's largest value, 65,504


def float16_values(device, shape=(N16,)):
    """Alternating 1.0 and 1.5 (mean 1.25, variance 0.0625) in float16; skips a device without float16."""
    if not hasattr(device.xp, "float16"):
        pytest.skip(f"{device.name} has no float16 (the array API standard has none)")
    a = np.where(np.arange(int(np.prod(shape))) % 2 == 0, 1.0, 1.5).reshape(shape).astype(np.float16)
    return a, Variable(a, device=device)


def test_mean_of_float16_accumulates_in_float32(device):
    a, x = float16_values(device)
    y = F.mean(x)
    assert y.dtype == np.float16 and y.item() == 1.25  # not inf: the sum 87,500 overflows float16
    y.backward()
    g = to_host(x.grad)
    assert g.dtype == np.float16
    np.testing.assert_array_equal(g, np.full(N16, np.float16(1 / N16)))
    a2, x2 = float16_values(device, (2, N16 // 2))
    np.testing.assert_array_equal(to_host(F.mean(x2, axis=1)), [1.25, 1.25])


def test_sum_and_variance_of_float16_accumulate_in_float32(device):
    a, x = float16_values(device)
    y = F.sum(x * 0.25)  # 21,875: a float16, reached exactly only by float32 partial sums
    assert y.dtype == np.float16 and y.item() == float(np.float16(21_875.0))
    with np.errstate(over="ignore"):  # NumPy warns of the overflow
        assert np.isinf(to_host(F.sum(x)))  # 87,500 is no float16: inf, as PyTorch's float16 sum
    v = F.variance(x)
    assert v.dtype == np.float16 and v.item() == 0.0625
    assert F.variance(x, ddof=1).item() == float(np.float16(0.0625 * N16 / (N16 - 1)))


def test_max_of_float16_ties_counts_in_float32(device):
    """70,000 float16 ties each get 1 / 70,000: the count, taken in float16, would be inf and the share 0."""
    float16_values(device)  # skips a device without float16
    x = Variable(np.ones(N16, dtype=np.float16), device=device)
    F.max(x).backward()
    g = to_host(x.grad)
    assert g.dtype == np.float16
    np.testing.assert_array_equal(g, np.full(N16, np.float16(1 / N16)))


@pytest.mark.parametrize("shape, axis, ddof", [((4,), None, 4), ((4,), None, 5), ((2, 3), 1, 3), ((2, 3), (0, 1), 6),
                                               ((0, 3), 0, 0)])
def test_variance_refuses_ddof_at_least_the_count(device, shape, axis, ddof):
    # n - ddof <= 0 has no variance: it was a negative number (or inf / NaN with a NumPy warning)
    x = Variable(np.arange(float(np.prod(shape))).reshape(shape), device=device)
    n = int(np.prod([shape[a] for a in ((axis,) if isinstance(axis, int) else axis or range(len(shape)))]))
    with pytest.raises(ValueError, match=rf"^variance: ddof={ddof} must be less than the number of elements reduced, "
                                         rf"{n} \(input shape {re.escape(str(shape))}"):
        F.variance(x, axis=axis, ddof=ddof)


@pytest.mark.filterwarnings("error")
def test_variance_with_the_largest_ddof(device):
    a = np.array([1.0, 2.0, 4.0, 9.0])
    x = Variable(a, device=device)
    y = F.variance(x, ddof=3)
    y.backward()
    np.testing.assert_allclose(to_host(y), np.var(a, ddof=3), rtol=1e-12)
    np.testing.assert_allclose(to_host(x.grad), 2 * (a - a.mean()), rtol=1e-12)


# issue 16: argmax, argmin, std, cumsum

@pytest.mark.parametrize("keepdims", [False, True])
@pytest.mark.parametrize("axis", [None, 0, 1, -1], ids=str)
@pytest.mark.parametrize("op", ["argmax", "argmin"])
def test_arg_extremum_matches_numpy_and_is_an_int64_constant(device, op, axis, keepdims):
    a = distinct_values(SHAPE)
    x = Variable(a, device=device)
    i = getattr(F, op)(x, axis=axis, keepdims=keepdims)
    expected = getattr(np, op)(a, axis=axis, keepdims=keepdims)
    assert i.shape == expected.shape and str(i.dtype).endswith("int64")
    assert i.creator is None and not i.requires_grad
    np.testing.assert_array_equal(to_host(i), expected)


@pytest.mark.parametrize("op, expected", [("argmax", [1, 0, 2]), ("argmin", [0, 1, 2])])
def test_arg_extremum_takes_the_first_of_ties_and_nan(device, op, expected):
    # PyTorch and NumPy: the first occurrence of the extremum; a NaN is both the largest and the smallest
    a = np.array([[1.0, 3.0, 3.0], [0.0, -1.0, -1.0], [2.0, 2.0, np.nan]])
    np.testing.assert_array_equal(to_host(getattr(F, op)(Variable(a, device=device), axis=1)), expected)
    assert getattr(F, op)(Variable(a, device=device)).item() == 8  # the NaN, flattened


def test_arg_extremum_of_a_0d_input_and_of_integers(device):
    assert F.argmax(Variable(2.5, device=device)).item() == 0
    assert F.argmin(Variable(2.5, device=device), axis=0).item() == 0
    ints = Variable(device.put(np.array([3, 9, 9, 1])))
    assert F.argmax(ints).item() == 1 and F.argmin(ints).item() == 3


def test_arg_extremum_refuses_empty_slices_and_several_axes(device):
    with pytest.raises(ValueError, match=r"^argmax: the input of shape \(2, 0\) has no elements along axis=1"):
        F.argmax(Variable(np.zeros((2, 0)), device=device), axis=1)
    with pytest.raises(TypeError, match=r"^argmin: axis must be an integer or None, got \(0, 1\)"):
        F.argmin(Variable(np.zeros((2, 2)), device=device), axis=(0, 1))


@pytest.mark.parametrize("ddof", [0, 1])
@pytest.mark.parametrize("axis", [None, 1, (0, 2)], ids=str)
def test_std_is_the_square_root_of_the_variance(device, axis, ddof):
    a = distinct_values(SHAPE)
    y = F.std(Variable(a, device=device), axis=axis, ddof=ddof)
    np.testing.assert_allclose(to_host(y), np.std(a, axis=axis, ddof=ddof), rtol=1e-12)
    assert gradcheck(lambda x: F.std(x, axis=axis, ddof=ddof), Variable(a, device=device))


@pytest.mark.filterwarnings("error")
def test_std_gradient_of_a_constant_slice_is_nan_as_pytorch(device):
    # d std / dx = (x - mean) / (n std) is 0 / 0 there (torch.std gives NaN too); the other slice is unharmed
    x = Variable(np.array([[2.0, 2.0], [1.0, 3.0]]), device=device)
    y = F.std(x, axis=1)
    np.testing.assert_array_equal(to_host(y), [0.0, 1.0])
    F.sum(y).backward()
    g = to_host(x.grad)
    assert np.isnan(g[0]).all()
    np.testing.assert_allclose(g[1], [-0.5, 0.5], rtol=1e-12)


def test_std_refuses_ddof_at_least_the_count(device):
    with pytest.raises(ValueError, match=r"^std: ddof=2 must be less than the number of elements reduced, 2 "
                                         r"\(input shape \(3, 2\), axis=1\)"):
        F.std(Variable(np.ones((3, 2)), device=device), axis=1, ddof=2)


@pytest.mark.parametrize("axis", [0, 1, -1, 2])
def test_cumsum_matches_numpy_and_its_gradient_is_the_reversed_cumsum(device, axis):
    a = distinct_values(SHAPE)
    x = Variable(a, device=device)
    y = F.cumsum(x, axis)
    np.testing.assert_allclose(to_host(y), np.cumsum(a, axis), rtol=1e-12, atol=1e-15)
    w = RNG.normal(size=SHAPE)
    F.sum(y * device.put(w)).backward()
    reversed_cumsum = np.flip(np.cumsum(np.flip(w, axis), axis), axis)
    np.testing.assert_allclose(to_host(x.grad), reversed_cumsum, rtol=1e-12, atol=1e-15)
    assert gradcheck(lambda x: F.cumsum(x, axis) ** 2, Variable(a, device=device))  # second order too


def test_cumsum_of_a_0d_input_and_a_bad_axis(device):
    assert F.cumsum(Variable(2.0, device=device), 0).item() == 2.0
    with pytest.raises(TypeError, match=r"^cumsum: axis must be an integer, got None"):
        F.cumsum(Variable(np.ones(3), device=device), None)
    with pytest.raises(ValueError, match=r"^cumsum: axis 2 is out of range for an array of 2 dimensions"):
        F.cumsum(Variable(np.ones((2, 2)), device=device), 2)


def test_cumsum_of_float16_accumulates_in_float32(device):
    float16_values(device)  # skips a device without float16
    y = F.cumsum(Variable(np.ones(3000, dtype=np.float16), device=device), 0)
    assert y.dtype == np.float16 and to_host(y)[-1] == 3000  # float16 steps of 1 stop at 2048


def test_argmax_and_one_hot_work_in_a_gradient_formula(device):
    # a backward that records no graph hands its formula arrays: gy routed to each row's largest input
    class RouteToMax(autograd.Function):
        def forward(self, x):
            return device_of(x).xp.max(x, axis=1)

        def backward(self, gy):
            (x,) = self.xs
            hot = F.one_hot(F.argmax(x, axis=1), num_classes=x.shape[1])
            return F.reshape(gy, (-1, 1)) * F.astype(hot, "float64")

    x = Variable(np.array([[1.0, 3.0, 2.0], [5.0, 4.0, 0.0]]), device=device)
    F.sum(RouteToMax()(x)).backward()
    np.testing.assert_array_equal(to_host(x.grad), [[0.0, 1.0, 0.0], [1.0, 0.0, 0.0]])


def test_std_and_norm_of_float16_square_in_float32(device):
    """√(Σ x²) of float16 whose squares overflow (from 256) but whose result does not: 424.25 and 500, as
    PyTorch's float16 std and linalg.norm, which accumulate in float32; squared in float16 they gave inf."""
    float16_values(device)  # skips a device without float16
    x = Variable(np.array([0.0, 600.0], dtype=np.float16), device=device)
    y = F.std(x, ddof=1)  # √((300² + 300²) / 1)
    assert y.dtype == np.float16 and y.item() == float(np.float16(300 * np.sqrt(2)))
    x = Variable(np.array([[300.0, 400.0], [3.0, 4.0]], dtype=np.float16), device=device)
    np.testing.assert_array_equal(to_host(F.norm(x, axis=1)), np.array([500.0, 5.0], dtype=np.float16))
    y = F.norm(x)  # ord None: the Frobenius norm of all four
    assert y.dtype == np.float16 and y.item() == float(np.float16(np.sqrt(250_025.0)))
    y.backward()
    np.testing.assert_allclose(to_host(x.grad), to_host(x).astype(np.float64) / np.sqrt(250_025.0), rtol=2e-3)


def test_variance_of_float16_squares_in_float32(device):
    """One outlier of 300 among 100 zeros: its square (90 000) overflows float16, the variance (891) does not;
    PyTorch's float16 var accumulates in float32 and gives it, as here. The gradient comes back in float16."""
    float16_values(device)  # skips a device without float16
    a = np.zeros(100, dtype=np.float16)
    a[0] = 300.0
    x = Variable(a, device=device)
    y = F.variance(x)
    assert y.dtype == np.float16
    assert y.item() == float(np.float16(np.var(a.astype(np.float64))))
    y.backward()
    assert x.grad.dtype == np.float16
    np.testing.assert_allclose(to_host(x.grad), 2 * (a - a.astype(np.float64).mean()) / 100, rtol=1e-3)
