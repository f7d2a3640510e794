"""Embedding lookup: rows of a weight matrix selected by integer ids."""
import math

from autograd.backend import DeviceError, device_of, dtype_name
from autograd.function.shape import get_item
from autograd.variable import Variable, as_variable


def embed_id(ids, W):
    """y[..., :] = W[ids[...], :]: ids (any shape, integers in [0, vocab)) and W (vocab, D) give
    (*ids.shape, D).

    ids may be an integer array on W's device, a Variable of integers or a list; it gets no gradient. The
    gradient to W scatters back into the rows used, adding up where an id repeats. The range check reads
    ``min(ids)`` and ``max(ids)``: a host synchronisation on a GPU.
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
