"""Checkpoints: a model's parameters, its optimizer's state and a few numbers (the epoch, say) in one
atomically written `.npz` file, so training can stop and go on exactly where it was, on any device.

    checkpoint.save("run.npz", model, opt, epoch=3)
    extra = checkpoint.load("run.npz", model, opt)     # {"epoch": 3}

Entries are named `model/<param name>`, `optimizer/<state_dict key>` and `extra/<name>`: a plain `.npz` that
NumPy reads too. Loading never unpickles.
"""
from autograd.backend import load_npz, save_npz, to_host

__all__ = ["save", "load"]

_SECTIONS = ("model/", "optimizer/", "extra/")


def save(path, model, optimizer=None, **extra):
    """Write `model.state_dict()`, `optimizer.state_dict(model)` and `extra` numbers or arrays to
    `path`; a crash mid-save leaves any previous file there intact.

    The file is written exactly at `path` (no suffix added) by [save_npz][autograd.backend.save_npz], all
    arrays copied to the host, so a checkpoint saved on a GPU loads on a cpu. A lazy parameter not created
    yet (a layer never called) is not saved.

    Args:
        path (str | os.PathLike): the file to write, a string or path-like. Typical values: `"run.npz"`.
        model (Layer): the [Layer][autograd.layer.Layer] or model whose
            [state_dict][autograd.layer.Layer.state_dict] to save (parameters and buffers).
        optimizer (Optimizer | None): the optimizer whose [state_dict][autograd.optimizer.Optimizer.state_dict] to save
            (moments, step counts); None for none.
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
    for name, value in extra.items():
        try:
            arrays[f"extra/{name}"] = to_host(value)
        except TypeError:
            raise TypeError(f"checkpoint.save: extra {name}={value!r} is not a number, an array or a Variable"
                            ) from None
    save_npz(path, arrays)


def load(path, model, optimizer=None):
    """Restore `model` (on its current device) and `optimizer` from `path`; return the extras as
    `{name: value}`, 0-d arrays as Python numbers. Everything is checked before anything changes: an entry
    that does not fit raises ValueError naming it. With `optimizer=None` the optimizer entries are ignored.

    The model must have the same architecture as the saved one; a lazy model that has not run yet gets its
    parameters created from the file. See [save][autograd.checkpoint.save] for an example.

    Args:
        path (str | os.PathLike): the file [save][autograd.checkpoint.save] wrote.
        model (Layer): the [Layer][autograd.layer.Layer] or model to restore, in place.
        optimizer (Optimizer | None): the optimizer to restore (its state, its step count), of the kind that
            was saved; None to leave optimizers alone.

    Returns:
        extra (dict): the `extra` values given to `save`: numbers as Python numbers, other arrays as NumPy arrays.

    Raises:
        ValueError: the file is damaged or not a checkpoint, a parameter is missing, unexpected or of another
            shape, the optimizer's state does not fit it, or the file holds no optimizer state while an
            optimizer is given.
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
    model.load_state_dict(sections["model/"])
    if optimizer is not None:
        optimizer.load_state_dict(sections["optimizer/"], model)
    return {name: value.item() if value.ndim == 0 else value for name, value in sections["extra/"].items()}
