"""mean_squared_error, cross_entropy (= softmax_cross_entropy), sigmoid_cross_entropy, accuracy: exact values and
gradients, ignored labels, stability, errors (the op table, tests/op_tables.py, has rows for each)."""
import numpy as np
import pytest

import autograd
import autograd.function as F
from autograd import Variable, to_host
from autograd.backend import dtype_name
from autograd.numerical import gradcheck
from op_tables import np_cross_entropy, np_log_softmax, np_sigmoid_cross_entropy

RNG = np.random.default_rng(19)


# ---- mean_squared_error ---------------------------------------------------------------------------

def test_mean_squared_error_divides_by_element_count(device):
    x = Variable([[1.0, 2.0, 3.0], [4.0, 5.0, 6.0]], device=device)
    t = Variable(np.zeros((2, 3)), device=device)
    y = F.mean_squared_error(x, t)
    assert y.shape == ()
    np.testing.assert_allclose(to_host(y), 91.0 / 6.0, rtol=1e-12)  # not / 2 (rows), not / 12
    y.backward()
    np.testing.assert_allclose(to_host(x.grad), 2 * np.array([[1.0, 2.0, 3.0], [4.0, 5.0, 6.0]]) / 6, rtol=1e-12)
    np.testing.assert_allclose(to_host(t.grad), -2 * np.array([[1.0, 2.0, 3.0], [4.0, 5.0, 6.0]]) / 6, rtol=1e-12)


def test_mean_squared_error_constant_target(device):
    a, b = RNG.normal(size=(2, 3)), RNG.normal(size=(2, 3))
    x = Variable(a, device=device)
    y = F.mean_squared_error(x, device.put(b))
    y.backward()
    np.testing.assert_allclose(to_host(x.grad), 2 * (a - b) / 6, rtol=1e-12)
    assert y.creator.inputs[1].grad is None


# ---- cross_entropy --------------------------------------------------------------------------------

def test_softmax_cross_entropy_is_cross_entropy():
    assert F.softmax_cross_entropy is F.cross_entropy


@pytest.mark.parametrize("op", [F.cross_entropy, F.softmax_cross_entropy], ids=["cross_entropy", "softmax_ce"])
def test_cross_entropy_value_and_gradient(device, op):
    a = RNG.normal(size=(3, 4))
    t = np.array([1, 0, 3])
    x = Variable(a, device=device)
    y = op(x, device.put(t))
    assert y.shape == ()
    np.testing.assert_allclose(to_host(y), np_cross_entropy(a, t), rtol=1e-12)
    y.backward()
    p = np.exp(np_log_softmax(a))
    expected = (p - np.eye(4)[t]) / 3
    np.testing.assert_allclose(to_host(x.grad), expected, rtol=1e-10, atol=1e-15)


def test_cross_entropy_third_order(device):
    """The gradient is an op of its own (softmax kept from the forward pass): its gradient, and that gradient's,
    still match central differences, with an ignored label and an (N, C, d) input."""
    t = device.put(np.array([[1, -100], [0, 2]]))

    def gradient(x):  # ∂/∂x cross_entropy(x, t), recorded: gradcheck's second order is the third order here
        F.cross_entropy(x, t).backward(create_graph=True)
        g, x.grad = x.grad, None
        return g

    assert gradcheck(gradient, Variable(RNG.normal(size=(2, 3, 2)), device=device))


def test_cross_entropy_known_value(device):
    # uniform logits: -log(1/C)
    y = F.cross_entropy(Variable(np.zeros((2, 5)), device=device), device.put(np.array([0, 4])))
    np.testing.assert_allclose(to_host(y), np.log(5.0), rtol=1e-12)


def test_cross_entropy_ignores_label_minus_100(device):
    a = RNG.normal(size=(4, 3))
    t = np.array([2, -100, 0, -100])
    x = Variable(a, device=device)
    y = F.cross_entropy(x, device.put(t))
    logp = np_log_softmax(a)
    # numerator and count leave the ignored rows out: the mean over 2 samples, not 4
    np.testing.assert_allclose(to_host(y), -(logp[0, 2] + logp[2, 0]) / 2, rtol=1e-12)
    y.backward()
    g = to_host(x.grad)
    np.testing.assert_array_equal(g[[1, 3]], np.zeros((2, 3)))
    p = np.exp(logp)
    np.testing.assert_allclose(g[0], (p[0] - np.eye(3)[2]) / 2, rtol=1e-10)
    np.testing.assert_allclose(g[2], (p[2] - np.eye(3)[0]) / 2, rtol=1e-10)
    # the same as dropping the ignored rows
    kept = F.cross_entropy(Variable(a[[0, 2]], device=device), device.put(np.array([2, 0])))
    np.testing.assert_allclose(to_host(y), to_host(kept), rtol=1e-12)


def test_cross_entropy_labels_as_variable_and_int32(device):
    a = RNG.normal(size=(2, 3))
    t = np.array([2, 1], dtype=np.int32)
    y = F.cross_entropy(Variable(a, device=device), Variable(t, device=device))
    np.testing.assert_allclose(to_host(y), np_cross_entropy(a, t.astype(np.int64)), rtol=1e-12)


