"""Benchmark autograd against hand-written NumPy (and PyTorch, when installed) on the same training runs.

    python benchmarks/run.py                    # every workload on the cpu
    python benchmarks/run.py --quick            # tiny sizes and steps: checks that everything runs
    python benchmarks/run.py --only digits      # workloads whose name starts with "digits"
    python benchmarks/run.py --device cuda      # autograd on CuPy (and PyTorch on CUDA); the reference stays NumPy
    python benchmarks/run.py --only mlp-small --profile   # also cProfile autograd's side: where per-op time goes

For every workload both implementations start from the same weights (autograd's initial weights, copied into
the hand-written reference in benchmarks/reference.py) and train on the same batches (drawn once from a
fixed NumPy Generator), in this one process. The table gives the median time of ``--repeat`` runs of each,
their ratio autograd / hand-written, and the peak memory of each (tracemalloc's peak over a separate, shorter
run of the same training, weights included: NumPy reports its allocations to tracemalloc; on CUDA, CuPy's
memory pool is measured instead). The final losses of both are printed and must agree (relative tolerance
1e-4 in float32): the two implement the same computation. The exit status is 1 when they do not.

Workloads:
  mlp-large    (i)   MLP 784-1000-1000-10, ReLU, batch 100, softmax cross entropy, SGD, synthetic data: ms/step
  mlp-small    (ii)  MLP 2-10-1, sigmoid hidden, 100 points full batch, MSE, SGD, 2000 steps: per-step overhead
  digits-sgd   (iii) digits 64-100-10, ReLU, batch 100, 50 epochs, SGD: time of the whole run, test accuracy
  digits-adam  (iii) the same with Adam
  lstm         (iv)  LSTM (hidden 32, batch 16, input 1) over 100 time steps, forward + backward + SGD: ms/sequence
  --device     (v)   cuda: every workload with autograd on CuPy (PyTorch on CUDA too, when it has CUDA); each timed
                     run ends by reading the loss on the host, which waits for the GPU. sim: the simulated accelerator.

A machine busy with other work skews the timings (OpenBLAS threads especially): the load average is printed
at the start and the end.
"""
import argparse
import cProfile
import gc
import math
import os
import platform
import pstats
import statistics
import sys
import time
import tracemalloc

import numpy as np

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import reference  # noqa: E402  (benchmarks/reference.py, beside this file)

import autograd  # noqa: E402
import autograd.function as F  # noqa: E402
from autograd import Variable, model, optimizer  # noqa: E402

DTYPE = np.float32
RTOL = 1e-4
SEED = 0

# Sizes of every workload; --quick swaps in QUICK. ``units`` is how many steps, epochs or sequences one timed
# run trains; ``mem_units`` how many the memory run trains (the peak is reached within the first few).
FULL = {
    "mlp-large": dict(sizes=(784, 1000, 1000, 10), batch=100, batches=10, units=30, mem_units=3, lr=0.05),
    "mlp-small": dict(sizes=(2, 10, 1), points=100, units=2000, mem_units=3, lr=0.5),
    "digits": dict(hidden=100, batch=100, units=50, mem_units=1, lr=0.1, alpha=0.001),
    "lstm": dict(hidden=32, batch=16, length=100, units=5, mem_units=2, lr=0.05),
}
QUICK = {
    "mlp-large": dict(sizes=(784, 32, 32, 10), batch=20, batches=3, units=3, mem_units=2, lr=0.05),
    "mlp-small": dict(sizes=(2, 10, 1), points=100, units=20, mem_units=3, lr=0.5),
    "digits": dict(hidden=20, batch=100, units=2, mem_units=1, lr=0.1, alpha=0.001),
    "lstm": dict(hidden=8, batch=4, length=10, units=2, mem_units=1, lr=0.05),
}


# ---- the sides of a workload: each trains from fresh weights with prepare(), then run(units) -------------------

