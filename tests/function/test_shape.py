"""reshape, transpose, matrix_transpose, broadcast_to, sum_to, squeeze, unsqueeze, get_item, concat, split."""
import numpy as np
import pytest

import autograd.function as F
from autograd import Variable, to_host
from autograd.numerical import gradcheck

RNG = np.random.default_rng(13)


def var(device, a):
    return Variable(np.asarray(a, dtype=np.float64), device=device)


def weights(shape):
    """Distinct weights, so a gradient that lands on the wrong element shows."""
    return np.arange(1.0, 1.0 + int(np.prod(shape))).reshape(shape)


def backward_weighted(y, device):
    """Backpropagate sum(y * w) for distinct weights w; returns w (host)."""
    w = weights(y.shape)
    (y * device.put(w)).sum().backward()
    return w


# ---- reshape -------------------------------------------------------------------------------------

@pytest.mark.parametrize("shape", [(6, 2), (3, -1), (12,), (2, 1, 6), (-1,)], ids=str)
def test_reshape(device, shape):
    a = RNG.normal(size=(2, 3, 2))
    x = var(device, a)
    y = F.reshape(x, shape)
    np.testing.assert_array_equal(to_host(y), a.reshape(shape))
    w = backward_weighted(y, device)
    np.testing.assert_array_equal(to_host(x.grad), w.reshape(a.shape))
    assert gradcheck(lambda v: F.reshape(v, shape), var(device, a))


def test_reshape_method_and_bad_size(device):
    a = RNG.normal(size=(2, 3))
    x = var(device, a)
    np.testing.assert_array_equal(to_host(x.reshape(3, 2)), a.reshape(3, 2))
    np.testing.assert_array_equal(to_host(x.reshape((6,))), a.reshape(6))
    with pytest.raises(ValueError):
        F.reshape(x, (4, 2))


# ---- transpose / matrix_transpose -----------------------------------------------------------------

@pytest.mark.parametrize("axes", [None, (1, 0, 2), (2, 0, 1), (0, 2, 1), (-1, 0, -2), (2, -3, 1)], ids=str)
def test_transpose(device, axes):
    a = RNG.normal(size=(2, 3, 4))
    x = var(device, a)
    y = F.transpose(x, axes)
    np.testing.assert_array_equal(to_host(y), np.transpose(a, axes))
    # backward applies the inverse permutation: each element's weight returns to where it came from
    w = backward_weighted(y, device)
    inverse = None if axes is None else np.argsort([ax % 3 for ax in axes])
    np.testing.assert_array_equal(to_host(x.grad), np.transpose(w, inverse))
    assert gradcheck(lambda v: F.transpose(v, axes), var(device, RNG.normal(size=(2, 3, 2))))


def test_transpose_method_and_T(device):
    a = RNG.normal(size=(2, 3, 4))
    x = var(device, a)
    np.testing.assert_array_equal(to_host(x.T), a.T)
    np.testing.assert_array_equal(to_host(x.transpose(1, 2, 0)), a.transpose(1, 2, 0))
    np.testing.assert_array_equal(to_host(x.transpose((2, 1, 0))), a.transpose(2, 1, 0))
    np.testing.assert_array_equal(to_host(F.transpose(var(device, [1.0, 2.0]))), [1.0, 2.0])


@pytest.mark.parametrize("axes", [(0, 1), (0, 1, 1), (0, 1, 3), (0, 1, -4)], ids=str)
def test_transpose_bad_axes_raise(device, axes):
    with pytest.raises(ValueError, match="transpose"):
        F.transpose(var(device, np.zeros((2, 3, 4))), axes)


