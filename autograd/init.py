"""Initialisation of parameters, as `torch.nn.init`: each function fills a Parameter (or any floating Variable)
in place with numbers of a distribution, on its device and in its dtype, and returns it.

The numbers are drawn on the host, in float64, from the stream that [seed][autograd.backend.seed] seeds (the
one the layers' default weights come from), then written into the parameter's own array: `autograd.seed(n)`
gives the same values on every device. A fill is an in-place write: it raises the parameter's version, so a
graph recorded before it refuses its backward pass. Any of them can be handed to a layer as its
`initializer` ([Linear][autograd.layer.Linear], [Conv2d][autograd.layer.Conv2d]), with arguments bound by a
`lambda` or `functools.partial`.

**Fans.** The scaled initialisations read the fans of the weight from its shape:

- 2 axes, `(in, out)`, the layout of [Linear][autograd.layer.Linear]'s W (`y = x W`): `fan_in = shape[0]`,
  `fan_out = shape[1]`. PyTorch's Linear stores `(out, in)` and reads `fan_in = shape[1]`; the rule here
  follows this library's layout, so that a ported `kaiming_normal_(lin.W)` scales by the inputs as it does in
  PyTorch.
- 3 or more axes, `(out, in, *kernel)`, the layout of [Conv2d][autograd.layer.Conv2d]'s W, as PyTorch:
  `fan_in = shape[1] · receptive field`, `fan_out = shape[0] · receptive field`, the receptive field being the
  product of the kernel's axes (for ConvTranspose2d's `(in, out, kh, kw)` the two swap, as in PyTorch).

Examples:
    >>> import autograd
    >>> from autograd import Parameter, init, to_host
    >>> W = Parameter([[0.0, 0.0, 0.0], [0.0, 0.0, 0.0]])
    >>> _ = init.uniform_(W, -0.1, 0.1)
    >>> bool((abs(to_host(W)) <= 0.1).all()), W.version
    (True, 1)
"""
from __future__ import annotations

import math

from autograd.backend import CPU, dtype_name, host_rng
from autograd.variable import Variable

__all__ = ["calculate_gain", "constant_", "kaiming_normal_", "kaiming_uniform_", "normal_", "ones_", "orthogonal_",
           "uniform_", "xavier_normal_", "xavier_uniform_", "zeros_"]

_LINEAR = ("linear", "conv1d", "conv2d", "conv3d", "conv_transpose1d", "conv_transpose2d", "conv_transpose3d",
           "sigmoid")


def calculate_gain(nonlinearity, param=None):
    """The recommended gain for a nonlinearity, PyTorch's values: 1 for `"linear"`, the `"conv*"` ones and
    `"sigmoid"`; 5/3 for `"tanh"`; √2 for `"relu"`; `√(2 / (1 + slope²))` for `"leaky_relu"` (`param` the
    negative slope, 0.01 by default); 3/4 for `"selu"`.

    Raises:
        ValueError: an unknown nonlinearity, or a slope that is not a number.

    Examples:
        >>> from autograd import init
        >>> round(init.calculate_gain("tanh"), 4), round(init.calculate_gain("leaky_relu", 0.2), 4)
        (1.6667, 1.3868)
    """
    if nonlinearity in _LINEAR:
        return 1.0
    if nonlinearity == "tanh":
        return 5.0 / 3
    if nonlinearity == "relu":
        return math.sqrt(2.0)
    if nonlinearity == "leaky_relu":
        if param is None:
            slope = 0.01
        elif isinstance(param, (int, float)) and not isinstance(param, bool):
            slope = param
        else:
            raise ValueError(f"calculate_gain: the negative slope of leaky_relu must be a number, got {param!r}")
        return math.sqrt(2.0 / (1 + slope ** 2))
    if nonlinearity == "selu":
        return 3.0 / 4
    raise ValueError(f"calculate_gain: unsupported nonlinearity {nonlinearity!r}; expected one of "
                     f"{', '.join(_LINEAR)}, tanh, relu, leaky_relu, selu")


def uniform_(p, a=0.0, b=1.0):
    """Fill `p` with numbers drawn uniformly from [a, b).

    Raises:
        ValueError: `a > b`.
    """
    _check(p, "uniform_")
    if not a <= b:
        raise ValueError(f"uniform_: a must not exceed b, got a={a}, b={b}")
    return _write(p, host_rng().uniform(a, b, p.shape))


def normal_(p, mean=0.0, std=1.0):
    """Fill `p` with numbers drawn from the normal distribution N(mean, std²).

    Raises:
        ValueError: `std < 0`.
    """
    _check(p, "normal_")
    if not std >= 0:
        raise ValueError(f"normal_: std must be >= 0, got {std}")
    return _write(p, host_rng().standard_normal(p.shape) * std + mean)


def constant_(p, val):
    """Fill `p` with the number `val`."""
    _check(p, "constant_")
    xp = p.xp
    return _write(p, xp.full(p.shape, val, dtype=p.dtype, device=p.device.where), on_host=False)


def zeros_(p):
    """Fill `p` with zeros."""
    return constant_(p, 0.0)


def ones_(p):
    """Fill `p` with ones."""
    return constant_(p, 1.0)


