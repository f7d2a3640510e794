"""Learning-rate schedulers, as PyTorch's `torch.optim.lr_scheduler`: each sets the learning rate of every
parameter group of an optimizer (its "lr", which is the optimizer's `lr_name`: SGD's `learning_rate`, Adam's
`alpha`, see [parameter groups][autograd.optimizer]).

    sched = scheduler.CosineAnnealingLR(opt, T_max=100)
    for epoch in range(100):
        train_one_epoch(model, opt)     # opt.update() at each step
        sched.step()                    # then the next epoch's learning rate

Construction does what PyTorch's does: it records each group's "initial_lr" (kept if already there) as the
base learning rate `base_lr` and sets epoch 0's learning rate. Each `step()` adds 1 to `last_epoch` and sets
`lr = f(base_lr, last_epoch)` in every group, by the closed form PyTorch documents (PyTorch's own steps are
recursive and may differ from it by rounding, about 1e-16 relative). Two schedulers stepped on one optimizer chain
(`ExponentialLR` and `StepLR`: the product of both factors), as PyTorch's do. `get_last_lr()` is the list of the groups'
learning rates the last step set.

`state_dict()` is a dict of plain numbers and lists (the scheduler's settings and counters, as PyTorch's);
`load_state_dict(state)` restores it and, unlike PyTorch, also puts the last learning rates back into the
optimizer's groups, since an optimizer's `state_dict` here does not save its hyperparameters: load both to
resume a run.
"""
import bisect
import math
import numbers

from autograd._checks import integer, number
from autograd.backend import to_host

__all__ = ["LRScheduler", "LambdaLR", "StepLR", "ExponentialLR", "CosineAnnealingLR", "LinearLR", "SequentialLR",
           "OneCycleLR", "ReduceLROnPlateau"]


def _groups(optimizer, kind):
    """The parameter groups of `optimizer`, which must name its learning rate (`lr_name`)."""
    groups = getattr(optimizer, "param_groups", None)
    if groups is None:
        raise TypeError(f"{kind}: expected an optimizer (with param_groups), got {type(optimizer).__name__}")
    if getattr(optimizer, "lr_name", None) is None:
        raise TypeError(f"{kind}: {type(optimizer).__name__} names no learning rate (lr_name); a scheduler sets "
                        "each group's 'lr'")
    return groups


def _positive_int(value, name):
    value = integer(value, name)
    if value < 1:
        raise ValueError(f"{name} must be a positive integer, got {value}")
    return value


class LRScheduler:
    """Base class of the epoch schedulers: a subclass defines
    [lr_at][autograd.scheduler.LRScheduler.lr_at], the closed form `lr = f(base_lr, epoch)`.

    Args:
        optimizer (Optimizer): the optimizer whose groups' learning rates to set.

    Examples:
        >>> from autograd import Parameter, optimizer, scheduler
        >>> class Halving(scheduler.LRScheduler):            # lr = base_lr / 2^epoch
        ...     def lr_at(self, base_lr, epoch):
        ...         return base_lr / 2 ** epoch
        >>> opt = optimizer.SGD([Parameter([1.0])], learning_rate=0.8)
        >>> sched = Halving(opt)
        >>> sched.step(); sched.step()
        >>> sched.get_last_lr(), opt.learning_rate
        ([0.2], 0.2)
    """

    def __init__(self, optimizer):
        kind = type(self).__name__
        self.optimizer = optimizer
        self.base_lrs = [group.setdefault("initial_lr", group["lr"]) for group in _groups(optimizer, kind)]
        self.last_epoch = -1
        self.step()

    def lr_at(self, base_lr, epoch):
        """The learning rate at `epoch` (0 at construction) of a group whose base learning rate is `base_lr`."""
        raise NotImplementedError

    def step(self):
        """The next epoch: `last_epoch += 1`, then every group's learning rate for it. A rate that something else
        changed since this scheduler set it (another scheduler of the same optimizer, ReduceLROnPlateau, a hand)
        keeps that change as a factor from then on, `lr = f(base_lr, epoch) * factor` with `factor *= lr_now /
        lr_last_set`, so two schedulers chain multiplicatively, as PyTorch's recursive forms do."""
        self.last_epoch += 1
        lrs, last = self.lrs_at(self.last_epoch), getattr(self, "_last_lr", None)
        if last is not None:
            factors = getattr(self, "_factors", None) or [1.0] * len(lrs)
            now = [group["lr"] for group in self.optimizer.param_groups]
            self._factors = [f * n / was if was and n != was else f for f, n, was in zip(factors, now, last)]
            lrs = [lr * f for lr, f in zip(lrs, self._factors)]
        self._set(lrs)

    def lrs_at(self, epoch):
        """The learning rate of each group at `epoch`."""
        return [self.lr_at(base, epoch) for base in self.base_lrs]

    def _set(self, lrs):
        for group, lr in zip(self.optimizer.param_groups, lrs):
            group["lr"] = lr
        self._last_lr = [group["lr"] for group in self.optimizer.param_groups]

    def get_last_lr(self):
        """The learning rate of each group, as the last step set it."""
        return list(self._last_lr)

    def state_dict(self):
        """Every attribute but the optimizer (and a function given to LambdaLR), as PyTorch's."""
        return {key: (list(value) if isinstance(value, list) else value) for key, value in self.__dict__.items()
                if key not in ("optimizer", "lr_lambdas")}

    def load_state_dict(self, state):
        """Restore `state_dict()`'s dict; then set each group's learning rate to the saved last one (the
        optimizer's state does not keep it here)."""
        self.__dict__.update({key: value for key, value in state.items() if key != "_schedulers"})
        self._set(self._last_lr)


