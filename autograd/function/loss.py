"""Losses and metrics.

Each loss is by default a 0-d Variable, a mean over elements (or labelled samples), so that its scale is independent
of the batch size; `reduction="sum"` sums instead, `reduction="none"` gives the per-element (per-sample) losses.
"""
import math

from autograd.backend import CPU, DeviceError, device_of, ignoring_poles
from autograd.function.activation import log_softmax, sigmoid, softmax
from autograd.function.elementwise import clip, where
from autograd.function.reduction import is_float16, sum, sum_array
from autograd.function.shape import sum_to
from autograd.variable import Function, Variable, as_variable

__all__ = ["accuracy", "binary_cross_entropy", "cross_entropy", "huber_loss", "l1_loss", "mean_squared_error",
           "nll_loss", "sigmoid_cross_entropy", "softmax_cross_entropy"]

IGNORE_INDEX = -100


REDUCTIONS = ("mean", "sum", "none")


def _check_reduction(reduction, op):
    if not isinstance(reduction, str) or reduction not in REDUCTIONS:
        raise ValueError(f"{op}: reduction must be 'mean', 'sum' or 'none', got {reduction!r}")
    return reduction


def _reduce(loss, reduction):
    """The per-element losses (a raw array) reduced: their mean, their sum, or themselves ('none')."""
    if reduction == "none":
        return loss
    return sum_array(loss, divisor=math.prod(loss.shape) if reduction == "mean" else None)


def _spread(gy, reduction, n):
    """The gradient of each per-element loss from the gradient of the reduced one (n elements): `gy / n` for the
    mean (times 1/n, not / n: inf in float16), `gy` for the sum and for 'none' (there it has their shape)."""
    return gy * (1.0 / n) if reduction == "mean" else gy


class DifferenceLoss(Function):
    """A loss of `d = x0 - x1`, broadcasting: `y = reduce(f(d))`, with `∂y/∂x0 = -∂y/∂x1 = f'(d) · gy`.

    A subclass gives `f` on raw arrays (`pointwise`) and `f'` (`slope`) written with operators on `d` (arrays, or
    Variables under create_graph) and constants from `d_data`, the raw difference."""

    def __init__(self, reduction="mean"):
        self.reduction = reduction

    def forward(self, x0, x1):
        d = x0 - x1
        self.n = math.prod(d.shape)
        return _reduce(self.pointwise(d), self.reduction)

    def backward(self, gy):
        a, b = self.inputs
        x0, x1 = self.xs
        gx = self.slope(x0 - x1, a.data - b.data) * _spread(gy, self.reduction, self.n)
        return (sum_to(gx, x0.shape) if a.requires_grad else None,
                sum_to(-gx, x1.shape) if b.requires_grad else None)


class MeanSquaredError(DifferenceLoss):
    """`f(d) = d²`, `f'(d) = 2 d`."""

    def pointwise(self, d):
        return d * d

    def slope(self, d, d_data):
        return d * 2.0


class L1Loss(DifferenceLoss):
    """`f(d) = |d|`, `f'(d) = sign(d)` (0 at 0, as in PyTorch)."""

    def pointwise(self, d):
        return device_of(d).xp.abs(d)

    def slope(self, d, d_data):
        return device_of(d_data).xp.sign(d_data)


class HuberLoss(DifferenceLoss):
    """`f(d) = d²/2` where `|d| < δ`, else `δ (|d| - δ/2)`; `f'(d) = d` inside, `δ sign(d)` outside."""

    def __init__(self, reduction, delta):
        super().__init__(reduction)
        self.delta = delta

    def pointwise(self, d):
        xp = device_of(d).xp
        size = xp.abs(d)
        return xp.where(size < self.delta, 0.5 * d * d, self.delta * (size - 0.5 * self.delta))

    def slope(self, d, d_data):
        xp = device_of(d_data).xp
        inside = xp.abs(d_data) < self.delta
        outside = xp.where(inside, xp.zeros_like(d_data), self.delta * xp.sign(d_data))
        return d * xp.astype(inside, d_data.dtype) + outside


