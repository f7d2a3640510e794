"""Variable and Function: the define-by-run graph and the iterative backward pass.

A [Variable][autograd.variable.Variable] holds an array and, once `backward()` has run, its gradient. Every op is a
[Function][autograd.variable.Function]: calling one computes its result on raw arrays and records itself as the
creator of its outputs, so `y.backward()` can walk the graph back from `y`. A
[Parameter][autograd.variable.Parameter] is a Variable that layers own and optimizers update.
"""
from __future__ import annotations

import heapq
import math
import os
import re
import sys
import weakref

from autograd import config
from autograd.backend import (CPU, DeviceError, as_array, device_of, dtype_in, dtype_name, get_device, host_str, is_array,
                              is_host_scalar, same_device, to_host)

__all__ = ["Variable", "Parameter", "Function", "as_variable"]


class Variable:
    """A value in the graph: `data` (an array of some device), `grad` (a Variable or None), `creator`.

    Python numbers and lists become NumPy arrays with NumPy's default dtypes (`Variable(1.0)` is float64,
    `Variable([1, 2])` int64); pass `dtype` or `device` to choose. A NumPy array is used as it is, not copied;
    a Variable gives its `data`. Raw arrays and numbers handed to an op become constants
    (`requires_grad=False`): no gradient is computed for them. A Variable you create gets a gradient unless
    made with `requires_grad=False`; the result of an op needs one when any of its inputs does.

    Operators: `+ - * / ** @`, unary `-`, `x[index]` (the ops of [autograd.function][autograd.function]); a
    NumPy or CuPy array on the left defers to the Variable. `<`, `<=`, `>`, `>=` give raw boolean arrays (masks
    for [F.where][autograd.function.where]); `==` stays identity, so Variables work in sets and dicts.

    Args:
        data (number | list | array | Variable): a number, a (nested) list, an array of any device, or a Variable.
        name (str | None): a label, shown by `repr` and by [dot.graph][autograd.dot.graph].
        dtype (str | dtype | None): the dtype to cast `data` to, by name or as a dtype of any library.
            Typical values: `"float32"`, `"float64"`, `"int64"`; None keeps the dtype of `data`.
        device (str | Device | None): the device to copy `data` to: `"cpu"`, `"sim"`, `"cuda"`, `"cuda:N"` or a
            [Device][autograd.backend.Device]; None leaves it where it is (a list goes to the cpu).
        requires_grad (bool): False makes a constant: the backward pass computes no gradient for it.

    Attributes:
        data: the array.
        grad: the gradient, a Variable of the same shape, dtype and device after `backward()`; None before.
        creator: the [Function][autograd.variable.Function] that made this Variable, None for a leaf.
        generation: the depth of this Variable in the graph (the backward pass runs deepest first).
        requires_grad: whether the backward pass computes a gradient for it.
        version: how many in-place updates `data` has had (optimizer steps): a graph recorded before one
            refuses its backward pass.

    Raises:
        TypeError: `data` is None, a string, bytes, a dict or a set.
        DeviceError: `device` is unknown or not present on this machine.

    Examples:
        >>> import autograd
        >>> from autograd import Variable
        >>> x = Variable([1.0, 2.0, 3.0])
        >>> y = (x * x).sum()
        >>> y.item()
        14.0
        >>> y.backward()
        >>> autograd.to_host(x.grad).tolist()
        [2.0, 4.0, 6.0]
        >>> str(Variable(1.0).dtype), str(Variable(1.0, dtype="float32").dtype)
        ('float64', 'float32')
    """

    __slots__ = ("data", "name", "grad", "creator", "generation", "requires_grad", "version", "__weakref__")
    __array_priority__ = 200  # a NumPy or CuPy array on the left of an operator defers to the Variable
    __array_ufunc__ = None

    def __init__(self, data, name=None, *, dtype=None, device=None, requires_grad=True):
        if isinstance(data, Variable):
            data = data.data
        try:
            data = as_array(data)
        except TypeError as e:
            raise TypeError(f"Variable: {e}") from None
        if device is not None:
            data = get_device(device).put(data)
        if dtype is not None:
            xp = device_of(data).xp
            dtype = dtype_in(xp, dtype)
            if data.dtype != dtype:
                data = xp.astype(data, dtype)
        self.data = data
        self.name = name
        self.grad = None
        self.creator = None
        self.generation = 0
        self.requires_grad = requires_grad
        self.version = 0  # counts in-place writes to data (optimizer updates): a recorded graph checks it

    # ---- array-like properties -------------------------------------------------------------------
    @property
    def shape(self):
        """The shape of `data`, a tuple of ints (`()` for a scalar).

        Examples:
            >>> from autograd import Variable
            >>> Variable([[1.0, 2.0, 3.0], [4.0, 5.0, 6.0]]).shape
            (2, 3)
        """
        return tuple(self.data.shape)

    @property
    def ndim(self):
        """The number of axes of `data` (0 for a scalar).

        Examples:
            >>> from autograd import Variable
            >>> Variable([[1.0, 2.0, 3.0], [4.0, 5.0, 6.0]]).ndim
            2
        """
        return self.data.ndim

    @property
    def size(self):
        """The number of elements of `data` (1 for a scalar).

        Examples:
            >>> from autograd import Variable
            >>> Variable([[1.0, 2.0, 3.0], [4.0, 5.0, 6.0]]).size
            6
        """
        return math.prod(self.data.shape)

    @property
    def dtype(self):
        """The dtype of `data`, as its array library gives it (a NumPy dtype on the cpu).

        Examples:
            >>> from autograd import Variable
            >>> str(Variable([1.0, 2.0], dtype="float32").dtype)
            'float32'
        """
        return self.data.dtype

    @property
    def device(self):
        """The [Device][autograd.backend.Device] `data` lives on.

        Examples:
            >>> from autograd import Variable
            >>> Variable([1.0, 2.0]).device.name
            'cpu'
        """
        return device_of(self.data)

    @property
    def xp(self):
        """The array namespace of this Variable's device."""
        return device_of(self.data).xp

    def __len__(self):
        if self.ndim == 0:
            raise TypeError("len() of a 0-d Variable")
        return self.data.shape[0]

    def __repr__(self):
        body = host_str(self.data)
        extras = [f"dtype={dtype_name(self.dtype)}"]
        if self.device != CPU:
            extras.append(f"device={self.device}")
        if self.name is not None:
            extras.append(f"name={self.name!r}")
        if self.creator is not None:
            extras.append(f"creator={type(self.creator).__name__}")
        return f"Variable({body}, {', '.join(extras)})"

    def item(self):
        """The value of a one-element Variable as a Python number (a host synchronisation on a GPU).

        Raises:
            ValueError: the Variable has more than one element.

        Examples:
            >>> from autograd import Variable
            >>> Variable([[2.5]]).item()
            2.5
        """
        return to_host(self.data).item()

    def __float__(self):
        return float(self.item())

    def __bool__(self):
        return bool(self.item())

    # ---- graph ---------------------------------------------------------------------------------------
    def set_creator(self, func):
        """Record `func` as the [Function][autograd.variable.Function] that made this Variable.

        Sets `creator` and `generation = func.generation + 1`. Calling a Function does this for its outputs
        (and records them in `func.outputs`, which this method does not), so user code rarely needs it.

        Args:
            func (Function): the Function whose output this Variable is.
        """
        self.creator = func
        self.generation = func.generation + 1

    def cleargrad(self):
        """Forget the gradient (`grad = None`), so that the next `backward()` does not add to it.

        Gradients accumulate: each `backward()` adds to the `grad` a Variable already has. Clear them between
        steps ([Layer][autograd.layer.Layer]s and models clear all their parameters with `cleargrads()`).

        Examples:
            >>> from autograd import Variable
            >>> x = Variable(2.0)
            >>> (x * 3).backward()
            >>> (x * 3).backward()
            >>> x.grad.item()
            6.0
            >>> x.cleargrad()
            >>> x.grad is None
            True
        """
        self.grad = None

    def unchain(self):
        """Cut the link to the function that made this Variable (it becomes a leaf).

        Examples:
            >>> from autograd import Variable
            >>> y = Variable(2.0) * 3
            >>> y.unchain()
            >>> y.creator is None
            True
        """
        self.creator = None

    def unchain_backward(self):
        """Cut every link behind this Variable, so the graph can be freed (truncated backprop).

        Every Variable behind this one, and this one, loses its creator. Recurrent training calls it on the
        loss after each `backward()` so that the next window's graph does not reach back into this one.
        """
        funcs = [self.creator] if self.creator is not None else []
        seen = set()
        while funcs:
            f = funcs.pop()
            for x in f.inputs:
                if x.creator is not None and id(x.creator) not in seen:
                    seen.add(id(x.creator))
                    funcs.append(x.creator)
                x.unchain()
        self.unchain()

    def backward(self, retain_grad=False, create_graph=False):
        """Accumulate d(self)/dx into `x.grad` for every Variable x behind self that requires a gradient.

        The gradient is seeded with ones shaped like `self` (or the existing `self.grad`), so for a non-scalar
        `self` it computes the gradient of `self.sum()`. Functions run in reverse order of generation,
        iteratively, so graphs of any depth work. Gradients add to an existing `x.grad` (see
        [cleargrad][autograd.variable.Variable.cleargrad]); a gradient keeps its input's dtype. On a leaf,
        `backward()` only seeds its own gradient.

        Args:
            retain_grad (bool): keep the gradients of intermediate Variables (and of `self`) too; by default only
                leaves (Variables no op made) keep theirs.
            create_graph (bool): record the backward pass itself, so each `x.grad` has a graph and its own
                `backward()` gives second (and higher) derivatives. Off, gradients are computed on plain arrays.

        Raises:
            TypeError: `self` holds integer or boolean data, or an input of integer data needs a gradient.
            RuntimeError: an input of the graph was given new data or updated in place by an optimizer after
                the forward pass (run the forward pass again).

        Examples:
            Second derivative of y = x⁴ - 2x² at x = 2: `dy/dx = 4x³ - 4x = 24`, `d²y/dx² = 12x² - 4 = 44`.

            >>> from autograd import Variable
            >>> x = Variable(2.0)
            >>> y = x ** 4 - 2 * x ** 2
            >>> y.backward(create_graph=True)
            >>> gx = x.grad
            >>> gx.item()
            24.0
            >>> x.cleargrad()
            >>> gx.backward()
            >>> x.grad.item()
            44.0
        """
        if not _is_floating(self.data):
            raise TypeError(f"backward: this Variable holds {dtype_name(self.dtype)} data; gradients need "
                            "floating-point data (cast it with F.astype first)")
        if self.grad is None:
            self.grad = _wrap(self.xp.ones_like(self.data))
        if self.creator is None:
            return
        recording = config.recording.set(create_graph)  # not context managers: this runs every step
        on_arrays = config.on_arrays.set(not create_graph)
        try:
            _backprop(self.creator, retain_grad, create_graph)
        finally:
            config.on_arrays.reset(on_arrays)
            config.recording.reset(recording)

    # ---- moving between devices ------------------------------------------------------------------
    def to(self, device):
        """This Variable on `device` (itself if already there); gradients flow back to the original.

        The copy is an op of the graph: its gradient is copied back to this Variable's device.

        Args:
            device (str | Device): `"cpu"`, `"sim"`, `"cuda"`, `"cuda:N"` or a [Device][autograd.backend.Device].

        Raises:
            DeviceError: `device` is unknown or not present on this machine.

        Examples:
            >>> from autograd import Variable
            >>> x = Variable([1.0, 2.0])
            >>> x.to("cpu") is x
            True
        """
        device = get_device(device)
        if self.device == device:
            return self
        return ToDevice(device)(self)

    # ---- operators (the ops live in autograd.function) ---------------------------------------------
    def __add__(self, other):
        return _F.add(self, other)

    def __radd__(self, other):
        return _F.add(other, self)

    def __sub__(self, other):
        return _F.sub(self, other)

    def __rsub__(self, other):
        return _F.sub(other, self)

    def __mul__(self, other):
        return _F.mul(self, other)

    def __rmul__(self, other):
        return _F.mul(other, self)

    def __truediv__(self, other):
        return _F.div(self, other)

    def __rtruediv__(self, other):
        return _F.div(other, self)

    def __neg__(self):
        return _F.neg(self)

    def __pow__(self, other):
        return _F.pow(self, other)

    def __rpow__(self, other):
        return _F.pow(other, self)

    def __matmul__(self, other):
        return _F.matmul(self, other)

    def __rmatmul__(self, other):
        return _F.matmul(other, self)

    def __getitem__(self, index):
        return _F.get_item(self, index)

    # Comparisons give raw boolean arrays (masks for where / mask_fill); == stays identity, for sets and dicts.
    def __lt__(self, other):
        return self.data < array_of(other)

    def __le__(self, other):
        return self.data <= array_of(other)

    def __gt__(self, other):
        return self.data > array_of(other)

    def __ge__(self, other):
        return self.data >= array_of(other)

    @property
    def T(self):
        """All axes reversed, as NumPy's `.T` ([F.transpose][autograd.function.transpose]).

        Examples:
            >>> from autograd import Variable
            >>> Variable([[1.0, 2.0, 3.0]]).T.shape
            (3, 1)
        """
        return _F.transpose(self)

    @property
    def mT(self):
        """The last two axes swapped: a batch of matrices, each transposed
        ([F.matrix_transpose][autograd.function.matrix_transpose]).

        Examples:
            >>> from autograd import Variable
            >>> Variable([[[1.0, 2.0, 3.0]]]).mT.shape
            (1, 3, 1)
        """
        return _F.matrix_transpose(self)

    def reshape(self, *shape):
        """This Variable with a new shape of the same size ([F.reshape][autograd.function.reshape]).

        Args:
            *shape (int | tuple[int, ...]): the new shape, as separate ints or one tuple; one entry may be -1
                (inferred).

        Examples:
            >>> from autograd import Variable
            >>> x = Variable([[1.0, 2.0, 3.0], [4.0, 5.0, 6.0]])
            >>> x.reshape(3, 2).shape, x.reshape((3, 2)).shape, x.reshape(-1).shape
            ((3, 2), (3, 2), (6,))
        """
        if len(shape) == 1 and isinstance(shape[0], (tuple, list)):
            shape = shape[0]
        return _F.reshape(self, tuple(shape))

    def transpose(self, *axes):
        """This Variable with its axes permuted ([F.transpose][autograd.function.transpose]).

        Args:
            *axes (int | tuple[int, ...]): the new order of the axes, as separate ints or one tuple; none
                reverses them all (`.T`).

        Examples:
            >>> from autograd import Variable
            >>> x = Variable([[[1.0, 2.0, 3.0], [4.0, 5.0, 6.0]]])
            >>> x.shape, x.transpose().shape, x.transpose(1, 0, 2).shape
            ((1, 2, 3), (3, 2, 1), (2, 1, 3))
        """
        if len(axes) == 1 and isinstance(axes[0], (tuple, list)):
            axes = axes[0]
        return _F.transpose(self, tuple(axes) if axes else None)

    def sum(self, axis=None, keepdims=False):
        """The sum over `axis` ([F.sum][autograd.function.sum]).

        Args:
            axis (int | tuple[int, ...] | None): an int or a tuple of ints; None sums over all axes.
            keepdims (bool): keep the summed axes with length 1.

        Examples:
            >>> import autograd
            >>> from autograd import Variable
            >>> x = Variable([[1.0, 2.0, 3.0], [4.0, 5.0, 6.0]])
            >>> x.sum().item(), autograd.to_host(x.sum(axis=0)).tolist(), x.sum(axis=1, keepdims=True).shape
            (21.0, [5.0, 7.0, 9.0], (2, 1))
        """
        return _F.sum(self, axis=axis, keepdims=keepdims)

    def mean(self, axis=None, keepdims=False):
        """The arithmetic mean over `axis` ([F.mean][autograd.function.mean]): the sum divided by the count.

        Args:
            axis (int | tuple[int, ...] | None): an int or a tuple of ints; None averages over all axes.
            keepdims (bool): keep the averaged axes with length 1.

        Examples:
            >>> import autograd
            >>> from autograd import Variable
            >>> x = Variable([[1.0, 2.0, 3.0], [4.0, 5.0, 6.0]])
            >>> x.mean().item(), autograd.to_host(x.mean(axis=1)).tolist()
            (3.5, [2.0, 5.0])
        """
        return _F.mean(self, axis=axis, keepdims=keepdims)


