"""Argument checks shared by ops, layers, optimizers and hooks."""
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
