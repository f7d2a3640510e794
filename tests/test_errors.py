"""The catalogue of bad inputs: each mistake raises one clear error where it is made, naming the op and the
offending shapes, dtypes or devices. Add a row when the library learns a new check."""
import numpy as np
import pytest

import autograd
import autograd.function as F
from autograd import Variable, checkpoint, layer, optimizer


def v(shape, dtype="float64", device="cpu"):
    return Variable(np.ones(shape, dtype=dtype), device=device)


def load_missing_key():
    layer.Linear(2, in_size=2).load_state_dict({"W": np.ones((2, 2), np.float32)})


def load_wrong_shape():
    layer.Linear(2, in_size=2).load_state_dict({"W": np.ones((3, 2), np.float32), "b": np.ones(2, np.float32)})


def load_not_npz(tmp_path):
    path = tmp_path / "weights.npz"
    path.write_text("not an archive")
    layer.Linear(2, in_size=2).load_weights(path)


def int_output_backward():
    Variable(np.array([1, 2])).backward()


def gradient_into_integer_data():
    F.sum(Variable(np.array([1, 2])) * 2.5).backward()


def backward_after_new_data():
    x = Variable(np.array([1.0, 2.0]))
    y = F.sum(x * x)
    x.data = np.array([5.0, 6.0])
    y.backward()


def backward_after_a_load():
    lin = layer.Linear(2, in_size=2)
    loss = F.sum(lin(np.ones((1, 2))))
    lin.load_state_dict({k: a + 1 for k, a in lin.state_dict().items()})
    loss.backward()


def backward_after_an_in_place_update():
    lin, opt = layer.Linear(2, in_size=2), optimizer.SGD(0.1)
    x = np.ones((1, 2))
    for _ in range(2):  # the first update writes new arrays, the later ones write into them
        loss = F.sum(lin(x))
        lin.cleargrads()
        loss.backward()
        opt.update(lin)
    opt.update(lin)  # in place: the graph of `loss` was recorded before it
    loss.backward()


