"""NumPy's `.npz` files of host arrays: written atomically, read without pickles."""

import contextlib
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
    """Write `{name: array}` (arrays of any device, Variables, numbers) to `path` as an uncompressed `.npz` of
    host arrays, exactly at `path` (no suffix added); ValueError for an object array (it would need pickle).

    The file is written beside `path` under a short fresh temporary name (`.<16 hex digits>.tmp`, so any name
    NumPy can save works here too) and renamed over it only when complete (`os.replace` is atomic on POSIX and
    Windows), so a crash mid-save leaves the previous file intact; a file replaced keeps its permissions. A
    symbolic link is followed: its target is updated and the link stays.

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
    path = os.path.realpath(path)  # through a symlink: replace its target, not the link
    directory = os.path.dirname(path)
    f, tmp = _create_temporary(directory)
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


def _create_temporary(directory):
    """A new file of a fresh short name in `directory`, opened for writing, and its path: never another
    writer's file, and never longer than the shortest name a file system allows (a long `path` may be near it)."""
    while True:
        tmp = os.path.join(directory, f".{secrets.token_hex(8)}.tmp")
        try:
            return open(tmp, "xb"), tmp  # mode from the umask, like any new file
        except FileExistsError:  # 2**-64 odds, or a leftover of a killed save: draw again
            continue


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
                    _check_declared_size(archive, info)
                    with archive.open(info) as member:
                        arrays[entry[:-len(".npy")]] = np.lib.format.read_array(member, allow_pickle=False)
            return arrays
        except (ValueError, EOFError, OSError, RuntimeError, NotImplementedError, zipfile.BadZipFile,
                zipfile.LargeZipFile, zlib.error, struct.error) as e:  # RuntimeError: an "encrypted" entry;
            # OSError: a seek to a corrupted offset (the file itself was opened and read above)
            where = f"{path}, entry {entry!r}" if entry is not None else path
            raise ValueError(f"load_npz: cannot read {where} (truncated, corrupted or not written by "
                             f"save_npz): {type(e).__name__}: {e}") from e


def _check_declared_size(archive, info):
    """ValueError unless the `.npy` header of entry `info` declares exactly as many data bytes as the entry holds
    (shape product times itemsize): a damaged header declaring a huge shape must fail before allocating it."""
    with archive.open(info) as member:
        version = np.lib.format.read_magic(member)
        read_header = np.lib.format.read_array_header_1_0 if version == (1, 0) else \
            np.lib.format.read_array_header_2_0  # 3.0 differs from 2.0 only in its text's encoding
        shape, _, dtype = read_header(member)
        declared = math.prod(shape) * dtype.itemsize
        held = info.file_size - member.tell()
    if dtype.hasobject:
        return  # object arrays are refused by read_array itself (they would need pickle)
    if declared != held:
        raise ValueError(f"its header declares shape {shape} of {dtype} ({declared} bytes of data), but the "
                         f"entry holds {held} bytes")


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
