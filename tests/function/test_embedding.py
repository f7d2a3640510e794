"""embed_id: row lookup with a scatter-add gradient: exact values, id forms, dtypes and errors (the op table,
tests/op_tables.py, has the rows that gradcheck it)."""
import numpy as np
import pytest

import autograd
from autograd import Variable, to_host
from autograd.function.embedding import embed_id

RNG = np.random.default_rng(31)


@pytest.mark.parametrize("ids", [[1, 0, 3], [[2, 2], [0, 3]], 2, [[[1], [1]]]], ids=str)
def test_embed_id_forward_and_gradient(device, ids):
    w = RNG.normal(size=(4, 3))
    ids_np = np.asarray(ids)
    W = Variable(w, device=device)
    y = embed_id(device.put(ids_np), W)
    assert y.shape == ids_np.shape + (3,)
    np.testing.assert_array_equal(to_host(y), w[ids_np])
    g = RNG.normal(size=y.shape)
    (y * device.put(g)).sum().backward()
    expected = np.zeros_like(w)
    np.add.at(expected, ids_np.reshape(-1), g.reshape(-1, 3))  # repeated ids accumulate
    np.testing.assert_allclose(to_host(W.grad), expected, rtol=1e-12)


def test_embed_id_accepts_variable_and_list_ids(device):
    w = RNG.normal(size=(5, 2))
    W = Variable(w, device=device)
    ids = Variable(np.array([4, 4, 0]), device=device)
    y = embed_id(ids, W)
    np.testing.assert_array_equal(to_host(y), w[[4, 4, 0]])
    y.sum().backward()
    np.testing.assert_array_equal(to_host(W.grad), [[1, 1], [0, 0], [0, 0], [0, 0], [2, 2]])
    assert ids.grad is None
    np.testing.assert_array_equal(to_host(embed_id([3, 1], W)), w[[3, 1]])


def test_embed_id_float32_stays_float32(device):
    W = Variable(RNG.normal(size=(4, 3)), device=device, dtype="float32")
    y = embed_id(device.put(np.array([[0, 3], [3, 3]], dtype=np.int32)), W)
    assert y.dtype == W.dtype
    y.sum().backward()
    assert W.grad.dtype == W.dtype


def test_embed_id_errors(device):
    W = Variable(np.ones((4, 3)), device=device)
    with pytest.raises(TypeError, match="embed_id.*integer"):
        embed_id(device.put(np.array([0.0, 1.0])), W)
    with pytest.raises(TypeError, match="embed_id.*integer"):
        embed_id(device.put(np.array([True, False])), W)
    with pytest.raises(IndexError, match=r"embed_id.*4.*\[0, 4\)"):
        embed_id(device.put(np.array([0, 4])), W)
    with pytest.raises(IndexError, match=r"embed_id.*-1"):
        embed_id(device.put(np.array([[0], [-1]])), W)
    with pytest.raises(ValueError, match="embed_id.*vocab"):
        embed_id(device.put(np.array([0])), Variable(np.ones(4), device=device))


def test_embed_id_ids_on_another_device(device):
    other = autograd.get_device("sim" if device.name == "cpu" else "cpu")
    with pytest.raises(ValueError, match="embed_id"):
        embed_id(other.put(np.array([0, 1])), Variable(np.ones((4, 3)), device=device))


# ---- one_hot (issue 16) ----------------------------------------------------------------------------

@pytest.mark.parametrize("labels, num_classes", [([0, 2, 1], -1), ([[3, 0], [1, 1]], 5), (2, 3), ([], 4),
                                                  ([0, 0], 1)], ids=str)
def test_one_hot_matches_the_identity_rows(device, labels, num_classes):
    t = np.asarray(labels, dtype=np.int64)
    y = autograd.function.one_hot(device.put(t), num_classes)
    n = num_classes if num_classes != -1 else t.max() + 1
    assert y.shape == t.shape + (n,) and y.device == device and str(y.dtype).endswith("int64")
    assert y.creator is None and not y.requires_grad
    np.testing.assert_array_equal(to_host(y), np.eye(n, dtype=np.int64)[t])


def test_one_hot_of_int32_labels_and_a_variable(device):
    t = Variable(device.put(np.array([1, 0], dtype=np.int32)))
    np.testing.assert_array_equal(to_host(autograd.function.one_hot(t, 2)), [[0, 1], [1, 0]])


@pytest.mark.parametrize("labels, num_classes, error, pattern", [
    ([0, -1], -1, ValueError, r"^one_hot: label -1 is negative \(labels of shape \(2,\)\)"),
    ([0, 3], 3, ValueError, r"^one_hot: label 3 is out of range for num_classes=3 \(labels must be in \[0, 3\)\)"),
    ([], -1, ValueError, r"^one_hot: num_classes=-1 needs labels to count the classes, got shape \(0,\)"),
    ([0], -2, ValueError, r"^one_hot: num_classes must be -1 \(from the labels\) or at least 0, got -2"),
    ([0.0], 2, TypeError, r"^one_hot: labels must have an integer dtype, got float64"),
    ([0], 2.0, TypeError, r"^one_hot: num_classes must be an integer, got float 2.0"),
])
def test_one_hot_refuses_labels_outside_the_classes(device, labels, num_classes, error, pattern):
    t = np.asarray(labels, dtype=np.float64 if error is TypeError and isinstance(labels[0], float) else np.int64)
    with pytest.raises(error, match=pattern):
        autograd.function.one_hot(device.put(t), num_classes)
