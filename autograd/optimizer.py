"""Optimizers: update parameters from their gradients, after applying the gradient hooks.

Every optimizer takes `params` first, then its hyperparameters, then `hooks`. The parameters come either at
construction, `opt = Adam(mlp)` then `opt.update()` (PyTorch's habit), or at each step, `opt = Adam()` then
`opt.update(mlp)` (the seed's), with the same steps. A bound Layer is asked for its parameters at each step (so
lazy weights are trained too); a bound list is fixed. A number in first place is the first hyperparameter
(`SGD(0.1)`). A hyperparameter that is not a real number raises TypeError, one out of range ValueError,
at construction and at every later assignment (`opt.learning_rate = -1.0`) alike.
An update applies the `hooks` in order (see [autograd.hook][]), then updates each parameter with a gradient.

**Parameter groups**, as PyTorch: `params` may be a list of dicts, `AdamW([{"params": decay, "weight_decay":
0.1}, {"params": rest, "weight_decay": 0.0}], alpha=3e-4)`. A group's dict may set any hyperparameter of the
optimizer; the others are the constructor's (`opt.defaults`). `opt.param_groups` is the list of groups, each a
dict of "params" (a list of Parameters, or a Layer asked at each step) and every hyperparameter, checked as it is
set (`opt.param_groups[0]["alpha"] = -1.0` is a ValueError) and used from the next update on. Every group also
holds PyTorch's key "lr", one value with the optimizer's own name of its learning rate (`lr_name`: SGD's
`learning_rate`, Adam's `alpha`): setting either sets both; `lr=` is accepted by the constructors too. A
parameter in two groups is a ValueError; `add_param_group(dict)` adds one. The hooks see the parameters of every
group at once, before any update. An optimizer given its parameters at each update (`opt.update(model)`) has one
group whose "params" is None. Assigning the attribute, `opt.alpha = 1e-3`, sets it in every group and in
`defaults` (as in a one-group optimizer); reading it gives the groups' value, or AttributeError if they differ.
While a group's parameters are updated, the attributes are that group's values, so a rule reads `self.alpha`.

**In place, into its own arrays.** An update writes into `p.data` only if that is the array it left there at its
last update of `p`; otherwise (a first update, or `p.data` replaced by a load, a move or by hand) it copies it
first. An array you handed in is never written into; `p.data` read between steps is the live array. Each
update raises `p.version`, so a graph recorded before it refuses its backward pass.

**float16.** A float16 (or bfloat16) parameter keeps float32 state and a float32 **master copy** of itself (the
state's "master"), which the update changes, in float32; its data is the master rounded into its dtype (PyTorch's
mixed-precision practice: updates far below float16's resolution still add up, and in float16 eps = 1e-8 is 0).
Where the data no longer is the rounded master (loaded or assigned), the master is taken from the data anew,
element by element, at the next update. Its gradient may be float16 or float32 (what
[LossScaler][autograd.hook.LossScaler] leaves).

**State.** `opt.state` maps each parameter (weakly) to its slots (arrays made at its first update, on its
device, moved with it) and counters (ints). `state_dict()` saves them with the optimizer's kind (its class name),
which `load_state_dict` checks (Momentum state is refused by RMSprop; a state saved without a kind is taken as
this kind's); hyperparameters (the groups' too) and hooks are not saved ([checkpoint.save][autograd.checkpoint.save]
saves a hook's own state_dict): a [scheduler][autograd.scheduler] puts its learning rates back when its own
state is loaded. An optimizer pickles and deep-copies whole (hooks and
state); copied together with its model, `pickle.dumps((model, opt))`, its state is keyed by the copy's parameters.
"""
import functools
import math
import numbers
import weakref

from autograd._checks import Hyperparameters, number
from autograd.backend import CPU, DeviceError, device_of, dtype_name, to_host
from autograd.config import no_grad
from autograd.variable import Variable

__all__ = ["Optimizer", "ParamGroup", "SGD", "Momentum", "AdaGrad", "RMSprop", "Adam", "AdamW"]


