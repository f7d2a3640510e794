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
import threading
import weakref
from functools import partial

from autograd import config
from autograd.backend import (CPU, DeviceError, as_array, device_of, dtype_in, dtype_name, get_device, host_str, is_array,
                              is_host_scalar, same_device, to_host)

__all__ = ["Variable", "Parameter", "Function", "as_variable", "grad"]


class Variable:
    """A value in the graph: `data` (an array of some device), `grad` (a Variable or None) and `creator`.

    Python numbers and lists become NumPy arrays with NumPy's default dtypes (`Variable(1.0)` is float64); an
    array is used as it is, not copied. Arrays and numbers handed to an op become constants (no gradient). The
    operators `+ - * / ** @`, unary `-` and `x[index]` are the ops of [autograd.function][autograd.function]; a NumPy
    or CuPy array on the left defers to the Variable. `<`, `<=`, `>`, `>=` give raw boolean arrays (masks for
    [F.where][autograd.function.where]); `==` stays identity, so Variables work in sets and dicts.

    Args:
        data (number | list | array | Variable): the value.
        name (str | None): a label, shown by `repr` and by [dot.graph][autograd.dot.graph].
        dtype (str | dtype | None): cast `data` to this dtype (`"float32"`, ...); None keeps it.
        device (str | Device | None): copy `data` to this device (`"cpu"`, `"sim"`, `"cuda:N"`); None leaves it.
        requires_grad (bool): False makes a constant.

    Attributes:
        generation: the depth in the graph (the backward pass runs deepest first).
        version: how many in-place updates `data` has had (an optimizer step raises it); a view (`x.T`, a reshape,
            a basic index) shares its base's count, so a graph recorded before an update of either refuses its
            backward pass.

    Raises:
        TypeError: `data` is None, a string, bytes, a dict or a set.
        DeviceError: `device` is unknown or not present on this machine.

    Examples:
        >>> from autograd import Variable, to_host
        >>> x = Variable([1.0, 2.0, 3.0])
        >>> y = (x * x).sum()
        >>> y.backward()
        >>> y.item(), to_host(x.grad).tolist()
        (14.0, [2.0, 4.0, 6.0])
    """

    __slots__ = ("data", "name", "grad", "creator", "generation", "requires_grad", "_version", "__weakref__")
    __array_priority__ = 200  # a NumPy or CuPy array on the left of an operator defers to the Variable
    __array_ufunc__ = None

    def __init__(self, data, name=None, *, dtype=None, device=None, requires_grad=True):
        base = data if isinstance(data, Variable) else None
        if base is not None:
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
        # the count of in-place writes to data, a one-element list: Variables holding one array (or views of it)
        # share it, so an update of one is seen by graphs recorded on any of them
        self._version = base._version if base is not None and base.data is data else [0]

    @property
    def version(self):
        """How many in-place updates `data` (or the array it is a view of) has had; whoever writes into `data` in
        place raises it (`p.version += 1`), and a graph recorded before refuses its backward pass."""
        return self._version[0]

    @version.setter
    def version(self, value):
        self._version[0] = value

    def __getstate__(self):
        """What `copy.deepcopy` and `pickle` keep: all of a leaf. A Variable made by an op refuses (as in PyTorch):
        its copy would hold a graph whose backward reaches nothing."""
        if self.creator is not None:
            raise RuntimeError(f"Variable: only Variables created by the user (graph leaves) can be copied or "
                               f"pickled; this one (shape {self.shape}) was made by {type(self.creator).__name__}, "
                               "and its graph would not come along: copy Variable(y.data), or call y.unchain() "
                               "first")
        return None, {name: getattr(self, name) for name in _STATE}

    # ---- array-like properties -------------------------------------------------------------------
    @property
    def shape(self):
        """The shape of `data`, a tuple of ints."""
        return tuple(self.data.shape)

    @property
    def ndim(self):
        """The number of axes of `data`."""
        return self.data.ndim

    @property
    def size(self):
        """The number of elements of `data`."""
        return math.prod(self.data.shape)

    @property
    def dtype(self):
        """The dtype of `data`, as its array library gives it."""
        return self.data.dtype

    @property
    def device(self):
        """The [Device][autograd.backend.Device] `data` lives on."""
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
        """The value of a one-element Variable as a Python number (on a GPU, this waits for the device).

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
        """Record `func` as the Function that made this Variable (`generation = func.generation + 1`); calling a
        Function does this for its outputs.
        """
        self.creator = func
        self.generation = func.generation + 1

    def cleargrad(self):
        """Forget the gradient (`grad = None`): gradients accumulate over `backward()` calls until cleared.

        Examples:
            >>> from autograd import Variable
            >>> x = Variable(2.0)
            >>> (x * 3).backward()
            >>> (x * 3).backward()
            >>> x.grad.item()
            6.0
        """
        self.grad = None

    def unchain(self):
        """Cut the link to the function that made this Variable (it becomes a leaf)."""
        self.creator = None

    def detach(self):
        """A new Variable on the same array, outside the graph: no creator, `requires_grad=False` (PyTorch's
        `detach`). The array is shared, not copied, and so is its version count, as a view's: an in-place update
        through either is seen by graphs recorded on the other.

        Examples:
            >>> from autograd import Variable
            >>> x = Variable([1.0, 2.0])
            >>> y = (x * 2).detach()
            >>> y.creator, y.requires_grad
            (None, False)
        """
        v = _wrap(self.data, requires_grad=False)
        v._version = self._version
        return v

    def unchain_backward(self):
        """Cut every link behind this Variable, so the graph can be freed (truncated backpropagation through time
        calls it on the loss after each window).
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

    def backward(self, gradient=None, retain_grad=False, create_graph=False):
        """Accumulate d(self)/dx into `x.grad` for every Variable x behind `self` that requires a gradient.

        The gradient is seeded with `gradient`, or with ones shaped like `self` (so a non-scalar `self` acts as
        `self.sum()`); Functions run in reverse order of generation, iteratively (graphs of any depth work). A
        gradient keeps its input's dtype. A pass that raises (an error or KeyboardInterrupt in a gradient formula)
        puts every gradient back as it was before it, so a retry gives what one clean pass would. Passes in
        several threads may accumulate into the same leaves.

        Args:
            gradient (array | Variable | number | None): the seed, d(loss)/d(self) for some loss: the shape of
                `self`, on its device; cast to its dtype. None seeds ones.
            retain_grad (bool): keep the gradients of intermediate Variables too, not only of leaves.
            create_graph (bool): record the backward pass itself, so `x.grad.backward()` gives second (and higher)
                derivatives.

        Raises:
            TypeError: `self`, or an input that needs a gradient, holds integer or boolean data; `gradient` is a
                bool or not a number, array or Variable.
            ValueError: `gradient` has another shape than `self`.
            DeviceError: `gradient` is on another device than `self`.
            RuntimeError: an input of the graph was given new data or updated in place after the forward pass.

        Examples:
            y = x⁴ - 2x² at x = 2: dy/dx = 4x³ - 4x = 24, d²y/dx² = 12x² - 4 = 44.

            >>> from autograd import Variable
            >>> x = Variable(2.0)
            >>> (x ** 4 - 2 * x ** 2).backward(create_graph=True)
            >>> gx = x.grad
            >>> x.cleargrad()
            >>> gx.backward()
            >>> gx.item(), x.grad.item()
            (24.0, 44.0)
        """
        if not _is_floating(self.data):
            raise TypeError(f"backward: this Variable holds {dtype_name(self.dtype)} data; gradients need "
                            "floating-point data (cast it with F.astype first)")
        before = self.grad
        if gradient is not None:
            seed = _seed(self, gradient)
        elif self.grad is not None:  # a seed set by hand (DeZero's idiom)
            seed, self.grad = self.grad, None
        else:
            seed = _wrap(self.xp.ones_like(self.data))
        if self.creator is None:  # a leaf: the seed is its gradient, added to what it had
            with _grad_lock:
                self.grad = seed if self.grad is None else _wrap(self.grad.data + seed.data)
            return
        log = [(self, before)]  # (Variable, its gradient before the pass), for each one the pass sets
        keep = retain_grad and partial(_add_grad, create_graph=create_graph, log=log)
        creator, leaves = self.creator, {}
        recording = config.recording.set(create_graph)  # not context managers: this runs every step
        on_arrays = config.on_arrays.set(not create_graph)
        try:
            _backprop([(-creator.generation, 0, creator)], {creator}, {self: seed if create_graph else seed.data},
                      leaves, create_graph, keep)
            with _grad_lock:  # once per pass: another thread's pass may be adding into the same leaves
                for x, g in leaves.items():
                    _add_grad(x, g, create_graph, log)
        except BaseException:
            for v, g in reversed(log):  # the earliest value of each is put back last
                v.grad = g
            raise
        finally:
            config.on_arrays.reset(on_arrays)
            config.recording.reset(recording)

    # ---- moving between devices ------------------------------------------------------------------
    def to(self, device):
        """This Variable on `device` (itself if already there): an op, whose gradient is copied back.

        Examples:
            >>> from autograd import Variable
            >>> x = Variable([1.0, 2.0])
            >>> x.to("cpu") is x, x.to("sim").device.name
            (True, 'sim')
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
        """All axes reversed, as NumPy's `.T` ([F.transpose][autograd.function.transpose])."""
        return _F.transpose(self)

    @property
    def mT(self):
        """The last two axes swapped ([F.matrix_transpose][autograd.function.matrix_transpose])."""
        return _F.matrix_transpose(self)

    def reshape(self, *shape):
        """[F.reshape][autograd.function.reshape]; the shape as separate ints or one tuple (`x.reshape(3, 2)`)."""
        if len(shape) == 1 and isinstance(shape[0], (tuple, list)):
            shape = shape[0]
        return _F.reshape(self, tuple(shape))

    def transpose(self, *axes):
        """[F.transpose][autograd.function.transpose]; the axes as separate ints or one tuple, none reverses them."""
        if len(axes) == 1 and isinstance(axes[0], (tuple, list)):
            axes = axes[0]
        return _F.transpose(self, tuple(axes) if axes else None)

    def sum(self, axis=None, keepdims=False):
        """[F.sum][autograd.function.sum] over `axis`."""
        return _F.sum(self, axis=axis, keepdims=keepdims)

    def mean(self, axis=None, keepdims=False):
        """[F.mean][autograd.function.mean] over `axis`."""
        return _F.mean(self, axis=axis, keepdims=keepdims)

    # ---- the methods of NumPy's and PyTorch's arrays, each a call of its op ----------------------------------
    def exp(self):
        """[F.exp][autograd.function.exp], `e^x`."""
        return _F.exp(self)

    def log(self):
        """[F.log][autograd.function.log], `ln x`."""
        return _F.log(self)

    def abs(self):
        """[F.abs][autograd.function.abs], `|x|`; also the builtin `abs(x)`."""
        return _F.abs(self)

    __abs__ = abs

    def sqrt(self):
        """[F.sqrt][autograd.function.sqrt], `√x`."""
        return _F.sqrt(self)

    def max(self, axis=None, keepdims=False):
        """[F.max][autograd.function.max] over `axis`: the largest values only, as NumPy's `a.max(axis)` (PyTorch's
        `x.max(dim)` also returns their indices: take `x.argmax(axis)`)."""
        return _F.max(self, axis=axis, keepdims=keepdims)

    def min(self, axis=None, keepdims=False):
        """[F.min][autograd.function.min] over `axis`: the smallest values only, as NumPy's `a.min(axis)`."""
        return _F.min(self, axis=axis, keepdims=keepdims)

    def var(self, axis=None, keepdims=False, ddof=0):
        """[F.variance][autograd.function.variance] over `axis`, `Σ (x - mean)² / (n - ddof)`: NumPy's `a.var`,
        whose default `ddof=0` is the population variance (PyTorch's `x.var()` defaults to the unbiased estimate,
        `ddof=1`, which it calls `correction=1`)."""
        return _F.variance(self, axis=axis, keepdims=keepdims, ddof=ddof)

    def std(self, axis=None, keepdims=False, ddof=0):
        """`F.std` over `axis`, `√var`, with NumPy's default `ddof=0` (PyTorch's: 1), as
        [var][autograd.variable.Variable.var]."""
        return _F.std(self, axis=axis, keepdims=keepdims, ddof=ddof)

    def argmax(self, axis=None, keepdims=False):
        """`F.argmax` over `axis` (None: of the flattened array), an integer constant."""
        return _F.argmax(self, axis=axis, keepdims=keepdims)

    def argmin(self, axis=None, keepdims=False):
        """`F.argmin` over `axis` (None: of the flattened array), an integer constant."""
        return _F.argmin(self, axis=axis, keepdims=keepdims)

    def clip(self, min=None, max=None):  # noqa: A002  (NumPy's and PyTorch's names: x.clip(min=0))
        """[F.clip][autograd.function.clip] to [min, max], either None for no bound (NumPy's `a.clip` and
        PyTorch's `x.clip`, argument names included)."""
        return _F.clip(self, min, max)