def mean_squared_error(x0, x1, reduction="mean"):
    """Mean squared error `y = Σ (x0 - x1)² / N`, N the element count after broadcasting (not the batch size).

    Gradient: `∂y/∂x0 = -∂y/∂x1 = 2 (x0 - x1) / N`. Mind broadcasting: `(N, 1)` against `(N,)` gives `(N, N)`.
    PyTorch's `mse_loss`.

    Args:
        reduction (str): `"mean"` (the default), `"sum"` (no division by N) or `"none"` (the squared differences,
            of the broadcast shape).

    Examples:
        >>> x = autograd.Variable([1.0, 2.0])
        >>> y = F.mean_squared_error(x, [0.0, 0.0])
        >>> y.backward()
        >>> y.item(), autograd.to_host(x.grad).tolist()   # (1 + 4) / 2, 2 (x - t) / 2
        (2.5, [1.0, 2.0])
    """
    return MeanSquaredError(_check_reduction(reduction, "mean_squared_error"))(x0, x1)


def l1_loss(x, t, reduction="mean"):
    """Mean absolute error `y = Σ |x - t| / N`, N the element count after broadcasting, as PyTorch's `l1_loss`.

    Gradient: `∂y/∂x = -∂y/∂t = sign(x - t) / N` (0 where `x = t`, as in PyTorch).

    Args:
        reduction (str): `"mean"` (the default), `"sum"` or `"none"` (the absolute differences).

    Examples:
        >>> x = autograd.Variable([1.0, -2.0])
        >>> y = F.l1_loss(x, [0.0, 0.0])
        >>> y.backward()
        >>> y.item(), autograd.to_host(x.grad).tolist()   # (1 + 2) / 2, sign(x) / 2
        (1.5, [0.5, -0.5])
    """
    return L1Loss(_check_reduction(reduction, "l1_loss"))(x, t)


def huber_loss(x, t, reduction="mean", delta=1.0):
    """Huber loss, quadratic near 0 and linear beyond `delta`, as PyTorch's `huber_loss`: with `d = x - t`,
    `y = Σ f(d) / N`, `f(d) = d²/2` where `|d| < δ`, else `δ (|d| - δ/2)`.

    Gradient: `∂y/∂x = -∂y/∂t = clip(d, -δ, δ) / N`; its own derivative is 1 inside `(-δ, δ)`, 0 outside.

    Args:
        reduction (str): `"mean"` (the default), `"sum"` or `"none"` (the per-element losses).
        delta (float): where the quadratic part ends, > 0. Typical values: `1.0`.

    Examples:
        >>> x = autograd.Variable([0.5, 3.0])
        >>> y = F.huber_loss(x, [0.0, 0.0])
        >>> y.backward()
        >>> y.item(), autograd.to_host(x.grad).tolist()   # (0.125 + 2.5) / 2; 0.5 / 2, 1 / 2
        (1.3125, [0.25, 0.5])
    """
    reduction = _check_reduction(reduction, "huber_loss")
    if isinstance(delta, bool) or not isinstance(delta, (int, float)) or not delta > 0:
        raise ValueError(f"huber_loss: delta must be a number > 0, got {delta!r}")
    return HuberLoss(reduction, float(delta))(x, t)


def _check_labels(x, t, op):
    xp = device_of(t).xp
    if not xp.isdtype(t.dtype, "integral"):
        raise TypeError(f"{op}: labels must be integers, got dtype {t.dtype}")
    if x.ndim < 2 or tuple(t.shape) != (x.shape[0],) + tuple(x.shape[2:]):
        raise ValueError(f"{op}: input of shape {tuple(x.shape)} needs labels of shape "
                         f"{(x.shape[0],) + tuple(x.shape[2:]) if x.ndim >= 2 else '(N,)'}, got {tuple(t.shape)}")


def _one_hot_and_mask(t, n_classes, bad=None, ignore_index=IGNORE_INDEX):
    """Boolean one-hot labels on class axis 1 (no class for an ignored or `bad` label), and the not-ignored mask."""
    device = device_of(t)
    xp = device.xp
    valid = t != ignore_index
    if t.ndim == 1:  # rows of an identity matrix (an ignored or bad label takes the extra zero row): cheaper
        # than comparing every label with every class
        eye = xp.eye(n_classes + 1, n_classes, dtype=xp.bool, device=device.where)
        rows = xp.where(valid if bad is None else valid & ~bad, t, n_classes)
        return xp.take(eye, rows, axis=0), valid[:, None]
    classes = xp.reshape(xp.arange(n_classes, device=device.where), (1, n_classes) + (1,) * (t.ndim - 1))
    valid = xp.expand_dims(valid, axis=1)
    return (xp.expand_dims(t, axis=1) == classes) & valid, valid  # a bad label matches no class