class Optimizer(Hyperparameters):
    """Base class of the optimizers. A subclass defines [update_one][autograd.optimizer.Optimizer.update_one]
    and names its per-parameter state in `slots` (arrays shaped like the parameter, zeros at first) and
    `counters` (ints, 0 at first).

    Args:
        hooks (list[Callable] | None): callables `hook(params) -> None`, applied in order before each update;
            kept, changeable, as `hooks`. `iteration` counts the updates.
        params (Layer | Iterable[Parameter] | None): what to update (TypeError if neither, ValueError if empty);
            None to pass it to each `update`.

    Examples:
        >>> from autograd import Parameter, Variable, to_host
        >>> from autograd.optimizer import Optimizer
        >>> class SignSGD(Optimizer):                    # param <- param - 0.25 * sign(grad)
        ...     def update_one(self, param):
        ...         param.data -= 0.25 * param.xp.sign(param.grad.data)
        >>> p = Parameter([1.0, 1.0])
        >>> p.grad = Variable([-3.0, 0.5], dtype="float32")
        >>> SignSGD(params=[p]).update()
        >>> to_host(p).tolist()
        [1.25, 0.75]
    """

    slots = ()
    counters = ()
    lr_name = None  # the name of the learning rate among `hyperparameters`, which a group's "lr" stands for

    def __init__(self, hooks=None, params=None):
        object.__setattr__(self, "defaults", {})  # before any hyperparameter is set
        self.hooks = list(hooks or [])
        self.state = weakref.WeakKeyDictionary()
        self.iteration = 0
        self._unbound = params is None
        self.param_groups = []
        for group in _group_dicts(params, type(self).__name__):
            self.add_param_group(group)
        if not self._unbound and not any(hasattr(g["params"], "named_params") or g["params"]
                                         for g in self.param_groups):
            raise ValueError(f"{type(self).__name__}: no Parameters (bind a lazy model itself, not its params())")
        self._last = None  # a weak reference to the Layer last updated or loaded: it names the state
        self._pending = None  # a state_dict loaded before any model was known, applied at the first update
        self._owned = weakref.WeakKeyDictionary()  # parameter -> the array this optimizer left in its data

    def __setattr__(self, name, value):
        """A hyperparameter's first assignment (the constructor's) is its default, for every group that does not
        set it; a later one sets it in `defaults` and in every group. Each is checked first."""
        bounds = self.hyperparameters.get(name)
        if bounds is None:
            return object.__setattr__(self, name, value)
        value = number(f"{type(self).__name__}: {name}", value, **bounds)
        first = name not in self.defaults
        self.defaults[name] = value
        for group in self.param_groups:
            if not first or name not in group:
                group[name] = value

    def __getattr__(self, name):
        """A hyperparameter read between updates: the value every group has (AttributeError if they differ)."""
        groups = self.__dict__.get("param_groups")
        if groups is None or name not in type(self).hyperparameters:
            raise AttributeError(f"{type(self).__name__!r} object has no attribute {name!r}")
        values = [group.get(name, self.defaults.get(name)) for group in groups]
        if any(value != values[0] for value in values):
            raise AttributeError(f"{type(self).__name__}.{name}: the parameter groups differ ({values}); read "
                                 f"opt.param_groups[i][{name!r}]")
        return values[0]

    def add_param_group(self, param_group):
        """Add a group, as PyTorch: a dict of "params" (a Parameter, a list of them, or a Layer) and any of the
        hyperparameters (the others from `defaults`), checked, refused (ValueError) if it shares a parameter with
        another group or holds a key that is none of them, "lr", "name" or "initial_lr" (PyTorch keeps such a key
        and ignores it: a misspelled `"weight_dacay"`, or `"weight_decay"` for Adam, would change nothing).

        Examples:
            >>> from autograd import Parameter, optimizer
            >>> p, q = Parameter([1.0]), Parameter([2.0])
            >>> opt = optimizer.SGD([p], learning_rate=0.1)
            >>> opt.add_param_group({"params": [q], "lr": 0.01})
            >>> [(g["learning_rate"], g["lr"]) for g in opt.param_groups]
            [(0.1, 0.1), (0.01, 0.01)]
        """
        kind = type(self).__name__
        if not isinstance(param_group, dict):
            raise TypeError(f"{kind}.add_param_group: expected a dict with 'params', got "
                            f"{type(param_group).__name__}")
        if "params" not in param_group:
            raise ValueError(f"{kind}.add_param_group: a parameter group needs 'params'; got the keys "
                             f"{sorted(param_group)}")
        for key in param_group:  # a misspelled or foreign hyperparameter would otherwise be kept and never used
            if key not in self.hyperparameters and key not in _GROUP_KEYS:
                raise ValueError(f"{kind}.add_param_group: {key!r} is no hyperparameter of {kind}; a group takes "
                                 f"'params', 'lr' and {sorted(self.hyperparameters)} (and 'name', 'initial_lr')")
        if self.param_groups and self._unbound:
            raise ValueError(f"{kind}.add_param_group: an optimizer given its parameters at each update has one "
                             "group; pass the groups at construction")
        group = ParamGroup(type(self), {**self.defaults, **param_group})
        ids = {id(p) for p in _resolved(group["params"])}
        for i, other in enumerate(self.param_groups):
            if any(id(p) in ids for p in _resolved(other["params"])):
                raise ValueError(f"{kind}.add_param_group: some parameters are in parameter group {i} already; "
                                 "a parameter belongs to one group")
        self.param_groups.append(group)

    def __getstate__(self):
        """What `pickle` and `copy.deepcopy` keep: the weakly keyed `state` as a plain list of (parameter, slots)
        pairs and the last Layer as itself. A parameter copied in the same call (`pickle.dumps((model, opt))`)
        stays one object, so the copy's state is keyed by the copy's parameters. The arrays last left in the
        parameters are not kept: the copy's first update copies each parameter's data first, as after a load."""
        state = dict(self.__dict__)
        state["state"] = list(self.state.items())
        state["_last"] = None if self._last is None else self._last()
        del state["_owned"]
        return state

    def __setstate__(self, state):
        """The weak containers back from `__getstate__`'s plain ones."""
        state = dict(state)
        state["state"] = weakref.WeakKeyDictionary(state["state"])
        state["_last"] = None if state["_last"] is None else weakref.ref(state["_last"])
        state["_owned"] = weakref.WeakKeyDictionary()
        self.__dict__.update(state)  # checked when first set: no Hyperparameters.__setattr__ again

    def update(self, model=None):
        """One training step: the hooks (under [no_grad][autograd.config.no_grad]), then an update of every
        parameter that has a gradient; `iteration` grows by one even if none has. `step()` is PyTorch's name.

        All or nothing: every gradient is checked before the first write, and a hook that raises (or a gradient
        it leaves unfit) puts every gradient back as it was, and every hook that keeps a state (one with
        `state_dict` and `load_state_dict`, as LossScaler) back to its state before the step, so a retry after
        fixing the cause is one clean step; parameters, state and counters are untouched until the hooks are through.

        Args:
            model (Layer | list[Parameter] | None): an unbound optimizer's Layer (which then names its state) or
                list of Parameters (one listed twice is updated once); None, or its Layer, for a bound one.

        Raises:
            TypeError: no model for an unbound optimizer, a single Variable (pass `[param]`), or a gradient of
                another dtype than its parameter. ValueError: a bound optimizer given another model, or a gradient
                of another shape than its parameter. DeviceError: a gradient on another device than its parameter.
                Each is raised before anything is written, naming the parameter as `state_dict` does.

        Examples:
            >>> from autograd import Parameter, Variable, optimizer, to_host
            >>> p, q = Parameter([1.0]), Parameter([1.0])
            >>> p.grad = Variable([0.5], dtype="float32")      # q has no gradient: skipped
            >>> opt = optimizer.SGD(learning_rate=0.5)
            >>> opt.update([p, q])
            >>> to_host(p).tolist(), to_host(q).tolist(), opt.iteration
            ([0.75], [1.0], 1)
        """
        kind = type(self).__name__
        groups = self._groups_of(model, kind)
        if self._pending is not None:
            self.load_state_dict(self._pending, model)
        where = functools.partial(self._named_params, model)
        groups = [(group, _with_grads(params, kind, where)) for group, params in groups]
        params = groups[0][1] if len(groups) == 1 else [p for _, params in groups for p in params]
        if self.hooks:
            grads = [(p, p.grad) for p in params]  # hooks replace gradients: these references undo them
            states = []  # (hook, its state before this step) for each hook that keeps one (LossScaler's scale)
            try:
                with no_grad():
                    for hook in self.hooks:
                        if hasattr(hook, "load_state_dict"):
                            states.append((hook, hook.state_dict()))
                        hook(params)
                        params = [p for p in params if p.grad is not None]
                params = _with_grads(params, kind, where, ", after the hooks")
            except BaseException:
                for p, grad in grads:
                    p.grad = grad
                for hook, state in states:
                    hook.load_state_dict(state)
                raise
            groups = ([(groups[0][0], params)] if len(groups) == 1 else
                      [(group, [p for p in ps if p.grad is not None]) for group, ps in groups])
        self.iteration += 1
        owned, attributes, names = self._owned, self.__dict__, self.hyperparameters
        try:
            for group, params in groups:
                for name in names:  # the group's values as attributes: a rule reads self.alpha
                    if name in group:
                        attributes[name] = group[name]
                for p in params:  # on plain arrays: no graph is recorded
                    if owned.get(p) is not p.data:
                        self._own(p)
                    p._version[0] += 1  # p.version += 1, without the property's two calls
                    self.update_one(p)
        finally:
            for name in names:
                attributes.pop(name, None)

    step = update

    def update_one(self, param):
        """Update one parameter (which has a fitting gradient): [rule][autograd.optimizer.Optimizer.rule] on its
        arrays, or, for a float16 or bfloat16 parameter, on its float32 master copy (the state's "master"), then
        rounded into `param.data`. A subclass defines `rule`, or overrides this to update `param.data` in place
        itself."""
        data, grad = param.data, param.grad.data
        dtype = data.dtype
        half = _half_by_id.get(id(dtype))  # _is_half inlined: this runs for every parameter
        if (half[1] if half is not None and half[0] is dtype else _is_half(dtype)) is False:
            return self.rule(param, data, grad)
        xp = param.xp
        state = self._state_of(param)
        taken = xp.astype(data, xp.float32)
        master = state.get("master")
        # where the data is no longer the rounded master (loaded or assigned), the master is taken from it anew
        master = taken if master is None else xp.where(xp.astype(master, dtype) == data, master, taken)
        self.rule(param, master, xp.astype(grad, xp.float32))
        state["master"] = master
        data[...] = xp.astype(master, dtype)

    def rule(self, param, data, grad):
        """The step rule, which a subclass defines: update the array `data` (the parameter's own, or its float32
        copy) in place from the array `grad` of the same dtype; `param` keys the state
        (`self._state_of(param)`)."""
        raise NotImplementedError

    def _groups_of(self, model, kind):
        """(group, its parameters) pairs for one update; an unbound optimizer remembers a Layer to name its state."""
        groups = self.param_groups
        if self._unbound:
            if model is None:
                raise TypeError(f"{kind}.update: pass the model or a list of Parameters (none given at "
                                "construction)")
            if hasattr(model, "named_params"):
                self._last = weakref.ref(model)
                return [(groups[0], model.params())]
            return [(groups[0], _parameter_list(model, f"{kind}.update"))]
        if model is not None and (len(groups) > 1 or model is not groups[0]["params"]):
            raise ValueError(f"{kind}.update: given its parameters at construction, it takes no model; "
                             f"got a {type(model).__name__}")
        if len(groups) == 1:
            return [(groups[0], _resolved(groups[0]["params"]))]
        pairs, seen = [(group, _resolved(group["params"])) for group in groups], set()
        for i, (_, params) in enumerate(pairs):
            for p in params:
                if id(p) in seen:
                    raise ValueError(f"{kind}.update: a parameter of group {i} is in an earlier group too; a "
                                     "parameter belongs to one group")
                seen.add(id(p))
        return pairs

    def _own(self, param):
        """Give `param` a copy of its data, new to the optimizer, and move its state onto its device."""
        param.data = self._owned[param] = param.xp.asarray(param.data, copy=True)
        state = self.state.get(param)
        if state is not None:
            for name in self.slots + (("master",) if "master" in state else ()):
                state[name] = param.device.put(state[name])

    def _state_of(self, param):
        state = self.state.get(param)
        if state is None:
            xp = param.xp
            dtype = xp.float32 if _is_half(param.dtype) else None  # None: the parameter's dtype
            state = self.state[param] = {name: xp.zeros_like(param.data, dtype=dtype) for name in self.slots}
            state.update(dict.fromkeys(self.counters, 0))
        return state

    def _named_params(self, model):
        """(name, Parameter) pairs of `model`, the bound parameters or the last Layer (None: none known). Bound
        groups are named by position over all groups, as PyTorch numbers them, but one Layer by its names."""
        if model is None and not self._unbound:
            groups = self.param_groups
            model = (groups[0]["params"] if len(groups) == 1 else
                     [p for group in groups for p in _resolved(group["params"])])
        elif model is None:
            model = self._last() if self._last is not None else None
        if model is None:
            return None
        return model.named_params() if hasattr(model, "named_params") else [(str(i), p) for i, p in enumerate(model)]

    def state_dict(self, model=None):
        """The state as `{"kind": "Adam", "iteration": n, "<param name>/<slot or counter>": NumPy copy}` (the kind
        a 0-d string array), parameters named as by `model.named_params()` (`l0.W`) or by position in a list.

        Args:
            model (Layer | list[Parameter] | None): the parameters to name. Default: the bound ones, or the Layer
                last passed to `update` or `load_state_dict`; with none known and some state, ValueError.
        """
        named = self._named_params(model)
        if self._pending is not None:
            if named is None:
                return dict(self._pending)
            self.load_state_dict(self._pending, model)
        if named is None and len(self.state):
            raise ValueError("state_dict: pass the model (or parameter list) this optimizer updates")
        state = {"kind": CPU.xp.asarray(type(self).__name__), "iteration": to_host(self.iteration)}
        for name, p in named or ():
            for key, value in self.state.get(p, {}).items():
                state[f"{name}/{key}"] = to_host(value).copy()
        return state

    def load_state_dict(self, state, model=None):
        """Restore what `state_dict()` gave, each array onto its parameter's device and into its dtype. All is
        checked first ([check_state_dict][autograd.optimizer.Optimizer.check_state_dict]): a refused state
        changes nothing (ValueError); an accepted one replaces the whole state and `iteration`.

        Args:
            state (dict): a dict as `state_dict()` returns it (arrays of any device).
            model (Layer | list[Parameter] | None): the parameters, found by name. Default: as for `state_dict`;
                when none is known the state is kept (checked, as host copies) until the first update.

        Examples:
            >>> from autograd import Variable, layer, optimizer, to_host
            >>> import autograd.function as F
            >>> lin = layer.Linear(2, in_size=3)
            >>> opt = optimizer.Adam(lin)
            >>> F.sum(lin(Variable([[1.0, 2.0, 3.0]], dtype="float32"))).backward()
            >>> opt.update()
            >>> sorted(opt.state_dict())
            ['W/m', 'W/step', 'W/v', 'b/m', 'b/step', 'b/v', 'iteration', 'kind']
            >>> again = optimizer.Adam(lin)
            >>> again.load_state_dict(opt.state_dict())
            >>> again.iteration, (to_host(again.state[lin.W]["m"]) == to_host(opt.state[lin.W]["m"])).all().item()
            (1, True)
        """
        named = self._named_params(model)
        if named is None:
            self.check_state_dict(state)
            self._pending = {key: to_host(array).copy() for key, array in state.items() if key != "kind"}
            self._pending["kind"] = CPU.xp.asarray(type(self).__name__)
            self.iteration = int(self._pending["iteration"].item())
            return
        params = dict(named)
        entries = self.check_state_dict(state, {name: p.shape for name, p in params.items()})
        self.state = weakref.WeakKeyDictionary()
        for name, key, array in entries:
            p = params[name]
            if key == "master" and not _is_half(p.dtype):
                continue  # the float32 master of a parameter now loaded in another dtype: its data is the value
            value = int(array.item()) if key in self.counters else p.device.put(array.astype(_state_dtype(p)))
            self.state.setdefault(p, {})[key] = value
        self.iteration = int(to_host(state["iteration"]).item())
        self._pending = None
        if hasattr(model, "named_params"):
            self._last = weakref.ref(model)

    def check_state_dict(self, state, shapes=None):
        """Check a state_dict against this optimizer and `{parameter name: shape}` (if given), changing nothing;
        return its entries as `(parameter name, slot or counter, host array)`, "kind" and "iteration" left out. A
        ValueError names the entry: a "kind" other than this optimizer's class name (Momentum state refused by
        RMSprop; a state saved without one is taken as this kind's), "iteration" or a counter not one whole number
        >= 0, an unknown parameter or slot, a missing slot, or a wrong shape."""
        kind, kept = type(self).__name__, self.slots + self.counters
        if "kind" in state:
            saved = state["kind"] if isinstance(state["kind"], str) else to_host(state["kind"]).item()
            if saved != kind:
                raise ValueError(f"load_state_dict: entry 'kind': the state_dict of {saved} does not fit {kind}")
        if "iteration" not in state:
            raise ValueError("load_state_dict: no entry 'iteration'; expected what state_dict() returns")
        _check_count("iteration", state["iteration"])
        entries = []
        for key, array in state.items():
            if key in ("kind", "iteration"):
                continue
            name, _, slot = key.rpartition("/")
            if slot not in kept and slot != "master":  # the master copy of a float16 or bfloat16 parameter
                raise ValueError(f"load_state_dict: entry {key!r}: {kind} keeps {list(kept)}")
            array = to_host(array)
            if shapes is not None and name not in shapes:
                raise ValueError(f"load_state_dict: entry {key!r} names no parameter of the model")
            if slot in self.counters:
                _check_count(key, array)
            elif shapes is not None and tuple(array.shape) != tuple(shapes[name]):
                raise ValueError(f"load_state_dict: entry {key!r} has shape {tuple(array.shape)}, "
                                 f"expected {tuple(shapes[name])}")
            entries.append((name, slot, array))
        for name in dict.fromkeys(name for name, _, _ in entries):
            missing = [slot for slot in kept if f"{name}/{slot}" not in state]
            if missing:
                raise ValueError(f"load_state_dict: no entry {name + '/' + missing[0]!r}: {kind} keeps "
                                 f"{list(kept)} for every parameter it has state for")
        return entries