@pytest.mark.parametrize("shape", [(3, 4), (2, 3, 4), (2, 1, 3, 2)], ids=str)
def test_matrix_transpose(device, shape):
    a = RNG.normal(size=shape)
    x = var(device, a)
    y = F.matrix_transpose(x)
    np.testing.assert_array_equal(to_host(y), np.swapaxes(a, -1, -2))
    np.testing.assert_array_equal(to_host(x.mT), np.swapaxes(a, -1, -2))
    w = backward_weighted(y, device)
    np.testing.assert_array_equal(to_host(x.grad), np.swapaxes(w, -1, -2))
    small = RNG.normal(size=shape[:-2] + (2, 3)) if len(shape) < 4 else RNG.normal(size=(2, 1, 3, 2))
    assert gradcheck(F.matrix_transpose, var(device, small))


def test_matrix_transpose_needs_two_dimensions(device):
    with pytest.raises(ValueError, match="matrix_transpose"):
        F.matrix_transpose(var(device, [1.0, 2.0, 3.0]))


# ---- broadcast_to / sum_to ------------------------------------------------------------------------

@pytest.mark.parametrize("src, dst", [((3, 1), (2, 3, 4)), ((3,), (2, 3)), ((), (2, 2)), ((1, 3), (1, 3))], ids=str)
def test_broadcast_to(device, src, dst):
    a = np.asarray(RNG.normal(size=src))
    x = var(device, a)
    y = F.broadcast_to(x, dst)
    np.testing.assert_array_equal(to_host(y), np.broadcast_to(a, dst))
    w = backward_weighted(y, device)
    expected = w.sum(axis=tuple(range(len(dst) - len(src))))
    expected = expected.sum(axis=tuple(i for i, s in enumerate(src) if s == 1), keepdims=True)
    np.testing.assert_allclose(to_host(x.grad), expected.reshape(src), rtol=1e-12)
    assert gradcheck(lambda v: F.broadcast_to(v, dst), var(device, a))


def test_broadcast_to_bad_shape_raises(device):
    with pytest.raises(ValueError, match="broadcast_to"):
        F.broadcast_to(var(device, np.zeros((2, 3))), (3, 3))


@pytest.mark.parametrize("dst", [(3, 1), (1, 2), (2,), (), (2, 3, 2), (2, 1, 2)], ids=str)
def test_sum_to(device, dst):
    a = RNG.normal(size=(2, 3, 2))
    x = var(device, a)
    y = F.sum_to(x, dst)
    lead = a.ndim - len(dst)
    expected = a.sum(axis=tuple(range(lead)))
    expected = expected.sum(axis=tuple(i for i, s in enumerate(dst) if s == 1), keepdims=True).reshape(dst)
    assert y.shape == dst
    np.testing.assert_allclose(to_host(y), expected, rtol=1e-12)
    y.backward()
    np.testing.assert_array_equal(to_host(x.grad), np.ones(a.shape))
    assert gradcheck(lambda v: F.sum_to(v, dst), var(device, a))


def test_sum_to_bad_shape_raises(device):
    with pytest.raises(ValueError, match="sum_to"):
        F.sum_to(var(device, np.zeros((2, 3))), (2,))


# ---- squeeze / unsqueeze --------------------------------------------------------------------------

@pytest.mark.parametrize("axis, shape", [(None, (3, 2)), (0, (3, 1, 2)), (-2, (1, 3, 2)), (2, (1, 3, 2)),
                                         ((0, 2), (3, 2))], ids=str)
def test_squeeze(device, axis, shape):
    a = RNG.normal(size=(1, 3, 1, 2))
    x = var(device, a)
    y = F.squeeze(x) if axis is None else F.squeeze(x, axis=axis)
    assert y.shape == shape
    np.testing.assert_array_equal(to_host(y), np.squeeze(a, axis=axis))
    w = backward_weighted(y, device)
    np.testing.assert_array_equal(to_host(x.grad), w.reshape(a.shape))
    assert gradcheck(lambda v: F.squeeze(v, axis), var(device, a))


def test_squeeze_axis_of_size_other_than_one_raises(device):
    with pytest.raises(ValueError, match="squeeze"):
        F.squeeze(var(device, np.zeros((1, 3))), axis=1)