class AutogradMLP:
    """autograd's model.MLP trained on a list of batches, one optimizer step per batch."""

    name = "autograd"

    def __init__(self, mlp, init, batches, loss, make_optimizer, device, test=None):
        self.mlp, self.init, self.loss, self.make_optimizer = mlp, init, loss, make_optimizer
        self.batches = [_constants(device, x, t) for x, t in batches]
        self.test = None if test is None else _constants(device, *test)

    def prepare(self):
        self.mlp.load_state_dict({name: w.copy() for name, w in self.init.items()})
        self.mlp.cleargrads()
        self.opt = self.make_optimizer()

    def run(self, steps):
        mlp, opt, loss_fn, batches = self.mlp, self.opt, self.loss, self.batches
        for k in range(steps):
            x, t = batches[k % len(batches)]
            loss = loss_fn(mlp(x), t)
            mlp.cleargrads()
            loss.backward()
            opt.update(mlp)
        return float(loss)  # the host reads the loss: on a GPU this waits for the work to finish

    def weights(self):
        """The current weights as host arrays, in the reference's order."""
        return [autograd.to_host(p.data) for p in self.mlp.params()]

    def accuracy(self):
        if self.test is None:
            return None
        with autograd.no_grad(), autograd.test_mode():
            return float(F.accuracy(self.mlp(self.test[0]), self.test[1]))


class ReferenceMLP:
    """The hand-written NumPy MLP (benchmarks/reference.py) on the same batches."""

    name = "hand-written"

    def __init__(self, init, activation, loss, batches, optimizer_kind, lr, test=None):
        self.init, self.activation, self.loss, self.batches = init, activation, loss, batches
        self.optimizer_kind, self.lr, self.test = optimizer_kind, lr, test

    def prepare(self):
        self.net = reference.MLP(self.init, self.activation)  # copies the weights
        self.adam = reference.Adam(self.net.params, alpha=self.lr) if self.optimizer_kind == "adam" else None

    def run(self, steps):
        net, batches, loss_kind, adam, lr = self.net, self.batches, self.loss, self.adam, self.lr
        for k in range(steps):
            x, t = batches[k % len(batches)]
            loss, grads = net.loss_and_grads(x, t, loss_kind)
            if adam is None:
                reference.sgd(net.params, grads, lr)
            else:
                adam.update(grads)
        return loss

    def weights(self):
        return self.net.params

    def accuracy(self):
        return None if self.test is None else self.net.accuracy(*self.test)


class TorchMLP:
    """The same MLP in PyTorch eager mode (weights as (in, out) matrices, like autograd's), torch.optim."""

    name = "torch"

    def __init__(self, torch, device, init, activation, loss, batches, optimizer_kind, lr, test=None):
        self.torch, self.device, self.init, self.loss_kind = torch, device, init, loss
        self.act = torch.relu if activation == "relu" else torch.sigmoid
        self.batches = [(torch.from_numpy(x).to(device), torch.from_numpy(t).to(device)) for x, t in batches]
        self.test = None if test is None else tuple(torch.from_numpy(a).to(device) for a in test)
        self.optimizer_kind, self.lr = optimizer_kind, lr

    def prepare(self):
        torch = self.torch
        self.params = [torch.tensor(w, device=self.device, requires_grad=True) for w in self.init]
        if self.optimizer_kind == "adam":
            self.opt = torch.optim.Adam(self.params, lr=self.lr, betas=(0.9, 0.999), eps=1e-8)
        else:
            self.opt = torch.optim.SGD(self.params, lr=self.lr)

    def forward(self, x):
        layers = len(self.params) // 2
        for k in range(layers):
            x = self.torch.addmm(self.params[2 * k + 1], x, self.params[2 * k])
            if k < layers - 1:
                x = self.act(x)
        return x

    def run(self, steps):
        nnf = self.torch.nn.functional
        loss_fn = nnf.cross_entropy if self.loss_kind == "cross_entropy" else nnf.mse_loss
        for k in range(steps):
            x, t = self.batches[k % len(self.batches)]
            loss = loss_fn(self.forward(x), t)
            self.opt.zero_grad(set_to_none=True)
            loss.backward()
            self.opt.step()
        return loss.item()

    def accuracy(self):
        if self.test is None:
            return None
        with self.torch.no_grad():
            return (self.forward(self.test[0]).argmax(dim=1) == self.test[1]).float().mean().item()


