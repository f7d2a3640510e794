"""Elementwise functions.

The math functions want floats: NumPy makes integers float64, an array API device raises `TypeError`.
"""
import math
import numbers
import operator

from autograd._checks import is_integer
from autograd.backend import DeviceError, device_of, dtype_in, dtype_name, ignoring_poles, is_array, is_host_scalar
from autograd.function.shape import sum_to
from autograd.variable import Function, Variable, array_of, as_variable

__all__ = ["abs", "astype", "clip", "cos", "erf", "erfc", "exp", "expm1", "log", "log1p", "mask_fill", "sin", "sqrt",
           "tanh", "where"]


class Sin(Function):
    def forward(self, x):
        return device_of(x).xp.sin(x)

    def backward(self, gy):
        return gy * cos(self.xs[0])


class Cos(Function):
    def forward(self, x):
        return device_of(x).xp.cos(x)

    def backward(self, gy):
        return gy * -sin(self.xs[0])


class Tanh(Function):
    def forward(self, x):
        return device_of(x).xp.tanh(x)

    def backward(self, gy):
        (y,) = self.ys
        return gy * (1.0 - y * y)


class Exp(Function):
    def forward(self, x):
        return device_of(x).xp.exp(x)

    def backward(self, gy):
        return gy * self.ys[0]


class Log(Function):
    def forward(self, x):
        return device_of(x).xp.log(x)

    def backward(self, gy):
        return gy / self.xs[0]


def sin(x):
    """Elementwise sine `y = sin x`, in radians; `∂y/∂x = cos x`.

    Examples:
        >>> round(F.sin(autograd.Variable(1.0)).item(), 4)
        0.8415
    """
    return Sin()(x)


def cos(x):
    """Elementwise cosine `y = cos x`, in radians; `∂y/∂x = -sin x`.

    Examples:
        >>> round(F.cos(autograd.Variable(1.0)).item(), 4)
        0.5403
    """
    return Cos()(x)


def tanh(x):
    """Elementwise hyperbolic tangent `y = tanh x`; `∂y/∂x = 1 - y²` (computed from the output).

    Examples:
        >>> round(F.tanh(autograd.Variable(1.0)).item(), 4)
        0.7616
    """
    return Tanh()(x)


def exp(x):
    """Elementwise exponential `y = e^x`; `∂y/∂x = y`. Overflows to inf for large x.

    Examples:
        >>> round(F.exp(autograd.Variable(1.0)).item(), 4)
        2.7183
    """
    return Exp()(x)


def log(x):
    """Elementwise natural logarithm `y = ln x`; `∂y/∂x = 1 / x`. `log 0 = -inf`, and a negative x gives NaN.

    Examples:
        >>> round(F.log(autograd.Variable(4.0)).item(), 4)
        1.3863
    """
    return Log()(x)


class Abs(Function):
    def forward(self, x):
        return device_of(x).xp.abs(x)

    def backward(self, gy):
        x = self.inputs[0].data
        return gy * device_of(x).xp.sign(x)  # a constant: sign(0) = 0


class Sqrt(Function):
    def forward(self, x):
        return device_of(x).xp.sqrt(x)

    def backward(self, gy):
        with ignoring_poles():  # inf at x = 0 is the value (PyTorch's), not a reason to warn
            return gy * 0.5 / self.ys[0]


class Log1p(Function):
    def forward(self, x):
        return device_of(x).xp.log1p(x)

    def backward(self, gy):
        return gy / (1.0 + self.xs[0])


class Expm1(Function):
    def forward(self, x):
        return device_of(x).xp.expm1(x)

    def backward(self, gy):
        return gy * (self.ys[0] + 1.0)


def abs(x):  # noqa: A001  (F.abs, as in NumPy)
    """Elementwise absolute value `y = |x|`; `∂y/∂x = sign(x)`, 0 at x = 0 (PyTorch's choice).

    Examples:
        >>> x = autograd.Variable([-2.0, 0.0, 3.0])
        >>> y = F.abs(x)
        >>> F.sum(y).backward()
        >>> autograd.to_host(y).tolist(), autograd.to_host(x.grad).tolist()
        ([2.0, 0.0, 3.0], [-1.0, 0.0, 1.0])
    """
    return Abs()(x)


def sqrt(x):
    """Elementwise square root `y = √x`; `∂y/∂x = 1 / (2y)`: inf at x = 0 (as PyTorch), NaN for x < 0.

    Examples:
        >>> x = autograd.Variable(4.0)
        >>> y = F.sqrt(x)
        >>> y.backward()
        >>> y.item(), x.grad.item()
        (2.0, 0.25)
    """
    return Sqrt()(x)


