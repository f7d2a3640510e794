"""Properties every op shares: float32 stays float32 (values, gradients, second-order gradients), results stay
on the input's device, and every op of ``autograd.function`` is covered by these tests."""
import pathlib
import re

import numpy as np
import pytest

import autograd.function as F
from autograd import Variable, to_host
from autograd.backend import dtype_name

RNG = np.random.default_rng(23)


def f32(device, shape, low=0.5, high=2.0):
    """A float32 Variable of distinct values in [low, high) (positive by default: log, pow and ties are safe)."""
    n = int(np.prod(shape))
    a = low + (high - low) * (RNG.permutation(n) + RNG.uniform(0.1, 0.9, n)) / n
    return Variable(a.reshape(shape).astype(np.float32), device=device)


def labels(device, values):
    return device.put(np.array(values))


# name -> function of the device giving (the op applied to its Variables, [the Variables])
def case(fn, *shapes, low=0.5, high=2.0):
    def build(device):
        xs = [f32(device, s, low, high) for s in shapes]
        return (lambda: fn(*xs)), xs
    return build


CASES = {
    "add": case(F.add, (2, 3), (3,)),
    "sub": case(F.sub, (2, 1), (1, 3)),
    "mul": case(F.mul, (2, 3), ()),
    "div": case(F.div, (), (2, 3)),
    "pow": case(F.pow, (2, 3), (3,)),
    "neg": case(F.neg, (2, 3)),
    "square": case(F.square, (2, 3)),
    "x + 1": case(lambda x: x + 1, (2, 3)),
    "1.5 - x": case(lambda x: 1.5 - x, (2, 3)),
    "x * 2.0": case(lambda x: x * 2.0, (2, 3)),
    "2 * x": case(lambda x: 2 * x, (2, 3)),
    "x / 3": case(lambda x: x / 3, (2, 3)),
    "3.0 / x": case(lambda x: 3.0 / x, (2, 3)),
    "x ** 2": case(lambda x: x ** 2, (2, 3)),
    "x ** 0.5": case(lambda x: x ** 0.5, (2, 3)),
    "2.0 ** x": case(lambda x: 2.0 ** x, (2, 3)),
    "sin": case(F.sin, (2, 3)),
    "cos": case(F.cos, (2, 3)),
    "tanh": case(F.tanh, (2, 3)),
    "exp": case(F.exp, (2, 3)),
    "log": case(F.log, (2, 3)),
    "astype": case(lambda x: F.astype(F.astype(x, "float64") * 2.0, "float32"), (2, 3)),
    "clip": case(lambda x: F.clip(x, 0.8, 1.6), (2, 3)),
    "clip None": case(lambda x: F.clip(x, None, 1.2), (2, 3)),
    "where": lambda d: (lambda x0, x1: ((lambda: F.where(x0 > 1.0, x0, x1)), [x0, x1]))(f32(d, (2, 3)), f32(d, (3,))),
    "where scalar": case(lambda x: F.where(x > 1.0, x, 0.0), (2, 3)),
    "mask_fill": case(lambda x: F.mask_fill(x, x > 1.0, -1.0), (2, 3)),
    "sigmoid": case(F.sigmoid, (2, 3), low=-3.0, high=3.0),
    "relu": case(F.relu, (2, 3), low=-1.0, high=1.0),
    "leaky_relu": case(lambda x: F.leaky_relu(x, 0.1), (2, 3), low=-1.0, high=1.0),
    "gelu": case(F.gelu, (2, 3), low=-2.0, high=2.0),
    "softmax": case(F.softmax, (2, 3)),
    "softmax axis 0": case(lambda x: F.softmax(x, axis=0), (2, 3)),
    "log_softmax": case(F.log_softmax, (2, 3)),
    "sum": case(F.sum, (2, 3)),
    "sum axis": case(lambda x: F.sum(x, axis=1, keepdims=True), (2, 3)),
    "mean": case(lambda x: F.mean(x, axis=0), (2, 3)),
    "max": case(lambda x: F.max(x, axis=1), (2, 3)),
    "min": case(F.min, (2, 3)),
    "variance": case(lambda x: F.variance(x, axis=1, ddof=1), (2, 3)),
    "logsumexp": case(lambda x: F.logsumexp(x, axis=-1), (2, 3)),
    "matmul": case(F.matmul, (2, 3), (3, 2)),
    "matmul 1-d": case(F.matmul, (3,), (3,)),
    "matmul batched": case(F.matmul, (2, 1, 2, 3), (2, 3, 2)),
    "linear": case(F.linear, (2, 3), (3, 2), (2,)),
    "linear nobias": case(F.linear, (2, 3), (3, 2)),
    "mean_squared_error": case(F.mean_squared_error, (2, 3), (2, 3)),
    "cross_entropy": lambda d: (lambda x: ((lambda: F.cross_entropy(x, labels(d, [2, -100]))), [x]))(f32(d, (2, 3))),
    "softmax_cross_entropy": lambda d: (lambda x: ((lambda: F.softmax_cross_entropy(x, labels(d, [0, 1]))), [x]))(
        f32(d, (2, 3))),
    "sigmoid_cross_entropy": lambda d: (lambda x: ((lambda: F.sigmoid_cross_entropy(x, labels(d, [[0, 1, 1]]))),
                                                   [x]))(f32(d, (1, 3), low=-2.0)),
    "accuracy": lambda d: (lambda x: ((lambda: F.accuracy(x, labels(d, [0, 2]))), []))(f32(d, (2, 3))),
    "dropout": case(lambda x: F.dropout(x, 0.5), (4, 5)),
    "reshape": case(lambda x: F.reshape(x, (3, 2)), (2, 3)),
    "transpose": case(lambda x: F.transpose(x, (1, 0, 2)), (2, 3, 2)),
    "matrix_transpose": case(F.matrix_transpose, (2, 3, 2)),
    "broadcast_to": case(lambda x: F.broadcast_to(x, (2, 3)), (3,)),
    "sum_to": case(lambda x: F.sum_to(x, (1, 3)), (2, 3)),
    "squeeze": case(F.squeeze, (1, 3, 1)),
    "unsqueeze": case(lambda x: F.unsqueeze(x, 1), (2, 3)),
    "get_item slice": case(lambda x: F.get_item(x, (slice(None), 1)), (2, 3)),
    "get_item int array": case(lambda x: F.get_item(x, [1, 1, 0]), (2, 3)),
    "get_item mask": case(lambda x: F.get_item(x, x > 1.0), (2, 3)),
    "concat": case(lambda a, b: F.concat([a, b], axis=1), (2, 1), (2, 2)),
    "split": case(lambda x: F.split(x, [1], axis=1), (2, 3)),
    "flatten": case(F.flatten, (2, 3, 2)),
    "im2col": case(lambda x: F.im2col(x, 2, stride=1, pad=1), (1, 2, 3, 3)),
    "col2im": case(lambda c: F.col2im(c, (1, 2, 3, 3), 2, stride=1, pad=1), (1, 8, 16)),
    "conv2d": case(lambda x, W, b: F.conv2d(x, W, b, stride=2, pad=1), (1, 2, 4, 4), (3, 2, 3, 3), (3,)),
    "conv_transpose2d": case(lambda x, W, b: F.conv_transpose2d(x, W, b, stride=2, pad=1), (1, 2, 3, 3),
                             (2, 3, 3, 3), (3,)),
    "max_pool2d": case(lambda x: F.max_pool2d(x, 2), (1, 2, 4, 4)),
    "avg_pool2d": case(lambda x: F.avg_pool2d(x, 2, stride=1, pad=1), (1, 2, 3, 3)),
    "batch_norm": case(F.batch_norm, (4, 3), (3,), (3,)),
    "layer_norm": case(F.layer_norm, (2, 3), (3,), (3,)),
    "embed_id": lambda d: (lambda W: ((lambda: F.embed_id(labels(d, [[0, 2], [2, 1]]), W)), [W]))(f32(d, (3, 2))),
}