class CrossEntropy(Function):
    """Fused softmax cross entropy: forward -log softmax at the labels, backward (softmax - one-hot) / n."""

    def __init__(self, ignore_index=IGNORE_INDEX):
        self.ignore_index = ignore_index

    def forward(self, x, t):
        device = device_of(x)
        xp = device.xp
        # the cpu checked the labels on the host already; elsewhere a bad label makes the loss NaN
        bad = None if device_of(t) == CPU else _bad_labels(t, x.shape[1], self.ignore_index)
        self.one_hot, self.valid = one_hot, valid = _one_hot_and_mask(t, x.shape[1], bad, self.ignore_index)
        shifted = x - xp.max(x, axis=1, keepdims=True)
        e = xp.exp(shifted)
        s = xp.sum(e, axis=1, keepdims=True)
        self.exp, self.exp_sum = e, s  # softmax = exp / exp_sum, divided only if the gradient is asked for
        # float16 counts and sums in float32 (sum_array): it overflows from 65,504 samples
        self.count = xp.sum(xp.astype(valid, xp.float32 if is_float16(x) else x.dtype))
        # -log p, picked with where, not a product with the one-hot: a masked class (-inf logit) must not
        # give inf * 0 = nan
        with ignoring_poles():  # every label ignored: 0 / 0 = NaN, PyTorch's loss, and no warning
            loss = sum_array(xp.where(one_hot, xp.log(s) - shifted, 0.0), divisor=self.count)
        if bad is not None:  # the device-side stand-in for _check_label_range, which does not wait for the device
            loss = xp.where(xp.any(bad), xp.asarray(float("nan"), dtype=loss.dtype, device=device.where), loss)
        return loss

    def backward(self, gy):
        p = self.exp / self.exp_sum
        xp = device_of(p).xp
        # 1/n, 0 if ignored (also when n = 0); float16 is counted in float32
        scale = xp.astype(self.valid, self.count.dtype) / xp.maximum(self.count, 1.0)
        if scale.dtype != p.dtype:
            scale = xp.astype(scale, p.dtype)
        grad = CrossEntropyGrad(p, xp.astype(self.one_hot, p.dtype), scale)
        return grad(self.xs[0], gy), None


class CrossEntropyGrad(Function):
    """The gradient of cross_entropy as an op of (x, gy), so that it has one itself: `g = (p - onehot) · gy · s`,
    with p = softmax(x) kept from the forward pass and s the weight of each sample (1/n, 0 if ignored).

    Its gradient, from `ggx`: `∂/∂x = p (u - Σ p u)` over the class axis, u = ggx · gy · s (softmax's Jacobian),
    and `∂/∂gy = Σ (p - onehot) · s · ggx`; p is computed from x there, so higher orders follow."""

    def __init__(self, p, one_hot, scale):
        self.p, self.one_hot, self.scale = p, one_hot, scale

    def forward(self, x, gy):  # x: for the graph, to reach it from g; its softmax is at hand
        return (self.p - self.one_hot) * (gy * self.scale)

    def backward(self, ggx):
        x, gy = self.xs
        p = softmax(x, axis=1)
        u = p * (ggx * (gy * self.scale))
        return u - p * sum(u, axis=1, keepdims=True), sum((p - self.one_hot) * (ggx * self.scale))


