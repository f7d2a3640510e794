"""Attention."""
import math

from autograd._checks import flag, number
from autograd.backend import DeviceError, device_of, dtype_name
from autograd.function.activation import softmax
from autograd.function.dropout import dropout as dropout_op
from autograd.function.elementwise import astype, where
from autograd.function.linalg import matmul
from autograd.function.shape import matrix_transpose
from autograd.variable import as_variable

__all__ = ["scaled_dot_product_attention"]

_OP = "scaled_dot_product_attention"


def scaled_dot_product_attention(query, key, value, mask=None, *, is_causal=False, dropout=0.0, scale=None):
    """Attention: `y = dropout(softmax(q kᵀ · scale + bias)) v`, the softmax over the keys (the last axis).

    Shapes: query `(..., L, E)`, key `(..., S, E)`, value `(..., S, Ev)` -> `(..., L, Ev)`; the leading axes
    broadcast (batch, heads). The gradient flows to query, key, value and a float mask, through the same ops, so
    second order works.

    Args:
        mask: broadcasts to the scores `(..., L, S)`. **Boolean: True means the key takes part** (PyTorch's
            `attn_mask` convention for this function; the opposite of `nn.MultiheadAttention`'s boolean masks),
            False entries get the score -inf. **Floating**: added to the scores (cast to the query's dtype;
            -inf entries exclude a key, like False).
        is_causal (bool): the lower-triangular mask `j <= i` (query i sees keys 0..i); with `mask` too, a
            ValueError (as PyTorch).
        dropout (float): the probability of zeroing an attention weight, in [0, 1), applied with
            [F.dropout][autograd.function.dropout], so **only in training mode** (a no-op in
            [test_mode][autograd.config.test_mode]; PyTorch's function applies `dropout_p` always).
        scale (float | None): the factor of the scores; None gives `1 / √E`.

    A query whose keys are all masked out gets zeros (output and gradient), not NaN, as PyTorch's own (math)
    implementation gives with its safe softmax. Deliberate differences from PyTorch's signature: `mask` and
    `dropout` for `attn_mask` and `dropout_p`, and the arguments after `mask` are keywords, so a call written
    with PyTorch's positional order fails loudly instead of swapping them.

    Examples:
        >>> import numpy as np
        >>> from autograd import to_host
        >>> q = k = np.array([[1.0, 0.0], [0.0, 1.0]])
        >>> v = np.array([[1.0, 2.0], [3.0, 4.0]])
        >>> to_host(F.scaled_dot_product_attention(q, k, v, is_causal=True)).round(4).tolist()   # row 0 sees key 0
        [[1.0, 2.0], [2.3395, 3.3395]]
    """
    q, k, v = as_variable(query), as_variable(key), as_variable(value)
    for label, x in (("query", q), ("key", k), ("value", v)):
        if x.ndim < 2:
            raise ValueError(f"{_OP}: {label} must have at least 2 axes (..., length, features), got shape {x.shape}")
        if not x.xp.isdtype(x.dtype, "real floating"):
            raise TypeError(f"{_OP}: {label} must be a floating-point array, got dtype {dtype_name(x.dtype)}")
    if k.shape[-1] != q.shape[-1]:
        raise ValueError(f"{_OP}: query of shape {q.shape} and key of shape {k.shape} must have the same last axis")
    if v.shape[-2] != k.shape[-2]:
        raise ValueError(f"{_OP}: key of shape {k.shape} and value of shape {v.shape} must have the same "
                         "length (axis -2)")
    is_causal = flag(is_causal, f"{_OP}: is_causal")
    p = number(f"{_OP}: dropout", dropout, 0.0, 1.0, high_open=True)
    if scale is None:
        scale = 1.0 / math.sqrt(q.shape[-1])
    scale = number(f"{_OP}: scale", scale, -math.inf, math.inf, low_open=True, high_open=True)

    scores = matmul(q, matrix_transpose(k)) * scale
    scores, keep, dead = _apply_mask(scores, mask, is_causal)
    if keep is not None:
        scores = where(keep if dead is None else keep | dead, scores, -math.inf)
    weights = softmax(scores, axis=-1)
    if dead is not None:  # a row of -inf would give 0/0: its scores were left finite above, its weights are 0
        weights = where(dead, 0.0, weights)
    return matmul(dropout_op(weights, p), v)


def _apply_mask(scores, mask, is_causal):
    """(scores plus a float mask's finite part, keep: a boolean array, True where a key takes part, or None for
    all, dead: the rows of keep without any True (None when there can be none))."""
    device, (L, S) = scores.device, scores.shape[-2:]
    xp = device.xp
    if is_causal:
        if mask is not None:
            raise ValueError(f"{_OP}: give mask or is_causal=True, not both")
        rows, cols = xp.arange(L, device=device.where), xp.arange(S, device=device.where)
        return scores, rows[:, None] >= cols[None, :], None  # key 0 is always kept: no dead row
    if mask is None:
        return scores, None, None
    m = as_variable(mask)
    if m.device != device:
        raise DeviceError(f"{_OP}: mask is on {m.device} but the scores are on {device}; arrays do not move "
                          "implicitly")
    if _broadcast(m.shape, scores.shape) != scores.shape:
        raise ValueError(f"{_OP}: mask of shape {m.shape} does not broadcast to the scores' shape {scores.shape} "
                         "(..., L, S)")
    if xp.isdtype(m.dtype, "bool"):
        keep = m.data
    elif xp.isdtype(m.dtype, "real floating"):
        excluded = xp.isinf(m.data) & (m.data < 0)
        keep = ~excluded
        scores = scores + where(excluded, 0.0, astype(m, dtype_name(scores.dtype)))
    else:
        raise TypeError(f"{_OP}: mask must be boolean or floating-point, got dtype {dtype_name(m.dtype)}")
    return scores, keep, ~xp.any(keep, axis=-1, keepdims=True)


def _broadcast(a, b):
    """NumPy's broadcast of two shapes, or None if they do not broadcast."""
    n = max(len(a), len(b))
    a, b = (1,) * (n - len(a)) + tuple(a), (1,) * (n - len(b)) + tuple(b)
    if any(x != y and 1 not in (x, y) for x, y in zip(a, b)):
        return None
    return tuple(max(x, y) for x, y in zip(a, b))