class AutogradLSTM:
    """autograd's model.LSTM over a whole sequence, loss = mean over steps of the MSE, then one SGD step."""

    name = "autograd"

    def __init__(self, net, init, xs, ts, lr, device):
        self.net, self.init, self.lr = net, init, lr
        self.steps = [_constants(device, x, t) for x, t in zip(xs, ts)]

    def prepare(self):
        self.net.reset_state()
        self.net.load_state_dict({name: w.copy() for name, w in self.init.items()})
        self.net.cleargrads()
        self.opt = optimizer.SGD(self.lr)

    def run(self, sequences):
        net, opt = self.net, self.opt
        for _ in range(sequences):
            net.reset_state()
            loss = None
            for x, t in self.steps:
                step = F.mean_squared_error(net(x), t)
                loss = step if loss is None else loss + step
            loss = loss / len(self.steps)
            net.cleargrads()
            loss.backward()
            opt.update(net)
        return float(loss)

    def weights(self):
        """The current weights as host arrays, gates fused in the reference's order."""
        return reference.LSTM({name: autograd.to_host(p.data) for name, p in self.net.named_params()}).params

    def accuracy(self):
        return None


class ReferenceLSTM:
    name = "hand-written"

    def __init__(self, init, xs, ts, lr):
        self.init, self.xs, self.ts, self.lr = init, xs, ts, lr

    def prepare(self):
        self.net = reference.LSTM(self.init)  # the fused weights are new arrays

    def run(self, sequences):
        for _ in range(sequences):
            loss, grads = self.net.loss_and_grads(self.xs, self.ts)
            reference.sgd(self.net.params, grads, self.lr)
        return loss

    def weights(self):
        return self.net.params

    def accuracy(self):
        return None


class TorchLSTM:
    """The same LSTM in PyTorch eager mode, gates fused like the reference's, torch.optim.SGD."""

    name = "torch"

    def __init__(self, torch, device, init, xs, ts, lr):
        self.torch, self.device, self.init, self.lr = torch, device, init, lr
        self.xs, self.ts = torch.from_numpy(xs).to(device), torch.from_numpy(ts).to(device)

    def prepare(self):
        ref = reference.LSTM(self.init)
        self.params = [self.torch.tensor(p, device=self.device, requires_grad=True) for p in ref.params]
        self.hidden = ref.hidden
        self.opt = self.torch.optim.SGD(self.params, lr=self.lr)

    def run(self, sequences):
        torch, H = self.torch, self.hidden
        Wx, b, Wh, Wy, by = self.params
        for _ in range(sequences):
            h = c = None
            loss = 0
            for s in range(self.xs.shape[0]):
                a = torch.addmm(b, self.xs[s], Wx)
                if h is not None:
                    a = a + h @ Wh
                f, i, o = torch.sigmoid(a[:, :3 * H]).split(H, dim=1)
                u = torch.tanh(a[:, 3 * H:])
                c = i * u if c is None else f * c + i * u
                h = o * torch.tanh(c)
                loss = loss + torch.nn.functional.mse_loss(torch.addmm(by, h, Wy), self.ts[s])
            loss = loss / self.xs.shape[0]
            self.opt.zero_grad(set_to_none=True)
            loss.backward()
            self.opt.step()
        return loss.item()

    def accuracy(self):
        return None


def _constants(device, *arrays):
    return tuple(Variable(a, device=device, requires_grad=False) for a in arrays)


