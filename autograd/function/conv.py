"""Convolution and pooling.

Images are NCHW, x `(N, C, H, W)`. `kernel_size`, `stride` and `pad` are each an int (the same for height and
width) or a pair (height, width). A kernel (kh, kw) slid with stride (sh, sw) over x padded by (ph, pw) on
each side visits OH × OW places,

    OH = (H + 2*ph - kh) // sh + 1,    OW = (W + 2*pw - kw) // sw + 1,

and must fit in the padded image. Every op is composed from [im2col][autograd.function.im2col] and
[col2im][autograd.function.col2im] (each the other's gradient) with matmul, reshape, max and mean, which give
its gradients of every order.
"""
from autograd._checks import kernel_geometry, pair
from autograd.backend import device_of
from autograd.function.linalg import matmul
from autograd.function.reduction import Max
from autograd.function.reduction import mean as _mean
from autograd.function.shape import reshape, transpose
from autograd.variable import Function, as_variable

__all__ = ["avg_pool2d", "col2im", "conv2d", "conv_transpose2d", "im2col", "max_pool2d"]


# ---- argument checks ------------------------------------------------------------------------------------------
def _out_size(size, k, s, p, op, axis):
    """The number of kernel positions along one axis: (size + 2p - k) // s + 1; the kernel must fit."""
    if size + 2 * p < k:
        raise ValueError(f"{op}: kernel size {k} is larger than the padded input along {axis} "
                         f"({size} + 2*{p} = {size + 2 * p})")
    return (size + 2 * p - k) // s + 1


def _check_4d(shape, op, what="x"):
    if len(shape) != 4:
        raise ValueError(f"{op}: {what} must have 4 dimensions (N, C, H, W), got shape {tuple(shape)}")


def _out_hw(x_shape, kernel, stride, pad, op):
    return (_out_size(x_shape[2], kernel[0], stride[0], pad[0], op, "height"),
            _out_size(x_shape[3], kernel[1], stride[1], pad[1], op, "width"))


# ---- im2col / col2im on arrays ---------------------------------------------------------------------------------
def _im2col_array(x, kernel, stride, pad, fill=0):
    """im2col of a raw array; padded cells hold `fill` (0, or -inf for max pooling)."""
    device = device_of(x)
    xp = device.xp
    n, c, h, w = x.shape
    (kh, kw), (sh, sw), (ph, pw) = kernel, stride, pad
    oh, ow = _out_hw(x.shape, kernel, stride, pad, "im2col")
    if ph or pw:
        padded = xp.full((n, c, h + 2 * ph, w + 2 * pw), fill, dtype=x.dtype, device=device.where)
        padded[:, :, ph:ph + h, pw:pw + w] = x
        x = padded
    patches = [x[:, :, i:i + sh * (oh - 1) + 1:sh, j:j + sw * (ow - 1) + 1:sw]
               for i in range(kh) for j in range(kw)]  # each (N, C, OH, OW), in order i*kw + j
    col = xp.stack(patches, axis=2)  # (N, C, kh*kw, OH, OW)
    return xp.reshape(col, (n, c * kh * kw, oh * ow))


def _col2im_array(col, x_shape, kernel, stride, pad):
    """col2im of a raw array: every column entry added back to the pixel it came from; padding dropped."""
    device = device_of(col)
    xp = device.xp
    n, c, h, w = x_shape
    (kh, kw), (sh, sw), (ph, pw) = kernel, stride, pad
    oh, ow = _out_hw(x_shape, kernel, stride, pad, "col2im")
    expected = (n, c * kh * kw, oh * ow)
    if tuple(col.shape) != expected:
        raise ValueError(f"col2im: col of shape {tuple(col.shape)} does not match an image of shape {tuple(x_shape)} "
                         f"with kernel {kernel}, stride {stride}, pad {pad} (expected {expected})")
    col = xp.reshape(col, (n, c, kh, kw, oh, ow))
    out = xp.zeros((n, c, h + 2 * ph, w + 2 * pw), dtype=col.dtype, device=device.where)
    for i in range(kh):
        for j in range(kw):
            index = (slice(None), slice(None), slice(i, i + sh * (oh - 1) + 1, sh), slice(j, j + sw * (ow - 1) + 1, sw))
            out[index] = out[index] + col[:, :, i, j, :, :]
    if ph or pw:
        out = out[:, :, ph:ph + h, pw:pw + w]
    return out


