"""Normalisation: statistics per channel over the batch, or over the trailing axes.

Both are composed from differentiable ops (mean, sub, mul, pow), so their gradients of any order come for free.
"""
import math

from autograd import config
from autograd._checks import check_eps, check_momentum
from autograd.backend import DeviceError, device_of, dtype_name
from autograd.function.reduction import mean
from autograd.function.shape import reshape
from autograd.variable import Variable, as_variable

__all__ = ["batch_norm", "layer_norm"]


def _check_floating(x, op, what):
    if not x.xp.isdtype(x.dtype, "real floating"):
        raise TypeError(f"{op}: {what} must be a floating-point array, got dtype {dtype_name(x.dtype)}")


def _check_running(stat, name, x, channels):
    """A running statistic: a raw floating array of shape (C,) on x's device."""
    if isinstance(stat, Variable):
        raise TypeError(f"batch_norm: {name} must be a raw array (it is updated in place, outside the graph), "
                        "not a Variable; pass its .data")
    try:
        device = device_of(stat)
    except TypeError:
        raise TypeError(f"batch_norm: {name} must be an array, got {type(stat).__name__}") from None
    if device != x.device:
        raise DeviceError(f"batch_norm: {name} is on {device} but x is on {x.device}")
    if tuple(stat.shape) != (channels,):
        raise ValueError(f"batch_norm: {name} must have shape ({channels},) for x of shape {x.shape}, "
                         f"got {tuple(stat.shape)}")
    if not device.xp.isdtype(stat.dtype, "real floating"):
        raise TypeError(f"batch_norm: {name} must be a floating-point array, got dtype {dtype_name(stat.dtype)}")


def batch_norm(x, gamma, beta, running_mean=None, running_var=None, momentum=0.1, eps=1e-5, training=None):
    """Batch normalisation, per channel (axis 1): `y = gamma · (x - mean) / √(var + eps) + beta`.

    x is `(N, C)` or `(N, C, H, W)`; gamma and beta are `(C,)`. The statistics of channel c are taken over
    every axis but C (N, or N, H and W: m values). `training=None` reads
    [is_training][autograd.config.is_training], which is False inside [test_mode][autograd.config.test_mode].
    The op of [BatchNorm][autograd.layer.BatchNorm].

    - Training: mean and *biased* variance of the batch (divided by m); the gradient flows through them to x,
      and to gamma and beta. If `running_mean` and `running_var` are given they are updated in place, outside
      the graph: `running = (1 - momentum) · running + momentum · batch_stat`, where running_var takes the
      *unbiased* batch variance (times m / (m - 1)), PyTorch's convention. They keep their dtype. Needs more
      than one value per channel (m > 1).
    - Test mode: normalises with `running_mean` and `running_var` (both required), which are constants of the
      graph and are not changed.

    Args:
        x (Variable | array): the input, `(N, C)` or `(N, C, H, W)`, floating point.
        gamma (Variable | array): the scale per channel, `(C,)`. Typically ones at the start.
        beta (Variable | array): the shift per channel, `(C,)`. Typically zeros at the start.
        running_mean (array | None): the running mean, a raw floating `(C,)` array on x's device (not a
            Variable: pass `.data`), or None. Typically zeros at the start.
        running_var (array | None): the running variance, likewise. Typically ones at the start.
        momentum (float): the weight of the new batch in the running statistics, in [0, 1].
            Typical values: `0.1` (the default, as in PyTorch), `0.01`.
        eps (float): added to the variance, > 0. Typical values: `1e-5`.
        training (bool | None): True for batch statistics, False for the running ones, None to read
            [is_training][autograd.config.is_training].

    Returns:
        (Variable): the normalised values, of `x`'s shape.

    Raises:
        ValueError: `x` is not 2-D or 4-D, gamma, beta or a running statistic is not `(C,)`, only one running
            statistic is given, `momentum` is not in [0, 1], `eps` is not positive, training sees one value per
            channel, or test mode has no running statistics.
        TypeError: `x` or a running statistic is not floating point, or a running statistic is a Variable
            or not an array.
        DeviceError: a running statistic is on another device than x.

    Examples:
        >>> import numpy as np
        >>> import autograd
        >>> import autograd.function as F
        >>> from autograd import Variable, to_host
        >>> x = Variable([[1.0, 2.0], [3.0, 6.0]])
        >>> gamma, beta = np.ones(2), np.zeros(2)
        >>> running_mean, running_var = np.zeros(2), np.ones(2)
        >>> y = F.batch_norm(x, gamma, beta, running_mean, running_var)
        >>> [[round(v, 3) for v in row] for row in to_host(y).tolist()]
        [[-1.0, -1.0], [1.0, 1.0]]
        >>> [round(v, 4) for v in running_mean.tolist()], [round(v, 4) for v in running_var.tolist()]
        ([0.2, 0.4], [1.1, 1.7])
        >>> with autograd.test_mode():                      # (1 - 0.2) / √1.1
        ...     z = F.batch_norm(x, gamma, beta, running_mean, running_var)
        >>> round(to_host(z)[0, 0].item(), 4)
        0.7628
    """
    x, gamma, beta = as_variable(x), as_variable(gamma), as_variable(beta)
    if x.ndim not in (2, 4):
        raise ValueError(f"batch_norm: x must be (N, C) or (N, C, H, W), got shape {x.shape}")
    _check_floating(x, "batch_norm", "x")
    channels = x.shape[1]
    for name, p in (("gamma", gamma), ("beta", beta)):
        if p.shape != (channels,):
            raise ValueError(f"batch_norm: {name} must have shape ({channels},) for x of shape {x.shape} "
                             f"(channels on axis 1), got {p.shape}")
    check_momentum("batch_norm", momentum)
    check_eps("batch_norm", eps)
    if (running_mean is None) != (running_var is None):
        raise ValueError("batch_norm: give both running_mean and running_var, or neither")
    if running_mean is not None:
        _check_running(running_mean, "running_mean", x, channels)
        _check_running(running_var, "running_var", x, channels)
    if training is None:
        training = config.is_training()

    axes = (0,) + tuple(range(2, x.ndim))
    stat_shape = (1, channels) + (1,) * (x.ndim - 2)  # broadcasts against x
    g, b = reshape(gamma, stat_shape), reshape(beta, stat_shape)
    xp = x.xp

    if not training:
        if running_mean is None:
            raise ValueError("batch_norm: test mode normalises with the running statistics; "
                             "running_mean and running_var are required")
        mu = xp.reshape(xp.astype(running_mean, x.dtype), stat_shape)
        inv_std = xp.reshape(1.0 / xp.sqrt(xp.astype(running_var, x.dtype) + eps), stat_shape)
        return (x - mu) * (g * inv_std) + b  # mu and inv_std are constants of the graph

    m = math.prod(x.shape[a] for a in axes)
    if m < 2:
        raise ValueError(f"batch_norm: training needs more than one value per channel, got x of shape {x.shape}")
    mu, var, z = _standardize(x, axes, eps)
    y = z * g + b

    if running_mean is not None:  # raw arrays: no graph is recorded
        for stat, batch in ((running_mean, mu.data), (running_var, var.data * (m / (m - 1)))):
            batch = xp.astype(xp.reshape(batch, (channels,)), stat.dtype)
            stat[...] = (1.0 - momentum) * stat + momentum * batch
    return y