def _wrap(data, requires_grad=True):
    """A Variable around an array an op produced, without the checks of ``Variable.__init__``."""
    v = _new(Variable)
    v.data = as_array(data)  # NumPy reductions give scalars; keep arrays everywhere
    v.name = v.grad = v.creator = None
    v.generation = 0
    v.requires_grad = requires_grad
    v.version = 0
    return v


_new = object.__new__


def _user_line():
    """"file:line in function" of the innermost caller outside the autograd package (where an op was made)."""
    frame = sys._getframe(2)
    while frame is not None and frame.f_code.co_filename.startswith(_PACKAGE_DIR):
        frame = frame.f_back
    if frame is None:
        return "an unknown place"
    return f"{frame.f_code.co_filename}:{frame.f_lineno} in {frame.f_code.co_name}"


_PACKAGE_DIR = os.path.dirname(os.path.abspath(__file__)) + os.sep


def _check_finite(func, stage, arrays, what):
    """Raise FloatingPointError if a floating array among ``arrays`` holds NaN or Inf (anomaly detection)."""
    for i, a in enumerate(arrays):
        if a is None or not is_array(a):
            continue
        a = as_array(a)
        xp = device_of(a).xp
        if not _is_floating(a) or bool(xp.all(xp.isfinite(a))):
            continue
        kind = "NaN" if bool(xp.any(xp.isnan(a))) else "Inf"
        where = getattr(func, "created_at", "an unknown place (made outside detect_anomaly)")
        raise FloatingPointError(f"detect_anomaly: {type(func).__name__}.{stage} gave {kind} in its {what} {i} "
                                 f"(shape {tuple(a.shape)}); the op was made at {where}")


