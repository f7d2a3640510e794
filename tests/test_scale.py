"""Scale: graphs 100 000 ops deep and 10 000 inputs wide, backward in linear time, graphs freed by reference
counting alone, memory flat over 10 000 training steps, and threads that record, switch off recording and
train side by side without disturbing each other.

The deep and wide graphs are smaller on devices other than the cpu: array-api-strict (sim) costs about ten
times as much per op, and the point (no recursion, every gradient right) is made at any size above Python's
recursion limit."""
import contextlib
import gc
import sys
import threading
import time
import tracemalloc
import weakref

import numpy as np
import pytest

import autograd
import autograd.function as F
from autograd import Function, Variable, config, is_training, model, no_grad, optimizer, test_mode, to_host
from autograd.backend import CPU


def var(values, device, dtype=np.float64, **kwargs):
    return Variable(np.asarray(values, dtype=dtype), device=device, **kwargs)


def host(v):
    return np.asarray(to_host(v))


@contextlib.contextmanager
def gc_off():
    """Only reference counting frees objects inside: whatever is freed here was in no reference cycle."""
    gc.collect()
    was = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was:
            gc.enable()


def on_cpu(device):
    return device == CPU


# ---- deep graphs ------------------------------------------------------------------------------------------


def test_chain_of_100000_muls_has_the_exact_gradient_and_is_freed_without_gc(device):
    """x * 1.0001, 100 000 times on the cpu (10 000 elsewhere): the iterative backward reaches x with
    dy/dx = 1.0001**n, and dropping y frees the whole chain by reference counting (no cycle, no C-stack
    overflow in the cascade of deallocations)."""
    n = 100_000 if on_cpu(device) else 10_000
    x = var([0.5, -2.0], device)
    y = x * 1.0001
    first = weakref.ref(y.creator)  # the Function next to the leaf: the last thing a freed chain lets go
    for _ in range(n - 1):
        y = y * 1.0001
    assert y.generation == n
    assert sys.getrecursionlimit() < n  # a recursive backward could not get through this
    y.backward()

    expected = 1.0
    for _ in range(n):
        expected *= 1.0001  # the same float64 products the backward pass makes, in the same order
    assert host(x.grad).tolist() == [expected, expected]
    np.testing.assert_allclose(host(y), [0.5 * expected, -2.0 * expected], rtol=1e-9)
    assert x.grad.creator is None  # create_graph=False records nothing

    with gc_off():
        assert first() is not None
        del y
        assert first() is None


def test_chain_of_sin_backward_matches_the_product_of_cosines(device):
    n = 5_000  # five times Python's default recursion limit
    x0 = np.array([0.3, 1.2, -2.5])
    x = var(x0, device)
    y = x
    for _ in range(n):
        y = F.sin(y)
    y.backward()

    v, g = x0.copy(), np.ones_like(x0)
    for _ in range(n):
        g *= np.cos(v)
        v = np.sin(v)
    np.testing.assert_allclose(host(y), v, rtol=1e-12)
    np.testing.assert_allclose(host(x.grad), g, rtol=1e-9)
    assert np.all(np.abs(g) < 1e-3) and np.all(g != 0)  # a real product, not 1 and not underflowed


# ---- wide graphs ------------------------------------------------------------------------------------------


def wide(device):
    """10 000 on the cpu; 2 000 elsewhere (sim's ops cost ten times as much)."""
    return 10_000 if on_cpu(device) else 2_000


def _inputs(device):
    return [var([i * 0.5], device) for i in range(wide(device))]


def test_10000_inputs_summed_in_a_loop_each_get_their_own_gradient(device):
    n = wide(device)
    xs = _inputs(device)
    s = xs[0] * 1.0
    for i in range(1, n):
        s = s + xs[i] * float(i + 1)  # dS/dx_i = i + 1: a misrouted gradient shows
    s.backward()
    assert host(s).item() == sum(i * 0.5 * (i + 1) for i in range(n))
    grads = np.array([host(x.grad).item() if x.grad is not None else np.nan for x in xs])
    np.testing.assert_array_equal(grads, np.arange(1, n + 1, dtype=np.float64))


