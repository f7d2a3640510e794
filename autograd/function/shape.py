"""Shapes and indexing.

Ops that move elements without arithmetic; each gradient moves them back: reshape ↔ reshape, transpose ↔ the
inverse permutation, broadcast_to ↔ sum_to, get_item ↔ a scatter-add, concat ↔ slices. `reshape`,
`broadcast_to` and `sum_to` return a Variable that already has the target shape as it is.
"""
import math
import operator

from autograd._checks import integer, is_integer, normalize_axes
from autograd import config
from autograd.backend import DeviceError, device_of, is_array, is_host_scalar
from autograd.variable import Function, Variable, array_of, as_variable

__all__ = ["broadcast_to", "concat", "get_item", "matrix_transpose", "pad", "reshape", "split", "squeeze", "stack",
           "sum_to", "transpose", "tril", "triu", "unsqueeze"]


class Reshape(Function):
    _view = True

    def __init__(self, shape):
        self.shape = shape

    def forward(self, x):
        return device_of(x).xp.reshape(x, self.shape)

    def backward(self, gy):
        return reshape(gy, self.inputs[0].shape)


def reshape(x, shape):
    """`x` with a new shape (one entry may be -1), the same elements in row-major order. Gradient: reshaped back.

    Examples:
        >>> from autograd import Variable, to_host
        >>> x = Variable([1.0, 2.0, 3.0, 4.0, 5.0, 6.0])
        >>> to_host(F.reshape(x, (2, -1))).tolist()
        [[1.0, 2.0, 3.0], [4.0, 5.0, 6.0]]
    """
    try:  # integers, NumPy's too, as Python ints
        shape = (operator.index(shape),) if is_integer(shape) else tuple(map(operator.index, shape))
    except TypeError:
        raise TypeError(f"reshape: shape must be an integer or a sequence of integers, got {shape!r}") from None
    x = as_variable(x)
    return x if tuple(x.shape) == shape else Reshape(shape)(x)


class Transpose(Function):
    _view = True

    def __init__(self, axes):
        self.axes = axes

    def forward(self, x):
        axes = self.axes if self.axes is not None else tuple(reversed(range(x.ndim)))
        if (any(not -x.ndim <= a < x.ndim for a in axes)
                or sorted(a % x.ndim for a in axes) != list(range(x.ndim))):
            raise ValueError(f"transpose: axes {self.axes} are not a permutation of the {x.ndim} axes "
                             f"of shape {tuple(x.shape)}")
        self.axes = tuple(a % x.ndim for a in axes)
        return device_of(x).xp.permute_dims(x, self.axes)

    def backward(self, gy):
        inverse = sorted(range(len(self.axes)), key=self.axes.__getitem__)
        return transpose(gy, tuple(inverse))


def transpose(x, axes=None):
    """`x` with its axes permuted: axis `i` of the result is axis `axes[i]` of `x`; None reverses them (`Variable.T`).

    Gradient: transposed back with the inverse permutation.

    Examples:
        >>> import numpy as np
        >>> F.transpose(np.zeros((2, 3, 4)), (1, 0, 2)).shape
        (3, 2, 4)
    """
    return Transpose(None if axes is None else tuple(axes))(x)


def matrix_transpose(x):
    """The last two axes swapped, `(..., M, N) -> (..., N, M)` (`Variable.mT`); `x` needs 2 dimensions or more.

    Examples:
        >>> from autograd import Variable, to_host
        >>> to_host(F.matrix_transpose(Variable([[1.0, 2.0, 3.0]]))).tolist()
        [[1.0], [2.0], [3.0]]
    """
    x = as_variable(x)
    if x.ndim < 2:
        raise ValueError(f"matrix_transpose: needs at least 2 dimensions, got shape {x.shape}")
    axes = list(range(x.ndim))
    axes[-2], axes[-1] = axes[-1], axes[-2]
    return transpose(x, axes)


def _broadcast_check(shape, target, op):
    ok = len(shape) <= len(target) and all(
        s == t or s == 1 for s, t in zip(shape[::-1], target[::-1]))
    if not ok:
        raise ValueError(f"{op}: shape {shape} cannot be broadcast to {target}")


