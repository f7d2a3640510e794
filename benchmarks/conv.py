"""conv2d forward + backward: autograd (cpu) against a hand-written NumPy im2col implementation.

    python benchmarks/conv.py            # x (32, 16, 28, 28), W (32, 16, 3, 3), stride 1, pad 1, float32
    python benchmarks/conv.py --quick    # tiny shapes and few repeats: checks that everything runs

Both sides compute y = conv2d(x, W, b) and, from one fixed upstream gradient gy, the gradients dx, dW, db.
Prints the median ms of each over ``--repeat`` runs and the ratio autograd / hand-written; the outputs and
gradients must agree (rtol 1e-4), else the exit status is 1.
"""
import argparse
import os
import statistics
import sys
import time

import numpy as np

sys.path.insert(0, os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
from autograd import Variable, to_host  # noqa: E402
from autograd.function.conv import conv2d  # noqa: E402

RTOL = 1e-4


# ---- the hand-written reference ----------------------------------------------------------------------------
def np_im2col(x, kh, kw, s, p):
    """x (N, C, H, W) -> (N, C, kh, kw, OH, OW), zero padded."""
    n, c, h, w = x.shape
    oh, ow = (h + 2 * p - kh) // s + 1, (w + 2 * p - kw) // s + 1
    xp = np.pad(x, ((0, 0), (0, 0), (p, p), (p, p)))
    col = np.empty((n, c, kh, kw, oh, ow), dtype=x.dtype)
    for i in range(kh):
        for j in range(kw):
            col[:, :, i, j] = xp[:, :, i:i + s * oh:s, j:j + s * ow:s]
    return col


def np_col2im(col, x_shape, s, p):
    """The adjoint of np_im2col: overlapping patches summed, padding dropped."""
    n, c, h, w = x_shape
    _, _, kh, kw, oh, ow = col.shape
    out = np.zeros((n, c, h + 2 * p + s - 1, w + 2 * p + s - 1), dtype=col.dtype)
    for i in range(kh):
        for j in range(kw):
            out[:, :, i:i + s * oh:s, j:j + s * ow:s] += col[:, :, i, j]
    return out[:, :, p:p + h, p:p + w]


def reference(x, W, b, gy, s, p):
    """y, dx, dW, db of conv2d by im2col + tensordot."""
    oc, c, kh, kw = W.shape
    col = np_im2col(x, kh, kw, s, p)                                   # (N, C, kh, kw, OH, OW)
    y = np.tensordot(col, W, axes=((1, 2, 3), (1, 2, 3)))              # (N, OH, OW, OC)
    y = y.transpose(0, 3, 1, 2) + b[None, :, None, None]               # (N, OC, OH, OW)
    db = gy.sum(axis=(0, 2, 3))
    dW = np.tensordot(gy, col, axes=((0, 2, 3), (0, 4, 5)))            # (OC, C, kh, kw)
    dcol = np.tensordot(W, gy, axes=(0, 1))                            # (C, kh, kw, N, OH, OW)
    dx = np_col2im(dcol.transpose(3, 0, 1, 2, 4, 5), x.shape, s, p)
    return y, dx, dW, db


def ours(x, W, b, gy, s, p):
    xv, Wv, bv = Variable(x), Variable(W), Variable(b)
    y = conv2d(xv, Wv, bv, stride=s, pad=p)
    y.grad = Variable(gy)
    y.backward()
    return to_host(y), to_host(xv.grad), to_host(Wv.grad), to_host(bv.grad)


def median_ms(fn, repeat):
    times = []
    for _ in range(repeat):
        start = time.perf_counter()
        fn()
        times.append(time.perf_counter() - start)
    return statistics.median(times) * 1e3


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="tiny shapes, few repeats")
    parser.add_argument("--repeat", type=int, default=None, help="timed runs of each side (default 20, quick 3)")
    args = parser.parse_args(argv)
    if args.quick:
        n, c, hw, oc, repeat = 2, 3, 8, 4, 3
    else:
        n, c, hw, oc, repeat = 32, 16, 28, 32, 20
    repeat = args.repeat or repeat
    s, p = 1, 1
    rng = np.random.default_rng(0)
    x = rng.standard_normal((n, c, hw, hw), dtype=np.float32)
    W = rng.standard_normal((oc, c, 3, 3), dtype=np.float32) * np.float32(0.1)
    b = rng.standard_normal(oc, dtype=np.float32)
    gy = rng.standard_normal((n, oc, (hw + 2 * p - 3) // s + 1, (hw + 2 * p - 3) // s + 1), dtype=np.float32)

    names = ("y", "dx", "dW", "db")
    ok = True
    for name, a, r in zip(names, ours(x, W, b, gy, s, p), reference(x, W, b, gy, s, p)):
        if a.dtype != np.float32 or a.shape != r.shape or not np.allclose(a, r, rtol=RTOL, atol=RTOL * np.abs(r).max()):
            print(f"MISMATCH in {name}: autograd {a.dtype} {a.shape}, hand-written {r.dtype} {r.shape}")
            ok = False

    t_ours = median_ms(lambda: ours(x, W, b, gy, s, p), repeat)
    t_ref = median_ms(lambda: reference(x, W, b, gy, s, p), repeat)
    print(f"conv2d forward+backward, x {x.shape}, W {W.shape}, stride {s}, pad {p}, float32, cpu, "
          f"median of {repeat}")
    print(f"  autograd      {t_ours:9.2f} ms")
    print(f"  hand-written  {t_ref:9.2f} ms  (numpy im2col + tensordot)")
    print(f"  ratio autograd / hand-written: {t_ours / t_ref:.2f}")
    print("outputs and gradients agree (rtol 1e-4)" if ok else "MISMATCH")
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
