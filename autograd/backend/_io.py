"""Reading and writing arrays: NumPy's ``.npz`` of host arrays, written atomically."""
from __future__ import annotations

import os
import secrets
import stat
import zipfile

import numpy as np

from autograd.backend._device import to_host


def save_npz(path, arrays) -> None:
    """Write ``{name: array}`` (any device) to ``path`` as an uncompressed ``.npz`` of host arrays, exactly
    at ``path`` (no suffix added). Object arrays are refused (they would need pickle).

    The file is written beside ``path`` under a fresh temporary name and renamed over it only when complete,
    so a crash mid-save leaves the previous file intact (``os.replace`` is atomic on POSIX and Windows).
    """
    path = os.fspath(path)
    directory = os.path.dirname(os.path.abspath(path))
    tmp = f"{path}.{secrets.token_hex(8)}.tmp"  # a fresh name: never another writer's file
    f = open(tmp, "xb")  # mode from the umask, like any new file
    try:
        with f:
            with zipfile.ZipFile(f, "w", zipfile.ZIP_STORED, allowZip64=True) as archive:
                for name, array in arrays.items():
                    with archive.open(f"{name}.npy", "w", force_zip64=True) as member:
                        np.lib.format.write_array(member, np.asarray(to_host(array)), allow_pickle=False)
            f.flush()
            os.fsync(f.fileno())
        if os.path.exists(path):
            os.chmod(tmp, stat.S_IMODE(os.stat(path).st_mode))  # a private file stays private
        os.replace(tmp, path)
    except BaseException:
        os.remove(tmp)
        raise
    _sync_directory(directory)


def _sync_directory(directory):
    """Make the rename itself durable, where the system allows opening a directory (POSIX)."""
    try:
        fd = os.open(directory, os.O_RDONLY)
    except OSError:
        return
    try:
        os.fsync(fd)
    except OSError:
        pass
    finally:
        os.close(fd)


def load_npz(path) -> dict:
    """``{name: NumPy array}`` from a ``.npz`` file (pickled objects are refused)."""
    loaded = np.load(os.fspath(path), allow_pickle=False)
    if not isinstance(loaded, np.lib.npyio.NpzFile):
        raise ValueError(f"load_npz: {os.fspath(path)} is a single .npy array, not an .npz archive of named arrays")
    with loaded as f:
        return {name: f[name] for name in f.files}