def _is_floating(array):
    """True for real or complex floating-point data (cached per dtype: backward asks every time)."""
    dtype = array.dtype
    known = _FLOATING.setdefault(type(dtype), {})  # one table per library: their dtypes must not be compared
    floating = known.get(dtype)
    if floating is None:
        floating = known[dtype] = bool(device_of(array).xp.isdtype(dtype, ("real floating", "complex floating")))
    return floating


_FLOATING = {}  # dtype class -> {dtype: floating?}


def _naming_the_op(func, error, arrays):
    """``error`` with the op's name and its input shapes, unless its message already starts with a name."""
    message = str(error)
    if re.match(r"[A-Za-z_]\w*: ", message):
        return error
    shapes = ", ".join(str(tuple(a.shape)) for a in arrays)
    return ValueError(f"{type(func).__name__}: {message.strip()} (inputs of shapes {shapes})")


def array_of(x):
    """The array of a Variable, or `x` itself: for code that takes both (a gradient formula's operands)."""
    return x.data if isinstance(x, Variable) else x


def _backprop(creator, retain_grad, create_graph):
    """The loop of `Variable.backward`: pop the function of highest generation, run its backward,
    accumulate the input gradients, and push their creators."""
    heap, seen, count = [(-creator.generation, 0, creator)], {creator}, 1
    anomaly = config.anomaly.get()
    while heap:
        f = heapq.heappop(heap)[2]
        if len(f.outputs) == 1:  # the common case, without the lists
            y = f.outputs[0]()
            if y is None or y.grad is None:
                continue
            ys = (y,)  # held until this step ends, for backwards that read it
            gys = (y.grad,) if create_graph else (y.grad.data,)
        else:
            ys = [ref() for ref in f.outputs]
            gys = [None if y is None else y.grad for y in ys]
            missing = gys.count(None)
            if missing == len(gys):
                continue
            if missing:
                gys = f._zeros_for_missing(gys)
            if not create_graph:
                gys = [g.data for g in gys]
        versions = 0
        for x, array_id in zip(f.inputs, f._ids):
            versions += x.version
            if id(x.data) != array_id:
                raise RuntimeError(f"backward: an input of {type(f).__name__} (shape {x.shape}) was given new data "
                                   "after the forward pass (an optimizer update, load_state_dict, to(), or "
                                   "x.data = ...); its gradient would be computed with the new values. Run the "
                                   "forward pass again")
        if versions != f._versions:
            raise RuntimeError(f"backward: an input of {type(f).__name__} was updated in place (by an optimizer "
                               "step) after the forward pass; its gradient would be computed with the new values. "
                               "Run the forward pass again")
        try:
            gxs = f.backward(*gys)
        except FloatingPointError as e:
            if not anomaly:
                raise
            raise FloatingPointError(f"{e}, in the backward pass of {type(f).__name__} made at "
                                     f"{getattr(f, 'created_at', 'an unknown place')}") from None
        if type(gxs) is not tuple:
            gxs = (gxs,)
        if anomaly:
            _check_finite(f, "backward", [g.data if isinstance(g, Variable) else g for g in gxs], "gradient")
        for x, gx in zip(f.inputs, gxs):
            if gx is None or not x.requires_grad:
                continue
            data = x.data
            if create_graph:
                if not isinstance(gx, Variable):
                    gx = _wrap(gx)
                if gx.data.dtype != data.dtype:  # a float32 x met float64 data: its gradient stays float32
                    _check_floating_input(f, x)
                    gx = _F.astype(gx, data.dtype)
                _check_grad_shape(f, x, gx)
                x.grad = gx if x.grad is None else x.grad + gx
            else:
                if isinstance(gx, Variable):  # a user's formula on Variables
                    gx = gx.data
                if gx.dtype != data.dtype:
                    _check_floating_input(f, x)
                    gx = device_of(gx).xp.astype(gx, data.dtype)
                _check_grad_shape(f, x, gx)
                # a new array, not written in place: the old grad may be shared
                x.grad = _wrap(gx) if x.grad is None else _wrap(x.grad.data + gx)
            g = x.creator
            if g is not None and g not in seen:
                seen.add(g)
                heapq.heappush(heap, (-g.generation, count, g))
                count += 1
        if not retain_grad:
            for y in ys:
                if y is not None:
                    y.grad = None


