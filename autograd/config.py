"""Context-local switches: whether operations record a graph, whether layers run in training mode, and whether
ops check their results for NaN and Inf (anomaly detection).

Both live in :mod:`contextvars`, so each thread (and each asyncio task) has its own value, and every context
manager restores the value it found, even when the block raises.
"""
import contextlib
import contextvars

__all__ = ["no_grad", "enable_grad", "test_mode", "detect_anomaly", "backprop_enabled", "is_training"]

_enable_backprop = contextvars.ContextVar("enable_backprop", default=True)
_train = contextvars.ContextVar("train", default=True)
_detect_anomaly = contextvars.ContextVar("detect_anomaly", default=False)


def backprop_enabled() -> bool:
    """True unless inside ``no_grad()``."""
    return _enable_backprop.get()


def is_training() -> bool:
    """True unless inside ``test_mode()``; dropout and batch normalisation read it."""
    return _train.get()


@contextlib.contextmanager
def _setting(var, value):
    token = var.set(value)
    try:
        yield
    finally:
        var.reset(token)


def no_grad():
    """Context manager: operations inside build no graph (inference, optimizer updates)."""
    return _setting(_enable_backprop, False)


def enable_grad():
    """Context manager: record the graph again inside a ``no_grad()`` block."""
    return _setting(_enable_backprop, True)


def detect_anomaly(enabled=True):
    """Context manager for debugging: every op checks its forward outputs, and the backward pass every gradient
    it computes, and the first NaN or Inf raises FloatingPointError naming the op and the line of user code
    that created it. Each check reads the values (a host synchronisation on a GPU); off by default, when it
    costs one context-variable read per op."""
    return _setting(_detect_anomaly, bool(enabled))


def test_mode():
    """Context manager: layers behave as at inference (dropout off)."""
    return _setting(_train, False)


test_mode.__test__ = False  # not a pytest test, despite its name
