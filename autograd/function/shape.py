"""Ops that move elements without arithmetic: shapes, indexing, joining and splitting.

Their gradients move the elements back: reshape ↔ reshape, transpose ↔ the inverse permutation,
broadcast_to ↔ sum_to, get_item ↔ a scatter-add, concat ↔ slices.
"""
from autograd._checks import normalize_axes
from autograd.backend import device_of
from autograd.variable import Function, Variable, array_of, as_variable

__all__ = ["broadcast_to", "concat", "get_item", "matrix_transpose", "reshape", "split", "squeeze", "sum_to",
           "transpose", "unsqueeze"]


class Reshape(Function):
    def __init__(self, shape):
        self.shape = shape

    def forward(self, x):
        return device_of(x).xp.reshape(x, self.shape)

    def backward(self, gy):
        return reshape(gy, self.inputs[0].shape)


def reshape(x, shape):
    """`x` with a new shape holding the same elements in the same (row-major) order.

    The gradient is reshaped back to `x`'s shape. A Variable that already has the shape is returned as is.
    `Variable.reshape` calls this.

    Args:
        x (Variable | array): the input.
        shape (int | tuple[int, ...]): the new shape, of the same size; one entry may be -1, inferred from the
            others. Typical values: `(N, -1)`, `(2, 3)`, `-1`.

    Returns:
        (Variable): the reshaped values.

    Raises:
        ValueError: `shape` does not have `x`'s size.

    Examples:
        >>> import autograd.function as F
        >>> from autograd import Variable, to_host
        >>> x = Variable([1.0, 2.0, 3.0, 4.0, 5.0, 6.0])
        >>> y = F.reshape(x, (2, -1))
        >>> y.shape
        (2, 3)
        >>> to_host(y).tolist()
        [[1.0, 2.0, 3.0], [4.0, 5.0, 6.0]]
    """
    shape = (shape,) if isinstance(shape, int) else tuple(shape)
    x = as_variable(x)
    return x if tuple(x.shape) == shape else Reshape(shape)(x)


class Transpose(Function):
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
    """`x` with its axes permuted: axis `i` of the result is axis `axes[i]` of `x`.

    All axes are reversed when `axes` is None (NumPy's `.T`, which `Variable.T` calls). The gradient is
    transposed back with the inverse permutation.

    Args:
        x (Variable | array): the input.
        axes (tuple[int, ...] | None): a permutation of `range(x.ndim)` (negative values allowed), or None to
            reverse the axes. Typical values: `None`, `(0, 2, 1)`, `(1, 0)`.

    Returns:
        (Variable): the transposed values.

    Raises:
        ValueError: `axes` is not a permutation of `x`'s axes.

    Examples:
        >>> import numpy as np
        >>> import autograd.function as F
        >>> from autograd import Variable
        >>> x = Variable(np.zeros((2, 3, 4)))
        >>> F.transpose(x).shape
        (4, 3, 2)
        >>> F.transpose(x, (1, 0, 2)).shape
        (3, 2, 4)
    """
    return Transpose(None if axes is None else tuple(axes))(x)