@pytest.mark.parametrize("axis, shape", [(0, (1, 3, 2)), (1, (3, 1, 2)), (-1, (3, 2, 1)), ((0, 2), (1, 3, 1, 2)),
                                         ((0, -1), (1, 3, 2, 1))], ids=str)
def test_unsqueeze(device, axis, shape):
    a = RNG.normal(size=(3, 2))
    x = var(device, a)
    y = F.unsqueeze(x, axis)
    assert y.shape == shape
    np.testing.assert_array_equal(to_host(y), np.expand_dims(a, axis))
    w = backward_weighted(y, device)
    np.testing.assert_array_equal(to_host(x.grad), w.reshape(a.shape))
    assert gradcheck(lambda v: F.unsqueeze(v, axis), var(device, a))


def test_squeeze_undoes_unsqueeze(device):
    a = RNG.normal(size=(3, 2))
    x = var(device, a)
    y = F.squeeze(F.unsqueeze(x, (0, 3)))
    assert y.shape == (3, 2)
    np.testing.assert_array_equal(to_host(y), a)


# ---- get_item -------------------------------------------------------------------------------------

X = np.arange(24.0).reshape(2, 3, 4) * 0.25 - 3.0

INDICES = {
    "int": (1,),
    "negative int": (-1,),
    "slice": (slice(0, 1),),
    "slices": (slice(None), slice(1, 3), slice(None, None, 2)),
    "negative step": (slice(None, None, -1), 1),
    "ellipsis": (Ellipsis, 2),
    "newaxis": (None, 0, slice(1, None)),
    "int array": ([1, 0, 1],),
    "int array on axis 1": (slice(None), [2, 0, 2]),
    "int array among slices": (slice(0, 1), [1, 1], slice(1, 3)),
    "int array after ellipsis": (Ellipsis, [3, 0, 3]),
    "2-d int array": ([[0, 1], [1, 1]],),
    "int arrays": ([1, 0], [2, 2]),
    "int arrays on every axis": ([1, 0, 1], [2, 2, 0], [0, 3, 3]),
    "int and int array": (1, [2, 0]),
    "mask": "mask",
    "leading mask": "leading mask",
}


def host_and_device_index(name, device):
    if name == "mask":
        mask = X > -1.0
        return (mask,), (device.put(mask),)
    if name == "leading mask":
        mask = np.array([True, False])
        return (mask,), (device.put(mask),)
    index = INDICES[name]
    host = tuple(np.asarray(i) if isinstance(i, list) else i for i in index)
    return host, index  # lists go to the device inside get_item


@pytest.mark.parametrize("name", INDICES)
def test_get_item_forward_and_gradient(device, name):
    host_index, index = host_and_device_index(name, device)
    x = var(device, X)
    y = F.get_item(x, index)
    expected = X[host_index]
    assert y.shape == expected.shape
    np.testing.assert_array_equal(to_host(y), expected)
    w = backward_weighted(y, device)
    expected_grad = np.zeros_like(X)
    np.add.at(expected_grad, host_index, w)
    np.testing.assert_array_equal(to_host(x.grad), expected_grad)


@pytest.mark.parametrize("name", INDICES)
def test_get_item_gradcheck(device, name):
    _, index = host_and_device_index(name, device)
    assert gradcheck(lambda v: F.get_item(v, index), var(device, X))


def test_get_item_repeated_indices_accumulate(device):
    x = var(device, [10.0, 20.0, 30.0])
    y = F.get_item(x, [0, 2, 0, 0])
    np.testing.assert_array_equal(to_host(y), [10.0, 30.0, 10.0, 10.0])
    y.backward()
    np.testing.assert_array_equal(to_host(x.grad), [3.0, 0.0, 1.0])

    x = var(device, [10.0, 20.0, 30.0])
    (F.get_item(x, [1, 1]) * device.put(np.array([2.0, 5.0]))).sum().backward()
    np.testing.assert_array_equal(to_host(x.grad), [0.0, 7.0, 0.0])

    m = var(device, np.arange(6.0).reshape(2, 3))
    F.get_item(m, (device.put(np.array([1, 1, 0])), device.put(np.array([2, 2, 0])))).backward()
    np.testing.assert_array_equal(to_host(m.grad), [[1.0, 0.0, 0.0], [0.0, 0.0, 2.0]])

    m = var(device, np.arange(6.0).reshape(2, 3))
    F.get_item(m, (slice(None), [2, 0, 2, 2])).backward()
    np.testing.assert_array_equal(to_host(m.grad), [[1.0, 0.0, 3.0], [1.0, 0.0, 3.0]])


