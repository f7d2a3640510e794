"""Convolution and pooling.

Images are NCHW, x `(N, C, H, W)`. `kernel_size`, `stride`, `pad` and `dilation` are each an int (the same for
height and width) or a pair (height, width). A kernel (kh, kw) with dilation (dh, dw) reads every dh-th row
and dw-th column, so it spans `dh·(kh - 1) + 1` rows (likewise columns); slid with stride (sh, sw) over x
padded by (ph, pw) on each side it visits OH × OW places (PyTorch's formula),

    OH = (H + 2·ph - dh·(kh - 1) - 1) // sh + 1,    OW likewise,

and must fit in the padded image. Every op is composed from [im2col][autograd.function.im2col] and
[col2im][autograd.function.col2im] (each the other's gradient) with matmul, reshape, max, sum and mean, which
give its gradients of every order.
"""
from autograd._checks import flag, integer, kernel_geometry, pair
from autograd.backend import device_of
from autograd.function.linalg import matmul
from autograd.function.reduction import Max
from autograd.function.reduction import mean as _mean
from autograd.function.reduction import sum as _sum
from autograd.function.shape import matrix_transpose, reshape
from autograd.variable import Function, as_variable

__all__ = ["adaptive_avg_pool2d", "avg_pool2d", "col2im", "conv2d", "conv_transpose2d", "im2col", "max_pool2d"]


# ---- argument checks ------------------------------------------------------------------------------------------
def _span(k, d):
    """The extent of a kernel of size k with dilation d: d·(k - 1) + 1."""
    return d * (k - 1) + 1


def _out_size(size, k, s, pad, d, op, axis):
    """The number of kernel positions along one axis, padded by pad = (before, after):
    (size + before + after - d·(k - 1) - 1) // s + 1; the (dilated) kernel must fit."""
    lo, hi = pad
    if size + lo + hi < _span(k, d):
        kernel = f"kernel size {k}" if d == 1 else f"kernel size {k} at dilation {d} (spanning {_span(k, d)})"
        padded = f"{size} + 2*{lo}" if lo == hi else f"{size} + {lo} + {hi}"
        raise ValueError(f"{op}: {kernel} is larger than the padded input along {axis} ({padded} = {size + lo + hi})")
    return (size + lo + hi - _span(k, d)) // s + 1


def _check_4d(shape, op, what="x"):
    if len(shape) != 4:
        raise ValueError(f"{op}: {what} must have 4 dimensions (N, C, H, W), got shape {tuple(shape)}")


def _both_sides(pad):
    """A symmetric (ph, pw) as the (before, after) pads of each axis, ((ph, ph), (pw, pw))."""
    return ((pad[0], pad[0]), (pad[1], pad[1]))


def _out_hw(x_shape, kernel, stride, pads, dilation, op):
    """(OH, OW); pads is ((top, bottom), (left, right))."""
    return tuple(_out_size(x_shape[2 + a], kernel[a], stride[a], pads[a], dilation[a], op, axis)
                 for a, axis in enumerate(("height", "width")))


def _geometry(kernel_size, stride, pad, dilation, op):
    """kernel, stride, pad and dilation as checked pairs (dilation positive, as PyTorch's)."""
    return kernel_geometry(kernel_size, stride, pad, op) + (pair(dilation, "dilation", op, 1),)


def _groups(groups, op):
    """groups as a positive Python int (a TypeError if not an integer)."""
    groups = integer(groups, f"{op}: groups")
    if groups < 1:
        raise ValueError(f"{op}: groups must be positive, got {groups}")
    return groups


# ---- im2col / col2im on arrays ---------------------------------------------------------------------------------
def _im2col_array(x, kernel, stride, pads, dilation, fill=0):
    """im2col of a raw array; pads ((top, bottom), (left, right)); padded cells hold `fill` (0, or -inf for max
    pooling). Patch (i, j) is the padded x read from row i·dh, column j·dw on, at steps of the stride."""
    device = device_of(x)
    xp = device.xp
    n, c, h, w = x.shape
    (kh, kw), (sh, sw), ((pt, pb), (pl, pr)), (dh, dw) = kernel, stride, pads, dilation
    oh, ow = _out_hw(x.shape, kernel, stride, pads, dilation, "im2col")
    if pt or pb or pl or pr:
        padded = xp.full((n, c, h + pt + pb, w + pl + pr), fill, dtype=x.dtype, device=device.where)
        padded[:, :, pt:pt + h, pl:pl + w] = x
        x = padded
    patches = [x[:, :, i * dh:i * dh + sh * (oh - 1) + 1:sh, j * dw:j * dw + sw * (ow - 1) + 1:sw]
               for i in range(kh) for j in range(kw)]  # each (N, C, OH, OW), in order i*kw + j
    col = xp.stack(patches, axis=2)  # (N, C, kh*kw, OH, OW)
    return xp.reshape(col, (n, c * kh * kw, oh * ow))


