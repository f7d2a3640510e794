"""Checkpoints: a model's parameters, its optimizer's state and a few numbers (the epoch, say) in one
atomically written ``.npz`` file, so training can stop and go on exactly where it was, on any device.

    checkpoint.save("run.npz", model, opt, epoch=3)
    extra = checkpoint.load("run.npz", model, opt)     # {"epoch": 3}

Entries are named ``model/<param name>``, ``optimizer/<state_dict key>`` and ``extra/<name>``.
"""
from autograd.backend import load_npz, save_npz, to_host

__all__ = ["save", "load"]

_SECTIONS = ("model/", "optimizer/", "extra/")


def save(path, model, optimizer=None, **extra):
    """Write ``model.state_dict()``, ``optimizer.state_dict(model)`` and ``extra`` numbers or arrays to
    ``path``; a crash mid-save leaves any previous file there intact."""
    arrays = {f"model/{name}": array for name, array in model.state_dict().items()}
    if optimizer is not None:
        arrays.update({f"optimizer/{key}": array for key, array in optimizer.state_dict(model).items()})
    arrays.update({f"extra/{name}": to_host(value) for name, value in extra.items()})
    save_npz(path, arrays)


def load(path, model, optimizer=None):
    """Restore ``model`` (on its current device) and ``optimizer`` from ``path``; return the extras as
    ``{name: value}``, 0-d arrays as Python numbers. Everything is checked before anything changes: an entry
    that does not fit raises ValueError naming it. With ``optimizer=None`` the optimizer entries are ignored."""
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