def test_get_item_operator_and_index_forms(device):
    x = var(device, X)
    np.testing.assert_array_equal(to_host(x[1, :, 2]), X[1, :, 2])
    np.testing.assert_array_equal(to_host(x[[1, 0]]), X[[1, 0]])
    np.testing.assert_array_equal(to_host(x[device.put(np.array([0, 0]))]), X[[0, 0]])
    np.testing.assert_array_equal(to_host(x[Variable(np.array([1]), device=device)]), X[[1]])
    np.testing.assert_array_equal(to_host(x[x > 0]), X[X > 0])


def test_get_item_second_order_through_repeated_indices(device):
    # y = sum(x[idx]^2): d2y/dx2 is diagonal with 2 * count(idx == i)
    x = var(device, [1.0, 2.0, 3.0])
    y = (F.get_item(x, [0, 0, 2]) ** 2).sum()
    y.backward(create_graph=True)
    np.testing.assert_array_equal(to_host(x.grad), [4.0, 0.0, 6.0])
    gx = x.grad
    x.cleargrad()
    gx.sum().backward()
    np.testing.assert_array_equal(to_host(x.grad), [4.0, 0.0, 2.0])


# ---- concat / split -------------------------------------------------------------------------------

@pytest.mark.parametrize("axis, shapes", [(0, [(1, 3), (2, 3)]), (1, [(2, 1), (2, 3), (2, 2)]),
                                          (-1, [(2, 2, 1), (2, 2, 2)]), (-2, [(1, 2), (3, 2)])], ids=str)
def test_concat(device, axis, shapes):
    arrays = [RNG.normal(size=s) for s in shapes]
    xs = [var(device, a) for a in arrays]
    y = F.concat(xs, axis=axis)
    np.testing.assert_array_equal(to_host(y), np.concatenate(arrays, axis=axis))
    w = backward_weighted(y, device)
    parts = np.split(w, np.cumsum([a.shape[axis] for a in arrays])[:-1], axis=axis)
    for x, part in zip(xs, parts):
        np.testing.assert_array_equal(to_host(x.grad), part)
    assert gradcheck(lambda *vs: F.concat(vs, axis=axis), *[var(device, a) for a in arrays])


def test_concat_with_constant_part(device):
    a, b = RNG.normal(size=(2, 2)), RNG.normal(size=(1, 2))
    x = var(device, a)
    y = F.concat([x, device.put(b)], axis=0)
    np.testing.assert_array_equal(to_host(y), np.concatenate([a, b]))
    y.backward()
    np.testing.assert_array_equal(to_host(x.grad), np.ones((2, 2)))
    assert y.creator.inputs[1].grad is None


def test_concat_needs_inputs():
    with pytest.raises(ValueError, match="concat"):
        F.concat([])


@pytest.mark.parametrize("spec, axis", [(3, 1), (2, 0), ([1, 4], 1), ([2], -1), ([0, 3], 1), (1, 0)], ids=str)
def test_split(device, spec, axis):
    a = RNG.normal(size=(2, 6))
    x = var(device, a)
    parts = F.split(x, spec, axis=axis)
    expected = np.split(a, spec, axis=axis)
    assert isinstance(parts, list) and len(parts) == len(expected)
    for p, e in zip(parts, expected):
        assert p.shape == e.shape
        np.testing.assert_array_equal(to_host(p), e)
    assert gradcheck(lambda v: F.split(v, spec, axis=axis), var(device, a))


