"""Reductions.

Each takes `axis` (an int, a tuple of ints, or None for all axes) and `keepdims` (a bool, a NumPy one too: keep the
reduced axes with size 1, so that the result broadcasts against `x`). The gradient is broadcast back over the
reduced axes.

float16 is summed in float32 and rounded to float16 once, after any division (PyTorch's policy): the mean of
70,000 ones is 1, not inf / 70,000. Every op that sums raw arrays (losses, softmax, normalisation) calls
`sum_array`, the one place of that policy.
"""
import math
from autograd._checks import flag, normalize_axes, number
from autograd.backend import device_of, dtype_name, ignoring_poles
from autograd.function.elementwise import astype, exp, where
from autograd.function.shape import broadcast_to, reshape
from autograd.variable import Function, Variable, array_of, as_variable

__all__ = ["argmax", "argmin", "cumsum", "logsumexp", "max", "mean", "min", "std", "sum", "variance"]


def is_float16(x):
    """True for a float16 array (the array API standard has none), which ops accumulate in float32."""
    return dtype_name(x.dtype) == "float16"  # a cached name: comparing a dtype with xp.float16 costs more


def sum_array(x, axis=None, keepdims=False, divisor=None):
    """`Σ x` (or `Σ x / divisor`, a number or an array) over `axis` of a raw array, in x's dtype; float16
    accumulates in float32 and is rounded once, at the end (its largest value is 65,504: a sum of 70,000 ones
    would overflow on the way)."""
    xp = device_of(x).xp
    if dtype_name(x.dtype) == "float16":  # is_float16, inline: the hot path of every loss
        y = xp.sum(x, axis=axis, keepdims=keepdims, dtype=xp.float32)
        return xp.astype(y if divisor is None else y / divisor, x.dtype)
    y = xp.sum(x, axis=axis, keepdims=keepdims)
    return y if divisor is None else y / divisor


def sqrt_sum_squares(x, axis=None, keepdims=False, divisor=None):
    """`√(Σ x² / divisor)` over `axis` of a raw array, in x's dtype (std, the 2-norm); float16 is squared and
    summed in float32 and rounded once, at the end: its squares overflow from 256 where the result need not."""
    xp = device_of(x).xp
    if dtype_name(x.dtype) == "float16":
        return xp.astype(sqrt_sum_squares(xp.astype(x, xp.float32), axis, keepdims, divisor), x.dtype)
    return xp.sqrt(sum_array(x * x, axis, keepdims, divisor))


def _keepdims_shape(x_shape, axis):
    axes = normalize_axes(axis, len(x_shape), "reduction")
    return tuple(1 if i in axes else s for i, s in enumerate(x_shape))


def _count(x_shape, axes):
    """How many elements a reduction over `axes` combines into each result."""
    return math.prod(x_shape[a] for a in axes)


def expand_reduced(gy, x_shape, axis):
    """The gradient of a reduction's output, broadcast back over the reduced axes (here and in the norms)."""
    return broadcast_to(reshape(gy, _keepdims_shape(x_shape, axis)), x_shape)


class Sum(Function):
    """`y = Σ x / divisor` (None: F.sum; the count: F.mean and variance). Gradient: `gy / divisor`."""

    def __init__(self, axis, keepdims, divisor=None):
        self.axis, self.keepdims, self.divisor = axis, keepdims, divisor

    def forward(self, x):
        return sum_array(x, self.axis, self.keepdims, self.divisor)

    def backward(self, gy):
        gx = expand_reduced(gy, self.inputs[0].shape, self.axis)
        # times 1/n, not / n: a float16 gy would take n > 65,504 as inf
        return gx if self.divisor is None else gx * (1.0 / self.divisor)


def _axis(axis, ndim, op):
    return None if axis is None else normalize_axes(axis, ndim, op)


def sum(x, axis=None, keepdims=False):  # noqa: A001  (F.sum, as in NumPy)
    """Sum over `axis`: `y = Σ x`, of the array library's dtype (an integer sum stays an integer). Gradient: `gy`.

    Examples:
        >>> from autograd import Variable, to_host
        >>> x = Variable([[1.0, 2.0], [3.0, 4.0]])
        >>> to_host(F.sum(x, axis=0)).tolist()
        [4.0, 6.0]
        >>> F.sum(x).backward()
        >>> to_host(x.grad).tolist()
        [[1.0, 1.0], [1.0, 1.0]]
    """
    x = as_variable(x)
    return Sum(_axis(axis, x.ndim, "sum"), flag(keepdims, "sum: keepdims"))(x)


