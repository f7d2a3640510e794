"""The op table: every op of ``autograd.function``, its operator spellings and its variants, one row each, beside
its NumPy reference. tests/function/test_ops.py runs every row on every device: forward against the reference
(float64), float32 in -> float32 out (values, gradients, second-order gradients), results and gradients on the
input's device, and gradcheck of first and second order (float64).

Adding an op: write it in its family's file, then add one row here:

    "name or variant": Op(call, inputs, reference, options...),

- call: the op applied to the inputs, in their order (``F.add``, ``lambda x: F.sum(x, axis=1)``).
- inputs: a shape such as ``(2, 3)`` for a differentiable float input of distinct values in [-2, 2);
  ``floats(2, 3, low=, high=, signed=)`` for another range (signed: random signs on magnitudes in [low, high),
  to keep away from a pole or a kink); ``const(values)`` for an input that gets no gradient (integer labels,
  masks, indices, running statistics), passed as an array on the device (a floating one in the test's dtype).
- reference: NumPy's result from the inputs as host float64 arrays (constants as given); a list for an op that
  returns a list. ``None`` only for a random op: give ``check(output, *inputs)``, a property of its output.
- options: ``rtol``/``atol`` of the forward comparison (default rtol 1e-12, atol 0); ``gradcheck`` options
  (``atol``, ``rtol``, ``second_order=False`` with a comment saying why); ``differentiable=False`` for a metric
  or an index (the test checks that its result is a constant instead); ``dtype`` the dtype of the result when it
  is not the inputs' (``"int64"`` for argmax).
Choose small shapes (gradcheck evaluates the op twice per input element and order) and value ranges away from
kinks and poles (relu at 0, clip at its bounds, log at 0), so the second-order check holds there too.
"""
import math
from typing import Callable, NamedTuple

import numpy as np

import autograd
import autograd.function as F
from autograd.backend import dtype_name


# ---- inputs ---------------------------------------------------------------------------------------------------

class Floats(NamedTuple):
    """A differentiable float input: distinct values in [low, high), with random signs when ``signed``."""
    shape: tuple
    low: float = -2.0
    high: float = 2.0
    signed: bool = False

    def host(self, rng):
        n = math.prod(self.shape)
        a = self.low + (self.high - self.low) * (rng.permutation(n) + rng.uniform(0.1, 0.9, n)) / n
        return (a * rng.choice([-1.0, 1.0], n) if self.signed else a).reshape(self.shape)


class Const(NamedTuple):
    """An input that gets no gradient, given by its values."""
    values: object

    def host(self, rng):
        return np.asarray(self.values)


def floats(*shape, low=-2.0, high=2.0, signed=False):
    return Floats(shape, low, high, signed)


def const(values):
    return Const(values)


class Op(NamedTuple):
    """A row of the table: its fields are described at the top of this module."""
    call: Callable
    inputs: list
    ref: Callable | None
    rtol: float = 1e-12
    atol: float = 0.0
    gradcheck: dict = {}
    check: Callable | None = None
    differentiable: bool = True
    dtype: str | None = None

    def specs(self):
        """The inputs as Floats and Const (a bare shape is a Floats of the default range)."""
        return [s if isinstance(s, (Floats, Const)) else Floats(tuple(s)) for s in self.inputs]


def in_test_mode(op):
    """``op`` called inside ``autograd.test_mode()``."""
    def call(*args, **kwargs):
        with autograd.test_mode():
            return op(*args, **kwargs)
    return call


def seeded(op):
    """``op`` called from a fixed random state, so that a random op draws the same values at every call
    (gradcheck calls it many times)."""
    def call(*args, **kwargs):
        autograd.seed(0)
        return op(*args, **kwargs)
    return call


# ---- NumPy references -----------------------------------------------------------------------------------------

def np_logsumexp(a, axis=None, keepdims=False):
    m = np.max(a, axis=axis, keepdims=True)
    y = np.log(np.sum(np.exp(a - m), axis=axis, keepdims=True)) + m
    return y if keepdims else np.squeeze(y, axis=axis) if axis is not None else y.reshape(())


def np_sigmoid(a):
    return 1 / (1 + np.exp(-a))


def np_gelu(a, approximate="none"):
    """x Φ(x), or its tanh approximation."""
    if approximate == "tanh":
        return 0.5 * a * (1 + np.tanh(np.sqrt(2 / np.pi) * (a + 0.044715 * a ** 3)))
    return 0.5 * a * np_erfc(a * -math.sqrt(0.5))


np_erf = np.vectorize(math.erf)  # NumPy has no erf: Python's, element by element
np_erfc = np.vectorize(math.erfc)


def np_softmax(a, axis=1):
    e = np.exp(a - a.max(axis=axis, keepdims=True))
    return e / e.sum(axis=axis, keepdims=True)


def np_log_softmax(a, axis=1):
    m = a.max(axis=axis, keepdims=True)
    return a - m - np.log(np.exp(a - m).sum(axis=axis, keepdims=True))


def np_sum_to(a, shape):
    """a summed down to shape: the reverse of NumPy broadcasting."""
    a = a.sum(axis=tuple(range(a.ndim - len(shape))))
    return a.sum(axis=tuple(i for i, s in enumerate(shape) if s == 1 and a.shape[i] != 1), keepdims=True)


def np_linear(x, W, b=None):
    return x @ W + (0.0 if b is None else b)


def np_mean_squared_error(a, b):
    return np.mean((a - b) ** 2)


def np_cross_entropy(a, t):
    """Mean of -log softmax(a)[t] over the labels that are not -100 (class axis 1)."""
    logp = np.moveaxis(np_log_softmax(a), 1, -1).reshape(-1, a.shape[1])
    t = t.reshape(-1)
    valid = t != -100
    return -logp[np.arange(t.size)[valid], t[valid]].sum() / valid.sum()


def np_nll_loss(logp, t, w=None, reduction="mean"):
    """-w[t] logp[t] of each label but -100 (class axis 1); the mean divides by the summed weights of those labels."""
    w = np.ones(logp.shape[1]) if w is None else w
    kept = np.where(t == -100, 0, t)  # any class, for the ignored labels: masked below
    picked = np.take_along_axis(logp, np.expand_dims(kept, 1), axis=1)[:, 0]
    losses = np.where(t == -100, 0.0, -w[kept] * picked)
    if reduction == "none":
        return losses
    return losses.sum() / np.where(t == -100, 0.0, w[kept]).sum() if reduction == "mean" else losses.sum()


def np_sigmoid_cross_entropy(a, t):
    s = np_sigmoid(a)
    return -np.mean(t * np.log(s) + (1 - t) * np.log(1 - s))


def np_accuracy(a, t):
    return np.mean(a.argmax(axis=1) == t)


def np_batch_norm(x, gamma, beta, mean=None, var=None, eps=1e-5):
    """Normalized over every axis but the channel axis 1, with the batch's statistics unless given."""
    axes = (0,) + tuple(range(2, x.ndim))
    mean = x.mean(axis=axes) if mean is None else mean
    var = x.var(axis=axes) if var is None else var
    shape = (1, -1) + (1,) * (x.ndim - 2)
    return (x - mean.reshape(shape)) / np.sqrt(var.reshape(shape) + eps) * gamma.reshape(shape) + beta.reshape(shape)