class BroadcastTo(Function):
    _view = True

    def __init__(self, shape):
        self.shape = shape

    def forward(self, x):
        _broadcast_check(tuple(x.shape), self.shape, "broadcast_to")
        return device_of(x).xp.broadcast_to(x, self.shape)

    def backward(self, gy):
        return sum_to(gy, self.inputs[0].shape)


def broadcast_to(x, shape):
    """`x` repeated along new leading axes and its size-1 axes to `shape` (NumPy's broadcasting rules).

    Gradient: [sum_to][autograd.function.sum_to], which adds the copies back up.

    Examples:
        >>> from autograd import Variable, to_host
        >>> x = Variable([1.0, 2.0])
        >>> F.sum(F.broadcast_to(x, (3, 2))).backward()
        >>> to_host(x.grad).tolist()   # summed over the 3 copies
        [3.0, 3.0]
    """
    shape = tuple(shape)
    x = as_variable(x)
    return x if tuple(x.shape) == shape else BroadcastTo(shape)(x)


class SumTo(Function):
    def __init__(self, shape):
        self.shape = shape

    def forward(self, x):
        return _summed_to(x, self.shape)

    def backward(self, gy):
        return broadcast_to(gy, self.inputs[0].shape)


def sum_to(x, shape):
    """`x` summed down to `shape` (which must broadcast to `x.shape`): the adjoint of
    [broadcast_to][autograd.function.broadcast_to], and its gradient.

    Leading axes that `shape` lacks are summed away, its size-1 axes summed keeping the size. Gradient: `broadcast_to`.

    Examples:
        >>> import numpy as np
        >>> from autograd import to_host
        >>> to_host(F.sum_to(np.ones((2, 3)), (2, 1))).tolist()
        [[3.0], [3.0]]
    """
    shape = tuple(shape)
    if not isinstance(x, Variable) and config.on_arrays.get() and is_array(x):
        # an array in a gradient formula that records no graph (the gradient of every broadcasting op comes
        # here): summed at once, without an op
        return x if x.shape == shape else _summed_to(x, shape)
    x = as_variable(x)
    return x if tuple(x.shape) == shape else SumTo(shape)(x)


def _summed_to(x, shape):
    """The array `x` summed down to `shape`."""
    xp = device_of(x).xp
    lead = x.ndim - len(shape)
    if lead and x.shape[lead:] == shape:  # only leading axes to sum away (a bias's gradient)
        return xp.sum(x, axis=0 if lead == 1 else tuple(range(lead)))
    kept = tuple(lead + i for i, s in enumerate(shape) if s != x.shape[lead + i]) if lead >= 0 else ()
    if lead < 0 or (kept and any(shape[k - lead] != 1 for k in kept)):
        _broadcast_check(shape, tuple(x.shape), "sum_to")  # raises
    if kept:
        x = xp.sum(x, axis=kept, keepdims=True)
    return xp.sum(x, axis=tuple(range(lead))) if lead else x


def squeeze(x, axis=None):
    """`x` without its size-1 axes, or only those in `axis` (each of size 1); a reshape.

    Examples:
        >>> import numpy as np
        >>> F.squeeze(np.zeros((1, 3, 1)), 0).shape
        (3, 1)
    """
    x = as_variable(x)
    if axis is None:
        axes = tuple(i for i, s in enumerate(x.shape) if s == 1)
    else:
        axes = normalize_axes(axis, x.ndim, "squeeze")
        bad = [a for a in axes if x.shape[a] != 1]
        if bad:
            raise ValueError(f"squeeze: axis {bad[0]} of shape {x.shape} has size {x.shape[bad[0]]}, not 1")
    return reshape(x, tuple(s for i, s in enumerate(x.shape) if i not in axes))