_GROUP_KEYS = ("params", "lr", "name", "initial_lr")  # what a group dict may hold besides hyperparameters


class ParamGroup(dict):
    """One parameter group of an optimizer: a dict of "params" and hyperparameters, each hyperparameter checked
    (TypeError, ValueError) and kept as a float as it is set, by `group[name] = value`, `update` or `setdefault`.
    "lr" and the optimizer's `lr_name` are one value under two keys. "params" is kept as a list of Parameters
    (one Parameter becomes `[it]`, as in PyTorch) or a Layer (asked for its parameters at each update); other keys
    are kept as given (PyTorch's "initial_lr", a name of your own)."""

    def __init__(self, owner, values=()):
        super().__init__()
        self._owner = owner  # the optimizer class: its hyperparameters, lr_name and name
        self.update(values)

    def __reduce__(self):
        return ParamGroup, (self._owner, dict(self))

    def __setitem__(self, key, value):
        owner = self._owner
        name = owner.lr_name if key == "lr" and owner.lr_name is not None else key
        bounds = owner.hyperparameters.get(name)
        if bounds is not None:
            value = number(f"{owner.__name__}: {key if key == name else f'lr ({name})'}", value, **bounds)
            if name == owner.lr_name:
                dict.__setitem__(self, "lr", value)
        elif key == "params" and value is not None and not hasattr(value, "named_params"):
            value = _parameter_list([value] if isinstance(value, Variable) else value, f"{owner.__name__}: params")
        dict.__setitem__(self, name, value)

    def update(self, values=(), **more):
        for key, value in dict(values, **more).items():
            self[key] = value

    def setdefault(self, key, value=None):
        if key not in self:
            self[key] = value
        return self[key]


