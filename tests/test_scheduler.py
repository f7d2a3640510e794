"""Learning-rate schedulers: 100 steps of each against the closed forms of PyTorch's documentation (written here
once more, independently) and against PyTorch's recursive ("chainable") forms, which its schedulers compute;
values a step sets are the ones the optimizer uses; state_dict round trips; argument checks."""
import math

import numpy as np
import pytest

import autograd
from autograd import optimizer, scheduler, to_host

STEPS = 100


def make_opt(lrs=(0.1,), cls=optimizer.SGD):
    """An optimizer with one group per learning rate, one parameter each."""
    return cls([{"params": [autograd.Parameter([1.0])], "lr": lr} for lr in lrs])


def run(sched, steps=STEPS, metrics=None):
    """The groups' learning rates before each of `steps` steps, as the optimizer holds them."""
    out = []
    for i in range(steps):
        lrs = [g["lr"] for g in sched.optimizer.param_groups]
        assert lrs == sched.get_last_lr()
        out.append(lrs)
        sched.step() if metrics is None else sched.step(metrics[i])
    return np.array(out)


def close(actual, expected, rtol=1e-12):
    np.testing.assert_allclose(actual, np.asarray(expected, dtype=np.float64), rtol=rtol, atol=0)


# ---- PyTorch's recursive forms: each step's lr from the previous one, as torch.optim.lr_scheduler does ----------

def chain(first, rule, bases, steps=STEPS):
    lrs, out = [first(b) for b in bases], []
    for e in range(steps):
        if e > 0:
            lrs = [rule(lr, b, e) for lr, b in zip(lrs, bases)]
        out.append(lrs)
    return np.array(out)


def chain_step(step_size, gamma):
    return lambda lr, b, e: lr * gamma if e % step_size == 0 else lr


def chain_cosine(T, eta_min):
    def rule(lr, b, e):
        if (e - 1 - T) % (2 * T) == 0:
            return lr + (b - eta_min) * (1 - math.cos(math.pi / T)) / 2
        return (1 + math.cos(math.pi * e / T)) / (1 + math.cos(math.pi * (e - 1) / T)) * (lr - eta_min) + eta_min
    return rule


def chain_linear(start, end, total):
    def rule(lr, b, e):
        if e > total:
            return lr
        return lr * (1.0 + (end - start) / (total * start + (e - 1) * (end - start)))
    return rule


BASES = (0.1, 0.03)
EPOCHS = np.arange(STEPS)[:, None]
B = np.array(BASES)[None, :]