def test_split_gradient_flows_to_used_parts_only(device):
    a = RNG.normal(size=(2, 6))
    x = var(device, a)
    first, second, third = F.split(x, [1, 4], axis=1)
    (second * device.put(weights((2, 3)))).sum().backward()
    expected = np.zeros((2, 6))
    expected[:, 1:4] = weights((2, 3))
    np.testing.assert_array_equal(to_host(x.grad), expected)


def test_split_concat_round_trip(device):
    a = RNG.normal(size=(3, 4))
    x = var(device, a)
    parts = F.split(x, [1, 3], axis=1)
    y = F.concat(parts, axis=1)
    np.testing.assert_array_equal(to_host(y), a)
    w = backward_weighted(y, device)
    np.testing.assert_array_equal(to_host(x.grad), w)
    assert gradcheck(lambda v: F.concat(F.split(v, 2, axis=1)[::-1], axis=1), var(device, a))

    b, c = RNG.normal(size=(1, 3)), RNG.normal(size=(2, 3))
    vb, vc = var(device, b), var(device, c)
    back = F.split(F.concat([vb, vc], axis=0), [1], axis=0)
    np.testing.assert_array_equal(to_host(back[0]), b)
    np.testing.assert_array_equal(to_host(back[1]), c)
    (back[0].sum() * 2.0 + back[1].sum() * 3.0).backward()
    np.testing.assert_array_equal(to_host(vb.grad), np.full((1, 3), 2.0))
    np.testing.assert_array_equal(to_host(vc.grad), np.full((2, 3), 3.0))


def test_split_into_unequal_sections_raises(device):
    with pytest.raises(ValueError, match="split"):
        F.split(var(device, np.zeros((2, 5))), 2, axis=1)


# ---- an index array of another device (issue 15) ----------------------------------------------------------

def test_index_array_on_another_device_names_both_and_says_what_to_write(device):
    from autograd import DeviceError, get_device
    other = get_device("sim" if device.name == "cpu" else "cpu")
    x = var(device, [1.0, 2.0, 3.0])
    with pytest.raises(DeviceError, match=rf"^get_item: the index array is on {other} but x is on {device}; .*"
                                          rf"index with autograd.get_device\('{device}'\).put\(idx\)$"):
        x[other.put(np.array([0, 2]))]
    with pytest.raises(DeviceError, match=rf"^get_item: the index array is on {other} .* index with idx.to\('{device}'\)$"):
        x[Variable(np.array([0, 2]), device=other)]
    # what the message says to write works; NumPy scalars and lists are numbers, not arrays of the cpu
    np.testing.assert_array_equal(to_host(x[device.put(np.array([0, 2]))]), [1.0, 3.0])
    np.testing.assert_array_equal(to_host(x[Variable(np.array([0, 2]), device=other).to(device)]), [1.0, 3.0])
    assert x[np.int64(1)].item() == 2.0 and to_host(x[[2, 0]]).tolist() == [3.0, 1.0]


# ---- every index form NumPy and CuPy take, on every device (issue 15) ---------------------------------------

_I, _J = np.array([0, 2]), np.array([1, 3])
_MASK3, _MASK4 = np.array([True, False, True]), np.array([True, False, True, True])
INDEX_FORMS = {  # name -> index for a (3, 4, 5) array, with NumPy arrays as the device's
    "arrays split by a slice": lambda put: (put(_I), slice(None), put(_J)),
    "arrays split by a partial slice": lambda put: (put(_I), slice(1, None), put(_J)),
    "int and array split by a slice": lambda put: (1, slice(None), put(_J)),
    "array and int split by a slice": lambda put: (put(_I), slice(None), 1),
    "adjacent arrays after a slice": lambda put: (slice(None), put(_I), put(_J)),
    "2-d arrays split by a slice": lambda put: (put(np.array([[0, 1], [2, 0]])), slice(None), put(np.array([[1], [-1]]))),
    "arrays split by None": lambda put: (put(_I), None, put(_J)),
    "None then an array": lambda put: (None, put(_I)),
    "mask then a slice": lambda put: (put(_MASK3), slice(1, None)),
    "mask, slice, int": lambda put: (put(_MASK3), slice(1, None), 2),
    "mask then an array": lambda put: (put(_MASK3), put(_J)),
    "slice then a mask": lambda put: (slice(None), put(_MASK4)),
    "mask, Ellipsis, int": lambda put: (put(_MASK3), Ellipsis, 1),
    "2-d mask then a slice": lambda put: (put(np.arange(12).reshape(3, 4) % 3 == 0), slice(0, 4, 2)),
    "an empty list": lambda put: [],  # NumPy reads [] as an empty integer index
    "an empty list then a slice": lambda put: ([], slice(1, None)),
}


