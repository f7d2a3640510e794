"""Gradient hooks: callables ``hook(params)`` that an optimizer applies, in order, before its update, to the
parameters that have a gradient. They replace ``p.grad`` (never write into it: a gradient Variable may be
shared) and stay on the parameters' device."""
from autograd.variable import Variable


class WeightDecay:
    """L2 regularisation through the gradient: grad <- grad + lambda_ * param (typical lambda_: 1e-4)."""

    def __init__(self, lambda_):
        if lambda_ < 0:
            raise ValueError(f"WeightDecay: lambda_ must be >= 0, got {lambda_}")
        self.lambda_ = lambda_

    def __call__(self, params):
        for p in params:
            p.grad = Variable(p.grad.data + self.lambda_ * p.data)


class ClipGrad:
    """Clip by global norm: with n = sqrt(sum of every grad²), scale every grad by max_norm / (n + 1e-6)
    when that is below 1. The norm stays on the device (``last_norm``, a 0-d Variable): no host sync."""

    def __init__(self, max_norm):
        if max_norm <= 0:
            raise ValueError(f"ClipGrad: max_norm must be > 0, got {max_norm}")
        self.max_norm = max_norm
        self.last_norm = None

    def __call__(self, params):
        if not params:
            return
        xp = params[0].xp
        total = None
        for p in params:
            g = p.grad.data
            square_sum = xp.sum(g * g)
            total = square_sum if total is None else total + square_sum
        norm = xp.sqrt(total)
        self.last_norm = Variable(norm)
        rate = self.max_norm / (norm + 1e-6)
        scale = xp.where(rate < 1.0, rate, xp.ones_like(rate))
        for p in params:
            p.grad = Variable(p.grad.data * xp.astype(scale, p.grad.dtype))