class Im2col(Function):
    """x (N, C, H, W) -> col (N, C*kh*kw, OH*OW); padded cells hold `fill`. Gradient: col2im."""

    def __init__(self, kernel, stride, pad, fill=0):
        self.kernel, self.stride, self.pad, self.fill = kernel, stride, pad, fill

    def forward(self, x):
        return _im2col_array(x, self.kernel, self.stride, self.pad, self.fill)

    def backward(self, gy):
        # im2col is linear in x (the fill is a constant), so its gradient is col2im, whatever the fill
        return Col2im(self.inputs[0].shape, self.kernel, self.stride, self.pad)(gy)


class Col2im(Function):
    """col (N, C*kh*kw, OH*OW) -> image of `x_shape`, overlapping patches summed. Gradient: im2col."""

    def __init__(self, x_shape, kernel, stride, pad):
        self.x_shape, self.kernel, self.stride, self.pad = tuple(x_shape), kernel, stride, pad

    def forward(self, col):
        return _col2im_array(col, self.x_shape, self.kernel, self.stride, self.pad)

    def backward(self, gy):
        return Im2col(self.kernel, self.stride, self.pad)(gy)


def im2col(x, kernel_size, stride=1, pad=0):
    """Every kh×kw patch as a column: x `(N, C, H, W)` -> col `(N, C*kh*kw, OH*OW)`, x_pad zero padded,

        col[n, c*kh*kw + i*kw + j, oh*OW + ow] = x_pad[n, c, oh*sh + i, ow*sw + j]

    A convolution is then one matrix product. Gradient: [col2im][autograd.function.col2im].

    Examples:
        >>> import numpy as np
        >>> from autograd import to_host
        >>> col = F.im2col(np.arange(9.0).reshape(1, 1, 3, 3), 2)
        >>> col.shape
        (1, 4, 4)
        >>> to_host(col)[0, :, 0].tolist()   # the top-left 2×2 patch
        [0.0, 1.0, 3.0, 4.0]
    """
    x = as_variable(x)
    _check_4d(x.shape, "im2col")
    kernel, stride, pad = kernel_geometry(kernel_size, stride, pad, "im2col")
    return Im2col(kernel, stride, pad)(x)  # its forward checks that the kernel fits


def col2im(col, x_shape, kernel_size, stride=1, pad=0):
    """The adjoint of [im2col][autograd.function.im2col]: col `(N, C*kh*kw, OH*OW)` -> an image of shape `x_shape`.

    Each entry is added to the pixel it was gathered from (overlaps summed, padding dropped), so
    `<im2col(x), col> == <x, col2im(col)>`. Gradient: `im2col`.

    Examples:
        >>> import numpy as np
        >>> from autograd import to_host
        >>> y = F.col2im(np.ones((1, 4, 4)), (1, 1, 3, 3), 2)
        >>> to_host(y)[0, 0].tolist()   # how many 2×2 patches hold each pixel
        [[1.0, 2.0, 1.0], [2.0, 4.0, 2.0], [1.0, 2.0, 1.0]]
    """
    col = as_variable(col)
    x_shape = tuple(x_shape)
    _check_4d(x_shape, "col2im", "x_shape")
    kernel, stride, pad = kernel_geometry(kernel_size, stride, pad, "col2im")
    return Col2im(x_shape, kernel, stride, pad)(col)  # its forward checks that the kernel fits and col's shape


# ---- convolution -----------------------------------------------------------------------------------------------
def _add_channel_bias(y, b, channels, op):
    """y (N, OC, OH, OW) + b (OC,) broadcast over batch and space."""
    b = as_variable(b, y.data)
    if b.shape != (channels,):
        raise ValueError(f"{op}: bias must have shape ({channels},), got {b.shape}")
    return y + reshape(b, (1, channels, 1, 1))