def xavier_uniform_(p, gain=1.0):
    """Glorot's uniform initialisation: U(-a, a) with `a = gain · √(6 / (fan_in + fan_out))`, keeping the
    variance of activations and gradients alike through a layer.

    Raises:
        ValueError: `p` has fewer than 2 axes (no fans).

    Examples:
        >>> from autograd import Parameter, init, to_host
        >>> W = init.xavier_uniform_(Parameter([[0.0] * 4] * 2))  # a = √(6/6) = 1
        >>> bool((abs(to_host(W)) <= 1.0).all())
        True
    """
    fan_in, fan_out = _fans(p, "xavier_uniform_")
    bound = gain * math.sqrt(6.0 / (fan_in + fan_out))
    return _write(p, host_rng().uniform(-bound, bound, p.shape))


def xavier_normal_(p, gain=1.0):
    """Glorot's normal initialisation: N(0, std²) with `std = gain · √(2 / (fan_in + fan_out))`.

    Raises:
        ValueError: `p` has fewer than 2 axes (no fans).
    """
    fan_in, fan_out = _fans(p, "xavier_normal_")
    std = gain * math.sqrt(2.0 / (fan_in + fan_out))
    return _write(p, host_rng().standard_normal(p.shape) * std)


def kaiming_uniform_(p, a=0, mode="fan_in", nonlinearity="leaky_relu"):
    """He's uniform initialisation: U(-bound, bound) with `bound = gain · √(3 / fan)`, `gain` from
    [calculate_gain][autograd.init.calculate_gain]`(nonlinearity, a)` (a: the negative slope of a leaky ReLU;
    the defaults give √2, ReLU's gain) and `fan` the `mode`'s, `"fan_in"` (keeps the forward pass's variance)
    or `"fan_out"` (the backward pass's).

    Raises:
        ValueError: `p` has fewer than 2 axes; an unknown mode or nonlinearity.
    """
    std = _kaiming_std(p, a, mode, nonlinearity, "kaiming_uniform_")
    bound = math.sqrt(3.0) * std
    return _write(p, host_rng().uniform(-bound, bound, p.shape))


def kaiming_normal_(p, a=0, mode="fan_in", nonlinearity="leaky_relu"):
    """He's normal initialisation: N(0, std²) with `std = gain / √fan`, gain and fan as in
    [kaiming_uniform_][autograd.init.kaiming_uniform_].

    Raises:
        ValueError: `p` has fewer than 2 axes; an unknown mode or nonlinearity.
    """
    std = _kaiming_std(p, a, mode, nonlinearity, "kaiming_normal_")
    return _write(p, host_rng().standard_normal(p.shape) * std)


def orthogonal_(p, gain=1.0):
    """Fill `p` with a (semi-)orthogonal matrix times `gain`, Saxe et al.'s initialisation, as PyTorch makes it:
    `p` seen as `(rows, cols) = (shape[0], size / shape[0])`, the Q of the QR decomposition of a standard
    normal matrix, its columns' signs fixed by R's diagonal (so Q is uniformly distributed). Then
    `W Wᵀ = gain² I` when rows <= cols, `Wᵀ W = gain² I` otherwise.

    Raises:
        ValueError: `p` has fewer than 2 axes.

    Examples:
        >>> from autograd import Parameter, init, to_host
        >>> W = to_host(init.orthogonal_(Parameter([[0.0] * 3] * 2), gain=2.0))
        >>> [[round(float(v), 6) + 0.0 for v in row] for row in W @ W.T]  # + 0.0: no -0.0
        [[4.0, 0.0], [0.0, 4.0]]
    """
    _check(p, "orthogonal_")
    if p.ndim < 2:
        raise ValueError(f"orthogonal_: only Variables of 2 or more axes are supported, got shape {p.shape}")
    if p.size == 0:
        return p
    rows = p.shape[0]
    cols = p.size // rows
    flat = host_rng().standard_normal((rows, cols))
    if rows < cols:
        flat = flat.T
    xp = CPU.xp  # on the host: the same matrix on every device
    q, r = xp.linalg.qr(flat)
    q = q * xp.sign(xp.linalg.diagonal(r))
    if rows < cols:
        q = q.T
    return _write(p, xp.reshape(q, p.shape) * gain)


def _check(p, op):
    if not isinstance(p, Variable):
        raise TypeError(f"{op}: expects a Parameter or Variable to fill in place, got {type(p).__name__}")
    if not p.xp.isdtype(p.dtype, "real floating"):
        raise TypeError(f"{op}: fills floating-point data; this Variable (shape {p.shape}) holds "
                        f"{dtype_name(p.dtype)}")


def _fans(p, op):
    """(fan_in, fan_out) of a weight, by the rule of the module's docstring."""
    _check(p, op)
    if p.ndim < 2:
        raise ValueError(f"{op}: fan in and fan out can not be computed for a Variable of fewer than 2 axes, got "
                         f"shape {p.shape}")
    if p.ndim == 2:
        return p.shape[0], p.shape[1]
    receptive = math.prod(p.shape[2:])
    return p.shape[1] * receptive, p.shape[0] * receptive


def _kaiming_std(p, a, mode, nonlinearity, op):
    if mode not in ("fan_in", "fan_out"):
        raise ValueError(f"{op}: mode must be 'fan_in' or 'fan_out', got {mode!r}")
    fan_in, fan_out = _fans(p, op)
    fan = fan_in if mode == "fan_in" else fan_out
    return calculate_gain(nonlinearity, a) / math.sqrt(fan) if fan else 0.0


def _write(p, values, on_host=True):
    """Write `values` (host float64 numbers, or an array of p's device) into p's own array, in its dtype, and
    raise its version: an in-place update."""
    device = p.device
    if on_host:
        values = device.from_host(values)
    p.data[...] = device.xp.astype(values, p.dtype)
    p.version += 1
    return p