# ---- workloads ------------------------------------------------------------------------------------------------

class Workload:
    """Sides that train the same model from the same start. A timed run trains ``units`` (steps, epochs of
    ``per_unit`` steps, sequences); its time is reported per unit, or for the whole run with ``whole_run``."""

    def __init__(self, name, title, unit, per_unit, units, mem_units, sides, rtol=RTOL, whole_run=False):
        self.name, self.title, self.unit, self.per_unit = name, title, unit, per_unit
        self.units, self.mem_units, self.sides, self.rtol = units, mem_units, sides, rtol
        self.whole_run = whole_run


def _autograd_mlp(sizes, activation, device):
    """A model.MLP with its lazy weights created by a first forward (on the host), moved to ``device``;
    returns it and its initial weights by name."""
    autograd.seed(SEED)
    mlp = model.MLP(sizes[1:], activation=F.relu if activation == "relu" else F.sigmoid)
    with autograd.no_grad():
        mlp(np.zeros((1, sizes[0]), DTYPE))
    init = mlp.state_dict()
    return mlp.to(device), init


def _mlp_workload(name, title, unit, per_unit, units, mem_units, device, torch, sizes, activation, loss,
                  batches, optimizer_kind, lr, test=None, whole_run=False):
    mlp, init = _autograd_mlp(sizes, activation, device)
    weights = list(init.values())  # l0.W, l0.b, l1.W, ...: the reference's order
    if optimizer_kind == "adam":
        def make_optimizer():
            return optimizer.Adam(alpha=lr)
    else:
        def make_optimizer():
            return optimizer.SGD(lr)
    loss_fn = F.cross_entropy if loss == "cross_entropy" else F.mean_squared_error
    sides = [ReferenceMLP(weights, activation, loss, batches, optimizer_kind, lr, test),
             AutogradMLP(mlp, init, batches, loss_fn, make_optimizer, device, test)]
    if torch is not None:
        sides.append(TorchMLP(torch[0], torch[1], weights, activation, loss, batches, optimizer_kind, lr, test))
    return Workload(name, title, unit, per_unit, units, mem_units, sides, whole_run=whole_run)


def mlp_large(device, cfg, torch=None):
    """(i) MLP 784-1000-1000-10, ReLU, softmax cross entropy, SGD, on synthetic data a linear teacher labels."""
    rng = np.random.default_rng(SEED)
    sizes = cfg["sizes"]
    teacher = rng.standard_normal((sizes[0], sizes[-1]))
    batches = []
    for _ in range(cfg["batches"]):
        x = rng.standard_normal((cfg["batch"], sizes[0])).astype(DTYPE)
        batches.append((x, np.argmax(x @ teacher, axis=1).astype(np.int64)))
    title = f"(i) MLP {'-'.join(map(str, sizes))} relu, batch {cfg['batch']}, CE, SGD"
    return _mlp_workload("mlp-large", title, "ms/step", 1, cfg["units"], cfg["mem_units"], device, torch, sizes,
                         "relu", "cross_entropy", batches, "sgd", cfg["lr"])


def mlp_small(device, cfg, torch=None):
    """(ii) MLP 2-10-1, sigmoid hidden, MSE, SGD, full batch of 100 points: the per-step overhead."""
    rng = np.random.default_rng(SEED)
    x = rng.uniform(-1.0, 1.0, (cfg["points"], cfg["sizes"][0])).astype(DTYPE)
    t = (np.sin(np.pi * x[:, :1]) * np.cos(np.pi * x[:, 1:2])).astype(DTYPE)
    title = f"(ii) MLP {'-'.join(map(str, cfg['sizes']))} sigmoid, {cfg['points']} points, MSE, SGD"
    return _mlp_workload("mlp-small", title, "ms/step", 1, cfg["units"], cfg["mem_units"], device, torch,
                         cfg["sizes"], "sigmoid", "mse", [(x, t)], "sgd", cfg["lr"])