def _group_dicts(params, kind):
    """The group dicts of an optimizer's `params`: one, `{"params": None}`, for an unbound optimizer."""
    if params is None or hasattr(params, "named_params"):
        return [{"params": params}]
    if not isinstance(params, Variable):
        try:
            params = list(params)
        except TypeError:
            pass  # refused just below, by _parameter_list
        else:
            if params and all(isinstance(group, dict) for group in params):
                return params
            if any(isinstance(group, dict) for group in params):
                raise TypeError(f"{kind}: expected a list of Parameters or a list of parameter group dicts, got a "
                                "list mixing both")
    return [{"params": _parameter_list(params, kind)}]


def _resolved(params):
    """A group's "params" as a list: a Layer's parameters now."""
    if params is None:
        return []
    return params.params() if hasattr(params, "named_params") else params


def _parameter_list(params, where):
    """The distinct Variables of an iterable, in order."""
    expected = f"{where}: expected a Layer or a list of Parameters"
    if isinstance(params, Variable):
        raise TypeError(f"{expected}, got one {type(params).__name__}; pass [param]")
    try:
        params = list({id(p): p for p in params}.values())
    except TypeError:
        raise TypeError(f"{expected}, got {type(params).__name__} {params!r}") from None
    for p in params:
        if not isinstance(p, Variable):
            raise TypeError(f"{expected}, got a list holding {type(p).__name__} {p!r}")
    return params