def conv2d(x, W, b=None, stride=1, pad=0):
    """2-D convolution (a cross-correlation, as in every deep learning library):

        y[n, o, p, q] = Σ_{c,i,j} W[o, c, i, j] · x_pad[n, c, p·sh + i, q·sw + j]  (+ b[o])

    x `(N, C, H, W)`, W `(OC, C, kh, kw)` (PyTorch's layout), b `(OC,)` or None -> y `(N, OC, OH, OW)`; x_pad is
    zero padded (with a 3×3 kernel and stride 1, `pad=1` keeps H and W). Computed as W reshaped to
    `(OC, C*kh*kw)` @ im2col(x), which gives the gradients. The op of [Conv2d][autograd.layer.Conv2d].

    Examples:
        >>> import numpy as np
        >>> from autograd import to_host
        >>> x = np.arange(16.0).reshape(1, 1, 4, 4)
        >>> y = F.conv2d(x, np.ones((1, 1, 2, 2)))   # sums each 2×2 window; OH = (4 - 2) // 1 + 1
        >>> to_host(y)[0, 0].tolist()
        [[10.0, 14.0, 18.0], [26.0, 30.0, 34.0], [42.0, 46.0, 50.0]]
    """
    x = as_variable(x)
    W = as_variable(W)
    _check_4d(x.shape, "conv2d")
    _check_4d(W.shape, "conv2d", "W")
    oc, c, kh, kw = W.shape
    if x.shape[1] != c:
        raise ValueError(f"conv2d: x has {x.shape[1]} channels (shape {x.shape}) but W expects {c} "
                         f"(shape {W.shape}, laid out (OC, C, kh, kw))")
    kernel, stride, pad = kernel_geometry((kh, kw), stride, pad, "conv2d")
    oh, ow = _out_hw(x.shape, kernel, stride, pad, "conv2d")
    col = Im2col(kernel, stride, pad)(x)  # (N, C*kh*kw, OH*OW)
    y = matmul(reshape(W, (oc, c * kh * kw)), col)  # (N, OC, OH*OW)
    y = reshape(y, (x.shape[0], oc, oh, ow))
    return y if b is None else _add_channel_bias(y, b, oc, "conv2d")


def conv_transpose2d(x, W, b=None, stride=1, pad=0, outsize=None):
    """Transposed convolution, the gradient of [conv2d][autograd.function.conv2d] with respect to x, used to
    upsample (the op of [ConvTranspose2d][autograd.layer.ConvTranspose2d]).

    Each input pixel adds its value times the kh×kw kernel into the output at steps of the stride, overlaps
    summed: `y = col2im(Wᵀ @ x) (+ b)`. x `(N, C_in, H, W)`, W `(C_in, C_out, kh, kw)` (PyTorch's layout),
    b `(C_out,)` or None -> y `(N, C_out, OH, OW)`, `OH = (H - 1)·sh - 2·ph + kh` (likewise OW).

    Args:
        pad (int | tuple[int, int]): rows and columns cropped from each side of the output.
        outsize (tuple[int, int] | None): (OH, OW) instead of the formula: one of the sizes that a conv2d with
            this kernel, stride and pad maps back to (H, W) (with stride > 1 several do).

    Examples:
        >>> import numpy as np
        >>> from autograd import to_host
        >>> y = F.conv_transpose2d(np.array([[[[1.0, 2.0], [3.0, 4.0]]]]), np.ones((1, 1, 2, 2)), stride=2)
        >>> to_host(y)[0, 0].tolist()   # OH = (2 - 1)·2 + 2
        [[1.0, 1.0, 2.0, 2.0], [1.0, 1.0, 2.0, 2.0], [3.0, 3.0, 4.0, 4.0], [3.0, 3.0, 4.0, 4.0]]
    """
    x = as_variable(x)
    W = as_variable(W)
    _check_4d(x.shape, "conv_transpose2d")
    _check_4d(W.shape, "conv_transpose2d", "W")
    c_in, c_out, kh, kw = W.shape
    n, c, h, w = x.shape
    if c != c_in:
        raise ValueError(f"conv_transpose2d: x has {c} channels (shape {x.shape}) but W expects {c_in} "
                         f"(shape {W.shape}, laid out (C_in, C_out, kh, kw))")
    kernel, stride, pad = kernel_geometry((kh, kw), stride, pad, "conv_transpose2d")
    if outsize is None:
        out_hw = tuple((s - 1) * st - 2 * p + k for s, st, p, k in zip((h, w), stride, pad, kernel))
        if min(out_hw) <= 0:
            raise ValueError(f"conv_transpose2d: the output size {out_hw} is not positive for input {x.shape}, "
                             f"kernel {kernel}, stride {stride}, pad {pad}")
    else:
        out_hw = pair(outsize, "outsize", "conv_transpose2d", 1)
        back = tuple((s + 2 * p - k) // st + 1 if s + 2 * p >= k else None
                     for s, p, k, st in zip(out_hw, pad, kernel, stride))
        if back != (h, w):
            raise ValueError(f"conv_transpose2d: outsize {out_hw} is inconsistent with input size {(h, w)}: a "
                             f"conv2d with kernel {kernel}, stride {stride}, pad {pad} maps it to {back}")
    col = matmul(transpose(reshape(W, (c_in, c_out * kh * kw))), reshape(x, (n, c_in, h * w)))
    y = Col2im((n, c_out) + out_hw, kernel, stride, pad)(col)
    return y if b is None else _add_channel_bias(y, b, c_out, "conv_transpose2d")


