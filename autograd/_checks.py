"""Argument checks shared by ops, layers, optimizers and hooks: each raises TypeError or ValueError naming
the op (or layer) and the argument."""
import math
import numbers


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


def normalize_axes(axis, ndim, op):
    """`axis` (None, an int or a sequence) as a sorted tuple of non-negative ints."""
    if axis is None:
        return tuple(range(ndim))
    axes = (axis,) if isinstance(axis, int) else tuple(axis)
    out = []
    for a in axes:
        if not -ndim <= a < ndim:
            raise ValueError(f"{op}: axis {a} is out of range for an array of {ndim} dimensions")
        out.append(a % ndim)
    if len(set(out)) != len(out):
        raise ValueError(f"{op}: repeated axis in {axis}")
    return tuple(sorted(out))


def pair(value, name, op, minimum):
    """An int or a pair of ints as a tuple (a, b), each at least `minimum`."""
    if isinstance(value, bool):
        raise TypeError(f"{op}: {name} must be an int or a pair of ints, got {value!r}")
    if isinstance(value, int):
        pair = (value, value)
    elif isinstance(value, (tuple, list)) and len(value) == 2 and all(
            isinstance(v, int) and not isinstance(v, bool) for v in value):
        pair = (value[0], value[1])
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
    """A dropout probability: a real number in [0, 1) (the Dropout layer checks it at construction too)."""
    if isinstance(ratio, bool) or not isinstance(ratio, (int, float)) or not 0.0 <= ratio < 1.0:
        raise ValueError(f"{op}: ratio must be in [0, 1), got {ratio!r}")


def check_momentum(op, momentum):
    """The running statistics' momentum: a real number in [0, 1]; BatchNorm checks its own at construction."""
    number(f"{op}: momentum", momentum, 0, 1)


def check_eps(op, eps):
    """The variance's stabiliser: eps > 0; the layers check theirs at construction."""
    number(f"{op}: eps", eps, 0, low_open=True)
