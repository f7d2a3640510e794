"""batch_norm (training and test mode, running statistics), layer_norm and flatten: forward on larger shapes,
running statistics, modes, dtypes and errors (the op table, tests/op_tables.py, has the rows that gradcheck each)."""
import numpy as np
import pytest

import autograd
from autograd import Variable, to_host
import autograd.function as F
from autograd.function.flatten import flatten
from autograd.function.normalization import batch_norm, layer_norm
from autograd.numerical import gradcheck
from op_tables import np_batch_norm, np_layer_norm

RNG = np.random.default_rng(23)


def _axes(x):
    return (0,) + tuple(range(2, x.ndim))


def _inputs(shape, device, dtype="float64"):
    c = shape[1]
    x, g, b = RNG.normal(size=shape), RNG.normal(size=c), RNG.normal(size=c)
    return (x, g, b), [Variable(a, device=device, dtype=dtype) for a in (x, g, b)]


# ---- batch_norm: forward ----------------------------------------------------------------------------

@pytest.mark.parametrize("shape", [(5, 3), (4, 3, 2, 3)], ids=str)
def test_batch_norm_training_forward(device, shape):
    (x, g, b), vs = _inputs(shape, device)
    y = batch_norm(*vs, training=True)
    ax = _axes(x)
    expected = np_batch_norm(x, g, b, x.mean(axis=ax), x.var(axis=ax), 1e-5)
    assert y.shape == shape and y.device == device
    np.testing.assert_allclose(to_host(y), expected, rtol=1e-10, atol=1e-12)


@pytest.mark.parametrize("shape", [(5, 3), (4, 3, 2, 3)], ids=str)
def test_batch_norm_running_statistics_after_one_and_two_steps(device, shape):
    x1, x2 = RNG.normal(size=shape), RNG.normal(size=shape) * 2.0 + 1.0
    g, b = np.ones(shape[1]), np.zeros(shape[1])
    rm, rv = device.put(np.zeros(shape[1])), device.put(np.ones(shape[1]))
    ax = _axes(x1)
    expected_mean, expected_var = np.zeros(shape[1]), np.ones(shape[1])
    for x in (x1, x2):
        batch_norm(Variable(x, device=device), Variable(g, device=device), Variable(b, device=device),
                   rm, rv, momentum=0.3, training=True)
        expected_mean = 0.7 * expected_mean + 0.3 * x.mean(axis=ax)
        expected_var = 0.7 * expected_var + 0.3 * x.var(axis=ax, ddof=1)  # unbiased, as PyTorch
        np.testing.assert_allclose(to_host(rm), expected_mean, rtol=1e-12, atol=1e-14)
        np.testing.assert_allclose(to_host(rv), expected_var, rtol=1e-12, atol=1e-14)


def test_batch_norm_running_update_records_no_graph(device):
    (x, g, b), _ = _inputs((4, 2), device)
    grads = []
    for stats in ((), (device.put(np.zeros(2)), device.put(np.ones(2)))):
        vs = [Variable(a, device=device) for a in (x, g, b)]
        y = batch_norm(*vs, *stats, training=True)
        (y * y * y).sum().backward()
        grads.append([to_host(v.grad) for v in vs])
    for without, with_stats in zip(*grads):  # the update changes neither the output nor its gradients
        np.testing.assert_array_equal(without, with_stats)


@pytest.mark.parametrize("shape", [(5, 3), (2, 3, 2, 2)], ids=str)
def test_batch_norm_test_mode_uses_running_statistics(device, shape):
    (x, g, b), vs = _inputs(shape, device)
    m, v = RNG.normal(size=shape[1]), RNG.uniform(0.5, 2.0, size=shape[1])
    rm, rv = device.put(m.copy()), device.put(v.copy())
    expected = np_batch_norm(x, g, b, m, v, 1e-3)
    y = batch_norm(*vs, rm, rv, eps=1e-3, training=False)
    np.testing.assert_allclose(to_host(y), expected, rtol=1e-10)
    with autograd.test_mode():
        y = batch_norm(*vs, rm, rv, eps=1e-3)  # training=None reads test_mode()
    np.testing.assert_allclose(to_host(y), expected, rtol=1e-10)
    np.testing.assert_array_equal(to_host(rm), m)  # unchanged
    np.testing.assert_array_equal(to_host(rv), v)


def test_batch_norm_training_argument_overrides_config(device):
    (x, g, b), vs = _inputs((4, 2), device)
    rm, rv = device.put(np.zeros(2)), device.put(np.ones(2))
    with autograd.test_mode():
        y = batch_norm(*vs, rm, rv, training=True)  # explicit training wins over test_mode()
    np.testing.assert_allclose(to_host(y), np_batch_norm(x, g, b, x.mean(0), x.var(0), 1e-5), rtol=1e-10)
    assert not np.array_equal(to_host(rm), np.zeros(2))
    y = batch_norm(*vs, rm, rv)  # training=None outside test_mode(): training
    np.testing.assert_allclose(to_host(y), np_batch_norm(x, g, b, x.mean(0), x.var(0), 1e-5), rtol=1e-10)
    before = to_host(rm).copy()
    y = batch_norm(*vs, rm, rv, training=False)
    np.testing.assert_allclose(to_host(y), np_batch_norm(x, g, b, before, to_host(rv), 1e-5), rtol=1e-10)
    np.testing.assert_array_equal(to_host(rm), before)