def log1p(x):
    """Elementwise `y = ln(1 + x)`, accurate for tiny x (where `log(1 + x)` rounds 1 + x); `∂y/∂x = 1 / (1 + x)`.

    Examples:
        >>> F.log1p(autograd.Variable(1e-20)).item()   # log(1 + 1e-20) would give 0.0
        1e-20
    """
    return Log1p()(x)


def expm1(x):
    """Elementwise `y = e^x - 1`, accurate for tiny x (where `exp(x) - 1` cancels); `∂y/∂x = e^x = y + 1`.

    Examples:
        >>> F.expm1(autograd.Variable(1e-20)).item()   # exp(1e-20) - 1 would give 0.0
        1e-20
    """
    return Expm1()(x)


# erf and erfc: W. J. Cody's rational Chebyshev approximations ("Rational Chebyshev approximations for the error
# function", Math. Comp. 23 (1969), 631-638, the coefficients of his CALERF in netlib's specfun), near-minimax to
# about 18 significant digits, here in Horner form, highest power first. The array API has no erf.
_ERF_NUM = (1.85777706184603153e-1, 3.16112374387056560e00, 1.13864154151050156e02, 3.77485237685302021e02,
            3.20937758913846947e03)  # erf(x) = x num(x²) / den(x²) for |x| <= 0.46875
_ERF_DEN = (1.0, 2.36012909523441209e01, 2.44024637934444173e02, 1.28261652607737228e03, 2.84423683343917062e03)
_ERFC_NUM = (2.15311535474403846e-8, 5.64188496988670089e-1, 8.88314979438837594e00, 6.61191906371416295e01,
             2.98635138197400131e02, 8.81952221241769090e02, 1.71204761263407058e03, 2.05107837782607147e03,
             1.23033935479799725e03)  # erfc(y) = e^-y² num(y) / den(y) for 0.46875 < y <= 4
_ERFC_DEN = (1.0, 1.57449261107098347e01, 1.17693950891312499e02, 5.37181101862009858e02, 1.62138957456669019e03,
             3.29079923573345963e03, 4.36261909014324716e03, 3.43936767414372164e03, 1.23033935480374942e03)
_ERFC_TAIL_NUM = (1.63153871373020978e-2, 3.05326634961232344e-1, 3.60344899949804439e-1, 1.25781726111229246e-1,
                  1.60837851487422766e-2, 6.58749161529837803e-4)  # erfc(y) = e^-y² (1/√π - t num(t) / den(t)) / y,
_ERFC_TAIL_DEN = (1.0, 2.56852019228982242e00, 1.87295284992346047e00, 5.27905102951428412e-1,  # t = 1/y², y > 4
                  6.05183413124413191e-2, 2.33520497626869185e-3)
_ERF_SMALL = 0.46875


def _polynomial(t, coefficients):
    """Σ c_i t^(n-i) by Horner's rule, the coefficients highest power first."""
    y = coefficients[0]
    for c in coefficients[1:]:
        y = y * t + c
    return y


def erf_erfc_array(x):
    """`(erf x, erfc x)` of a raw floating array, each to a few units in the last place of its dtype (float16 is
    computed in float32): erfc keeps its relative precision in the right tail, down to underflow (x ≈ 26.5 in
    float64), and erf near 0. Every branch is computed on every element, at clipped arguments (no overflow, no
    warning); NaN stays NaN, erf(±inf) = ±1."""
    xp = device_of(x).xp
    if dtype_name(x.dtype) == "float16":  # the coefficients and e^-y² overflow float16
        return tuple(xp.astype(y, x.dtype) for y in erf_erfc_array(xp.astype(x, xp.float32)))
    y = xp.abs(x)
    s = xp.clip(x, -_ERF_SMALL, _ERF_SMALL)
    erf_small = s * _polynomial(s * s, _ERF_NUM) / _polynomial(s * s, _ERF_DEN)
    middle = xp.clip(y, _ERF_SMALL, 4.0)
    tail = xp.clip(y, 4.0, 30.0)  # erfc(30) = 0 in float64: e^-900 underflows
    t = 1.0 / (tail * tail)
    ratio = xp.where(y <= 4.0, _polynomial(middle, _ERFC_NUM) / _polynomial(middle, _ERFC_DEN),
                     (1.0 / math.sqrt(math.pi) - t * _polynomial(t, _ERFC_TAIL_NUM) / _polynomial(t, _ERFC_TAIL_DEN))
                     / tail)
    z = xp.where(y <= 4.0, middle, tail)
    z_head = xp.floor(z * 16.0) / 16.0  # e^-z² = e^-head² e^-(z - head)(z + head): head² is exact
    erfc_y = xp.exp(-z_head * z_head) * xp.exp(-(z - z_head) * (z + z_head)) * ratio  # erfc(|x|), |x| > 0.46875
    inner = y <= _ERF_SMALL
    erf = xp.where(inner, erf_small, xp.where(x < 0.0, erfc_y - 1.0, 1.0 - erfc_y))
    erfc = xp.where(inner, 1.0 - erf_small, xp.where(x < 0.0, 2.0 - erfc_y, erfc_y))
    return erf, erfc