def mean(x, axis=None, keepdims=False):
    """Mean over `axis`: `y = Σ x / n`, n the number of elements reduced into each result. Gradient: `gy / n`.

    NumPy gives float64 for integers; the array API devices (the simulated accelerator) raise `TypeError`.

    Examples:
        >>> from autograd import Variable, to_host
        >>> x = Variable([[1.0, 2.0], [3.0, 4.0]])
        >>> to_host(F.mean(x, axis=-1)).tolist()
        [1.5, 3.5]
        >>> F.mean(x).backward()
        >>> to_host(x.grad).tolist()
        [[0.25, 0.25], [0.25, 0.25]]
    """
    x = as_variable(x)
    axes = normalize_axes(axis, x.ndim, "mean")
    return Sum(axes, flag(keepdims, "mean: keepdims"), _count(x.shape, axes))(x)


class _Extremum(Function):
    """max or min. Gradient: `gy / k` to each of the k elements equal to the result (PyTorch's amax and amin),
    or with `first` (along one axis: max pooling) the whole `gy` to the first of them. NaN is the result of a
    slice holding one, and its NaNs are the elements equal to it (as in PyTorch)."""

    def __init__(self, axis, keepdims, first=False):
        self.axis, self.keepdims, self.first = axis, keepdims, first

    def forward(self, x):
        return self.reduce(device_of(x).xp)(x, axis=self.axis, keepdims=self.keepdims)

    def backward(self, gy):
        x = self.inputs[0]
        xp = device_of(x.data).xp
        y = xp.reshape(self.outputs[0]().data, _keepdims_shape(x.shape, self.axis))
        ties = (x.data == y) | (x.data != x.data)  # x != x: the NaNs, found only in slices whose result is NaN
        if self.first:
            (axis,) = self.axis
            share = xp.astype(ties & (xp.cumulative_sum(xp.astype(ties, xp.int32), axis=axis) == 1), gy.dtype)
        else:  # float16 counts in float32: 70,000 ties would be inf
            share = xp.astype(ties, xp.float32 if is_float16(gy) else gy.dtype)
            share = xp.astype(share / xp.sum(share, axis=self.axis, keepdims=True), gy.dtype, copy=False)
        return expand_reduced(gy, x.shape, self.axis) * share


class Max(_Extremum):
    @staticmethod
    def reduce(xp):
        return xp.max


class Min(_Extremum):
    @staticmethod
    def reduce(xp):
        return xp.min


def max(x, axis=None, keepdims=False):  # noqa: A001
    """Largest element over `axis`: `y = max x`.

    Gradient: `gy` to the element equal to the maximum, 0 to the others; k tied maxima each get `gy / k`, so the
    gradient still sums to `gy` (PyTorch's `amax`, and its `x.max()` over all axes).

    Examples:
        >>> from autograd import Variable, to_host
        >>> x = Variable([1.0, 3.0, 3.0])
        >>> F.max(x).backward()
        >>> to_host(x.grad).tolist()   # max 3.0; the two tied elements share the gradient
        [0.0, 0.5, 0.5]
    """
    x = as_variable(x)
    return Max(_axis(axis, x.ndim, "max"), flag(keepdims, "max: keepdims"))(x)


def min(x, axis=None, keepdims=False):  # noqa: A001
    """Smallest element over `axis`: `y = min x`. Gradient as in [F.max][autograd.function.max]: k ties each get `gy / k`.

    Examples:
        >>> from autograd import Variable, to_host
        >>> x = Variable([2.0, 1.0, 1.0])
        >>> F.min(x).backward()
        >>> to_host(x.grad).tolist()
        [0.0, 0.5, 0.5]
    """
    x = as_variable(x)
    return Min(_axis(axis, x.ndim, "min"), flag(keepdims, "min: keepdims"))(x)


def _divisor(op, x, axis, ddof):
    """(the reduced axes, n - ddof) of a variance or standard deviation, n the number of elements reduced."""
    axes = normalize_axes(axis, x.ndim, op)
    n = _count(x.shape, axes)
    divisor = n - number(f"{op}: ddof", ddof, -math.inf)  # number: a Python number, from NumPy's too
    if not divisor > 0:
        raise ValueError(f"{op}: ddof={ddof} must be less than the number of elements reduced, {n} "
                         f"(input shape {tuple(x.shape)}, axis={axis}): the {op} has no divisor n - ddof > 0")
    return axes, divisor