@pytest.mark.parametrize("form", INDEX_FORMS)
def test_index_forms_give_numpy_values_and_gradients(device, form):
    a = weights((3, 4, 5))
    np_index = INDEX_FORMS[form](lambda i: i)
    expected = a[np_index]
    x = var(device, a)
    y = x[INDEX_FORMS[form](device.put)]
    assert y.shape == expected.shape
    np.testing.assert_array_equal(to_host(y), expected)
    g = weights(expected.shape)
    F.sum(y * var(device, g)).backward()
    expected_grad = np.zeros_like(a)
    np.add.at(expected_grad, np_index, g)
    np.testing.assert_array_equal(to_host(x.grad), expected_grad)


# issue 16: stack, pad, tril, triu

@pytest.mark.parametrize("axis", [0, 1, 2, -1, -3])
def test_stack_matches_numpy_and_gives_each_input_its_slice(device, axis):
    a, b = np.arange(6.0).reshape(2, 3), -np.arange(6.0).reshape(2, 3)
    x0, x1 = var(device, a), var(device, b)
    y = F.stack([x0, x1], axis=axis)
    np.testing.assert_array_equal(to_host(y), np.stack([a, b], axis=axis))
    w = weights(y.shape)
    F.sum(y * device.put(w)).backward()
    np.testing.assert_array_equal(to_host(x0.grad), np.take(w, 0, axis=axis))
    np.testing.assert_array_equal(to_host(x1.grad), np.take(w, 1, axis=axis))


def test_stack_refuses_shapes_that_differ_and_no_inputs(device):
    with pytest.raises(ValueError, match=r"^stack: inputs must all have one shape, got \(2, 3\), \(3,\)"):
        F.stack([var(device, np.ones((2, 3))), var(device, np.ones(3))])
    with pytest.raises(ValueError, match=r"^stack: needs at least one input"):
        F.stack([])
    with pytest.raises(ValueError, match=r"^stack: axis 3 is out of range for an array of 3 dimensions"):
        F.stack([var(device, np.ones((2, 3)))], axis=3)


PAD_CASES = [  # (PyTorch's pad, mode, NumPy's pad_width for a (2, 3, 4) input, NumPy's mode)
    ((1, 2), "constant", ((0, 0), (0, 0), (1, 2)), "constant"),
    ((0, 0, 2, 1, 1, 0), "constant", ((1, 0), (2, 1), (0, 0)), "constant"),
    ((3, 3), "reflect", ((0, 0), (0, 0), (3, 3)), "reflect"),
    ((1, 0, 2, 2), "reflect", ((0, 0), (2, 2), (1, 0)), "reflect"),
    ((2, 5, 1, 1), "replicate", ((0, 0), (1, 1), (2, 5)), "edge"),
    ((4, 1, 3, 0), "circular", ((0, 0), (3, 0), (4, 1)), "wrap"),
]