def test_batch_norm_float32_stays_float32(device):
    (x, g, b), vs = _inputs((4, 3, 2, 2), device, dtype="float32")
    rm, rv = device.put(np.zeros(3, dtype=np.float32)), device.put(np.ones(3, dtype=np.float64))
    y = batch_norm(*vs, rm, rv, training=True)
    assert y.dtype == vs[0].dtype
    y.sum().backward()
    assert all(v.grad.dtype == vs[0].dtype for v in vs)
    assert to_host(rm).dtype == np.float32 and to_host(rv).dtype == np.float64  # running stats keep theirs
    y = batch_norm(*vs, rm, rv, training=False)
    assert y.dtype == vs[0].dtype
    np.testing.assert_allclose(to_host(y), np_batch_norm(x, g, b, to_host(rm), to_host(rv), 1e-5),
                               rtol=1e-4, atol=1e-5)


# ---- batch_norm: errors --------------------------------------------------------------------------------

def test_batch_norm_errors(device):
    def v(*shape, dtype="float64"):
        return Variable(np.ones(shape), device=device, dtype=dtype)

    with pytest.raises(ValueError, match=r"batch_norm.*\(N, C\)"):
        batch_norm(v(2, 3, 4), v(3), v(3))
    with pytest.raises(ValueError, match="batch_norm.*gamma"):
        batch_norm(v(2, 3), v(4), v(3))
    with pytest.raises(ValueError, match="batch_norm.*beta"):
        batch_norm(v(2, 3, 2, 2), v(3), v(2))
    with pytest.raises(ValueError, match="batch_norm.*running_mean.*required"):
        batch_norm(v(2, 3), v(3), v(3), training=False)
    with autograd.test_mode(), pytest.raises(ValueError, match="batch_norm.*required"):
        batch_norm(v(2, 3), v(3), v(3))
    with pytest.raises(ValueError, match="batch_norm.*both"):
        batch_norm(v(2, 3), v(3), v(3), running_mean=device.put(np.zeros(3)))
    with pytest.raises(ValueError, match="batch_norm.*running_var.*shape"):
        batch_norm(v(2, 3), v(3), v(3), device.put(np.zeros(3)), device.put(np.ones(2)))
    with pytest.raises(TypeError, match="batch_norm.*raw array"):
        batch_norm(v(2, 3), v(3), v(3), v(3), v(3))
    with pytest.raises(TypeError, match="batch_norm.*floating"):
        batch_norm(v(2, 3, dtype="int64"), v(3), v(3))
    with pytest.raises(ValueError, match="batch_norm.*more than one value"):
        batch_norm(v(1, 3), v(3), v(3), training=True)
    with pytest.raises(ValueError, match="batch_norm.*momentum"):
        batch_norm(v(2, 3), v(3), v(3), momentum=1.5)


def test_batch_norm_running_stats_on_another_device(device):
    other = "sim" if device.name == "cpu" else "cpu"
    x = Variable(np.ones((2, 3)), device=device)
    stat = autograd.get_device(other).put(np.zeros(3))
    with pytest.raises(ValueError, match="batch_norm.*running_mean"):
        batch_norm(x, Variable(np.ones(3), device=device), Variable(np.zeros(3), device=device), stat, stat)


# ---- layer_norm ---------------------------------------------------------------------------------------

@pytest.mark.parametrize("x_shape, g_shape", [((4, 5), (5,)), ((2, 3, 4), (4,)), ((2, 3, 4), (3, 4))], ids=str)
def test_layer_norm_forward(device, x_shape, g_shape):
    x, g, b = RNG.normal(size=x_shape), RNG.normal(size=g_shape), RNG.normal(size=g_shape)
    y = layer_norm(*[Variable(a, device=device) for a in (x, g, b)], eps=1e-4)
    np.testing.assert_allclose(to_host(y), np_layer_norm(x, g, b, 1e-4), rtol=1e-10, atol=1e-12)


def test_layer_norm_float32_and_errors(device):
    vs = [Variable(RNG.normal(size=s), device=device, dtype="float32") for s in ((3, 4), (4,), (4,))]
    y = layer_norm(*vs)
    assert y.dtype == vs[0].dtype
    y.sum().backward()
    assert vs[0].grad.dtype == vs[0].dtype
    x = Variable(np.ones((3, 4)), device=device)
    with pytest.raises(ValueError, match="layer_norm.*trailing"):
        layer_norm(x, Variable(np.ones(3), device=device), Variable(np.ones(3), device=device))
    with pytest.raises(ValueError, match="layer_norm.*beta"):
        layer_norm(x, Variable(np.ones(4), device=device), Variable(np.ones(3), device=device))
    with pytest.raises(ValueError, match="layer_norm.*trailing"):
        layer_norm(x, Variable(np.ones((2, 3, 4)), device=device), Variable(np.ones((2, 3, 4)), device=device))