def test_cross_entropy_stable_for_large_logits(device):
    a = np.array([[1000.0, 0.0, -1000.0], [-1000.0, 1000.0, 0.0]])
    x = Variable(a, device=device)
    y = F.cross_entropy(x, device.put(np.array([1, 1])))
    np.testing.assert_allclose(to_host(y), 1000.0 / 2, rtol=1e-12)  # 1000 for row 0, 0 for row 1
    y.backward()
    np.testing.assert_allclose(to_host(x.grad), [[0.5, -0.5, 0.0], [0.0, 0.0, 0.0]], atol=1e-12)
    y32 = F.cross_entropy(Variable(a.astype(np.float32), device=device), device.put(np.array([1, 1])))
    np.testing.assert_allclose(to_host(y32), 500.0, rtol=1e-6)


def test_cross_entropy_float_labels_raise(device):
    with pytest.raises(TypeError, match="cross_entropy"):
        F.cross_entropy(Variable(np.zeros((2, 3)), device=device), device.put(np.array([1.0, 0.0])))


@pytest.mark.parametrize("x_shape, t_shape", [((2, 3), (3,)), ((2, 3), (2, 1)), ((2, 3, 4), (2, 3)), ((3,), (3,))],
                         ids=str)
def test_cross_entropy_wrong_label_shape_raises(device, x_shape, t_shape):
    with pytest.raises(ValueError, match="cross_entropy"):
        F.cross_entropy(Variable(np.zeros(x_shape), device=device), device.put(np.zeros(t_shape, dtype=np.int64)))


# ---- sigmoid_cross_entropy ------------------------------------------------------------------------

@pytest.mark.parametrize("shape", [(4,), (2, 3)], ids=str)
def test_sigmoid_cross_entropy_value_and_gradient(device, shape):
    a = RNG.normal(size=shape) * 2
    t = RNG.integers(0, 2, size=shape)
    x = Variable(a, device=device)
    y = F.sigmoid_cross_entropy(x, device.put(t))
    assert y.shape == ()
    np.testing.assert_allclose(to_host(y), np_sigmoid_cross_entropy(a, t), rtol=1e-12)
    y.backward()
    np.testing.assert_allclose(to_host(x.grad), (1 / (1 + np.exp(-a)) - t) / a.size, rtol=1e-10, atol=1e-15)
    assert gradcheck(F.sigmoid_cross_entropy, Variable(a, device=device), device.put(t))


def test_sigmoid_cross_entropy_with_probability_targets(device):
    a = RNG.normal(size=(2, 3))
    t = RNG.uniform(0, 1, size=(2, 3))
    y = F.sigmoid_cross_entropy(Variable(a, device=device), Variable(t, device=device))
    np.testing.assert_allclose(to_host(y), np_sigmoid_cross_entropy(a, t), rtol=1e-12)
    assert gradcheck(lambda v: F.sigmoid_cross_entropy(v, device.put(t)), Variable(a, device=device))


@pytest.mark.parametrize("dtype", [np.float32, np.float64])
def test_sigmoid_cross_entropy_stable_for_large_logits(device, dtype):
    a = np.array([1000.0, -1000.0, 1000.0, -1000.0], dtype=dtype)
    t = np.array([0, 1, 1, 0])
    x = Variable(a, device=device)
    y = F.sigmoid_cross_entropy(x, device.put(t))
    np.testing.assert_allclose(to_host(y), 2000.0 / 4, rtol=1e-6)
    y.backward()
    np.testing.assert_allclose(to_host(x.grad), [0.25, -0.25, 0.0, 0.0], atol=1e-7)


def test_sigmoid_cross_entropy_shape_mismatch_raises(device):
    with pytest.raises(ValueError, match="sigmoid_cross_entropy"):
        F.sigmoid_cross_entropy(Variable(np.zeros((2, 3)), device=device), device.put(np.zeros((3,), dtype=np.int64)))


# ---- accuracy -------------------------------------------------------------------------------------

def test_accuracy_two_of_three(device):
    y = Variable(np.array([[0.1, 0.9], [0.8, 0.2], [0.3, 0.7]], dtype=np.float32), device=device)
    acc = F.accuracy(y, device.put(np.array([1, 0, 0])))
    assert isinstance(acc, Variable)
    assert acc.shape == ()
    assert acc.device == device
    assert dtype_name(acc.dtype) == "float32"
    np.testing.assert_allclose(to_host(acc), 2 / 3, rtol=1e-6)
    assert float(acc) == pytest.approx(2 / 3, rel=1e-6)


def test_accuracy_values(device):
    scores = RNG.normal(size=(6, 4))
    t = np.array([0, 1, 2, 3, 0, 1])
    acc = F.accuracy(Variable(scores, device=device), Variable(t, device=device))
    np.testing.assert_allclose(to_host(acc), np.mean(scores.argmax(axis=1) == t), rtol=1e-12)
    perfect = F.accuracy(Variable(np.eye(3), device=device), device.put(np.array([0, 1, 2])))
    assert float(perfect) == 1.0
    none = F.accuracy(Variable(np.eye(3), device=device), device.put(np.array([1, 2, 0])))
    assert float(none) == 0.0


