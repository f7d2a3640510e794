"""NumPy's `.npz` files of host arrays: written atomically, read without pickles."""

import contextlib
import os
import secrets
import stat
import struct
import zipfile
import zlib

import numpy as np

from autograd.backend._device import to_host


def save_npz(path, arrays) -> None:
    """Write `{name: array}` (arrays of any device, Variables, numbers) to `path` as an uncompressed `.npz` of
    host arrays, exactly at `path` (no suffix added); ValueError for an object array (it would need pickle).

    The file is written beside `path` under a fresh temporary name and renamed over it only when complete
    (`os.replace` is atomic on POSIX and Windows), so a crash mid-save leaves the previous file intact; a file
    replaced keeps its permissions.

    Examples:
        >>> import os, tempfile
        >>> import numpy as np
        >>> from autograd.backend import load_npz, save_npz
        >>> with tempfile.TemporaryDirectory() as directory:
        ...     path = os.path.join(directory, "arrays.npz")
        ...     save_npz(path, {"w": np.array([1.0, 2.0]), "step": np.array(3)})
        ...     loaded = load_npz(path)
        >>> loaded["w"].tolist(), loaded["step"].item()
        ([1.0, 2.0], 3)
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
    with contextlib.suppress(OSError):
        fd = os.open(directory, os.O_RDONLY)
        try:
            os.fsync(fd)
        finally:
            os.close(fd)


def load_npz(path) -> dict:
    """`{name: NumPy array}` from a `.npz` file, read into memory (pickled objects are refused).

    ValueError, naming the file and the problem, for a file empty, truncated, corrupted, not a zip archive or
    holding anything but `.npy` arrays; OSError for a file missing or unreadable.
    """
    path = os.fspath(path)
    with open(path, "rb") as f:  # OSError (FileNotFoundError, PermissionError) as it is
        head = f.read(6)
        if not head:
            raise ValueError(f"load_npz: {path} is empty")
        if head == b"\x93NUMPY":
            raise ValueError(f"load_npz: {path} is a single .npy array, not an .npz archive of named arrays")
        if not head.startswith(b"PK"):
            raise ValueError(f"load_npz: {path} is not an .npz archive (not a zip file)")
        f.seek(0)
        entry = None
        try:
            arrays = {}
            with zipfile.ZipFile(f) as archive:
                declared = _declared_entries(f)
                if declared is not None and declared != len(archive.infolist()):
                    raise ValueError(f"its directory lists {len(archive.infolist())} entries, its end record "
                                     f"{declared}")
                for info in archive.infolist():
                    entry = info.filename
                    if not entry.endswith(".npy"):
                        raise ValueError("it is not a .npy array")
                    with archive.open(info) as member:
                        arrays[entry[:-len(".npy")]] = np.lib.format.read_array(member, allow_pickle=False)
            return arrays
        except (ValueError, EOFError, OSError, RuntimeError, NotImplementedError, zipfile.BadZipFile,
                zipfile.LargeZipFile, zlib.error, struct.error) as e:  # RuntimeError: an "encrypted" entry;
            # OSError: a seek to a corrupted offset (the file itself was opened and read above)
            where = f"{path}, entry {entry!r}" if entry is not None else path
            raise ValueError(f"load_npz: cannot read {where} (truncated, corrupted or not written by "
                             f"save_npz): {type(e).__name__}: {e}") from e


def _declared_entries(f):
    """The number of entries the zip's end-of-central-directory record declares (None where it defers to a
    zip64 record): a damaged directory can otherwise hide entries from zipfile, silently."""
    f.seek(0, os.SEEK_END)
    f.seek(max(0, f.tell() - (22 + 0xFFFF)))  # the record (22 bytes) and at most a 64 KiB comment
    tail = f.read()
    at = tail.rfind(b"PK\x05\x06")
    if at < 0 or len(tail) - at < 22:
        return None
    count = int.from_bytes(tail[at + 10:at + 12], "little")
    return None if count == 0xFFFF else count