def digits(device, cfg, optimizer_kind, torch=None):
    """(iii) digits 64-100-10, ReLU, batch 100 (the last of each epoch smaller), one shuffle per epoch."""
    from autograd import data

    train, test = data.digits(train=True), data.digits(train=False)
    rng = np.random.default_rng(SEED)
    n, b = len(train), cfg["batch"]
    per_epoch = math.ceil(n / b)
    batches = []
    for _ in range(cfg["units"]):
        order = rng.permutation(n)
        batches += [(train.x[order[i:i + b]], train.t[order[i:i + b]]) for i in range(0, n, b)]
    lr = cfg["alpha"] if optimizer_kind == "adam" else cfg["lr"]
    sizes = (train.x.shape[1], cfg["hidden"], 10)
    title = (f"(iii) digits {'-'.join(map(str, sizes))} relu, batch {b}, {cfg['units']} epochs, "
             f"{'Adam' if optimizer_kind == 'adam' else 'SGD'}")
    return _mlp_workload(f"digits-{optimizer_kind}", title, f"ms/{cfg['units']} ep", per_epoch, cfg["units"],
                         cfg["mem_units"], device, torch, sizes, "relu", "cross_entropy", batches, optimizer_kind,
                         lr, test=(test.x, test.t), whole_run=True)


def lstm(device, cfg, torch=None):
    """(iv) model.LSTM(hidden, 1) over a sequence of noisy sines (one phase per stream): predict the next value."""
    rng = np.random.default_rng(SEED)
    T, B = cfg["length"], cfg["batch"]
    phase = rng.uniform(0.0, 2.0 * np.pi, (1, B, 1))
    wave = np.sin(phase + 0.1 * np.arange(T + 1).reshape(-1, 1, 1)) + 0.05 * rng.standard_normal((T + 1, B, 1))
    xs, ts = wave[:-1].astype(DTYPE), wave[1:].astype(DTYPE)
    autograd.seed(SEED)
    net = model.LSTM(cfg["hidden"], 1)
    with autograd.no_grad():  # two steps: the h2* weights are created at the second
        net(np.zeros((B, 1), DTYPE))
        net(np.zeros((B, 1), DTYPE))
    net.reset_state()
    init = net.state_dict()
    net.to(device)
    sides = [ReferenceLSTM(init, xs, ts, cfg["lr"]), AutogradLSTM(net, init, xs, ts, cfg["lr"], device)]
    if torch is not None:
        sides.append(TorchLSTM(torch[0], torch[1], init, xs, ts, cfg["lr"]))
    title = f"(iv) LSTM hidden {cfg['hidden']}, batch {B}, {T} steps, fwd+bwd+SGD"
    return Workload("lstm", title, "ms/seq", 1, cfg["units"], cfg["mem_units"], sides)


BUILDERS = {
    "mlp-large": lambda device, cfg, torch: mlp_large(device, cfg["mlp-large"], torch),
    "mlp-small": lambda device, cfg, torch: mlp_small(device, cfg["mlp-small"], torch),
    "digits-sgd": lambda device, cfg, torch: digits(device, cfg["digits"], "sgd", torch),
    "digits-adam": lambda device, cfg, torch: digits(device, cfg["digits"], "adam", torch),
    "lstm": lambda device, cfg, torch: lstm(device, cfg["lstm"], torch),
}


# ---- measuring ------------------------------------------------------------------------------------------------

class _CupyPeak:
    """Peak bytes in use in CuPy's memory pool while active (a cupy.cuda.MemoryHook)."""

    def __init__(self):
        import cupy

        class Hook(cupy.cuda.MemoryHook):
            name = "autograd-benchmark-peak"

            def __init__(self):
                self.current = self.peak = 0

            def malloc_postprocess(self, **kwargs):  # a chunk taken from the pool
                self.current += kwargs["mem_size"]
                self.peak = max(self.peak, self.current)

            def free_postprocess(self, **kwargs):  # a chunk given back to the pool
                self.current -= kwargs["mem_size"]

        self.hook = Hook()

    def __enter__(self):
        self.hook.__enter__()
        return self.hook

    def __exit__(self, *exc):
        self.hook.__exit__(*exc)