def test_accuracy_takes_lists_and_is_a_constant():
    acc = F.accuracy([[0.1, 0.9], [0.8, 0.2]], [1, 1])
    assert acc.item() == 0.5
    assert not acc.requires_grad  # a metric: no gradient flows through it


def test_accuracy_wrong_label_shape_raises(device):
    with pytest.raises(ValueError, match="accuracy"):
        F.accuracy(Variable(np.zeros((3, 2)), device=device), device.put(np.array([0, 1])))


def test_cross_entropy_is_finite_with_masked_classes(device):
    # A class masked with -inf (and an ignored row full of -inf) must not turn the loss into nan.
    a = np.array([[0.0, -np.inf, 1.0], [2.0, 0.0, -np.inf], [-np.inf, 0.0, 0.0]])
    t = np.array([0, 1, -100])
    x = Variable(a, device=device)
    loss = F.cross_entropy(x, device.put(t))
    log_p0 = 0.0 - np.log(1 + np.e)
    log_p1 = 0.0 - np.log(np.exp(2.0) + 1)
    np.testing.assert_allclose(to_host(loss), -(log_p0 + log_p1) / 2)
    loss.backward()
    g = to_host(x.grad)
    assert np.isfinite(g).all()
    np.testing.assert_array_equal(g[2], 0.0)


@pytest.mark.parametrize("labels", [[0, 3, 1], [0, -1, 2], [5, 0, 0], [-101, 0, 0]])
def test_cross_entropy_refuses_labels_out_of_range(device, labels):
    """A label outside [0, C) other than -100 raises on the cpu; elsewhere (no host read) the loss is NaN."""
    x = Variable(np.zeros((3, 3), np.float32), device=device)
    t = device.put(np.array(labels))
    if device.name == "cpu":
        with pytest.raises(ValueError, match=r"cross_entropy: labels must be in \[0, 3\) for 3 classes, or -100"):
            F.cross_entropy(x, t)
    else:
        loss = F.cross_entropy(x, t)
        assert np.isnan(float(loss))
        loss.backward()  # the gradient is computed without an indexing error too (its values are not defined)


def test_cross_entropy_accepts_every_valid_label_and_the_ignore_index(device):
    x = Variable(np.zeros((4, 3), np.float32), device=device)
    loss = F.cross_entropy(x, device.put(np.array([0, 2, -100, 1])))
    np.testing.assert_allclose(float(loss), np.log(3.0), rtol=1e-6)


# ---- float16: sums accumulated in float32 (issue 15) -------------------------------------------------------

N16 = 70_000  # more elements than float16's largest value, 65,504


def skip_without_float16(device):
    if not hasattr(device.xp, "float16"):
        pytest.skip(f"{device.name} has no float16 (the array API standard has none)")


def test_mean_squared_error_of_float16_accumulates_in_float32(device):
    skip_without_float16(device)
    x = Variable(np.full(N16, 1.5, dtype=np.float16), device=device)
    t = Variable(np.ones(N16, dtype=np.float16), device=device)
    y = F.mean_squared_error(x, t)
    assert y.dtype == np.float16 and y.item() == 0.25  # Σ 0.25 = 17,500, then / 70,000
    y.backward()
    np.testing.assert_array_equal(to_host(x.grad), np.full(N16, np.float16(2 * 0.5 / N16)))


def test_cross_entropies_of_float16_count_and_sum_in_float32(device):
    skip_without_float16(device)
    x = Variable(np.zeros((N16, 2), dtype=np.float16), device=device)  # log 2 per sample: Σ = 48,520
    t = Variable(np.zeros(N16, dtype=np.int64), device=device)
    y = F.cross_entropy(x, t)
    assert y.dtype == np.float16 and y.item() == float(np.float16(np.log(2.0)))  # the count 70,000 is no float16
    y.backward()
    g = to_host(x.grad)
    assert g.dtype == np.float16
    np.testing.assert_array_equal(g[:, 0], np.float16(-0.5 / N16))
    z = Variable(np.full(N16, 2.0, dtype=np.float16), device=device)  # 2 + log(1 + e^-2) = 2.127 each
    y = F.sigmoid_cross_entropy(z, Variable(np.zeros(N16, dtype=np.int64), device=device))
    assert y.dtype == np.float16 and y.item() == float(np.float16(2.0 + np.log1p(np.exp(-2.0))))


@pytest.mark.filterwarnings("error")
@pytest.mark.parametrize("dtype", ["float32", "float64"])
@pytest.mark.parametrize("shape", [(3, 4), (2, 4, 3)], ids=str)
def test_cross_entropy_with_every_label_ignored(device, dtype, shape):
    # PyTorch: the mean over no sample is NaN, the gradient zero; here also at second order, and no warning
    x = Variable(RNG.normal(size=shape).astype(dtype), device=device)
    t = device.put(np.full((shape[0],) + shape[2:], -100))
    y = F.cross_entropy(x, t)
    assert np.isnan(to_host(y))
    y.backward(create_graph=True)
    g = x.grad
    np.testing.assert_array_equal(to_host(g), np.zeros(shape, dtype))
    x.cleargrad()
    F.sum(g * g).backward()
    np.testing.assert_array_equal(to_host(x.grad), np.zeros(shape, dtype))


