"""Every row of the op table (tests/op_tables.py) on every device: the forward pass against NumPy (float64),
float32 in -> float32 out (values, gradients, second-order gradients), results and gradients on the input's
device, and gradcheck of first and second order (float64); and every op of ``autograd.function`` has a row."""
import zlib

import numpy as np
import pytest

import autograd.function as F
from autograd import Variable, to_host
from autograd.backend import dtype_name
from autograd.numerical import gradcheck
from op_tables import OPS, Floats


def host_inputs(name):
    """The row's inputs as host arrays (floats in float64), the same at every call for one row."""
    rng = np.random.default_rng(zlib.crc32(name.encode()))
    return [spec.host(rng) for spec in OPS[name].specs()]


def device_inputs(name, device, dtype):
    """(the arguments of the row's call on ``device``, the differentiable ones among them): Variables of
    ``dtype`` for the float inputs, arrays for the constants (a floating constant in ``dtype`` too)."""
    args, xs = [], []
    for spec, a in zip(OPS[name].specs(), host_inputs(name)):
        if isinstance(spec, Floats):
            xs.append(Variable(a.astype(dtype), device=device))
            args.append(xs[-1])
        else:
            args.append(device.put(a.astype(dtype) if a.dtype.kind == "f" else a))
    return args, xs


def as_list(out):
    return list(out) if isinstance(out, (list, tuple)) else [out]


def run(name, device, dtype):
    """The row's op on ``device`` in ``dtype``: (its outputs, its differentiable inputs, the gradients of the sum of
    its outputs (recorded with create_graph), the second-order gradients: those of the sum of the gradients)."""
    args, xs = device_inputs(name, device, dtype)
    outs = as_list(OPS[name].call(*args))
    if not OPS[name].differentiable:
        return outs, xs, [], []
    total = sum((F.sum(y) for y in outs[1:]), F.sum(outs[0]))
    total.backward(create_graph=True)
    grads = [x.grad for x in xs]
    for x in xs:
        x.cleargrad()
    sum((F.sum(g) for g in grads[1:]), F.sum(grads[0])).backward()
    return outs, xs, grads, [x.grad for x in xs]


@pytest.mark.parametrize("name", OPS)
def test_forward_matches_numpy(device, name):
    row = OPS[name]
    args, _ = device_inputs(name, device, "float64")
    outs = as_list(row.call(*args))
    for y in outs:
        assert dtype_name(y.dtype) == (row.dtype or "float64"), f"{name}: float64 in, {dtype_name(y.dtype)} out"
    if row.ref is None:
        row.check(*[to_host(y) for y in outs], *host_inputs(name))
        return
    expected = [np.asarray(e) for e in as_list(row.ref(*host_inputs(name)))]
    assert len(outs) == len(expected)
    for y, e in zip(outs, expected):
        assert y.shape == e.shape
        np.testing.assert_allclose(to_host(y), e, rtol=row.rtol, atol=row.atol)


@pytest.mark.parametrize("name", OPS)
def test_float32_stays_float32(device, name):
    outs, xs, grads, second = run(name, device, "float32")
    for y in outs:
        assert dtype_name(y.dtype) == (OPS[name].dtype or "float32"), f"{name}: output is {dtype_name(y.dtype)}"
        assert np.all(np.isfinite(to_host(y)))
    if OPS[name].ref is not None:  # the values too, to float32's precision
        rounded = [a.astype(np.float32).astype(np.float64) if a.dtype.kind == "f" else a for a in host_inputs(name)]
        for y, e in zip(outs, as_list(OPS[name].ref(*rounded))):
            np.testing.assert_allclose(to_host(y), e, rtol=1e-5, atol=1e-5)
    for g in grads:
        assert g is not None, f"{name}: no gradient"
        assert dtype_name(g.dtype) == "float32", f"{name}: gradient is {dtype_name(g.dtype)}"
    for g in second:  # the backward pass itself, differentiated again, stays float32 too
        if g is not None:
            assert dtype_name(g.dtype) == "float32", f"{name}: second-order gradient is {dtype_name(g.dtype)}"


@pytest.mark.parametrize("name", OPS)
def test_results_and_gradients_stay_on_the_device(device, name):
    outs, xs, grads, second = run(name, device, "float64")
    for y in outs:
        assert y.device == device, f"{name}: output on {y.device}"
    for x, g in zip(xs, grads):
        assert g.device == device and g.shape == x.shape, f"{name}: gradient {g.shape} on {g.device}"
    for x, g in zip(xs, second):
        if g is not None:
            assert g.device == device and g.shape == x.shape, f"{name}: second-order gradient {g.shape} on {g.device}"


@pytest.mark.parametrize("name", OPS)
def test_gradcheck(device, name):
    row = OPS[name]
    args, xs = device_inputs(name, device, "float64")
    if not row.differentiable:  # a metric: its result is a constant, even of Variables that require a gradient
        y = row.call(*args)
        assert y.creator is None and not y.requires_grad
        return
    where = [i for i, spec in enumerate(row.specs()) if isinstance(spec, Floats)]

    def f(*vs):
        full = list(args)
        for i, v in zip(where, vs):
            full[i] = v
        return row.call(*full)

    assert gradcheck(f, *xs, **row.gradcheck)


def test_every_op_is_covered():
    missing = [name for name in F.__all__ if name not in OPS]
    assert not missing, f"ops without a row in the op table: {missing}"


def test_all_names_resolve():
    for name in F.__all__:
        assert callable(getattr(F, name)), name