def matrix_transpose(x):
    """The last two axes swapped: a (batch of) matrices, each transposed (`Variable.mT`).

    Args:
        x (Variable | array): the input, with at least 2 dimensions, shape `(..., M, N)`.

    Returns:
        (Variable): shape `(..., N, M)`.

    Raises:
        ValueError: `x` has fewer than 2 dimensions.

    Examples:
        >>> import autograd.function as F
        >>> from autograd import Variable, to_host
        >>> x = Variable([[1.0, 2.0, 3.0]])
        >>> to_host(F.matrix_transpose(x)).tolist()
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
    def __init__(self, shape):
        self.shape = shape

    def forward(self, x):
        _broadcast_check(tuple(x.shape), self.shape, "broadcast_to")
        return device_of(x).xp.broadcast_to(x, self.shape)

    def backward(self, gy):
        return sum_to(gy, self.inputs[0].shape)


def broadcast_to(x, shape):
    """`x` repeated along new leading axes or size-1 axes to `shape` (NumPy's broadcasting rules).

    Gradient: [sum_to][autograd.function.sum_to], which adds the copies back up. A Variable that already has
    the shape is returned as is.

    Args:
        x (Variable | array): the input.
        shape (tuple[int, ...]): the target shape; `x.shape` must broadcast to it.

    Returns:
        (Variable): the broadcast values, of shape `shape`.

    Raises:
        ValueError: `x.shape` cannot be broadcast to `shape`.

    Examples:
        >>> import autograd.function as F
        >>> from autograd import Variable, to_host
        >>> x = Variable([1.0, 2.0])
        >>> y = F.broadcast_to(x, (3, 2))
        >>> to_host(y).tolist()
        [[1.0, 2.0], [1.0, 2.0], [1.0, 2.0]]
        >>> F.sum(y).backward()
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
        _broadcast_check(self.shape, tuple(x.shape), "sum_to")
        xp = device_of(x).xp
        lead = x.ndim - len(self.shape)
        kept = tuple(lead + i for i, s in enumerate(self.shape) if s == 1 and x.shape[lead + i] != 1)
        if kept:
            x = xp.sum(x, axis=kept, keepdims=True)
        return xp.sum(x, axis=tuple(range(lead))) if lead else x

    def backward(self, gy):
        return broadcast_to(gy, self.inputs[0].shape)


def sum_to(x, shape):
    """`x` summed down to `shape`: the adjoint of broadcasting, and the gradient of
    [broadcast_to][autograd.function.broadcast_to].

    Leading axes that `shape` lacks are summed away, and axes where `shape` has size 1 are summed with the size
    kept. Gradient: `broadcast_to` back to `x`'s shape. A Variable that already has the shape is returned as is.

    Args:
        x (Variable | array): the input.
        shape (tuple[int, ...]): the target shape; it must broadcast to `x.shape`.

    Returns:
        (Variable): the sums, of shape `shape`.

    Raises:
        ValueError: `shape` cannot be broadcast to `x.shape`.

    Examples:
        >>> import numpy as np
        >>> import autograd.function as F
        >>> from autograd import Variable, to_host
        >>> x = Variable(np.ones((2, 3)))
        >>> to_host(F.sum_to(x, (3,))).tolist()
        [2.0, 2.0, 2.0]
        >>> to_host(F.sum_to(x, (2, 1))).tolist()
        [[3.0], [3.0]]
    """
    shape = tuple(shape)
    x = as_variable(x)
    return x if tuple(x.shape) == shape else SumTo(shape)(x)


def squeeze(x, axis=None):
    """`x` without its size-1 axes, or only those in `axis`; a reshape, so the gradient is reshaped back.

    Args:
        x (Variable | array): the input.
        axis (int | tuple[int, ...] | None): the axes to remove, each of size 1 (negative values count from
            the end); None removes every size-1 axis.

    Returns:
        (Variable): `x` with those axes removed.

    Raises:
        ValueError: an axis in `axis` is out of range, repeated, or not of size 1.

    Examples:
        >>> import numpy as np
        >>> import autograd.function as F
        >>> from autograd import Variable
        >>> x = Variable(np.zeros((1, 3, 1)))
        >>> F.squeeze(x).shape
        (3,)
        >>> F.squeeze(x, 0).shape
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
    """`x` with new size-1 axes inserted (NumPy's `expand_dims`); a reshape, so the gradient is reshaped back.

    Args:
        x (Variable | array): the input.
        axis (int | tuple[int, ...]): the positions of the new axes in the result (negative values count from
            the end of the result). Typical values: `0` (a batch axis), `-1`, `(0, 1)`.

    Returns:
        (Variable): `x` with `x.ndim + len(axis)` dimensions.

    Raises:
        ValueError: an axis is out of range for the result, or repeated.

    Examples:
        >>> import autograd.function as F
        >>> from autograd import Variable
        >>> x = Variable([1.0, 2.0])
        >>> F.unsqueeze(x, 0).shape
        (1, 2)
        >>> F.unsqueeze(x, (0, -1)).shape
        (1, 2, 1)
    """
    x = as_variable(x)
    ndim = x.ndim + (1 if isinstance(axis, int) else len(axis))
    axes = normalize_axes(axis, ndim, "unsqueeze")
    it = iter(x.shape)
    return reshape(x, tuple(1 if i in axes else next(it) for i in range(ndim)))


def _index_on_device(index, device):
    """An index (as a tuple) with lists and Variables turned into integer (or boolean) arrays on `device`."""
    if not isinstance(index, tuple):
        index = (index,)
    out = []
    for i in index:
        if isinstance(i, Variable):
            i = i.data
        if isinstance(i, list) or (hasattr(i, "shape") and not isinstance(i, (int, slice))):
            i = device.asarray(i)  # refuses an array of another device
        out.append(i)
    return tuple(out)


def _is_array(i):
    """True for an index part that is an array (not None, Ellipsis, an int or a slice)."""
    return not (i is None or i is Ellipsis or isinstance(i, (int, slice)))


def _is_bool_array(i):
    return _is_array(i) and device_of(i).xp.isdtype(i.dtype, "bool")


def _full_index(index, ndim):
    """`index` with its Ellipsis (or NumPy's implicit trailing one) spelled out as `:`s, as the array API
    wants every axis indexed explicitly."""
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
    """Slice bounds clipped to their axis, as NumPy does (the standard leaves bounds out of range undefined, and
    array-api-strict refuses them); an empty slice becomes 0:0."""
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
    """`x[index]` with NumPy's meaning, spelled with what the array API standard specifies (basic indexing,
    a sole boolean mask, integer arrays indexing every axis, `take`), so that every device runs it."""
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
        return x[full]  # masks among other indices: NumPy's meaning, where the namespace has it
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
    return x[full]  # NumPy's meaning, where the namespace has it


def _is_basic(index):
    return not any(_is_array(i) for i in index)


class GetItem(Function):
    def __init__(self, index):
        self.index = index

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
    """`x[index]` with NumPy's meaning (the `x[...]` operator on a Variable calls this).

    The index may hold ints, slices, None, Ellipsis, and integer or boolean arrays, lists or Variables (moved to
    `x`'s device; an array of another device is refused). Out-of-range slice bounds are clipped as in NumPy.
    Gradient: `gy` scattered into zeros of `x`'s shape; an element picked several times by an integer array
    accumulates every one of its gradients.

    Args:
        x (Variable | array): the input.
        index (int | slice | tuple | list | array | Variable): the index. Typical values: `0`, `(slice(None), 1)`,
            `[0, 2]`, a boolean mask.

    Returns:
        (Variable): the selected elements.

    Raises:
        IndexError: an integer index is out of range (the array library's error).
        DeviceError: an index array is on another device than `x`.

    Examples:
        >>> import autograd.function as F
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
    """The arrays `xs` joined along an existing axis (NumPy's `concatenate`).

    Gradient: each input gets its own slice of `gy`.

    Args:
        xs (list[Variable | array]): the inputs, with the same number of dimensions and the same shape
            except along `axis`.
        axis (int): the axis to join along; negative values count from the end. Typical values: `0`, `1`, `-1`.

    Returns:
        (Variable): the joined values.

    Raises:
        ValueError: `xs` is empty, or the shapes do not fit together.
        DeviceError: the inputs are on different devices.

    Examples:
        >>> import autograd.function as F
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
    """`x` cut along `axis` into a list of Variables (NumPy's `split`).

    An int `n` cuts `n` equal parts; a list of indices cuts before each of them. The gradient of each part
    flows back to its slice of `x` (parts that are not used give zeros there).

    Args:
        x (Variable | array): the input.
        indices_or_sections (int | list[int]): the number of equal parts, or the sorted indices to cut at.
            Typical values: `2`, `[1, 3]`.
        axis (int): the axis to cut; negative values count from the end.

    Returns:
        (list[Variable]): the parts, in order.

    Raises:
        ValueError: `axis` is out of range, or the axis does not divide into that many equal parts.

    Examples:
        >>> import autograd.function as F
        >>> from autograd import Variable, to_host
        >>> x = Variable([1.0, 2.0, 3.0, 4.0])
        >>> [to_host(p).tolist() for p in F.split(x, 2)]
        [[1.0, 2.0], [3.0, 4.0]]
        >>> [to_host(p).tolist() for p in F.split(x, [1, 3])]
        [[1.0], [2.0, 3.0], [4.0]]
    """
    x = as_variable(x)
    axis = normalize_axes(axis, x.ndim, "split")[0]
    n = x.shape[axis]
    if isinstance(indices_or_sections, int):
        if indices_or_sections <= 0 or n % indices_or_sections:
            raise ValueError(f"split: axis {axis} of shape {x.shape} does not divide into "
                             f"{indices_or_sections} equal parts")
        step = n // indices_or_sections
        bounds = list(range(0, n + 1, step))
    else:
        bounds = [0, *indices_or_sections, n]
    lead = (slice(None),) * axis
    return [get_item(x, lead + (slice(a, b),)) for a, b in zip(bounds[:-1], bounds[1:])]