# ---- reduction, l1_loss, huber_loss (issue 16) -----------------------------------------------------------------

def np_huber(d, delta):
    """PyTorch's documented huber_loss per element."""
    return np.where(np.abs(d) < delta, 0.5 * d * d, delta * (np.abs(d) - 0.5 * delta))


DIFFERENCE_LOSSES = {  # op, its per-element loss of d = x - t (NumPy), its derivative in d
    "mean_squared_error": (F.mean_squared_error, lambda d: d * d, lambda d: 2 * d),
    "l1_loss": (F.l1_loss, np.abs, np.sign),
    "huber_loss": (F.huber_loss, lambda d: np_huber(d, 1.0), lambda d: np.clip(d, -1.0, 1.0)),
    "huber_loss delta 0.5": (lambda x, t, **kw: F.huber_loss(x, t, delta=0.5, **kw), lambda d: np_huber(d, 0.5),
                             lambda d: np.clip(d, -0.5, 0.5)),
}


@pytest.mark.parametrize("reduction", ["mean", "sum", "none"])
@pytest.mark.parametrize("name", DIFFERENCE_LOSSES)
def test_difference_losses_reduce_like_pytorch(device, name, reduction):
    op, f, slope = DIFFERENCE_LOSSES[name]
    a = np.array([[1.5, -0.3, 0.2], [-2.0, 0.7, 0.0]])
    b = np.array([0.1, 0.4, 0.0])  # broadcast over the rows, as PyTorch does (with a warning)
    x, t = Variable(a, device=device), Variable(b, device=device)
    y = op(x, t, reduction=reduction)
    d = a - b
    expected = {"mean": f(d).mean(), "sum": f(d).sum(), "none": f(d)}[reduction]
    assert y.shape == np.shape(expected)
    np.testing.assert_allclose(to_host(y), expected, rtol=1e-12)
    F.sum(y * Variable(np.full(y.shape, 3.0), device=device)).backward()  # a gradient of 3 for each output
    g = 3 * slope(d) / (d.size if reduction == "mean" else 1)
    np.testing.assert_allclose(to_host(x.grad), g, rtol=1e-12)
    np.testing.assert_allclose(to_host(t.grad), -g.sum(axis=0), rtol=1e-12)
    # away from the kinks (|d| = 0, |d| = δ), first and second order
    assert gradcheck(lambda u, v: op(u, v, reduction=reduction), Variable(a[:, :2] + 0.05, device=device),
                     Variable(b[:2], device=device))


def test_l1_and_huber_known_values(device):
    x = Variable(np.array([0.5, -3.0, 0.0, 1.0]), device=device)
    zero = device.put(np.zeros(4))
    np.testing.assert_allclose(to_host(F.l1_loss(x, zero)), 4.5 / 4, rtol=1e-12)
    # 0.125, 3 - 0.5 = 2.5, 0, and |d| = δ is on the linear side (PyTorch: quadratic only where |d| < δ): 0.5
    np.testing.assert_allclose(to_host(F.huber_loss(x, zero, reduction="none")), [0.125, 2.5, 0.0, 0.5], rtol=1e-12)
    np.testing.assert_allclose(to_host(F.huber_loss(x, zero, reduction="sum", delta=2.0)),
                               0.125 + 2 * (3 - 1) + 0 + 0.5, rtol=1e-12)
    F.l1_loss(x, zero, reduction="sum").backward()
    np.testing.assert_array_equal(to_host(x.grad), [1.0, -1.0, 0.0, 1.0])  # sign, 0 at 0 as in PyTorch


def test_huber_second_derivative_is_one_inside_zero_outside(device):
    x = Variable(np.array([0.5, -3.0, 2.0]), device=device)
    F.huber_loss(x, device.put(np.zeros(3)), reduction="sum").backward(create_graph=True)
    g = x.grad
    np.testing.assert_allclose(to_host(g), [0.5, -1.0, 1.0])
    x.cleargrad()
    F.sum(g).backward()
    np.testing.assert_array_equal(to_host(x.grad), [1.0, 0.0, 0.0])


@pytest.mark.parametrize("reduction", ["sum", "none"])
def test_sigmoid_cross_entropy_reductions(device, reduction):
    a = RNG.normal(size=(2, 3))
    t = RNG.integers(0, 2, size=(2, 3))
    x = Variable(a, device=device)
    y = F.sigmoid_cross_entropy(x, device.put(t), reduction=reduction)
    per = -(t * np.log(1 / (1 + np.exp(-a))) + (1 - t) * np.log(1 - 1 / (1 + np.exp(-a))))
    np.testing.assert_allclose(to_host(y), per.sum() if reduction == "sum" else per, rtol=1e-10)
    F.sum(y).backward()
    np.testing.assert_allclose(to_host(x.grad), 1 / (1 + np.exp(-a)) - t, rtol=1e-10, atol=1e-15)
    assert gradcheck(lambda v: F.sigmoid_cross_entropy(v, device.put(t), reduction=reduction),
                     Variable(a, device=device))