def unsqueeze(x, axis):
    """`x` with size-1 axes inserted at the positions `axis` of the result (NumPy's `expand_dims`); a reshape.

    Examples:
        >>> import numpy as np
        >>> F.unsqueeze(np.zeros(2), (0, -1)).shape
        (1, 2, 1)
    """
    x = as_variable(x)
    ndim = x.ndim + (1 if is_integer(axis) else len(axis))
    axes = normalize_axes(axis, ndim, "unsqueeze")
    it = iter(x.shape)
    return reshape(x, tuple(1 if i in axes else next(it) for i in range(ndim)))


def _index_on_device(index, device):
    """An index (as a tuple) with lists and Variables turned into integer (or boolean) arrays on `device`; an
    array of another device is a DeviceError (nothing moves implicitly)."""
    if not isinstance(index, tuple):
        index = (index,)
    out = []
    for i in index:
        variable = isinstance(i, Variable)
        if variable:
            i = i.data
        if is_array(i) and not is_host_scalar(i):  # (a NumPy scalar is a number)
            other = device_of(i)
            if other != device:
                moved = f"idx.to('{device}')" if variable else f"autograd.get_device('{device}').put(idx)"
                raise DeviceError(f"get_item: the index array is on {other} but x is on {device}; arrays do not "
                                  f"move between devices implicitly: index with {moved}")
        if isinstance(i, list) and not i:
            i = device.asarray(i, dtype=device.xp.int64)  # [] is an empty integer index, as NumPy reads it
        elif isinstance(i, list) or (hasattr(i, "shape") and not isinstance(i, (int, slice))):
            i = device.asarray(i)
        out.append(i)
    return tuple(out)


def _is_array(i):
    """True for an index part that is an array (not None, Ellipsis, an int or a slice)."""
    return not (i is None or i is Ellipsis or isinstance(i, (int, slice)))


def _is_bool_array(i):
    return _is_array(i) and device_of(i).xp.isdtype(i.dtype, "bool")


def _full_index(index, ndim):
    """`index` with its Ellipsis (or NumPy's implicit trailing one) spelled out as `:`s, as the array API wants."""
    used = 0
    for i in index:
        if i is not None and i is not Ellipsis:
            used += i.ndim if _is_bool_array(i) else 1
    fill = (slice(None),) * max(ndim - used, 0)
    for k, i in enumerate(index):
        if i is Ellipsis:
            return index[:k] + fill + index[k + 1:]
    return index + fill


def _explicit(index, shape):
    """`index` for an array of `shape` with its Ellipsis spelled out and its slices clipped to the axes."""
    return _clip_slices(_full_index(index, len(shape)), shape)


def _clip_slices(index, shape):
    """Slice bounds clipped to their axis as in NumPy (array-api-strict refuses them out of range); empty: 0:0."""
    out, axis = [], 0
    for i in index:
        if isinstance(i, slice) and i != slice(None):
            start, stop, step = i.indices(shape[axis])
            if (stop - start) * step <= 0:
                i = slice(0, 0, 1)
            else:
                i = slice(start, None if stop < 0 else stop, step)
        out.append(i)
        if i is not None:
            axis += i.ndim if _is_bool_array(i) else 1
    return tuple(out)


def _is_full_slice(i):
    return isinstance(i, slice) and i == slice(None)