_TWO_OVER_SQRT_PI = 2.0 / math.sqrt(math.pi)


class Erf(Function):
    def forward(self, x):
        return erf_erfc_array(x)[0]

    def backward(self, gy):
        (x,) = self.xs
        return gy * _TWO_OVER_SQRT_PI * exp(-(x * x))


class Erfc(Function):
    def forward(self, x):
        return erf_erfc_array(x)[1]

    def backward(self, gy):
        (x,) = self.xs
        return gy * -_TWO_OVER_SQRT_PI * exp(-(x * x))


def erf(x):
    """Elementwise error function `y = erf x = 2/√π ∫₀ˣ e^(-t²) dt`; `∂y/∂x = 2/√π e^(-x²)`.

    Written against the array namespace (the array API has no erf) with W. J. Cody's rational Chebyshev
    approximations: within 3 units in the last place of float64 and of float32 over the whole line (a relative
    error below 5e-16 in float64; tested against Python's `math.erf`). NaN stays NaN; erf(±inf) = ±1.

    Examples:
        >>> round(F.erf(autograd.Variable(1.0)).item(), 6)
        0.842701
    """
    return Erf()(x)


def erfc(x):
    """Elementwise complementary error function `y = erfc x = 1 - erf x`; `∂y/∂x = -2/√π e^(-x²)`.

    Keeps its relative precision where `1 - erf(x)` would cancel (erfc(10) = 2.1e-45, 1 - erf(10) = 0),
    down to underflow: within 6 units in the last place of float64 (a relative 8e-16) and a relative 7e-7 in
    float32, by the approximations of [F.erf][autograd.function.erf].

    Examples:
        >>> x = autograd.Variable(10.0)
        >>> f"{F.erfc(x).item():.6e}", 1.0 - F.erf(x).item()
        ('2.088488e-45', 0.0)
    """
    return Erfc()(x)


class Clip(Function):
    def __init__(self, x_min, x_max):
        self.x_min, self.x_max = x_min, x_max

    def forward(self, x):
        return device_of(x).xp.clip(x, self.x_min, self.x_max)

    def backward(self, gy):
        x = self.inputs[0].data
        xp = device_of(x).xp
        inside = xp.ones_like(x, dtype=xp.bool)
        if self.x_min is not None:
            inside = inside & (x > self.x_min)
        if self.x_max is not None:
            inside = inside & (x < self.x_max)
        return gy * xp.astype(inside, gy.dtype)


def clip(x, x_min, x_max):
    """Elementwise `x` limited to [x_min, x_max]: `y = min(max(x, x_min), x_max)`.

    Gradient: 1 strictly inside the bounds, 0 at and outside them (a value exactly on a bound gets none); the
    bounds get no gradient. Numeric bounds with `x_min > x_max` raise `ValueError`.

    Args:
        x_min (float | array | None): lower bound, a number or an array that broadcasts against `x`; None for
            none. Typical values: `0.0`, `-1.0`.
        x_max (float | array | None): upper bound, likewise. Typical values: `1.0`, `6.0`.

    Examples:
        >>> x = autograd.Variable([0.0, 1.5, 3.0])
        >>> y = F.clip(x, 1.0, 2.0)
        >>> F.sum(y).backward()
        >>> autograd.to_host(y).tolist(), autograd.to_host(x.grad).tolist()
        ([1.0, 1.5, 2.0], [0.0, 1.0, 0.0])
    """
    x = as_variable(x)
    x_min, x_max = _clip_bound(x_min, "x_min", x), _clip_bound(x_max, "x_max", x)
    if isinstance(x_min, (int, float)) and isinstance(x_max, (int, float)) and x_min > x_max:
        raise ValueError(f"clip: x_min {x_min} is greater than x_max {x_max}")
    return Clip(x_min, x_max)(x)


