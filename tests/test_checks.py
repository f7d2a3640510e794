"""autograd._checks: NumPy integers and floats are numbers wherever Python's are (issue 15): every integer
argument (axes, sizes, counts, strides, a batch size) and float one (a dropout ratio, momentum, eps) gives the
same result from `np.int64(2)` / `np.float32(0.5)` as from `2` / `0.5`; bools stay refused where they were.
NumPy bools are bools: `keepdims=np.bool_(True)` is `keepdims=True`."""
import numpy as np
import pytest

import autograd
import autograd.function as F
from autograd import Variable, data, layer, to_host

X = np.arange(24.0).reshape(2, 3, 4) / 10.0
KERNEL = np.arange(18.0).reshape(1, 2, 3, 3) / 10.0


def _python(v):
    return v


# (name, f(x, num, real) -> a Variable or a list of them); `num` turns a Python int into the type under test,
# `real` a Python float
CASES = [
    ("sum axis", lambda x, n, r: F.sum(x, axis=n(1))),
    ("sum axis tuple", lambda x, n, r: F.sum(x, axis=(n(0), n(-1)))),
    ("mean axis", lambda x, n, r: F.mean(x, axis=n(2), keepdims=True)),
    ("max axis", lambda x, n, r: F.max(x, axis=n(1))),
    ("min axis", lambda x, n, r: F.min(x, axis=n(1))),
    ("logsumexp axis", lambda x, n, r: F.logsumexp(x, axis=n(-1))),
    ("variance axis and ddof", lambda x, n, r: F.variance(x, axis=n(1), ddof=n(1))),
    ("softmax axis", lambda x, n, r: F.softmax(x, axis=n(1))),
    ("log_softmax axis", lambda x, n, r: F.log_softmax(x, axis=n(2))),
    ("reshape size", lambda x, n, r: F.reshape(x, n(24))),
    ("reshape shape", lambda x, n, r: F.reshape(x, (n(6), n(-1)))),
    ("Variable.reshape", lambda x, n, r: x.reshape(n(4), n(6))),
    ("transpose axes", lambda x, n, r: F.transpose(x, (n(2), n(0), n(1)))),
    ("squeeze axis", lambda x, n, r: F.squeeze(F.unsqueeze(x, n(0)), n(0))),
    ("unsqueeze axis", lambda x, n, r: F.unsqueeze(x, n(1))),
    ("split count", lambda x, n, r: F.split(x, n(2), axis=n(2))),
    ("split indices", lambda x, n, r: F.split(x, [n(1), n(3)], axis=n(-1))),
    ("broadcast_to shape", lambda x, n, r: F.broadcast_to(x, (n(2), n(2), n(3), n(4)))),
    ("sum_to shape", lambda x, n, r: F.sum_to(x, (n(1), n(3), n(1)))),
    ("index", lambda x, n, r: x[n(1), n(-1)]),
    ("slice", lambda x, n, r: x[n(0):n(1), ::n(2)]),
    ("flatten start_axis", lambda x, n, r: F.flatten(x, n(2))),
    ("conv2d stride and pad", lambda x, n, r: F.conv2d(_img(x), _kernel(x), stride=n(1), pad=n(1))),
    ("conv2d pairs", lambda x, n, r: F.conv2d(_img(x), _kernel(x), stride=(n(1), n(2)), pad=(n(0), n(1)))),
    ("max_pool2d", lambda x, n, r: F.max_pool2d(_img(x), n(2), stride=n(2), pad=n(0))),
    ("avg_pool2d", lambda x, n, r: F.avg_pool2d(_img(x), (n(2), n(2)))),
    ("batch_norm momentum and eps",
     lambda x, n, r: F.batch_norm(F.reshape(x, (4, 6)), *_bn(x), momentum=r(0.5), eps=r(0.25))),
    ("layer_norm eps", lambda x, n, r: F.layer_norm(x, *_ln(x), eps=r(0.25))),
    ("leaky_relu slope", lambda x, n, r: F.leaky_relu(x - 1.0, r(0.25))),
]


def _img(x):
    """A (1, 2, 4, 4) image made of x's values, so that x gets a gradient."""
    flat = F.reshape(x, (-1,))
    return F.reshape(F.concat([flat, flat[:8]]), (1, 2, 4, 4))


def _kernel(x):
    return Variable(KERNEL, device=x.device)


def _bn(x):
    put = x.device.put
    return put(np.ones(6)), put(np.zeros(6)), put(np.zeros(6)), put(np.ones(6))


def _ln(x):
    return x.device.put(np.ones(4)), x.device.put(np.zeros(4))


def _run(device, case, num, real):
    x = Variable(X, device=device)
    ys = case(x, num, real)
    ys = ys if isinstance(ys, list) else [ys]
    F.sum(F.concat([F.reshape(y, (-1,)) for y in ys])).backward()
    return [to_host(y) for y in ys], to_host(x.grad)


