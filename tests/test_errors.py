"""The catalogue of bad inputs: each mistake raises one clear error where it is made, naming the op and the
offending shapes, dtypes or devices. Add a row when the library learns a new check."""
import numpy as np
import pytest

import autograd
import autograd.function as F
from autograd import Parameter, Variable, checkpoint, data, functional, hook, init, layer, optimizer, scheduler


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


def load_a_huge_header(tmp_path):
    """A .npz whose entry's header declares 10**12 float64 numbers but holds 16 bytes."""
    import io
    import zipfile

    header = io.BytesIO()
    np.lib.format.write_array_header_1_0(header, {"descr": "<f8", "fortran_order": False, "shape": (10**6, 10**6)})
    path = tmp_path / "huge.npz"
    with zipfile.ZipFile(path, "w") as archive:
        archive.writestr("model/W.npy", header.getvalue() + bytes(16))
    checkpoint.load(path, layer.Linear(1))


def load_a_loader_without_its_state(tmp_path):
    path = tmp_path / "weights.npz"
    checkpoint.save(path, layer.Linear(1, in_size=2))
    checkpoint.load(path, layer.Linear(1, in_size=2), loader=data.DataLoader(data.Dataset([[1.0]], [0]), 1))


def resume_a_loader_of_another_batch_size():
    loader = data.DataLoader(data.Dataset([[1.0], [2.0], [3.0]], [0, 1, 2]), batch_size=2)
    next(iter(loader))
    data.DataLoader(loader.dataset, batch_size=3).load_state_dict(loader.state_dict())


def optimizer_step_with_grad(opt, grad):
    """One step of `opt` on a float32 (2, 3) parameter whose gradient is `grad` (a Variable)."""
    w = autograd.Parameter(np.ones((2, 3)), dtype="float32")
    w.grad = grad
    opt.update([w])


def momentum_state_into_rmsprop():
    lin = layer.Linear(2, in_size=3)
    F.sum(lin(v((1, 3), dtype="float32"))).backward()
    mom = optimizer.Momentum()
    mom.update(lin)
    optimizer.RMSprop().load_state_dict(mom.state_dict(), lin)


def assign_negative_learning_rate():
    optimizer.SGD().learning_rate = -1.0