def _check_floating_input(f, x):
    if not _is_floating(x.data):
        raise TypeError(f"backward: {type(f).__name__} has an input of {dtype_name(x.dtype)} data "
                        f"(shape {x.shape}) that needs a gradient; only floating-point data can have "
                        "one: make it a constant (requires_grad=False) or cast it with F.astype")


def _check_grad_shape(f, x, gx):
    if tuple(gx.shape) != x.data.shape:
        raise RuntimeError(f"{type(f).__name__}.backward gave a gradient of shape {tuple(gx.shape)} "
                           f"for an input of shape {x.shape}")


class Parameter(Variable):
    """A Variable an optimizer updates. Python numbers and lists default to float32.

    The data is copied, so the parameter owns it: optimizers update it in place, and an array it was made
    from (another parameter's, say) never changes with it. A [Layer][autograd.layer.Layer] finds the
    parameters among its attributes.

    Args:
        data (number | list | array | Variable): a number, a (nested) list, an array of any device, or a Variable.
        name (str | None): a label, shown by `repr` and by [dot.graph][autograd.dot.graph].
        dtype (str | dtype | None): the dtype to cast `data` to; None gives float32 for numbers and lists and
            keeps an array's dtype.
        device (str | Device | None): the device to copy `data` to (`"cpu"`, `"sim"`, `"cuda"` ...); None leaves
            it where it is.

    Examples:
        >>> import numpy as np
        >>> from autograd import Parameter
        >>> a = np.zeros(2)
        >>> p = Parameter(a)
        >>> p.data is a, str(p.dtype), str(Parameter([1.0, 2.0]).dtype)
        (False, 'float64', 'float32')
    """

    __slots__ = ()

    def __init__(self, data, name=None, *, dtype=None, device=None):
        if dtype is None and not is_array(data) and not isinstance(data, Variable):
            dtype = "float32"
        super().__init__(data, name, dtype=dtype, device=device)
        self.data = device_of(self.data).xp.asarray(self.data, copy=True)