@pytest.mark.parametrize("kind", [np.int64, np.int32, np.int8, np.float32, np.float64],
                         ids=lambda k: k.__name__)
@pytest.mark.parametrize("name, case", CASES, ids=[c[0] for c in CASES])
def test_numpy_numbers_are_numbers(device, name, case, kind):
    integral = np.issubdtype(kind, np.integer)
    num = kind if integral else _python
    real = _python if integral else kind
    expected, expected_grad = _run(device, case, _python, _python)
    got, grad = _run(device, case, num, real)
    for g, e in zip(got, expected, strict=True):
        assert g.dtype == e.dtype and g.shape == e.shape
        np.testing.assert_array_equal(g, e)
    np.testing.assert_array_equal(grad, expected_grad)


@pytest.mark.parametrize("kind", [np.float32, np.float64], ids=lambda k: k.__name__)
def test_numpy_float_dropout_ratio(device, kind):
    x = Variable(np.ones((4, 50), dtype=np.float32), device=device)
    autograd.seed(3)
    expected = to_host(F.dropout(x, 0.25))
    autograd.seed(3)
    got = to_host(F.dropout(x, kind(0.25)))
    assert got.dtype == np.float32  # the ratio does not promote the data
    np.testing.assert_array_equal(got, expected)
    autograd.seed(3)
    np.testing.assert_array_equal(to_host(layer.Dropout(kind(0.25))(x)), expected)


@pytest.mark.parametrize("kind", [np.int64, np.int32], ids=lambda k: k.__name__)
def test_numpy_integer_sizes_of_layers_and_loaders(device, kind):
    autograd.seed(1)
    conv = layer.Conv2d(kind(3), kind(2), stride=kind(1), pad=kind(1), in_channels=kind(2)).to(device)
    autograd.seed(1)
    ref = layer.Conv2d(3, 2, stride=1, pad=1, in_channels=2).to(device)
    np.testing.assert_array_equal(to_host(conv(_img(Variable(X, device=device)))),
                                  to_host(ref(_img(Variable(X, device=device)))))
    ds = data.Dataset(np.arange(10.0).reshape(5, 2), np.arange(5))
    loader = data.DataLoader(ds, kind(2), shuffle=False, device=device)
    assert loader.batch_size == 2 and type(loader.batch_size) is int
    assert [to_host(t).tolist() for _, t in loader] == [[0, 1], [2, 3], [4]]
    seq = data.SeqDataLoader(ds, kind(2), device=device)
    assert [to_host(t).tolist() for _, t in seq] == [[0, 2], [1, 3]]


BOOL_CASES = [
    ("sum", lambda x, keep: F.sum(x, axis=1, keepdims=keep)),
    ("sum all", lambda x, keep: F.sum(x, keepdims=keep)),
    ("Variable.sum", lambda x, keep: x.sum(axis=(0, 2), keepdims=keep)),
    ("mean", lambda x, keep: F.mean(x, axis=-1, keepdims=keep)),
    ("Variable.mean", lambda x, keep: x.mean(keepdims=keep)),
    ("max", lambda x, keep: F.max(x, axis=1, keepdims=keep)),
    ("min", lambda x, keep: F.min(x, axis=(0, 1), keepdims=keep)),
    ("variance", lambda x, keep: F.variance(x, axis=2, keepdims=keep, ddof=1)),
    ("logsumexp", lambda x, keep: F.logsumexp(x, axis=0, keepdims=keep)),
]


@pytest.mark.parametrize("keep", [True, False])
@pytest.mark.parametrize("name, case", BOOL_CASES, ids=[c[0] for c in BOOL_CASES])
def test_numpy_bools_are_bools(device, name, case, keep):
    """keepdims=np.bool_(True) (what NumPy comparisons give) was refused by sum, mean, max, min, variance."""
    expected, expected_grad = _run(device, lambda x, n, r: case(x, keep), None, None)
    got, grad = _run(device, lambda x, n, r: case(x, np.bool_(keep)), None, None)
    assert got[0].shape == expected[0].shape and (got[0].ndim == X.ndim) == keep
    np.testing.assert_array_equal(got[0], expected[0])
    np.testing.assert_array_equal(grad, expected_grad)


@pytest.mark.parametrize("call", [
    lambda x: F.sum(x, axis=True),
    lambda x: F.reshape(x, True),
    lambda x: F.split(x, True),
    lambda x: F.flatten(x, True),
    lambda x: F.conv2d(_img(x), _kernel(x), stride=True),
    lambda x: F.dropout(x, True),
    lambda x: data.DataLoader([(1.0, 1)], True),
    lambda x: F.mean(x, axis=np.float64(1.0)),
], ids=["axis", "reshape", "split", "flatten", "stride", "ratio", "batch_size", "float axis"])
def test_bools_and_floats_stay_refused_as_integers(device, call):
    with pytest.raises((TypeError, ValueError)):
        call(Variable(X, device=device))