# ---- pooling ---------------------------------------------------------------------------------------------------
def _pool_patches(x, kernel_size, stride, pad, op, fill):
    """x's patches as (N, C, kh*kw, OH*OW), with the output spatial size."""
    x = as_variable(x)
    _check_4d(x.shape, op)
    kernel = pair(kernel_size, "kernel_size", op, 1)
    stride = kernel if stride is None else stride
    kernel, stride, pad = kernel_geometry(kernel, stride, pad, op)
    oh, ow = _out_hw(x.shape, kernel, stride, pad, op)
    n, c = x.shape[:2]
    col = Im2col(kernel, stride, pad, fill)(x)
    return reshape(col, (n, c, kernel[0] * kernel[1], oh * ow)), (n, c, oh, ow)


def max_pool2d(x, kernel_size, stride=None, pad=0):
    """Max pooling: the largest value of each kh×kw window, `(N, C, H, W)` -> `(N, C, OH, OW)`; `x` floating point.

    `stride` defaults to the kernel size (windows side by side). Padding is with -inf, so padded cells never win;
    `pad` is at most half the kernel size. Gradient: `gy` to the maximum of each window; of tied maxima, all of it
    to the first in the window's row-major order (as PyTorch's max_pool2d; F.max splits it among ties instead).

    Examples:
        >>> import numpy as np
        >>> from autograd import Variable, to_host
        >>> x = Variable(np.arange(16.0).reshape(1, 1, 4, 4))
        >>> y = F.max_pool2d(x, 2)
        >>> to_host(y)[0, 0].tolist()
        [[5.0, 7.0], [13.0, 15.0]]
        >>> F.sum(y).backward()
        >>> to_host(x.grad)[0, 0].tolist()
        [[0.0, 0.0, 0.0, 0.0], [0.0, 1.0, 0.0, 1.0], [0.0, 0.0, 0.0, 0.0], [0.0, 1.0, 0.0, 1.0]]
    """
    x = as_variable(x)
    if not x.xp.isdtype(x.dtype, "real floating"):
        raise TypeError(f"max_pool2d: x must be floating point, got {x.dtype}")
    kernel = pair(kernel_size, "kernel_size", "max_pool2d", 1)
    p = pair(pad, "pad", "max_pool2d", 0)
    if p[0] > kernel[0] // 2 or p[1] > kernel[1] // 2:
        raise ValueError(f"max_pool2d: pad {p} must be at most half the kernel size {kernel}")
    patches, shape = _pool_patches(x, kernel, stride, p, "max_pool2d", -float("inf"))
    return reshape(Max((2,), False, first=True)(patches), shape)


def avg_pool2d(x, kernel_size, stride=None, pad=0):
    """Average pooling: the mean of each kh×kw window, `(N, C, H, W)` -> `(N, C, OH, OW)`.

    `stride` defaults to the kernel size. Padding is with zeros that count in the denominator, always kh·kw
    (PyTorch's default `count_include_pad=True`). Gradient: `gy / (kh·kw)` to each pixel of the window.

    Examples:
        >>> import numpy as np
        >>> from autograd import to_host
        >>> to_host(F.avg_pool2d(np.arange(16.0).reshape(1, 1, 4, 4), 2))[0, 0].tolist()
        [[2.5, 4.5], [10.5, 12.5]]
    """
    patches, shape = _pool_patches(x, kernel_size, stride, pad, "avg_pool2d", 0)
    return reshape(_mean(patches, axis=2), shape)