@pytest.mark.parametrize("op", [F.mean_squared_error, F.l1_loss, F.huber_loss, F.sigmoid_cross_entropy],
                         ids=lambda op: op.__name__)
@pytest.mark.parametrize("reduction", ["Mean", "elementwise_mean", None, 1])
def test_bad_reduction_is_named(op, reduction):
    with pytest.raises(ValueError, match=rf"^{op.__name__}: reduction must be 'mean', 'sum' or 'none', got"):
        op(Variable(np.zeros(2)), np.zeros(2), reduction=reduction)


@pytest.mark.parametrize("delta", [0.0, -1.0, float("nan"), "1"])
def test_huber_delta_must_be_positive(delta):
    with pytest.raises(ValueError, match=r"^huber_loss: delta must be a number > 0, got"):
        F.huber_loss(Variable(np.zeros(2)), np.zeros(2), delta=delta)


# ---- binary_cross_entropy (issue 16) ---------------------------------------------------------------------------

def np_binary_cross_entropy(p, t, w=1.0):
    """PyTorch's documented formula: -w (t log p + (1 - t) log(1 - p)), each log clamped at -100."""
    with np.errstate(divide="ignore"):
        return -w * (t * np.maximum(np.log(p), -100) + (1 - t) * np.maximum(np.log(1 - p), -100))


@pytest.mark.parametrize("reduction", ["mean", "sum", "none"])
def test_binary_cross_entropy_values_and_gradient(device, reduction):
    p = np.array([[0.2, 0.6, 0.9], [0.45, 0.05, 0.7]])
    t = np.array([[1.0, 0.0, 0.3], [0.0, 1.0, 1.0]])  # probabilities are targets too
    w = np.array([0.5, 2.0, 1.0])  # broadcast over the rows
    x = Variable(p, device=device)
    y = F.binary_cross_entropy(x, device.put(t), weight=device.put(w), reduction=reduction)
    per = np_binary_cross_entropy(p, t, w)
    expected = {"mean": per.mean(), "sum": per.sum(), "none": per}[reduction]  # the mean divides by N, not Σ w
    np.testing.assert_allclose(to_host(y), expected, rtol=1e-12)
    F.sum(y).backward()
    np.testing.assert_allclose(to_host(x.grad), w * (p - t) / (p * (1 - p)) / (p.size if reduction == "mean" else 1),
                               rtol=1e-10)
    assert gradcheck(lambda v: F.binary_cross_entropy(v, device.put(t), weight=device.put(w), reduction=reduction),
                     Variable(p, device=device))


@pytest.mark.filterwarnings("error")
def test_binary_cross_entropy_clamps_its_logs_at_minus_100(device):
    # PyTorch: a certain miss costs 100, a certain hit 0; the gradient divides by max(p (1 - p), 1e-12)
    x = Variable(np.array([0.0, 1.0, 0.0, 1.0]), device=device)
    y = F.binary_cross_entropy(x, device.put(np.array([1.0, 0.0, 0.0, 1.0])), reduction="none")
    np.testing.assert_array_equal(to_host(y), [100.0, 100.0, 0.0, 0.0])
    F.sum(y).backward()
    np.testing.assert_allclose(to_host(x.grad), [-1e12, 1e12, 0.0, 0.0])
    y32 = F.binary_cross_entropy(Variable(np.array([0.0, 0.5], np.float32), device=device),
                                 device.put(np.array([1, 1])))
    assert dtype_name(y32.dtype) == "float32"
    np.testing.assert_allclose(to_host(y32), (100 + np.log(2)) / 2, rtol=1e-6)


def test_binary_cross_entropy_outside_0_1(device):
    x = Variable(np.array([0.5, 1.5]), device=device)
    t = device.put(np.array([1.0, 1.0]))
    if device.name == "cpu":
        with pytest.raises(ValueError, match=r"^binary_cross_entropy: the input must be probabilities in \[0, 1\], "
                                             r"got values in \[0.5, 1.5\]"):
            F.binary_cross_entropy(x, t)
    else:  # no host read: NaN
        assert np.isnan(float(F.binary_cross_entropy(x, t)))


@pytest.mark.parametrize("weight, error, pattern", [
    (np.ones(2), ValueError, r"^binary_cross_entropy: weight of shape \(2,\) must broadcast to \(2, 3\) for an "
                             r"input of shape \(2, 3\)"),
    (np.ones((1, 2, 3)), ValueError, r"^binary_cross_entropy: weight of shape \(1, 2, 3\) must broadcast"),
    (np.array([True, False, True]), TypeError, r"^binary_cross_entropy: weight must be a real array, got dtype bool"),
], ids=["(2,)", "(1, 2, 3)", "bool"])
def test_binary_cross_entropy_bad_weight(weight, error, pattern):
    with pytest.raises(error, match=pattern):
        F.binary_cross_entropy(Variable(np.full((2, 3), 0.5)), np.ones((2, 3)), weight=weight)


