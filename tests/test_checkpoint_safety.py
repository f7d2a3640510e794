"""Checkpoint files under stress: a save killed half way, damaged files, files that would run code.

What tests/backend/test_io.py, tests/test_checkpoint.py and tests/test_layer.py already cover (exceptions
raised inside save_npz, object arrays refused by load_npz, a missing file) is not repeated here.
"""
import io
import os
import pickle
import signal
import subprocess
import sys
import textwrap
import time
import zipfile
from pathlib import Path

import numpy as np
import pytest

from autograd import checkpoint
from autograd.backend import load_npz, save_npz
from autograd.layer import Linear

ROOT = Path(__file__).resolve().parents[1]


def _linear(seed=0, size=64):
    """A built Linear(size, in_size=size): 4 KiB of float32 weights, so the middle of its file is array data."""
    import autograd

    autograd.seed(seed)
    return Linear(size, in_size=size)


def _assert_state_equal(got, expected):
    assert sorted(got) == sorted(expected)
    for key in expected:
        assert got[key].dtype == expected[key].dtype, key
        np.testing.assert_array_equal(got[key], expected[key], err_msg=key)


# ---- 1. a save killed (SIGKILL) half way leaves the previous file intact ----------------------------------

# The child saves a first checkpoint, then patches one step of save_npz so that, once there, it touches the
# file `ready` (the signal to the parent) and sleeps; the parent then kills it with SIGKILL: no except or
# finally clause runs, just as on a power cut or an OOM kill.
_CHILD = textwrap.dedent("""
    import os, sys, time
    import numpy as np
    import autograd
    from autograd import checkpoint
    from autograd.backend import _io
    from autograd.layer import Linear

    path, ready, point = sys.argv[1:4]

    def stop_here():
        open(ready, "w").close()
        time.sleep(60)  # killed long before this ends
        sys.exit("not killed")

    autograd.seed(0)
    lin = Linear(3, in_size=4)
    checkpoint.save(path, lin, epoch=1, note=np.arange(5))  # the first checkpoint, complete

    big = np.ones(4_000_000, dtype=np.float32)  # 16 MB: the second checkpoint, much larger than the first
    if point == "write":  # half of the big array's bytes are in the temporary file
        real = _io.np.lib.format.write_array
        def write_array(member, array, *args, **kwds):
            if array.size < big.size:
                return real(member, array, *args, **kwds)
            member.write(b"\\x93NUMPY" + array.tobytes()[: array.nbytes // 2])
            member.flush()
            stop_here()
        _io.np.lib.format.write_array = write_array
    elif point == "fsync":  # every byte written, not yet on disk nor renamed
        _io.os.fsync = lambda fd: stop_here()
    elif point == "replace":  # the temporary file is complete and synced, the rename not done
        _io.os.replace = lambda src, dst: stop_here()
    elif point == "after-replace":  # renamed, the directory not yet synced
        _io._sync_directory = lambda directory: stop_here()
    autograd.seed(1)
    checkpoint.save(path, Linear(3, in_size=4), epoch=2, big=big)
    sys.exit("the save finished without reaching " + point)
""")


