"""save_npz / load_npz: host .npz files written atomically, read without pickles."""
import os

import numpy as np
import pytest

from autograd.backend import _io, load_npz, save_npz, to_host

OLD = {"w": np.arange(6, dtype=np.float32).reshape(2, 3), "step": np.asarray(7)}


def _host_arrays():
    rng = np.random.default_rng(5)
    return {
        "f32": rng.standard_normal((2, 3)).astype(np.float32),
        "f64": rng.standard_normal(4),
        "i64": np.arange(-3, 9, dtype=np.int64).reshape(3, 2, 2),
        "bool": np.array([[True, False, True]]),
        "scalar_f32": np.asarray(2.5, dtype=np.float32),
        "scalar_i64": np.asarray(-4, dtype=np.int64),
        "scalar_bool": np.asarray(True),
        "empty": np.zeros((0, 3), dtype=np.float32),
        "l0.W": np.full((1, 2), 0.25, dtype=np.float32),
        "model/lstm.x2f.b": np.array([1.0, -1.0], dtype=np.float32),
        "optimizer/l0.W/m": np.array([[3.0, 4.0]], dtype=np.float64),
    }


def _listing(directory):
    return sorted(os.listdir(directory))


def test_round_trip_of_dtypes_shapes_and_names_from_the_device(device, tmp_path):
    host = _host_arrays()
    path = tmp_path / "arrays.npz"
    save_npz(path, {name: device.put(a) for name, a in host.items()})
    loaded = load_npz(path)
    assert sorted(loaded) == sorted(host)
    for name, expected in host.items():
        got = loaded[name]
        assert type(got) is np.ndarray, name  # host arrays, whatever device they were saved from
        assert got.dtype == expected.dtype, name
        assert got.shape == expected.shape, name
        np.testing.assert_array_equal(got, expected, err_msg=name)


def test_variables_and_a_str_path_are_accepted(device, tmp_path):
    from autograd import Variable

    path = str(tmp_path / "v.npz")
    save_npz(path, {"v": Variable(np.array([1.5, -2.0], dtype=np.float32), device=device)})
    loaded = load_npz(path)
    np.testing.assert_array_equal(loaded["v"], np.array([1.5, -2.0], dtype=np.float32))
    assert loaded["v"].dtype == np.float32


def test_the_file_is_written_exactly_at_the_path_and_np_load_reads_it(tmp_path):
    path = tmp_path / "weights.ckpt"  # no .npz suffix: none is appended
    save_npz(path, _host_arrays())
    assert _listing(tmp_path) == ["weights.ckpt"]
    with np.load(path, allow_pickle=False) as f:
        assert sorted(f.files) == sorted(_host_arrays())
        np.testing.assert_array_equal(f["i64"], _host_arrays()["i64"])
        np.testing.assert_array_equal(f["model/lstm.x2f.b"], np.array([1.0, -1.0], dtype=np.float32))


def test_saving_again_replaces_the_file(tmp_path):
    path = tmp_path / "a.npz"
    save_npz(path, OLD)
    save_npz(path, {"only": np.array([9], dtype=np.int64)})
    loaded = load_npz(path)
    assert list(loaded) == ["only"]
    np.testing.assert_array_equal(loaded["only"], [9])
    assert _listing(tmp_path) == ["a.npz"]


def test_an_empty_dict_round_trips(tmp_path):
    path = tmp_path / "empty.npz"
    save_npz(path, {})
    assert load_npz(path) == {}


def _failing_write_array(error):
    def write_array(file, array, *args, **kwds):
        file.write(b"\x93NUMPY half an array" * 64)  # some bytes reach the temporary file
        raise error
    return write_array


@pytest.mark.parametrize("error", [OSError("disk full"), KeyboardInterrupt()], ids=["OSError", "KeyboardInterrupt"])
def test_a_crash_mid_save_keeps_the_old_file_and_leaves_no_temporary(tmp_path, monkeypatch, error):
    path = tmp_path / "ckpt.npz"
    save_npz(path, OLD)
    before = path.read_bytes()
    monkeypatch.setattr(_io.np.lib.format, "write_array", _failing_write_array(error))
    with pytest.raises(type(error)):
        save_npz(path, {"w": np.zeros((5, 5), dtype=np.float32)})
    monkeypatch.undo()
    assert _listing(tmp_path) == ["ckpt.npz"]
    assert path.read_bytes() == before
    loaded = load_npz(path)
    np.testing.assert_array_equal(loaded["w"], OLD["w"])
    assert loaded["step"].item() == 7