@pytest.mark.parametrize("make, closed, chained", [
    (lambda o: scheduler.StepLR(o, step_size=7, gamma=0.5), B * 0.5 ** (EPOCHS // 7),
     chain(lambda b: b, chain_step(7, 0.5), BASES)),
    (lambda o: scheduler.StepLR(o, step_size=30), B * 0.1 ** (EPOCHS // 30),
     chain(lambda b: b, chain_step(30, 0.1), BASES)),
    (lambda o: scheduler.ExponentialLR(o, gamma=0.95), B * 0.95 ** EPOCHS,
     chain(lambda b: b, lambda lr, b, e: lr * 0.95, BASES)),
    (lambda o: scheduler.CosineAnnealingLR(o, T_max=30, eta_min=1e-3),
     1e-3 + (B - 1e-3) * (1 + np.cos(np.pi * EPOCHS / 30)) / 2, chain(lambda b: b, chain_cosine(30, 1e-3), BASES)),
    (lambda o: scheduler.CosineAnnealingLR(o, T_max=STEPS), B * (1 + np.cos(np.pi * EPOCHS / STEPS)) / 2,
     chain(lambda b: b, chain_cosine(STEPS, 0.0), BASES)),
    (lambda o: scheduler.LinearLR(o), B * (1 / 3 + (1 - 1 / 3) * np.minimum(EPOCHS, 5) / 5),
     chain(lambda b: b / 3, chain_linear(1 / 3, 1.0, 5), BASES)),
    (lambda o: scheduler.LinearLR(o, start_factor=1.0, end_factor=0.1, total_iters=60),
     B * (1.0 - 0.9 * np.minimum(EPOCHS, 60) / 60), chain(lambda b: b, chain_linear(1.0, 0.1, 60), BASES)),
    (lambda o: scheduler.LambdaLR(o, lambda e: 1 / (1 + e)), B / (1 + EPOCHS), None),
], ids=["step", "step-default", "exponential", "cosine", "cosine-to-0", "linear", "linear-decay", "lambda"])
def test_100_steps_equal_pytorchs_closed_and_recursive_forms(make, closed, chained):
    lrs = run(make(make_opt(BASES)))
    close(lrs, closed)
    if chained is not None:
        close(lrs, chained, rtol=1e-12)


def test_the_step_sets_hand_derived_values_that_the_optimizer_uses(device):
    p = autograd.Parameter([1.0], device=device, dtype="float64")
    opt = optimizer.SGD([p], learning_rate=1.0)
    sched = scheduler.StepLR(opt, step_size=2, gamma=0.5)
    moves = []
    for _ in range(5):
        before = to_host(p).item()
        p.grad = autograd.Variable([1.0], dtype="float64", device=device)
        opt.update()
        moves.append(before - to_host(p).item())
        sched.step()
    assert moves == [1.0, 1.0, 0.5, 0.5, 0.25] and opt.learning_rate == 0.25  # epoch 5


def test_adam_and_adamw_schedule_alpha():
    opt = make_opt((1e-3,), cls=optimizer.AdamW)
    sched = scheduler.ExponentialLR(opt, gamma=0.5)
    sched.step()
    assert opt.param_groups[0]["alpha"] == opt.param_groups[0]["lr"] == opt.alpha == 5e-4


def warmup_cosine(epoch, base, warmup, total, start=1e-3):
    if epoch < warmup:
        return base * (start + (1 - start) * epoch / warmup)
    return base * (1 + math.cos(math.pi * (epoch - warmup) / (total - warmup))) / 2


def test_sequential_linear_warmup_then_cosine_in_one_line():
    opt = make_opt(BASES, cls=optimizer.AdamW)
    sched = scheduler.SequentialLR(opt, [scheduler.LinearLR(opt, 1e-3, 1.0, 10),
                                         scheduler.CosineAnnealingLR(opt, STEPS - 10)], [10])
    close(run(sched), [[warmup_cosine(e, b, 10, STEPS) for b in BASES] for e in range(STEPS)])
    assert sched.last_epoch == STEPS and opt.param_groups[0]["lr"] < 1e-20  # the end of the cosine: epoch T_max


def test_sequential_restarts_each_scheduler_at_its_milestone():
    opt = make_opt((1.0,))
    sched = scheduler.SequentialLR(opt, [scheduler.ExponentialLR(opt, 0.5), scheduler.StepLR(opt, 2, 0.1),
                                         scheduler.ExponentialLR(opt, 0.9)], milestones=[3, 7])
    close(run(sched, 10)[:, 0], [1.0, 0.5, 0.25, 1.0, 1.0, 0.1, 0.1, 1.0, 0.9, 0.81])


def test_two_schedulers_on_one_optimizer_chain_multiplicatively():
    """PyTorch's documented chaining (ExponentialLR and a step decay, both stepped each epoch): the rate is the
    product of both factors, base * 0.9^e * 0.1^floor(e / 3); the last one stepped used to overwrite the other."""
    opt = make_opt(BASES)
    first, second = scheduler.ExponentialLR(opt, gamma=0.9), scheduler.StepLR(opt, step_size=3, gamma=0.1)
    out = []
    for _ in range(20):
        out.append([g["lr"] for g in opt.param_groups])
        first.step()
        second.step()
    assert second.get_last_lr() == [g["lr"] for g in opt.param_groups]
    close(out, B * 0.9 ** EPOCHS[:20] * 0.1 ** (EPOCHS[:20] // 3), rtol=1e-12)


def test_a_rate_changed_by_hand_carries_on_in_the_schedule():
    """As PyTorch's recursive forms: halving the rate by hand at epoch 2 halves every later epoch's rate (it
    used to be undone at the next step)."""
    opt = make_opt((1.0,))
    sched = scheduler.ExponentialLR(opt, gamma=0.5)
    sched.step()
    sched.step()
    opt.param_groups[0]["lr"] /= 2          # 0.25 -> 0.125
    sched.step()
    sched.step()
    assert sched.get_last_lr() == [0.03125] and opt.learning_rate == 0.03125


def one_cycle(step, peak, total, pct, div, final, strategy, three):
    """OneCycleLR from PyTorch's documented phases."""
    a = peak / div
    low = a / final
    if three:
        phases = [(pct * total - 1, a, peak), (2 * pct * total - 2, peak, a), (total - 1, a, low)]
    else:
        phases = [(pct * total - 1, a, peak), (total - 1, peak, low)]
    start = 0.0
    for i, (end, x, y) in enumerate(phases):
        if step <= end or i == len(phases) - 1:
            t = (step - start) / (end - start)
            return x + (y - x) * t if strategy == "linear" else y + (x - y) / 2 * (math.cos(math.pi * t) + 1)
        start = end


@pytest.mark.parametrize("kwargs", [
    dict(), dict(anneal_strategy="linear"), dict(three_phase=True), dict(pct_start=0.25, div_factor=10.0,
                                                                          final_div_factor=100.0, three_phase=True,
                                                                          anneal_strategy="linear")],
    ids=["cos", "linear", "three-phase", "three-phase-linear"])
def test_one_cycle_100_steps(kwargs):
    opt = make_opt(BASES, cls=optimizer.Adam)
    sched = scheduler.OneCycleLR(opt, max_lr=[1.0, 0.5], total_steps=STEPS, **kwargs)
    full = dict(pct=0.3, div=25.0, final=1e4, strategy="cos", three=False)
    full.update({dict(pct_start="pct", div_factor="div", final_div_factor="final", anneal_strategy="strategy",
                      three_phase="three")[k]: v for k, v in kwargs.items()})
    lrs = run(sched)
    close(lrs, [[one_cycle(e, peak, STEPS, **full) for peak in (1.0, 0.5)] for e in range(STEPS)])
    close(lrs[[0, -1], 0], [1.0 / full["div"], 1.0 / full["div"] / full["final"]], rtol=1e-10)  # cancellation
    # run() ended with step total_steps, a loop's last step(): the final rate kept (PyTorch's extrapolates)
    close(sched.get_last_lr(), [1.0 / full["div"] / full["final"], 0.5 / full["div"] / full["final"]], rtol=1e-10)
    assert opt.param_groups[1]["max_lr"] == 0.5 and opt.param_groups[1]["initial_lr"] == 0.5 / full["div"]
    with pytest.raises(ValueError, match="OneCycleLR: stepped 101 times for a cycle of total_steps=100"):
        sched.step()


def test_one_cycle_with_a_warm_up_of_one_step_peaks_at_step_0():
    """pct_start * total_steps = 1: the rising phase is steps 0 to 0, so step 0 is its end, max_lr (it divided by
    its length 0: ZeroDivisionError); then the decay from step 0 to 9, linear here: 1 - 0.9 * step / 9."""
    opt = make_opt((1.0,))
    sched = scheduler.OneCycleLR(opt, max_lr=1.0, total_steps=10, pct_start=0.1, anneal_strategy="linear",
                                 div_factor=10.0, final_div_factor=1.0)
    close(run(sched, 10)[:, 0], [1.0 - 0.9 * step / 9 for step in range(10)])


def test_one_cycle_hand_values():
    """pct_start 0.5 of 11 steps: up to step 4.5 (linear: 0.1 + 0.9 * s / 4.5), then down to 0.1 at step 10."""
    opt = make_opt((0.1,))
    sched = scheduler.OneCycleLR(opt, max_lr=1.0, total_steps=11, pct_start=0.5, anneal_strategy="linear",
                                 div_factor=10.0, final_div_factor=1.0)
    expected = [0.1 + 0.9 * s / 4.5 for s in range(5)] + [1.0 - 0.9 * (s - 4.5) / 5.5 for s in range(5, 11)]
    close(run(sched, 11)[:, 0], expected)


def plateau_reference(metrics, lr, mode, factor, patience, threshold, threshold_mode, cooldown, min_lr, eps=1e-8):
    """PyTorch's ReduceLROnPlateau.step, written from its documentation."""
    best, bad, cool, out = (math.inf if mode == "min" else -math.inf), 0, 0, []
    for m in metrics:
        if mode == "min":
            better = m < (best * (1 - threshold) if threshold_mode == "rel" else best - threshold)
        else:
            better = m > (best * (1 + threshold) if threshold_mode == "rel" else best + threshold)
        best, bad = (m, 0) if better else (best, bad + 1)
        if cool > 0:
            cool, bad = cool - 1, 0
        if bad > patience:
            new = max(lr * factor, min_lr)
            lr = new if lr - new > eps else lr
            cool, bad = cooldown, 0
        out.append(lr)
    return out


PLATEAU_METRICS = [float(v) for v in 1.0 / (1 + np.arange(STEPS) % 17) + 0.001 * np.arange(STEPS)]


@pytest.mark.parametrize("kwargs", [
    dict(), dict(patience=2, factor=0.5), dict(mode="max", patience=3, cooldown=2, factor=0.7),
    dict(threshold_mode="abs", threshold=0.05, patience=1, min_lr=0.005), dict(patience=0, cooldown=4, factor=0.3)],
    ids=["defaults", "patience-2", "max-cooldown", "abs-min_lr", "patience-0"])
def test_reduce_on_plateau_100_steps(kwargs):
    opt = make_opt((0.1,))
    sched = scheduler.ReduceLROnPlateau(opt, **kwargs)
    full = dict(mode="min", factor=0.1, patience=10, threshold=1e-4, threshold_mode="rel", cooldown=0, min_lr=0.0)
    full.update(kwargs)
    got = []
    for m in PLATEAU_METRICS:
        sched.step(m)
        got.append(opt.param_groups[0]["lr"])
        assert sched.get_last_lr() == [got[-1]]
    assert got == plateau_reference(PLATEAU_METRICS, 0.1, **full)
    assert len(set(got)) > 2  # it did reduce, more than once


def test_reduce_on_plateau_hand_values_and_a_metric_on_the_device(device):
    opt = make_opt((1.0,))
    sched = scheduler.ReduceLROnPlateau(opt, patience=1, factor=0.5)
    lrs = []
    for loss in [3.0, 2.0, 2.0, 2.0, 2.0, 1.0, 1.0, 1.0]:
        sched.step(autograd.Variable(loss, dtype="float32", device=device))  # one host read per call
        lrs.append(sched.get_last_lr()[0])
    assert lrs == [1.0, 1.0, 1.0, 0.5, 0.5, 0.5, 0.5, 0.25]
    sched.step(float("nan"))  # never better, as in PyTorch
    assert sched.num_bad_epochs == 1


@pytest.mark.parametrize("make", [
    lambda o: scheduler.StepLR(o, 3, 0.5), lambda o: scheduler.CosineAnnealingLR(o, 20, 1e-4),
    lambda o: scheduler.SequentialLR(o, [scheduler.LinearLR(o, 0.1, 1.0, 5), scheduler.ExponentialLR(o, 0.9)], [5]),
    lambda o: scheduler.OneCycleLR(o, 1.0, 40)], ids=["step", "cosine", "sequential", "one-cycle"])
def test_state_dict_resumes_the_schedule_and_the_groups_learning_rates(make):
    opt = make_opt(BASES)
    sched = make(opt)
    run(sched, 13)
    state = sched.state_dict()
    assert "optimizer" not in state and state["last_epoch"] == 13
    rest = run(sched, 20)
    again_opt = make_opt(BASES)  # a fresh optimizer: the scheduler's state puts the learning rates back
    again = make(again_opt)
    again.load_state_dict(state)
    assert [g["lr"] for g in again_opt.param_groups] == list(rest[0])
    np.testing.assert_array_equal(run(again, 20), rest)


def test_reduce_on_plateau_state_dict_round_trips():
    opt = make_opt((1.0,))
    sched = scheduler.ReduceLROnPlateau(opt, patience=1, factor=0.5)
    for loss in [3.0, 2.0, 2.0, 2.0]:
        sched.step(loss)
    state = sched.state_dict()
    again_opt = make_opt((1.0,))
    again = scheduler.ReduceLROnPlateau(again_opt, patience=1, factor=0.5)
    again.load_state_dict(state)
    assert again_opt.param_groups[0]["lr"] == 0.5 and again.best == 2.0
    for s in (sched, again):
        s.step(2.0)
        s.step(2.0)
    assert again.get_last_lr() == sched.get_last_lr() == [0.25]


def test_an_initial_lr_already_in_a_group_is_the_base():
    opt = make_opt((0.5,))
    opt.param_groups[0]["initial_lr"] = 1.0  # as PyTorch: a resumed run keeps its first base
    assert scheduler.ExponentialLR(opt, 0.5).base_lrs == [1.0] and opt.param_groups[0]["lr"] == 1.0


MISTAKES = [
    (lambda o: scheduler.StepLR(o, 0), ValueError, r"^StepLR: step_size must be a positive integer, got 0"),
    (lambda o: scheduler.StepLR(o, 2.5), TypeError, r"^StepLR: step_size must be an integer, got float 2.5"),
    (lambda o: scheduler.ExponentialLR(o, -0.5), ValueError, r"^ExponentialLR: gamma must be in \[0.0, inf\)"),
    (lambda o: scheduler.CosineAnnealingLR(o, 10, eta_min=-1.0), ValueError, r"^CosineAnnealingLR: eta_min must"),
    (lambda o: scheduler.LinearLR(o, start_factor=0.0), ValueError, r"^LinearLR: start_factor must be in \(0.0, 1.0\]"),
    (lambda o: scheduler.LinearLR(o, end_factor=1.5), ValueError, r"^LinearLR: end_factor must be in \[0.0, 1.0\]"),
    (lambda o: scheduler.SequentialLR(o, [scheduler.StepLR(o, 2)], [3]), ValueError,
     r"^SequentialLR: expected one milestone fewer than schedulers, got 1 schedulers and milestones \[3\]"),
    (lambda o: scheduler.SequentialLR(o, [scheduler.StepLR(o, 2), scheduler.StepLR(o, 2),
                                          scheduler.StepLR(o, 2)], [5, 5]), ValueError,
     r"^SequentialLR: milestones must be positive and increasing, got \[5, 5\]"),
    (lambda o: scheduler.SequentialLR(o, [scheduler.StepLR(o, 2), scheduler.ReduceLROnPlateau(o)], [3]), ValueError,
     r"^SequentialLR: expected epoch schedulers of this optimizer, got ReduceLROnPlateau"),
    (lambda o: scheduler.OneCycleLR(o, [1.0, 2.0], 10), ValueError,
     r"^OneCycleLR: expected one max_lr or one per group \(1\), got \[1.0, 2.0\]"),
    (lambda o: scheduler.OneCycleLR(o, 1.0, 10, anneal_strategy="cosine"), ValueError,
     r"^OneCycleLR: anneal_strategy must be 'cos' or 'linear', got 'cosine'"),
    (lambda o: scheduler.ReduceLROnPlateau(o, mode="minimum"), ValueError,
     r"^ReduceLROnPlateau: mode must be 'min' or 'max', got 'minimum'"),
    (lambda o: scheduler.ReduceLROnPlateau(o, factor=1.0), ValueError,
     r"^ReduceLROnPlateau: factor must be in \[0.0, 1.0\)"),
    (lambda o: scheduler.ReduceLROnPlateau(o).step("0.5"), TypeError,
     r"^ReduceLROnPlateau.step: metrics must be a real number, got str"),
    (lambda o: scheduler.ReduceLROnPlateau(o).step(np.ones(3)), ValueError,
     r"^ReduceLROnPlateau.step: expected one number, got shape \(3,\)"),
    (lambda o: scheduler.StepLR(object(), 2), TypeError, r"^StepLR: expected an optimizer \(with param_groups\), "
                                                         r"got object"),
]


@pytest.mark.parametrize("make, error, match", MISTAKES, ids=[
    "step_size-0", "step_size-float", "gamma", "eta_min", "start_factor", "end_factor", "milestones-count",
    "milestones-order", "plateau-in-sequence", "max_lr-count", "anneal", "mode", "factor", "metric-str",
    "metric-shape", "not-an-optimizer"])
def test_mistakes_raise_naming_the_scheduler(make, error, match):
    with pytest.raises(error, match=match):
        make(make_opt())


def test_an_optimizer_without_a_learning_rate_name_is_refused():
    class Halve(optimizer.Optimizer):
        def update_one(self, p):
            p.data = p.data * 0.5

    with pytest.raises(TypeError, match=r"^CosineAnnealingLR: Halve names no learning rate \(lr_name\)"):
        scheduler.CosineAnnealingLR(Halve(params=[autograd.Parameter([1.0])]), 10)