# (name, callable (tmp_path is passed when it takes an argument), exception type, message pattern)
CATALOGUE = [
    ("add broadcast", lambda: v((2, 3)) + v((4,)), ValueError, r"^Add: .*broadcast.*\(2, 3\), \(4,\)"),
    ("sub broadcast", lambda: v((2, 3)) - v((4,)), ValueError, r"^Sub: .*\(2, 3\), \(4,\)"),
    ("mul broadcast", lambda: v((2, 3)) * v((4,)), ValueError, r"^Mul: .*\(2, 3\), \(4,\)"),
    ("div broadcast", lambda: v((2, 3)) / v((4,)), ValueError, r"^Div: .*\(2, 3\), \(4,\)"),
    ("pow broadcast", lambda: v((2, 3)) ** v((4,)), ValueError, r"^Pow: .*\(2, 3\), \(4,\)"),
    ("matmul inner", lambda: v((2, 3)) @ v((4, 2)), ValueError, r"^matmul: shapes \(2, 3\) and \(4, 2\)"),
    ("linear weight", lambda: F.linear(v((2, 3)), v((4, 2))), ValueError, r"^linear: input of shape \(2, 3\)"),
    ("mse shapes", lambda: F.mean_squared_error(v((2, 3)), v((4,))), ValueError, r"^MeanSquaredError: .*\(4,\)"),
    ("concat ndim", lambda: F.concat([v((2, 3)), v((3,))], axis=0), ValueError, r"^Concat: |^concat: "),
    ("reshape size", lambda: F.reshape(v((2, 3)), (4,)), ValueError, r"^Reshape: |^reshape: "),
    ("sum_to shape", lambda: F.sum_to(v((2, 3)), (4,)), ValueError, r"^sum_to: shape \(4,\)"),
    ("conv channels", lambda: F.conv2d(v((1, 2, 4, 4)), v((3, 5, 3, 3))), ValueError, r"^conv2d: "),
    ("backward of integers", int_output_backward, TypeError, r"^backward: .*int64 data; gradients need floating"),
    ("gradient into integers", gradient_into_integer_data, TypeError, r"^backward: Mul has an input of int64 data"),
    ("backward after x.data = ...", backward_after_new_data, RuntimeError,
     r"^backward: an input of Mul \(shape \(2,\)\) was given new data after the forward pass"),
    ("backward after load_state_dict", backward_after_a_load, RuntimeError, r"^backward: an input of Linear"),
    ("backward after an in-place update", backward_after_an_in_place_update, RuntimeError,
     r"^backward: an input of Linear was updated in place \(by an optimizer step\)"),
    ("labels out of range", lambda: F.cross_entropy(v((2, 3)), np.array([0, 3])), ValueError,
     r"^cross_entropy: labels must be in \[0, 3\)"),
    ("float labels", lambda: F.cross_entropy(v((2, 3)), np.array([0.0, 1.0])), TypeError,
     r"^cross_entropy: labels must be integers"),
    ("device mix", lambda: v((2,)) + v((2,), device="sim"), autograd.DeviceError,
     r"^Add: inputs are on different devices: cpu \(input 0\), sim \(input 1\)"),
    ("unknown device", lambda: autograd.get_device("tpu"), autograd.DeviceError, r"unknown device 'tpu'"),
    ("load: missing key", load_missing_key, ValueError, r"no entry for parameter 'b'"),
    ("load: wrong shape", load_wrong_shape, ValueError, r"parameter 'W' has shape \(2, 2\)"),
    ("load: not an npz", load_not_npz, ValueError, r"weights.npz"),
    ("negative learning rate", lambda: optimizer.SGD(-0.1), ValueError, r"^SGD: learning_rate must be in"),
    ("beta1 = 1", lambda: optimizer.Adam(beta1=1.0), ValueError, r"^Adam: beta1 must be in \[0.0, 1.0\)"),
    ("beta2 < 0", lambda: optimizer.AdamW(beta2=-0.1), ValueError, r"^AdamW: beta2 must be in"),
    ("dropout ratio", lambda: F.dropout(v((2,)), 1.0), ValueError, r"^dropout: ratio must be in \[0, 1\)"),
    ("embed float ids", lambda: F.embed_id(np.array([0.5]), v((3, 2))), TypeError, r"embed_id"),
    ("unknown dtype", lambda: F.astype(v((2,)), "foo"), TypeError, r"^astype: 'foo' is not a dtype of cpu's"),
    ("batch_norm momentum None", lambda: F.batch_norm(v((2, 3)), v((3,)), v((3,)), np.zeros(3), np.ones(3),
                                                     momentum=None), TypeError, r"^batch_norm: momentum must be a"),
    ("index from another device", lambda: v((3,), device="sim")[Variable(np.array([0, 1]))], autograd.DeviceError,
     r"cpu is not moved to sim"),
    ("checkpoint extra string", lambda tmp_path: checkpoint.save(tmp_path / "c.npz", layer.Linear(1),
                                                                            note="hi"),
     TypeError, r"^checkpoint.save: extra note='hi' is not a number"),
    ("accuracy devices", lambda: F.accuracy(v((2, 3), device="sim"), [0, 1]), autograd.DeviceError,
     r"^accuracy: the labels are on cpu but the scores on sim"),
    # issue 15, engine
    ("backward seed of another shape", lambda: (v((2,)) * 2.0).backward(np.ones(3)), ValueError,
     r"^backward: gradient has shape \(3,\), the Variable shape \(2,\)"),
    ("backward seed number for a vector", lambda: (v((2,)) * 2.0).backward(1.0), ValueError,
     r"^backward: gradient has shape \(\), the Variable shape \(2,\)"),
    ("backward seed from another device", lambda: (v((2,), device="sim") * 2.0).backward(np.ones(2)),
     autograd.DeviceError, r"^backward: gradient is on cpu, the Variable on sim"),
    ("backward(True) for retain_grad", lambda: (v((2,)) * 2.0).backward(True), TypeError,
     r"^backward: gradient must be an array, a Variable or a number .* got bool; retain_grad and create_graph "
     r"are keywords"),
    ("deepcopy of a non-leaf", lambda: __import__("copy").deepcopy(v((2,)) * 2.0), RuntimeError,
     r"^Variable: only Variables created by the user \(graph leaves\) can be copied or pickled; this one "
     r"\(shape \(2,\)\) was made by Mul"),
    ("pickle of a non-leaf", lambda: __import__("pickle").dumps(F.sum(v((2,)))), RuntimeError,
     r"^Variable: only Variables created by the user \(graph leaves\) can be copied or pickled; this one "
     r"\(shape \(\)\) was made by Sum"),
]


@pytest.mark.parametrize("name, make, error, pattern", CATALOGUE, ids=[row[0] for row in CATALOGUE])
def test_each_mistake_raises_one_clear_error(tmp_path, name, make, error, pattern):
    with pytest.raises(error, match=pattern):
        make(tmp_path) if make.__code__.co_argcount else make()


def test_the_catalogue_names_are_unique():
    names = [row[0] for row in CATALOGUE]
    assert len(names) == len(set(names)) >= 29
