"""Context-local switches: whether ops record the graph, whether layers train, and whether ops check for NaN/Inf.

Each switch is a context manager that sets its value for the `with` block and restores the one it found on
exit, even when the block raises. The values live in `contextvars`, so each thread and asyncio task has its own.
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
    """Whether ops record the graph now: False inside [no_grad][autograd.config.no_grad], and inside a backward
    pass that records no graph (`backward()` without `create_graph=True`).
    """
    return recording.get()


def is_training() -> bool:
    """Whether layers run in training mode: False inside [test_mode][autograd.config.test_mode] (read by
    [F.dropout][autograd.function.dropout] and [F.batch_norm][autograd.function.batch_norm]).
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
    """Context manager: ops inside record no graph (inference, evaluation, hand-written updates).

    [enable_grad][autograd.config.enable_grad] turns recording on again inside the block.

    Examples:
        >>> import autograd
        >>> from autograd import Variable
        >>> with autograd.no_grad():
        ...     y = Variable(2.0) * 3
        >>> y.item(), y.creator is None
        (6.0, True)
    """
    return _setting(recording, False)


def enable_grad():
    """Context manager: ops record the graph again inside a [no_grad][autograd.config.no_grad] block."""
    return _setting(recording, True)


def detect_anomaly(enabled=True):
    """Context manager for debugging: the first NaN or Inf an op's forward or backward makes raises FloatingPointError.

    The error names the op, whether its output or gradient went bad, and the user's line that created the op.
    Each check reads the values (a host synchronisation on a GPU); `enabled=False` switches checking off inside an
    outer block.

    Examples:
        >>> import autograd
        >>> from autograd import Variable
        >>> with autograd.detect_anomaly():
        ...     y = Variable(float("nan")) + 1.0
        Traceback (most recent call last):
        ...
        FloatingPointError: detect_anomaly: Add.forward gave NaN in its output 0 (shape ()); the op was made at ...
    """
    return _setting(anomaly, bool(enabled))


def test_mode():
    """Context manager: layers behave as at inference (dropout is the identity, batch normalisation uses its running
    statistics). The graph is still recorded unless [no_grad][autograd.config.no_grad] is used too.

    Examples:
        >>> import autograd
        >>> import autograd.function as F
        >>> from autograd import Variable
        >>> with autograd.test_mode():
        ...     y = F.dropout(Variable([1.0, 2.0]), ratio=0.5)
        >>> autograd.to_host(y).tolist()
        [1.0, 2.0]
    """
    return _setting(training, False)


test_mode.__test__ = False  # not a pytest test, despite its name