def peak_memory(side, units, device):
    """Peak bytes allocated while ``side`` sets up its weights and trains ``units``: tracemalloc for NumPy
    (host) arrays, CuPy's pool for autograd on CUDA; None where neither sees the allocations (PyTorch)."""
    if side.name == "torch":
        return None
    gc.collect()
    if side.name == "autograd" and device.name.startswith("cuda"):
        try:
            peak = _CupyPeak()
        except Exception:  # noqa: BLE001  no usable memory hook: report no number rather than a wrong one
            return None
        with peak as hook:
            side.prepare()
            side.run(units)
        return hook.peak
    tracemalloc.start()
    try:
        side.prepare()
        side.run(units)
        return tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()


class Result:
    def __init__(self, workload):
        self.workload = workload
        self.times = {side.name: [] for side in workload.sides}
        self.peaks, self.losses, self.accuracies = {}, {}, {}
        self.weight_diff = None  # the largest difference between the final weights of the two

    def ms(self, name):
        """Median milliseconds per unit (step, sequence) or per whole run, as the workload reports it."""
        times = self.times.get(name)
        if not times:
            return None
        w = self.workload
        return statistics.median(times) * 1e3 / (1 if w.whole_run else w.units)

    def agree(self):
        ref, ours = self.losses.get("hand-written"), self.losses.get("autograd")
        return ref is not None and ours is not None and math.isclose(ours, ref, rel_tol=self.workload.rtol)


def measure(workload, repeat, device, memory=True):
    """Run every side of ``workload``: one memory run (also a warm-up), then ``repeat`` timed runs, the sides
    taking turns. Each run starts from the initial weights."""
    result = Result(workload)
    steps = workload.units * workload.per_unit
    for side in workload.sides:
        if memory:
            result.peaks[side.name] = peak_memory(side, workload.mem_units * workload.per_unit, device)
        else:
            side.prepare()
            side.run(min(steps, workload.per_unit))  # warm-up
    for _ in range(repeat):
        for side in workload.sides:
            side.prepare()
            gc.collect()
            start = time.perf_counter()
            loss = side.run(steps)
            result.times[side.name].append(time.perf_counter() - start)
            result.losses[side.name] = loss
    for side in workload.sides:
        result.accuracies[side.name] = side.accuracy()
    sides = {side.name: side for side in workload.sides}
    result.weight_diff = max(float(np.max(np.abs(a - b))) for a, b in
                             zip(sides["autograd"].weights(), sides["hand-written"].weights(), strict=True))
    return result


def profile_autograd(workload, top=15):
    """cProfile one run of autograd's side; returns the top functions by own time as text."""
    import io

    side = next(s for s in workload.sides if s.name == "autograd")
    side.prepare()
    profiler = cProfile.Profile()
    profiler.runcall(side.run, workload.units * workload.per_unit)
    out = io.StringIO()
    pstats.Stats(profiler, stream=out).sort_stats("tottime").print_stats(top)
    return out.getvalue()


# ---- reporting ------------------------------------------------------------------------------------------------