def variance(x, axis=None, keepdims=False, ddof=0):
    """Variance over `axis`: `y = Σ (x - mean(x))² / (n - ddof)`. Gradient: `2 (x - mean(x)) / (n - ddof)`.

    `ddof=0` (the default, NumPy's) gives the biased population variance, `ddof=1` the unbiased sample estimate
    (PyTorch's default). `ddof` must be below n, the number of elements reduced, else a ValueError (NumPy and
    PyTorch divide by max(n - ddof, 0) there and warn, giving inf or NaN and non-finite gradients). float16 is
    computed in float32 and rounded once, as PyTorch does.

    Examples:
        >>> from autograd import Variable, to_host
        >>> x = Variable([1.0, 2.0, 3.0, 4.0])
        >>> y = F.variance(x)
        >>> y.item()
        1.25
        >>> y.backward()
        >>> to_host(x.grad).tolist()   # 2 (x - 2.5) / 4
        [-0.75, -0.25, 0.25, 0.75]
    """
    x = as_variable(x)
    axes, divisor = _divisor("variance", x, axis, ddof)
    if is_float16(x.data):  # squared in float16, a deviation from 256 on overflows: in float32, rounded once
        return astype(variance(astype(x, "float32"), axes, keepdims, ddof), x.dtype)
    d = x - mean(x, axes, keepdims=True)
    return Sum(axes, flag(keepdims, "variance: keepdims"), divisor)(d * d)


class Std(Function):
    """`y = √(Σ (x - mean(x))² / divisor)`. Gradient: `gy (x - mean(x)) / (divisor · y)`, NaN where y = 0."""

    def __init__(self, axis, keepdims, divisor):
        self.axis, self.keepdims, self.divisor = axis, keepdims, divisor

    def forward(self, x):
        xp = device_of(x).xp
        d = x - sum_array(x, self.axis, True, _count(x.shape, self.axis))
        return sqrt_sum_squares(d, self.axis, self.keepdims, self.divisor)

    def backward(self, gy):
        (x,), (y,) = self.xs, self.ys
        with ignoring_poles():  # 0 / 0 = NaN where the slice is constant: the value (PyTorch's), without a warning
            g = expand_reduced(gy / (y * self.divisor), self.inputs[0].shape, self.axis)
            return g * (x - mean(x, self.axis, keepdims=True))


def std(x, axis=None, keepdims=False, ddof=0):
    """Standard deviation over `axis`: `y = √(Σ (x - mean(x))² / (n - ddof))`, the square root of
    [F.variance][autograd.function.variance], with its `ddof` (NumPy's default 0; PyTorch's `correction`
    defaults to 1: pass `ddof=1` for its unbiased estimate).

    Gradient: `gy (x - mean(x)) / ((n - ddof) y)`. Over a constant slice (y = 0) that is 0 / 0, NaN, as in
    PyTorch: the standard deviation has no derivative where it is 0 (its one-sided slopes are ±∞).

    Examples:
        >>> from autograd import Variable, to_host
        >>> x = Variable([1.0, 3.0])
        >>> y = F.std(x)
        >>> y.item()
        1.0
        >>> y.backward()
        >>> to_host(x.grad).tolist()   # (x - 2) / (2 · 1)
        [-0.5, 0.5]
    """
    x = as_variable(x)
    axes, divisor = _divisor("std", x, axis, ddof)
    return Std(axes, flag(keepdims, "std: keepdims"), divisor)(x)


def _arg_extremum(op, x, axis, keepdims):
    """The index of argmax or argmin as an int64 constant: into the flattened x for axis None."""
    x = as_variable(x)
    keepdims = flag(keepdims, f"{op}: keepdims")
    if axis is not None:
        if isinstance(axis, (tuple, list)):
            raise TypeError(f"{op}: axis must be an integer or None, got {axis!r}")
        (axis,) = normalize_axes(axis, x.ndim or 1, op)
    size = math.prod(x.shape) if axis is None else (x.shape[axis] if x.ndim else 1)
    if size == 0:
        raise ValueError(f"{op}: the input of shape {tuple(x.shape)} has no elements along axis={axis}")
    data = array_of(x)  # (an array itself in a backward formula)
    xp = device_of(data).xp
    if x.ndim == 0 and axis is not None:
        data = xp.reshape(data, (1,))
    i = getattr(xp, op)(data, axis=axis, keepdims=keepdims)
    if x.ndim == 0:
        i = xp.reshape(i, ())
    return Variable(xp.astype(i, xp.int64), requires_grad=False)  # an index: nothing to differentiate


def argmax(x, axis=None, keepdims=False):
    """The index of the largest element along `axis` (into the flattened `x` for None), the first one of ties;
    NaN counts as the largest. An int64 constant (no gradient), as PyTorch's `argmax`; `keepdims` keeps the
    reduced axis (all axes for None) with size 1, as NumPy's.

    Examples:
        >>> from autograd import Variable, to_host
        >>> x = Variable([[1.0, 5.0, 5.0], [7.0, 0.0, 2.0]])
        >>> to_host(F.argmax(x, axis=1)).tolist()   # the first of the tied 5s
        [1, 0]
        >>> F.argmax(x).item()
        3
    """
    return _arg_extremum("argmax", x, axis, keepdims)