def _gather(x, index):
    """`x[index]` with NumPy's meaning, spelled with the indexing the array API standard specifies."""
    full = _explicit(index, x.shape)
    arrays = [k for k, i in enumerate(full) if _is_array(i)]
    if not arrays:
        return x[full]
    core = full
    while core and _is_full_slice(core[-1]):
        core = core[:-1]
    if len(core) == 1 and _is_bool_array(core[0]):
        return x[core[0]]  # a mask over the leading axes
    if any(_is_bool_array(full[k]) for k in arrays):
        return _advanced(x, full)  # masks among other indices
    xp = device_of(x).xp
    if len(arrays) == 1 and all(isinstance(i, slice) for k, i in enumerate(full) if k != arrays[0]):
        # one integer array among slices: slice, then take along its axis (its dimensions stay in place)
        a = arrays[0]
        idx = full[a]
        y = x[full[:a] + (slice(None),) + full[a + 1:]]
        y = xp.take(y, xp.reshape(idx, (-1,)), axis=a)
        return xp.reshape(y, tuple(y.shape[:a]) + tuple(idx.shape) + tuple(y.shape[a + 1:]))
    if all(isinstance(i, int) or _is_array(i) for i in core):
        # integers and integer arrays on the leading axes: the trailing ':'s become broadcast aranges
        rest = x.ndim - len(core)
        if rest == 0:
            return x[core]
        batch = tuple(xp.broadcast_arrays(*[core[k] for k in arrays])[0].shape)
        lead = tuple(xp.reshape(xp.broadcast_to(i, batch), batch + (1,) * rest) if _is_array(i) else i
                     for i in core)
        device = device_of(x)
        tail = tuple(xp.reshape(xp.arange(n, device=device.where), (n,) + (1,) * (rest - 1 - j))
                     for j, n in enumerate(x.shape[len(core):]))
        return x[lead + tail]
    return _advanced(x, full)


def _advanced(x, full):
    """`x[full]` for any NumPy index (slices, ints, None, integer and boolean arrays; Ellipsis spelled out) with
    only what the array API standard has, so that every device takes what NumPy and CuPy take: a mask becomes its
    `nonzero` integer arrays, an int a 0-d one, None a new axis of size 1 indexed by `:`; the slices apply first,
    then one `take` of the advanced axes flattened into one, whose result goes where NumPy puts it (in place of
    adjacent advanced axes, else first)."""
    device = device_of(x)
    xp = device.xp
    parts, shape, axis = [], [], 0
    for i in full:
        if i is None:
            parts.append(slice(None))
            shape.append(1)
            continue
        if _is_bool_array(i):
            parts.extend(xp.nonzero(i))
            width = i.ndim
        else:
            parts.append(xp.asarray(i, dtype=xp.int64, device=device.where) if isinstance(i, int) else i)
            width = 1
        shape.extend(x.shape[axis:axis + width])
        axis += width
    y = xp.reshape(x, tuple(shape)) if len(shape) != x.ndim else x
    y = y[tuple(p if isinstance(p, slice) else slice(None) for p in parts)]
    adv = [k for k, p in enumerate(parts) if not isinstance(p, slice)]
    indices = xp.broadcast_arrays(*[parts[k] for k in adv])
    flat = None  # the row-major position among the advanced axes, negative indices counted from the end
    for k, i in zip(adv, indices):
        n = y.shape[k]
        i = xp.where(i < 0, i + n, i)
        flat = i if flat is None else flat * n + i
    rest = [k for k in range(y.ndim) if k not in adv]
    y = xp.permute_dims(y, tuple(adv + rest))
    y = xp.reshape(y, (math.prod(y.shape[:len(adv)]),) + tuple(y.shape[len(adv):]))
    y = xp.take(y, xp.reshape(flat, (-1,)), axis=0)
    batch = tuple(indices[0].shape)
    y = xp.reshape(y, batch + tuple(y.shape[1:]))
    if adv == list(range(adv[0], adv[-1] + 1)) and adv[0] > 0:  # adjacent: back to where they stood
        nb, before = len(batch), adv[0]
        y = xp.permute_dims(y, tuple(range(nb, nb + before)) + tuple(range(nb)) + tuple(range(nb + before, y.ndim)))
    return y


def _is_basic(index):
    return not any(_is_array(i) for i in index)


class GetItem(Function):
    def __init__(self, index):
        self.index = index
        self._view = _is_basic(index)  # a basic index gives a view; integer or boolean arrays give a copy

    def forward(self, x):
        return _gather(x, self.index)

    def backward(self, gy):
        return GetItemGrad(self.index, self.inputs[0].shape)(gy)


