"""Optimizers: update a model's parameters from their gradients, after applying the gradient hooks.

Per-parameter state (velocities, moments) is created on the parameter's device and moved with it if the
model moves. Parameters without a gradient are skipped.
"""
import math

from autograd.config import no_grad


class Optimizer:
    def __init__(self, hooks=None):
        self.hooks = list(hooks or [])
        self.state = {}

    def update(self, model):
        """Apply the hooks, then one update, to the parameters of ``model`` (a Layer or a list) with a grad."""
        params = model.params() if hasattr(model, "params") else list(model)
        params = [p for p in params if p.grad is not None]
        with no_grad():
            for hook in self.hooks:
                hook(params)
            self.begin_step()
            for p in params:
                self.update_one(p)

    def begin_step(self):
        """Per-step work shared by every parameter (Adam's bias correction)."""

    def update_one(self, param):
        raise NotImplementedError

    def _slot(self, param, name):
        """The state array ``name`` of ``param``: zeros at first, and always on the parameter's device."""
        slots = self.state.setdefault(param, {})
        value = slots.get(name)
        device = param.device
        if value is None:
            value = slots[name] = param.xp.zeros_like(param.data)
        elif getattr(value, "device", None) != getattr(param.data, "device", None):
            value = slots[name] = device.put(value)
        return value


def _check_rate(name, value):
    if not value > 0:
        raise ValueError(f"{name} must be > 0, got {value}")


def _check_beta(name, value):
    if not 0.0 <= value < 1.0:
        raise ValueError(f"{name} must be in [0, 1), got {value}")


class SGD(Optimizer):
    """param <- param - learning_rate * grad."""

    def __init__(self, learning_rate=0.01, hooks=None):
        super().__init__(hooks)
        _check_rate("SGD: learning_rate", learning_rate)
        self.learning_rate = learning_rate

    def update_one(self, param):
        param.data = param.data - self.learning_rate * param.grad.data


class Momentum(Optimizer):
    """v <- momentum * v - learning_rate * grad; param <- param + v."""

    def __init__(self, learning_rate=0.01, momentum=0.9, hooks=None):
        super().__init__(hooks)
        _check_rate("Momentum: learning_rate", learning_rate)
        _check_beta("Momentum: momentum", momentum)
        self.learning_rate, self.momentum = learning_rate, momentum

    def update_one(self, param):
        v = self.momentum * self._slot(param, "v") - self.learning_rate * param.grad.data
        self.state[param]["v"] = v
        param.data = param.data + v


class Adam(Optimizer):
    """Adam as the seed writes it: m <- m + (1 - beta1)(g - m); v <- v + (1 - beta2)(g² - v);
    param <- param - lr_t m / (sqrt(v) + eps), with lr_t = alpha sqrt(1 - beta2^t) / (1 - beta1^t).

    The bias correction is folded into the step size and eps is added to sqrt(v) after that, so eps acts
    at a scale sqrt(1 - beta2^t) smaller than PyTorch's, which adds eps to sqrt(v / (1 - beta2^t)).
    """

    def __init__(self, alpha=0.001, beta1=0.9, beta2=0.999, eps=1e-8, hooks=None):
        super().__init__(hooks)
        _check_rate("Adam: alpha", alpha)
        _check_beta("Adam: beta1", beta1)
        _check_beta("Adam: beta2", beta2)
        self.alpha, self.beta1, self.beta2, self.eps = alpha, beta1, beta2, eps
        self.iteration = 0

    def begin_step(self):
        self.iteration += 1
        t = self.iteration
        self.lr = self.alpha * math.sqrt(1.0 - self.beta2 ** t) / (1.0 - self.beta1 ** t)

    def adam_step(self, param):
        """lr_t m / (sqrt(v) + eps), after updating the moments m and v."""
        xp, g = param.xp, param.grad.data
        m = self._slot(param, "m")
        v = self._slot(param, "v")
        m = m + (1.0 - self.beta1) * (g - m)
        v = v + (1.0 - self.beta2) * (g * g - v)
        self.state[param].update(m=m, v=v)
        return self.lr * m / (xp.sqrt(v) + self.eps)

    def update_one(self, param):
        param.data = param.data - self.adam_step(param)


class AdamW(Adam):
    """Adam with decoupled weight decay, as the seed: param <- param - (adam step + lr_t wd param), the decay
    using the same bias-corrected step size lr_t (PyTorch decays by alpha * wd instead)."""

    def __init__(self, alpha=0.001, beta1=0.9, beta2=0.999, eps=1e-8, weight_decay=0.01, hooks=None):
        super().__init__(alpha, beta1, beta2, eps, hooks)
        if weight_decay < 0:
            raise ValueError(f"AdamW: weight_decay must be >= 0, got {weight_decay}")
        self.weight_decay = weight_decay

    def update_one(self, param):
        decay = self.lr * self.weight_decay * param.data
        param.data = param.data - (self.adam_step(param) + decay)