_HOST_ARRAY = type(to_host([0.0]))  # NumPy's ndarray (the backend alone names array libraries): one device


def _with_grads(params, kind, where, when=""):
    """The parameters that have a gradient, each checked, before anything is written, to have its parameter's
    device (DeviceError), dtype (TypeError: its own, or float32 for a half one) and shape (ValueError); `where()`
    gives the parameters' names."""
    kept = []
    for p in params:
        grad = p.grad
        if grad is not None:
            g, data = grad.data, p.data
            kind_of = type(g)  # checks ordered cheapest first: host arrays of one dtype object are the usual case
            if (kind_of is not type(data) or (kind_of is not _HOST_ARRAY and device_of(g) is not device_of(data))
                    or (g.dtype is not data.dtype and g.dtype != data.dtype) or g.shape != data.shape):
                _refuse(p, g, f"{kind}.update{when}", where)  # devices equal but not identical pass there
            kept.append(p)
    return kept


def _refuse(p, g, op, where):
    """Raise the error for a gradient `g` that does not fit its parameter `p`; return if it fits."""
    gdev, pdev = device_of(g), device_of(p.data)
    dtype_fits = gdev == pdev and (g.dtype == p.data.dtype  # dtypes of two devices are not compared
                                   or (_is_half(p.data.dtype) and dtype_name(g.dtype) == "float32"))
    if dtype_fits and tuple(g.shape) == tuple(p.shape):
        return
    name = dict((id(q), name) for name, q in where() or ()).get(id(p), p.name)  # as state_dict names it
    label = "" if name is None else f" {name!r}"
    if gdev != pdev:
        raise DeviceError(f"{op}: the gradient of parameter{label} is on {gdev}, the parameter on {pdev}; "
                          "a gradient lives on its parameter's device")
    if not dtype_fits:
        raise TypeError(f"{op}: a {dtype_name(g.dtype)} gradient for a {dtype_name(p.dtype)} parameter{label} of "
                        f"shape {tuple(p.shape)}; gradients keep their parameter's dtype (or are float32 for a "
                        "float16 or bfloat16 one)")
    raise ValueError(f"{op}: the gradient of parameter{label} has shape {tuple(g.shape)}, the parameter "
                     f"{tuple(p.shape)}; a gradient has its parameter's shape")