def _scalar_array(value, like):
    """A Python number as an array on ``like``'s device; it takes ``like``'s dtype unless that would lose
    information (a float next to an integer or boolean array, or an int next to a boolean array, gets the
    default dtype of its kind). Scalars never promote: ``float32 * 2.0`` and ``float32 * True`` stay float32."""
    xp = device_of(like).xp
    dtype = like.dtype
    if isinstance(value, bool):
        pass  # True/False is 1/0 in any numeric dtype, and itself next to a boolean array
    elif isinstance(value, float) and not xp.isdtype(dtype, "real floating"):
        dtype = None
    elif isinstance(value, int) and xp.isdtype(dtype, "bool"):
        dtype = None
    return device_of(like).asarray(value, dtype=dtype)


def as_variable(x, like=None):
    """`x` itself if a Variable; a raw array or number becomes a constant Variable (no gradient).

    Next to an array `like`, a Python or NumPy scalar number goes to `like`'s device and takes its dtype, unless
    that would lose information (a float next to an integer array keeps the default float dtype). This is how
    ops treat their non-Variable arguments: `float32 * 2.0` stays float32.

    Args:
        x (Variable | array | number | list): a Variable, an array of any device, a number or a list.
        like (array | None): an array whose device and dtype a scalar `x` should take; None for NumPy's defaults.

    Examples:
        >>> import numpy as np
        >>> from autograd import Variable, as_variable
        >>> x = Variable(1.0)
        >>> as_variable(x) is x
        True
        >>> c = as_variable(2.0, like=np.ones(3, dtype=np.float32))
        >>> c.requires_grad, str(c.dtype)
        (False, 'float32')
    """
    if isinstance(x, Variable):
        return x
    if like is not None and is_host_scalar(x):
        x = x.item()  # a host number, as CuPy and array-api-strict treat NumPy scalars
    if config.on_arrays.get():  # a gradient formula that records no graph: its operands stay arrays
        return _scalar_array(x, like) if isinstance(x, (int, float, bool)) and like is not None else as_array(x)
    if isinstance(x, (int, float, bool)) and like is not None:
        return _wrap(_scalar_array(x, like), requires_grad=False)
    return Variable(x, requires_grad=False)


