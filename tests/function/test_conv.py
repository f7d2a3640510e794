"""Convolution and pooling (autograd.function.conv): forward against plain-loop NumPy references, im2col's
layout and its adjointness with col2im, gradcheck of first and second order, dtypes and error messages."""
import numpy as np
import pytest

from autograd import Variable, to_host
from autograd.function.conv import avg_pool2d, col2im, conv2d, conv_transpose2d, im2col, max_pool2d
from autograd.numerical import gradcheck

RNG = np.random.default_rng(23)


def pair(v):
    return (v, v) if isinstance(v, int) else tuple(v)


def np_pad(x, pad, value=0.0):
    ph, pw = pair(pad)
    return np.pad(x, ((0, 0), (0, 0), (ph, ph), (pw, pw)), constant_values=value)


def out_size(size, k, s, p):
    return (size + 2 * p - k) // s + 1


# ---- references, with plain loops ------------------------------------------------------------------------------
def ref_im2col(x, kernel, stride, pad):
    (kh, kw), (sh, sw), (ph, pw) = pair(kernel), pair(stride), pair(pad)
    n, c, h, w = x.shape
    oh, ow = out_size(h, kh, sh, ph), out_size(w, kw, sw, pw)
    xp = np_pad(x, pad)
    col = np.zeros((n, c * kh * kw, oh * ow), dtype=x.dtype)
    for ci in range(c):
        for i in range(kh):
            for j in range(kw):
                for p in range(oh):
                    for q in range(ow):
                        col[:, ci * kh * kw + i * kw + j, p * ow + q] = xp[:, ci, p * sh + i, q * sw + j]
    return col


def ref_conv2d(x, W, b, stride, pad):
    (sh, sw) = pair(stride)
    oc, c, kh, kw = W.shape
    xp = np_pad(x, pad)
    oh, ow = (xp.shape[2] - kh) // sh + 1, (xp.shape[3] - kw) // sw + 1
    y = np.zeros((x.shape[0], oc, oh, ow))
    for p in range(oh):
        for q in range(ow):
            window = xp[:, :, p * sh:p * sh + kh, q * sw:q * sw + kw]
            y[:, :, p, q] = np.einsum("nchw,ochw->no", window, W)
    return y if b is None else y + b[None, :, None, None]


def ref_conv_transpose2d(x, W, b, stride, pad, outsize=None):
    """Each input pixel times the kernel, added into the output at its stride position; then crop the padding."""
    (sh, sw), (ph, pw) = pair(stride), pair(pad)
    n, c_in, h, w = x.shape
    _, c_out, kh, kw = W.shape
    oh, ow = outsize if outsize is not None else ((h - 1) * sh - 2 * ph + kh, (w - 1) * sw - 2 * pw + kw)
    full = np.zeros((n, c_out, max((h - 1) * sh + kh, oh + 2 * ph), max((w - 1) * sw + kw, ow + 2 * pw)))
    for p in range(h):
        for q in range(w):
            full[:, :, p * sh:p * sh + kh, q * sw:q * sw + kw] += np.einsum("nc,cokl->nokl", x[:, :, p, q], W)
    y = full[:, :, ph:ph + oh, pw:pw + ow]
    return y if b is None else y + b[None, :, None, None]


def ref_pool(x, kernel, stride, pad, reduce, fill):
    (kh, kw), (sh, sw) = pair(kernel), pair(stride if stride is not None else kernel)
    xp = np_pad(x, pad, fill)
    oh, ow = (xp.shape[2] - kh) // sh + 1, (xp.shape[3] - kw) // sw + 1
    y = np.zeros(x.shape[:2] + (oh, ow))
    for p in range(oh):
        for q in range(ow):
            y[:, :, p, q] = reduce(xp[:, :, p * sh:p * sh + kh, q * sw:q * sw + kw], axis=(2, 3))
    return y


def var(array, device):
    return Variable(array, device=device)


# ---- im2col / col2im -------------------------------------------------------------------------------------------
GEOMETRIES = [  # x shape, kernel, stride, pad
    ((2, 3, 5, 5), 3, 1, 0),
    ((1, 2, 5, 6), 3, 2, 1),
    ((2, 1, 6, 5), (2, 3), (2, 1), (1, 0)),
    ((1, 2, 4, 4), 1, 1, 2),
    ((1, 1, 7, 4), (3, 2), (3, 2), (0, 1)),
]


@pytest.mark.parametrize("shape, kernel, stride, pad", GEOMETRIES, ids=str)
def test_im2col_layout(device, shape, kernel, stride, pad):
    x = RNG.normal(size=shape)
    col = im2col(var(x, device), kernel, stride, pad)
    np.testing.assert_array_equal(to_host(col), ref_im2col(x, kernel, stride, pad))