# ---- flatten ------------------------------------------------------------------------------------------

@pytest.mark.parametrize("shape, start, expected", [((2, 3, 4), 1, (2, 12)), ((2, 3, 4), 2, (2, 3, 4)),
                                                    ((2, 3, 4), 0, (24,)), ((2, 3, 4), -2, (2, 12)),
                                                    ((5,), 1, (5, 1)), ((2, 3), 1, (2, 3))], ids=str)
def test_flatten_shapes(device, shape, start, expected):
    a = RNG.normal(size=shape)
    x = Variable(a, device=device)
    y = flatten(x, start)
    assert y.shape == expected
    np.testing.assert_array_equal(to_host(y), a.reshape(expected))


def test_flatten_gradcheck_and_errors(device):
    x = Variable(RNG.normal(size=(2, 2, 3)), device=device)
    assert gradcheck(flatten, x)
    assert flatten(Variable(np.ones((2, 3)), device=device, dtype="float32")).dtype == x.xp.float32
    with pytest.raises(ValueError, match="flatten.*0-d"):
        flatten(Variable(np.array(1.0), device=device))
    with pytest.raises(ValueError, match="flatten.*start_axis"):
        flatten(x, 4)


# ---- float16: statistics accumulated in float32 (issue 15) -------------------------------------------------

def test_batch_norm_and_layer_norm_of_float16_over_70000_values(device):
    if not hasattr(device.xp, "float16"):
        pytest.skip(f"{device.name} has no float16 (the array API standard has none)")
    n = 70_000  # more values per channel than float16's largest value, 65,504
    a = np.where(np.arange(2 * n).reshape(n, 2) // 2 % 2 == 0, 1.0, 1.5).astype(np.float16)  # mean 1.25, sd 0.25
    x = Variable(a, device=device)
    gamma, beta = (device.put(np.full(2, v, dtype=np.float16)) for v in (1.0, 0.0))
    rm, rv = device.put(np.zeros(2, dtype=np.float16)), device.put(np.ones(2, dtype=np.float16))
    y = batch_norm(x, gamma, beta, rm, rv, training=True)
    assert y.dtype == np.float16
    np.testing.assert_allclose(to_host(y), np.where(a == 1.0, -1.0, 1.0), atol=2e-3)
    np.testing.assert_array_equal(to_host(rm), np.float16(0.1 * 1.25))  # finite: not inf
    np.testing.assert_allclose(to_host(rv), 0.9 + 0.1 * 0.0625 * n / (n - 1), rtol=1e-3)
    ones, zeros = device.put(np.ones(n, dtype=np.float16)), device.put(np.zeros(n, dtype=np.float16))
    z = layer_norm(Variable(a.T, device=device), ones, zeros)  # each row normalised over its 70,000 values
    np.testing.assert_allclose(to_host(z), np.where(a.T == 1.0, -1.0, 1.0), atol=2e-3)


def test_float16_batch_norm_and_layer_norm_of_a_variance_beyond_65504(device):
    """std 260: the variance 67,600 is inf in float16. Standardised in float32, the output is ±1, the gradient
    finite and the running variance (float32 for a float16 layer) finite, as PyTorch's half precision."""
    if not hasattr(device.xp, "float16"):
        pytest.skip(f"{device.name} has no float16")
    from autograd.layer import BatchNorm, LayerNorm
    x = np.array([[260.0], [-260.0]] * 4, np.float16)
    weights = np.arange(8.0, dtype=np.float16).reshape(8, 1)
    bn = BatchNorm(1, dtype="float16").to(device)
    xv = Variable(x, device=device)
    y = bn(xv)
    F.sum(y * Variable(weights, device=device)).backward()
    assert str(y.dtype) == "float16"
    np.testing.assert_allclose(to_host(y).ravel(), [1.0, -1.0] * 4, rtol=1e-3)
    unbiased = 260.0 ** 2 * 8 / 7
    np.testing.assert_allclose(to_host(bn.running_var), [0.9 + 0.1 * unbiased], rtol=1e-5)
    # dL/dx for L = Σ w z, z = x / 260 (mean 0): (w - mean(w) - z · mean(w z)) / 260
    z = np.array([1.0, -1.0] * 4)
    w = np.arange(8.0)
    expected = (w - w.mean() - z * (w * z).mean()) / np.sqrt(260.0 ** 2 + 1e-5)
    np.testing.assert_allclose(to_host(xv.grad).ravel(), expected, rtol=2e-3, atol=1e-6)
    with autograd.test_mode():
        np.testing.assert_allclose(to_host(bn(xv)).ravel(), x.ravel() / np.sqrt(0.9 + 0.1 * unbiased), rtol=1e-3)
    ln = LayerNorm(8, dtype="float16").to(device)
    row = Variable(x.reshape(1, 8), device=device)
    np.testing.assert_allclose(to_host(ln(row)).ravel(), [1.0, -1.0] * 4, rtol=1e-3)
