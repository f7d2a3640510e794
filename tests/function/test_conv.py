"""Convolution and pooling (autograd.function.conv): forward against the plain-loop NumPy references of
tests/op_tables.py over many geometries, im2col's layout and its adjointness with col2im, conv2d's input gradient,
max pooling's padding and ties, dtypes and error messages (the op table has the rows that gradcheck each op)."""
import numpy as np
import pytest

from autograd import Variable, to_host
from autograd.function.conv import (adaptive_avg_pool2d, avg_pool2d, col2im, conv2d, conv_transpose2d, im2col,
                                    max_pool2d)
from op_tables import (np_adaptive_avg_pool2d, np_avg_pool2d, np_col2im, np_conv2d, np_conv_transpose2d, np_im2col,
                       np_max_pool2d)

RNG = np.random.default_rng(23)


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
    np.testing.assert_array_equal(to_host(col), np_im2col(x, kernel, stride, pad))


@pytest.mark.parametrize("shape, kernel, stride, pad", GEOMETRIES, ids=str)
def test_col2im_is_adjoint_of_im2col(device, shape, kernel, stride, pad):
    x = RNG.normal(size=shape)
    col_shape = np_im2col(x, kernel, stride, pad).shape
    c = RNG.normal(size=col_shape)
    lhs = np.sum(to_host(im2col(var(x, device), kernel, stride, pad)) * c)
    back = col2im(var(c, device), shape, kernel, stride, pad)
    assert back.shape == shape
    rhs = np.sum(x * to_host(back))
    np.testing.assert_allclose(lhs, rhs, rtol=1e-12)


DILATED = [  # x shape, kernel, stride, pad, dilation
    ((1, 2, 6, 7), 3, 1, 0, 2),
    ((2, 1, 7, 6), (2, 3), (2, 1), (1, 2), (3, 2)),
    ((1, 2, 5, 5), 2, 2, 1, (1, 3)),
]


@pytest.mark.parametrize("shape, kernel, stride, pad, dilation", DILATED, ids=str)
def test_im2col_and_col2im_with_dilation(device, shape, kernel, stride, pad, dilation):
    x = RNG.normal(size=shape)
    col = im2col(var(x, device), kernel, stride, pad, dilation)
    expected = np_im2col(x, kernel, stride, pad, dilation)
    np.testing.assert_array_equal(to_host(col), expected)
    c = RNG.normal(size=expected.shape)
    back = col2im(var(c, device), shape, kernel, stride, pad, dilation)
    np.testing.assert_allclose(to_host(back), np_col2im(c, shape, kernel, stride, pad, dilation), rtol=1e-12)


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
    expected = np_conv2d(x, W, b, stride, pad)
    assert y.shape == expected.shape
    np.testing.assert_allclose(to_host(y), expected, rtol=1e-10, atol=1e-12)


def test_conv2d_input_gradient_is_conv_transpose2d(device):
    x, W = RNG.normal(size=(2, 3, 7, 6)), RNG.normal(size=(4, 3, 3, 3))
    xv = var(x, device)
    y = conv2d(xv, var(W, device), stride=2, pad=1)
    g = RNG.normal(size=y.shape)
    y.grad = var(g, device)
    y.backward()
    expected = conv_transpose2d(var(g, device), var(W, device), stride=2, pad=1, outsize=(7, 6))
    np.testing.assert_allclose(to_host(xv.grad), to_host(expected), rtol=1e-10, atol=1e-12)


GROUPED_CASES = [  # x shape, W shape, stride, pad, dilation, groups, bias
    ((2, 4, 7, 6), (6, 2, 3, 3), 1, 1, 2, 2, True),
    ((1, 3, 6, 6), (3, 1, 3, 3), 2, 1, 1, 3, True),  # depthwise
    ((1, 3, 5, 6), (6, 1, 2, 3), 1, 0, (2, 1), 3, False),  # depthwise, two filters per channel
    ((2, 2, 7, 8), (2, 2, 2, 3), (2, 1), (1, 2), (3, 2), 1, False),
    ((1, 6, 4, 5), (4, 3, 1, 2), 1, (0, 1), 1, 2, True),
]