def layer_norm(x, gamma, beta, eps=1e-5):
    """Layer normalisation over the trailing `gamma.ndim` axes of x, separately for each leading index:

        y = gamma · (x - mean) / √(var + eps) + beta

    with the mean and *biased* variance over those trailing axes. gamma and beta have their shape
    (`x.shape[-gamma.ndim:]`); y has x's shape. The same in training and test mode (no running statistics).
    The op of [LayerNorm][autograd.layer.LayerNorm]; the gradient flows through the statistics.

    Args:
        x (Variable | array): the input, floating point, `(..., *normalized_shape)`.
        gamma (Variable | array): the scale, of the normalised trailing shape, at least 1-D. Typically ones.
        beta (Variable | array): the shift, of gamma's shape. Typically zeros.
        eps (float): added to the variance, > 0. Typical values: `1e-5`.

    Returns:
        (Variable): the normalised values, of `x`'s shape.

    Raises:
        TypeError: `x` is not floating point.
        ValueError: gamma is 0-d or does not match x's trailing axes, beta's shape differs from gamma's, or
            `eps` is not positive.

    Examples:
        >>> import numpy as np
        >>> import autograd.function as F
        >>> from autograd import Variable, to_host
        >>> x = Variable([[1.0, 3.0], [2.0, 6.0]])
        >>> y = F.layer_norm(x, np.ones(2), np.zeros(2))    # each row: mean 0, variance 1
        >>> [[round(v, 3) for v in row] for row in to_host(y).tolist()]
        [[-1.0, 1.0], [-1.0, 1.0]]
    """
    x, gamma, beta = as_variable(x), as_variable(gamma), as_variable(beta)
    _check_floating(x, "layer_norm", "x")
    k = gamma.ndim
    if k == 0:
        raise ValueError("layer_norm: gamma must have at least one axis (the normalised trailing axes)")
    if x.ndim < k or x.shape[x.ndim - k:] != gamma.shape:
        raise ValueError(f"layer_norm: gamma of shape {gamma.shape} must match the trailing axes of x, "
                         f"got x of shape {x.shape}")
    if beta.shape != gamma.shape:
        raise ValueError(f"layer_norm: beta must have gamma's shape {gamma.shape}, got {beta.shape}")
    check_eps("layer_norm", eps)
    return _standardize(x, tuple(range(x.ndim - k, x.ndim)), eps)[2] * gamma + beta


def _standardize(x, axes, eps):
    """(mean, biased variance, (x - mean) / sqrt(var + eps)) over `axes`, which stay as axes of size 1."""
    mu = mean(x, axes, keepdims=True)
    d = x - mu
    var = mean(d * d, axes, keepdims=True)  # biased: divided by the count
    return mu, var, d * (var + eps) ** -0.5
