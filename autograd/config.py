"""Context-local switches: whether operations record a graph, and whether layers run in training mode.

Both live in :mod:`contextvars`, so each thread (and each asyncio task) has its own value, and every context
manager restores the value it found, even when the block raises.
"""
import contextlib
import contextvars

_enable_backprop = contextvars.ContextVar("enable_backprop", default=True)
_train = contextvars.ContextVar("train", default=True)


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


def test_mode():
    """Context manager: layers behave as at inference (dropout off)."""
    return _setting(_train, False)


test_mode.__test__ = False  # not a pytest test, despite its name