_HALF = ("float16", "bfloat16")  # updated in float32, with float32 state: eps = 1e-8 is 0 in float16
_half_by_id = {}  # id(dtype) -> (dtype, is it half): a NumPy dtype's hash costs more than the update of a bias


def _is_half(dtype):
    """Whether `dtype` is float16 or bfloat16 (cached by identity; the cache holds the dtype, so ids stay unique)."""
    known = _half_by_id.get(id(dtype))
    if known is None or known[0] is not dtype:
        if len(_half_by_id) > 64:
            _half_by_id.clear()
        known = _half_by_id[id(dtype)] = (dtype, dtype_name(dtype) in _HALF)
    return known[1]


def _state_dtype(param):
    """The dtype name of the state of `param`: its own, float32 for a float16 or bfloat16 parameter."""
    return "float32" if _is_half(param.dtype) else dtype_name(param.dtype)


def _check_count(key, array):
    """A saved count (`iteration`, Adam's `step`) must be one whole number >= 0."""
    array = to_host(array)
    value = array.item() if array.shape == () else None
    if (isinstance(value, bool) or not isinstance(value, (int, float)) or not math.isfinite(value)
            or value < 0 or value != int(value)):
        raise ValueError(f"load_state_dict: entry {key!r} must be one whole number >= 0, got {array!r}")


def _params_first(init):
    """Let a number in first place be the first hyperparameter, as before the parameters came first."""
    @functools.wraps(init)
    def init_params_first(self, *args, **kwargs):
        if args and isinstance(args[0], numbers.Real):
            args = (None, *args)
        if "lr" in kwargs and type(self).lr_name not in (None, "lr"):  # PyTorch's name of the learning rate
            if type(self).lr_name in kwargs:
                raise TypeError(f"{type(self).__name__}: lr and {type(self).lr_name} name one hyperparameter; "
                                "pass one of them")
            kwargs[type(self).lr_name] = kwargs.pop("lr")
        init(self, *args, **kwargs)
    return init_params_first


