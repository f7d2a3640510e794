"""The differentiable ops, imported as `F`: `import autograd.function as F`.

Each op is a [Function][autograd.variable.Function] (forward on arrays, backward on Variables) exposed as a
lowercase function. Rules shared by all of them:

- Arguments may be [Variable][autograd.variable.Variable]s, arrays of any device (constants: they get no
  gradient) or Python numbers. The result is a Variable; when no input needs a gradient it is a constant too.
- Elementwise ops broadcast with NumPy's rules; the gradient of a broadcast input is summed back to its shape.
- Dtypes are kept: a Python number takes the dtype of the array beside it (`float32 * 2.0` stays float32).
  Only floating-point inputs can have a gradient.
- All array inputs of one op must be on one device, else [DeviceError][autograd.backend.DeviceError] (a
  `ValueError`) naming the op and the devices. Shapes that do not fit raise `ValueError` naming the op.
- Every backward pass is built from these same ops, so `backward(create_graph=True)` gives derivatives of any
  order.

Examples:
    >>> import autograd.function as F
    >>> from autograd import Variable
    >>> x = Variable(0.0)
    >>> y = F.sin(x) + F.exp(x)       # sin 0 + e^0
    >>> y.item()
    1.0
    >>> y.backward()
    >>> x.grad.item()                 # cos 0 + e^0
    2.0
"""
from autograd.function.activation import gelu, leaky_relu, log_softmax, relu, sigmoid, softmax
from autograd.function.arithmetic import add, div, mul, neg, pow, square, sub
from autograd.function.conv import avg_pool2d, col2im, conv2d, conv_transpose2d, im2col, max_pool2d
from autograd.function.dropout import dropout
from autograd.function.elementwise import astype, clip, cos, exp, log, mask_fill, sin, tanh, where
from autograd.function.embedding import embed_id
from autograd.function.flatten import flatten
from autograd.function.linalg import linear, matmul
from autograd.function.loss import (
    accuracy,
    cross_entropy,
    mean_squared_error,
    sigmoid_cross_entropy,
    softmax_cross_entropy,
)
from autograd.function.normalization import batch_norm, layer_norm
from autograd.function.reduction import logsumexp, max, mean, min, sum, variance
from autograd.function.shape import (
    broadcast_to,
    concat,
    get_item,
    matrix_transpose,
    reshape,
    split,
    squeeze,
    sum_to,
    transpose,
    unsqueeze,
)

__all__ = [
    "accuracy", "add", "astype", "avg_pool2d", "batch_norm", "broadcast_to", "clip", "col2im", "concat",
    "conv2d", "conv_transpose2d", "cos", "cross_entropy", "div", "dropout", "embed_id", "exp", "flatten", "gelu",
    "get_item", "im2col", "layer_norm", "leaky_relu", "linear", "log", "log_softmax", "logsumexp", "mask_fill",
    "matmul", "matrix_transpose", "max", "max_pool2d", "mean", "mean_squared_error", "min", "mul", "neg", "pow",
    "relu", "reshape", "sigmoid", "sigmoid_cross_entropy", "sin", "softmax", "softmax_cross_entropy", "split",
    "square", "squeeze", "sub", "sum", "sum_to", "tanh", "transpose", "unsqueeze", "variance", "where",
]