def _col2im_array(col, x_shape, kernel, stride, pads, dilation):
    """col2im of a raw array: every column entry added back to the pixel it came from; padding dropped."""
    device = device_of(col)
    xp = device.xp
    n, c, h, w = x_shape
    (kh, kw), (sh, sw), ((pt, pb), (pl, pr)), (dh, dw) = kernel, stride, pads, dilation
    oh, ow = _out_hw(x_shape, kernel, stride, pads, dilation, "col2im")
    expected = (n, c * kh * kw, oh * ow)
    if tuple(col.shape) != expected:
        raise ValueError(f"col2im: col of shape {tuple(col.shape)} does not match an image of shape {tuple(x_shape)} "
                         f"with kernel {kernel}, stride {stride}, pad {pads[0][0], pads[1][0]}, dilation "
                         f"{dilation} (expected {expected})")
    col = xp.reshape(col, (n, c, kh, kw, oh, ow))
    out = xp.zeros((n, c, h + pt + pb, w + pl + pr), dtype=col.dtype, device=device.where)
    for i in range(kh):
        for j in range(kw):
            index = (slice(None), slice(None), slice(i * dh, i * dh + sh * (oh - 1) + 1, sh),
                     slice(j * dw, j * dw + sw * (ow - 1) + 1, sw))
            out[index] = out[index] + col[:, :, i, j, :, :]
    if pt or pb or pl or pr:
        out = out[:, :, pt:pt + h, pl:pl + w]
    return out


class Im2col(Function):
    """x (N, C, H, W) -> col (N, C*kh*kw, OH*OW); pads ((top, bottom), (left, right)), padded cells hold
    `fill`. Gradient: col2im."""

    def __init__(self, kernel, stride, pads, dilation=(1, 1), fill=0):
        self.kernel, self.stride, self.pads, self.dilation, self.fill = kernel, stride, pads, dilation, fill

    def forward(self, x):
        return _im2col_array(x, self.kernel, self.stride, self.pads, self.dilation, self.fill)

    def backward(self, gy):
        # im2col is linear in x (the fill is a constant), so its gradient is col2im, whatever the fill
        return Col2im(self.inputs[0].shape, self.kernel, self.stride, self.pads, self.dilation)(gy)


class Col2im(Function):
    """col (N, C*kh*kw, OH*OW) -> image of `x_shape`, overlapping patches summed. Gradient: im2col."""

    def __init__(self, x_shape, kernel, stride, pads, dilation=(1, 1)):
        self.x_shape, self.kernel, self.stride, self.pads, self.dilation = (tuple(x_shape), kernel, stride, pads,
                                                                            dilation)

    def forward(self, col):
        return _col2im_array(col, self.x_shape, self.kernel, self.stride, self.pads, self.dilation)

    def backward(self, gy):
        return Im2col(self.kernel, self.stride, self.pads, self.dilation)(gy)


def im2col(x, kernel_size, stride=1, pad=0, dilation=1):
    """Every kh×kw patch as a column: x `(N, C, H, W)` -> col `(N, C*kh*kw, OH*OW)`, x_pad zero padded,

        col[n, c*kh*kw + i*kw + j, oh*OW + ow] = x_pad[n, c, oh*sh + i*dh, ow*sw + j*dw]

    (PyTorch's `F.unfold`). A convolution is then one matrix product. Gradient:
    [col2im][autograd.function.col2im].

    Examples:
        >>> import numpy as np
        >>> from autograd import to_host
        >>> col = F.im2col(np.arange(9.0).reshape(1, 1, 3, 3), 2)
        >>> col.shape
        (1, 4, 4)
        >>> to_host(col)[0, :, 0].tolist()   # the top-left 2×2 patch
        [0.0, 1.0, 3.0, 4.0]
        >>> to_host(F.im2col(np.arange(9.0).reshape(1, 1, 3, 3), 2, dilation=2))[0, :, 0].tolist()   # the corners
        [0.0, 2.0, 6.0, 8.0]
    """
    x = as_variable(x)
    _check_4d(x.shape, "im2col")
    kernel, stride, pad, dilation = _geometry(kernel_size, stride, pad, dilation, "im2col")
    return Im2col(kernel, stride, _both_sides(pad), dilation)(x)  # its forward checks that the kernel fits