class GetItemGrad(Function):
    """Scatter `gy` into zeros of the input's shape; repeated integer indices accumulate."""

    def __init__(self, index, in_shape):
        self.index = index
        self.in_shape = in_shape

    def forward(self, gy):
        device = device_of(gy)
        xp = device.xp
        if _is_basic(self.index):
            gx = xp.zeros(self.in_shape, dtype=gy.dtype, device=device.where)
            # None only inserts size-1 axes: write through an index without it (the standard has no None there)
            index = _explicit(tuple(i for i in self.index if i is not None), self.in_shape)
            gx[index] = xp.reshape(gy, tuple(gx[index].shape))
            return gx
        return device.scatter_add(self.in_shape, _explicit(self.index, self.in_shape), gy)

    def backward(self, ggx):
        return get_item(ggx, self.index)


def get_item(x, index):
    """`x[index]` with NumPy's meaning (the `x[...]` operator).

    The index may hold ints, slices, None, Ellipsis, and integer or boolean arrays, lists or Variables (moved to
    `x`'s device; an array on another device raises DeviceError). Slice bounds out of range are clipped, as in
    NumPy. Gradient: `gy` scattered into zeros of `x`'s shape; an element picked several times accumulates them all.

    Examples:
        >>> from autograd import Variable, to_host
        >>> x = Variable([1.0, 2.0, 3.0])
        >>> y = F.get_item(x, [0, 0, 2])
        >>> to_host(y).tolist()
        [1.0, 1.0, 3.0]
        >>> F.sum(y).backward()
        >>> to_host(x.grad).tolist()   # element 0 was picked twice
        [2.0, 0.0, 1.0]
    """
    x = as_variable(x)
    return GetItem(_index_on_device(index, device_of(array_of(x))))(x)


class Concat(Function):
    def __init__(self, axis):
        self.axis = axis

    def forward(self, *xs):
        return device_of(xs[0]).xp.concat(xs, axis=self.axis)

    def backward(self, gy):
        axis = self.axis % gy.ndim
        gxs, start = [], 0
        for x in self.inputs:
            stop = start + x.shape[axis]
            index = (slice(None),) * axis + (slice(start, stop),)
            gxs.append(get_item(gy, index) if x.requires_grad else None)
            start = stop
        return tuple(gxs)


def concat(xs, axis=0):
    """The arrays `xs` joined along an existing `axis` (NumPy's `concatenate`). Gradient: each input's slice of `gy`.

    Examples:
        >>> from autograd import Variable, to_host
        >>> a, b = Variable([1.0, 2.0]), Variable([3.0])
        >>> y = F.concat([a, b])
        >>> to_host(y).tolist()
        [1.0, 2.0, 3.0]
        >>> F.sum(y * Variable([1.0, 2.0, 3.0])).backward()
        >>> to_host(a.grad).tolist(), to_host(b.grad).tolist()
        ([1.0, 2.0], [3.0])
    """
    xs = list(xs)
    if not xs:
        raise ValueError("concat: needs at least one input")
    return Concat(axis)(*xs)


def split(x, indices_or_sections, axis=0):
    """`x` cut along `axis` into a list of Variables (NumPy's `split`). Gradient: each part's to its slice of `x`.

    Examples:
        >>> from autograd import Variable, to_host
        >>> x = Variable([1.0, 2.0, 3.0, 4.0])
        >>> [to_host(p).tolist() for p in F.split(x, [1, 3])]   # cut before 1 and 3; F.split(x, 2): two halves
        [[1.0], [2.0, 3.0], [4.0]]
    """
    x = as_variable(x)
    axis = normalize_axes(axis, x.ndim, "split")[0]
    n = x.shape[axis]
    if is_integer(indices_or_sections):
        indices_or_sections = operator.index(indices_or_sections)
        if indices_or_sections <= 0 or n % indices_or_sections:
            raise ValueError(f"split: axis {axis} of shape {x.shape} does not divide into "
                             f"{indices_or_sections} equal parts")
        step = n // indices_or_sections
        bounds = list(range(0, n + 1, step))
    else:
        bounds = [0, *indices_or_sections, n]
    lead = (slice(None),) * axis
    return [get_item(x, lead + (slice(a, b),)) for a, b in zip(bounds[:-1], bounds[1:])]