_STATE = ("data", "name", "grad", "creator", "generation", "requires_grad", "_version")  # the slots a copy takes


def _wrap(data, requires_grad=True):
    """A Variable around an array an op produced, without the checks of ``Variable.__init__``."""
    v = _new(Variable)
    v.data = as_array(data)  # NumPy reductions give scalars; keep arrays everywhere
    v.name = v.grad = v.creator = None
    v.generation = 0
    v.requires_grad = requires_grad
    v._version = [0]
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


def _seed(y, gradient, what="backward: gradient"):
    """`gradient` as the seed of `y.backward(gradient)` (or of grad's `grad_outputs`, `what` names it in errors):
    a Variable of y's shape, device and dtype."""
    if isinstance(gradient, bool) or not (isinstance(gradient, (Variable, int, float)) or is_array(gradient)):
        hint = ("; retain_grad and create_graph are keywords: backward(retain_grad=True)"
                if what.startswith("backward") else "")
        raise TypeError(f"{what} must be an array, a Variable or a number shaped like the Variable "
                        f"(shape {y.shape}), got {type(gradient).__name__}{hint}")
    if isinstance(gradient, (int, float)):
        g = _scalar_array(float(gradient), y.data)
    else:
        g = gradient.data if isinstance(gradient, Variable) else as_array(gradient)
        if not same_device([g, y.data]):
            raise DeviceError(f"{what} is on {device_of(g)}, the Variable on {y.device}; move it "
                              "with .to(device)")
    if tuple(g.shape) != y.shape:
        raise ValueError(f"{what} has shape {tuple(g.shape)}, the Variable shape {y.shape}; they must "
                         "be the same")
    if g.dtype != y.dtype:
        g = device_of(g).xp.astype(g, y.dtype)
    elif isinstance(gradient, Variable):
        return gradient  # as it is: under create_graph its own graph is kept
    return _wrap(g)