@pytest.mark.parametrize("shape, kernel, stride, pad", GEOMETRIES, ids=str)
def test_col2im_is_adjoint_of_im2col(device, shape, kernel, stride, pad):
    x = RNG.normal(size=shape)
    col_shape = ref_im2col(x, kernel, stride, pad).shape
    c = RNG.normal(size=col_shape)
    lhs = np.sum(to_host(im2col(var(x, device), kernel, stride, pad)) * c)
    back = col2im(var(c, device), shape, kernel, stride, pad)
    assert back.shape == shape
    rhs = np.sum(x * to_host(back))
    np.testing.assert_allclose(lhs, rhs, rtol=1e-12)


def test_im2col_col2im_gradcheck(device):
    x = RNG.normal(size=(1, 2, 4, 3))
    assert gradcheck(lambda x: im2col(x, (2, 2), (2, 1), (1, 0)), var(x, device))
    c = RNG.normal(size=(1, 2 * 4, 3 * 2))
    assert gradcheck(lambda c: col2im(c, (1, 2, 4, 3), (2, 2), (2, 1), (1, 0)), var(c, device))


# ---- conv2d ----------------------------------------------------------------------------------------------------
CONV_CASES = [  # x shape, W shape, stride, pad, bias
    ((2, 3, 5, 5), (4, 3, 3, 3), 1, 0, True),
    ((1, 2, 6, 5), (3, 2, 3, 3), 2, 1, True),
    ((2, 2, 5, 7), (2, 2, 2, 3), (2, 1), (0, 1), False),
    ((1, 1, 4, 4), (2, 1, 1, 1), 1, 0, True),
    ((2, 3, 7, 6), (2, 3, 3, 2), (3, 2), (1, 2), False),
]


@pytest.mark.parametrize("xs, ws, stride, pad, bias", CONV_CASES, ids=str)
def test_conv2d_forward(device, xs, ws, stride, pad, bias):
    x, W = RNG.normal(size=xs), RNG.normal(size=ws)
    b = RNG.normal(size=ws[0]) if bias else None
    y = conv2d(var(x, device), var(W, device), None if b is None else var(b, device), stride=stride, pad=pad)
    expected = ref_conv2d(x, W, b, stride, pad)
    assert y.shape == expected.shape
    np.testing.assert_allclose(to_host(y), expected, rtol=1e-10, atol=1e-12)


@pytest.mark.parametrize("stride, pad, bias", [(1, 0, True), (2, 1, False), ((2, 1), (1, 0), True)], ids=str)
def test_conv2d_gradcheck(device, stride, pad, bias):
    x, W, b = RNG.normal(size=(1, 2, 4, 3)), RNG.normal(size=(2, 2, 2, 2)), RNG.normal(size=2)
    if bias:
        assert gradcheck(lambda x, W, b: conv2d(x, W, b, stride=stride, pad=pad),
                         var(x, device), var(W, device), var(b, device))
    else:
        assert gradcheck(lambda x, W: conv2d(x, W, stride=stride, pad=pad), var(x, device), var(W, device))


def test_conv2d_float32_stays_float32(device):
    x = var(RNG.normal(size=(2, 3, 5, 5)).astype(np.float32), device)
    W = var(RNG.normal(size=(4, 3, 3, 3)).astype(np.float32), device)
    b = var(RNG.normal(size=4).astype(np.float32), device)
    y = conv2d(x, W, b, stride=1, pad=1)
    assert to_host(y).dtype == np.float32
    (y * y).sum().backward()
    for v in (x, W, b):
        assert to_host(v.grad).dtype == np.float32
    expected = ref_conv2d(to_host(x).astype(np.float64), to_host(W).astype(np.float64), to_host(b), 1, 1)
    np.testing.assert_allclose(to_host(y), expected, rtol=1e-4, atol=1e-4)


def test_conv2d_input_gradient_is_conv_transpose2d(device):
    x, W = RNG.normal(size=(2, 3, 7, 6)), RNG.normal(size=(4, 3, 3, 3))
    xv = var(x, device)
    y = conv2d(xv, var(W, device), stride=2, pad=1)
    g = RNG.normal(size=y.shape)
    y.grad = var(g, device)
    y.backward()
    expected = conv_transpose2d(var(g, device), var(W, device), stride=2, pad=1, outsize=(7, 6))
    np.testing.assert_allclose(to_host(xv.grad), to_host(expected), rtol=1e-10, atol=1e-12)


