"""Normalisation: batch_norm (statistics per channel over the batch) and layer_norm (over trailing axes).

Both are composed from differentiable ops (mean, sub, mul, pow), so their gradients of any order come for free.
"""
import math

from autograd import config
from autograd.backend import DeviceError, device_of, dtype_name
from autograd.function.reduction import mean
from autograd.function.shape import reshape
from autograd.variable import Variable, as_variable


def _check_floating(x, op, what):
    if not x.xp.isdtype(x.dtype, "real floating"):
        raise TypeError(f"{op}: {what} must be a floating-point array, got dtype {dtype_name(x.dtype)}")


def check_momentum_eps(op, momentum, eps):
    """momentum in [0, 1] (None: not used) and eps > 0; the layers check theirs at construction too."""
    if momentum is not None and not 0.0 <= momentum <= 1.0:
        raise ValueError(f"{op}: momentum must be in [0, 1], got {momentum!r}")
    if not eps > 0:
        raise ValueError(f"{op}: eps must be > 0, got {eps!r}")


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
    """Batch normalisation, per channel: y = gamma * (x - mean) / sqrt(var + eps) + beta.

    x is (N, C) or (N, C, H, W); gamma and beta are (C,). The statistics of channel c are taken over every
    axis but C (N, or N, H and W). ``training=None`` reads :func:`autograd.config.is_training` (False inside
    ``test_mode()``).

    - Training: mean and *biased* variance of the batch (divided by the count m). If ``running_mean`` and
      ``running_var`` are given (raw (C,) arrays on x's device, not Variables) they are updated in place,
      outside the graph: ``running = (1 - momentum) * running + momentum * batch_stat``, where running_var
      takes the *unbiased* batch variance (times m / (m - 1)), PyTorch's convention. They keep their dtype.
      Needs more than one value per channel (m > 1).
    - Test mode: normalises with ``running_mean`` and ``running_var`` (both required), which are not changed.
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
    check_momentum_eps("batch_norm", momentum, eps)
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
    """Layer normalisation over the trailing ``gamma.ndim`` axes of x:
    y = gamma * (x - mean) / sqrt(var + eps) + beta, with the mean and biased variance over those axes.

    gamma and beta have the shape of those trailing axes (``x.shape[-gamma.ndim:]``); y has x's shape.
    The same in training and test mode.
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
    check_momentum_eps("layer_norm", None, eps)
    return _standardize(x, tuple(range(x.ndim - k, x.ndim)), eps)[2] * gamma + beta


def _standardize(x, axes, eps):
    """(mean, biased variance, (x - mean) / sqrt(var + eps)) over ``axes``, which stay as axes of size 1."""
    mu = mean(x, axes, keepdims=True)
    d = x - mu
    var = mean(d * d, axes, keepdims=True)  # biased: divided by the count
    return mu, var, d * (var + eps) ** -0.5