class LambdaLR(LRScheduler):
    """`lr = base_lr * lr_lambda(epoch)`, with one function or one per group, as PyTorch's `LambdaLR`.

    Args:
        lr_lambda (Callable[[int], float] | list): the factor of each epoch. The functions are not saved by
            `state_dict`.

    Examples:
        >>> from autograd import Parameter, optimizer, scheduler
        >>> opt = optimizer.Adam([Parameter([1.0])], alpha=1e-3)
        >>> sched = scheduler.LambdaLR(opt, lambda epoch: min(1.0, (epoch + 1) / 4))    # a warm-up
        >>> [round(lr, 6) for lr in sched.get_last_lr()]
        [0.00025]
    """

    def __init__(self, optimizer, lr_lambda):
        groups = _groups(optimizer, type(self).__name__)
        lambdas = list(lr_lambda) if isinstance(lr_lambda, (list, tuple)) else [lr_lambda] * len(groups)
        if len(lambdas) != len(groups) or not all(callable(f) for f in lambdas):
            raise ValueError(f"LambdaLR: expected one function or one per group ({len(groups)}), got {lr_lambda!r}")
        self.lr_lambdas = lambdas
        super().__init__(optimizer)

    def lrs_at(self, epoch):
        return [base * f(epoch) for base, f in zip(self.base_lrs, self.lr_lambdas)]


