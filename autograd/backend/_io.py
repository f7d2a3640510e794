"""Reading and writing arrays: NumPy's `.npz` of host arrays, written atomically, and IDX files (MNIST)."""
from __future__ import annotations

import gzip
import math
import os
import secrets
import stat
import struct
import zipfile
import zlib

import numpy as np

from autograd.backend._device import to_host


def save_npz(path, arrays) -> None:
    """Write `{name: array}` (any device) to `path` as an uncompressed `.npz` of host arrays, exactly
    at `path` (no suffix added). Object arrays are refused (they would need pickle).

    The file is written beside `path` under a fresh temporary name and renamed over it only when complete,
    so a crash mid-save leaves the previous file intact (`os.replace` is atomic on POSIX and Windows). A file
    replaced keeps its permissions.

    Args:
        path (str | os.PathLike): the file to write, a string or path-like.
        arrays (dict): a dict from names to arrays of any device, Variables or numbers.

    Raises:
        ValueError: an object array (nothing is written).
        OSError: the directory does not exist or is not writable.

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
    """`{name: NumPy array}` from a `.npz` file (pickled objects are refused).

    The arrays are read into memory, so the file is closed when this returns. See
    [save_npz][autograd.backend.save_npz] for an example.

    Args:
        path (str | os.PathLike): the file to read, a string or path-like.

    Raises:
        ValueError: the file is empty, truncated, corrupted, not a zip archive or holds anything but `.npy`
            arrays; the message names the file and the problem.
        OSError: the file is missing or unreadable.
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


_IDX_DTYPES = {0x08: np.uint8, 0x09: np.int8, 0x0B: np.dtype(">i2"), 0x0C: np.dtype(">i4"),
               0x0D: np.dtype(">f4"), 0x0E: np.dtype(">f8")}


def read_idx(path) -> np.ndarray:
    """An array from an IDX file (the format of MNIST), gzip-compressed when the name ends in `.gz`.

    The header is two zero bytes, a type code, the number of dimensions and each dimension as a big-endian
    uint32; the data follow, big-endian. The result is a NumPy array in the machine's byte order, of dtype
    uint8, int8, int16, int32, float32 or float64 as the type code says.

    Args:
        path (str | os.PathLike): the file to read, a string or path-like.

    Raises:
        ValueError: a malformed or truncated file, or a `.gz` file that is not gzip.
        OSError: the file is missing or unreadable.

    Examples:
        >>> import os, tempfile
        >>> from autograd.backend import read_idx
        >>> with tempfile.TemporaryDirectory() as directory:
        ...     path = os.path.join(directory, "labels.idx")
        ...     with open(path, "wb") as f:
        ...         _ = f.write(bytes([0, 0, 0x08, 1, 0, 0, 0, 3, 7, 2, 1]))  # uint8, 1 dimension of 3
        ...     labels = read_idx(path)
        >>> labels.tolist()
        [7, 2, 1]
    """
    opener = gzip.open if os.fspath(path).endswith(".gz") else open
    try:
        with opener(path, "rb") as f:
            raw = f.read()
    except (EOFError, gzip.BadGzipFile, zlib.error) as e:  # a partial download, or not gzip at all
        raise ValueError(f"read_idx: {os.fspath(path)} is not a readable gzip file: {e}") from None
    if len(raw) < 4 or raw[0] != 0 or raw[1] != 0 or raw[2] not in _IDX_DTYPES:
        raise ValueError(f"read_idx: {os.fspath(path)} is not an IDX file (bad magic number)")
    dtype, ndim = np.dtype(_IDX_DTYPES[raw[2]]), raw[3]
    header = 4 + 4 * ndim
    if len(raw) < header:
        raise ValueError(f"read_idx: {os.fspath(path)} is truncated in its header")
    shape = tuple(int.from_bytes(raw[4 + 4 * i: 8 + 4 * i], "big") for i in range(ndim))
    expected = header + dtype.itemsize * math.prod(shape)
    if len(raw) != expected:
        raise ValueError(f"read_idx: {os.fspath(path)} has {len(raw)} bytes, its header {shape} needs {expected}")
    return np.frombuffer(raw, dtype=dtype, offset=header).reshape(shape).astype(dtype.newbyteorder("="))