@pytest.mark.parametrize("pad, mode, width, np_mode", PAD_CASES, ids=str)
def test_pad_matches_numpy_and_each_element_collects_its_copies_gradients(device, pad, mode, width, np_mode):
    a = np.arange(24.0).reshape(2, 3, 4)
    x = var(device, a)
    y = F.pad(x, pad, mode=mode)
    np.testing.assert_array_equal(to_host(y), np.pad(a, width, mode=np_mode))
    # the gradient of an element is the number of its copies in y: pad an array of indices to count them
    where = np.pad(np.arange(24).reshape(2, 3, 4), width, mode=np_mode,
                   **({"constant_values": -1} if mode == "constant" else {}))
    F.sum(y).backward()
    counts = np.bincount(where[where >= 0].ravel(), minlength=24).reshape(2, 3, 4)
    np.testing.assert_array_equal(to_host(x.grad), counts)


def test_pad_constant_value_and_negative_pads_crop_as_pytorch(device):
    a = np.arange(12.0).reshape(3, 4)
    y = F.pad(var(device, a), (-1, 2, 1, -2), value=-5.0)  # torch.nn.functional.pad: crop 1 left, 2 bottom
    expected = np.pad(a[:1, 1:], ((1, 0), (0, 2)), constant_values=-5.0)
    np.testing.assert_array_equal(to_host(y), expected)
    assert F.pad(var(device, a), (0, 0)).shape == (3, 4)
    assert gradcheck(lambda x: F.pad(x, (-1, 1, 1, -1), mode="reflect") ** 2, var(device, a + 0.5))


@pytest.mark.parametrize("pad, mode, pattern", [
    ((1,), "constant", r"^pad: pad \(1,\) must hold a \(before, after\) pair for each of at most the 2 axes"),
    ((1, 1, 1, 1, 1, 1), "constant", r"^pad: pad \(1, 1, 1, 1, 1, 1\) must hold"),
    ((3, 0), "reflect", r"^pad: reflect padding of \(3, 0\) along axis 1 of shape \(2, 3\) needs each pad below "
                        r"the size 3"),
    ((0, 4), "circular", r"^pad: circular padding of \(0, 4\) along axis 1 .* at most the size 3"),
    ((-2, -2), "constant", r"^pad: pad \(-2, -2\) crops more than the whole of shape \(2, 3\)"),
    ((1, 1), "wrap", r"^pad: mode must be one of 'constant', 'reflect', 'replicate', 'circular', got 'wrap'"),
])
def test_pad_refuses_what_pytorch_refuses(device, pad, mode, pattern):
    with pytest.raises(ValueError, match=pattern):
        F.pad(var(device, np.ones((2, 3))), pad, mode=mode)


def test_pad_refuses_a_value_outside_constant_mode_and_non_integer_pads(device):
    with pytest.raises(ValueError, match=r"^pad: mode 'reflect' takes no value, got value=1.0"):
        F.pad(var(device, np.ones((2, 3))), (1, 1), mode="reflect", value=1.0)
    with pytest.raises(TypeError, match=r"^pad: pad must be a tuple of integers \(before, after, \.\.\.\), got 1"):
        F.pad(var(device, np.ones((2, 3))), 1)


@pytest.mark.parametrize("diagonal", [-2, -1, 0, 1, 3])
@pytest.mark.parametrize("op", ["tril", "triu"])
def test_tril_and_triu_match_numpy_and_mask_the_gradient(device, op, diagonal):
    a = np.arange(1.0, 25.0).reshape(2, 3, 4)
    x = var(device, a)
    y = getattr(F, op)(x, diagonal)
    np.testing.assert_array_equal(to_host(y), getattr(np, op)(a, diagonal))
    F.sum(y).backward()
    np.testing.assert_array_equal(to_host(x.grad), getattr(np, op)(np.ones((2, 3, 4)), diagonal))


def test_tril_needs_a_matrix(device):
    with pytest.raises(ValueError, match=r"^tril: needs at least 2 dimensions \(\.\.\., M, N\), got shape \(3,\)"):
        F.tril(var(device, np.ones(3)))
    with pytest.raises(TypeError, match=r"^triu: diagonal must be an integer, got float 1.0"):
        F.triu(var(device, np.ones((2, 2))), 1.0)