def test_10000_inputs_of_one_concat_each_get_their_slice_of_the_gradient(device):
    n = wide(device)
    xs = _inputs(device)
    c = F.concat(xs)
    assert len(c.creator.inputs) == n
    weights = var(np.arange(n) % 97 - 48.0, device)
    loss = (c * c * weights).sum()  # dL/dx_i = 2 x_i w_i
    loss.backward()
    grads = np.array([host(x.grad).item() for x in xs])
    w = np.arange(n) % 97 - 48.0
    np.testing.assert_array_equal(grads, 2 * (np.arange(n) * 0.5) * w)


def test_one_variable_used_10000_times_accumulates_every_gradient(device):
    n = wide(device)
    x = var([1.5, -1.0], device)
    terms = [x * float(i) for i in range(n)]  # 10 000 functions share the one input
    loss = F.concat([t.reshape(1, 2) for t in terms]).sum()
    loss.backward()
    assert host(x.grad).tolist() == [n * (n - 1) / 2] * 2  # integers: exact whatever the order


# ---- linear time ------------------------------------------------------------------------------------------


class CountingScale(Function):
    """y = c x, counting its backward calls: a deterministic measure of the backward pass's work."""

    calls = 0

    def __init__(self, c):
        self.c = c

    def forward(self, x):
        return x * self.c

    def backward(self, gy):
        type(self).calls += 1
        return gy * self.c


class CountingAdd(Function):
    calls = 0

    def forward(self, x0, x1):
        return x0 + x1

    def backward(self, gy):
        type(self).calls += 1
        return gy, gy


@pytest.mark.parametrize("n", [1_000, 4_000])
def test_backward_calls_each_function_once_in_a_chain(n):
    CountingScale.calls = 0
    x = Variable(np.array(1.0))
    y = x
    for _ in range(n):
        y = CountingScale(1.001)(y)
    y.backward()
    assert CountingScale.calls == n
    assert host(x.grad).item() == pytest.approx(1.001 ** n, rel=1e-12)


def test_backward_of_a_graph_with_2_to_the_60_paths_calls_each_function_once():
    """y = y + y, 60 times: 2**60 paths from y to x, 60 functions. A backward that walks paths would never
    finish; one that visits each function once makes 60 calls."""
    CountingAdd.calls = 0
    x = Variable(np.array(1.0))
    y = x
    for _ in range(60):
        y = CountingAdd()(y, y)
    y.backward()
    assert CountingAdd.calls == 60
    assert host(x.grad).item() == 2.0 ** 60
    assert host(y).item() == 2.0 ** 60


def _min_backward_time(y, x, repeats=3):
    """The fastest of a few backward passes over the same graph (it stays: only the gradients are cleared)."""
    best = float("inf")
    for _ in range(repeats):
        x.cleargrad()
        y.cleargrad()
        start = time.perf_counter()
        y.backward()
        best = min(best, time.perf_counter() - start)
    return best


def test_backward_time_grows_linearly_with_depth():
    """Four times the ops take about four times as long (a heap gives n log n: 4.6 here). A pass that
    is quadratic anywhere would take 16 times as long; 8 leaves room for a noisy machine."""
    times = {}
    with gc_off():  # a full collection of a big heap in the middle of one pass is noise, not the algorithm
        for n in (5_000, 20_000):
            x = Variable(np.array([1.0, 2.0]))
            y = x
            for _ in range(n):
                y = F.sin(y * 0.5 + 1.0)
            times[n] = _min_backward_time(y, x)
            assert host(x.grad).shape == (2,) and np.all(np.isfinite(host(x.grad)))
            del x, y
    ratio = times[20_000] / times[5_000]
    assert ratio < 8, f"backward took {times} seconds: 4x the ops took {ratio:.1f}x as long"


# ---- memory -----------------------------------------------------------------------------------------------