def test_binary_cross_entropy_weight_on_another_device():
    with pytest.raises(autograd.DeviceError, match=r"^binary_cross_entropy: weight is on cpu but the input on sim"):
        F.binary_cross_entropy(Variable(np.full(3, 0.5), device="sim"), Variable(np.ones(3), device="sim"),
                               weight=np.ones(3))


def test_binary_cross_entropy_target_shape_and_dtype():
    with pytest.raises(ValueError, match=r"^binary_cross_entropy: input of shape \(2, 3\) and target of shape "
                                         r"\(3,\) must match"):
        F.binary_cross_entropy(Variable(np.full((2, 3), 0.5)), np.ones(3))
    with pytest.raises(TypeError, match=r"^binary_cross_entropy: the input must be floating probabilities"):
        F.binary_cross_entropy(np.array([0, 1]), np.array([0, 1]))


# ---- nll_loss and the options of cross_entropy (issue 16) ---------------------------------------------------------

def np_nll_loss(logp, t, w=None, ignore_index=-100, reduction="mean"):
    """PyTorch's documented nll_loss, sample by sample: l_i = -w[t_i] logp_i[t_i] (0 if ignored); the mean divides
    Σ l_i by Σ w[t_i] over the samples not ignored."""
    n_classes = logp.shape[1]
    w = np.ones(n_classes) if w is None else w
    flat = np.moveaxis(logp, 1, -1).reshape(-1, n_classes)
    losses, weights = np.zeros(t.size), np.zeros(t.size)
    for i, label in enumerate(t.reshape(-1)):
        if label != ignore_index:
            losses[i], weights[i] = -w[label] * flat[i, label], w[label]
    if reduction == "none":
        return losses.reshape(t.shape)
    return losses.sum() / weights.sum() if reduction == "mean" else losses.sum()


def np_cross_entropy_options(x, t, w=None, ignore_index=-100, reduction="mean", label_smoothing=0.0):
    """PyTorch's cross_entropy with class labels: (1 - ε) nll + ε / C · smooth, smooth_i = -Σ_c w_c logp_ic (0 if
    ignored), reduced as nll (its mean divided by Σ w[t_i] over the samples not ignored)."""
    logp = np_log_softmax(x)
    n_classes = x.shape[1]
    wb = (np.ones(n_classes) if w is None else w).reshape((1, -1) + (1,) * (x.ndim - 2))
    smooth = np.where(t == ignore_index, 0.0, -(logp * wb).sum(axis=1))
    if reduction == "mean":
        kept = t[t != ignore_index]
        smooth = smooth.sum() / (kept.size if w is None else w[kept].sum())
    elif reduction == "sum":
        smooth = smooth.sum()
    nll = np_nll_loss(logp, t, w, ignore_index, reduction)
    return (1 - label_smoothing) * nll + label_smoothing / n_classes * smooth


CLASS_CASES = {  # logits, labels: (N, C) and (N, C, d), with ignored labels
    "(4, 3)": (RNG.normal(size=(4, 3)), np.array([2, -100, 0, 1])),
    "(2, 3, 2)": (RNG.normal(size=(2, 3, 2)), np.array([[0, 2], [-100, 1]])),
}


@pytest.mark.parametrize("reduction", ["mean", "sum", "none"])
@pytest.mark.parametrize("weighted", [False, True], ids=["unweighted", "weighted"])
@pytest.mark.parametrize("case", CLASS_CASES)
def test_nll_loss_matches_pytorch_formula(device, case, weighted, reduction):
    a, t = CLASS_CASES[case]
    logp = np_log_softmax(a)
    w = np.array([0.2, 3.0, 1.5]) if weighted else None
    x = Variable(logp, device=device)
    y = F.nll_loss(x, device.put(t), weight=None if w is None else device.put(w), reduction=reduction)
    np.testing.assert_allclose(to_host(y), np_nll_loss(logp, t, w, reduction=reduction), rtol=1e-12)
    F.sum(y).backward()
    wb = np.ones(3) if w is None else w
    g = np.zeros_like(logp)  # -w[t] at the label, divided by Σ w[t] for the mean
    divisor = wb[t[t != -100]].sum() if reduction == "mean" else 1.0
    for idx in np.ndindex(t.shape):
        if t[idx] != -100:
            g[(idx[0], t[idx]) + idx[1:]] = -wb[t[idx]] / divisor
    np.testing.assert_allclose(to_host(x.grad), g, rtol=1e-12)
    # cross_entropy is nll_loss of log_softmax, with every option
    z = F.cross_entropy(Variable(a, device=device), device.put(t), weight=None if w is None else device.put(w),
                        reduction=reduction)
    np.testing.assert_allclose(to_host(z), to_host(y), rtol=1e-12)