def stack(xs, axis=0):
    """The arrays `xs`, all of one shape, joined along a new `axis` of the result (NumPy's `stack`, PyTorch's
    `stack(tensors, dim)`): `y[..., i, ...] = xs[i]`. Gradient: each input's slice of `gy`.

    Examples:
        >>> from autograd import Variable, to_host
        >>> a, b = Variable([1.0, 2.0]), Variable([3.0, 4.0])
        >>> to_host(F.stack([a, b], axis=1)).tolist()
        [[1.0, 3.0], [2.0, 4.0]]
    """
    xs = [as_variable(x) for x in xs]
    if not xs:
        raise ValueError("stack: needs at least one input")
    shapes = [tuple(x.shape) for x in xs]
    if any(shape != shapes[0] for shape in shapes):
        raise ValueError(f"stack: inputs must all have one shape, got {', '.join(map(str, shapes))}")
    (axis,) = normalize_axes(axis, len(shapes[0]) + 1, "stack")
    return concat([unsqueeze(x, axis) for x in xs], axis)


_PAD_MODES = ("constant", "reflect", "replicate", "circular")


def pad(x, pad, mode="constant", value=0.0):  # noqa: A002  (PyTorch's F.pad(input, pad, ...))
    """`x` padded (or, by negative amounts, cropped) as PyTorch's `F.pad`: `pad` is
    `(before, after)` for the last axis, then `(before, after)` for the one before it, and so on:
    `(1, 2)` adds 1 column in front and 2 behind, `(1, 1, 2, 2)` also 2 rows above and below.

    Modes: `"constant"` fills with `value`; `"reflect"` mirrors `x` without repeating its edge (`[2, 1 | 1, 2, 3
    | 2, 1]`, each pad below the axis's size); `"replicate"` repeats the edge; `"circular"` wraps around (each
    pad at most the size). Unlike PyTorch, the last three pad any axes, not only those after the batch and
    channel axes. Crops come first, then pads. Gradient: `gy`'s part over `x` (a reflected, replicated or wrapped
    element also collects the gradients of its copies).

    Examples:
        >>> from autograd import Variable, to_host
        >>> x = Variable([[1.0, 2.0, 3.0]])
        >>> to_host(F.pad(x, (1, 2))).tolist()
        [[0.0, 1.0, 2.0, 3.0, 0.0, 0.0]]
        >>> to_host(F.pad(x, (2, -1), value=9.0)).tolist()   # 2 in front, 1 cropped behind
        [[9.0, 9.0, 1.0, 2.0]]
        >>> to_host(F.pad(x, (2, 1), mode="reflect")).tolist()   # mirrored about the edge elements
        [[3.0, 2.0, 1.0, 2.0, 3.0, 2.0]]
    """
    x = as_variable(x)
    if mode not in _PAD_MODES:
        raise ValueError(f"pad: mode must be one of {', '.join(map(repr, _PAD_MODES))}, got {mode!r}")
    if not isinstance(pad, (tuple, list)) or not all(is_integer(p) for p in pad):
        raise TypeError(f"pad: pad must be a tuple of integers (before, after, ...), got {pad!r}")
    pad = [integer(p, "pad: pad") for p in pad]
    if len(pad) % 2 or len(pad) > 2 * x.ndim:
        raise ValueError(f"pad: pad {tuple(pad)} must hold a (before, after) pair for each of at most the "
                         f"{x.ndim} axes of shape {tuple(x.shape)}, the last axis first")
    if mode != "constant" and value != 0.0:
        raise ValueError(f"pad: mode {mode!r} takes no value, got value={value!r}")
    pairs = {x.ndim - 1 - i: (pad[2 * i], pad[2 * i + 1]) for i in range(len(pad) // 2)}  # axis -> pair
    crop = tuple(slice(-min(b, 0), x.shape[a] + min(e, 0)) if a in pairs else slice(None)
                 for a in range(x.ndim) for b, e in [pairs.get(a, (0, 0))])
    if any(s.start > s.stop for s in crop if s != slice(None)):
        raise ValueError(f"pad: pad {tuple(pad)} crops more than the whole of shape {tuple(x.shape)}")
    if any(min(p) < 0 for p in pairs.values()):
        x = get_item(x, crop)
    for axis, (before, after) in sorted(pairs.items()):
        before, after = max(before, 0), max(after, 0)
        if before or after:
            x = _pad_axis(x, axis, before, after, mode, value)
    return x


def _pad_axis(x, axis, before, after, mode, value):
    """`x` padded along one axis by the non-negative amounts `before` and `after`."""
    n, where = x.shape[axis], f"along axis {axis} of shape {tuple(x.shape)}"
    if mode == "reflect" and max(before, after) >= n:
        raise ValueError(f"pad: reflect padding of ({before}, {after}) {where} needs each pad below the size {n}")
    if mode == "circular" and max(before, after) > n:
        raise ValueError(f"pad: circular padding of ({before}, {after}) {where} needs each pad at most the size {n}")
    if mode == "replicate" and n == 0:
        raise ValueError(f"pad: replicate padding of an empty axis: ({before}, {after}) {where}")

    def part(index):
        return get_item(x, (slice(None),) * axis + (index,))

    def block(size):  # the constant fill of `size` along the axis, on x's device
        shape = tuple(x.shape[:axis]) + (size,) + tuple(x.shape[axis + 1:])
        data = array_of(x)
        xp = device_of(data).xp
        return xp.full(shape, value, dtype=data.dtype, device=device_of(data).where)

    if mode == "constant":
        parts = [block(before), x, block(after)]
    elif mode == "reflect":  # x[before], ..., x[1] | x | x[n - 2], ..., x[n - 1 - after]
        parts = [part(slice(before, 0, -1)), x, part(slice(n - 2, n - 2 - after if after < n - 1 else None, -1))]
    elif mode == "replicate":
        parts = [part([0] * before), x, part([n - 1] * after)]
    else:  # circular
        parts = [part(slice(n - before, n)), x, part(slice(0, after))]
    return concat([p for p in parts if p.shape[axis]], axis)


class _Triangle(Function):
    """The lower (tril) or upper (triu) triangle of the last two axes, the rest zeroed. Gradient: the same
    triangle of gy."""

    def __init__(self, diagonal):
        self.diagonal = diagonal

    def forward(self, x):
        return getattr(device_of(x).xp, self.part)(x, k=self.diagonal)

    def backward(self, gy):
        return type(self)(self.diagonal)(gy)


class Tril(_Triangle):
    part = "tril"


class Triu(_Triangle):
    part = "triu"


def _triangle(cls, x, diagonal):
    x = as_variable(x)
    op = cls.part
    if x.ndim < 2:
        raise ValueError(f"{op}: needs at least 2 dimensions (..., M, N), got shape {tuple(x.shape)}")
    return cls(integer(diagonal, f"{op}: diagonal"))(x)


def tril(x, diagonal=0):
    """The lower triangle of the last two axes: `y[..., i, j] = x[..., i, j]` where `j - i <= diagonal`, else 0
    (PyTorch's `tril(input, diagonal)`, NumPy's `tril(m, k)`: 0 the main diagonal, 1 one above, -1 one below).
    Gradient: `tril(gy, diagonal)`.

    Examples:
        >>> from autograd import Variable, to_host
        >>> to_host(F.tril(Variable([[1.0, 2.0], [3.0, 4.0]]))).tolist()
        [[1.0, 0.0], [3.0, 4.0]]
    """
    return _triangle(Tril, x, diagonal)


def triu(x, diagonal=0):
    """The upper triangle of the last two axes: `y[..., i, j] = x[..., i, j]` where `j - i >= diagonal`, else 0,
    as [F.tril][autograd.function.tril] the lower one. Gradient: `triu(gy, diagonal)`.

    Examples:
        >>> from autograd import Variable, to_host
        >>> to_host(F.triu(Variable([[1.0, 2.0], [3.0, 4.0]]), 1)).tolist()
        [[0.0, 2.0], [0.0, 0.0]]
    """
    return _triangle(Triu, x, diagonal)