_grad_lock = threading.Lock()  # held while a pass adds into its leaves' gradients


def _backprop(heap, seen, pending, leaves, create_graph, keep=False):
    """The loop of `Variable.backward` and [grad][autograd.variable.grad]: pop the function of highest
    generation, run its backward, accumulate the input gradients, and push their creators.

    `heap` holds the functions to start from, as `(-generation, tie-breaker, function)`, and `seen` them and
    any function never to run (grad skips those that lead to none of its inputs). `pending` maps Variables made
    by ops to their seeds; the gradients of this pass flow in it (raw arrays, or Variables under
    create_graph), apart from the `grad` that Variables keep, and those that reach leaves are added up in
    `leaves`. The caller decides what becomes of them (backward adds them into their `grad`, grad returns
    them), so a pass that fails has changed no `grad`. When its creator runs, an intermediate's gradient is
    complete: it goes to `keep(y, g)` if given (retain_grad; grad collecting an intermediate input)."""
    count = len(heap)
    anomaly = config.anomaly.get()
    while heap:
        f = heapq.heappop(heap)[2]
        if len(f.outputs) == 1:  # the common case, without the lists
            y = f.outputs[0]()
            if y is None:
                continue
            g = pending.pop(y, None)  # complete now: every op that used y has run
            if g is None:
                continue
            if keep:
                keep(y, g)
            ys = (y,)  # held until this step ends, for backwards that read it
            f.ys, gys = ys if create_graph else (y.data,), (g,)
        else:
            ys = [ref() for ref in f.outputs]
            gys = [None if y is None else pending.pop(y, None) for y in ys]
            missing = sum(g is None for g in gys)  # not count(None): arrays compare elementwise
            if missing == len(gys):
                continue
            if keep:
                for y, g in zip(ys, gys):
                    if g is not None:
                        keep(y, g)
            if missing:
                gys = f._zeros_for_missing(gys, create_graph)
            f.ys = tuple(ys) if create_graph else tuple(None if y is None else y.data for y in ys)
        versions, xs = 0, []
        for x, array in zip(f.inputs, f._arrays):
            versions += x._version[0]
            xs.append(x.data)
            if x.data is not array:
                raise RuntimeError(f"backward: an input of {type(f).__name__} (shape {x.shape}) was given new data "
                                   "after the forward pass (an optimizer update, load_state_dict, to(), or "
                                   "x.data = ...); its gradient would be computed with the new values. Run the "
                                   "forward pass again")
        if versions != f._versions:
            raise RuntimeError(f"backward: an input of {type(f).__name__} was updated in place (by an optimizer "
                               "step) after the forward pass, or the array it is a view of was; its gradient "
                               "would be computed with the new values. Run the forward pass again")
        f.xs = f.inputs if create_graph else xs
        try:
            gxs = f.backward(*gys)
        except FloatingPointError as e:
            if not anomaly:
                raise
            raise FloatingPointError(f"{e}, in the backward pass of {type(f).__name__} made at "
                                     f"{getattr(f, 'created_at', 'an unknown place')}") from None
        finally:  # f must not hold its outputs: Variables would make a cycle, arrays raise the peak memory
            f.xs = f.ys = ()
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
                if gx.data.shape != data.shape:
                    _raise_grad_shape(f, x, gx)
            else:
                if isinstance(gx, Variable):  # a user's formula on Variables
                    gx = gx.data
                if gx.dtype != data.dtype:
                    _check_floating_input(f, x)
                    gx = device_of(gx).xp.astype(gx, data.dtype)
                if gx.shape != data.shape:
                    _raise_grad_shape(f, x, gx)
            # new arrays (or Variables), not written in place: a gradient may be shared
            g = x.creator
            so_far_of = pending if g is not None else leaves
            so_far = so_far_of.get(x)
            so_far_of[x] = gx if so_far is None else so_far + gx
            if g is not None and g not in seen:
                seen.add(g)
                heapq.heappush(heap, (-g.generation, count, g))
                count += 1


