"""The elementwise binary ops and the reductions, each beside its NumPy reference: one table for the example
tests (tests/function) and the property tests (tests/test_properties.py)."""
import numpy as np

import autograd.function as F


def np_logsumexp(a, axis=None, keepdims=False):
    m = np.max(a, axis=axis, keepdims=True)
    y = np.log(np.sum(np.exp(a - m), axis=axis, keepdims=True)) + m
    return y if keepdims else np.squeeze(y, axis=axis) if axis is not None else y.reshape(())


BINARY = {
    "add": (F.add, np.add),
    "sub": (F.sub, np.subtract),
    "mul": (F.mul, np.multiply),
    "div": (F.div, np.divide),
    "pow": (F.pow, np.power),
}

REDUCTIONS = {
    "sum": (F.sum, np.sum),
    "mean": (F.mean, np.mean),
    "max": (F.max, np.max),
    "min": (F.min, np.min),
    "variance": (F.variance, np.var),
    "logsumexp": (F.logsumexp, np_logsumexp),
}