def col2im(col, x_shape, kernel_size, stride=1, pad=0, dilation=1):
    """The adjoint of [im2col][autograd.function.im2col]: col `(N, C*kh*kw, OH*OW)` -> an image of shape `x_shape`.

    Each entry is added to the pixel it was gathered from (overlaps summed, padding dropped), so
    `<im2col(x), col> == <x, col2im(col)>` (PyTorch's `F.fold`). Gradient: `im2col`.

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
    kernel, stride, pad, dilation = _geometry(kernel_size, stride, pad, dilation, "col2im")
    return Col2im(x_shape, kernel, stride, _both_sides(pad), dilation)(col)  # its forward checks the sizes


# ---- convolution -----------------------------------------------------------------------------------------------
def _add_channel_bias(y, b, channels, op):
    """y (N, OC, OH, OW) + b (OC,) broadcast over batch and space."""
    b = as_variable(b, y.data)
    if b.shape != (channels,):
        raise ValueError(f"{op}: bias must have shape ({channels},), got {b.shape}")
    return y + reshape(b, (1, channels, 1, 1))


def conv2d(x, W, b=None, stride=1, pad=0, dilation=1, groups=1):
    """2-D convolution (a cross-correlation, as in every deep learning library):

        y[n, o, p, q] = Σ_{c,i,j} W[o, c, i, j] · x_pad[n, g·C/G + c, p·sh + i·dh, q·sw + j·dw]  (+ b[o])

    x `(N, C, H, W)`, W `(OC, C/G, kh, kw)` (PyTorch's layout), b `(OC,)` or None -> y `(N, OC, OH, OW)`; x_pad is
    zero padded (with a 3×3 kernel and stride 1, `pad=1` keeps H and W). With `groups` G the C input and OC output
    channels are split into G groups, output o (of group g = o // (OC/G)) seeing only the C/G inputs of its
    group; `groups=C` is a depthwise convolution. `dilation` spaces the kernel's taps. Computed as W reshaped to
    `(G, OC/G, C/G·kh·kw)` @ im2col(x) split by group, which gives the gradients. The op of
    [Conv2d][autograd.layer.Conv2d].

    Examples:
        >>> import numpy as np
        >>> from autograd import to_host
        >>> x = np.arange(16.0).reshape(1, 1, 4, 4)
        >>> y = F.conv2d(x, np.ones((1, 1, 2, 2)))   # sums each 2×2 window; OH = (4 - 2) // 1 + 1
        >>> to_host(y)[0, 0].tolist()
        [[10.0, 14.0, 18.0], [26.0, 30.0, 34.0], [42.0, 46.0, 50.0]]
        >>> to_host(F.conv2d(x, np.ones((1, 1, 2, 2)), dilation=3))[0, 0].tolist()   # the four corners
        [[30.0]]
    """
    x = as_variable(x)
    W = as_variable(W)
    _check_4d(x.shape, "conv2d")
    _check_4d(W.shape, "conv2d", "W")
    g = _groups(groups, "conv2d")
    (n, c, _, _), (oc, cg, kh, kw) = x.shape, W.shape
    if c % g:
        raise ValueError(f"conv2d: x's {c} channels (shape {x.shape}) are not divisible by groups={g}")
    if c != cg * g:
        raise ValueError(f"conv2d: x has {c} channels (shape {x.shape}) but W expects {cg * g} "
                         f"(shape {W.shape}, laid out (OC, C/groups, kh, kw), groups={g})")
    if oc % g:
        raise ValueError(f"conv2d: W's {oc} output channels (shape {W.shape}) are not divisible by groups={g}")
    kernel, stride, pad, dilation = _geometry((kh, kw), stride, pad, dilation, "conv2d")
    pads = _both_sides(pad)
    oh, ow = _out_hw(x.shape, kernel, stride, pads, dilation, "conv2d")
    col = Im2col(kernel, stride, pads, dilation)(x)  # (N, C*kh*kw, OH*OW), the channels of group g contiguous
    k = cg * kh * kw
    y = matmul(reshape(W, (g, oc // g, k)), reshape(col, (n, g, k, oh * ow)))  # (N, G, OC/G, OH*OW)
    y = reshape(y, (n, oc, oh, ow))
    return y if b is None else _add_channel_bias(y, b, oc, "conv2d")


def conv_transpose2d(x, W, b=None, stride=1, pad=0, outsize=None, dilation=1, groups=1):
    """Transposed convolution, the gradient of [conv2d][autograd.function.conv2d] with respect to x, used to
    upsample (the op of [ConvTranspose2d][autograd.layer.ConvTranspose2d]).

    Each input pixel adds its value times the kh×kw kernel (its taps `dilation` apart) into the output at steps
    of the stride, overlaps summed: `y = col2im(Wᵀ @ x) (+ b)`, group by group. x `(N, C_in, H, W)`,
    W `(C_in, C_out/G, kh, kw)` (PyTorch's layout), b `(C_out,)` or None -> y `(N, C_out, OH, OW)`,
    `OH = (H - 1)·sh - 2·ph + dh·(kh - 1) + 1` (likewise OW). With `groups` G, the inputs of group g feed only
    the C_out/G outputs of that group.

    Args:
        pad (int | tuple[int, int]): rows and columns cropped from each side of the output.
        outsize (tuple[int, int] | None): (OH, OW) instead of the formula: one of the sizes that a conv2d with
            this kernel, stride, pad and dilation maps back to (H, W) (with stride > 1 several do); PyTorch
            chooses among them with `output_padding` instead.

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
    g = _groups(groups, "conv_transpose2d")
    (n, c, h, w), (c_in, cog, kh, kw) = x.shape, W.shape
    if c_in % g:
        raise ValueError(f"conv_transpose2d: W's {c_in} input channels (shape {W.shape}) are not divisible by "
                         f"groups={g}")
    if c != c_in:
        raise ValueError(f"conv_transpose2d: x has {c} channels (shape {x.shape}) but W expects {c_in} "
                         f"(shape {W.shape}, laid out (C_in, C_out/groups, kh, kw))")
    kernel, stride, pad, dilation = _geometry((kh, kw), stride, pad, dilation, "conv_transpose2d")
    pads = _both_sides(pad)
    if outsize is None:
        out_hw = tuple((s - 1) * st - 2 * p + _span(k, d) for s, st, p, k, d in zip((h, w), stride, pad, kernel,
                                                                                     dilation))
        if min(out_hw) <= 0:
            raise ValueError(f"conv_transpose2d: the output size {out_hw} is not positive for input {x.shape}, "
                             f"kernel {kernel}, stride {stride}, pad {pad}, dilation {dilation}")
    else:
        out_hw = pair(outsize, "outsize", "conv_transpose2d", 1)
        back = tuple((s + 2 * p - _span(k, d)) // st + 1 if s + 2 * p >= _span(k, d) else None
                     for s, p, k, st, d in zip(out_hw, pad, kernel, stride, dilation))
        if back != (h, w):
            raise ValueError(f"conv_transpose2d: outsize {out_hw} is inconsistent with input size {(h, w)}: a "
                             f"conv2d with kernel {kernel}, stride {stride}, pad {pad}, dilation {dilation} maps "
                             f"it to {back}")
    Wt = matrix_transpose(reshape(W, (g, c_in // g, cog * kh * kw)))  # (G, C_out/G*kh*kw, C_in/G)
    col = matmul(Wt, reshape(x, (n, g, c_in // g, h * w)))  # (N, G, C_out/G*kh*kw, H*W)
    col = reshape(col, (n, g * cog * kh * kw, h * w))
    y = Col2im((n, g * cog) + out_hw, kernel, stride, pads, dilation)(col)
    return y if b is None else _add_channel_bias(y, b, g * cog, "conv_transpose2d")


# ---- pooling ---------------------------------------------------------------------------------------------------
def _pool_out_size(size, k, s, p, d, ceil_mode, op, axis):
    """PyTorch's pooling output size along one axis, and the extra padding after the input that ceil_mode needs:
    (size + 2p - d·(k - 1) - 1) / s rounded down (up with ceil_mode) + 1, but with ceil_mode the last window
    must start inside the input or the left padding."""
    out = _out_size(size, k, s, (p, p), d, op, axis)  # checks that the kernel fits
    if ceil_mode and (size + 2 * p - _span(k, d)) % s:
        out += 1
        if (out - 1) * s >= size + p:
            out -= 1
    return out, max(0, (out - 1) * s + _span(k, d) - (size + 2 * p))


def _pool_patches(x, kernel_size, stride, pad, dilation, ceil_mode, op, fill):
    """x's windows as (N, C, kh*kw, OH*OW), with the output shape and, per axis, (size, k, s, p, extra)."""
    x = as_variable(x)
    _check_4d(x.shape, op)
    kernel = pair(kernel_size, "kernel_size", op, 1)
    kernel, stride, pad, dilation = _geometry(kernel, kernel if stride is None else stride, pad, dilation, op)
    if pad[0] > kernel[0] // 2 or pad[1] > kernel[1] // 2:
        raise ValueError(f"{op}: pad {pad} must be at most half the kernel size {kernel}")
    ceil_mode = flag(ceil_mode, f"{op}: ceil_mode")
    (oh, eh), (ow, ew) = (_pool_out_size(x.shape[2 + a], kernel[a], stride[a], pad[a], dilation[a], ceil_mode, op,
                                         axis) for a, axis in enumerate(("height", "width")))
    n, c = x.shape[:2]
    col = Im2col(kernel, stride, ((pad[0], pad[0] + eh), (pad[1], pad[1] + ew)), dilation, fill)(x)
    axes = tuple((x.shape[2 + a], kernel[a], stride[a], pad[a], (eh, ew)[a]) for a in range(2))
    return reshape(col, (n, c, kernel[0] * kernel[1], oh * ow)), (n, c, oh, ow), axes


def max_pool2d(x, kernel_size, stride=None, pad=0, dilation=1, ceil_mode=False):
    """Max pooling: the largest value of each kh×kw window, `(N, C, H, W)` -> `(N, C, OH, OW)`; `x` floating point.

    `stride` defaults to the kernel size (windows side by side); `dilation` spaces the window's taps. Padding is
    with -inf, so padded cells never win; `pad` is at most half the kernel size. `ceil_mode` rounds OH and OW up
    instead of down (a last, partial window), as long as that window starts inside the input or the left padding
    (PyTorch's rule). Gradient: `gy` to the maximum of each window; of tied maxima, all of it to the first in the
    window's row-major order (as PyTorch's max_pool2d; F.max splits it among ties instead). PyTorch's `padding` is
    `pad` here, and `return_indices` is not offered.

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
        >>> to_host(F.max_pool2d(x, 3, stride=2, ceil_mode=True))[0, 0].tolist()   # OH = ceil((4 - 3) / 2) + 1
        [[10.0, 11.0], [14.0, 15.0]]
    """
    x = as_variable(x)
    if not x.xp.isdtype(x.dtype, "real floating"):
        raise TypeError(f"max_pool2d: x must be floating point, got {x.dtype}")
    patches, shape, _ = _pool_patches(x, kernel_size, stride, pad, dilation, ceil_mode, "max_pool2d", -float("inf"))
    return reshape(Max((2,), False, first=True)(patches), shape)


def _window_counts(size, k, s, p, extra, count_include_pad):
    """Along one axis, the number of cells each window averages (PyTorch's avg_pool2d): those inside the padded
    input, or with count_include_pad=False only the input's own; the ceil_mode cells beyond never count."""
    out = (size + 2 * p + extra - k) // s + 1
    starts = [i * s - p for i in range(out)]
    if count_include_pad:
        return [min(t + k, size + p) - t for t in starts]
    return [min(t + k, size) - max(t, 0) for t in starts]


def avg_pool2d(x, kernel_size, stride=None, pad=0, ceil_mode=False, count_include_pad=True):
    """Average pooling: the mean of each kh×kw window, `(N, C, H, W)` -> `(N, C, OH, OW)`.

    `stride` defaults to the kernel size; `pad` is at most half the kernel size. The zeros of the padding count in
    the denominator (kh·kw) unless `count_include_pad=False`, which divides by the number of the input's own
    cells in the window. `ceil_mode` is max_pool2d's; the cells of a last, partial window that lie beyond the
    padding never count (PyTorch's rules). Gradient: `gy / count` to each pixel of the window. PyTorch's `padding`
    is `pad` here, and `divisor_override` is not offered.

    Examples:
        >>> import numpy as np
        >>> from autograd import to_host
        >>> x = np.arange(16.0).reshape(1, 1, 4, 4)
        >>> to_host(F.avg_pool2d(x, 2))[0, 0].tolist()
        [[2.5, 4.5], [10.5, 12.5]]
        >>> to_host(F.avg_pool2d(x, 2, pad=1, count_include_pad=False))[0, 0].tolist()[0]   # 0/1, (1+2)/2, 3/1
        [0.0, 1.5, 3.0]
    """
    count_include_pad = flag(count_include_pad, "avg_pool2d: count_include_pad")
    patches, shape, axes = _pool_patches(x, kernel_size, stride, pad, 1, ceil_mode, "avg_pool2d", 0)
    if count_include_pad and axes[0][4] == axes[1][4] == 0:  # every window counts kh·kw cells
        return reshape(_mean(patches, axis=2), shape)
    counts_h, counts_w = (_window_counts(*axis, count_include_pad) for axis in axes)
    device = device_of(patches.data)
    xp = device.xp
    count = (xp.asarray(counts_h, dtype=patches.dtype, device=device.where)[:, None]
             * xp.asarray(counts_w, dtype=patches.dtype, device=device.where)[None, :])  # (OH, OW)
    return reshape(_sum(patches, axis=2), shape) / count


def _adaptive_matrix(size, out, dtype, device):
    """(out, size): row i averages x[floor(i·size/out) : ceil((i+1)·size/out)] (PyTorch's windows)."""
    xp = device.xp
    starts = [i * size // out for i in range(out)]
    ends = [-(-(i + 1) * size // out) for i in range(out)]
    index = xp.arange(size, device=device.where)[None, :]
    inside = ((index >= xp.asarray(starts, device=device.where)[:, None])
              & (index < xp.asarray(ends, device=device.where)[:, None]))
    counts = xp.asarray([e - s for s, e in zip(starts, ends)], dtype=dtype, device=device.where)
    return xp.astype(inside, dtype) / counts[:, None]


def adaptive_avg_pool2d(x, output_size):
    """Adaptive average pooling to a given output size, `(N, C, H, W)` -> `(N, C, OH, OW)` whatever H and W:

        y[n, c, i, j] = mean of x[n, c, floor(i·H/OH) : ceil((i+1)·H/OH), floor(j·W/OW) : ceil((j+1)·W/OW)]

    (PyTorch's windows; neighbouring ones may overlap). `output_size` is an int, a pair, or a pair with None
    keeping that size. A window average is separable, so `y = A_H @ x @ A_Wᵀ` with constant averaging matrices;
    an axis whose size is kept is left alone. Gradient: `A_Hᵀ @ gy @ A_W`. x must be 4-D (PyTorch also takes an
    unbatched (C, H, W)).

    Examples:
        >>> import numpy as np
        >>> from autograd import to_host
        >>> x = np.arange(5.0).reshape(1, 1, 1, 5)
        >>> to_host(F.adaptive_avg_pool2d(x, (1, 3)))[0, 0].tolist()   # windows [0, 2), [1, 4), [3, 5)
        [[0.5, 2.0, 3.5]]
        >>> F.adaptive_avg_pool2d(np.zeros((2, 3, 7, 7)), 1).shape   # global average pooling
        (2, 3, 1, 1)
    """
    x = as_variable(x)
    _check_4d(x.shape, "adaptive_avg_pool2d")
    if not x.xp.isdtype(x.dtype, "real floating"):
        raise TypeError(f"adaptive_avg_pool2d: x must be floating point, got {x.dtype}")
    sizes = output_size if isinstance(output_size, (tuple, list)) else (output_size, output_size)
    if len(sizes) == 2:
        sizes = tuple(x.shape[2 + a] if s is None else s for a, s in enumerate(sizes))
    oh, ow = pair(sizes, "output_size", "adaptive_avg_pool2d", 1)
    (h, w), device = x.shape[2:], device_of(x.data)
    y = x if oh == h else matmul(_adaptive_matrix(h, oh, x.dtype, device), x)  # (N, C, OH, W)
    return y if ow == w else matmul(y, matrix_transpose(_adaptive_matrix(w, ow, x.dtype, device)))