def np_layer_norm(x, gamma, beta, eps=1e-5):
    ax = tuple(range(x.ndim - gamma.ndim, x.ndim))
    return (x - x.mean(axis=ax, keepdims=True)) / np.sqrt(x.var(axis=ax, keepdims=True) + eps) * gamma + beta


def np_attention(q, k, v, mask=None, is_causal=False, scale=None):
    """softmax(q kᵀ scale + mask) v; a boolean mask is True where the key takes part, a row without any gives 0."""
    s = q @ np.swapaxes(k, -1, -2) * (1 / np.sqrt(q.shape[-1]) if scale is None else scale)
    if is_causal:
        mask = np.tril(np.ones(s.shape[-2:], dtype=bool))
    if mask is not None:
        s = np.where(mask, s, -np.inf) if mask.dtype == bool else s + mask
    m = s.max(axis=-1, keepdims=True)
    e = np.exp(s - np.where(np.isfinite(m), m, 0.0))
    total = e.sum(axis=-1, keepdims=True)
    return e / np.where(total == 0, 1.0, total) @ v


def pair(v):
    return (v, v) if isinstance(v, int) else tuple(v)


def np_pad(x, pad, value=0.0):
    ph, pw = pair(pad)
    return np.pad(x, ((0, 0), (0, 0), (ph, ph), (pw, pw)), constant_values=value)


def out_size(size, k, s, p, d=1):
    return (size + 2 * p - d * (k - 1) - 1) // s + 1


def np_im2col(x, kernel, stride=1, pad=0, dilation=1):
    """With plain loops: column (c, i, j) of output pixel (p, q) is the padded x at (c, p·sh + i·dh, q·sw + j·dw)."""
    (kh, kw), (sh, sw), (ph, pw), (dh, dw) = pair(kernel), pair(stride), pair(pad), pair(dilation)
    n, c, h, w = x.shape
    oh, ow = out_size(h, kh, sh, ph, dh), out_size(w, kw, sw, pw, dw)
    xp = np_pad(x, pad)
    col = np.zeros((n, c * kh * kw, oh * ow), dtype=x.dtype)
    for ci in range(c):
        for i in range(kh):
            for j in range(kw):
                for p in range(oh):
                    for q in range(ow):
                        col[:, ci * kh * kw + i * kw + j, p * ow + q] = xp[:, ci, p * sh + i * dh, q * sw + j * dw]
    return col


def np_col2im(col, x_shape, kernel, stride=1, pad=0, dilation=1):
    """The adjoint of np_im2col, with plain loops: each column entry added back where im2col read it."""
    (kh, kw), (sh, sw), (ph, pw), (dh, dw) = pair(kernel), pair(stride), pair(pad), pair(dilation)
    n, c, h, w = x_shape
    oh, ow = out_size(h, kh, sh, ph, dh), out_size(w, kw, sw, pw, dw)
    xp = np.zeros((n, c, h + 2 * ph, w + 2 * pw))
    for ci in range(c):
        for i in range(kh):
            for j in range(kw):
                for p in range(oh):
                    for q in range(ow):
                        xp[:, ci, p * sh + i * dh, q * sw + j * dw] += col[:, ci * kh * kw + i * kw + j, p * ow + q]
    return xp[:, :, ph:ph + h, pw:pw + w]


def np_conv2d(x, W, b=None, stride=1, pad=0, dilation=1, groups=1):
    """Output channel o (of group g = o // (OC/groups)) correlates its kernel W[o] with the C/groups input channels
    of group g, at taps dilation apart, window by window."""
    (sh, sw), (dh, dw) = pair(stride), pair(dilation)
    oc, cg, kh, kw = W.shape
    xp = np_pad(x, pad)
    oh, ow = (xp.shape[2] - dh * (kh - 1) - 1) // sh + 1, (xp.shape[3] - dw * (kw - 1) - 1) // sw + 1
    y = np.zeros((x.shape[0], oc, oh, ow))
    for o in range(oc):
        g = o // (oc // groups)
        for p in range(oh):
            for q in range(ow):
                window = xp[:, g * cg:(g + 1) * cg, p * sh:p * sh + dh * (kh - 1) + 1:dh,
                            q * sw:q * sw + dw * (kw - 1) + 1:dw]
                y[:, o, p, q] = np.einsum("nchw,chw->n", window, W[o])
    return y if b is None else y + b[None, :, None, None]


def np_conv_transpose2d(x, W, b=None, stride=1, pad=0, outsize=None, dilation=1, groups=1):
    """Each input pixel of group g times the kernel (taps dilation apart), added into the output channels of group
    g at its stride position; then crop the padding."""
    (sh, sw), (ph, pw), (dh, dw) = pair(stride), pair(pad), pair(dilation)
    n, c_in, h, w = x.shape
    _, cog, kh, kw = W.shape
    cig, ekh, ekw = c_in // groups, dh * (kh - 1) + 1, dw * (kw - 1) + 1
    oh, ow = outsize if outsize is not None else ((h - 1) * sh - 2 * ph + ekh, (w - 1) * sw - 2 * pw + ekw)
    full = np.zeros((n, cog * groups, max((h - 1) * sh + ekh, oh + 2 * ph), max((w - 1) * sw + ekw, ow + 2 * pw)))
    for g in range(groups):
        for p in range(h):
            for q in range(w):
                full[:, g * cog:(g + 1) * cog, p * sh:p * sh + ekh:dh, q * sw:q * sw + ekw:dw] += np.einsum(
                    "nc,cokl->nokl", x[:, g * cig:(g + 1) * cig, p, q], W[g * cig:(g + 1) * cig])
    y = full[:, :, ph:ph + oh, pw:pw + ow]
    return y if b is None else y + b[None, :, None, None]