def _class_loss(logp, t, weight, ignore_index, label_smoothing, reduction):
    """The cross entropy of log-probabilities `logp` (N, C, d1, ...) against class labels or probabilities `t`
    (raw arrays but logp), one formula for every option (PyTorch's): each sample's loss is `Σ_c q_c (-logp_c)`,
    with `q = w ((1 - ε) onehot(t) + ε / C)` (0 for an ignored label) or, for probabilities,
    `q = w ((1 - ε) t + ε / C)`; the mean divides the sum by `Σ w[t]` over the labels not ignored (by the
    sample count for probabilities; PyTorch's too). A class of q = 0 is left out, so a -inf log-probability
    there does not give 0 · inf = NaN."""
    device = device_of(t)
    xp = device.xp
    n_classes, dtype = logp.shape[1], logp.dtype
    w = 1.0 if weight is None else xp.reshape(weight, (1, n_classes) + (1,) * (logp.ndim - 2))
    bad = None
    if xp.isdtype(t.dtype, "real floating"):  # probabilities
        q, valid = xp.astype(t, dtype) * w, 1.0
        count = xp.asarray(math.prod(logp.shape) / n_classes, dtype=dtype, device=device.where)
    else:
        bad = None if device == CPU else _bad_labels(t, n_classes, ignore_index)
        one_hot, valid = _one_hot_and_mask(t, n_classes, bad, ignore_index)
        q, valid = xp.astype(one_hot, dtype) * w, xp.astype(valid, dtype)
        # Σ w[t] over the labels not ignored; float16 counts in float32 (it overflows from 65,504 samples)
        count = xp.sum(q, dtype=xp.float32 if is_float16(q) else dtype)
    if label_smoothing:
        q = (1.0 - label_smoothing) * q + (label_smoothing / n_classes) * (w * valid)
    if bad is not None:  # the device-side stand-in for _check_label_range: a bad label's loss is NaN
        q = xp.where(xp.expand_dims(bad, axis=1), float("nan"), q)
    offset = None
    if reduction == "mean":  # q / count; nothing counted (all ignored): the loss NaN, the gradient 0, as PyTorch's
        counted = count > 0
        q = q * xp.astype(xp.where(counted, 1.0 / xp.where(counted, count, 1.0), 0.0), dtype)
        offset = xp.astype(xp.where(counted, 0.0 * count, float("nan")), dtype)
    loss = -sum(where(q != 0, logp, 0.0) * q, axis=1)
    if reduction == "none":
        return loss
    loss = sum(loss)
    return loss if offset is None else loss + offset


def _check_class_options(x, t, weight, ignore_index, label_smoothing, reduction, op):
    """The arguments of a class loss checked: its labels (on the cpu, their range too) or probabilities, weight
    (C,), ignore_index, label_smoothing in [0, 1] and reduction; returns the weight as a raw array or None."""
    _check_reduction(reduction, op)
    if isinstance(ignore_index, bool) or not isinstance(ignore_index, int):
        raise TypeError(f"{op}: ignore_index must be an int, got {type(ignore_index).__name__} {ignore_index!r}")
    if (isinstance(label_smoothing, bool) or not isinstance(label_smoothing, (int, float))
            or not 0.0 <= label_smoothing <= 1.0):
        raise ValueError(f"{op}: label_smoothing must be a number in [0, 1], got {label_smoothing!r}")
    if not x.xp.isdtype(x.dtype, "real floating"):
        raise TypeError(f"{op}: the input must be floating, got dtype {x.dtype}")
    if t.device != x.device:
        raise DeviceError(f"{op}: the labels are on {t.device} but the input on {x.device}")
    if not (t.xp.isdtype(t.dtype, "real floating") and x.ndim >= 2 and t.shape == x.shape):  # else probabilities
        _check_labels(x.data, t.data, op)
        if t.device == CPU:
            _check_label_range(t.data, x.shape[1], ignore_index, op)
    return None if weight is None else _weight(weight, x, (x.shape[1],), op)