_RATE = dict(low=0.0, high_open=True)  # [0, inf), as PyTorch: a schedule may end at 0
_BETA = dict(low=0.0, high=1.0, high_open=True)  # [0, 1)
_EPS = dict(low=0.0, high_open=True)  # [0, inf)


class SGD(Optimizer):
    """Stochastic gradient descent: `param <- param - learning_rate * grad`. No state.

    Args:
        learning_rate (float): the step size, >= 0. Typical values: 0.01 (default) to 0.1.

    Examples:
        >>> from autograd import Parameter, Variable, optimizer, to_host
        >>> p = Parameter([1.0, 2.0])
        >>> p.grad = Variable([0.5, -1.0], dtype="float32")
        >>> optimizer.SGD([p], learning_rate=0.1).update()       # p - 0.1 * grad
        >>> [round(v, 6) for v in to_host(p).tolist()]
        [0.95, 2.1]
    """

    lr_name = "learning_rate"
    hyperparameters = {"learning_rate": _RATE}

    @_params_first
    def __init__(self, params=None, learning_rate=0.01, hooks=None):
        super().__init__(hooks, params)
        self.learning_rate = learning_rate

    def rule(self, param, data, grad):
        data -= self.learning_rate * grad


class Momentum(Optimizer):
    """SGD with momentum, as the seed and Chainer write it: `v <- momentum * v - learning_rate * grad;
    param <- param + v` (v zeros at first). PyTorch's `SGD(momentum=...)` accumulates the gradient instead,
    `b <- momentum * b + grad; param <- param - lr * b`: the same steps for a constant learning rate.

    Args:
        learning_rate (float): the step size, >= 0. Typical values: 0.01 (default) to 0.1.
        momentum (float): the decay of v, in [0, 1); 0 gives SGD. Typical values: 0.9 (default), 0.5 to 0.99.

    Examples:
        >>> from autograd import Parameter, Variable, optimizer
        >>> p = Parameter([1.0])
        >>> opt = optimizer.Momentum([p], learning_rate=0.1, momentum=0.9)
        >>> for _ in range(2):                 # the gradient 1: v = -0.1, then -0.19
        ...     p.grad = Variable([1.0], dtype="float32")
        ...     opt.update()
        >>> round(p.item(), 6)
        0.71
    """

    slots = ("v",)

    lr_name = "learning_rate"
    hyperparameters = {"learning_rate": _RATE, "momentum": _BETA}

    @_params_first
    def __init__(self, params=None, learning_rate=0.01, momentum=0.9, hooks=None):
        super().__init__(hooks, params)
        self.learning_rate = learning_rate
        self.momentum = momentum

    def rule(self, param, data, grad):
        v = self._state_of(param)["v"]
        v *= self.momentum
        v -= self.learning_rate * grad
        data += v


class AdaGrad(Optimizer):
    """AdaGrad: `h <- h + grad²; param <- param - learning_rate * grad / (sqrt(h) + eps)` (h zeros at first).
    PyTorch's `Adagrad` with its defaults, without its `lr_decay` and `initial_accumulator_value`.

    Args:
        learning_rate (float): the step size, >= 0. Typical values: 0.01 (default) to 0.1.
        eps (float): added to sqrt(h), >= 0. Default 1e-10.

    Examples:
        >>> from autograd import Parameter, Variable, optimizer
        >>> p = Parameter([1.0])
        >>> p.grad = Variable([2.0], dtype="float32")
        >>> optimizer.AdaGrad([p], learning_rate=0.1).update()     # h = 4: a step of 0.1 * 2 / 2
        >>> round(p.item(), 6)
        0.9
    """

    slots = ("h",)

    lr_name = "learning_rate"
    hyperparameters = {"learning_rate": _RATE, "eps": _EPS}

    @_params_first
    def __init__(self, params=None, learning_rate=0.01, eps=1e-10, hooks=None):
        super().__init__(hooks, params)
        self.learning_rate = learning_rate
        self.eps = eps

    def rule(self, param, data, g):
        h = self._state_of(param)["h"]
        h += g * g
        data -= self.learning_rate * g / (param.xp.sqrt(h) + self.eps)


class RMSprop(Optimizer):
    """RMSprop: `v <- rho * v + (1 - rho) * grad²; param <- param - learning_rate * grad / (sqrt(v) + eps)`
    (v zeros at first). PyTorch's `RMSprop` with its defaults: no bias correction, so the first step is
    `learning_rate / sqrt(1 - rho)`. PyTorch calls `rho` `alpha`, here Adam's step size.

    Args:
        learning_rate (float): the step size, >= 0. Typical values: 1e-3 to 0.01 (default).
        rho (float): the decay of v, in [0, 1). Typical values: 0.9 to 0.99 (default).
        eps (float): added to sqrt(v), >= 0. Default 1e-8.

    Examples:
        >>> from autograd import Parameter, Variable, optimizer
        >>> p = Parameter([1.0])
        >>> p.grad = Variable([2.0], dtype="float32")
        >>> optimizer.RMSprop([p], learning_rate=0.01).update()    # a first step of 0.01 / sqrt(0.01)
        >>> round(p.item(), 6)
        0.9
    """

    slots = ("v",)

    lr_name = "learning_rate"
    hyperparameters = {"learning_rate": _RATE, "rho": _BETA, "eps": _EPS}

    @_params_first
    def __init__(self, params=None, learning_rate=0.01, rho=0.99, eps=1e-8, hooks=None):
        super().__init__(hooks, params)
        self.learning_rate = learning_rate
        self.rho = rho
        self.eps = eps

    def rule(self, param, data, g):
        v = self._state_of(param)["v"]
        v *= self.rho
        v += (1.0 - self.rho) * (g * g)
        data -= self.learning_rate * g / (param.xp.sqrt(v) + self.eps)


