"""Argument checks shared by ops, layers, optimizers and hooks: each raises TypeError or ValueError naming
the op (or layer) and the argument."""
import math
import numbers
import operator


def number(name, value, low, high=math.inf, low_open=False, high_open=False):
    """`value` as a Python float in the given range, or a ValueError (TypeError) naming `name`."""
    if isinstance(value, bool) or not isinstance(value, numbers.Real):
        raise TypeError(f"{name} must be a real number, got {type(value).__name__} {value!r}")
    value = float(value)
    too_low = value <= low if low_open else value < low
    too_high = value >= high if high_open else value > high
    if math.isnan(value) or too_low or too_high:
        span = f"{'(' if low_open else '['}{low}, {high}{')' if high_open else ']'}"
        raise ValueError(f"{name} must be in {span}, got {value}")
    return value


class Hyperparameters:
    """A base for optimizers and hooks: each name in a class's table `hyperparameters` ({name: the bounds of
    `number`}) is checked at every assignment, the constructor's and a later `opt.learning_rate = -1.0` alike,
    with one message naming the class and the name; reading one stays a plain attribute read (a descriptor
    would make every read slower)."""

    hyperparameters = {}

    def __setattr__(self, name, value):
        bounds = self.hyperparameters.get(name)
        if bounds is not None:
            value = number(f"{type(self).__name__}: {name}", value, **bounds)
        object.__setattr__(self, name, value)


def flag(value, name):
    """A bool flag (`keepdims`) as a Python bool: True or False, or a NumPy bool (`np.bool_(True)`, what NumPy's
    comparisons give); anything else, 1 and None too, is a TypeError naming `name` (PyTorch's rule)."""
    if type(value) is bool:
        return value
    kind = type(value)
    if kind.__module__ == "numpy" and kind.__name__ in ("bool", "bool_"):  # named, not imported: see backend
        return bool(value)
    raise TypeError(f"{name} must be a bool, got {kind.__name__} {value!r}")


def is_integer(value):
    """True for an integer, a Python int or a NumPy one (any `numbers.Integral`), but not a bool."""
    return type(value) is int or (isinstance(value, numbers.Integral) and not isinstance(value, bool))


def integer(value, name):
    """`value` as a Python int if it is an integer (see `is_integer`), else a TypeError naming `name`."""
    if type(value) is int:
        return value
    if not is_integer(value):
        raise TypeError(f"{name} must be an integer, got {type(value).__name__} {value!r}")
    return operator.index(value)


def normalize_axes(axis, ndim, op):
    """`axis` (None, an integer or a tuple or list of them) as a sorted tuple of non-negative ints."""
    if axis is None:
        return tuple(range(ndim))
    axes = tuple(axis) if isinstance(axis, (tuple, list)) else (axis,)
    out = []
    for a in axes:
        if type(a) is not int:
            a = integer(a, f"{op}: axis")
        if not -ndim <= a < ndim:
            raise ValueError(f"{op}: axis {a} is out of range for an array of {ndim} dimensions")
        out.append(a % ndim)
    if len(set(out)) != len(out):
        raise ValueError(f"{op}: repeated axis in {axis}")
    return tuple(sorted(out))


def pair(value, name, op, minimum):
    """An integer or a pair of integers as a tuple (a, b) of Python ints, each at least `minimum`."""
    if is_integer(value):
        pair = (operator.index(value),) * 2
    elif isinstance(value, (tuple, list)) and len(value) == 2 and all(is_integer(v) for v in value):
        pair = (operator.index(value[0]), operator.index(value[1]))
    else:
        raise TypeError(f"{op}: {name} must be an int or a pair of ints, got {value!r}")
    if min(pair) < minimum:
        what = "positive" if minimum == 1 else "non-negative"
        raise ValueError(f"{op}: {name} must be {what}, got {value!r}")
    return pair


def kernel_geometry(kernel_size, stride, pad, op):
    """(kh, kw), (sh, sw), (ph, pw) from ints or pairs, checked."""
    return (pair(kernel_size, "kernel_size", op, 1), pair(stride, "stride", op, 1), pair(pad, "pad", op, 0))


def check_ratio(op, ratio):
    """A dropout probability, a real number in [0, 1) (a NumPy one too), as a Python float (the Dropout layer
    checks it at construction too)."""
    if isinstance(ratio, bool) or not isinstance(ratio, numbers.Real) or not 0.0 <= ratio < 1.0:
        raise ValueError(f"{op}: ratio must be in [0, 1), got {ratio!r}")
    return float(ratio)


def check_momentum(op, momentum):
    """The running statistics' momentum, a real number in [0, 1], as a Python float; BatchNorm checks its own at
    construction."""
    return number(f"{op}: momentum", momentum, 0, 1)


def check_eps(op, eps):
    """The variance's stabiliser, eps > 0, as a Python float; the layers check theirs at construction."""
    return number(f"{op}: eps", eps, 0, low_open=True)