# ---- conv_transpose2d ------------------------------------------------------------------------------------------
TRANSPOSE_CASES = [  # x shape, W shape, stride, pad, outsize, bias
    ((2, 3, 3, 3), (3, 2, 3, 3), 1, 0, None, True),
    ((1, 2, 3, 4), (2, 3, 3, 3), 2, 1, None, False),
    ((2, 2, 3, 2), (2, 1, 2, 3), (2, 1), (0, 1), None, True),
    ((1, 2, 3, 3), (2, 2, 3, 3), 2, 1, (6, 6), True),
    ((1, 1, 2, 3), (1, 2, 1, 1), (3, 2), 0, (5, 5), False),
]


@pytest.mark.parametrize("xs, ws, stride, pad, outsize, bias", TRANSPOSE_CASES, ids=str)
def test_conv_transpose2d_forward(device, xs, ws, stride, pad, outsize, bias):
    x, W = RNG.normal(size=xs), RNG.normal(size=ws)
    b = RNG.normal(size=ws[1]) if bias else None
    y = conv_transpose2d(var(x, device), var(W, device), None if b is None else var(b, device),
                         stride=stride, pad=pad, outsize=outsize)
    expected = ref_conv_transpose2d(x, W, b, stride, pad, outsize)
    assert y.shape == expected.shape
    np.testing.assert_allclose(to_host(y), expected, rtol=1e-10, atol=1e-12)


@pytest.mark.parametrize("stride, pad, outsize", [(1, 0, None), ((2, 1), (1, 0), None), (2, 1, (3, 3))], ids=str)
def test_conv_transpose2d_gradcheck(device, stride, pad, outsize):
    x, W, b = RNG.normal(size=(1, 2, 2, 3)), RNG.normal(size=(2, 2, 2, 2)), RNG.normal(size=2)
    if outsize is not None:
        x = x[:, :, :, :2]
    assert gradcheck(lambda x, W, b: conv_transpose2d(x, W, b, stride=stride, pad=pad, outsize=outsize),
                     var(x, device), var(W, device), var(b, device))


def test_conv_transpose2d_float32_stays_float32(device):
    x = var(RNG.normal(size=(1, 2, 3, 3)).astype(np.float32), device)
    W = var(RNG.normal(size=(2, 3, 3, 3)).astype(np.float32), device)
    y = conv_transpose2d(x, W, stride=2, pad=1)
    assert to_host(y).dtype == np.float32 and y.shape == (1, 3, 5, 5)
    y.sum().backward()
    assert to_host(x.grad).dtype == np.float32 and to_host(W.grad).dtype == np.float32


# ---- pooling ---------------------------------------------------------------------------------------------------
POOL_CASES = [  # x shape, kernel, stride, pad
    ((2, 3, 4, 4), 2, None, 0),
    ((1, 2, 5, 5), 3, 2, 1),
    ((2, 1, 5, 6), (2, 3), (1, 2), (1, 1)),
    ((1, 2, 7, 5), 3, 1, 0),
]


@pytest.mark.parametrize("shape, kernel, stride, pad", POOL_CASES, ids=str)
def test_max_pool2d_forward(device, shape, kernel, stride, pad):
    x = RNG.normal(size=shape)
    y = max_pool2d(var(x, device), kernel, stride, pad)
    expected = ref_pool(x, kernel, stride, pad, np.max, -np.inf)
    assert y.shape == expected.shape
    np.testing.assert_array_equal(to_host(y), expected)


@pytest.mark.parametrize("shape, kernel, stride, pad", POOL_CASES, ids=str)
def test_avg_pool2d_forward(device, shape, kernel, stride, pad):
    x = RNG.normal(size=shape)
    y = avg_pool2d(var(x, device), kernel, stride, pad)
    expected = ref_pool(x, kernel, stride, pad, np.mean, 0.0)  # padded zeros count in the mean
    assert y.shape == expected.shape
    np.testing.assert_allclose(to_host(y), expected, rtol=1e-12, atol=1e-12)


def test_max_pool2d_negative_input_with_padding(device):
    x = -1.0 - RNG.random(size=(1, 1, 3, 3))  # all negative: a zero-padded max would wrongly give 0
    y = max_pool2d(var(x, device), 2, stride=2, pad=1)
    np.testing.assert_array_equal(to_host(y), ref_pool(x, 2, 2, 1, np.max, -np.inf))
    assert (to_host(y) < 0).all()


@pytest.mark.parametrize("kernel, stride, pad", [(2, None, 0), (3, 2, 1), ((2, 3), (1, 2), (1, 1))], ids=str)
def test_pool_gradcheck(device, kernel, stride, pad):
    x = var(RNG.permutation(2 * 4 * 4).reshape(1, 2, 4, 4) / 7.0, device)  # distinct values: no ties
    assert gradcheck(lambda x: max_pool2d(x, kernel, stride, pad), x)
    assert gradcheck(lambda x: avg_pool2d(x, kernel, stride, pad), x)


