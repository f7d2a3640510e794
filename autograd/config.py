"""Context-local switches: whether operations record a graph, whether layers run in training mode, and whether
ops check their results for NaN and Inf (anomaly detection).

Each switch is a context manager that sets a value for the `with` block and restores the value it found on exit,
even when the block raises. The values live in Python's `contextvars`, so each thread (and each asyncio task) has
its own: a `no_grad()` block in one thread does not change another.
"""
import contextlib
import contextvars

__all__ = ["no_grad", "enable_grad", "test_mode", "detect_anomaly", "backprop_enabled", "is_training"]

# The switches themselves (the engine reads and sets them directly: a context manager costs microseconds per step).
recording = contextvars.ContextVar("recording", default=True)  # ops record the graph
training = contextvars.ContextVar("training", default=True)  # layers run in training mode
anomaly = contextvars.ContextVar("anomaly", default=False)  # ops check their results for NaN and Inf
# True inside a backward pass that records no graph: gradient formulas then run on the operands' raw arrays,
# and an op called on raw arrays only gives a raw array back (see Function.backward)
on_arrays = contextvars.ContextVar("on_arrays", default=False)


def backprop_enabled() -> bool:
    """Whether operations record the graph now: True unless inside [no_grad][autograd.config.no_grad].

    Inside a `Function.backward` it tells whether the backward pass is being recorded
    (`backward(create_graph=True)`).

    Examples:
        >>> import autograd
        >>> from autograd.config import backprop_enabled
        >>> backprop_enabled()
        True
        >>> with autograd.no_grad():
        ...     backprop_enabled()
        False
    """
    return recording.get()


def is_training() -> bool:
    """Whether layers run in training mode: True unless inside [test_mode][autograd.config.test_mode].

    [F.dropout][autograd.function.dropout] and [F.batch_norm][autograd.function.batch_norm] read it.

    Examples:
        >>> import autograd
        >>> autograd.is_training()
        True
        >>> with autograd.test_mode():
        ...     autograd.is_training()
        False
    """
    return training.get()


@contextlib.contextmanager
def _setting(var, value):
    token = var.set(value)
    try:
        yield
    finally:
        var.reset(token)


def no_grad():
    """Context manager: operations inside build no graph (inference, evaluation, hand-written updates).

    Their results have no creator, so nothing is kept for a backward pass and no memory is held for it.
    The previous setting comes back on exit. [enable_grad][autograd.config.enable_grad] turns recording
    on again inside the block.

    Examples:
        >>> import autograd
        >>> from autograd import Variable
        >>> x = Variable(2.0)
        >>> with autograd.no_grad():
        ...     y = x * 3
        >>> y.item(), y.creator is None
        (6.0, True)
    """
    return _setting(recording, False)


def enable_grad():
    """Context manager: record the graph again inside a [no_grad][autograd.config.no_grad] block.

    Examples:
        >>> import autograd
        >>> from autograd import Variable
        >>> x = Variable(2.0)
        >>> with autograd.no_grad():
        ...     with autograd.enable_grad():
        ...         y = x * 3
        >>> y.backward()
        >>> x.grad.item()
        3.0
    """
    return _setting(recording, True)


def detect_anomaly(enabled=True):
    """Context manager for debugging: the first NaN or Inf an op makes raises `FloatingPointError`.

    Inside the block every op checks its forward outputs, and the backward pass every gradient it computes;
    the error names the op, whether its output or gradient went bad, and the line of user code that created
    the op. Each check reads the values (a host synchronisation on a GPU), so it is off by default, when it
    costs one context-variable read per op.

    Args:
        enabled (bool): True to check inside the block, False to switch checking off there (inside an outer
            `detect_anomaly()`).

    Examples:
        >>> import autograd
        >>> from autograd import Variable
        >>> x = Variable(float("nan"))
        >>> with autograd.detect_anomaly():
        ...     y = x + 1.0
        Traceback (most recent call last):
        ...
        FloatingPointError: detect_anomaly: Add.forward gave NaN in its output 0 (shape ()); the op was made at ...
    """
    return _setting(anomaly, bool(enabled))


def test_mode():
    """Context manager: layers behave as at inference.

    Inside, [is_training][autograd.config.is_training] is False: dropout is the identity and batch
    normalisation uses its running statistics instead of the batch's. The graph is still recorded unless
    [no_grad][autograd.config.no_grad] is also used.

    Examples:
        >>> import autograd
        >>> import autograd.function as F
        >>> from autograd import Variable
        >>> x = Variable([1.0, 2.0, 3.0])
        >>> with autograd.test_mode():
        ...     y = F.dropout(x, ratio=0.5)
        >>> autograd.to_host(y).tolist()
        [1.0, 2.0, 3.0]
    """
    return _setting(training, False)


test_mode.__test__ = False  # not a pytest test, despite its name