def cross_entropy(x, t, weight=None, ignore_index=IGNORE_INDEX, reduction="mean", label_smoothing=0.0):
    """Softmax cross entropy of logits against integer labels: `y = -(1/n) Σ_i log softmax(x_i)[t_i]`, as
    PyTorch's `cross_entropy`.

    Logits `(N, C)` or `(N, C, d1, ...)` (the class axis is 1, as in PyTorch), labels `(N,)` or `(N, d1, ...)`,
    or probabilities of `x`'s shape (floating; `ignore_index` does not apply, the mean divides by the number of
    samples `N d1 ...`). A label equal to `ignore_index` (-100) is left out of the sum and of the count n, with a
    zero gradient (all ignored: the loss is NaN and the gradient zero, as in PyTorch, without a warning).
    Labels must be integers (else `TypeError`); one outside `[0, C)` raises `ValueError` on the cpu, and on other
    devices, where reading the labels would wait for the device, makes the loss NaN
    ([detect_anomaly][autograd.config.detect_anomaly] then names the op). Also `F.softmax_cross_entropy`.

    With the default options the op is fused: `∂y/∂x = (softmax(x) - onehot(t)) / n`. With any other, it is
    `nll_loss`'s formula on `log_softmax(x)`, PyTorch's: with class weights `w` and smoothing `ε`, sample i
    costs `-Σ_c w_c ((1 - ε) [c = t_i] + ε / C) log softmax(x_i)_c`, and the mean divides the sum by
    `Σ_i w[t_i]` over the labels not ignored.

    Args:
        weight (array | None): a weight per class, shape `(C,)`, on `x`'s device (no gradient).
        ignore_index (int): the label to ignore. Typical values: `-100` (the default).
        reduction (str): `"mean"` (the default), `"sum"` or `"none"` (the loss of each sample, `(N, d1, ...)`).
        label_smoothing (float): ε in [0, 1], mixing the target with the uniform distribution 1/C. Typical
            values: `0.0` (the default), `0.1`.

    Examples:
        >>> x = autograd.Variable([[0.0, 0.0], [1.0, 3.0]])
        >>> y = F.cross_entropy(x, [0, -100])   # the second sample is ignored
        >>> y.backward()
        >>> round(y.item(), 4), autograd.to_host(x.grad).tolist()   # -log 0.5
        (0.6931, [[-0.5, 0.5], [0.0, 0.0]])
        >>> y = F.cross_entropy(x, [0, 1], weight=[1.0, 3.0], reduction="none")
        >>> [round(v, 4) for v in autograd.to_host(y).tolist()]   # -log 0.5, -3 log(e³ / (e + e³))
        [0.6931, 0.3808]
    """
    x = as_variable(x)
    t = as_variable(t.data if isinstance(t, Variable) else t)
    weight = _check_class_options(x, t, weight, ignore_index, label_smoothing, reduction, "cross_entropy")
    if weight is None and not label_smoothing and reduction == "mean" and t.xp.isdtype(t.dtype, "integral"):
        return CrossEntropy(ignore_index)(x, t)  # fused: about twice as fast as the general formula
    return _class_loss(log_softmax(x, axis=1), t.data, weight, ignore_index, float(label_smoothing), reduction)


def nll_loss(x, t, weight=None, ignore_index=IGNORE_INDEX, reduction="mean"):
    """Negative log likelihood of log-probabilities against integer labels, as PyTorch's `nll_loss`:
    `y = -Σ_i w[t_i] x_i[t_i] / Σ_i w[t_i]`, over the labels not equal to `ignore_index`.

    Input `(N, C)` or `(N, C, d1, ...)` (typically `log_softmax(z, axis=1)`), labels `(N,)` or `(N, d1, ...)`,
    checked as [cross_entropy][autograd.function.cross_entropy]'s (all ignored: the loss is NaN, the gradient 0).
    Gradient: `∂y/∂x_i[c] = -w_c [c = t_i] / Σ w[t]`.

    Args:
        weight (array | None): a weight per class, shape `(C,)`, on `x`'s device (no gradient).
        ignore_index (int): the label to ignore. Typical values: `-100` (the default).
        reduction (str): `"mean"` (the default, divided by the summed weights), `"sum"` or `"none"` (the loss of
            each sample, `(N, d1, ...)`).

    Examples:
        >>> x = autograd.Variable([[-0.5, -1.0], [-2.0, -0.1]])
        >>> y = F.nll_loss(x, [0, 1], weight=[1.0, 3.0])
        >>> y.backward()
        >>> y.item(), autograd.to_host(x.grad).tolist()   # (0.5 + 3 · 0.1) / (1 + 3)
        (0.2, [[-0.25, 0.0], [0.0, -0.75]])
    """
    x = as_variable(x)
    t = as_variable(t.data if isinstance(t, Variable) else t)
    if t.xp.isdtype(t.dtype, "real floating"):
        raise TypeError(f"nll_loss: labels must be integers, got dtype {t.dtype}")
    weight = _check_class_options(x, t, weight, ignore_index, 0.0, reduction, "nll_loss")
    return _class_loss(x, t.data, weight, ignore_index, 0.0, reduction)


def _bad_labels(t, n_classes, ignore_index=IGNORE_INDEX):
    """Where labels are neither a class index in [0, n_classes) nor ignore_index."""
    return ((t < 0) | (t >= n_classes)) & (t != ignore_index)


def _check_label_range(t, n_classes, ignore_index, op):
    """Host labels must be class indices in [0, n_classes) or ignore_index."""
    if t.size == 0 or (t.min() >= 0 and t.max() < n_classes):  # the usual case, in two reductions
        return
    bad = _bad_labels(t, n_classes, ignore_index)
    if bad.any():
        raise ValueError(f"{op}: labels must be in [0, {n_classes}) for {n_classes} classes, or {ignore_index} "
                         f"(ignored); got {t[bad].flat[0]} ({int(bad.sum())} bad label(s))")