def test_a_graph_of_many_kinds_of_function_is_freed_by_reference_counting(device):
    """An MLP, a multi-output split, concat, indexing, broadcasting and a loss: after ``del loss`` every
    intermediate Variable and Function is gone without the cycle collector, and the leaves and parameters
    keep their gradients, which hold no graph."""
    autograd.seed(3)
    m = model.MLP([6, 4]).to(device)
    x = var(np.linspace(-1, 1, 15).reshape(5, 3), device)
    with gc_off():
        h = m(x)  # (5, 4)
        a, b = F.split(h, 2, axis=1)
        c = F.concat([F.tanh(a) * b, a[1:3].sum(axis=0, keepdims=True) + b[:1]], axis=0)
        loss = F.mean_squared_error(c, var(np.zeros((6, 2)), device)) + F.logsumexp(c, axis=1).sum()
        loss.backward()
        refs = {"h": weakref.ref(h), "split": weakref.ref(a.creator), "c": weakref.ref(c),
                "concat": weakref.ref(c.creator), "loss fn": weakref.ref(loss.creator),
                "first linear": weakref.ref(h.creator.inputs[0].creator.inputs[0].creator)}
        del h, a, b, c
        assert all(r() is not None for r in refs.values())  # the loss still holds its graph
        del loss
        alive = [name for name, r in refs.items() if r() is not None]
        assert alive == []
    assert x.grad is not None and x.grad.creator is None
    for name, p in m.named_params():
        assert p.grad is not None and p.grad.creator is None, name
        assert np.all(np.isfinite(host(p.grad))) and np.any(host(p.grad) != 0), name


def test_create_graph_gradients_hold_the_graph_until_cleared_then_free_it_without_gc(device):
    """With create_graph=True, x.grad's own graph refers back to x (a cycle through the leaf, as in every
    such library); clearing the gradient breaks it, and reference counting then frees everything."""
    x = var([0.5, 1.0, 2.0], device)
    with gc_off():
        loss = (F.sin(x) * x).sum()
        loss.backward(create_graph=True)
        forward = weakref.ref(loss.creator)
        backward = weakref.ref(x.grad.creator)
        np.testing.assert_allclose(host(x.grad), np.cos([0.5, 1, 2]) * [0.5, 1, 2] + np.sin([0.5, 1, 2]))
        del loss
        assert backward() is not None  # x holds its gradient, and the gradient's graph
        x.cleargrad()
        assert forward() is None and backward() is None


def _empty_caches():
    """gc.collect() (its count of unreachable objects), after emptying CPython's type attribute cache."""
    getattr(sys, "_clear_type_cache", lambda: None)()
    return gc.collect()


def test_training_memory_stays_flat(device):
    """10 000 SGD steps of a small MLP on the cpu (1 250 on sim, whose ops cost ten times as much): the
    memory still held after the last step exceeds that held after step 1 000 (250 on sim) by less than
    16 KiB (about 1.5 KiB measured), where one leaked 56-byte tuple a step would be 490 KiB (55 KiB on
    sim); and with the cycle collector off
    throughout, no step leaves a cycle for it to find.

    tracemalloc starts at the first measurement, so it counts exactly the blocks allocated after it and
    still held at the second. Both are taken after emptying two CPython caches that hold memory the
    library does not: the free lists (gc.collect() empties them; a free list slowly filling with traced
    tuples reads as about 120 KiB of growth), and the type attribute cache, which keeps each name string
    it was looked up with: MLP.forward's ``getattr(self, f"l{i}")`` makes a new string every call, and up
    to 4 096 of them (about 200 KiB) stay cached, about 20 KiB over 9 000 steps here.
    tracemalloc sees NumPy's buffers, and array-api-strict's arrays are NumPy arrays inside, so sim is
    measured the same way; CUDA memory is outside its view."""
    if device.name not in ("cpu", "sim"):
        pytest.skip("tracemalloc does not see device memory")
    warm, steps = (1_000, 10_000) if on_cpu(device) else (250, 1_250)
    autograd.seed(0)
    m = model.MLP([10, 1]).to(device)
    opt = optimizer.SGD(learning_rate=0.05)
    rng = np.random.default_rng(5)
    xs = rng.standard_normal((16, 5)).astype(np.float32)
    x = Variable(xs, device=device, requires_grad=False)
    t = Variable(np.sin(xs.sum(axis=1, keepdims=True)), device=device, requires_grad=False)

    def step():
        loss = F.mean_squared_error(m(x), t)
        m.cleargrads()
        loss.backward()
        opt.update(m)
        return loss

    with gc_off():
        first = host(step()).item()
        for _ in range(warm - 1):
            step()
        tracemalloc.start()
        try:
            cycles = [_empty_caches()]
            held_at_warm = tracemalloc.get_traced_memory()[0]
            for _ in range(steps - warm - 1):
                step()
            last = host(step()).item()
            cycles.append(_empty_caches())
            grown = tracemalloc.get_traced_memory()[0] - held_at_warm
        finally:
            tracemalloc.stop()
    assert last < 0.5 * first  # it trained
    assert cycles == [0, 0]
    assert grown < 16 * 1024, f"memory held grew by {grown} bytes over {steps - warm} steps"