def argmin(x, axis=None, keepdims=False):
    """The index of the smallest element along `axis`, as [F.argmax][autograd.function.argmax] does for the
    largest: the first one of ties, NaN counting as the smallest, an int64 constant.

    Examples:
        >>> from autograd import Variable, to_host
        >>> to_host(F.argmin(Variable([[1.0, 0.0, 0.0], [-1.0, 4.0, 2.0]]), axis=1)).tolist()
        [1, 0]
    """
    return _arg_extremum("argmin", x, axis, keepdims)


class CumSum(Function):
    """`y_i = Σ_{j ≤ i} x_j` along `axis` (with `reverse`, `Σ_{j ≥ i} x_j`). Gradient: gy's cumsum the other way."""

    def __init__(self, axis, reverse=False):
        self.axis, self.reverse = axis, reverse

    def forward(self, x):
        xp = device_of(x).xp
        if self.reverse:
            x = xp.flip(x, axis=self.axis)
        if is_float16(x):  # accumulated in float32, rounded once
            y = xp.astype(xp.cumulative_sum(x, axis=self.axis, dtype=xp.float32), x.dtype)
        else:
            y = xp.cumulative_sum(x, axis=self.axis)
        return xp.flip(y, axis=self.axis) if self.reverse else y

    def backward(self, gy):
        return CumSum(self.axis, not self.reverse)(gy)


def cumsum(x, axis):
    """Cumulative sum along `axis`: `y_i = Σ_{j ≤ i} x_j` (PyTorch's `cumsum(x, dim)`; NumPy's `cumsum` with an
    axis). Gradient: the reversed cumulative sum of gy, `gx_j = Σ_{i ≥ j} gy_i`. A 0-d `x` is its own cumsum.

    Examples:
        >>> from autograd import Variable, to_host
        >>> x = Variable([1.0, 2.0, 3.0])
        >>> y = F.cumsum(x, axis=0)
        >>> to_host(y).tolist()
        [1.0, 3.0, 6.0]
        >>> F.sum(y).backward()
        >>> to_host(x.grad).tolist()   # x_0 is in all 3 sums, x_2 in one
        [3.0, 2.0, 1.0]
    """
    x = as_variable(x)
    if axis is None or isinstance(axis, (tuple, list)):
        raise TypeError(f"cumsum: axis must be an integer, got {axis!r}")
    (axis,) = normalize_axes(axis, x.ndim or 1, "cumsum")  # 0 or -1 for a 0-d x, as PyTorch
    if x.ndim == 0:
        return reshape(CumSum(0)(reshape(x, (1,))), ())
    return CumSum(axis)(x)


class LogSumExp(Function):
    def __init__(self, axis, keepdims):
        self.axis, self.keepdims = axis, keepdims

    def forward(self, x):
        xp = device_of(x).xp
        m = xp.max(x, axis=self.axis, keepdims=True)
        m = xp.where(xp.isfinite(m), m, xp.zeros_like(m))
        with ignoring_poles():  # a slice of all -inf: log 0 = -inf, the value, and no warning
            y = xp.log(xp.sum(xp.exp(x - m), axis=self.axis, keepdims=True)) + m
        return y if self.keepdims else xp.reshape(y, _reduced_shape(x.shape, self.axis))

    def backward(self, gy):
        shape = self.inputs[0].shape
        (x,), (y,) = self.xs, self.ys
        y = expand_reduced(y, shape, self.axis)
        y = where(array_of(y) == -math.inf, 0.0, y)  # all -inf: exp(-inf - 0) = 0, not exp(-inf - -inf) = NaN
        return expand_reduced(gy, shape, self.axis) * exp(x - y)


def _reduced_shape(x_shape, axis):
    axes = normalize_axes(axis, len(x_shape), "reduction")
    return tuple(s for i, s in enumerate(x_shape) if i not in axes)


def logsumexp(x, axis=None, keepdims=False):
    """`y = log Σ exp(x)` over `axis`, computed as `m + log Σ exp(x - m)` with `m = max x`.

    No overflow for large x (`logsumexp([1000, 1000]) = 1000 + log 2`); a slice of all `-inf` gives `-inf`,
    without a warning, as in PyTorch. Gradient: `gy · exp(x - y)`, the softmax of `x` along `axis`; 0 over a slice
    of all `-inf` (the log of an empty sum, log 0, as in a CTC loss's log-space sums), where PyTorch gives NaN
    (its issue 31829 asks for 0): a masked slice adds nothing to the gradient instead of making it all NaN.

    Examples:
        >>> from autograd import Variable, to_host
        >>> x = Variable([0.0, 0.0])
        >>> y = F.logsumexp(x)
        >>> round(y.item(), 4)   # log 2
        0.6931
        >>> y.backward()
        >>> to_host(x.grad).tolist()   # softmax
        [0.5, 0.5]
    """
    x = as_variable(x)
    return LogSumExp(_axis(axis, x.ndim, "logsumexp"), flag(keepdims, "logsumexp: keepdims"))(x)