softmax_cross_entropy = cross_entropy
"""Another name for [cross_entropy][autograd.function.cross_entropy] (the same function; DeZero's name)."""


class SigmoidCrossEntropy(Function):
    """Binary cross entropy on logits, fused: max(x, 0) - x t + log(1 + e^-|x|), reduced."""

    def __init__(self, reduction="mean"):
        self.reduction = reduction

    def forward(self, x, t):
        xp = device_of(x).xp
        t = xp.astype(t, x.dtype)
        loss = xp.where(x > 0, x, xp.zeros_like(x)) - x * t + xp.log1p(xp.exp(-xp.abs(x)))
        return _reduce(loss, self.reduction)

    def backward(self, gy):
        x, t = self.inputs
        target = device_of(x.data).xp.astype(t.data, x.dtype)
        return (sigmoid(self.xs[0]) - target) * _spread(gy, self.reduction, x.size), None


def sigmoid_cross_entropy(x, t, reduction="mean"):
    """Binary cross entropy of logits: `y = mean(-t log σ(x) - (1 - t) log(1 - σ(x)))` over all N elements.

    Computed stably as `mean(max(x, 0) - x t + log(1 + e^-|x|))` (PyTorch's `binary_cross_entropy_with_logits`);
    `∂y/∂x = (σ(x) - t) / N`. Targets are 0 or 1 (any numeric dtype) or probabilities, of `x`'s shape exactly
    (no broadcasting: else `ValueError`), and get no gradient. No label is ignored.

    Args:
        reduction (str): `"mean"` (the default), `"sum"` or `"none"` (the per-element losses, of `x`'s shape).

    Examples:
        >>> x = autograd.Variable([0.0])
        >>> y = F.sigmoid_cross_entropy(x, [1])
        >>> y.backward()
        >>> round(y.item(), 4), autograd.to_host(x.grad).tolist()   # log 2, σ(0) - 1
        (0.6931, [-0.5])
    """
    x = as_variable(x)
    t = as_variable(t.data if isinstance(t, Variable) else t)
    if x.shape != t.shape:
        raise ValueError(f"sigmoid_cross_entropy: logits of shape {x.shape} and targets of shape {t.shape} "
                         "must match")
    return SigmoidCrossEntropy(_check_reduction(reduction, "sigmoid_cross_entropy"))(x, t)


def _weight(weight, x, shape, op):
    """A loss's `weight` (no gradient) as a raw array of x's dtype on x's device, checked against `shape`, the
    shape it must have (a tuple) or broadcast to (a callable that says whether a shape does)."""
    w = as_variable(weight.data if isinstance(weight, Variable) else weight)
    if w.device != x.device:
        raise DeviceError(f"{op}: weight is on {w.device} but the input on {x.device}")
    if not w.xp.isdtype(w.dtype, ("real floating", "integral")):
        raise TypeError(f"{op}: weight must be a real array, got dtype {w.dtype}")
    if not (shape(w.shape) if callable(shape) else w.shape == shape):
        expected = f"broadcast to {x.shape}" if callable(shape) else f"be {shape}"
        raise ValueError(f"{op}: weight of shape {w.shape} must {expected} for an input of shape {x.shape}")
    return w.xp.astype(w.data, x.dtype)


LOG_FLOOR = -100.0  # binary_cross_entropy's logs are clamped there, as in PyTorch: a certain miss costs 100


class BinaryCrossEntropy(Function):
    """`l = -w (t max(log x, -100) + (1 - t) max(log(1 - x), -100))`, reduced; gradient, as PyTorch's,
    `w (x - t) / max(x (1 - x), 1e-12) · gy`."""

    def __init__(self, weight, reduction):
        self.weight, self.reduction = weight, reduction

    def forward(self, x, t):
        xp = device_of(x).xp
        t = xp.astype(t, x.dtype)
        with ignoring_poles():  # log 0 = -inf, then clamped
            loss = -(t * xp.maximum(xp.log(x), LOG_FLOOR) + (1.0 - t) * xp.maximum(xp.log1p(-x), LOG_FLOOR))
        return _reduce(loss if self.weight is None else loss * self.weight, self.reduction)

    def backward(self, gy):
        x, t = self.inputs
        x0 = self.xs[0]
        target = device_of(x.data).xp.astype(t.data, x.dtype)
        gx = (x0 - target) / clip(x0 * (1.0 - x0), 1e-12, None) * _spread(gy, self.reduction, x.size)
        return (gx if self.weight is None else gx * self.weight), None


