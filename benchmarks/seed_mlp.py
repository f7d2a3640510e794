"""Time one training step of the seed example (MLP [64, 64, 1], Adam, WeightDecay then ClipGrad) against a
hand-written NumPy version of the same step, measured in the same run.

    python benchmarks/seed_mlp.py                   # cpu
    python benchmarks/seed_mlp.py --device cuda     # the reference stays NumPy on the host

Prints milliseconds per step for both and their ratio (autograd / NumPy), and checks both reach the same loss.
"""
import argparse
import math
import time

import numpy as np

import autograd
import autograd.function as F
from autograd import Variable, hook, model, optimizer

SIZES = [64, 64, 1]
ALPHA, BETA1, BETA2, EPS, DECAY, MAX_NORM = 0.001, 0.9, 0.999, 1e-8, 1e-4, 1.0


def autograd_steps(device, steps):
    """Train the seed example; returns (seconds per step, last loss)."""
    autograd.seed(0)
    mlp = model.MLP(SIZES)
    opt = optimizer.Adam(ALPHA, BETA1, BETA2, EPS, hooks=[hook.WeightDecay(DECAY), hook.ClipGrad(MAX_NORM)])
    x = Variable([1.0, 2.0, 3.0], dtype="float32", device=device)
    t = Variable([0.0, 1.0, 0.0], dtype="float32", device=device)

    def step():
        loss = F.mean_squared_error(mlp(x), t)
        mlp.cleargrads()
        loss.backward()
        opt.update(mlp)
        return loss

    step()  # creates the lazy weights; not timed
    weights = [autograd.to_host(p).copy() for p in mlp.params()]
    start = time.perf_counter()
    for _ in range(steps):
        loss = step()
    last = float(loss)  # waits for the device
    return (time.perf_counter() - start) / steps, last, weights


def numpy_steps(weights, steps):
    """The same step written by hand in NumPy, from the same weights after the first step."""
    params = [w.copy() for w in weights]
    m = [np.zeros_like(p) for p in params]
    v = [np.zeros_like(p) for p in params]
    x = np.array([1.0, 2.0, 3.0], np.float32)
    t = np.array([0.0, 1.0, 0.0], np.float32)
    it = 1

    def step(it):
        W0, b0, W1, b1, W2, b2 = params
        h1 = 1 / (1 + np.exp(-(x @ W0 + b0)))
        h2 = 1 / (1 + np.exp(-(h1 @ W1 + b1)))
        diff = (h2 @ W2 + b2) - t
        loss = np.sum(diff * diff) / diff.size
        gy = np.sum(2 * diff / diff.size, keepdims=True)
        ga2 = (W2 @ gy) * h2 * (1 - h2)
        ga1 = (W1 @ ga2) * h1 * (1 - h1)
        grads = [np.outer(x, ga1), ga1, np.outer(h1, ga2), ga2, np.outer(h2, gy), gy]
        grads = [g + DECAY * p for g, p in zip(grads, params)]
        norm = math.sqrt(sum(float(np.sum(g * g)) for g in grads))
        rate = MAX_NORM / (norm + 1e-6)
        if rate < 1:
            grads = [g * np.float32(rate) for g in grads]
        lr = ALPHA * math.sqrt(1 - BETA2 ** it) / (1 - BETA1 ** it)
        for k, g in enumerate(grads):
            m[k] += (1 - BETA1) * (g - m[k])
            v[k] += (1 - BETA2) * (g * g - v[k])
            params[k] -= lr * m[k] / (np.sqrt(v[k]) + EPS)
        return loss

    start = time.perf_counter()
    for _ in range(steps):
        it += 1
        loss = step(it)
    return (time.perf_counter() - start) / steps, float(loss)


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--device", default="cpu")
    parser.add_argument("--steps", type=int, default=500)
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()
    runs = [autograd_steps(args.device, args.steps) for _ in range(args.repeat)]
    ours, our_loss, weights = min(runs, key=lambda r: r[0])
    ref, ref_loss = min((numpy_steps(weights, args.steps) for _ in range(args.repeat)), key=lambda r: r[0])
    print(f"seed example, {args.steps} steps, best of {args.repeat}, device {args.device}")
    print(f"  autograd {ours * 1e3:8.3f} ms/step   loss {our_loss:.6f}")
    print(f"  NumPy    {ref * 1e3:8.3f} ms/step   loss {ref_loss:.6f}")
    print(f"  ratio    {ours / ref:8.2f}x")


if __name__ == "__main__":
    main()