def _kill_mid_save(tmp_path, point):
    """Run the child until it stops at ``point`` and SIGKILL it there; the checkpoint's path."""
    path, ready = tmp_path / "ckpt.npz", tmp_path.parent / f"{tmp_path.name}.ready"
    env = dict(os.environ, PYTHONPATH=os.pathsep.join([str(ROOT), os.environ.get("PYTHONPATH", "")]))
    child = subprocess.Popen([sys.executable, "-c", _CHILD, str(path), str(ready), point], cwd=ROOT, env=env,
                             stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    try:
        deadline = time.monotonic() + 30
        while not ready.exists():
            if child.poll() is not None:
                out, err = child.communicate()
                pytest.fail(f"the child ended (rc {child.returncode}) before {point}:\n{out.decode()}{err.decode()}")
            if time.monotonic() > deadline:
                pytest.fail(f"the child never reached {point}")
            time.sleep(0.01)
        child.send_signal(signal.SIGKILL)
        child.wait(timeout=30)
        assert child.returncode == -signal.SIGKILL
    finally:
        if child.poll() is None:
            child.kill()
            child.wait()
        child.stdout.close()
        child.stderr.close()
    return path


def _first_checkpoint():
    """What the child's first checkpoint holds, written here."""
    import autograd

    autograd.seed(0)
    return Linear(3, in_size=4)


@pytest.mark.skipif(os.name != "posix", reason="SIGKILL")
@pytest.mark.parametrize("point", ["write", "fsync", "replace"])
def test_a_save_killed_half_way_leaves_the_previous_checkpoint_intact(tmp_path, point):
    path = _kill_mid_save(tmp_path, point)

    # the file at path is exactly the first checkpoint: its own entries, its values
    assert sorted(load_npz(path)) == ["extra/epoch", "extra/note", "model/W", "model/b", "rng/host"]
    expected = _first_checkpoint()
    restored = Linear(3, in_size=4)
    extra = checkpoint.load(path, restored)
    assert extra["epoch"] == 1
    np.testing.assert_array_equal(extra["note"], np.arange(5))
    _assert_state_equal(restored.state_dict(), expected.state_dict())

    # SIGKILL runs no cleanup: the temporary file of the killed save stays, under a name of its own
    leftovers = sorted(p.name for p in tmp_path.iterdir() if p.name != "ckpt.npz")
    assert len(leftovers) == 1 and leftovers[0].startswith(".") and leftovers[0].endswith(".tmp")
    leftover = tmp_path / leftovers[0]
    leftover_bytes = leftover.read_bytes()
    if point == "write":  # a partial file: no reader would take it for a checkpoint
        with pytest.raises(ValueError, match="cannot read"):
            load_npz(leftover)

    # ... and it is harmless: a later save neither trips over it nor reads, reuses or deletes it
    newer = _linear(seed=2, size=4)
    again = Linear(4, in_size=4)
    checkpoint.save(path, newer, epoch=3)
    assert checkpoint.load(path, again) == {"epoch": 3}
    _assert_state_equal(again.state_dict(), newer.state_dict())
    assert sorted(p.name for p in tmp_path.iterdir()) == sorted(["ckpt.npz", leftovers[0]])
    assert leftover.read_bytes() == leftover_bytes


@pytest.mark.skipif(os.name != "posix", reason="SIGKILL")
def test_a_save_killed_after_the_rename_leaves_the_complete_new_checkpoint(tmp_path):
    """Once renamed, the file is the whole second checkpoint: a reader sees one or the other, never a mix."""
    path = _kill_mid_save(tmp_path, "after-replace")
    assert [p.name for p in tmp_path.iterdir()] == ["ckpt.npz"]  # the temporary file became the checkpoint
    restored = Linear(3, in_size=4)
    extra = checkpoint.load(path, restored)
    assert extra["epoch"] == 2
    assert extra["big"].shape == (4_000_000,) and (extra["big"] == 1).all()
    import autograd

    autograd.seed(1)
    _assert_state_equal(restored.state_dict(), Linear(3, in_size=4).state_dict())


# ---- 2. a damaged file raises a ValueError naming it, from each loader, and changes nothing ---------------

def _good_bytes(tmp_path):
    """The bytes of a real checkpoint of ``_linear()`` (loadable by all three loaders)."""
    path = tmp_path / "good.npz"
    checkpoint.save(path, _linear())
    return path.read_bytes()


def _zip_bytes(entries):
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        for name, data in entries.items():
            archive.writestr(name, data)
    return buffer.getvalue()


def _npy_bytes(array):
    buffer = io.BytesIO()
    np.save(buffer, array, allow_pickle=False)
    return buffer.getvalue()


def _flipped(data, position):
    damaged = bytearray(data)
    damaged[position] ^= 0xFF
    return bytes(damaged)


# name -> the damaged file's bytes, made from a good checkpoint's
DAMAGED = {
    "empty": lambda good: b"",
    "truncated-to-1": lambda good: good[:1],
    "truncated-to-4": lambda good: good[:4],
    "truncated-to-40": lambda good: good[:40],  # inside the first entry's header
    "truncated-to-a-third": lambda good: good[: len(good) // 3],
    "truncated-to-half": lambda good: good[: len(good) // 2],
    "truncated-by-22": lambda good: good[:-22],  # the end-of-central-directory record gone
    "truncated-by-1": lambda good: good[:-1],
    "flipped-byte-in-the-middle": lambda good: _flipped(good, len(good) // 2),  # in W's data: a bad CRC
    "flipped-byte-in-the-first-npy-header": lambda good: _flipped(good, good.index(b"\x93NUMPY") + 1),
    "flipped-byte-near-the-end": lambda good: _flipped(good, len(good) - 10),  # the central directory
    "text": lambda good: b"this is not a checkpoint\n" * 10,
    "a-single-npy": lambda good: _npy_bytes(np.zeros((64, 64), dtype=np.float32)),
    "a-zip-of-no-npy": lambda good: _zip_bytes({"readme.txt": b"hello"}),
    "a-zip-with-a-non-npy-beside": lambda good: _zip_bytes({"model/W.npy": _npy_bytes(np.zeros((64, 64))),
                                                              "model/b.txt": b"0" * 64}),
    "a-zip-entry-that-is-not-npy-data": lambda good: _zip_bytes({"model/W.npy": b"garbage" * 100,
                                                                   "model/b.npy": b"garbage"}),
    "a-pickled-object-array": lambda good: _zip_bytes(
        {"model/W.npy": _object_npy([{"a": 1}, None]), "model/b.npy": _npy_bytes(np.zeros(64))}),
}


def _object_npy(values):
    buffer = io.BytesIO()
    np.save(buffer, np.array(values, dtype=object), allow_pickle=True)
    return buffer.getvalue()


def _via_load_npz(path, target):
    return load_npz(path)


def _via_load_weights(path, target):
    target.load_weights(path)


def _via_checkpoint_load(path, target):
    checkpoint.load(path, target)


LOADERS = {"load_npz": _via_load_npz, "load_weights": _via_load_weights, "checkpoint.load": _via_checkpoint_load}


@pytest.mark.parametrize("loader", list(LOADERS))
@pytest.mark.parametrize("damage", list(DAMAGED))
def test_a_damaged_file_raises_a_value_error_naming_it_and_changes_nothing(tmp_path, damage, loader):
    path = tmp_path / "damaged.npz"
    path.write_bytes(DAMAGED[damage](_good_bytes(tmp_path)))
    target = _linear(seed=7)
    before = target.state_dict()
    with pytest.raises(Exception) as caught:
        LOADERS[loader](path, target)
    assert caught.type is ValueError, f"{caught.type.__name__}: {caught.value}"  # not BadZipFile, EOFError...
    assert str(path) in str(caught.value)
    _assert_state_equal(target.state_dict(), before)


@pytest.mark.parametrize("damage, match", [
    ("empty", "is empty"),
    ("text", "not an .npz archive"),
    ("a-single-npy", "single .npy array"),
    ("flipped-byte-in-the-middle", "CRC"),
    ("truncated-by-1", "zip"),
    ("a-zip-of-no-npy", "'readme.txt'.*not a .npy array"),
    ("a-pickled-object-array", "'model/W.npy'.*allow_pickle"),
])
def test_the_message_says_what_is_wrong(tmp_path, damage, match):
    path = tmp_path / "damaged.npz"
    path.write_bytes(DAMAGED[damage](_good_bytes(tmp_path)))
    with pytest.raises(ValueError, match=match):
        load_npz(path)


def test_every_truncation_and_every_flipped_byte_raises_a_value_error_or_loads_the_same_arrays(tmp_path):
    """Exhaustively, on a small file: a damaged file never escapes as another exception type, and a damage
    that goes unnoticed (a timestamp, the npy header's padding) never changes the arrays."""
    path = tmp_path / "small.npz"
    expected = {"w": np.arange(12, dtype=np.float32).reshape(3, 4), "n": np.asarray(7)}
    save_npz(path, expected)
    good = path.read_bytes()
    damaged_path = tmp_path / "damaged.npz"
    variants = [good[:n] for n in range(len(good))] + [_flipped(good, i) for i in range(len(good))]
    for i, data in enumerate(variants):
        damaged_path.write_bytes(data)
        try:
            got = load_npz(damaged_path)
        except ValueError as e:
            assert str(damaged_path) in str(e), (i, e)
        else:
            _assert_state_equal(got, expected)


def test_a_zip_of_npy_arrays_that_are_not_this_models_is_refused_naming_the_entries(tmp_path):
    """A valid .npz that is some other file's: load_npz reads it, the two loaders refuse it."""
    path = tmp_path / "other.npz"
    path.write_bytes(_zip_bytes({"images.npy": _npy_bytes(np.zeros((2, 3)))}))
    assert sorted(load_npz(path)) == ["images"]
    with pytest.raises(ValueError, match="images"):
        _linear().load_weights(path)
    with pytest.raises(ValueError, match="images"):
        checkpoint.load(path, _linear())


def test_an_empty_zip_is_an_empty_npz_that_the_loaders_refuse(tmp_path):
    path = tmp_path / "empty.npz"
    path.write_bytes(_zip_bytes({}))
    assert load_npz(path) == {}
    target = _linear()
    before = target.state_dict()
    with pytest.raises(ValueError, match="no entry for parameter 'W'"):
        target.load_weights(path)
    with pytest.raises(ValueError, match="no entry for parameter 'W'"):
        checkpoint.load(path, target)
    _assert_state_equal(target.state_dict(), before)


def test_a_compressed_npz_still_loads(tmp_path):
    """The stricter reader still takes what numpy.savez_compressed writes."""
    path = tmp_path / "compressed.npz"
    np.savez_compressed(path, W=np.ones((64, 64), dtype=np.float32), b=np.zeros(64, dtype=np.float32))
    target = _linear()
    target.load_weights(path)
    np.testing.assert_array_equal(target.state_dict()["W"], np.ones((64, 64), dtype=np.float32))


# ---- 3. loading never runs code -------------------------------------------------------------------------

class _Payload:
    """Unpickling this runs ``exec``, which writes the marker file: what a malicious checkpoint would do."""

    def __init__(self, marker):
        self.marker = str(marker)

    def __reduce__(self):
        return exec, (f"open({self.marker!r}, 'w').close()",)


def _payload_files(marker):
    """name -> the bytes of a file that runs code when loaded with pickles allowed."""
    evil = np.array([_Payload(marker)], dtype=object)
    as_npy = io.BytesIO()
    np.save(as_npy, evil, allow_pickle=True)
    raw_pickle = pickle.dumps(_Payload(marker))
    return {
        "npz-of-an-object-array": _zip_bytes({"model/W.npy": as_npy.getvalue()}),
        "npz-beside-good-entries": _zip_bytes({"model/b.npy": _npy_bytes(np.zeros(64, dtype=np.float32)),
                                               "model/W.npy": as_npy.getvalue()}),
        "npz-entry-that-is-a-raw-pickle": _zip_bytes({"model/W.npy": raw_pickle}),
        "npz-entry-named-pkl": _zip_bytes({"model/W.pkl": raw_pickle}),
        "an-npy-of-an-object-array": as_npy.getvalue(),
        "a-raw-pickle": raw_pickle,
    }


def test_the_payload_is_live(tmp_path):
    """The check of the check: the payload does write its marker when unpickled."""
    marker = tmp_path / "ran"
    pickle.loads(pickle.dumps(_Payload(marker)))
    assert marker.exists()


@pytest.mark.parametrize("loader", list(LOADERS))
@pytest.mark.parametrize("kind", list(_payload_files("x")))
def test_loading_a_file_with_a_pickled_payload_refuses_and_runs_nothing(tmp_path, kind, loader):
    marker = tmp_path / "code-ran"
    path = tmp_path / "evil.npz"
    path.write_bytes(_payload_files(marker)[kind])
    target = _linear()
    before = target.state_dict()
    with pytest.raises(ValueError) as caught:
        LOADERS[loader](path, target)
    assert str(path) in str(caught.value)
    assert not marker.exists(), "loading ran the pickled code"
    _assert_state_equal(target.state_dict(), before)


# ---- 4. files: symlinks, long names, headers that lie about their size ---------------------------------

@pytest.mark.skipif(not hasattr(os, "symlink"), reason="symbolic links")
def test_saving_through_a_symlink_updates_its_target_and_keeps_the_link(tmp_path):
    target = tmp_path / "runs" / "ckpt.npz"
    target.parent.mkdir()
    checkpoint.save(target, _linear(seed=0))
    link = tmp_path / "latest.npz"
    link.symlink_to(target)

    newer = _linear(seed=1)
    checkpoint.save(link, newer)

    assert link.is_symlink() and os.readlink(link) == str(target)
    restored = _linear(seed=2)
    checkpoint.load(target, restored)
    _assert_state_equal(restored.state_dict(), newer.state_dict())
    assert sorted(p.name for p in tmp_path.iterdir()) == ["latest.npz", "runs"]
    assert [p.name for p in target.parent.iterdir()] == ["ckpt.npz"]  # no temporary left beside either


def test_a_name_as_long_as_numpy_can_save_saves_here_too(tmp_path):
    longest = None
    for length in range(300, 0, -1):  # the longest name this file system takes, found the way NumPy meets it
        try:
            np.savez(tmp_path / ("n" * (length - 4) + ".npz"), w=np.ones(2))
        except OSError:
            continue
        longest = tmp_path / ("n" * (length - 4) + ".npz")
        break
    os.remove(longest)
    checkpoint.save(longest, _linear(size=4))
    restored = Linear(4, in_size=4)
    checkpoint.load(longest, restored)
    _assert_state_equal(restored.state_dict(), _linear(size=4).state_dict())
    assert [p.name for p in tmp_path.iterdir()] == [longest.name]


def _npy_declaring(shape, data=b"\0" * 16, dtype="<f8"):
    buffer = io.BytesIO()
    np.lib.format.write_array_header_1_0(buffer, {"descr": dtype, "fortran_order": False, "shape": shape})
    return buffer.getvalue() + data


@pytest.mark.parametrize("shape", [(10**6, 10**6), (2**27,), (3,)])
def test_a_header_declaring_another_size_than_the_file_holds_fails_before_allocating(tmp_path, shape):
    """(10**6, 10**6) float64 is 7 TiB, (2**27,) 1 GiB that an overcommitting system would hand out, (3,) 24
    bytes where 16 are held: each a ValueError naming the file, the entry and the shape, allocating nothing."""
    import tracemalloc

    path = tmp_path / "huge.npz"
    path.write_bytes(_zip_bytes({"model/b.npy": _npy_bytes(np.zeros(64, dtype=np.float32)),
                                 "model/W.npy": _npy_declaring(shape)}))
    tracemalloc.start()
    try:
        with pytest.raises(ValueError) as caught:
            load_npz(path)
        peak = tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()
    message = str(caught.value)
    assert str(path) in message and "'model/W.npy'" in message and str(shape) in message, message
    assert "16 bytes" in message
    assert peak < 2**20, f"{peak} bytes allocated before failing"
    target = _linear()
    before = target.state_dict()
    with pytest.raises(ValueError, match="declares shape"):
        checkpoint.load(path, target)
    _assert_state_equal(target.state_dict(), before)
