"""Checkpoints: a model's parameters, its optimizer's state, the random streams, a data loader's place in its
epoch and a few numbers (the epoch, say) in one atomically written `.npz` file, so training can stop and go on
exactly where it was, on any device: a resumed run draws the same dropout masks and the same batches, in the
same order, as one never interrupted, even when stopped in the middle of an epoch.

    checkpoint.save("run.npz", model, opt, loader=loader, epoch=3)
    extra = checkpoint.load("run.npz", model, opt, loader=loader)     # {"epoch": 3}

Entries are named `model/<param name>`, `optimizer/<state_dict key>`, `hook/<i>/<key>` (the state of the
optimizer's i-th hook, for a hook with `state_dict`, such as [LossScaler][autograd.hook.LossScaler]),
`rng/<stream>` (`rng/host`, and
`rng/cuda:0` for a GPU's own generator: [get_rng_state][autograd.backend.get_rng_state]), `loader/<key>`
([DataLoader.state_dict][autograd.data.DataLoader.state_dict]) and `extra/<name>`: a plain `.npz` that NumPy
reads too. Loading never unpickles. Checkpoints written before the random streams were saved still load (and
leave the streams as they are).
"""
from autograd.backend import get_rng_state, load_npz, save_npz, set_rng_state, to_host

__all__ = ["save", "load"]

_SECTIONS = ("model/", "optimizer/", "hook/", "rng/", "loader/", "extra/")


def save(path, model, optimizer=None, loader=None, **extra):
    """Write `model.state_dict()`, `optimizer.state_dict(model)`, the state of every random stream
    ([get_rng_state][autograd.backend.get_rng_state]), `loader.state_dict()` and `extra` numbers or arrays to
    `path`; a crash mid-save leaves any previous file there intact. A symbolic link at `path` is followed.

    The file is written exactly at `path` (no suffix added) by [save_npz][autograd.backend.save_npz], all
    arrays copied to the host, so a checkpoint saved on a GPU loads on a cpu. A lazy parameter not created
    yet (a layer never called) is not saved.

    Args:
        path (str | os.PathLike): the file to write, a string or path-like. Typical values: `"run.npz"`.
        model (Layer): the [Layer][autograd.layer.Layer] or model whose
            [state_dict][autograd.layer.Layer.state_dict] to save (parameters and buffers).
        optimizer (Optimizer | None): the optimizer whose [state_dict][autograd.optimizer.Optimizer.state_dict] to save
            (moments, step counts), with the state of each of its hooks that has a `state_dict` (a LossScaler's
            scale); None for none.
        loader (DataLoader | None): the [DataLoader][autograd.data.DataLoader] whose place in its epoch to save
            (its order and the batches it handed out), to resume mid-epoch; None for none.
        **extra (number | array | Variable): numbers, arrays or Variables to keep beside them, such as
            `epoch=3` (no strings).

    Raises:
        TypeError: an `extra` value is not a number, an array or a Variable (a string, say).
        OSError: the directory does not exist or is not writable.

    Examples:
        >>> import os, tempfile
        >>> import autograd
        >>> import autograd.function as F
        >>> from autograd import Variable, checkpoint, model, optimizer
        >>> mlp, opt = model.MLP([3, 1]), optimizer.Adam()
        >>> x, t = Variable([[1.0, 2.0]], dtype="float32"), Variable([[1.0]], dtype="float32")
        >>> loss = F.mean_squared_error(mlp(x), t)
        >>> loss.backward()
        >>> opt.update(mlp)
        >>> with tempfile.TemporaryDirectory() as directory:
        ...     path = os.path.join(directory, "run.npz")
        ...     checkpoint.save(path, mlp, opt, epoch=3)
        ...     mlp2, opt2 = model.MLP([3, 1]), optimizer.Adam()
        ...     extra = checkpoint.load(path, mlp2, opt2)
        >>> extra
        {'epoch': 3}
        >>> autograd.to_host(mlp2(x)).tolist() == autograd.to_host(mlp(x)).tolist()
        True
    """
    arrays = {f"model/{name}": array for name, array in model.state_dict().items()}
    if optimizer is not None:
        arrays.update({f"optimizer/{key}": array for key, array in optimizer.state_dict(model).items()})
        for i, h in enumerate(optimizer.hooks):
            if hasattr(h, "state_dict"):
                arrays.update({f"hook/{i}/{key}": to_host(value) for key, value in h.state_dict().items()})
    arrays.update({f"rng/{name}": state for name, state in get_rng_state().items()})
    if loader is not None:
        arrays.update({f"loader/{key}": array for key, array in loader.state_dict().items()})
    for name, value in extra.items():
        try:
            arrays[f"extra/{name}"] = to_host(value)
        except TypeError:
            raise TypeError(f"checkpoint.save: extra {name}={value!r} is not a number, an array or a Variable"
                            ) from None
    save_npz(path, arrays)


