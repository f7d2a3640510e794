"""Normalisation.

Both ops normalise with the *biased* variance (divided by the count) and are composed from differentiable
ops, so the gradient flows through the statistics.
"""
import math

from autograd import config
from autograd._checks import check_eps, check_momentum
from autograd.backend import DeviceError, device_of, dtype_name
from autograd.function.elementwise import astype
from autograd.function.reduction import is_float16, mean
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
    """Batch normalisation per channel (axis 1): `y = gamma · (x - mean) / √(var + eps) + beta`.

    x is `(N, C)` or `(N, C, H, W)`, gamma and beta `(C,)`; a channel's statistics are over its m values. In
    training they are the batch's, and `running_mean` and `running_var` (if given) are updated in place, outside
    the graph: `running = (1 - momentum) · running + momentum · stat`, where running_var takes the *unbiased*
    batch variance (times m / (m - 1), PyTorch's convention); m must be > 1. In test mode the running statistics
    (required) normalise and stay unchanged. The op of [BatchNorm][autograd.layer.BatchNorm].

    Args:
        running_mean (array | None): a raw floating `(C,)` array on x's device (not a Variable: pass `.data`),
            keeping its dtype; typically zeros at the start. Give both running statistics or neither.
        running_var (array | None): likewise; typically ones at the start.
        momentum (float): the new batch's weight, in [0, 1]; typically 0.1 (PyTorch's).
        eps (float): added to the variance, > 0; typically 1e-5.
        training (bool | None): None reads [is_training][autograd.config.is_training] (False in
            [test_mode][autograd.config.test_mode]).

    Raises:
        TypeError: a running statistic is a Variable, not a raw array.
        DeviceError: a running statistic is on another device than `x`.

    Examples:
        >>> import numpy as np
        >>> import autograd
        >>> from autograd import Variable, to_host
        >>> x, gamma, beta = Variable([[1.0, 2.0], [3.0, 6.0]]), np.ones(2), np.zeros(2)
        >>> mean, var = np.zeros(2), np.ones(2)
        >>> to_host(F.batch_norm(x, gamma, beta, mean, var)).round(3).tolist()
        [[-1.0, -1.0], [1.0, 1.0]]
        >>> mean.round(4).tolist(), var.round(4).tolist()   # 0.9 · running + 0.1 · stat
        ([0.2, 0.4], [1.1, 1.7])
        >>> with autograd.test_mode():                      # (1 - 0.2) / √1.1
        ...     z = F.batch_norm(x, gamma, beta, mean, var)
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
    momentum = check_momentum("batch_norm", momentum)  # Python floats: NumPy scalars do not mix with sim arrays
    eps = check_eps("batch_norm", eps)
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
        work = xp.float32 if is_float16(x) else x.dtype  # float16 statistics beyond 65,504 would be inf
        mu = xp.reshape(xp.astype(running_mean, work), stat_shape)
        inv_std = xp.reshape(1.0 / xp.sqrt(xp.astype(running_var, work) + eps), stat_shape)
        return astype((astype(x, work) - mu) * inv_std, x.dtype) * g + b  # mu, inv_std: constants of the graph

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
    """Layer normalisation over the trailing `gamma.ndim` axes, for each leading index apart:
    `y = gamma · (x - mean) / √(var + eps) + beta`.

    gamma and beta have the normalised shape `x.shape[-gamma.ndim:]` (at least 1-D). No running statistics: the
    same in training and test mode. The op of [LayerNorm][autograd.layer.LayerNorm].

    Examples:
        >>> import numpy as np
        >>> from autograd import to_host
        >>> y = F.layer_norm(np.array([[1.0, 3.0], [2.0, 6.0]]), np.ones(2), np.zeros(2))   # rows: mean 0, var 1
        >>> to_host(y).round(3).tolist()
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
    eps = check_eps("layer_norm", eps)
    return _standardize(x, tuple(range(x.ndim - k, x.ndim)), eps)[2] * gamma + beta


def _standardize(x, axes, eps):
    """(mean, biased variance, (x - mean) / sqrt(var + eps)) over `axes`, which stay as axes of size 1. float16
    is standardised in float32 (its variance overflows from 65,504, a std of 256), the statistics kept in float32
    and the result rounded back to float16, as PyTorch's half-precision normalisation does."""
    half = is_float16(x)
    if half:
        x = astype(x, "float32")
    mu = mean(x, axes, keepdims=True)
    d = x - mu
    var = mean(d * d, axes, keepdims=True)  # biased: divided by the count
    z = d * (var + eps) ** -0.5
    return mu, var, astype(z, "float16") if half else z