@pytest.mark.parametrize("xs, ws, stride, pad, dilation, groups, bias", GROUPED_CASES, ids=str)
def test_conv2d_with_dilation_and_groups(device, xs, ws, stride, pad, dilation, groups, bias):
    x, W = RNG.normal(size=xs), RNG.normal(size=ws)
    b = RNG.normal(size=ws[0]) if bias else None
    y = conv2d(var(x, device), var(W, device), None if b is None else var(b, device), stride=stride, pad=pad,
               dilation=dilation, groups=groups)
    expected = np_conv2d(x, W, b, stride, pad, dilation, groups)
    assert y.shape == expected.shape
    np.testing.assert_allclose(to_host(y), expected, rtol=1e-10, atol=1e-12)


def test_depthwise_conv2d_is_one_convolution_per_channel(device):
    x, W = RNG.normal(size=(2, 3, 6, 5)), RNG.normal(size=(3, 1, 3, 3))
    y = to_host(conv2d(var(x, device), var(W, device), pad=1, dilation=2, groups=3))
    for ch in range(3):
        alone = conv2d(var(x[:, ch:ch + 1], device), var(W[ch:ch + 1], device), pad=1, dilation=2)
        np.testing.assert_allclose(y[:, ch:ch + 1], to_host(alone), rtol=1e-12, atol=1e-12)


def test_dilated_conv2d_known_values(device):
    """A 2×2 kernel at dilation 2 on a 4×4 image reads cells 2 apart: OH = (4 - 2·(2 - 1) - 1) // 1 + 1 = 2."""
    x = np.arange(16.0).reshape(1, 1, 4, 4)
    y = conv2d(var(x, device), var(np.array([[[[1.0, 10.0], [100.0, 1000.0]]]]), device), dilation=2)
    # y[p, q] = x[p, q] + 10 x[p, q+2] + 100 x[p+2, q] + 1000 x[p+2, q+2]
    np.testing.assert_array_equal(to_host(y), [[[[10820.0, 11931.0], [15264.0, 16375.0]]]])


@pytest.mark.parametrize("xs, ws, stride, pad, dilation, groups, bias", GROUPED_CASES, ids=str)
def test_conv2d_input_gradient_is_conv_transpose2d_with_dilation_and_groups(device, xs, ws, stride, pad, dilation,
                                                                          groups, bias):
    x, W = RNG.normal(size=xs), RNG.normal(size=ws)
    xv = var(x, device)
    y = conv2d(xv, var(W, device), stride=stride, pad=pad, dilation=dilation, groups=groups)
    g = RNG.normal(size=y.shape)
    y.grad = var(g, device)
    y.backward()
    expected = conv_transpose2d(var(g, device), var(W, device), stride=stride, pad=pad, outsize=xs[2:],
                                dilation=dilation, groups=groups)
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
    expected = np_conv_transpose2d(x, W, b, stride, pad, outsize)
    assert y.shape == expected.shape
    np.testing.assert_allclose(to_host(y), expected, rtol=1e-10, atol=1e-12)


GROUPED_TRANSPOSE_CASES = [  # x shape, W shape, stride, pad, dilation, groups, outsize, bias
    ((2, 4, 3, 3), (4, 3, 3, 3), 1, 1, 2, 2, None, True),
    ((1, 3, 3, 4), (3, 1, 3, 3), 2, 1, 1, 3, None, False),  # depthwise
    ((1, 2, 3, 3), (2, 2, 2, 3), (2, 1), (0, 1), (2, 3), 1, None, True),
    ((1, 4, 3, 3), (4, 1, 3, 3), 2, 1, 2, 2, (8, 7), True),
]


@pytest.mark.parametrize("xs, ws, stride, pad, dilation, groups, outsize, bias", GROUPED_TRANSPOSE_CASES, ids=str)
def test_conv_transpose2d_with_dilation_and_groups(device, xs, ws, stride, pad, dilation, groups, outsize, bias):
    x, W = RNG.normal(size=xs), RNG.normal(size=ws)
    b = RNG.normal(size=ws[1] * groups) if bias else None
    y = conv_transpose2d(var(x, device), var(W, device), None if b is None else var(b, device), stride=stride,
                         pad=pad, outsize=outsize, dilation=dilation, groups=groups)
    expected = np_conv_transpose2d(x, W, b, stride, pad, outsize, dilation, groups)
    assert y.shape == expected.shape
    np.testing.assert_allclose(to_host(y), expected, rtol=1e-10, atol=1e-12)


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
    expected = np_max_pool2d(x, kernel, stride, pad)
    assert y.shape == expected.shape
    np.testing.assert_array_equal(to_host(y), expected)