# (name, callable (tmp_path is passed when it takes an argument), exception type, message pattern)
PARAM = autograd.Parameter([1.0])  # one parameter for the rows that put it in two groups
HALF = autograd.Parameter([1.0], dtype="float16")  # a float16 parameter with a float64 gradient
HALF.grad = Variable([1.0], dtype="float64")


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
     r"^get_item: the index array is on cpu but x is on sim; .* index with idx.to\('sim'\)$"),
    ("checkpoint extra string", lambda tmp_path: checkpoint.save(tmp_path / "c.npz", layer.Linear(1),
                                                                            note="hi"),
     TypeError, r"^checkpoint.save: extra note='hi' is not a number"),
    ("accuracy devices", lambda: F.accuracy(v((2, 3), device="sim"), [0, 1]), autograd.DeviceError,
     r"^accuracy: the labels are on cpu but the scores on sim"),
    # issue 15, checkpoints and files
    ("load: loader state missing", load_a_loader_without_its_state, ValueError,
     r"^checkpoint.load: .*weights.npz holds no data loader state \(save it with checkpoint.save\(\.\.\., "
     r"loader=loader\)\)"),
    ("loader state of another batch size", resume_a_loader_of_another_batch_size, ValueError,
     r"^DataLoader.load_state_dict: the state was saved with batch_size=2, this loader has batch_size=3"),
    ("load: header declares a huge shape", load_a_huge_header, ValueError,
     r"huge.npz, entry 'model/W.npy'.*declares shape \(1000000, 1000000\) of float64 \(8000000000000 bytes"),
    # issue 15, ops
    ("float axis", lambda: F.sum(v((2, 3)), axis=1.0), TypeError, r"^sum: axis must be an integer, got float 1.0"),
    ("bool axis", lambda: F.mean(v((2, 3)), axis=True), TypeError, r"^mean: axis must be an integer, got bool True"),
    ("float reshape size", lambda: F.reshape(v((2, 3)), (3, 2.0)), TypeError,
     r"^reshape: shape must be an integer or a sequence of integers, got \(3, 2.0\)"),
    ("index array from another device", lambda: v((3,), device="sim")[np.array([0, 1])], autograd.DeviceError,
     r"^get_item: the index array is on cpu but x is on sim; .* index with autograd.get_device\('sim'\).put\(idx\)$"),
    ("clip bound on another device", lambda: F.clip(v((3,), device="sim"), np.zeros(3), 1.0), autograd.DeviceError,
     r"^clip: x_min is on cpu but x is on sim; .* autograd.get_device\('sim'\).put\(x_min\)"),
    ("clip Variable bound on another device", lambda: F.clip(v((3,)), 0.0, Variable(np.ones(3), device="sim")),
     autograd.DeviceError, r"^clip: x_max is on sim but x is on cpu; .*x_max.to\('cpu'\) for a Variable"),
    ("clip string bound", lambda: F.clip(v((3,)), "0", 1.0), TypeError,
     r"^clip: x_min must be a number, an array or None, got str"),
    # issue 15, layers and edge gradients
    ("variance ddof >= n", lambda: F.variance(v((2, 3)), axis=1, ddof=3), ValueError,
     r"^variance: ddof=3 must be less than the number of elements reduced, 3 \(input shape \(2, 3\), axis=1\)"),
    ("dropout integer data", lambda: F.dropout(v((2, 3), dtype="int64"), 0.5), TypeError,
     r"^dropout: x must be a floating-point array, got dtype int64"),
    # issue 15, found while at it
    ("load W alone into a lazy Linear", lambda: layer.Linear(2).load_state_dict({"W": np.ones((3, 2))}), ValueError,
     r"^load_state_dict: no entry for lazy parameter 'b' while other parameters of its Linear have one"),
    ("lazy Linear of a 0-d input", lambda: layer.Linear(3)(v(())), ValueError,
     r"^Linear: x must have at least one axis \(\.\.\., in_size\), got a 0-d input"),
    ("hook: negative max_norm assigned", lambda: setattr(hook.ClipGrad(1.0), "max_norm", -1.0),
     ValueError, r"^ClipGrad: max_norm must be in \(0.0, inf\), got -1.0"),
    # issue 15, optimizers and hooks
    ("optimizer: gradient of another shape", lambda: optimizer_step_with_grad(optimizer.SGD(), v((3, 2), "float32")),
     ValueError, r"^SGD.update: the gradient of parameter '0' has shape \(3, 2\), the parameter \(2, 3\)"),
    ("optimizer: gradient on another device",
     lambda: optimizer_step_with_grad(optimizer.Adam(), v((2, 3), "float32", device="sim")), autograd.DeviceError,
     r"^Adam.update: the gradient of parameter '0' is on sim, the parameter on cpu"),
    ("optimizer: state of another kind", momentum_state_into_rmsprop, ValueError,
     r"^load_state_dict: entry 'kind': the state_dict of Momentum does not fit RMSprop"),
    ("optimizer: negative learning rate assigned", assign_negative_learning_rate, ValueError,
     r"^SGD: learning_rate must be in \[0.0, inf\), got -1.0"),
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
    # issue 15, copies and NumPy bools
    ("keepdims not a bool", lambda: F.sum(v((2, 3)), axis=1, keepdims=1), TypeError,
     r"^sum: keepdims must be a bool, got int 1"),
    ("keepdims None", lambda: F.logsumexp(v((2,)), keepdims=None), TypeError,
     r"^logsumexp: keepdims must be a bool, got NoneType None"),
    # issue 16, elemops
    ("multinomial negative weight", lambda: F.multinomial(Variable([0.5, -0.1])), ValueError,
     r"^multinomial: probs \(shape \(2,\)\) holds a negative, infinite or NaN weight; the weights must be finite "
     r"and non-negative"),
    ("multinomial NaN weight on sim", lambda: F.multinomial(Variable([[1.0, 1.0], [np.nan, 1.0]], device="sim")),
     ValueError, r"^multinomial: row 1 of probs \(shape \(2, 2\)\) holds a negative, infinite or NaN weight"),
    ("multinomial row of zeros", lambda: F.multinomial(Variable([[0.5, 0.5], [0.0, 0.0]]), replacement=True),
     ValueError, r"^multinomial: row 1 of probs \(shape \(2, 2\)\) is all zeros: it has nothing to draw"),
    ("multinomial more samples than categories", lambda: F.multinomial(v((2, 3)), 4), ValueError,
     r"^multinomial: cannot draw 4 samples without replacement from 3 categories \(probs of shape \(2, 3\)\); "
     r"pass replacement=True"),
    ("multinomial too few non-zero weights", lambda: F.multinomial(Variable([0.5, 0.0, 0.0]), 2), ValueError,
     r"^multinomial: probs \(shape \(3,\)\) has 1 non-zero weights, too few for 2 samples without replacement"),
    ("multinomial 3-d probs", lambda: F.multinomial(v((2, 2, 2))), ValueError,
     r"^multinomial: probs must be 1-d \(categories\) or 2-d \(rows, categories\), got shape \(2, 2, 2\)"),
    ("multinomial integer probs", lambda: F.multinomial(v((3,), dtype="int64")), TypeError,
     r"^multinomial: probs must be a floating-point array, got dtype int64"),
    ("multinomial no category", lambda: F.multinomial(v((2, 0)), replacement=True), ValueError,
     r"^multinomial: probs of shape \(2, 0\) has no category to draw"),
    ("multinomial zero samples", lambda: F.multinomial(v((3,)), 0), ValueError,
     r"^multinomial: num_samples must be at least 1, got 0"),
    ("multinomial float num_samples", lambda: F.multinomial(v((3,)), 2.0), TypeError,
     r"^multinomial: num_samples must be an integer, got float 2.0"),
    ("gelu unknown approximate", lambda: F.gelu(v((2,)), approximate="erf"), ValueError,
     r"^gelu: approximate must be 'none' or 'tanh', got 'erf'"),
    ("softplus beta 0", lambda: F.softplus(v((2,)), beta=0.0), ValueError,
     r"^softplus: beta must be in \(0.0, inf\], got 0.0"),
    ("elu alpha not a number", lambda: F.elu(v((2,)), alpha="1"), TypeError,
     r"^elu: alpha must be a real number, got str '1'"),
    ("maximum of shapes that do not broadcast", lambda: F.maximum(v((2, 3)), v((2,))), ValueError,
     r"^Maximum: .*\(2, 3\).*\(2,\)"),
    # issue 16, losses
    ("loss reduction", lambda: F.l1_loss(v((2,)), v((2,)), reduction="elementwise_mean"), ValueError,
     r"^l1_loss: reduction must be 'mean', 'sum' or 'none', got 'elementwise_mean'"),
    ("huber delta", lambda: F.huber_loss(v((2,)), v((2,)), delta=0), ValueError,
     r"^huber_loss: delta must be a number > 0, got 0"),
    ("bce outside [0, 1]", lambda: F.binary_cross_entropy(v((2,)) * 2.0, np.ones(2)), ValueError,
     r"^binary_cross_entropy: the input must be probabilities in \[0, 1\], got values in \[2.0, 2.0\]"),
    ("bce target shape", lambda: F.binary_cross_entropy(v((2, 3)) * 0.5, np.ones(3)), ValueError,
     r"^binary_cross_entropy: input of shape \(2, 3\) and target of shape \(3,\) must match"),
    ("bce weight shape", lambda: F.binary_cross_entropy(v((2, 3)) * 0.5, np.ones((2, 3)), weight=np.ones(2)),
     ValueError, r"^binary_cross_entropy: weight of shape \(2,\) must broadcast to \(2, 3\)"),
    ("cross_entropy weight shape", lambda: F.cross_entropy(v((2, 3)), np.array([0, 1]), weight=np.ones(4)),
     ValueError, r"^cross_entropy: weight of shape \(4,\) must be \(3,\) for an input of shape \(2, 3\)"),
    ("cross_entropy weight device", lambda: F.cross_entropy(v((2, 3), device="sim"),
                                                            Variable(np.array([0, 1]), device="sim"),
                                                            weight=np.ones(3)),
     autograd.DeviceError, r"^cross_entropy: weight is on cpu but the input on sim"),
    ("cross_entropy labels device", lambda: F.cross_entropy(v((2, 3), device="sim"), np.array([0, 1])),
     autograd.DeviceError, r"^cross_entropy: the labels are on cpu but the input on sim"),
    ("label_smoothing > 1", lambda: F.cross_entropy(v((2, 3)), np.array([0, 1]), label_smoothing=1.5), ValueError,
     r"^cross_entropy: label_smoothing must be a number in \[0, 1\], got 1.5"),
    ("nll_loss labels out of range", lambda: F.nll_loss(v((2, 3)), np.array([0, 3]), ignore_index=-1), ValueError,
     r"^nll_loss: labels must be in \[0, 3\) for 3 classes, or -1 \(ignored\); got 3"),
    ("nll_loss float labels", lambda: F.nll_loss(v((2, 3)), np.array([0.0, 1.0])), TypeError,
     r"^nll_loss: labels must be integers, got dtype float64"),
    # issue 16, conv
    ("conv2d groups not dividing x's channels", lambda: F.conv2d(v((1, 3, 4, 4)), v((2, 1, 3, 3)), groups=2),
     ValueError, r"^conv2d: x's 3 channels \(shape \(1, 3, 4, 4\)\) are not divisible by groups=2"),
    ("conv2d groups not dividing W's outputs", lambda: F.conv2d(v((1, 4, 4, 4)), v((3, 2, 3, 3)), groups=2),
     ValueError, r"^conv2d: W's 3 output channels \(shape \(3, 2, 3, 3\)\) are not divisible by groups=2"),
    ("conv2d W of another group size", lambda: F.conv2d(v((1, 4, 4, 4)), v((2, 4, 3, 3)), groups=2), ValueError,
     r"^conv2d: x has 4 channels \(shape \(1, 4, 4, 4\)\) but W expects 8 \(shape \(2, 4, 3, 3\), laid out "
     r"\(OC, C/groups, kh, kw\), groups=2\)"),
    ("conv2d groups 0", lambda: F.conv2d(v((1, 2, 4, 4)), v((2, 2, 3, 3)), groups=0), ValueError,
     r"^conv2d: groups must be positive, got 0"),
    ("conv2d groups not an int", lambda: F.conv2d(v((1, 2, 4, 4)), v((2, 2, 3, 3)), groups=1.0), TypeError,
     r"^conv2d: groups must be an integer, got float 1.0"),
    ("conv2d dilation 0", lambda: F.conv2d(v((1, 2, 4, 4)), v((2, 2, 3, 3)), dilation=(1, 0)), ValueError,
     r"^conv2d: dilation must be positive, got \(1, 0\)"),
    ("conv2d dilated kernel too large", lambda: F.conv2d(v((1, 1, 4, 6)), v((1, 1, 3, 3)), dilation=2),
     ValueError, r"^conv2d: kernel size 3 at dilation 2 \(spanning 5\) is larger than the padded input along "
     r"height \(4 \+ 2\*0 = 4\)"),
    ("conv_transpose2d groups not dividing W's inputs",
     lambda: F.conv_transpose2d(v((1, 3, 2, 2)), v((3, 1, 2, 2)), groups=2), ValueError,
     r"^conv_transpose2d: W's 3 input channels \(shape \(3, 1, 2, 2\)\) are not divisible by groups=2"),
    ("conv_transpose2d output size not positive",
     lambda: F.conv_transpose2d(v((1, 1, 1, 1)), v((1, 1, 2, 2)), pad=2, dilation=2), ValueError,
     r"^conv_transpose2d: the output size \(-1, -1\) is not positive for input \(1, 1, 1, 1\), kernel \(2, 2\), "
     r"stride \(1, 1\), pad \(2, 2\), dilation \(2, 2\)"),
    ("max_pool2d dilation 0", lambda: F.max_pool2d(v((1, 1, 4, 4)), 2, dilation=0), ValueError,
     r"^max_pool2d: dilation must be positive, got 0"),
    ("max_pool2d ceil_mode not a bool", lambda: F.max_pool2d(v((1, 1, 4, 4)), 2, ceil_mode=1), TypeError,
     r"^max_pool2d: ceil_mode must be a bool, got int 1"),
    ("max_pool2d dilated window too large", lambda: F.max_pool2d(v((1, 1, 4, 4)), 3, dilation=2), ValueError,
     r"^max_pool2d: kernel size 3 at dilation 2 \(spanning 5\) is larger than the padded input along height"),
    ("avg_pool2d count_include_pad not a bool", lambda: F.avg_pool2d(v((1, 1, 4, 4)), 2, count_include_pad=None),
     TypeError, r"^avg_pool2d: count_include_pad must be a bool, got NoneType None"),
    ("avg_pool2d pad over half the kernel", lambda: F.avg_pool2d(v((1, 1, 4, 4)), 3, pad=(1, 2)), ValueError,
     r"^avg_pool2d: pad \(1, 2\) must be at most half the kernel size \(3, 3\)"),
    ("adaptive_avg_pool2d output_size 0", lambda: F.adaptive_avg_pool2d(v((1, 1, 4, 4)), (0, 2)), ValueError,
     r"^adaptive_avg_pool2d: output_size must be positive, got \(0, 2\)"),
    ("adaptive_avg_pool2d output_size of three", lambda: F.adaptive_avg_pool2d(v((1, 1, 4, 4)), (1, 2, 3)),
     TypeError, r"^adaptive_avg_pool2d: output_size must be an int or a pair of ints, got \(1, 2, 3\)"),
    ("adaptive_avg_pool2d of integers", lambda: F.adaptive_avg_pool2d(v((1, 1, 4, 4), "int64"), 2), TypeError,
     r"^adaptive_avg_pool2d: x must be floating point, got int64"),
    ("adaptive_avg_pool2d of 3 dimensions", lambda: F.adaptive_avg_pool2d(v((1, 4, 4)), 2), ValueError,
     r"^adaptive_avg_pool2d: x must have 4 dimensions \(N, C, H, W\), got shape \(1, 4, 4\)"),
    ("Conv2d out_channels not divisible by groups", lambda: layer.Conv2d(3, 3, groups=2), ValueError,
     r"^Conv2d: out_channels 3 is not divisible by groups 2"),
    ("lazy Conv2d input channels not divisible by groups", lambda: layer.Conv2d(4, 3, groups=4)(v((1, 6, 5, 5))),
     ValueError, r"^Conv2d: in_channels 6 is not divisible by groups 4"),
    # issue 16, functional
    ("grad of an unused input", lambda: autograd.grad(F.sum(v((2,)) * 2.0), v((3,))), ValueError,
     r"^grad: inputs\[0\] \(shape \(3,\)\) is not used to compute the outputs; pass allow_unused=True"),
    ("grad of a constant input", lambda: autograd.grad(F.sum(v((2,)) * 2.0), Variable(1.0, requires_grad=False)),
     ValueError, r"^grad: inputs\[0\] \(shape \(\)\) does not require a gradient \(requires_grad=False\)"),
    ("grad of a constant output", lambda: autograd.grad(Variable(np.ones(2), requires_grad=False), v((2,))),
     ValueError, r"^grad: outputs\[0\] \(shape \(2,\)\) does not require a gradient"),
    ("grad of an integer output", lambda: autograd.grad(Variable(np.array([1, 2])), v((2,))), TypeError,
     r"^grad: outputs\[0\] holds int64 data; gradients need floating-point data"),
    ("grad with an array as inputs", lambda: autograd.grad(F.sum(v((2,))), np.ones(2)), TypeError,
     r"^grad: inputs must be a Variable or a non-empty sequence of Variables, got ndarray"),
    ("grad_outputs of another length", lambda: autograd.grad(F.sum(v((2,))), v((2,)), grad_outputs=[1.0, 2.0]),
     ValueError, r"^grad: grad_outputs has 2 entries for 1 outputs"),
    ("grad_outputs of another shape", lambda: autograd.grad(v((2,)) * 2.0, v((2,)), grad_outputs=np.ones(3)),
     ValueError, r"^grad: grad_outputs\[0\] has shape \(3,\), the Variable shape \(2,\)"),
    ("grad with materialize_grads but not allow_unused",
     lambda: autograd.grad(F.sum(v((2,))), v((2,)), allow_unused=False, materialize_grads=True), ValueError,
     r"^grad: materialize_grads=True gives zeros for unused inputs; allow_unused=False contradicts it"),
    ("vjp without v for a vector output", lambda: functional.vjp(lambda x: x * 2.0, v((2,))), ValueError,
     r"^vjp: v may be None only for a single one-element output; got 1 outputs of shapes \(2,\)"),
    ("jvp with v of another shape", lambda: functional.jvp(lambda x: x * 2.0, v((2,)), v((3,))), ValueError,
     r"^jvp: v has shape \(3,\), the input shape \(2,\); they must be the same"),
    ("vjp with too few vectors", lambda: functional.vjp(lambda x: (x, x), v((2,)), v((2,))), ValueError,
     r"^vjp: v has 1 entries for 2 outputs"),
    ("hessian of a vector function", lambda: functional.hessian(lambda x: x * x, v((2,))), ValueError,
     r"^hessian: func must return a single one-element Variable, got \(2,\)"),
    ("hvp of a function returning an array", lambda: functional.hvp(lambda x: x.data, v((2,)), v((2,))), TypeError,
     r"^hvp: func must return a Variable or a tuple of Variables, got ndarray"),
    # issue 16, functional: initialisation
    ("xavier of a vector", lambda: init.xavier_uniform_(Parameter(np.zeros(3))), ValueError,
     r"^xavier_uniform_: fan in and fan out can not be computed for a Variable of fewer than 2 axes, got shape "
     r"\(3,\)"),
    ("kaiming with an unknown mode", lambda: init.kaiming_normal_(Parameter(np.zeros((2, 2))), mode="fan"),
     ValueError, r"^kaiming_normal_: mode must be 'fan_in' or 'fan_out', got 'fan'"),
    ("kaiming with an unknown nonlinearity",
     lambda: init.kaiming_uniform_(Parameter(np.zeros((2, 2))), nonlinearity="swish"), ValueError,
     r"^calculate_gain: unsupported nonlinearity 'swish'"),
    ("orthogonal of a vector", lambda: init.orthogonal_(Parameter(np.zeros(3))), ValueError,
     r"^orthogonal_: only Variables of 2 or more axes are supported, got shape \(3,\)"),
    ("init of a NumPy array", lambda: init.normal_(np.zeros((2, 2))), TypeError,
     r"^normal_: expects a Parameter or Variable to fill in place, got ndarray"),
    ("init of integer data", lambda: init.ones_(Variable(np.zeros(2, dtype=np.int64))), TypeError,
     r"^constant_: fills floating-point data; this Variable \(shape \(2,\)\) holds int64"),
    ("uniform with a > b", lambda: init.uniform_(Parameter(np.zeros(2)), 1.0, 0.0), ValueError,
     r"^uniform_: a must not exceed b, got a=1.0, b=0.0"),
    ("normal with a negative std", lambda: init.normal_(Parameter(np.zeros(2)), std=-1.0), ValueError,
     r"^normal_: std must be >= 0, got -1.0"),
    # issue 16, redops
    ("argmax of an empty slice", lambda: F.argmax(v((2, 0)), axis=1), ValueError,
     r"^argmax: the input of shape \(2, 0\) has no elements along axis=1"),
    ("argmin over two axes", lambda: F.argmin(v((2, 3)), axis=(0, 1)), TypeError,
     r"^argmin: axis must be an integer or None, got \(0, 1\)"),
    ("std ddof >= n", lambda: F.std(v((2, 3)), axis=1, ddof=3), ValueError,
     r"^std: ddof=3 must be less than the number of elements reduced, 3 \(input shape \(2, 3\), axis=1\)"),
    ("cumsum without an axis", lambda: F.cumsum(v((2, 3)), None), TypeError,
     r"^cumsum: axis must be an integer, got None"),
    ("stack shapes", lambda: F.stack([v((2, 3)), v((3,))]), ValueError,
     r"^stack: inputs must all have one shape, got \(2, 3\), \(3,\)"),
    ("pad odd length", lambda: F.pad(v((2, 3)), (1, 1, 1)), ValueError,
     r"^pad: pad \(1, 1, 1\) must hold a \(before, after\) pair for each of at most the 2 axes of shape \(2, 3\)"),
    ("pad reflect too wide", lambda: F.pad(v((2, 3)), (3, 0), mode="reflect"), ValueError,
     r"^pad: reflect padding of \(3, 0\) along axis 1 of shape \(2, 3\) needs each pad below the size 3"),
    ("pad unknown mode", lambda: F.pad(v((2, 3)), (1, 1), mode="edge"), ValueError,
     r"^pad: mode must be one of 'constant', 'reflect', 'replicate', 'circular', got 'edge'"),
    ("tril of a vector", lambda: F.tril(v((3,))), ValueError,
     r"^tril: needs at least 2 dimensions \(\.\.\., M, N\), got shape \(3,\)"),
    ("einsum sizes", lambda: F.einsum("ij,jk->ik", v((2, 3)), v((4, 5))), ValueError,
     r"^einsum: index 'j' of 'ij,jk->ik' has sizes 3 and 4 \(operand shapes \(2, 3\), \(4, 5\)\)"),
    ("einsum term length", lambda: F.einsum("ijk,k", v((2, 3)), v((3,))), ValueError,
     r"^einsum: term 'ijk' of 'ijk,k' has 3 indices for an operand of shape \(2, 3\)"),
    ("einsum operand count", lambda: F.einsum("ij,jk", v((2, 3))), ValueError,
     r"^einsum: 'ij,jk' has 2 input terms for 1 operands"),
    ("norm ord 2 of a matrix", lambda: F.norm(v((3, 3)), 2), ValueError,
     r"^norm: ord=2 is not a matrix norm here; use one of None, 'fro', 1, -1, inf, -inf"),
    ("norm of integers", lambda: F.norm(v((3,), dtype="int64")), TypeError,
     r"^norm: x must be a floating-point array, got dtype int64"),
    ("one_hot negative label", lambda: F.one_hot(np.array([0, -1])), ValueError,
     r"^one_hot: label -1 is negative \(labels of shape \(2,\)\)"),
    ("one_hot label too large", lambda: F.one_hot(np.array([0, 3]), num_classes=3), ValueError,
     r"^one_hot: label 3 is out of range for num_classes=3 \(labels must be in \[0, 3\)\)"),
    ("one_hot float labels", lambda: F.one_hot(np.array([0.0, 1.0])), TypeError,
     r"^one_hot: labels must have an integer dtype, got float64"),
    # issue 16, layers
    ("attention mask and is_causal", lambda: F.scaled_dot_product_attention(
        v((3, 2)), v((3, 2)), v((3, 2)), np.ones((3, 3), bool), is_causal=True), ValueError,
     r"^scaled_dot_product_attention: give mask or is_causal=True, not both"),
    ("attention feature sizes differ", lambda: F.scaled_dot_product_attention(v((3, 2)), v((4, 3)), v((4, 2))),
     ValueError, r"^scaled_dot_product_attention: query of shape \(3, 2\) and key of shape \(4, 3\) must have the "
     r"same last axis"),
    ("attention key and value lengths differ", lambda: F.scaled_dot_product_attention(v((3, 2)), v((4, 2)), v((5, 2))),
     ValueError, r"^scaled_dot_product_attention: key of shape \(4, 2\) and value of shape \(5, 2\) must have the "
     r"same length"),
    ("attention 1-d query", lambda: F.scaled_dot_product_attention(v((2,)), v((4, 2)), v((4, 2))), ValueError,
     r"^scaled_dot_product_attention: query must have at least 2 axes .* got shape \(2,\)"),
    ("attention mask of the wrong shape", lambda: F.scaled_dot_product_attention(
        v((3, 2)), v((4, 2)), v((4, 2)), np.ones((3, 3), bool)), ValueError,
     r"^scaled_dot_product_attention: mask of shape \(3, 3\) does not broadcast to the scores' shape \(3, 4\)"),
    ("attention integer mask", lambda: F.scaled_dot_product_attention(
        v((3, 2)), v((4, 2)), v((4, 2)), np.ones((3, 4), int)), TypeError,
     r"^scaled_dot_product_attention: mask must be boolean or floating-point, got dtype int64"),
    ("attention mask on another device", lambda: F.scaled_dot_product_attention(
        v((3, 2), device="sim"), v((4, 2), device="sim"), v((4, 2), device="sim"), np.ones((3, 4), bool)),
     autograd.DeviceError, r"^scaled_dot_product_attention: mask is on cpu but the scores are on sim"),
    ("attention dropout of 1", lambda: F.scaled_dot_product_attention(v((3, 2)), v((4, 2)), v((4, 2)), dropout=1.0),
     ValueError, r"^scaled_dot_product_attention: dropout must be in \[0.0, 1.0\), got 1.0"),
    ("attention infinite scale", lambda: F.scaled_dot_product_attention(v((3, 2)), v((4, 2)), v((4, 2)),
                                                                         scale=float("inf")),
     ValueError, r"^scaled_dot_product_attention: scale must be in \(-inf, inf\), got inf"),
    ("attention is_causal positional as in PyTorch", lambda: F.scaled_dot_product_attention(
        v((3, 2)), v((4, 2)), v((4, 2)), None, 0.1), TypeError, r"takes from 3 to 4 positional arguments"),
    ("MultiHeadAttention heads do not divide", lambda: layer.MultiHeadAttention(6, num_heads=4), ValueError,
     r"^MultiHeadAttention: embed_dim 6 is not a multiple of num_heads 4"),
    ("MultiHeadAttention key of the wrong size", lambda: layer.MultiHeadAttention(4, 2)(
        v((2, 3, 4), "float32"), v((2, 5, 3), "float32")), ValueError,
     r"^MultiHeadAttention: key must have shape \(N, length, 4\) with the batch of the query of shape \(2, 3, 4\), "
     r"got \(2, 5, 3\)"),
    ("MultiHeadAttention 4-d query", lambda: layer.MultiHeadAttention(4, 2)(v((1, 2, 3, 4), "float32")), ValueError,
     r"^MultiHeadAttention: query must be \(N, L, E\) or \(L, E\), got shape \(1, 2, 3, 4\)"),
    ("MultiHeadAttention dropout of 1", lambda: layer.MultiHeadAttention(4, 2, dropout=1), ValueError,
     r"^MultiHeadAttention: dropout must be in \[0.0, 1.0\), got 1.0"),
    ("torch weights of the wrong shape", lambda: layer.GRU(2, in_size=3).load_torch_weights(
        {"weight_ih": np.zeros((6, 2)), "weight_hh": np.zeros((6, 2))}), ValueError,
     r"^GRU.load_torch_weights: 'weight_ih' must have shape \(6, 3\) \(3 gates of hidden_size 2\), got \(6, 2\)"),
    ("torch weights with an unknown key", lambda: layer.RNN(2).load_torch_weights({"weight_ih_l1": np.zeros((2, 2))}),
     ValueError, r"^RNN.load_torch_weights: unexpected key 'weight_ih_l1'; expected \['weight_ih', 'weight_hh', "),
    ("torch weights without weight_hh", lambda: layer.LSTM(2).load_torch_weights({"weight_ih": np.zeros((8, 1))}),
     ValueError, r"^LSTM.load_torch_weights: no 'weight_hh'; got \['weight_ih'\]"),
    ("torch weights with one bias", lambda: layer.RNN(2).load_torch_weights(
        {"weight_ih": np.zeros((2, 1)), "weight_hh": np.zeros((2, 2)), "bias_ih": np.zeros(2)}), ValueError,
     r"^RNN.load_torch_weights: no 'bias_hh'"),
    # issue 16, optimizers and schedulers
    ("group hyperparameter out of range", lambda: optimizer.AdamW([{"params": [autograd.Parameter([1.0])],
                                                                   "weight_decay": -0.1}]), ValueError,
     r"^AdamW: weight_decay must be in \[0.0, inf\), got -0.1"),
    ("group lr assigned out of range", lambda: optimizer.SGD([autograd.Parameter([1.0])]).param_groups[0]
     .__setitem__("lr", -1.0), ValueError, r"^SGD: lr \(learning_rate\) must be in \[0.0, inf\), got -1.0"),
    ("parameter in two groups", lambda: optimizer.SGD([{"params": [PARAM]}, {"params": [PARAM]}]), ValueError,
     r"^SGD.add_param_group: some parameters are in parameter group 0 already; a parameter belongs to one group"),
    ("parameter group without params", lambda: optimizer.Adam([{"lr": 0.1}]), ValueError,
     r"^Adam.add_param_group: a parameter group needs 'params'; got the keys \['lr'\]"),
    ("parameter group with a misspelled key", lambda: optimizer.AdamW([{"params": [PARAM], "weight_dacay": 0.1}]),
     ValueError, r"^AdamW.add_param_group: 'weight_dacay' is no hyperparameter of AdamW; a group takes 'params', "
     r"'lr' and \['alpha', 'beta1', 'beta2', 'eps', 'weight_decay'\]"),
    ("parameter group with PyTorch's Adam weight_decay", lambda: optimizer.Adam([{"params": [PARAM],
                                                                                 "weight_decay": 0.1}]),
     ValueError, r"^Adam.add_param_group: 'weight_decay' is no hyperparameter of Adam"),
    ("scheduler step_size 0", lambda: scheduler.StepLR(optimizer.SGD([autograd.Parameter([1.0])]), step_size=0),
     ValueError, r"^StepLR: step_size must be a positive integer, got 0"),
    ("plateau mode", lambda: scheduler.ReduceLROnPlateau(optimizer.SGD([autograd.Parameter([1.0])]), mode="low"),
     ValueError, r"^ReduceLROnPlateau: mode must be 'min' or 'max', got 'low'"),
    ("loss scaler growth_factor", lambda: hook.LossScaler(growth_factor=0.5), ValueError,
     r"^LossScaler: growth_factor must be in \(1.0, inf\), got 0.5"),
    ("float64 gradient for a float16 parameter", lambda: optimizer.SGD([HALF]).update(), TypeError,
     r"^SGD.update: a float64 gradient for a float16 parameter '0' of shape \(1,\); gradients keep their "
     r"parameter's dtype \(or are float32 for a float16 or bfloat16 one\)"),
    # issue 16, review
    ("MultiHeadAttention (N, L, S) mask with N = h", lambda: layer.MultiHeadAttention(4, 2)(
        v((2, 3, 4), "float32"), mask=np.ones((2, 3, 3), dtype=bool)), ValueError,
     r"^MultiHeadAttention: a 3-d mask must have shape \(N·num_heads, L, S\) = \(4, 3, 3\), PyTorch's layout, "
     r"got \(2, 3, 3\)"),
    # issue 16, review2
    ("loss scaler negative growth_tracker", lambda: hook.LossScaler().load_state_dict(
        {"scale": 1.0, "growth_tracker": -1}), ValueError,
     r"^LossScaler.load_state_dict: growth_tracker must be >= 0, got -1"),
]


@pytest.mark.parametrize("name, make, error, pattern", CATALOGUE, ids=[row[0] for row in CATALOGUE])
def test_each_mistake_raises_one_clear_error(tmp_path, name, make, error, pattern):
    with pytest.raises(error, match=pattern):
        make(tmp_path) if make.__code__.co_argcount else make()


def test_the_catalogue_names_are_unique():
    names = [row[0] for row in CATALOGUE]
    assert len(names) == len(set(names)) >= 29