def _clip_bound(bound, name, x):
    """A bound of clip as None, a Python number (from a NumPy one too) or an array on x's device (a Variable's
    data: bounds get no gradient); DeviceError for an array on another device."""
    if bound is None:
        return None
    if isinstance(bound, numbers.Real):
        return operator.index(bound) if is_integer(bound) else float(bound)
    if isinstance(bound, Variable):
        bound = bound.data
    elif isinstance(bound, (list, tuple)):
        return x.device.asarray(bound)
    if not is_array(bound):
        raise TypeError(f"clip: {name} must be a number, an array or None, got {type(bound).__name__}")
    if device_of(bound) != x.device:
        raise DeviceError(f"clip: {name} is on {device_of(bound)} but x is on {x.device}; arrays do not move "
                          f"between devices implicitly: pass autograd.get_device('{x.device}').put({name}) "
                          f"(or {name}.to('{x.device}') for a Variable)")
    return bound


class AsType(Function):
    def __init__(self, dtype):
        self.dtype = dtype

    def forward(self, x):
        xp = device_of(x).xp
        return xp.astype(x, dtype_in(xp, self.dtype))

    def backward(self, gy):
        return astype(gy, self.inputs[0].dtype)


def astype(x, dtype):
    """`x` converted to `dtype`, a name (`"float32"`) or a dtype of any array library; the gradient converts back.

    `x` itself comes back when it has that dtype already. Casting to an integer dtype truncates, and backward
    through an integer result raises `TypeError`; so does a `dtype` that `x`'s array library lacks (e.g. "foo").

    Examples:
        >>> x = autograd.Variable([1.5, 2.5])   # float64
        >>> y = F.astype(x, "float32")
        >>> F.sum(y).backward()
        >>> str(y.dtype), str(x.grad.dtype)
        ('float32', 'float64')
    """
    x = as_variable(x)
    device = device_of(array_of(x))
    try:
        dtype_in(device.xp, dtype)
    except (AttributeError, TypeError):
        raise TypeError(f"astype: {dtype!r} is not a dtype of {device}'s arrays") from None
    if dtype_name(x.dtype) == dtype_name(dtype):
        return x
    return AsType(dtype)(x)


class Where(Function):
    def forward(self, condition, x0, x1):
        return device_of(x0).xp.where(condition, x0, x1)

    def backward(self, gy):
        condition, x0, x1 = self.inputs
        return (None,
                sum_to(where(condition.data, gy, 0.0), x0.shape) if x0.requires_grad else None,
                sum_to(where(condition.data, 0.0, gy), x1.shape) if x1.requires_grad else None)


def where(condition, x0, x1):
    """Elementwise choice `y = x0 if condition else x1`, broadcasting all three (NumPy's `where`).

    Gradient: `gy` to `x0` where `condition` is True, else to `x1`; none to the condition. A number `x0` or `x1`
    takes the other's dtype; a condition that is not boolean, or two numbers, raise `TypeError`.

    Examples:
        >>> a, b = autograd.Variable([1.0, 2.0]), autograd.Variable([3.0, 4.0])
        >>> y = F.where([True, False], a, b)
        >>> F.sum(y).backward()
        >>> [autograd.to_host(v).tolist() for v in (y, a.grad, b.grad)]
        [[1.0, 4.0], [1.0, 0.0], [0.0, 1.0]]
    """
    condition = as_variable(condition)
    if not device_of(array_of(condition)).xp.isdtype(condition.dtype, "bool"):
        raise TypeError(f"where: condition must be boolean, got dtype {condition.dtype}")
    like = x0 if not isinstance(x0, (int, float)) else x1
    if isinstance(like, (int, float)):  # two numbers: a NumPy scalar (a 0-d result of NumPy) is an array here
        like = x0 if is_host_scalar(x0) else x1
        if not is_host_scalar(like):
            raise TypeError("where: at least one of x0 and x1 must be an array or a Variable")
    like = array_of(as_variable(like))
    return Where()(condition, as_variable(x0, like), as_variable(x1, like))


def mask_fill(x, mask, value):
    """`x` with `value` written where `mask` is True: `where(mask, value, x)` (PyTorch's `masked_fill`).

    Gradient: `gy` where `mask` is False, else 0. A mask that is not boolean raises `TypeError`. Typical use: a
    causal or padding mask in attention, `value` `-inf` or `-1e9` before a softmax.

    Examples:
        >>> x = autograd.Variable([1.0, 2.0, 3.0])
        >>> y = F.mask_fill(x, [False, True, False], 0.0)
        >>> F.sum(y).backward()
        >>> autograd.to_host(y).tolist(), autograd.to_host(x.grad).tolist()
        ([1.0, 0.0, 3.0], [1.0, 0.0, 1.0])
    """
    return where(mask, value, x)
