"""read_idx: IDX files (the MNIST format), plain or gzip-compressed, written here byte by byte."""
import gzip

import numpy as np
import pytest

from autograd.backend import read_idx


def _header(type_code, shape):
    return bytes([0, 0, type_code, len(shape)]) + b"".join(int(d).to_bytes(4, "big") for d in shape)


def _write(path, raw):
    path.write_bytes(gzip.compress(raw) if str(path).endswith(".gz") else raw)
    return path


@pytest.fixture(params=["plain", "gz"])
def name(request):
    return "data.idx" if request.param == "plain" else "data.idx.gz"


def test_uint8_3d(tmp_path, name):
    images = np.arange(2 * 3 * 4, dtype=np.uint8).reshape(2, 3, 4) * 10
    raw = bytes([0x00, 0x00, 0x08, 0x03]) + bytes([0, 0, 0, 2, 0, 0, 0, 3, 0, 0, 0, 4]) + images.tobytes()
    got = read_idx(_write(tmp_path / name, raw))
    assert isinstance(got, np.ndarray)
    assert got.shape == (2, 3, 4) and got.dtype == np.uint8
    np.testing.assert_array_equal(got, images)
    assert got[1, 2, 3] == 230
    got[0, 0, 0] = 1  # a writable array of its own


def test_uint8_1d(tmp_path, name):
    labels = np.array([5, 0, 4, 1, 9, 255], dtype=np.uint8)
    got = read_idx(_write(tmp_path / name, _header(0x08, (6,)) + labels.tobytes()))
    assert got.shape == (6,) and got.dtype == np.uint8
    np.testing.assert_array_equal(got, [5, 0, 4, 1, 9, 255])


def test_int32_big_endian(tmp_path, name):
    values = [1, -2, 0x01020304, -(2 ** 31), 2 ** 31 - 1, 0]
    raw = _header(0x0C, (2, 3)) + b"".join(v.to_bytes(4, "big", signed=True) for v in values)
    got = read_idx(_write(tmp_path / name, raw))
    assert got.shape == (2, 3)
    assert got.dtype == np.int32 and got.dtype.isnative
    np.testing.assert_array_equal(got, np.array(values, dtype=np.int32).reshape(2, 3))


def test_float32_big_endian(tmp_path, name):
    values = np.array([1.5, -0.25, 3.0e38, 0.0], dtype=np.float32)
    raw = _header(0x0D, (4,)) + values.astype(">f4").tobytes()
    assert raw[8:12] == bytes([0x3F, 0xC0, 0x00, 0x00])  # 1.5, big-endian
    got = read_idx(_write(tmp_path / name, raw))
    assert got.shape == (4,)
    assert got.dtype == np.float32 and got.dtype.isnative
    np.testing.assert_array_equal(got, values)


def test_other_type_codes(tmp_path):
    cases = [(0x09, np.array([-1, 2], dtype=np.int8), np.int8),
             (0x0B, np.array([-300, 7], dtype=">i2"), np.int16),
             (0x0E, np.array([1e-300, -2.5], dtype=">f8"), np.float64)]
    for code, array, dtype in cases:
        got = read_idx(_write(tmp_path / f"t{code}.idx", _header(code, (2,)) + array.tobytes()))
        assert got.dtype == dtype
        np.testing.assert_array_equal(got, array.astype(dtype))


def test_empty_and_zero_dimensional(tmp_path):
    got = read_idx(_write(tmp_path / "empty.idx", _header(0x08, (0, 28, 28))))
    assert got.shape == (0, 28, 28) and got.dtype == np.uint8
    got = read_idx(_write(tmp_path / "scalar.idx", _header(0x0C, ()) + (42).to_bytes(4, "big")))
    assert got.shape == () and int(got) == 42


def test_accepts_str_paths(tmp_path):
    path = _write(tmp_path / "s.idx.gz", _header(0x08, (2,)) + bytes([7, 8]))
    np.testing.assert_array_equal(read_idx(str(path)), [7, 8])


@pytest.mark.parametrize("raw", [
    bytes([0, 1, 0x08, 1]) + (1).to_bytes(4, "big") + b"\x00",   # second byte not zero
    bytes([1, 0, 0x08, 1]) + (1).to_bytes(4, "big") + b"\x00",   # first byte not zero
    bytes([0, 0, 0x07, 1]) + (1).to_bytes(4, "big") + b"\x00",   # unknown type code
    b"\x00\x00",                                                  # shorter than the magic number
    b"",
    b"PK\x03\x04 not an idx file",
], ids=["byte1", "byte0", "type", "short", "empty", "zip"])
def test_bad_magic_number_raises(tmp_path, name, raw):
    path = _write(tmp_path / name, raw)
    with pytest.raises(ValueError, match="bad magic number"):
        read_idx(path)


def test_truncated_header_raises(tmp_path, name):
    raw = _header(0x08, (5, 28, 28))[:10]  # three dimensions announced, one and a half given
    with pytest.raises(ValueError, match="truncated"):
        read_idx(_write(tmp_path / name, raw))


@pytest.mark.parametrize("delta", [-1, 1, -25])
def test_wrong_data_length_raises(tmp_path, name, delta):
    body = np.arange(25, dtype=np.uint8)
    raw = _header(0x08, (5, 5)) + (body.tobytes()[:delta] if delta < 0 else body.tobytes() + b"\x00" * delta)
    with pytest.raises(ValueError, match=r"\(5, 5\)"):
        read_idx(_write(tmp_path / name, raw))


def test_wrong_data_length_counts_item_size(tmp_path):
    raw = _header(0x0C, (3,)) + bytes(3)  # three int32 need 12 bytes, not 3
    with pytest.raises(ValueError, match="needs 20"):
        read_idx(_write(tmp_path / "i.idx", raw))


@pytest.mark.parametrize("kind", ["truncated-gzip", "not-gzip"])
def test_broken_gzip_raises_value_error(tmp_path, kind):
    raw = _header(0x08, (100,)) + bytes(range(100))
    path = tmp_path / "broken.idx.gz"
    path.write_bytes(gzip.compress(raw)[:-12] if kind == "truncated-gzip" else raw)
    with pytest.raises(ValueError):
        read_idx(path)