def _add_grad(y, g, create_graph, log):
    """Add this pass's gradient `g` of `y` (a leaf, or an intermediate under retain_grad) into `y.grad`, logging
    its old value; new arrays (or Variables), not written in place: a gradient may be shared."""
    log.append((y, y.grad))
    if create_graph:
        y.grad = g if y.grad is None else y.grad + g
    else:
        y.grad = _wrap(g) if y.grad is None else _wrap(y.grad.data + g)


def _check_floating_input(f, x):
    if not _is_floating(x.data):
        raise TypeError(f"backward: {type(f).__name__} has an input of {dtype_name(x.dtype)} data "
                        f"(shape {x.shape}) that needs a gradient; only floating-point data can have "
                        "one: make it a constant (requires_grad=False) or cast it with F.astype")


def _raise_grad_shape(f, x, gx):
    raise RuntimeError(f"{type(f).__name__}.backward gave a gradient of shape {tuple(gx.shape)} "
                        f"for an input of shape {x.shape}")


def grad(outputs, inputs, grad_outputs=None, retain_graph=None, create_graph=False, allow_unused=None,
         materialize_grads=False):
    """The gradients of `outputs` with respect to `inputs` alone, PyTorch's `torch.autograd.grad`: no `grad`
    of any Variable is read or written.

    For each input `x_i` it returns `Σ_k grad_outputs_k · ∂outputs_k/∂x_i`, by the same backward pass as
    [Variable.backward][autograd.variable.Variable.backward], which runs only the functions that lead to an
    input. Inputs may be intermediate Variables (made by ops), not only leaves. With `create_graph=True` the
    gradients are recorded, so they can be differentiated again: a gradient penalty, a Hessian-vector product.

    Args:
        outputs (Variable | sequence of Variable): what to differentiate (floating-point).
        inputs (Variable | sequence of Variable): with respect to what; each must require a gradient.
        grad_outputs (array | Variable | number | sequence | None): the seed of each output, shaped like it
            (None, or a None in the sequence, seeds ones: unlike PyTorch, a non-scalar output then acts as its
            sum, as in `backward()`).
        retain_graph (bool | None): accepted for PyTorch's programs; a pass never frees the graph here.
        create_graph (bool): record the backward pass, so the results have a graph of their own.
        allow_unused (bool | None): give None for an input the outputs do not depend on, instead of raising;
            None means the value of `materialize_grads`.
        materialize_grads (bool): give zeros instead of None for such an input.

    Returns:
        tuple of (Variable | None): one gradient per input, shaped and typed like it, on its device; a constant
            (requires_grad=False) unless `create_graph`.

    Raises:
        ValueError: an input does not require a gradient, or the outputs do not depend on it (without
            `allow_unused`); an output does not require a gradient; `grad_outputs` has another length than
            `outputs`, or a seed another shape than its output.
        TypeError: an output or input is not a Variable, or holds integer data; a seed is not a number, array or
            Variable.
        DeviceError: a seed is on another device than its output.
        RuntimeError: an input of the graph was updated in place after the forward pass.

    Examples:
        y = x³ at x = 2: dy/dx = 3x² = 12 and, differentiating that again, d²y/dx² = 6x = 12; `x.grad` stays None.

        >>> from autograd import Variable, grad
        >>> x = Variable(2.0)
        >>> (g,) = grad(x ** 3, x, create_graph=True)
        >>> (h,) = grad(g, x)
        >>> g.item(), h.item(), x.grad
        (12.0, 12.0, None)
    """
    outputs, inputs = _variables("outputs", outputs), _variables("inputs", inputs)
    if allow_unused is None:
        allow_unused = materialize_grads
    elif materialize_grads and not allow_unused:
        raise ValueError("grad: materialize_grads=True gives zeros for unused inputs; allow_unused=False "
                         "contradicts it")
    if grad_outputs is None:
        grad_outputs = [None] * len(outputs)
    elif isinstance(grad_outputs, (Variable, int, float)) or is_array(grad_outputs):
        grad_outputs = [grad_outputs]
    grad_outputs = list(grad_outputs)
    if len(grad_outputs) != len(outputs):
        raise ValueError(f"grad: grad_outputs has {len(grad_outputs)} entries for {len(outputs)} outputs")
    targets = dict.fromkeys(inputs)
    for i, x in enumerate(inputs):
        if not x.requires_grad:
            raise ValueError(f"grad: inputs[{i}] (shape {x.shape}) does not require a gradient "
                             "(requires_grad=False)")
    pending, leaves = {}, {}  # the seeds: of outputs made by ops, of leaves among the outputs
    for i, (y, g) in enumerate(zip(outputs, grad_outputs)):
        if not _is_floating(y.data):
            raise TypeError(f"grad: outputs[{i}] holds {dtype_name(y.dtype)} data; gradients need floating-point "
                            "data (cast it with F.astype first)")
        if not y.requires_grad:
            raise ValueError(f"grad: outputs[{i}] (shape {y.shape}) does not require a gradient: it was computed "
                             "from constants only, or under no_grad")
        seed = _wrap(y.xp.ones_like(y.data)) if g is None else _seed(y, g, f"grad: grad_outputs[{i}]")
        seed = seed if create_graph else seed.data
        into = leaves if y.creator is None else pending
        into[y] = seed if y not in into else into[y] + seed
    seen = _leading_nowhere([y.creator for y in pending], targets)
    heap = []
    for y in pending:
        f = y.creator
        if f not in seen:
            seen.add(f)
            heap.append((-f.generation, len(heap), f))
    heapq.heapify(heap)
    found = {}  # intermediate inputs whose creators ran -> their gradients

    def keep(y, g):
        if y in targets:
            found[y] = g

    recording = config.recording.set(create_graph)
    on_arrays = config.on_arrays.set(not create_graph)
    try:
        _backprop(heap, seen, pending, leaves, create_graph, keep)
    finally:
        config.on_arrays.reset(on_arrays)
        config.recording.reset(recording)
    results = []
    for i, x in enumerate(inputs):
        g = found[x] if x in found else pending[x] if x in pending else leaves.get(x)
        if g is None:
            if not allow_unused:
                raise ValueError(f"grad: inputs[{i}] (shape {x.shape}) is not used to compute the outputs; "
                                 "pass allow_unused=True to get None for it (or materialize_grads=True for zeros)")
            if materialize_grads:
                g = _wrap(x.xp.zeros_like(x.data), requires_grad=False)
        elif not isinstance(g, Variable):
            g = _wrap(g, requires_grad=False)
        results.append(g)
    return tuple(results)