# ---- threads ----------------------------------------------------------------------------------------------


def _run_threads(*targets, timeout=60):
    errors = []

    def wrap(target):
        def run():
            try:
                target()
            except BaseException as e:  # noqa: BLE001  (re-raised in the main thread)
                errors.append(e)
        return run

    threads = [threading.Thread(target=wrap(t)) for t in targets]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout)
        assert not t.is_alive(), "thread hung"
    if errors:
        raise errors[0]


class Pause(Function):
    """The identity, whose backward stops half-way: says so, and waits for the word to go on."""

    def __init__(self, inside, go, seen):
        self.inside, self.go, self.seen = inside, go, seen

    def forward(self, x):
        return x

    def backward(self, gy):
        self.seen["backprop during own backward"] = config.backprop_enabled()
        self.inside.set()
        assert self.go.wait(10)
        return gy


def test_a_backward_pass_in_one_thread_does_not_switch_off_recording_in_another(device):
    """backward() switches recording off for itself (create_graph=False) for the whole pass; a thread that
    works while that pass is half-way must still record, and its own backward must be right."""
    inside, go, seen = threading.Event(), threading.Event(), {}
    x = var([1.0, 2.0], device)

    def worker():
        y = Pause(inside, go, seen)(x * 3.0)
        y.backward()

    def main():
        assert inside.wait(10)
        try:
            seen["main backprop"] = config.backprop_enabled()
            z = var([4.0, -1.0], device)
            w = F.sin(z) * z
            seen["main records"] = w.creator is not None
            w.backward()
            seen["main grad"] = host(z.grad).tolist()
        finally:
            go.set()

    _run_threads(worker, main)
    assert seen == {"backprop during own backward": False, "main backprop": True, "main records": True,
                    "main grad": (np.cos([4.0, -1.0]) * [4.0, -1.0] + np.sin([4.0, -1.0])).tolist()}
    assert host(x.grad).tolist() == [3.0, 3.0]


def test_threads_in_no_grad_and_test_mode_beside_one_training_share_a_model_layer_by_layer(device):
    """Two threads run the same MLP in lockstep, one layer at a time: one for inference inside no_grad()
    and test_mode(), with dropout; the other training, with dropout. The inference thread records nothing
    and drops nothing; the training thread records every layer, drops, and gets the gradients it gets
    alone."""
    autograd.seed(1)
    m = model.MLP([8, 8, 1]).to(device)
    xs = np.random.default_rng(2).standard_normal((4, 3))
    x = var(xs, device, dtype=np.float32)
    with no_grad():
        m(x)  # create the weights
    barrier = threading.Barrier(2, timeout=10)
    layers = [m.l0, m.l1, m.l2]
    log = {"infer": [], "train": []}

    def run(name, ratio):
        h = x
        for i, layer in enumerate(layers):
            barrier.wait()  # both threads are at layer i
            h = layer(h)
            dropped = False
            if i < len(layers) - 1:
                h = F.dropout(F.sigmoid(h), ratio)
                dropped = bool(np.any(host(h) == 0))  # a sigmoid is never 0: only dropout makes zeros
            log[name].append((config.backprop_enabled(), is_training(), h.creator is not None, dropped))
            barrier.wait()
        return h

    out = {}

    def infer():
        with no_grad(), test_mode():
            out["infer"] = run("infer", 0.5)

    def train():
        autograd.seed(9)
        y = run("train", 0.5)
        y.sum().backward()
        out["train grads"] = [host(p.grad).copy() for p in m.params()]

    _run_threads(infer, train)
    assert log["infer"] == [(False, False, False, False)] * 3
    assert log["train"] == [(True, True, True, True), (True, True, True, True), (True, True, True, False)]
    with no_grad():
        np.testing.assert_array_equal(host(out["infer"]), host(m(x)))  # dropout was off: the plain output

    m.cleargrads()
    autograd.seed(9)
    h = x
    for i, layer in enumerate(layers):
        h = layer(h)
        if i < len(layers) - 1:
            h = F.dropout(F.sigmoid(h), 0.5)
    h.sum().backward()
    alone = [host(p.grad) for p in m.params()]
    for a, b in zip(out["train grads"], alone, strict=True):
        np.testing.assert_array_equal(a, b)