def test_max_pool2d_gradient_goes_to_the_max(device):
    x = np.array([[[[1.0, 5.0, 2.0, 0.0], [3.0, 4.0, 7.0, 6.0]]]])
    xv = var(x, device)
    max_pool2d(xv, 2).sum().backward()
    np.testing.assert_array_equal(to_host(xv.grad), [[[[0, 1, 0, 0], [0, 0, 1, 0]]]])


def test_max_pool2d_ties_share_the_gradient(device):
    xv = var(np.ones((1, 1, 2, 2)), device)
    max_pool2d(xv, 2).sum().backward()
    np.testing.assert_array_equal(to_host(xv.grad), np.ones((1, 1, 2, 2)))  # as F.max: every tied element


def test_pool_float32_stays_float32(device):
    x = var(RNG.normal(size=(1, 2, 4, 4)).astype(np.float32), device)
    for pool in (max_pool2d, avg_pool2d):
        x.cleargrad()
        y = pool(x, 2, pad=1)
        assert to_host(y).dtype == np.float32
        y.sum().backward()
        assert to_host(x.grad).dtype == np.float32


# ---- errors ----------------------------------------------------------------------------------------------------
def test_errors():
    x = Variable(np.zeros((1, 2, 4, 4)))
    with pytest.raises(ValueError, match=r"conv2d: x must have 4 dimensions"):
        conv2d(Variable(np.zeros((2, 4, 4))), Variable(np.zeros((1, 2, 3, 3))))
    with pytest.raises(ValueError, match=r"conv2d: W must have 4 dimensions"):
        conv2d(x, Variable(np.zeros((2, 3, 3))))
    with pytest.raises(ValueError, match=r"conv2d: x has 2 channels .* W expects 3"):
        conv2d(x, Variable(np.zeros((1, 3, 3, 3))))
    with pytest.raises(ValueError, match=r"conv2d: kernel size 5 is larger than the padded input"):
        conv2d(x, Variable(np.zeros((1, 2, 5, 3))))
    with pytest.raises(ValueError, match=r"conv2d: stride must be positive"):
        conv2d(x, Variable(np.zeros((1, 2, 3, 3))), stride=0)
    with pytest.raises(ValueError, match=r"conv2d: pad must be non-negative"):
        conv2d(x, Variable(np.zeros((1, 2, 3, 3))), pad=(1, -1))
    with pytest.raises(TypeError, match=r"conv2d: stride must be an int or a pair"):
        conv2d(x, Variable(np.zeros((1, 2, 3, 3))), stride=(1, 2, 3))
    with pytest.raises(ValueError, match=r"conv2d: bias must have shape \(1,\)"):
        conv2d(x, Variable(np.zeros((1, 2, 3, 3))), Variable(np.zeros(2)))
    with pytest.raises(ValueError, match=r"conv_transpose2d: x has 2 channels .* W expects 3"):
        conv_transpose2d(x, Variable(np.zeros((3, 1, 3, 3))))
    with pytest.raises(ValueError, match=r"conv_transpose2d: outsize \(5, 5\) is inconsistent"):
        conv_transpose2d(x, Variable(np.zeros((2, 1, 3, 3))), stride=1, outsize=(5, 5))
    with pytest.raises(ValueError, match=r"im2col: x must have 4 dimensions"):
        im2col(Variable(np.zeros((4, 4))), 2)
    with pytest.raises(ValueError, match=r"im2col: kernel_size must be positive"):
        im2col(x, (0, 2))
    with pytest.raises(ValueError, match=r"col2im: col of shape \(1, 8, 4\) does not match"):
        col2im(Variable(np.zeros((1, 8, 4))), (1, 2, 4, 4), 2, 1)
    with pytest.raises(ValueError, match=r"max_pool2d: pad \(2, 2\) must be at most half the kernel size"):
        max_pool2d(x, 2, pad=2)
    with pytest.raises(ValueError, match=r"avg_pool2d: kernel size 7 is larger than the padded input"):
        avg_pool2d(x, 7, pad=1)
    with pytest.raises(ValueError, match=r"avg_pool2d: stride must be positive"):
        avg_pool2d(x, 2, stride=-1)
    with pytest.raises(TypeError, match=r"max_pool2d: x must be floating point"):
        max_pool2d(Variable(np.zeros((1, 1, 2, 2), dtype=np.int64)), 2)