def binary_cross_entropy(x, t, weight=None, reduction="mean"):
    """Binary cross entropy of probabilities, as PyTorch's `binary_cross_entropy`:
    `y = mean(-w (t log x + (1 - t) log(1 - x)))` over all N elements, each log clamped at -100 (so that a
    certain miss costs 100, not inf).

    Gradient: `∂y/∂x = w (x - t) / max(x (1 - x), 1e-12) / N`, PyTorch's. On logits, `sigmoid_cross_entropy` is
    the stabler way. Targets of `x`'s shape (0 or 1, or probabilities; any numeric dtype) get no gradient (PyTorch
    differentiates them). On the cpu, an `x` outside [0, 1] raises `ValueError`; elsewhere (reading it would wait
    for the device) its loss is NaN.

    Args:
        weight (array | None): a weight of each element's loss, broadcasting to `x`'s shape (no gradient); the
            mean still divides by N.
        reduction (str): `"mean"` (the default), `"sum"` or `"none"` (the per-element losses, of `x`'s shape).

    Examples:
        >>> x = autograd.Variable([0.5, 0.8, 0.0])
        >>> y = F.binary_cross_entropy(x, [1.0, 0.0, 1.0], reduction="none")
        >>> [round(v, 4) for v in autograd.to_host(y).tolist()]   # -log 0.5, -log 0.2, -max(log 0, -100)
        [0.6931, 1.6094, 100.0]
    """
    x = as_variable(x)
    t = as_variable(t.data if isinstance(t, Variable) else t)
    reduction = _check_reduction(reduction, "binary_cross_entropy")
    if not x.xp.isdtype(x.dtype, "real floating"):
        raise TypeError(f"binary_cross_entropy: the input must be floating probabilities, got dtype {x.dtype}")
    if x.shape != t.shape:
        raise ValueError(f"binary_cross_entropy: input of shape {x.shape} and target of shape {t.shape} must match")
    if x.device == CPU and x.size and not (x.data.min() >= 0 and x.data.max() <= 1):
        raise ValueError(f"binary_cross_entropy: the input must be probabilities in [0, 1], got values in "
                         f"[{x.data.min()}, {x.data.max()}]")
    if weight is not None:
        weight = _weight(weight, x, lambda shape: _broadcasts_to(shape, x.shape), "binary_cross_entropy")
    return BinaryCrossEntropy(weight, reduction)(x, t)


def _broadcasts_to(shape, target):
    """Whether an array of `shape` broadcasts to `target` without growing it."""
    if len(shape) > len(target):
        return False
    return all(s in (1, u) for s, u in zip(shape[::-1], target[::-1]))


def accuracy(y, t):
    """Classification accuracy `mean(argmax(y, axis=1) == t)` of scores `(N, C)` against integer labels `(N,)`.

    A metric, not a loss: a new 0-d leaf with no graph, of `y`'s dtype and on `y`'s device, so computing it never
    waits for a GPU (`acc.item()` asks for the number). A row with tied maxima predicts the first of them.

    Examples:
        >>> F.accuracy(autograd.Variable([[0.1, 0.9], [0.8, 0.2]]), [1, 1]).item()   # predicts 1, then 0
        0.5
    """
    y, t = as_variable(y), as_variable(t)
    if y.device != t.device:
        raise DeviceError(f"accuracy: the labels are on {t.device} but the scores on {y.device}")
    y, t, xp = y.data, t.data, y.xp
    if y.ndim != 2:
        raise ValueError(f"accuracy: scores must be (N, C), got shape {tuple(y.shape)}")
    if tuple(t.shape) != (y.shape[0],):
        raise ValueError(f"accuracy: scores of shape {tuple(y.shape)} need labels of shape ({y.shape[0]},), "
                         f"got {tuple(t.shape)}")
    hits = xp.astype(xp.argmax(y, axis=1) == t, y.dtype)
    return Variable(xp.mean(hits), requires_grad=False)  # a metric: nothing to differentiate