def test_a_crash_mid_save_with_no_previous_file_leaves_nothing(tmp_path, monkeypatch):
    monkeypatch.setattr(_io.np.lib.format, "write_array", _failing_write_array(RuntimeError("boom")))
    with pytest.raises(RuntimeError, match="boom"):
        save_npz(tmp_path / "new.npz", {"w": np.ones(3)})
    assert _listing(tmp_path) == []


def test_a_failed_rename_keeps_the_old_file_and_leaves_no_temporary(tmp_path, monkeypatch):
    path = tmp_path / "ckpt.npz"
    save_npz(path, OLD)
    before = path.read_bytes()

    def replace(src, dst):
        raise PermissionError("rename refused")

    monkeypatch.setattr(_io.os, "replace", replace)
    with pytest.raises(PermissionError):
        save_npz(path, {"w": np.zeros(2)})
    monkeypatch.undo()
    assert _listing(tmp_path) == ["ckpt.npz"]
    assert path.read_bytes() == before


def test_an_array_that_cannot_reach_the_host_fails_before_touching_the_file(tmp_path):
    path = tmp_path / "ckpt.npz"
    save_npz(path, OLD)
    with pytest.raises(TypeError):
        save_npz(path, {"w": object()})
    assert _listing(tmp_path) == ["ckpt.npz"]
    np.testing.assert_array_equal(load_npz(path)["w"], OLD["w"])


def test_load_refuses_pickled_object_arrays(tmp_path):
    path = tmp_path / "pickled.npz"
    np.savez(path, ok=np.ones(2), obj=np.array([{"a": 1}, None], dtype=object))
    with pytest.raises(ValueError, match="allow_pickle"):
        load_npz(path)


def test_load_of_a_missing_file_raises(tmp_path):
    with pytest.raises(FileNotFoundError):
        load_npz(tmp_path / "nope.npz")


def test_loaded_arrays_stay_valid_after_the_file_is_closed_and_replaced(tmp_path):
    path = tmp_path / "a.npz"
    save_npz(path, OLD)
    loaded = load_npz(path)
    save_npz(path, {"w": np.zeros((2, 3), dtype=np.float32)})
    os.remove(path)
    np.testing.assert_array_equal(to_host(loaded["w"]), OLD["w"])


# ---- names numpy.savez would mistake for its own arguments; temporaries; object arrays ------------------

def test_a_name_file_round_trips(tmp_path):
    save_npz(tmp_path / "a.npz", {"file": np.ones(2)})
    np.testing.assert_array_equal(load_npz(tmp_path / "a.npz")["file"], np.ones(2))


def test_a_name_allow_pickle_round_trips(tmp_path):
    save_npz(tmp_path / "a.npz", {"allow_pickle": np.asarray(1.0), "x": np.ones(2)})
    assert sorted(load_npz(tmp_path / "a.npz")) == ["allow_pickle", "x"]


def test_a_leftover_temporary_of_the_same_name_neither_breaks_the_save_nor_is_deleted(tmp_path):
    path = tmp_path / "ckpt.npz"
    other = tmp_path / f"ckpt.npz.{os.getpid()}.tmp"
    other.write_bytes(b"another writer's data")
    error = None
    try:
        save_npz(path, OLD)
    except FileExistsError as e:
        error = e
    assert other.exists(), "save_npz deleted a temporary file it did not create"
    assert other.read_bytes() == b"another writer's data"
    assert error is None
    np.testing.assert_array_equal(load_npz(path)["w"], OLD["w"])


def test_save_refuses_what_load_would_refuse(tmp_path):
    path = tmp_path / "obj.npz"
    with pytest.raises(ValueError):
        save_npz(path, {"obj": np.array([None, 1], dtype=object)})
    assert not path.exists()


@pytest.mark.skipif(os.name != "posix", reason="POSIX file modes")
def test_overwriting_keeps_the_file_mode(tmp_path):
    path = tmp_path / "private.npz"
    save_npz(path, OLD)
    os.chmod(path, 0o600)
    save_npz(path, {"w": np.zeros(2)})
    assert (os.stat(path).st_mode & 0o777) == 0o600
    np.testing.assert_array_equal(load_npz(path)["w"], np.zeros(2))
