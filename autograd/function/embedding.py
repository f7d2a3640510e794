"""Embedding lookup and one-hot labels."""
import math

from autograd._checks import integer
from autograd.backend import DeviceError, device_of, dtype_name
from autograd.function.shape import get_item
from autograd.variable import Variable, array_of, as_variable

__all__ = ["embed_id", "one_hot"]


def embed_id(ids, W):
    """The rows of W picked by integer ids: `y[..., :] = W[ids[...], :]`.

    ids of any shape (an integer array on W's device, a Variable, a list or an int) and W `(vocab, D)` give y
    `(*ids.shape, D)`. The ids get no gradient; W's is scattered back into the rows used, adding up where an id
    repeats. The range check reads `min(ids)` and `max(ids)`, a host synchronisation on a GPU. The op of
    [Embedding][autograd.layer.Embedding].

    Raises:
        IndexError: an id is outside `[0, vocab)`.

    Examples:
        >>> import numpy as np
        >>> from autograd import Variable, to_host
        >>> W = Variable(np.arange(6.0).reshape(3, 2))    # vocab 3, D 2
        >>> y = F.embed_id([2, 0, 2], W)
        >>> to_host(y).tolist()
        [[4.0, 5.0], [0.0, 1.0], [4.0, 5.0]]
        >>> F.sum(y).backward()
        >>> to_host(W.grad).tolist()   # row 2 was used twice, row 1 not at all
        [[1.0, 1.0], [0.0, 0.0], [2.0, 2.0]]
    """
    W = as_variable(W)
    if W.ndim != 2:
        raise ValueError(f"embed_id: W must be (vocab, D), got shape {W.shape}")
    if isinstance(ids, Variable):
        ids = ids.data
    elif isinstance(ids, (list, tuple, int)):
        ids = W.device.asarray(ids)
    try:
        device = device_of(ids)
    except TypeError:
        raise TypeError(f"embed_id: ids must be an integer array, got {type(ids).__name__}") from None
    if device != W.device:
        raise DeviceError(f"embed_id: ids are on {device} but W is on {W.device}; move them with .to(device)")
    xp = device.xp
    if not xp.isdtype(ids.dtype, "integral"):
        raise TypeError(f"embed_id: ids must have an integer dtype, got {dtype_name(ids.dtype)}")
    vocab = W.shape[0]
    if math.prod(ids.shape) > 0:
        lo, hi = int(xp.min(ids)), int(xp.max(ids))  # host synchronisation
        if lo < 0 or hi >= vocab:
            bad = lo if lo < 0 else hi
            raise IndexError(f"embed_id: id {bad} is out of range for W of shape {W.shape} "
                             f"(ids must be in [0, {vocab}))")
    return get_item(W, ids)


def one_hot(t, num_classes=-1):
    """Integer labels as one-hot rows: `y[..., c] = 1 if t[...] == c else 0`, of shape `(*t.shape, num_classes)`
    (PyTorch's `F.one_hot`). An int64 constant on `t`'s device (no gradient); `astype` makes it float.

    `num_classes=-1` takes `max(t) + 1`. Labels must lie in `[0, num_classes)`; the check reads `min(t)` and
    `max(t)`, a host synchronisation on a GPU.

    Raises:
        ValueError: a label is negative or not below `num_classes`, or `num_classes=-1` for no labels.
        TypeError: the labels are not integers.

    Examples:
        >>> from autograd import to_host
        >>> to_host(F.one_hot([0, 2, 1])).tolist()
        [[1, 0, 0], [0, 0, 1], [0, 1, 0]]
        >>> F.one_hot([1], num_classes=4).shape
        (1, 4)
    """
    labels = array_of(as_variable(t))  # (an array itself in a backward formula)
    device, shape = device_of(labels), tuple(labels.shape)
    xp = device.xp
    if not xp.isdtype(labels.dtype, "integral"):
        raise TypeError(f"one_hot: labels must have an integer dtype, got {dtype_name(labels.dtype)}")
    num_classes = integer(num_classes, "one_hot: num_classes")
    if num_classes < -1:
        raise ValueError(f"one_hot: num_classes must be -1 (from the labels) or at least 0, got {num_classes}")
    if math.prod(shape) == 0:
        if num_classes == -1:
            raise ValueError(f"one_hot: num_classes=-1 needs labels to count the classes, got shape {shape}")
    else:
        lo, hi = int(xp.min(labels)), int(xp.max(labels))  # host synchronisation
        if lo < 0:
            raise ValueError(f"one_hot: label {lo} is negative (labels of shape {shape})")
        if num_classes == -1:
            num_classes = hi + 1
        elif hi >= num_classes:
            raise ValueError(f"one_hot: label {hi} is out of range for num_classes={num_classes} "
                             f"(labels must be in [0, {num_classes}))")
    classes = xp.arange(num_classes, dtype=labels.dtype, device=device.where)
    hot = xp.astype(xp.reshape(labels, shape + (1,)) == classes, xp.int64)
    return Variable(hot, requires_grad=False)  # labels: nothing to differentiate