@pytest.mark.parametrize("shape, kernel, stride, pad", POOL_CASES, ids=str)
def test_avg_pool2d_forward(device, shape, kernel, stride, pad):
    x = RNG.normal(size=shape)
    y = avg_pool2d(var(x, device), kernel, stride, pad)
    expected = np_avg_pool2d(x, kernel, stride, pad)  # padded zeros count in the mean
    assert y.shape == expected.shape
    np.testing.assert_allclose(to_host(y), expected, rtol=1e-12, atol=1e-12)


def test_max_pool2d_negative_input_with_padding(device):
    x = -1.0 - RNG.random(size=(1, 1, 3, 3))  # all negative: a zero-padded max would wrongly give 0
    y = max_pool2d(var(x, device), 2, stride=2, pad=1)
    np.testing.assert_array_equal(to_host(y), np_max_pool2d(x, 2, 2, 1))
    assert (to_host(y) < 0).all()


def test_max_pool2d_gradient_goes_to_the_max(device):
    x = np.array([[[[1.0, 5.0, 2.0, 0.0], [3.0, 4.0, 7.0, 6.0]]]])
    xv = var(x, device)
    max_pool2d(xv, 2).sum().backward()
    np.testing.assert_array_equal(to_host(xv.grad), [[[[0, 1, 0, 0], [0, 0, 1, 0]]]])


def np_max_pool2d_grad(x, gy, kernel, stride, pad):
    """max_pool2d's input gradient, window by window: each window's gy to its first maximum in row-major order."""
    (kh, kw), (sh, sw), (ph, pw) = (kernel,) * 2, (stride,) * 2, (pad,) * 2
    xp = np.pad(x, ((0, 0), (0, 0), (ph, ph), (pw, pw)), constant_values=-np.inf)
    gx = np.zeros_like(xp)
    for n, c, p, q in np.ndindex(gy.shape):
        i, j = np.unravel_index(np.argmax(xp[n, c, p * sh:p * sh + kh, q * sw:q * sw + kw]), (kh, kw))
        gx[n, c, p * sh + i, q * sw + j] += gy[n, c, p, q]
    return gx[:, :, ph:ph + x.shape[2], pw:pw + x.shape[3]]


def test_max_pool2d_ties_give_the_gradient_to_the_first(device):
    """Of tied maxima, the first in the window's row-major order gets the whole gradient (PyTorch's max_pool2d)."""
    xv = var(np.ones((1, 1, 2, 2)), device)
    max_pool2d(xv, 2).sum().backward()
    np.testing.assert_array_equal(to_host(xv.grad), [[[[1.0, 0.0], [0.0, 0.0]]]])

    x = np.array([[[[0.0, 2.0, 1.0, 1.0], [2.0, 2.0, 1.0, 1.0]]]])  # the first tie is not the window's first cell
    xv = var(x, device)
    max_pool2d(xv, 2).sum().backward()
    np.testing.assert_array_equal(to_host(xv.grad), [[[[0.0, 1.0, 1.0, 0.0], [0.0, 0.0, 0.0, 0.0]]]])


@pytest.mark.parametrize("kernel, stride, pad", [(2, 2, 0), (3, 1, 1), (3, 2, 1), (2, 1, 0)], ids=str)
def test_max_pool2d_gradient_with_many_ties(device, kernel, stride, pad):
    """Overlapping windows over values with many ties: one winner per window, gradients of windows summed."""
    x = RNG.integers(0, 3, size=(2, 2, 5, 6)).astype(np.float64)
    xv = var(x, device)
    y = max_pool2d(xv, kernel, stride, pad)
    gy = RNG.integers(1, 5, size=y.shape).astype(np.float64)
    (y * device.put(gy)).sum().backward()
    np.testing.assert_array_equal(to_host(xv.grad), np_max_pool2d_grad(x, gy, kernel, stride, pad))