class Function:
    """An operation in the graph: the base class of every op. Subclasses define

    - [forward][autograd.variable.Function.forward]`(*arrays) -> array or tuple of arrays`, on raw arrays of
      one device, and
    - [backward][autograd.variable.Function.backward]`(*gys) -> gx or tuple of gxs`, on Variables, built from
      differentiable functions so that `backward(create_graph=True)` gives higher derivatives.

    Calling a Function checks that all inputs share a device, runs `forward` and, unless inside
    [no_grad][autograd.config.no_grad] or when every input is a constant, records itself as the creator of its
    outputs, keeping `self.inputs` (the input Variables) and `self.outputs` (weak references to the outputs:
    `self.outputs[0]()`). When every input is a constant, so are the outputs (`requires_grad=False`).
    Make a new Function object for each call (it keeps that call's inputs); hyperparameters go to its `__init__`.

    Examples:
        y = x³, with dy/dx = 3x² and d²y/dx² = 6x at x = 4:

        >>> from autograd import Function, Variable
        >>> class Cube(Function):
        ...     def forward(self, x):
        ...         return x ** 3
        ...     def backward(self, gy):
        ...         x = self.inputs[0]
        ...         return gy * 3 * x ** 2
        >>> x = Variable(4.0)
        >>> y = Cube()(x)
        >>> y.item()
        64.0
        >>> y.backward(create_graph=True)
        >>> gx = x.grad
        >>> gx.item()
        48.0
        >>> x.cleargrad()
        >>> gx.backward()
        >>> x.grad.item()
        24.0
    """

    generation = 0
    inputs = ()
    outputs = ()
    _ids = ()  # ids of the input arrays at the forward pass
    _versions = 0  # the sum of the inputs' versions then

    def __call__(self, *inputs):
        """Apply the op: run `forward` on the inputs' arrays and record the graph.

        Args:
            *inputs (Variable | array | number): Variables, arrays or numbers; numbers and host scalars take the
                device and dtype of the first array among the inputs, and non-Variables become constants.

        Returns:
            outputs (Variable | list[Variable]): a Variable, or a list of Variables when `forward` returns more
                than one array.

        Raises:
            DeviceError: the inputs are on different devices (the message names the op and the devices).
            ValueError: `forward` failed with a ValueError (a failed broadcast, say); the message names the op
                and the input shapes.
        """
        requires_grad, generation, versions, arrays = False, 0, 0, []
        for x in inputs:
            if not isinstance(x, Variable):
                operands = _operands(inputs)
                if config.on_arrays.get():  # in a gradient formula that records no graph
                    if not any(isinstance(v, Variable) for v in operands):
                        ys = self.forward(*operands)  # arrays in, arrays out: nothing to record
                        return list(ys) if type(ys) is tuple else ys
                    operands = [v if isinstance(v, Variable) else _wrap(v, False) for v in operands]
                return self(*operands)
            arrays.append(x.data)
            versions += x.version  # versions only grow: their sum changes when any of them does
            if x.requires_grad:
                requires_grad = True
                if x.generation > generation:
                    generation = x.generation
        if len(arrays) > 1 and not same_device(arrays):
            _raise_mixed_devices(self, arrays)
        try:
            ys = self.forward(*arrays)
        except ValueError as e:  # the array library's own message, such as a failed broadcast: name the op
            raise _naming_the_op(self, e, arrays) from None
        if config.anomaly.get():
            self.created_at = _user_line()
            _check_finite(self, "forward", ys if type(ys) is tuple else (ys,), "output")
        record = requires_grad and config.recording.get()
        if type(ys) is not tuple:  # one output: the common case, without the lists
            y = _wrap(ys, requires_grad)  # constants in, constants out
            if record:
                self.generation, self.inputs, self.outputs = generation, inputs, (weakref.ref(y),)
                self._ids = tuple(map(id, arrays))  # the input arrays backward must still find (ids: no memory)
                self._versions = versions
                y.creator, y.generation = self, generation + 1
            return y
        outputs = [_wrap(y, requires_grad) for y in ys]
        if record:
            self.generation, self.inputs, self._ids = generation, inputs, tuple(map(id, arrays))
            self._versions = versions
            self.outputs = tuple(weakref.ref(y) for y in outputs)
            for y in outputs:
                y.creator, y.generation = self, generation + 1
            self._output_meta = [(y.shape, y.dtype) for y in outputs]
        return outputs if len(outputs) > 1 else outputs[0]

    @property
    def xs(self):
        """The inputs, as a gradient formula takes them: their arrays when no graph of the backward pass is
        recorded, the input Variables under `create_graph=True`."""
        return tuple(x.data for x in self.inputs) if config.on_arrays.get() else self.inputs

    @property
    def ys(self):
        """The outputs, in the same form as [xs][autograd.variable.Function.xs] (None for a freed one)."""
        ys = [ref() for ref in self.outputs]
        return tuple(None if y is None else y.data for y in ys) if config.on_arrays.get() else tuple(ys)

    def _zeros_for_missing(self, gys):
        """Zeros in place of the gradients of outputs that were freed or not used."""
        device = device_of(self.inputs[0].data)
        return [g if g is not None else _wrap(device.xp.zeros(shape, dtype=dtype, device=device.where))
                for g, (shape, dtype) in zip(gys, self._output_meta)]

    def forward(self, *xs):
        """Compute the outputs from the inputs' raw arrays; subclasses define it.

        Write it against the array namespace of the inputs (`device_of(x).xp`, or operators), never against
        NumPy directly, so the op runs on every device. The arrays are all on one device; outputs must be
        arrays of that device.

        Args:
            *xs (array): the raw arrays of the inputs, one per input, in call order.

        Returns:
            ys (array | tuple[array, ...]): one array, or a tuple of arrays for an op with several outputs.
        """
        raise NotImplementedError

    def backward(self, *gys):
        """The gradients of the inputs from those of the outputs; subclasses define it.

        It receives one gradient per output (a Variable shaped like that output; for an op with several
        outputs, zeros for one that was freed or not used) and returns one gradient per input, with that
        input's shape, by the chain rule: `gx_i = Σ_j gy_j · ∂y_j/∂x_i`. Read the inputs as Variables from
        `self.inputs` and the outputs from `self.outputs[j]()`. Build the result from differentiable ops
        (operators and [autograd.function][autograd.function]), not from raw arrays, so that
        `backward(create_graph=True)` records it and higher derivatives come out. Return None for an input that
        needs no gradient (`self.inputs[i].requires_grad` is False, or an integer input such as labels). The
        backward pass casts each gradient to its input's dtype and raises RuntimeError when its shape differs
        from the input's.

        Args:
            *gys (Variable): the gradients of the outputs, Variables, one per output.

        Returns:
            gxs (Variable | array | None | tuple): one gradient (a Variable, an array or None), or a tuple of
                them, one per input.
        """
        raise NotImplementedError

    def __repr__(self):
        return f"{type(self).__name__}()"


def _operands(inputs):
    """Inputs as Variables: numbers and host scalars take the device and dtype of the first array among them."""
    like = next((x.data if isinstance(x, Variable) else x for x in inputs
                 if isinstance(x, Variable) or (is_array(x) and not is_host_scalar(x))), None)
    return [as_variable(x, like) for x in inputs]


def _raise_mixed_devices(func, arrays):
    listed = ", ".join(f"{device_of(a)} (input {i})" for i, a in enumerate(arrays))
    raise DeviceError(f"{type(func).__name__}: inputs are on different devices: {listed}; "
                      "move them explicitly with .to(device)")


class ToDevice(Function):
    """Copy to another device; the gradient is copied back to where the input was."""

    def __init__(self, device):
        self.device = device

    def forward(self, x):
        self.source = device_of(x)
        return self.device.put(x)

    def backward(self, gy):
        return ToDevice(self.source)(gy)


from autograd import function as _F  # noqa: E402  (the ops import this module; operators call them)