@pytest.mark.parametrize("reduction", ["mean", "sum", "none"])
@pytest.mark.parametrize("weighted", [False, True], ids=["unweighted", "weighted"])
@pytest.mark.parametrize("label_smoothing", [0.0, 0.1, 1.0])
@pytest.mark.parametrize("case", CLASS_CASES)
def test_cross_entropy_options_match_pytorch_formula(device, case, label_smoothing, weighted, reduction):
    a, t = CLASS_CASES[case]
    w = np.array([0.2, 3.0, 1.5]) if weighted else None

    def loss(x):
        return F.cross_entropy(x, device.put(t), weight=None if w is None else device.put(w), reduction=reduction,
                               label_smoothing=label_smoothing)

    y = loss(Variable(a, device=device))
    expected = np_cross_entropy_options(a, t, w, reduction=reduction, label_smoothing=label_smoothing)
    assert y.shape == np.shape(expected)
    np.testing.assert_allclose(to_host(y), expected, rtol=1e-12)
    assert gradcheck(loss, Variable(a, device=device))


def test_cross_entropy_label_smoothing_known_value(device):
    # p = (1/4, 3/4), label 1, ε = 0.2, C = 2: the target is (0.1, 0.9): -(0.1 log 1/4 + 0.9 log 3/4) = 0.397543
    x = Variable(np.array([[0.0, np.log(3.0)]]), device=device)
    y = F.cross_entropy(x, device.put(np.array([1])), label_smoothing=0.2)
    np.testing.assert_allclose(to_host(y), -(0.1 * np.log(0.25) + 0.9 * np.log(0.75)), rtol=1e-12)
    np.testing.assert_allclose(to_host(y), 0.397543, rtol=1e-6)
    y.backward()
    np.testing.assert_allclose(to_host(x.grad), [[0.25 - 0.1, 0.75 - 0.9]], rtol=1e-12)  # softmax - target


@pytest.mark.parametrize("label_smoothing", [0.0, 0.3])
@pytest.mark.parametrize("reduction", ["mean", "sum", "none"])
def test_cross_entropy_with_probability_targets(device, reduction, label_smoothing):
    a = RNG.normal(size=(2, 3, 2))
    p = RNG.uniform(0.1, 1.0, size=(2, 3, 2))
    p /= p.sum(axis=1, keepdims=True)
    w = np.array([0.5, 1.0, 2.0])
    y = F.cross_entropy(Variable(a, device=device), Variable(p, device=device), weight=device.put(w),
                        reduction=reduction, label_smoothing=label_smoothing)
    target = (1 - label_smoothing) * p + label_smoothing / 3
    per = -(w[None, :, None] * target * np_log_softmax(a)).sum(axis=1)
    # PyTorch: the mean over probabilities divides by the number of samples N d1 (here 4), not by the weights
    expected = {"mean": per.sum() / 4, "sum": per.sum(), "none": per}[reduction]
    np.testing.assert_allclose(to_host(y), expected, rtol=1e-12)
    assert gradcheck(lambda v: F.cross_entropy(v, Variable(p, device=device), weight=device.put(w),
                                               reduction=reduction, label_smoothing=label_smoothing),
                     Variable(a, device=device))
    # one-hot probabilities are the labels, unweighted
    onehot = np.eye(3)[[1, 2]]
    np.testing.assert_allclose(to_host(F.cross_entropy(Variable(a[:, :, 0], device=device),
                                                       Variable(onehot, device=device))),
                               np_cross_entropy(a[:, :, 0], np.array([1, 2])), rtol=1e-12)


@pytest.mark.parametrize("weighted", [False, True], ids=["fused", "general"])
@pytest.mark.parametrize("case", ["(4, 3)", "(2, 3, 2)"])
def test_cross_entropy_ignore_index_of_a_class(device, case, weighted):
    # ignore_index may be a class (0 here); -100 is then a bad label
    a, t = CLASS_CASES[case]
    t = np.where(t == -100, 1, t)
    w = device.put(np.ones(3)) if weighted else None
    x = Variable(a, device=device)
    y = F.cross_entropy(x, device.put(t), weight=w, ignore_index=0)
    np.testing.assert_allclose(to_host(y), np_nll_loss(np_log_softmax(a), t, ignore_index=0), rtol=1e-12)
    y.backward()
    g = np.moveaxis(to_host(x.grad), 1, -1)
    np.testing.assert_array_equal(g[t == 0], 0.0)
    assert np.all(g[t != 0] != 0.0)
    if device.name == "cpu":
        with pytest.raises(ValueError, match=r"^cross_entropy: labels must be in \[0, 3\) for 3 classes, or 0 "
                                             r"\(ignored\); got -100"):
            F.cross_entropy(x, device.put(np.where(t == 1, -100, t)), weight=w, ignore_index=0)