def load(path, model, optimizer=None, loader=None, rng=True):
    """Restore `model` (on its current device), `optimizer`, `loader` and the random streams from `path`;
    return the extras as `{name: value}`, 0-d arrays as Python numbers. Everything is checked before anything
    changes: an entry that does not fit raises ValueError naming it. With `optimizer=None` (`loader=None`) the
    optimizer (loader) entries are ignored.

    Build the fresh model, optimizer and loader first, then load: what building them drew from the random
    streams does not matter once they are restored, and the next `iter(loader)` goes on with the saved epoch.

    The model must have the same architecture as the saved one; a lazy model that has not run yet gets its
    parameters created from the file. See [save][autograd.checkpoint.save] for an example.

    Args:
        path (str | os.PathLike): the file [save][autograd.checkpoint.save] wrote.
        model (Layer): the [Layer][autograd.layer.Layer] or model to restore, in place.
        optimizer (Optimizer | None): the optimizer to restore (its state, its step count, its hooks' state), of
            the kind that was saved; None to leave optimizers alone.
        loader (DataLoader | None): the [DataLoader][autograd.data.DataLoader] (same batch size, a dataset of
            the same length) to go on with the saved epoch; None to leave loaders alone.
        rng (bool): restore the random streams saved (those of a device this machine lacks are skipped); False
            leaves them as they are (to load weights only, or a GPU state onto another kind of GPU).

    Returns:
        extra (dict): the `extra` values given to `save`: numbers as Python numbers, other arrays as NumPy arrays.

    Raises:
        ValueError: the file is damaged or not a checkpoint, a parameter is missing, unexpected or of another
            shape, the optimizer's state does not fit it, or the file holds no optimizer state while an
            optimizer is given, the loader's state does not fit it or the file holds none while a loader is
            given, or a saved random stream does not fit this machine's.
        OSError: the file is missing or unreadable.
    """
    arrays = load_npz(path)
    sections = {section: {} for section in _SECTIONS}
    for key, array in arrays.items():
        section = next((s for s in _SECTIONS if key.startswith(s)), None)
        if section is None:
            raise ValueError(f"checkpoint.load: entry {key!r} of {path} is not a checkpoint entry")
        sections[section][key[len(section):]] = array
    model.check_state_dict(sections["model/"])  # check everything before anything changes
    if optimizer is not None:
        if not sections["optimizer/"]:
            raise ValueError(f"checkpoint.load: {path} holds no optimizer state")
        shapes = {name: array.shape for name, array in sections["model/"].items()}
        optimizer.check_state_dict(sections["optimizer/"], shapes)
        hooks = _hook_states(path, optimizer, sections["hook/"])
    if loader is not None:
        if not sections["loader/"]:
            raise ValueError(f"checkpoint.load: {path} holds no data loader state (save it with "
                             f"checkpoint.save(..., loader=loader))")
        loader.check_state_dict(sections["loader/"])
    if rng and sections["rng/"]:  # older checkpoints have none
        try:
            set_rng_state(sections["rng/"])  # the first change: it checks everything before changing anything
        except ValueError as e:
            raise ValueError(f"checkpoint.load: {path}: {e}") from None
    model.load_state_dict(sections["model/"])
    if optimizer is not None:
        optimizer.load_state_dict(sections["optimizer/"], model)
        for h, state in hooks:
            h.load_state_dict(state)
    if loader is not None:
        loader.load_state_dict(sections["loader/"])
    return {name: value.item() if value.ndim == 0 else value for name, value in sections["extra/"].items()}


def _hook_states(path, optimizer, entries):
    """(hook, its saved state) pairs, each checked (by the hook's `check_state_dict`, if it has one)."""
    states = {}
    for key, array in entries.items():
        index, _, name = key.partition("/")
        states.setdefault(index, {})[name] = array
    pairs = []
    for index, state in states.items():
        h = optimizer.hooks[int(index)] if index.isdigit() and int(index) < len(optimizer.hooks) else None
        if not hasattr(h, "load_state_dict"):
            raise ValueError(f"checkpoint.load: {path} holds the state of hook {index}, which the optimizer's hooks "
                             f"({len(optimizer.hooks)}) do not have or cannot load")
        if hasattr(h, "check_state_dict"):
            h.check_state_dict(state)
        pairs.append((h, state))
    return pairs