def np_pool_out_size(size, k, s, p, d=1, ceil_mode=False):
    """PyTorch's pooling output size (nn.MaxPool2d's docs): (size + 2p - d(k - 1) - 1) / s, rounded down or, with
    ceil_mode, up, plus 1; with ceil_mode the last window must start inside the input or the left padding."""
    span = size + 2 * p - d * (k - 1) - 1
    out = (math.ceil(span / s) if ceil_mode else span // s) + 1
    return out - 1 if ceil_mode and (out - 1) * s >= size + p else out


def np_pool(x, kernel, stride=None, pad=0, dilation=1, ceil_mode=False, reduce="max", count_include_pad=True):
    """Pooling window by window, as PyTorch's loops: window (p, q) has the rows p·sh - ph + i·dh (i < kh) and
    likewise columns; max takes the largest of those inside x; avg sums those inside x and divides by their
    number (count_include_pad=False) or by the number inside the padded input (the cells of a last ceil_mode
    window beyond the padding never count)."""
    (kh, kw), (sh, sw), (ph, pw), (dh, dw) = pair(kernel), pair(stride or kernel), pair(pad), pair(dilation)
    n, c, h, w = x.shape
    oh, ow = np_pool_out_size(h, kh, sh, ph, dh, ceil_mode), np_pool_out_size(w, kw, sw, pw, dw, ceil_mode)
    y = np.zeros((n, c, oh, ow))
    for p in range(oh):
        for q in range(ow):
            rows = [p * sh - ph + i * dh for i in range(kh)]
            cols = [q * sw - pw + j * dw for j in range(kw)]
            inside = x[:, :, [r for r in rows if 0 <= r < h]][:, :, :, [t for t in cols if 0 <= t < w]]
            if reduce == "max":
                y[:, :, p, q] = inside.max(axis=(2, 3))
            else:
                padded = len([r for r in rows if r < h + ph]) * len([t for t in cols if t < w + pw])
                y[:, :, p, q] = inside.sum(axis=(2, 3)) / (padded if count_include_pad else inside[0, 0].size)
    return y


def np_max_pool2d(x, kernel, stride=None, pad=0, dilation=1, ceil_mode=False):
    return np_pool(x, kernel, stride, pad, dilation, ceil_mode, "max")


def np_avg_pool2d(x, kernel, stride=None, pad=0, ceil_mode=False, count_include_pad=True):
    return np_pool(x, kernel, stride, pad, 1, ceil_mode, "avg", count_include_pad)  # padded zeros count by default


def np_adaptive_avg_pool2d(x, output_size):
    """Cell (i, j) averages rows floor(i·H/OH) to ceil((i+1)·H/OH) (exclusive) and likewise columns (PyTorch)."""
    oh, ow = output_size
    h, w = x.shape[2:]
    y = np.zeros(x.shape[:2] + (oh, ow))
    for i in range(oh):
        for j in range(ow):
            rows = slice(math.floor(i * h / oh), math.ceil((i + 1) * h / oh))
            cols = slice(math.floor(j * w / ow), math.ceil((j + 1) * w / ow))
            y[:, :, i, j] = x[:, :, rows, cols].mean(axis=(2, 3))
    return y


def dropped_or_scaled(ratio):
    """dropout's property: each element is 0 or x / (1 - ratio), and both kinds occur."""
    def check(y, x):
        dropped = y == 0.0
        np.testing.assert_allclose(y[~dropped], x[~dropped] / (1 - ratio), rtol=1e-12)
        assert 0 < dropped.sum() < y.size
    return check


def drawn_indices(num_samples, replacement):
    """multinomial's property: one row of num_samples category indices per row of weights, distinct unless
    replacement."""
    def check(y, p):
        assert y.shape == p.shape[:-1] + (num_samples,)
        assert np.all(y == np.round(y)) and np.all((0 <= y) & (y < p.shape[-1]))
        assert replacement or all(len(set(row.tolist())) == num_samples for row in y.reshape(-1, num_samples))
    return check


# ---- the table ------------------------------------------------------------------------------------------------

POSITIVE = dict(low=0.5, high=3.0)  # bases of pow and roots, divisors, log
BN_STATS = [const([0.1, -0.2, 0.3]), const([0.5, 1.5, 2.0])]  # running mean and variance of 3 channels

OPS = {
    # arithmetic
    "add": Op(F.add, [(2, 3), (3,)], np.add),
    "sub": Op(F.sub, [(2, 1), (1, 3)], np.subtract),
    "mul": Op(F.mul, [(2, 3), ()], np.multiply),
    "div": Op(F.div, [(), floats(2, 3, low=0.5, signed=True)], np.divide),
    "pow": Op(F.pow, [floats(2, 3, **POSITIVE), (3,)], np.power),
    "pow constant exponent": Op(F.pow, [floats(3, low=0.5, signed=True), const([2.0, 3.0, 4.0])], np.power),
    "neg": Op(F.neg, [(2, 3)], np.negative),
    "square": Op(F.square, [(2, 3)], np.square),
    "x + y": Op(lambda x, y: x + y, [(2, 3), (3,)], np.add),
    "x - y": Op(lambda x, y: x - y, [(3,), (2, 3)], np.subtract),
    "x * y": Op(lambda x, y: x * y, [(2, 1), (1, 3)], np.multiply),
    "x / y": Op(lambda x, y: x / y, [(2, 3), floats(3, low=0.5, signed=True)], np.divide),
    "x ** y": Op(lambda x, y: x ** y, [floats(2, 3, **POSITIVE), (2, 3)], np.power),
    "-x": Op(lambda x: -x, [(2, 3)], np.negative),
    "x + 1": Op(lambda x: x + 1, [(2, 3)], lambda a: a + 1),
    "x + 2.0": Op(lambda x: x + 2.0, [(2, 3)], lambda a: a + 2.0),
    "2.0 + x": Op(lambda x: 2.0 + x, [(2, 3)], lambda a: 2.0 + a),
    "x - 2": Op(lambda x: x - 2, [(2, 3)], lambda a: a - 2),
    "2 - x": Op(lambda x: 2 - x, [(2, 3)], lambda a: 2 - a),
    "1.5 - x": Op(lambda x: 1.5 - x, [(2, 3)], lambda a: 1.5 - a),
    "x * 3": Op(lambda x: x * 3, [(2, 3)], lambda a: a * 3),
    "x * 2.0": Op(lambda x: x * 2.0, [(2, 3)], lambda a: a * 2.0),
    "2 * x": Op(lambda x: 2 * x, [(2, 3)], lambda a: 2 * a),
    "3.0 * x": Op(lambda x: 3.0 * x, [(2, 3)], lambda a: 3.0 * a),
    "x / 3": Op(lambda x: x / 3, [(2, 3)], lambda a: a / 3),
    "x / 4": Op(lambda x: x / 4, [(2, 3)], lambda a: a / 4),
    "3.0 / x": Op(lambda x: 3.0 / x, [floats(2, 3, **POSITIVE)], lambda a: 3.0 / a),
    "4.0 / x": Op(lambda x: 4.0 / x, [floats(2, 3, **POSITIVE)], lambda a: 4.0 / a),
    "x ** 2": Op(lambda x: x ** 2, [(2, 3)], lambda a: a ** 2),
    "x ** 0.5": Op(lambda x: x ** 0.5, [floats(2, 3, **POSITIVE)], np.sqrt),
    "2.0 ** x": Op(lambda x: 2.0 ** x, [(2, 3)], lambda a: 2.0 ** a),
    "add(x, 1)": Op(lambda x: F.add(x, 1), [(2, 3)], lambda a: a + 1),
    "sub(1.5, x)": Op(lambda x: F.sub(1.5, x), [(2, 3)], lambda a: 1.5 - a),
    "mul(2, x)": Op(lambda x: F.mul(2, x), [(2, 3)], lambda a: 2 * a),
    "div(x, 2)": Op(lambda x: F.div(x, 2), [(2, 3)], lambda a: a / 2),
    "pow(x, 3)": Op(lambda x: F.pow(x, 3), [(2, 3)], lambda a: a ** 3),
    # elementwise
    "sin": Op(F.sin, [(2, 3)], np.sin),
    "cos": Op(F.cos, [(2, 3)], np.cos),
    "tanh": Op(F.tanh, [(2, 3)], np.tanh),
    "exp": Op(F.exp, [(2, 3)], np.exp),
    "log": Op(F.log, [floats(2, 3, low=0.2, high=3.0)], np.log),
    "astype": Op(lambda x: F.astype(F.astype(x, "float64") * 2.0, dtype_name(x.dtype)), [(2, 3)], lambda a: 2 * a),
    "clip": Op(lambda x: F.clip(x, -0.5, 0.5), [(2, 3)], lambda a: np.clip(a, -0.5, 0.5)),
    "clip None": Op(lambda x: F.clip(x, None, 0.5), [(2, 3)], lambda a: np.minimum(a, 0.5)),
    "clip low only": Op(lambda x: F.clip(x, -0.5, None), [(2, 3)], lambda a: np.maximum(a, -0.5)),
    "clip array bounds": Op(lambda x, lo, hi: F.clip(x, lo, hi), [(2, 3), const([-1.0, 0.1, 0.0]),
                                                                  const([1.0, 1.1, 2.1])], np.clip),
    "where": Op(lambda x, y: F.where(x > 1.0, x, y), [floats(2, 3, low=0.5), (3,)],
                lambda a, b: np.where(a > 1.0, a, b)),
    "where mask": Op(lambda c, x, y: F.where(c, x, y), [const([[True], [False]]), (3,), (2, 3)], np.where),
    "where scalar": Op(lambda x: F.where(x > 1.0, x, 0.0), [floats(2, 3, low=0.5)],
                       lambda a: np.where(a > 1.0, a, 0.0)),
    "mask_fill": Op(lambda x: F.mask_fill(x, x > 1.0, -1.0), [floats(2, 3, low=0.5)],
                    lambda a: np.where(a > 1.0, -1.0, a)),
    "mask_fill mask": Op(lambda x, m: F.mask_fill(x, m, 2.0), [(2, 3), const([True, False, True])],
                         lambda a, m: np.where(m, 2.0, a)),
    # activations
    "sigmoid": Op(F.sigmoid, [floats(2, 3, low=-3.0, high=3.0)], np_sigmoid),
    "relu": Op(F.relu, [floats(2, 3, low=0.1, signed=True)], lambda a: np.maximum(a, 0)),
    "leaky_relu": Op(F.leaky_relu, [floats(2, 3, low=0.1, signed=True)], lambda a: np.where(a > 0, a, 0.01 * a)),
    "leaky_relu 0.1": Op(lambda x: F.leaky_relu(x, 0.1), [floats(2, 3, low=0.1, signed=True)],
                         lambda a: np.where(a > 0, a, 0.1 * a)),
    "gelu": Op(F.gelu, [(2, 3)], np_gelu),
    "softplus": Op(F.softplus, [floats(2, 3, low=-4.0, high=4.0)], lambda a: np.logaddexp(a, 0.0)),
    "softmax": Op(F.softmax, [(2, 3)], np_softmax),
    "softmax axis 0": Op(lambda x: F.softmax(x, axis=0), [(2, 3)], lambda a: np_softmax(a, 0)),
    "log_softmax": Op(F.log_softmax, [(2, 3)], np_log_softmax),
    "log_softmax axis -1": Op(lambda x: F.log_softmax(x, axis=-1), [(2, 3, 2)], lambda a: np_log_softmax(a, -1)),
    # reductions (the bare rows: every element, the defaults)
    "sum": Op(F.sum, [(2, 3)], np.sum),
    "mean": Op(F.mean, [(2, 3)], np.mean),
    "max": Op(F.max, [(2, 3)], np.max),
    "min": Op(F.min, [(2, 3)], np.min),
    "variance": Op(F.variance, [(2, 3)], np.var),
    "logsumexp": Op(F.logsumexp, [(2, 3)], np_logsumexp),
    "sum axis 1 keepdims": Op(lambda x: F.sum(x, axis=1, keepdims=True), [(2, 3)],
                              lambda a: a.sum(axis=1, keepdims=True)),
    "mean axis 0": Op(lambda x: F.mean(x, axis=0), [(2, 3)], lambda a: a.mean(axis=0)),
    "max axis 1": Op(lambda x: F.max(x, axis=1), [(2, 3)], lambda a: a.max(axis=1)),
    "min axis (0, 2)": Op(lambda x: F.min(x, axis=(0, 2)), [(2, 3, 2)], lambda a: a.min(axis=(0, 2))),
    "variance axis 1 ddof 1": Op(lambda x: F.variance(x, axis=1, ddof=1), [(2, 3)], lambda a: a.var(axis=1, ddof=1)),
    "logsumexp axis -1": Op(lambda x: F.logsumexp(x, axis=-1), [(2, 3)], lambda a: np_logsumexp(a, axis=-1)),
    "x.sum(axis=0)": Op(lambda x: x.sum(axis=0), [(2, 3)], lambda a: a.sum(axis=0)),
    "x.mean(axis=1, keepdims=True)": Op(lambda x: x.mean(axis=1, keepdims=True), [(2, 3)],
                                        lambda a: a.mean(axis=1, keepdims=True)),
    # linear algebra
    "matmul": Op(F.matmul, [(2, 3), (3, 2)], np.matmul, atol=1e-12),
    "matmul 1-d": Op(F.matmul, [(3,), (3,)], np.matmul, atol=1e-12),
    "matmul vector-matrix": Op(F.matmul, [(3,), (3, 2)], np.matmul, atol=1e-12),
    "matmul batched": Op(F.matmul, [(2, 1, 2, 3), (2, 3, 2)], np.matmul, atol=1e-12),
    "x @ y": Op(lambda x, y: x @ y, [(2, 3), (3,)], np.matmul, atol=1e-12),
    "linear": Op(F.linear, [(2, 3), (3, 2), (2,)], np_linear, atol=1e-12),
    "linear nobias": Op(F.linear, [(2, 3), (3, 2)], np_linear, atol=1e-12),
    "linear batched": Op(F.linear, [(2, 2, 3), (3, 2), (2,)], np_linear, atol=1e-12),
    "linear batched nobias": Op(F.linear, [(2, 2, 3), (3, 2)], np_linear, atol=1e-12),
    # losses and metrics
    "mean_squared_error": Op(F.mean_squared_error, [(2, 3), (2, 3)], np_mean_squared_error),
    "mean_squared_error (3,)": Op(F.mean_squared_error, [(2, 3), (3,)], np_mean_squared_error),
    "mean_squared_error (2, 1) (1, 3)": Op(F.mean_squared_error, [(2, 1), (1, 3)], np_mean_squared_error),
    "mean_squared_error 1-d": Op(F.mean_squared_error, [(4,), (4,)], np_mean_squared_error),
    "cross_entropy": Op(F.cross_entropy, [(3, 3), const([1, 0, 2])], np_cross_entropy),
    "cross_entropy ignore -100": Op(F.cross_entropy, [(3, 3), const([1, -100, 2])], np_cross_entropy),
    "cross_entropy spatial": Op(F.cross_entropy, [(2, 3, 2), const([[0, 2], [-100, 1]])], np_cross_entropy),
    "softmax_cross_entropy": Op(F.softmax_cross_entropy, [(2, 3), const([0, 1])], np_cross_entropy),
    "sigmoid_cross_entropy": Op(F.sigmoid_cross_entropy, [(1, 3), const([[0, 1, 1]])], np_sigmoid_cross_entropy),
    "sigmoid_cross_entropy probabilities": Op(F.sigmoid_cross_entropy, [(2, 3), const([[0.1, 0.5, 1.0],
                                                                                      [0.0, 0.7, 0.3]])],
                                              np_sigmoid_cross_entropy),
    "accuracy": Op(F.accuracy, [(4, 3), const([0, 2, 1, 1])], np_accuracy, differentiable=False),
    # random
    "dropout": Op(seeded(lambda x: F.dropout(x, 0.5)), [(4, 5)], None, check=dropped_or_scaled(0.5)),
    "dropout 0": Op(lambda x: F.dropout(x, 0.0), [(2, 3)], lambda a: a),
    "dropout test mode": Op(in_test_mode(F.dropout), [(2, 3)], lambda a: a),
    # shapes
    "reshape": Op(lambda x: F.reshape(x, (3, 2)), [(2, 3)], lambda a: a.reshape(3, 2)),
    "x.reshape(-1)": Op(lambda x: x.reshape(-1), [(2, 3)], lambda a: a.reshape(-1)),
    "transpose": Op(lambda x: F.transpose(x, (1, 0, 2)), [(2, 3, 2)], lambda a: a.transpose(1, 0, 2)),
    "transpose reversed": Op(F.transpose, [(2, 3, 2)], np.transpose),
    "x.T": Op(lambda x: x.T, [(2, 3)], lambda a: a.T),
    "matrix_transpose": Op(F.matrix_transpose, [(2, 3, 2)], lambda a: np.swapaxes(a, -1, -2)),
    "broadcast_to": Op(lambda x: F.broadcast_to(x, (2, 3)), [(3,)], lambda a: np.broadcast_to(a, (2, 3))),
    "sum_to": Op(lambda x: F.sum_to(x, (1, 3)), [(2, 3)], lambda a: np_sum_to(a, (1, 3))),
    "squeeze": Op(F.squeeze, [(1, 3, 1)], np.squeeze),
    "squeeze axis": Op(lambda x: F.squeeze(x, axis=0), [(1, 3, 1)], lambda a: np.squeeze(a, axis=0)),
    "unsqueeze": Op(lambda x: F.unsqueeze(x, 1), [(2, 3)], lambda a: np.expand_dims(a, 1)),
    "get_item": Op(lambda x: F.get_item(x, (slice(None), 1)), [(2, 3)], lambda a: a[:, 1]),
    "get_item int array": Op(lambda x: F.get_item(x, [1, 1, 0]), [(2, 3)], lambda a: a[[1, 1, 0]]),
    "get_item mask": Op(lambda x: F.get_item(x, x > 1.0), [floats(2, 3, low=0.5)], lambda a: a[a > 1.0]),
    "x[1, :, ::-1]": Op(lambda x: x[1, :, ::-1], [(2, 3, 2)], lambda a: a[1, :, ::-1]),
    "concat": Op(lambda x, y: F.concat([x, y], axis=1), [(2, 1), (2, 2)], lambda a, b: np.concatenate([a, b], 1)),
    "split": Op(lambda x: F.split(x, [1], axis=1), [(2, 3)], lambda a: np.split(a, [1], axis=1)),
    "split sections": Op(lambda x: F.split(x, 2, axis=0), [(2, 3)], lambda a: np.split(a, 2, axis=0)),
    "flatten": Op(F.flatten, [(2, 3, 2)], lambda a: a.reshape(2, 6)),
    # convolution and pooling
    "im2col": Op(lambda x: F.im2col(x, 2, stride=1, pad=1), [(1, 1, 3, 3)], lambda a: np_im2col(a, 2, 1, 1)),
    "im2col (2, 2) (2, 1) (1, 0)": Op(lambda x: F.im2col(x, (2, 2), (2, 1), (1, 0)), [(1, 2, 4, 3)],
                                      lambda a: np_im2col(a, (2, 2), (2, 1), (1, 0))),
    "col2im": Op(lambda c: F.col2im(c, (1, 1, 3, 3), 2), [(1, 4, 4)], lambda c: np_col2im(c, (1, 1, 3, 3), 2)),
    "col2im (2, 2) (2, 1) (1, 0)": Op(lambda c: F.col2im(c, (1, 2, 4, 3), (2, 2), (2, 1), (1, 0)), [(1, 8, 6)],
                                      lambda c: np_col2im(c, (1, 2, 4, 3), (2, 2), (2, 1), (1, 0))),
    "conv2d": Op(lambda x, W, b: F.conv2d(x, W, b, stride=2, pad=1), [(1, 1, 3, 3), (2, 1, 3, 3), (2,)],
                 lambda x, W, b: np_conv2d(x, W, b, 2, 1), rtol=1e-10, atol=1e-12),
    "conv2d 1 0": Op(lambda x, W, b: F.conv2d(x, W, b, stride=1, pad=0), [(1, 2, 4, 3), (2, 2, 2, 2), (2,)],
                     lambda x, W, b: np_conv2d(x, W, b, 1, 0), rtol=1e-10, atol=1e-12),
    "conv2d 2 1 nobias": Op(lambda x, W: F.conv2d(x, W, stride=2, pad=1), [(1, 2, 4, 3), (2, 2, 2, 2)],
                            lambda x, W: np_conv2d(x, W, None, 2, 1), rtol=1e-10, atol=1e-12),
    "conv2d (2, 1) (1, 0)": Op(lambda x, W, b: F.conv2d(x, W, b, stride=(2, 1), pad=(1, 0)),
                               [(1, 2, 4, 3), (2, 2, 2, 2), (2,)],
                               lambda x, W, b: np_conv2d(x, W, b, (2, 1), (1, 0)), rtol=1e-10, atol=1e-12),
    "conv_transpose2d": Op(lambda x, W, b: F.conv_transpose2d(x, W, b, stride=2, pad=1),
                           [(1, 2, 2, 2), (2, 1, 3, 3), (1,)],
                           lambda x, W, b: np_conv_transpose2d(x, W, b, 2, 1), rtol=1e-10, atol=1e-12),
    "conv_transpose2d 1 0": Op(lambda x, W, b: F.conv_transpose2d(x, W, b, stride=1, pad=0),
                               [(1, 2, 2, 3), (2, 2, 2, 2), (2,)],
                               lambda x, W, b: np_conv_transpose2d(x, W, b, 1, 0), rtol=1e-10, atol=1e-12),
    "conv_transpose2d (2, 1) (1, 0)": Op(lambda x, W, b: F.conv_transpose2d(x, W, b, stride=(2, 1), pad=(1, 0)),
                                         [(1, 2, 2, 3), (2, 2, 2, 2), (2,)],
                                         lambda x, W, b: np_conv_transpose2d(x, W, b, (2, 1), (1, 0)),
                                         rtol=1e-10, atol=1e-12),
    "conv_transpose2d outsize": Op(lambda x, W, b: F.conv_transpose2d(x, W, b, stride=2, pad=1, outsize=(3, 3)),
                                   [(1, 2, 2, 2), (2, 2, 2, 2), (2,)],
                                   lambda x, W, b: np_conv_transpose2d(x, W, b, 2, 1, (3, 3)),
                                   rtol=1e-10, atol=1e-12),
    "max_pool2d": Op(lambda x: F.max_pool2d(x, 2), [(1, 2, 4, 4)], lambda a: np_max_pool2d(a, 2)),
    "max_pool2d 3 2 1": Op(lambda x: F.max_pool2d(x, 3, 2, 1), [(1, 2, 4, 4)], lambda a: np_max_pool2d(a, 3, 2, 1)),
    "max_pool2d (2, 3) (1, 2) (1, 1)": Op(lambda x: F.max_pool2d(x, (2, 3), (1, 2), (1, 1)), [(1, 2, 4, 4)],
                                          lambda a: np_max_pool2d(a, (2, 3), (1, 2), (1, 1))),
    "avg_pool2d": Op(lambda x: F.avg_pool2d(x, 2), [(1, 2, 4, 4)], lambda a: np_avg_pool2d(a, 2), atol=1e-15),
    "avg_pool2d 3 2 1": Op(lambda x: F.avg_pool2d(x, 3, 2, 1), [(1, 2, 4, 4)], lambda a: np_avg_pool2d(a, 3, 2, 1),
                           atol=1e-15),
    "avg_pool2d (2, 3) (1, 2) (1, 1)": Op(lambda x: F.avg_pool2d(x, (2, 3), (1, 2), (1, 1)), [(1, 2, 4, 4)],
                                          lambda a: np_avg_pool2d(a, (2, 3), (1, 2), (1, 1)), atol=1e-15),
    "avg_pool2d 2 1 1": Op(lambda x: F.avg_pool2d(x, 2, stride=1, pad=1), [(1, 1, 3, 3)],
                           lambda a: np_avg_pool2d(a, 2, 1, 1), atol=1e-15),
    # normalization
    "batch_norm": Op(F.batch_norm, [(4, 3), (3,), (3,)], np_batch_norm, rtol=1e-10),
    "batch_norm training (3, 2)": Op(lambda x, g, b: F.batch_norm(x, g, b, training=True), [(3, 2), (2,), (2,)],
                                     np_batch_norm, rtol=1e-10),
    "batch_norm training (2, 2, 2, 1)": Op(lambda x, g, b: F.batch_norm(x, g, b, training=True),
                                           [(2, 2, 2, 1), (2,), (2,)], np_batch_norm, rtol=1e-10),
    "batch_norm test mode": Op(in_test_mode(F.batch_norm), [(2, 3, 1, 2), (3,), (3,), *BN_STATS], np_batch_norm,
                               rtol=1e-10),
    "batch_norm training=False": Op(lambda x, g, b, m, v: F.batch_norm(x, g, b, m, v, training=False),
                                    [(4, 3), (3,), (3,), *BN_STATS], np_batch_norm, rtol=1e-10),
    "layer_norm": Op(F.layer_norm, [(2, 3), (3,), (3,)], np_layer_norm, rtol=1e-10, atol=1e-12),
    "layer_norm (2, 2, 2) (2, 2)": Op(F.layer_norm, [(2, 2, 2), (2, 2), (2, 2)], np_layer_norm, rtol=1e-10,
                                      atol=1e-12),
    # embedding
    "embed_id": Op(F.embed_id, [const([[0, 2], [2, 1]]), (3, 2)], lambda ids, W: W[ids]),
    "embed_id [0, 2, 2]": Op(F.embed_id, [const([0, 2, 2]), (3, 2)], lambda ids, W: W[ids]),
    "embed_id [[1, 1], [2, 0]]": Op(F.embed_id, [const([[1, 1], [2, 0]]), (3, 2)], lambda ids, W: W[ids]),
    # issue 16, elemops
    "abs": Op(F.abs, [floats(2, 3, low=0.1, signed=True)], np.abs),
    "sqrt": Op(F.sqrt, [floats(2, 3, **POSITIVE)], np.sqrt),
    "log1p": Op(F.log1p, [floats(2, 3, low=-0.5, high=2.0)], np.log1p),
    "expm1": Op(F.expm1, [(2, 3)], np.expm1),
    "erf": Op(F.erf, [floats(2, 3, low=-3.0, high=3.0)], np_erf),
    "erfc": Op(F.erfc, [floats(2, 3, low=-3.0, high=3.0)], np_erfc),
    "maximum": Op(F.maximum, [(2, 3), (3,)], np.maximum),
    "minimum": Op(F.minimum, [(2, 1), (1, 3)], np.minimum),
    "maximum(x, 0.5)": Op(lambda x: F.maximum(x, 0.5), [(2, 3)], lambda a: np.maximum(a, 0.5)),
    "gelu tanh": Op(lambda x: F.gelu(x, approximate="tanh"), [(2, 3)], lambda a: np_gelu(a, "tanh")),
    "silu": Op(F.silu, [floats(2, 3, low=-3.0, high=3.0)], lambda a: a * np_sigmoid(a)),
    "elu": Op(F.elu, [floats(2, 3, low=0.1, signed=True)], lambda a: np.where(a > 0, a, np.expm1(a))),
    "elu 0.5": Op(lambda x: F.elu(x, alpha=0.5), [floats(2, 3, low=0.1, signed=True)],
                  lambda a: np.where(a > 0, a, 0.5 * np.expm1(a))),
    "softplus beta 2": Op(lambda x: F.softplus(x, beta=2.0), [(2, 3)], lambda a: np.logaddexp(2 * a, 0.0) / 2),
    "multinomial": Op(seeded(lambda p: F.multinomial(p, 3)), [floats(2, 4, low=0.1)], None,
                      check=drawn_indices(3, False), differentiable=False, dtype="int64"),
    "multinomial replacement": Op(seeded(lambda p: F.multinomial(p, 5, replacement=True)), [floats(4, low=0.1)],
                                  None, check=drawn_indices(5, True), differentiable=False, dtype="int64"),
    # issue 16, losses (differences kept away from the kinks of l1 at 0 and of huber at |d| = delta)
    "mean_squared_error sum": Op(lambda x, t: F.mean_squared_error(x, t, reduction="sum"), [(2, 3), (3,)],
                                 lambda a, b: ((a - b) ** 2).sum()),
    "mean_squared_error none": Op(lambda x, t: F.mean_squared_error(x, t, reduction="none"), [(2, 3), (3,)],
                                  lambda a, b: (a - b) ** 2),
    "l1_loss": Op(F.l1_loss, [floats(2, 3, low=0.5, high=2.0, signed=True), floats(2, 3, low=-0.3, high=0.3)],
                  lambda a, b: np.abs(a - b).mean()),
    "l1_loss none": Op(lambda x, t: F.l1_loss(x, t, reduction="none"), [floats(2, 3, low=0.5, high=2.0, signed=True),
                                                                       floats(3, low=-0.3, high=0.3)],
                       lambda a, b: np.abs(a - b)),
    "huber_loss": Op(F.huber_loss, [floats(2, 3, low=-0.4, high=0.4), floats(2, 3, low=-0.4, high=0.4)],
                     lambda a, b: (0.5 * (a - b) ** 2).mean()),
    "huber_loss outside delta 0.5 sum": Op(lambda x, t: F.huber_loss(x, t, reduction="sum", delta=0.5),
                                           [floats(2, 3, low=1.0, high=2.0, signed=True),
                                            floats(2, 3, low=-0.3, high=0.3)],
                                           lambda a, b: (0.5 * (np.abs(a - b) - 0.25)).sum()),
    "sigmoid_cross_entropy none": Op(lambda x, t: F.sigmoid_cross_entropy(x, t, reduction="none"),
                                     [(2, 3), const([[0, 1, 1], [1, 0, 0]])],
                                     lambda a, t: -(t * np.log(np_sigmoid(a)) + (1 - t) * np.log(1 - np_sigmoid(a)))),
    "binary_cross_entropy": Op(F.binary_cross_entropy, [floats(2, 3, low=0.1, high=0.9),
                                                        const([[0.0, 1.0, 1.0], [0.3, 0.0, 1.0]])],
                               lambda p, t: -np.mean(t * np.log(p) + (1 - t) * np.log(1 - p))),
    "binary_cross_entropy weight none": Op(lambda x, t, w: F.binary_cross_entropy(x, t, w, reduction="none"),
                                           [floats(2, 3, low=0.1, high=0.9), const([[0.0, 1.0, 1.0], [0.3, 0.0, 1.0]]),
                                            const([0.5, 2.0, 1.0])],
                                           lambda p, t, w: -w * (t * np.log(p) + (1 - t) * np.log(1 - p))),
    "nll_loss": Op(F.nll_loss, [(3, 3), const([1, -100, 2])], lambda a, t: np_nll_loss(a, t)),
    "nll_loss weight spatial sum": Op(lambda x, t, w: F.nll_loss(x, t, w, reduction="sum"),
                                      [(2, 3, 2), const([[0, 2], [-100, 1]]), const([0.5, 2.0, 1.0])],
                                      lambda a, t, w: np_nll_loss(a, t, w, reduction="sum")),
    "nll_loss none": Op(lambda x, t: F.nll_loss(x, t, reduction="none"), [(3, 3), const([1, -100, 2])],
                        lambda a, t: np_nll_loss(a, t, reduction="none")),
    "cross_entropy weight": Op(lambda x, t, w: F.cross_entropy(x, t, w), [(3, 3), const([1, -100, 2]),
                                                                        const([0.5, 2.0, 1.0])],
                               lambda a, t, w: np_nll_loss(np_log_softmax(a), t, w)),
    "cross_entropy none": Op(lambda x, t: F.cross_entropy(x, t, reduction="none"),
                             [(2, 3, 2), const([[0, 2], [-100, 1]])],
                             lambda a, t: np_nll_loss(np_log_softmax(a), t, reduction="none")),
    "cross_entropy label_smoothing weight sum": Op(
        lambda x, t, w: F.cross_entropy(x, t, w, reduction="sum", label_smoothing=0.2),
        [(3, 3), const([1, -100, 2]), const([0.5, 2.0, 1.0])],
        lambda a, t, w: 0.8 * np_nll_loss(np_log_softmax(a), t, w, reduction="sum")
        - 0.2 / 3 * (np_log_softmax(a) * w)[t != -100].sum()),
    "cross_entropy probabilities": Op(F.cross_entropy, [(2, 3), const([[0.2, 0.5, 0.3], [1.0, 0.0, 0.0]])],
                                      lambda a, p: -(p * np_log_softmax(a)).sum() / 2),
    # issue 16, conv
    "im2col dilation 2": Op(lambda x: F.im2col(x, 2, 1, 1, dilation=2), [(1, 1, 4, 4)],
                            lambda a: np_im2col(a, 2, 1, 1, 2)),
    "col2im dilation (2, 1)": Op(lambda c: F.col2im(c, (1, 1, 4, 3), 2, 1, 0, dilation=(2, 1)), [(1, 4, 4)],
                                 lambda c: np_col2im(c, (1, 1, 4, 3), 2, 1, 0, (2, 1))),
    "conv2d dilation 2 groups 2": Op(lambda x, W, b: F.conv2d(x, W, b, pad=1, dilation=2, groups=2),
                                     [(1, 4, 4, 4), (2, 2, 2, 2), (2,)],
                                     lambda x, W, b: np_conv2d(x, W, b, 1, 1, 2, 2), rtol=1e-10, atol=1e-12),
    "conv2d depthwise": Op(lambda x, W, b: F.conv2d(x, W, b, stride=2, pad=1, groups=3),
                           [(1, 3, 4, 4), (3, 1, 3, 3), (3,)],
                           lambda x, W, b: np_conv2d(x, W, b, 2, 1, 1, 3), rtol=1e-10, atol=1e-12),
    "conv_transpose2d dilation 2 groups 2": Op(
        lambda x, W, b: F.conv_transpose2d(x, W, b, stride=2, pad=1, dilation=2, groups=2),
        [(1, 4, 2, 2), (4, 1, 2, 2), (2,)],
        lambda x, W, b: np_conv_transpose2d(x, W, b, 2, 1, None, 2, 2), rtol=1e-10, atol=1e-12),
    "conv_transpose2d depthwise": Op(lambda x, W: F.conv_transpose2d(x, W, stride=2, groups=2),
                                     [(1, 2, 2, 2), (2, 1, 2, 2)],
                                     lambda x, W: np_conv_transpose2d(x, W, None, 2, 0, None, 1, 2),
                                     rtol=1e-10, atol=1e-12),
    "max_pool2d dilation 2": Op(lambda x: F.max_pool2d(x, 2, 1, 1, dilation=2), [(1, 1, 5, 5)],
                                lambda a: np_max_pool2d(a, 2, 1, 1, 2)),
    "max_pool2d ceil_mode": Op(lambda x: F.max_pool2d(x, 2, ceil_mode=True), [(1, 2, 5, 5)],
                               lambda a: np_max_pool2d(a, 2, ceil_mode=True)),
    "max_pool2d 3 2 1 ceil_mode": Op(lambda x: F.max_pool2d(x, 3, 2, 1, ceil_mode=True), [(1, 1, 6, 6)],
                                     lambda a: np_max_pool2d(a, 3, 2, 1, ceil_mode=True)),
    "avg_pool2d ceil_mode": Op(lambda x: F.avg_pool2d(x, 2, ceil_mode=True), [(1, 2, 5, 5)],
                               lambda a: np_avg_pool2d(a, 2, ceil_mode=True), atol=1e-15),
    "avg_pool2d count_include_pad=False": Op(lambda x: F.avg_pool2d(x, 3, 2, 1, count_include_pad=False),
                                             [(1, 1, 5, 5)],
                                             lambda a: np_avg_pool2d(a, 3, 2, 1, count_include_pad=False),
                                             atol=1e-15),
    "avg_pool2d 3 2 1 ceil_mode count_include_pad=False": Op(
        lambda x: F.avg_pool2d(x, 3, 2, 1, ceil_mode=True, count_include_pad=False), [(1, 1, 6, 6)],
        lambda a: np_avg_pool2d(a, 3, 2, 1, True, False), atol=1e-15),
    "adaptive_avg_pool2d": Op(lambda x: F.adaptive_avg_pool2d(x, (3, 2)), [(1, 2, 5, 5)],
                              lambda a: np_adaptive_avg_pool2d(a, (3, 2)), atol=1e-15),
    "adaptive_avg_pool2d (None, 3)": Op(lambda x: F.adaptive_avg_pool2d(x, (None, 3)), [(1, 1, 3, 4)],
                                        lambda a: np_adaptive_avg_pool2d(a, (3, 3)), atol=1e-15),
    "adaptive_avg_pool2d 1": Op(lambda x: F.adaptive_avg_pool2d(x, 1), [(2, 2, 3, 3)],
                                lambda a: np_adaptive_avg_pool2d(a, (1, 1)), atol=1e-15),
    # issue 16, redops
    "argmax": Op(F.argmax, [(2, 3)], np.argmax, differentiable=False, dtype="int64"),
    "argmax axis 1 keepdims": Op(lambda x: F.argmax(x, axis=1, keepdims=True), [(2, 3)],
                                 lambda a: np.argmax(a, axis=1, keepdims=True), differentiable=False, dtype="int64"),
    "argmin": Op(F.argmin, [(2, 3)], np.argmin, differentiable=False, dtype="int64"),
    "argmin axis 0": Op(lambda x: F.argmin(x, axis=0), [(2, 3)], lambda a: np.argmin(a, axis=0),
                        differentiable=False, dtype="int64"),
    "std": Op(F.std, [(2, 3)], np.std),
    "std axis 1 ddof 1 keepdims": Op(lambda x: F.std(x, axis=1, keepdims=True, ddof=1), [(2, 3)],
                                     lambda a: a.std(axis=1, ddof=1, keepdims=True)),
    "cumsum": Op(lambda x: F.cumsum(x, 1), [(2, 3)], lambda a: np.cumsum(a, 1), atol=1e-15),
    "cumsum axis 0": Op(lambda x: F.cumsum(x, axis=0), [(3, 2)], lambda a: np.cumsum(a, 0), atol=1e-15),
    "stack": Op(lambda x, y: F.stack([x, y]), [(2, 3), (2, 3)], lambda a, b: np.stack([a, b])),
    "stack axis -1": Op(lambda x, y: F.stack([x, y], axis=-1), [(3,), (3,)], lambda a, b: np.stack([a, b], -1)),
    "pad": Op(lambda x: F.pad(x, (1, 2)), [(2, 3)], lambda a: np.pad(a, ((0, 0), (1, 2)))),
    "pad value, two axes, a crop": Op(lambda x: F.pad(x, (-1, 1, 2, 0), value=0.5), [(2, 3)],
                                      lambda a: np.pad(a[:, 1:], ((2, 0), (0, 1)), constant_values=0.5)),
    "pad reflect": Op(lambda x: F.pad(x, (2, 1), mode="reflect"), [(2, 3)],
                      lambda a: np.pad(a, ((0, 0), (2, 1)), mode="reflect")),
    "pad replicate": Op(lambda x: F.pad(x, (1, 2, 1, 0), mode="replicate"), [(2, 3)],
                        lambda a: np.pad(a, ((1, 0), (1, 2)), mode="edge")),
    "pad circular": Op(lambda x: F.pad(x, (3, 1), mode="circular"), [(2, 3)],
                       lambda a: np.pad(a, ((0, 0), (3, 1)), mode="wrap")),
    "tril": Op(F.tril, [(3, 3)], np.tril),
    "tril -1 batched": Op(lambda x: F.tril(x, -1), [(2, 2, 3)], lambda a: np.tril(a, -1)),
    "triu": Op(F.triu, [(3, 3)], np.triu),
    "triu 1": Op(lambda x: F.triu(x, diagonal=1), [(3, 2)], lambda a: np.triu(a, 1)),
    "einsum": Op(lambda x, y: F.einsum("ij,jk->ik", x, y), [(2, 3), (3, 2)], lambda a, b: np.einsum("ij,jk->ik", a, b),
                 atol=1e-12),
    "einsum batched, implicit": Op(lambda x, y: F.einsum("bij,bkj", x, y), [(2, 2, 3), (2, 2, 3)],
                                   lambda a, b: np.einsum("bij,bkj", a, b), atol=1e-12),
    "einsum trace and diagonal": Op(lambda x, y: F.einsum("ii,jj->j", x, y), [(3, 3), (2, 2)],
                                    lambda a, b: np.einsum("ii,jj->j", a, b), atol=1e-12),
    "einsum ellipsis, three operands": Op(lambda x, y, z: F.einsum("...i,ij,j->...", x, y, z),
                                          [(2, 1, 3), (3, 2), (2,)],
                                          lambda a, b, c: np.einsum("...i,ij,j->...", a, b, c), atol=1e-12),
    "norm": Op(F.norm, [(2, 3)], np.linalg.norm),
    "norm ord 1 axis 1": Op(lambda x: F.norm(x, 1, axis=1), [(2, 3)], lambda a: np.linalg.norm(a, 1, axis=1)),
    "norm ord inf keepdims": Op(lambda x: F.norm(x, math.inf, axis=-1, keepdims=True), [(2, 3)],
                                lambda a: np.linalg.norm(a, np.inf, axis=-1, keepdims=True)),
    "norm fro": Op(lambda x: F.norm(x, "fro", axis=(0, 2)), [(2, 2, 3)],
                   lambda a: np.linalg.norm(a, "fro", axis=(0, 2)), rtol=1e-10),
    "norm matrix 1": Op(lambda x: F.norm(x, 1), [(3, 2)], lambda a: np.linalg.norm(a, 1)),
    "norm matrix -inf": Op(lambda x: F.norm(x, -math.inf, axis=(1, 0)), [(3, 2)],
                           lambda a: np.linalg.norm(a, -np.inf, axis=(1, 0))),
    "one_hot": Op(F.one_hot, [const([[0, 2], [3, 1]])], lambda t: np.eye(4, dtype=np.int64)[t],
                  differentiable=False, dtype="int64"),
    "one_hot num_classes": Op(lambda t: F.one_hot(t, num_classes=3), [const([1, 1, 0])],
                              lambda t: np.eye(3, dtype=np.int64)[t], differentiable=False, dtype="int64"),
    # issue 16, layers
    "scaled_dot_product_attention": Op(F.scaled_dot_product_attention, [(2, 3, 2), (2, 4, 2), (2, 4, 3)],
                                       np_attention, rtol=1e-10),
    "scaled_dot_product_attention bool mask, a row without keys": Op(
        F.scaled_dot_product_attention,
        [(3, 2), (4, 2), (4, 3), const([[True, False, True, True], [False] * 4, [True, True, False, False]])],
        np_attention, rtol=1e-10),
    "scaled_dot_product_attention float mask": Op(F.scaled_dot_product_attention, [(2, 3, 2), (2, 4, 2), (2, 4, 3),
                                                                                  (3, 4)], np_attention, rtol=1e-10),
    "scaled_dot_product_attention float mask with -inf": Op(
        F.scaled_dot_product_attention,
        [(3, 2), (4, 2), (4, 3), const([[0.0, -np.inf, 0.5, 0.0], [-np.inf] * 4, [1.0, 0.0, 0.0, -np.inf]])],
        np_attention, rtol=1e-10),
    "scaled_dot_product_attention is_causal": Op(
        lambda q, k, v: F.scaled_dot_product_attention(q, k, v, is_causal=True),
        [(1, 2, 3, 2), (1, 2, 3, 2), (1, 2, 3, 2)],
        lambda q, k, v: np_attention(q, k, v, is_causal=True), rtol=1e-10),
    "scaled_dot_product_attention is_causal L < S, scale, broadcast batch": Op(
        lambda q, k, v: F.scaled_dot_product_attention(q, k, v, is_causal=True, scale=0.7), [(2, 2, 3), (4, 3), (4, 2)],
        lambda q, k, v: np_attention(q, k, v, is_causal=True, scale=0.7), rtol=1e-10),
    "scaled_dot_product_attention dropout test mode": Op(
        in_test_mode(lambda q, k, v: F.scaled_dot_product_attention(q, k, v, dropout=0.5)), [(3, 2), (4, 2), (4, 2)],
        np_attention, rtol=1e-10),
}

# Views of the table for the grid and property tests (test_arithmetic, test_reduction, test_properties): the
# binary ops and the reductions as (op, NumPy function) pairs, from the rows that call the bare op, so that those
# tests can call both with other shapes and keyword arguments.
BINARY = {name: (OPS[name].call, OPS[name].ref) for name in ["add", "sub", "mul", "div", "pow"]}
REDUCTIONS = {name: (OPS[name].call, OPS[name].ref) for name in ["sum", "mean", "max", "min", "variance", "logsumexp"]}