def _variables(what, values):
    """`values` (a Variable or a sequence of them) as a list of Variables, for grad's `what`."""
    values = [values] if isinstance(values, Variable) else values
    if not isinstance(values, (list, tuple)) or not values:
        raise TypeError(f"grad: {what} must be a Variable or a non-empty sequence of Variables, got "
                        f"{type(values).__name__}")
    for i, v in enumerate(values):
        if not isinstance(v, Variable):
            raise TypeError(f"grad: {what}[{i}] must be a Variable, got {type(v).__name__}")
    return list(values)


def _leading_nowhere(starts, targets):
    """The functions behind `starts` from which no Variable of `targets` can be reached, found by an iterative
    depth-first walk (graphs of any depth): grad need not run them."""
    leads = {}  # function -> whether a target lies behind it
    stack = list(starts)
    while stack:
        f = stack[-1]
        if f in leads:
            stack.pop()
            continue
        later = [x.creator for x in f.inputs if x.creator is not None and x.creator not in leads]
        if later:  # decide those first, then come back to f
            stack.extend(later)
            continue
        stack.pop()
        leads[f] = any(x in targets or (x.creator is not None and leads[x.creator]) for x in f.inputs)
    return {f for f, yes in leads.items() if not yes}


class Parameter(Variable):
    """A Variable an optimizer updates; numbers and lists default to float32.

    Its data is copied, so the parameter owns it: optimizers update it in place, and the array it was made from
    never changes with it. A [Layer][autograd.layer.Layer] finds the parameters among its attributes.

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
        self._version = [0]  # its own array, its own count


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
    """`x` itself if a Variable; an array or a number becomes a constant Variable (no gradient).

    Next to an array `like`, a Python or NumPy scalar takes `like`'s device and dtype, unless that would lose
    information (a float next to an integer array keeps the default float dtype): `float32 * 2.0` stays float32.
    Inside a backward pass that records no graph it gives arrays instead, the operands of a gradient formula there.

    Examples:
        >>> import numpy as np
        >>> from autograd import as_variable
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
    """An operation in the graph, the base class of every op. A subclass defines `forward` on arrays and
    `backward`, the gradient formula; hyperparameters go to its `__init__`.

    Calling a Function checks that its inputs share a device, runs `forward` and, unless inside
    [no_grad][autograd.config.no_grad] or when every input is a constant, records itself as the creator of its
    outputs: `self.inputs` (the input Variables) and `self.outputs` (weak references to the outputs). Make a new
    Function object for each call.

    Examples:
        y = x³, with dy/dx = 3x² and d²y/dx² = 6x at x = 4:

        >>> from autograd import Function, Variable
        >>> class Cube(Function):
        ...     def forward(self, x):
        ...         return x ** 3
        ...     def backward(self, gy):
        ...         (x,) = self.xs
        ...         return gy * 3 * x ** 2
        >>> x = Variable(4.0)
        >>> Cube()(x).backward(create_graph=True)
        >>> gx = x.grad
        >>> x.cleargrad()
        >>> gx.backward()
        >>> gx.item(), x.grad.item()
        (48.0, 24.0)
    """

    generation = 0
    inputs = ()
    outputs = ()
    xs = ys = ()  # the operands of the gradient formula, set by the backward pass (see backward)
    _arrays = ()  # the input arrays at the forward pass (alive anyway, through inputs, unless replaced since)
    _versions = 0  # the sum of the inputs' versions then
    _view = False  # True for ops whose output may be a view of their input: it shares the input's version

    def __call__(self, *inputs):
        """Apply the op: `forward` on the inputs' arrays, and the graph recorded.

        Numbers and NumPy scalars among the inputs take the device and dtype of the first array; non-Variables become
        constants. Returns a Variable, or a list of Variables when `forward` returns a tuple.

        Raises:
            DeviceError: the inputs are on different devices.
            ValueError: `forward` raised one (a failed broadcast, say); the message names the op and the shapes.
        """
        requires_grad, generation, versions, arrays = False, 0, 0, []
        for x in inputs:
            if not isinstance(x, Variable):
                return self._apply_to_constants(inputs)
            arrays.append(x.data)
            versions += x._version[0]  # versions only grow: their sum changes when any of them does
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
            if self._view:  # recorded or not: a view taken under no_grad must see its base's updates too
                y._version = inputs[0]._version
            if record:
                self.generation, self.inputs, self.outputs = generation, inputs, (weakref.ref(y),)
                self._arrays, self._versions = arrays, versions  # what backward must still find
                y.creator, y.generation = self, generation + 1
            return y
        outputs = [_wrap(y, requires_grad) for y in ys]
        if record:
            self.generation, self.inputs, self._arrays, self._versions = generation, inputs, arrays, versions
            self.outputs = tuple(weakref.ref(y) for y in outputs)
            for y in outputs:
                y.creator, y.generation = self, generation + 1
            self._output_meta = [(y.shape, y.dtype) for y in outputs]
        return outputs if len(outputs) > 1 else outputs[0]

    def _apply_to_constants(self, inputs):
        """Some inputs are not Variables. In a gradient formula that records no graph, raw arrays in give raw
        arrays out (nothing to record); otherwise they become constant Variables."""
        if config.on_arrays.get():
            if len(inputs) == 1 and type(inputs[0]) not in (int, float, bool, list, tuple):
                return self.forward(inputs[0])  # the usual case: one array
            operands = _operands(inputs)
            if not any(isinstance(v, Variable) for v in operands):
                ys = self.forward(*operands)
                return list(ys) if type(ys) is tuple else ys
            return self(*[v if isinstance(v, Variable) else _wrap(v, False) for v in operands])
        return self(*_operands(inputs))

    def _zeros_for_missing(self, gys, as_variables):
        """Zeros in place of the gradients of outputs that were freed or not used."""
        device = device_of(self.inputs[0].data)
        zeros = [device.xp.zeros(shape, dtype=dtype, device=device.where) for shape, dtype in self._output_meta]
        return [g if g is not None else _wrap(z) if as_variables else z for g, z in zip(gys, zeros)]

    def forward(self, *xs):
        """The outputs from the inputs' raw arrays (one device): an array, or a tuple of arrays. Written against the
        inputs' namespace (`device_of(x).xp`, or operators), never NumPy directly, so it runs on every device.
        """
        raise NotImplementedError

    def backward(self, *gys):
        """The gradient formula: one gradient per input from one per output, `gx_i = Σ_j gy_j · ∂y_j/∂x_i`.

        Written once, with operators and [F][autograd.function] ops, on the operands the backward pass hands it:
        `gys` and, set just before the call, `self.xs` (the inputs) and `self.ys` (the outputs). They are raw
        arrays in a backward pass that records no graph (plain array arithmetic), Variables under
        `backward(create_graph=True)` (the formula records its own graph, so higher derivatives come out). `self.inputs` gives shapes, `requires_grad` and the raw data of
        constants (masks, labels). An output that was freed or not used gets zeros. Return None for an input that
        needs no gradient; each gradient is cast to its input's dtype, and one of the wrong shape raises RuntimeError.
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
