"""Random sampling: draws made on the device, from its random stream, which [seed][autograd.backend.seed]
reseeds. Not differentiable: the results are integer constants."""
import math

from autograd._checks import flag, integer
from autograd.backend import dtype_name, to_host
from autograd.function.reduction import is_float16
from autograd.variable import Variable, as_variable

__all__ = ["multinomial"]


def multinomial(probs, num_samples=1, replacement=False):
    """Indices drawn from categorical distributions, as `torch.multinomial`: category `k` of a row with
    probability `probs[k] / Σ probs` (the weights need not sum to 1).

    Without replacement each row's samples are distinct, drawn one after the other among the categories not yet
    drawn (as by "exponential clocks": the `num_samples` smallest of `Exp(probs[k])` draws); with replacement
    they are independent (by inverting the cumulative distribution). A category of weight 0 is never drawn. The
    draws come from `probs`' device's generator (the host's for cpu and sim: the same indices on both).

    The weights are checked, a sum on the device and one wait for it, before drawing (PyTorch checks them too).
    With replacement the draw compares each sample with every category: memory `rows · num_samples · categories`.

    Args:
        probs (Variable | array): non-negative finite weights, a floating 1-d array of categories or a 2-d
            `(rows, categories)` one, one distribution per row. Typical use: `F.softmax(logits / temperature)`
            in a language model's sampling loop.
        num_samples (int): how many indices to draw per row, at least 1; at most the number of categories with a
            non-zero weight without replacement.
        replacement (bool): draw with replacement. Default False, as in PyTorch.

    Returns:
        Variable: int64 indices of shape `(num_samples,)` or `(rows, num_samples)`, on `probs`' device, without a
        gradient.

    Raises:
        ValueError: `probs` is not 1-d or 2-d, has no category, a negative, infinite or NaN weight, or a row of
            zeros; or too few non-zero categories for `num_samples` without replacement.
        TypeError: `probs` is not floating point.

    Examples:
        >>> import autograd
        >>> from autograd import Variable, to_host
        >>> autograd.seed(0)
        >>> i = F.multinomial(Variable([0.0, 10.0, 0.0, 30.0]), 2)
        >>> sorted(to_host(i).tolist()), str(i.dtype), i.requires_grad   # weight 0: never drawn
        ([1, 3], 'int64', False)
        >>> to_host(F.multinomial(Variable([[1.0, 0.0], [0.0, 1.0]]), 3, replacement=True)).tolist()
        [[0, 0, 0], [1, 1, 1]]
    """
    probs = as_variable(probs)
    num_samples = integer(num_samples, "multinomial: num_samples")
    replacement = flag(replacement, "multinomial: replacement")
    shape = tuple(probs.shape)
    if probs.ndim not in (1, 2):
        raise ValueError(f"multinomial: probs must be 1-d (categories) or 2-d (rows, categories), got shape {shape}")
    if not probs.xp.isdtype(probs.dtype, "real floating"):
        raise TypeError(f"multinomial: probs must be a floating-point array, got dtype {dtype_name(probs.dtype)}")
    categories = shape[-1]
    if categories == 0:
        raise ValueError(f"multinomial: probs of shape {shape} has no category to draw")
    if num_samples < 1:
        raise ValueError(f"multinomial: num_samples must be at least 1, got {num_samples}")
    if not replacement and num_samples > categories:
        raise ValueError(f"multinomial: cannot draw {num_samples} samples without replacement from {categories} "
                         f"categories (probs of shape {shape}); pass replacement=True")
    device, xp = probs.device, probs.xp
    w = xp.reshape(probs.data, (-1, categories))
    if is_float16(w):  # cumulative sums of float16 weights lose the small ones
        w = xp.astype(w, xp.float32)
    _check_weights(xp, w, 1 if replacement else num_samples, shape)
    rows = w.shape[0]
    if replacement:  # sample k where cdf[k - 1] <= u < cdf[k]: the count of cdf values <= u
        cdf = xp.cumulative_sum(w, axis=1)
        cdf = cdf / cdf[:, -1:]  # the last value (and those after the last non-zero weight) exactly 1 > u
        u = device.uniform((rows, num_samples), w.dtype)
        index = xp.sum(xp.astype(cdf[:, None, :] <= u[:, :, None], xp.int64), axis=2)
    else:  # the order in which clocks Exp(w_k) ring is a draw without replacement; weight 0 never rings
        positive = w > 0
        ring = -xp.log1p(-device.uniform((rows, categories), w.dtype)) / xp.where(positive, w, 1.0)
        ring = xp.where(positive, ring, math.inf)
        index = xp.astype(xp.argsort(ring, axis=1, stable=True)[:, :num_samples], xp.int64)
    return Variable(xp.reshape(index, shape[:-1] + (num_samples,)), requires_grad=False)


def _check_weights(xp, w, needed, shape):
    """ValueError unless every weight is finite and non-negative and every row has `needed` non-zero ones: one
    reduction on the device, and one wait for its result (the error's details take more)."""
    nonzero = xp.sum(xp.astype(w > 0, xp.int32), axis=1)
    valid = xp.all(xp.isfinite(w) & (w >= 0), axis=1)
    if bool(xp.all(valid & (nonzero >= needed))):
        return
    valid, nonzero = to_host(valid).tolist(), to_host(nonzero).tolist()
    bad = valid.index(False) if not all(valid) else next(i for i, n in enumerate(nonzero) if n < needed)
    where = "probs" if len(shape) == 1 else f"row {bad} of probs"
    if not valid[bad]:
        raise ValueError(f"multinomial: {where} (shape {shape}) holds a negative, infinite or NaN weight; "
                         f"the weights must be finite and non-negative")
    if nonzero[bad] == 0:
        raise ValueError(f"multinomial: {where} (shape {shape}) is all zeros: it has nothing to draw")
    raise ValueError(f"multinomial: {where} (shape {shape}) has {nonzero[bad]} non-zero weights, too few for "
                     f"{needed} samples without replacement")