def test_pool_float32_stays_float32(device):
    x = var(RNG.normal(size=(1, 2, 4, 4)).astype(np.float32), device)
    for pool in (max_pool2d, avg_pool2d):
        x.cleargrad()
        y = pool(x, 2, pad=1)
        assert to_host(y).dtype == np.float32
        y.sum().backward()
        assert to_host(x.grad).dtype == np.float32


POOL_OPTION_CASES = [  # x shape, kernel, stride, pad, dilation, ceil_mode
    ((1, 2, 5, 5), 2, 2, 0, 1, True),  # a last window of one row and column
    ((2, 1, 6, 7), 3, 2, 1, 1, True),
    ((1, 2, 4, 4), 2, 3, 1, 1, True),  # ceil would give 3, but the third window would start in the right padding
    ((1, 1, 7, 6), (3, 2), (2, 1), (1, 1), (2, 3), False),
    ((2, 2, 7, 8), 3, 2, 1, 2, True),
]


@pytest.mark.parametrize("shape, kernel, stride, pad, dilation, ceil_mode", POOL_OPTION_CASES, ids=str)
def test_max_pool2d_with_dilation_and_ceil_mode(device, shape, kernel, stride, pad, dilation, ceil_mode):
    x = RNG.normal(size=shape)
    y = max_pool2d(var(x, device), kernel, stride, pad, dilation=dilation, ceil_mode=ceil_mode)
    expected = np_max_pool2d(x, kernel, stride, pad, dilation, ceil_mode)
    assert y.shape == expected.shape
    np.testing.assert_array_equal(to_host(y), expected)


@pytest.mark.parametrize("count_include_pad", [True, False])
@pytest.mark.parametrize("shape, kernel, stride, pad, ceil_mode", [c[:4] + c[5:] for c in POOL_OPTION_CASES]
                         + [((1, 2, 5, 6), (2, 3), (1, 2), (1, 1), False)], ids=str)
def test_avg_pool2d_with_ceil_mode_and_count_include_pad(device, shape, kernel, stride, pad, ceil_mode,
                                                         count_include_pad):
    x = RNG.normal(size=shape)
    y = avg_pool2d(var(x, device), kernel, stride, pad, ceil_mode=ceil_mode, count_include_pad=count_include_pad)
    expected = np_avg_pool2d(x, kernel, stride, pad, ceil_mode, count_include_pad)
    assert y.shape == expected.shape
    np.testing.assert_allclose(to_host(y), expected, rtol=1e-12, atol=1e-15)


@pytest.mark.parametrize("size, kernel, stride, pad, ceil_mode, expected", [
    (5, 2, 2, 0, False, 2), (5, 2, 2, 0, True, 3),  # (5 - 2) / 2 = 1.5: rounded down or up, + 1
    (6, 3, 2, 1, True, 4),  # (6 + 2 - 3) / 2 = 2.5 -> 3 + 1
    (4, 2, 3, 1, True, 2),  # ceil((4 + 2 - 2) / 3) + 1 = 3, but window 3 would start at 6 - 1 = 5 > 4 - 1
    (4, 2, 2, 0, True, 2),  # exact: ceil_mode changes nothing
])
def test_pool_output_size_follows_pytorch(device, size, kernel, stride, pad, ceil_mode, expected):
    x = var(np.zeros((1, 1, size, size)), device)
    for pool in (max_pool2d, avg_pool2d):
        assert pool(x, kernel, stride, pad, ceil_mode=ceil_mode).shape == (1, 1, expected, expected)


def test_avg_pool2d_known_values_of_the_options(device):
    x = var(np.arange(16.0).reshape(1, 1, 4, 4), device)
    # pad 1: each window's real cells are 1, 2 or 4; count_include_pad=True always divides by 4
    np.testing.assert_array_equal(to_host(avg_pool2d(x, 2, pad=1, count_include_pad=False))[0, 0],
                                  [[0.0, 1.5, 3.0], [6.0, 7.5, 9.0], [12.0, 13.5, 15.0]])
    np.testing.assert_array_equal(to_host(avg_pool2d(x, 2, pad=1))[0, 0],
                                  [[0.0, 0.75, 0.75], [3.0, 7.5, 4.5], [3.0, 6.75, 3.75]])
    # ceil_mode on 5×5: a last window holds one row (or column) of the input and, without padding, divides by the
    # cells it holds, 2 or 1, not by 4 (the corner is x[4, 4] = 24, as PyTorch gives)
    y = to_host(avg_pool2d(var(np.arange(25.0).reshape(1, 1, 5, 5), device), 2, ceil_mode=True))[0, 0]
    np.testing.assert_array_equal(y, [[3.0, 5.0, 6.5], [13.0, 15.0, 16.5], [20.5, 22.5, 24.0]])


