"""Reading and writing arrays: NumPy's ``.npz`` of host arrays, written atomically."""
from __future__ import annotations

import os

import numpy as np

from autograd.backend._device import to_host


def save_npz(path, arrays) -> None:
    """Write ``{name: array}`` (any device) to ``path`` as an uncompressed ``.npz`` of host arrays.

    The file is written beside ``path`` under a temporary name and renamed over it only when complete, so a
    crash mid-save leaves the previous file intact (``os.replace`` is atomic on POSIX and Windows).
    """
    path = os.fspath(path)
    tmp = f"{path}.{os.getpid()}.tmp"
    try:
        with open(tmp, "xb") as f:
            np.savez(f, **{name: to_host(array) for name, array in arrays.items()})
            f.flush()
            os.fsync(f.fileno())
        os.replace(tmp, path)
    except BaseException:
        if os.path.exists(tmp):
            os.remove(tmp)
        raise


def load_npz(path) -> dict:
    """``{name: NumPy array}`` from a ``.npz`` file (pickled objects are refused)."""
    with np.load(os.fspath(path), allow_pickle=False) as f:
        return {name: f[name] for name in f.files}