_PROBLEMS = {
    # name: (layer sizes, input size, optimizer, data seed, parity: the steps on which it holds no_grad)
    "sgd": ([10, 1], 5, lambda: optimizer.SGD(learning_rate=0.1), 21, 0),
    "adam": ([8, 8, 1], 3, lambda: optimizer.Adam(alpha=0.01), 22, 1),
}
STEPS = 100


def _build(name, device):
    sizes, n_in, make_opt, data_seed, parity = _PROBLEMS[name]
    autograd.seed(data_seed)  # weights are drawn here, in the calling thread, from the shared generator
    m = model.MLP(sizes).to(device)
    rng = np.random.default_rng(data_seed)
    xs = rng.standard_normal((16, n_in)).astype(np.float32)
    x = Variable(xs, device=device, requires_grad=False)
    t = Variable(np.tanh(xs.sum(axis=1, keepdims=True)), device=device, requires_grad=False)
    with no_grad():
        m(x)
    return m, make_opt(), x, t, parity


def _no_sync():
    pass


def _train(m, opt, x, t, parity, sync=_no_sync):
    """STEPS steps, each a training step and an evaluation under no_grad() and test_mode(); on steps of the
    given parity the evaluation comes first, and the thread waits between ``sync()`` calls inside its
    no_grad() block. Two threads of opposite parity in lockstep thus train, on every step, while the other
    holds no_grad(): training must record (and does, as asserted), evaluation must not."""
    losses, evals = [], []

    def train_step():
        loss = F.mean_squared_error(m(x), t)
        assert loss.creator is not None
        m.cleargrads()
        loss.backward()
        opt.update(m)
        losses.append(host(loss).item())

    def evaluate():
        y = m(x)
        assert y.creator is None
        evals.append(host(F.mean_squared_error(y, t)).item())

    for i in range(STEPS):
        if i % 2 == parity:
            with no_grad(), test_mode():
                sync()  # the other thread now trains one step
                sync()
                evaluate()
            train_step()
        else:
            sync()
            train_step()
            sync()
            with no_grad(), test_mode():
                evaluate()
    return losses, evals, [host(p).copy() for p in m.params()]


def test_two_threads_training_two_models_end_as_when_trained_alone(device):
    """Trained one after the other; then at once in lockstep, each training while the other sits inside
    no_grad(); then at once, free running, with the interpreter switching threads every few microseconds:
    the same losses, evaluations and weights, bit for bit."""
    alone = {name: _train(*_build(name, device)) for name in _PROBLEMS}
    for name, (losses, _, _) in alone.items():
        assert losses[-1] < 0.5 * losses[0], name

    def together(lockstep):
        built = {name: _build(name, device) for name in _PROBLEMS}  # weights drawn before the threads start
        results = {}
        barrier = threading.Barrier(2, timeout=10)

        def job(name):
            def run():
                results[name] = _train(*built[name], sync=barrier.wait if lockstep else _no_sync)
            return run

        old = sys.getswitchinterval()
        sys.setswitchinterval(old if lockstep else 1e-5)
        try:
            _run_threads(*(job(name) for name in _PROBLEMS))
        finally:
            sys.setswitchinterval(old)
        return results

    for lockstep in (True, False):
        results = together(lockstep)
        for name in _PROBLEMS:
            losses, evals, weights = results[name]
            assert losses == alone[name][0], (name, lockstep)
            assert evals == alone[name][1], (name, lockstep)
            for a, b in zip(weights, alone[name][2], strict=True):
                np.testing.assert_array_equal(a, b, err_msg=f"{name}, lockstep={lockstep}")