def machine(device, torch):
    cpu = platform.processor() or platform.machine()
    try:
        with open("/proc/cpuinfo") as f:
            cpu = next(line.split(":", 1)[1].strip() for line in f if line.startswith("model name"))
    except (OSError, StopIteration):
        pass
    try:
        blas = np.show_config(mode="dicts")["Build Dependencies"]["blas"]
        blas = f"{blas['name']} {blas.get('version', '')}".strip()
    except Exception:  # noqa: BLE001  older NumPy: leave it out
        blas = "?"
    cores = len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count()
    try:
        from threadpoolctl import threadpool_info

        blas += "".join(f", {pool['num_threads']} {pool['internal_api']} threads" for pool in threadpool_info())
    except ImportError:
        pass
    load = f"; load average {os.getloadavg()[0]:.2f}" if hasattr(os, "getloadavg") else ""
    lines = [f"machine: {platform.platform()}; {cpu}; {os.cpu_count()} CPUs ({cores} usable){load}",
             f"python {platform.python_version()}, numpy {np.__version__} ({blas}), autograd {autograd.__version__}",
             f"device: autograd on {device}{_gpu_name(device)}, hand-written reference on the host (NumPy)"]
    if torch is None:
        lines.append("torch: not installed (no PyTorch column)")
    else:
        lines.append(f"torch: {torch[0].__version__} on {torch[1]}, {torch[0].get_num_threads()} threads")
    return "\n".join(lines)


def _gpu_name(device):
    if not device.name.startswith("cuda"):
        return ""
    try:
        import cupy

        props = cupy.cuda.runtime.getDeviceProperties(int(device.name.split(":")[1]))
        name = props["name"]
        return f" ({name.decode() if isinstance(name, bytes) else name})"
    except Exception:  # noqa: BLE001
        return ""


def _mb(n):
    return "n/a" if n is None else f"{n / 2 ** 20:.2f} MB"


def _ratio(a, b):
    return "n/a" if a is None or b is None or b == 0 else f"{a / b:.2f}x"


def _ms(v):
    return "n/a" if v is None else (f"{v:.3f}" if v < 10 else f"{v:.1f}")


def table(results, torch):
    head = ["workload", "unit", "hand-written", "autograd", "ratio"]
    if torch is not None:
        head += ["torch", "torch ratio"]
    head += ["mem hand", "mem autograd", "mem ratio"]
    rows = []
    for r in results:
        hand, ours = r.ms("hand-written"), r.ms("autograd")
        row = [r.workload.title, r.workload.unit, _ms(hand), _ms(ours), _ratio(ours, hand)]
        if torch is not None:
            theirs = r.ms("torch")
            row += [_ms(theirs), _ratio(theirs, hand)]
        ph, pa = r.peaks.get("hand-written"), r.peaks.get("autograd")
        row += [_mb(ph), _mb(pa), _ratio(pa, ph)]
        rows.append(row)
    return _format(head, rows)


def loss_table(results, torch):
    head = ["workload", "loss hand-written", "loss autograd", "rel diff", "same", "max |w diff|"]
    if torch is not None:
        head += ["loss torch"]
    head += ["test acc hand", "test acc autograd"]
    rows = []
    for r in results:
        ref, ours = r.losses.get("hand-written"), r.losses.get("autograd")
        diff = abs(ours - ref) / max(abs(ref), 1e-30)
        row = [r.workload.name, f"{ref:.7g}", f"{ours:.7g}", f"{diff:.1e}", "yes" if r.agree() else "NO",
               f"{r.weight_diff:.1e}"]
        if torch is not None:
            row.append("n/a" if r.losses.get("torch") is None else f"{r.losses['torch']:.7g}")
        acc = [r.accuracies.get("hand-written"), r.accuracies.get("autograd")]
        row += ["-" if a is None else f"{a:.4f}" for a in acc]
        rows.append(row)
    return _format(head, rows)


def _format(head, rows):
    widths = [max(len(str(x)) for x in col) for col in zip(head, *rows)]
    left = {0}

    def line(cells):
        return "  ".join(str(c).ljust(w) if i in left else str(c).rjust(w)
                         for i, (c, w) in enumerate(zip(cells, widths)))

    return "\n".join([line(head), line(["-" * w for w in widths])] + [line(row) for row in rows])