@pytest.mark.parametrize("name", CASES)
def test_float32_stays_float32(device, name):
    run, xs = CASES[name](device)
    out = run()
    outs = out if isinstance(out, list) else [out]
    for y in outs:
        assert dtype_name(y.dtype) == "float32", f"{name}: output is {dtype_name(y.dtype)}"
        assert y.device == device
        assert np.all(np.isfinite(to_host(y)))
    if not xs:
        return
    total = F.sum(outs[0])
    for y in outs[1:]:
        total = total + F.sum(y)
    assert dtype_name(total.dtype) == "float32"
    total.backward(create_graph=True)
    grads = [x.grad for x in xs]
    for x, g in zip(xs, grads):
        assert g is not None, f"{name}: no gradient"
        assert dtype_name(g.dtype) == "float32", f"{name}: gradient is {dtype_name(g.dtype)}"
        assert g.device == device and g.shape == x.shape
    # the backward pass itself, differentiated again, stays float32 too
    second = F.sum(grads[0])
    for g in grads[1:]:
        second = second + F.sum(g)
    for x in xs:
        x.cleargrad()
    second.backward()
    for x in xs:
        if x.grad is not None:
            assert dtype_name(x.grad.dtype) == "float32", f"{name}: second-order gradient is " \
                                                           f"{dtype_name(x.grad.dtype)}"


def test_float64_stays_float64(device):
    x = Variable(np.array([[0.5, 1.5, 2.5]]), device=device)
    for y in [x * 2.0, F.sigmoid(x), F.softmax(x), F.mean(x), F.gelu(x), F.logsumexp(x), x / 3]:
        assert dtype_name(y.dtype) == "float64"


def _tested_names():
    found = set()
    for path in pathlib.Path(__file__).parent.glob("test_*.py"):
        found |= set(re.findall(r"\bF\.(\w+)\b", path.read_text()))
    return found


def test_every_op_is_covered():
    missing = sorted(set(F.__all__) - _tested_names())
    assert not missing, f"ops without tests: {missing}"
    # and every op appears in the float32 table above
    table = " ".join(CASES) + " " + " ".join(re.findall(r"\bF\.(\w+)\b", pathlib.Path(__file__).read_text()))
    assert not [name for name in F.__all__ if name not in table]


def test_all_names_resolve():
    for name in F.__all__:
        assert callable(getattr(F, name)), name