@pytest.mark.filterwarnings("error")
@pytest.mark.parametrize("op", ["nll_loss", "weighted cross_entropy", "smoothed cross_entropy"])
def test_class_losses_with_every_label_ignored(device, op):
    # PyTorch: NaN, and a zero gradient (here also at second order), without a warning
    call = {"nll_loss": lambda x, t: F.nll_loss(x, t),
            "weighted cross_entropy": lambda x, t: F.cross_entropy(x, t, weight=device.put(np.ones(3))),
            "smoothed cross_entropy": lambda x, t: F.cross_entropy(x, t, label_smoothing=0.1)}[op]
    x = Variable(RNG.normal(size=(2, 3)), device=device)
    y = call(x, device.put(np.array([-100, -100])))
    assert np.isnan(to_host(y))
    y.backward(create_graph=True)
    g = x.grad
    np.testing.assert_array_equal(to_host(g), np.zeros((2, 3)))
    x.cleargrad()
    F.sum(g * g).backward()
    if op != "nll_loss":  # nll_loss is linear: its gradient does not depend on x
        np.testing.assert_array_equal(to_host(x.grad), np.zeros((2, 3)))


def test_weighted_cross_entropy_is_finite_with_masked_classes(device):
    a = np.array([[0.0, -np.inf, 1.0], [2.0, 0.0, -np.inf]])
    x = Variable(a, device=device)
    y = F.cross_entropy(x, device.put(np.array([0, 1])), weight=device.put(np.array([1.0, 2.0, 3.0])),
                        reduction="none")
    np.testing.assert_allclose(to_host(y), [np.log(1 + np.e), 2 * np.log(np.exp(2.0) + 1)], rtol=1e-12)
    F.sum(y).backward()
    assert np.isfinite(to_host(x.grad)).all()


@pytest.mark.parametrize("op", [F.nll_loss, lambda x, t: F.cross_entropy(x, t, label_smoothing=0.1)],
                         ids=["nll_loss", "smoothed cross_entropy"])
def test_class_losses_refuse_labels_out_of_range(device, op):
    x = Variable(np.full((3, 3), -1.0), device=device)
    t = device.put(np.array([0, 3, -100]))
    if device.name == "cpu":
        with pytest.raises(ValueError, match=r"labels must be in \[0, 3\) for 3 classes, or -100 \(ignored\); got 3"):
            op(x, t)
    else:  # no host read: NaN
        assert np.isnan(float(op(x, t)))


def test_float16_weighted_cross_entropy_counts_in_float32():
    x = Variable(np.zeros((N16, 2), dtype=np.float16))  # log 2 per sample, weight 1 each: Σ w[t] = 70,000
    y = F.cross_entropy(x, np.zeros(N16, dtype=np.int64), weight=np.ones(2), reduction="mean")
    assert y.dtype == np.float16
    np.testing.assert_allclose(y.item(), np.log(2.0), rtol=1e-2)


@pytest.mark.parametrize("call, error, pattern", [
    (lambda x, t: F.cross_entropy(x, t, weight=np.ones(2)), ValueError,
     r"^cross_entropy: weight of shape \(2,\) must be \(3,\) for an input of shape \(4, 3\)"),
    (lambda x, t: F.nll_loss(x, t, weight=np.ones((1, 3))), ValueError, r"^nll_loss: weight of shape \(1, 3\) must"),
    (lambda x, t: F.cross_entropy(x, t, label_smoothing=1.5), ValueError,
     r"^cross_entropy: label_smoothing must be a number in \[0, 1\], got 1.5"),
    (lambda x, t: F.cross_entropy(x, t, label_smoothing=-0.1), ValueError, r"^cross_entropy: label_smoothing"),
    (lambda x, t: F.cross_entropy(x, t, ignore_index=None), TypeError,
     r"^cross_entropy: ignore_index must be an int, got NoneType None"),
    (lambda x, t: F.cross_entropy(x, t, reduction="avg"), ValueError,
     r"^cross_entropy: reduction must be 'mean', 'sum' or 'none', got 'avg'"),
    (lambda x, t: F.nll_loss(x, t, reduction="batchmean"), ValueError, r"^nll_loss: reduction must be"),
    (lambda x, t: F.nll_loss(x, t.astype(float)), TypeError, r"^nll_loss: labels must be integers, got dtype float"),
    (lambda x, t: F.nll_loss(x, t[:3]), ValueError, r"^nll_loss: input of shape \(4, 3\) needs labels of shape "
                                                    r"\(4,\), got \(3,\)"),
    (lambda x, t: F.nll_loss(x, np.array([0, 1, 2, 5])), ValueError, r"^nll_loss: labels must be in \[0, 3\)"),
], ids=["ce weight (2,)", "nll weight (1, 3)", "smoothing 1.5", "smoothing -0.1", "ignore_index None",
        "ce reduction", "nll reduction", "nll float labels", "nll label shape", "nll label range"])
def test_class_loss_errors(call, error, pattern):
    with pytest.raises(error, match=pattern):
        call(Variable(np.zeros((4, 3))), np.array([0, 1, 2, -100]))


def test_class_loss_weight_and_labels_on_another_device():
    x = Variable(np.zeros((2, 3)), device="sim")
    t = Variable(np.array([0, 1]), device="sim")
    with pytest.raises(autograd.DeviceError, match=r"^cross_entropy: weight is on cpu but the input on sim"):
        F.cross_entropy(x, t, weight=np.ones(3))
    with pytest.raises(autograd.DeviceError, match=r"^nll_loss: the labels are on cpu but the input on sim"):
        F.nll_loss(x, np.array([0, 1]))