class StepLR(LRScheduler):
    """`lr = base_lr * gamma ^ floor(epoch / step_size)`: decayed by `gamma` every `step_size` epochs.

    Args:
        step_size (int): epochs between decays, >= 1.
        gamma (float): the factor of each decay, >= 0. Default 0.1.

    Examples:
        >>> from autograd import Parameter, optimizer, scheduler
        >>> opt = optimizer.SGD([Parameter([1.0])], learning_rate=1.0)
        >>> sched = scheduler.StepLR(opt, step_size=2, gamma=0.5)
        >>> lrs = []
        >>> for _ in range(5):
        ...     lrs.append(sched.get_last_lr()[0]); sched.step()
        >>> lrs
        [1.0, 1.0, 0.5, 0.5, 0.25]
    """

    def __init__(self, optimizer, step_size, gamma=0.1):
        self.step_size = _positive_int(step_size, "StepLR: step_size")
        self.gamma = number("StepLR: gamma", gamma, 0.0, high_open=True)
        super().__init__(optimizer)

    def lr_at(self, base_lr, epoch):
        return base_lr * self.gamma ** (epoch // self.step_size)


class ExponentialLR(LRScheduler):
    """`lr = base_lr * gamma ^ epoch`.

    Args:
        gamma (float): the factor of each epoch, >= 0.

    Examples:
        >>> from autograd import Parameter, optimizer, scheduler
        >>> opt = optimizer.SGD([Parameter([1.0])], learning_rate=1.0)
        >>> sched = scheduler.ExponentialLR(opt, gamma=0.5)
        >>> sched.step(); sched.step()
        >>> sched.get_last_lr()
        [0.25]
    """

    def __init__(self, optimizer, gamma):
        self.gamma = number("ExponentialLR: gamma", gamma, 0.0, high_open=True)
        super().__init__(optimizer)

    def lr_at(self, base_lr, epoch):
        return base_lr * self.gamma ** epoch


class CosineAnnealingLR(LRScheduler):
    """`lr = eta_min + (base_lr - eta_min) * (1 + cos(pi * epoch / T_max)) / 2`: from base_lr down to eta_min
    in `T_max` epochs (and, as PyTorch's closed form, back up over the next `T_max`; no restarts).

    Args:
        T_max (int): epochs from base_lr to eta_min, >= 1.
        eta_min (float): the smallest learning rate, >= 0. Default 0.

    Examples:
        >>> from autograd import Parameter, optimizer, scheduler
        >>> opt = optimizer.SGD([Parameter([1.0])], learning_rate=1.0)
        >>> sched = scheduler.CosineAnnealingLR(opt, T_max=2)
        >>> sched.step()
        >>> round(sched.get_last_lr()[0], 12)       # halfway: (1 + cos(pi / 2)) / 2
        0.5
    """

    def __init__(self, optimizer, T_max, eta_min=0.0):
        self.T_max = _positive_int(T_max, "CosineAnnealingLR: T_max")
        self.eta_min = number("CosineAnnealingLR: eta_min", eta_min, 0.0, high_open=True)
        super().__init__(optimizer)

    def lr_at(self, base_lr, epoch):
        return self.eta_min + (base_lr - self.eta_min) * (1.0 + math.cos(math.pi * epoch / self.T_max)) / 2.0


class LinearLR(LRScheduler):
    """A linear warm-up (or decay): `lr = base_lr * (start_factor + (end_factor - start_factor) *
    min(epoch, total_iters) / total_iters)`, then `base_lr * end_factor`.

    Args:
        start_factor (float): the factor at epoch 0, in (0, 1]. Default 1/3.
        end_factor (float): the factor from epoch `total_iters` on, in [0, 1]. Default 1.
        total_iters (int): epochs from one to the other, >= 1. Default 5.

    Examples:
        >>> from autograd import Parameter, optimizer, scheduler
        >>> opt = optimizer.SGD([Parameter([1.0])], learning_rate=1.0)
        >>> sched = scheduler.LinearLR(opt, start_factor=0.25, total_iters=3)
        >>> lrs = []
        >>> for _ in range(5):
        ...     lrs.append(sched.get_last_lr()[0]); sched.step()
        >>> lrs
        [0.25, 0.5, 0.75, 1.0, 1.0]
    """

    def __init__(self, optimizer, start_factor=1.0 / 3, end_factor=1.0, total_iters=5):
        self.start_factor = number("LinearLR: start_factor", start_factor, 0.0, 1.0, low_open=True)
        self.end_factor = number("LinearLR: end_factor", end_factor, 0.0, 1.0)
        self.total_iters = _positive_int(total_iters, "LinearLR: total_iters")
        super().__init__(optimizer)

    def lr_at(self, base_lr, epoch):
        done = min(epoch, self.total_iters) / self.total_iters
        return base_lr * (self.start_factor + (self.end_factor - self.start_factor) * done)


class SequentialLR(LRScheduler):
    """One scheduler after another, as PyTorch's `SequentialLR`: `schedulers[i]` from epoch `milestones[i-1]` on,
    counting its own epochs from 0 there. A linear warm-up then a cosine decay, in one line:

        SequentialLR(opt, [LinearLR(opt, 1e-3, 1.0, warmup), CosineAnnealingLR(opt, total - warmup)], [warmup])

    Args:
        schedulers (list[LRScheduler]): epoch schedulers of this same optimizer, at least one.
        milestones (list[int]): increasing epochs, one fewer than the schedulers.

    Examples:
        >>> from autograd import Parameter, optimizer, scheduler
        >>> opt = optimizer.SGD([Parameter([1.0])], learning_rate=1.0)
        >>> warm = scheduler.LinearLR(opt, start_factor=0.5, total_iters=2)
        >>> decay = scheduler.ExponentialLR(opt, gamma=0.5)
        >>> sched = scheduler.SequentialLR(opt, [warm, decay], milestones=[2])
        >>> lrs = []
        >>> for _ in range(5):
        ...     lrs.append(sched.get_last_lr()[0]); sched.step()
        >>> lrs
        [0.5, 0.75, 1.0, 0.5, 0.25]
    """

    def __init__(self, optimizer, schedulers, milestones):
        schedulers, milestones = list(schedulers), [integer(m, "SequentialLR: milestones") for m in milestones]
        if not schedulers or len(milestones) != len(schedulers) - 1:
            raise ValueError(f"SequentialLR: expected one milestone fewer than schedulers, got {len(schedulers)} "
                             f"schedulers and milestones {milestones}")
        if any(b <= a for a, b in zip([0] + milestones, milestones)):
            raise ValueError(f"SequentialLR: milestones must be positive and increasing, got {milestones}")
        for s in schedulers:
            if not isinstance(s, LRScheduler) or isinstance(s, ReduceLROnPlateau) or s.optimizer is not optimizer:
                raise ValueError(f"SequentialLR: expected epoch schedulers of this optimizer, got "
                                 f"{type(s).__name__}")
        self._schedulers, self.milestones = schedulers, milestones
        super().__init__(optimizer)

    def lrs_at(self, epoch):
        """The learning rates of the scheduler whose turn `epoch` is, at its own epoch (which it keeps)."""
        i = bisect.bisect_right(self.milestones, epoch)
        current = self._schedulers[i]
        current.last_epoch = epoch - (self.milestones[i - 1] if i else 0)
        current._last_lr = current.lrs_at(current.last_epoch)
        return current._last_lr

    def state_dict(self):
        state = super().state_dict()
        state["_schedulers"] = [s.state_dict() for s in self._schedulers]
        return state

    def load_state_dict(self, state):
        for s, saved in zip(self._schedulers, state["_schedulers"]):
            s.__dict__.update(saved)
        super().load_state_dict(state)


class OneCycleLR(LRScheduler):
    """The 1cycle policy, as PyTorch's `OneCycleLR` (a step per batch): from `max_lr / div_factor` up to `max_lr`
    in the first `pct_start` of `total_steps`, then down to `max_lr / div_factor / final_div_factor` at step
    `total_steps - 1`; with `three_phase`, up, back down to the start, then down to the end. Each phase anneals
    from `a` to `b` over its fraction `pct` by `b + (a - b) * (1 + cos(pi * pct)) / 2` ("cos") or
    `a + (b - a) * pct` ("linear"). Phase ends: step `pct_start * total_steps - 1` (then
    `2 * pct_start * total_steps - 2` with three phases) and `total_steps - 1`; a phase of no steps (`pct_start *
    total_steps = 1`) is at its end at once (PyTorch's divides by 0). PyTorch also cycles the momentum
    by default (`cycle_momentum`); this one leaves it (Adam's beta1, Momentum's momentum) as it is. A step
    after the last of the cycle (step `total_steps`, a loop's final `step()`) keeps the final learning rate, where
    PyTorch's extrapolates past it (below 0 with "linear"); one more is a ValueError, as in PyTorch.

    Args:
        max_lr (float | list[float]): the peak learning rate, one or one per group, >= 0.
        total_steps (int): the number of steps of the cycle, >= 1; a step beyond it is a ValueError.
        pct_start (float): the fraction of the steps spent rising, in [0, 1]. Default 0.3.
        anneal_strategy (str): "cos" (default) or "linear".
        div_factor (float): initial_lr = max_lr / div_factor, > 0. Default 25.
        final_div_factor (float): min_lr = initial_lr / final_div_factor, > 0. Default 1e4.
        three_phase (bool): the three-phase form. Default False.

    Examples:
        >>> from autograd import Parameter, optimizer, scheduler
        >>> opt = optimizer.SGD([Parameter([1.0])], learning_rate=0.1)
        >>> sched = scheduler.OneCycleLR(opt, max_lr=1.0, total_steps=10, pct_start=0.5, anneal_strategy="linear",
        ...                              div_factor=10.0, final_div_factor=1.0)     # up until step 4, down to 9
        >>> lrs = []
        >>> for _ in range(10):
        ...     lrs.append(round(sched.get_last_lr()[0], 6)); sched.step()
        >>> lrs
        [0.1, 0.325, 0.55, 0.775, 1.0, 0.82, 0.64, 0.46, 0.28, 0.1]
    """

    def __init__(self, optimizer, max_lr, total_steps, pct_start=0.3, anneal_strategy="cos", div_factor=25.0,
                 final_div_factor=1e4, three_phase=False):
        kind = "OneCycleLR"
        groups = _groups(optimizer, kind)
        max_lrs = list(max_lr) if isinstance(max_lr, (list, tuple)) else [max_lr] * len(groups)
        if len(max_lrs) != len(groups):
            raise ValueError(f"{kind}: expected one max_lr or one per group ({len(groups)}), got {max_lr!r}")
        max_lrs = [number(f"{kind}: max_lr", lr, 0.0, high_open=True) for lr in max_lrs]
        self.total_steps = _positive_int(total_steps, f"{kind}: total_steps")
        self.pct_start = number(f"{kind}: pct_start", pct_start, 0.0, 1.0)
        if anneal_strategy not in ("cos", "linear"):
            raise ValueError(f"{kind}: anneal_strategy must be 'cos' or 'linear', got {anneal_strategy!r}")
        self.anneal_strategy = anneal_strategy
        div = number(f"{kind}: div_factor", div_factor, 0.0, low_open=True, high_open=True)
        final = number(f"{kind}: final_div_factor", final_div_factor, 0.0, low_open=True, high_open=True)
        self.three_phase = bool(three_phase)
        for group, peak in zip(groups, max_lrs):  # PyTorch keeps these in the groups
            group["initial_lr"], group["max_lr"], group["min_lr"] = peak / div, peak, peak / div / final
        up = self.pct_start * self.total_steps - 1.0
        ends = [up, 2.0 * self.pct_start * self.total_steps - 2.0, self.total_steps - 1.0] if self.three_phase \
            else [up, self.total_steps - 1.0]
        self._phase_ends = ends
        super().__init__(optimizer)

    def lrs_at(self, step):
        if step > self.total_steps:
            raise ValueError(f"OneCycleLR: stepped {step} times for a cycle of total_steps={self.total_steps}")
        return [self.lr_of(group, step) for group in self.optimizer.param_groups]

    def lr_of(self, group, step):
        """The learning rate of `group` at `step`, from its "initial_lr", "max_lr" and "min_lr"."""
        a, peak, low = group["initial_lr"], group["max_lr"], group["min_lr"]
        points = [a, peak, a, low] if self.three_phase else [a, peak, low]
        start = 0.0
        for i, end in enumerate(self._phase_ends):
            if step <= end or i == len(self._phase_ends) - 1:
                # step total_steps: the end (see above); a phase of no steps (pct_start * total_steps = 1) ends at once
                pct = 1.0 if end == start else min((step - start) / (end - start), 1.0)
                lo, hi = points[i], points[i + 1]
                if self.anneal_strategy == "linear":
                    return lo + (hi - lo) * pct
                return hi + (lo - hi) / 2.0 * (math.cos(math.pi * pct) + 1.0)
            start = end


class ReduceLROnPlateau(LRScheduler):
    """Divide the learning rate when a metric stops improving, as PyTorch's `ReduceLROnPlateau`: `step(metric)`
    after each epoch; after more than `patience` epochs without an improvement (then `cooldown` epochs of rest),
    every group's `lr <- max(lr * factor, min_lr)`, unless that changes it by no more than `eps`. An improvement
    is `metric < best * (1 - threshold)` ("min", "rel"), `metric < best - threshold` ("min", "abs"),
    `metric > best * (1 + threshold)` ("max", "rel") or `metric > best + threshold` ("max", "abs").

    A metric that is a Variable (or an array) on a device is read on the host, one synchronisation per call.

    Args:
        mode (str): "min" (default: a loss) or "max" (an accuracy).
        factor (float): the factor of each reduction, in [0, 1). Default 0.1.
        patience (int): epochs without improvement tolerated, >= 0. Default 10.
        threshold (float): the least change that counts, >= 0. Default 1e-4.
        threshold_mode (str): "rel" (default) or "abs".
        cooldown (int): epochs to wait after a reduction, >= 0. Default 0.
        min_lr (float | list[float]): the smallest learning rate, one or one per group, >= 0. Default 0.
        eps (float): a smaller change of the learning rate is not made, >= 0. Default 1e-8.

    Examples:
        >>> from autograd import Parameter, optimizer, scheduler
        >>> opt = optimizer.SGD([Parameter([1.0])], learning_rate=1.0)
        >>> sched = scheduler.ReduceLROnPlateau(opt, patience=1, factor=0.5)
        >>> for loss in [3.0, 2.0, 2.0, 2.0, 2.0]:
        ...     sched.step(loss)
        >>> sched.get_last_lr()
        [0.5]
    """

    def __init__(self, optimizer, mode="min", factor=0.1, patience=10, threshold=1e-4, threshold_mode="rel",
                 cooldown=0, min_lr=0.0, eps=1e-8):
        kind = "ReduceLROnPlateau"
        groups = _groups(optimizer, kind)
        if mode not in ("min", "max"):
            raise ValueError(f"{kind}: mode must be 'min' or 'max', got {mode!r}")
        if threshold_mode not in ("rel", "abs"):
            raise ValueError(f"{kind}: threshold_mode must be 'rel' or 'abs', got {threshold_mode!r}")
        min_lrs = list(min_lr) if isinstance(min_lr, (list, tuple)) else [min_lr] * len(groups)
        if len(min_lrs) != len(groups):
            raise ValueError(f"{kind}: expected one min_lr or one per group ({len(groups)}), got {min_lr!r}")
        self.optimizer, self.mode, self.threshold_mode = optimizer, mode, threshold_mode
        self.factor = number(f"{kind}: factor", factor, 0.0, 1.0, high_open=True)
        self.patience = integer(patience, f"{kind}: patience")
        self.cooldown = integer(cooldown, f"{kind}: cooldown")
        if self.patience < 0 or self.cooldown < 0:
            raise ValueError(f"{kind}: patience and cooldown must be >= 0, got {patience} and {cooldown}")
        self.threshold = number(f"{kind}: threshold", threshold, 0.0, high_open=True)
        self.min_lrs = [number(f"{kind}: min_lr", lr, 0.0, high_open=True) for lr in min_lrs]
        self.eps = number(f"{kind}: eps", eps, 0.0, high_open=True)
        self.best = math.inf if mode == "min" else -math.inf
        self.num_bad_epochs = self.cooldown_counter = 0
        self.last_epoch = 0
        self._last_lr = [group["lr"] for group in groups]

    def step(self, metrics):
        """One epoch's `metrics` (a number, or a 0-d Variable or array on any device: read on the host)."""
        current = metrics
        if hasattr(current, "shape") and not isinstance(current, numbers.Real):  # a Variable or an array
            current = to_host(current)
            if current.size != 1:
                raise ValueError(f"ReduceLROnPlateau.step: expected one number, got shape {tuple(current.shape)}")
            current = current.item()
        if isinstance(current, bool) or not isinstance(current, numbers.Real):
            raise TypeError(f"ReduceLROnPlateau.step: metrics must be a real number, got {type(metrics).__name__}")
        current = float(current)  # nan is never better, as in PyTorch
        self.last_epoch += 1
        if self._better(current):
            self.best, self.num_bad_epochs = current, 0
        else:
            self.num_bad_epochs += 1
        if self.cooldown_counter > 0:
            self.cooldown_counter -= 1
            self.num_bad_epochs = 0
        if self.num_bad_epochs > self.patience:
            lrs = []
            for group, low in zip(self.optimizer.param_groups, self.min_lrs):
                old = group["lr"]
                new = max(old * self.factor, low)
                lrs.append(new if old - new > self.eps else old)
            self._set(lrs)
            self.cooldown_counter, self.num_bad_epochs = self.cooldown, 0
        else:
            self._last_lr = [group["lr"] for group in self.optimizer.param_groups]

    def _better(self, a):
        rel = self.threshold_mode == "rel"
        if self.mode == "min":
            return a < (self.best * (1.0 - self.threshold) if rel else self.best - self.threshold)
        return a > (self.best * (1.0 + self.threshold) if rel else self.best + self.threshold)