class Adam(Optimizer):
    """Adam as the seed writes it, with t the parameter's own step count (the counter `step`, as in PyTorch):

        t <- t + 1;  m <- m + (1 - beta1) (g - m);  v <- v + (1 - beta2) (g² - v)     (m, v zeros at first)
        param <- param - lr_t * m / (sqrt(v) + eps)  with  lr_t = alpha * sqrt(1 - beta2^t) / (1 - beta1^t)

    eps is added after the bias correction: PyTorch's Adam with eps / sqrt(1 - beta2^t) in place of eps (about
    32 times larger at t = 1 with beta2 = 0.999, the same as t grows).

    Args:
        alpha (float): the step size, >= 0. Typical values: 1e-3 (default), 1e-4 to 3e-3.
        beta1 (float): the decay of m, in [0, 1). Default 0.9.
        beta2 (float): the decay of v, in [0, 1). Typical values: 0.999 (default), 0.98 to 0.99 for transformers.
        eps (float): added to sqrt(v), >= 0. Default 1e-8.

    Examples:
        >>> from autograd import Parameter, Variable, optimizer
        >>> p = Parameter([1.0])
        >>> p.grad = Variable([2.0], dtype="float32")
        >>> optimizer.Adam([p], alpha=0.001).update()             # the first step: alpha * sign(g)
        >>> round(p.item(), 6)
        0.999
    """

    slots = ("m", "v")
    counters = ("step",)

    lr_name = "alpha"
    hyperparameters = {"alpha": _RATE, "beta1": _BETA, "beta2": _BETA, "eps": _EPS}

    @_params_first
    def __init__(self, params=None, alpha=0.001, beta1=0.9, beta2=0.999, eps=1e-8, hooks=None):
        super().__init__(hooks, params)
        self.alpha = alpha
        self.beta1 = beta1
        self.beta2 = beta2
        self.eps = eps

    def adam_step(self, param, g=None):
        """Advance t, m and v of `param` by the gradient `g` (default `param.grad.data`); return
        `(lr_t, lr_t * m / (sqrt(v) + eps))`, the step to subtract from `param.data`, which is left to the caller."""
        state = self._state_of(param)
        g = param.grad.data if g is None else g
        state["step"] = t = state["step"] + 1
        m, v = state["m"], state["v"]
        m += (1.0 - self.beta1) * (g - m)
        v += (1.0 - self.beta2) * (g * g - v)
        lr = self.alpha * math.sqrt(1.0 - self.beta2 ** t) / (1.0 - self.beta1 ** t)
        return lr, lr * m / (param.xp.sqrt(v) + self.eps)

    def rule(self, param, data, grad):
        data -= self.adam_step(param, grad)[1]


class AdamW(Adam):
    """Adam with decoupled weight decay, as the seed: the Adam step, then a decay by the same step size lr_t,
    `param <- (param - lr_t * m / (sqrt(v) + eps)) * (1 - lr_t * weight_decay)`. PyTorch's `AdamW` decays
    first, by the step size without bias correction, `param <- param * (1 - alpha * weight_decay)`.

    Args:
        alpha (float): the step size, >= 0, as for [Adam][autograd.optimizer.Adam]; so are beta1, beta2 and eps.
        weight_decay (float): the decay rate, >= 0. Typical values: 0.01 (default, PyTorch's too) to 0.1.

    Examples:
        >>> from autograd import Parameter, Variable, optimizer
        >>> p = Parameter([1.0])
        >>> p.grad = Variable([0.0], dtype="float32")      # only the decay: 1 - 0.1 * lr_1, lr_1 = sqrt(0.001)
        >>> optimizer.AdamW([p], alpha=0.1, weight_decay=0.1).update()
        >>> round(p.item(), 6)
        0.996838
    """

    hyperparameters = {**Adam.hyperparameters, "weight_decay": _EPS}

    @_params_first
    def __init__(self, params=None, alpha=0.001, beta1=0.9, beta2=0.999, eps=1e-8, weight_decay=0.01, hooks=None):
        super().__init__(params, alpha, beta1, beta2, eps, hooks)
        self.weight_decay = weight_decay

    def rule(self, param, data, grad):
        lr, step = self.adam_step(param, grad)
        data -= step
        data *= 1.0 - lr * self.weight_decay