def optional_torch(device, wanted=True):
    """(torch, device string) when PyTorch imports, else None; on CUDA only if autograd runs there too."""
    if not wanted:
        return None
    try:
        import torch
    except ImportError:
        return None
    if device.name.startswith("cuda") and torch.cuda.is_available():
        return torch, device.name
    return torch, "cpu"


def select(names):
    """Workload names matching ``--only`` (each a name or the start of names), in table order."""
    if not names:
        return list(BUILDERS)
    chosen = [w for w in BUILDERS if any(w == n or w.startswith(n) for n in names)]
    unknown = [n for n in names if not any(w == n or w.startswith(n) for w in BUILDERS)]
    if unknown:
        raise SystemExit(f"run.py: unknown workload {unknown}; choose from {list(BUILDERS)}")
    return chosen


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0],
                                     formatter_class=argparse.RawDescriptionHelpFormatter,
                                     epilog="\n".join(__doc__.splitlines()[1:]))
    parser.add_argument("--quick", action="store_true", help="tiny sizes and steps (a smoke test)")
    parser.add_argument("--repeat", type=int, default=None, help="timed runs per side (median; default 7, 1 quick)")
    parser.add_argument("--only", action="append", metavar="NAME",
                        help=f"run only this workload (or those starting with it): {', '.join(BUILDERS)}")
    parser.add_argument("--device", default="cpu", help="autograd's device: cpu, sim, cuda or cuda:N")
    parser.add_argument("--blas-threads", type=int, default=None, metavar="N",
                        help="limit NumPy's BLAS to N threads (needs threadpoolctl; default: BLAS's own choice)")
    parser.add_argument("--no-torch", action="store_true", help="leave PyTorch out even when installed")
    parser.add_argument("--profile", action="store_true",
                        help="also print cProfile's top 15 functions (tottime) of autograd's side of each workload")
    args = parser.parse_args(argv)
    repeat = args.repeat if args.repeat is not None else (1 if args.quick else 7)
    if repeat < 1:
        parser.error("--repeat must be at least 1")
    try:
        device = autograd.get_device(args.device)
    except ValueError as e:  # DeviceError: no such device here
        parser.error(str(e))
    cfg = QUICK if args.quick else FULL
    torch = optional_torch(device, not args.no_torch)
    names = select(args.only)
    if args.blas_threads is not None:
        try:
            from threadpoolctl import threadpool_limits
        except ImportError:
            parser.error("--blas-threads needs threadpoolctl: pip install threadpoolctl")
        threadpool_limits(args.blas_threads)

    print(machine(device, torch))
    print(f"{'quick settings, ' if args.quick else ''}median of {repeat} timed run(s) per side; peak memory from "
          f"tracemalloc{' (CuPy pool for autograd)' if device.name.startswith('cuda') else ''}\n", flush=True)
    results = []
    for name in names:
        workload = BUILDERS[name](device, cfg, torch)
        start = time.perf_counter()
        results.append(measure(workload, repeat, device))
        print(f"  {name}: done in {time.perf_counter() - start:.1f} s", file=sys.stderr, flush=True)
    if hasattr(os, "getloadavg"):
        print(f"load average at the end {os.getloadavg()[0]:.2f} (this run itself counts about 1: more means other "
              "work on the machine, which skews the timings)\n")
    print(table(results, torch))
    print("\nfinal losses, same start and same batches (must agree to rtol "
          f"{RTOL:g}; torch's Adam places eps differently):")
    print(loss_table(results, torch))
    if args.profile:
        for name in names:
            workload = BUILDERS[name](device, cfg, None)
            print(f"\ncProfile of autograd on {name} ({workload.units * workload.per_unit} steps or sequences), "
                  "top 15 by tottime:")
            print(profile_autograd(workload))
    bad = [r.workload.name for r in results if not r.agree()]
    if bad:
        print(f"\nMISMATCH: autograd and the hand-written reference end at different losses on {bad}")
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