def test_avg_pool2d_options_gradient(device):
    """Each input cell receives gy / count of every window that holds it."""
    xv = var(np.zeros((1, 1, 3, 3)), device)
    avg_pool2d(xv, 2, stride=2, ceil_mode=True, count_include_pad=False).sum().backward()
    # windows: rows {0, 1} or {2}, columns likewise; counts 4, 2, 2, 1
    np.testing.assert_array_equal(to_host(xv.grad)[0, 0], [[0.25, 0.25, 0.5], [0.25, 0.25, 0.5], [0.5, 0.5, 1.0]])


def test_pool_options_float32_stays_float32(device):
    x = var(RNG.normal(size=(1, 2, 5, 5)).astype(np.float32), device)
    for pool in (lambda a: max_pool2d(a, 2, pad=1, dilation=2, ceil_mode=True),
                 lambda a: avg_pool2d(a, 2, ceil_mode=True, count_include_pad=False),
                 lambda a: adaptive_avg_pool2d(a, (2, 3))):
        x.cleargrad()
        y = pool(x)
        assert to_host(y).dtype == np.float32
        y.sum().backward()
        assert to_host(x.grad).dtype == np.float32


# ---- adaptive average pooling ----------------------------------------------------------------------------------
@pytest.mark.parametrize("shape, output_size, expected_hw", [
    ((2, 3, 7, 5), (3, 2), (3, 2)),  # overlapping windows: rows [0, 3), [2, 5), [4, 7)
    ((1, 2, 6, 6), 3, (3, 3)),  # divisible: avg_pool2d(x, 2)
    ((1, 1, 4, 5), (None, 3), (4, 3)),  # None keeps the height
    ((1, 2, 3, 2), (5, 4), (5, 4)),  # larger than the input: windows repeat cells
    ((2, 2, 5, 3), 1, (1, 1)),  # global average pooling
])
def test_adaptive_avg_pool2d(device, shape, output_size, expected_hw):
    x = RNG.normal(size=shape)
    y = adaptive_avg_pool2d(var(x, device), output_size)
    assert y.shape == shape[:2] + expected_hw
    np.testing.assert_allclose(to_host(y), np_adaptive_avg_pool2d(x, expected_hw), rtol=1e-12, atol=1e-15)


def test_adaptive_avg_pool2d_known_windows(device):
    x = var(np.arange(10.0).reshape(1, 1, 2, 5), device)
    # columns [floor(j*5/3), ceil((j+1)*5/3)) = [0, 2), [1, 4), [3, 5); the rows all averaged
    np.testing.assert_allclose(to_host(adaptive_avg_pool2d(x, (1, 3)))[0, 0], [[3.0, 4.5, 6.0]], rtol=1e-15)
    np.testing.assert_allclose(to_host(adaptive_avg_pool2d(x, (2, 2))),
                               to_host(adaptive_avg_pool2d(x, (None, 2))), rtol=1e-15)
    np.testing.assert_allclose(to_host(adaptive_avg_pool2d(var(np.arange(36.0).reshape(1, 1, 6, 6), device), 3)),
                               np_avg_pool2d(np.arange(36.0).reshape(1, 1, 6, 6), 2), rtol=1e-15)


def test_adaptive_avg_pool2d_gradient(device):
    """Each cell receives gy / window size of every window that holds it: column 2 of 5 is in two windows of 3."""
    xv = var(np.zeros((1, 1, 1, 5)), device)
    adaptive_avg_pool2d(xv, (1, 3)).sum().backward()
    np.testing.assert_allclose(to_host(xv.grad)[0, 0, 0], [0.5, 0.5 + 1 / 3, 1 / 3, 1 / 3 + 0.5, 0.5], rtol=1e-15)


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
