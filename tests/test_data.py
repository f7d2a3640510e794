"""autograd.data: datasets of host arrays, loaders that batch them onto a device, the toy data sets, read_idx
and MNIST (read from tiny IDX files written here; the network is never used)."""
import gzip
import hashlib
import math
import os
import sys

import numpy as np
import pytest

import autograd
from autograd import data
from autograd.backend import to_host

UNREACHABLE = ["http://127.0.0.1:9/"]  # the discard port: refused at once, never the network


def _dataset(n=10, transform=None):
    """x[i] = (i, -i) float32, t[i] = 100 + i int64: every row names its index."""
    i = np.arange(n)
    x = np.stack([i, -i], axis=1).astype(np.float32)
    t = (100 + i).astype(np.int64)
    return data.Dataset(x, t, transform=transform)


def _epoch(loader):
    """The batches of one epoch on the host: [(x, t), ...]."""
    return [(to_host(x), to_host(t)) for x, t in loader]


def _labels(batches):
    return np.concatenate([t for _, t in batches]) if batches else np.zeros(0, dtype=np.int64)


# ---- Dataset -----------------------------------------------------------------------------------------------

def test_dataset_len_and_int_index():
    ds = _dataset(7)
    assert len(ds) == 7
    x, t = ds[3]
    np.testing.assert_array_equal(x, np.array([3.0, -3.0], dtype=np.float32))
    assert x.dtype == np.float32
    assert int(t) == 103
    x, t = ds[-1]
    np.testing.assert_array_equal(x, [6.0, -6.0])
    assert int(t) == 106


def test_dataset_slice_and_integer_array_index():
    ds = _dataset(7)
    x, t = ds[2:5]
    np.testing.assert_array_equal(x, [[2, -2], [3, -3], [4, -4]])
    np.testing.assert_array_equal(t, [102, 103, 104])
    x, t = ds[np.array([6, 0, 3, 3])]
    np.testing.assert_array_equal(x[:, 0], [6, 0, 3, 3])
    np.testing.assert_array_equal(t, [106, 100, 103, 103])
    assert x.shape == (4, 2) and x.dtype == np.float32 and t.dtype == np.int64


def test_dataset_accepts_lists():
    ds = data.Dataset([[1.0, 2.0], [3.0, 4.0]], [0, 1])
    assert len(ds) == 2
    x, t = ds[1]
    np.testing.assert_array_equal(x, [3.0, 4.0])
    assert int(t) == 1


def test_dataset_transform_applies_to_x_only():
    calls = []

    def transform(x):
        calls.append(x.shape)
        return x * 2 + 1

    ds = _dataset(5, transform=transform)
    x, t = ds[2]
    np.testing.assert_array_equal(x, [5.0, -3.0])
    assert int(t) == 102
    x, t = ds[np.array([0, 4])]
    np.testing.assert_array_equal(x, [[1.0, 1.0], [9.0, -7.0]])
    np.testing.assert_array_equal(t, [100, 104])
    assert calls == [(2,), (2, 2)]
    np.testing.assert_array_equal(ds.x[2], [2.0, -2.0])  # the stored data are untouched


def test_dataset_mismatched_lengths_raise():
    with pytest.raises(ValueError, match="3 inputs but 2 targets"):
        data.Dataset(np.zeros((3, 2)), np.zeros(2))


# ---- DataLoader --------------------------------------------------------------------------------------------

@pytest.mark.parametrize("drop_last, sizes", [(False, [4, 4, 2]), (True, [4, 4])])
def test_loader_batch_shapes_and_last_batch(drop_last, sizes):
    loader = data.DataLoader(_dataset(10), batch_size=4, drop_last=drop_last)
    assert len(loader) == len(sizes)
    batches = list(loader)
    assert [x.shape for x, _ in batches] == [(s, 2) for s in sizes]
    assert [t.shape for _, t in batches] == [(s,) for s in sizes]


@pytest.mark.parametrize("n, batch_size, drop_last, expected", [
    (10, 4, False, 3), (10, 4, True, 2), (12, 4, False, 3), (12, 4, True, 3),
    (3, 5, False, 1), (3, 5, True, 0), (0, 2, False, 0), (10, 1, False, 10)])
def test_loader_len(n, batch_size, drop_last, expected):
    loader = data.DataLoader(_dataset(n), batch_size=batch_size, drop_last=drop_last)
    assert len(loader) == expected
    assert len(list(loader)) == expected


def test_loader_every_item_once_per_epoch_and_pairs_kept():
    loader = data.DataLoader(_dataset(10), batch_size=4, shuffle=True)
    for _ in range(3):
        batches = _epoch(loader)
        labels = _labels(batches)
        np.testing.assert_array_equal(np.sort(labels), np.arange(100, 110))
        for x, t in batches:  # inputs stay with their targets
            np.testing.assert_array_equal(x[:, 0], t - 100)
            np.testing.assert_array_equal(x[:, 1], 100 - t)


def test_loader_drop_last_shuffled_drops_distinct_items():
    loader = data.DataLoader(_dataset(10), batch_size=4, shuffle=True, drop_last=True)
    labels = _labels(_epoch(loader))
    assert labels.shape == (8,)
    assert len(set(labels.tolist())) == 8
    assert set(labels.tolist()) <= set(range(100, 110))


def test_loader_without_shuffle_keeps_dataset_order():
    loader = data.DataLoader(_dataset(10), batch_size=4, shuffle=False)
    batches = _epoch(loader)
    np.testing.assert_array_equal(batches[0][1], [100, 101, 102, 103])
    np.testing.assert_array_equal(batches[2][1], [108, 109])
    np.testing.assert_array_equal(batches[1][0], [[4, -4], [5, -5], [6, -6], [7, -7]])
    np.testing.assert_array_equal(_labels(_epoch(loader)), np.arange(100, 110))  # every epoch the same


def test_loader_shuffle_is_reproducible_and_changes_each_epoch():
    loader = data.DataLoader(_dataset(20), batch_size=6, shuffle=True)
    autograd.seed(7)
    first = _labels(_epoch(loader))
    second = _labels(_epoch(loader))
    autograd.seed(7)
    again = _labels(_epoch(loader))
    np.testing.assert_array_equal(first, again)
    assert not np.array_equal(first, second)
    assert not np.array_equal(first, np.arange(100, 120))  # actually shuffled
    autograd.seed(8)
    assert not np.array_equal(_labels(_epoch(loader)), first)


def test_loader_shuffle_follows_the_data_generator():
    loader = data.DataLoader(_dataset(10), batch_size=10, shuffle=True)
    autograd.seed(3)
    expected = np.random.default_rng([3, 1]).permutation(10) + 100
    np.testing.assert_array_equal(_labels(_epoch(loader)), expected)


def test_shuffling_and_data_sets_leave_the_initial_weights_alone():
    from autograd import layer

    def first_weights(touch_data):
        autograd.seed(0)
        if touch_data:
            list(data.DataLoader(data.spiral(), batch_size=30, shuffle=True))
        return to_host(layer.Linear(3, in_size=2).W).copy()

    np.testing.assert_array_equal(first_weights(True), first_weights(False))


def test_floating_data_is_stored_as_float32_unless_told_otherwise():
    x64, y64 = np.ones((4, 2)), np.zeros((4, 1))
    labels = np.arange(4)
    ds = data.Dataset(x64, y64)
    assert ds.x.dtype == np.float32 and ds.t.dtype == np.float32
    assert data.Dataset(x64, labels).t.dtype == labels.dtype
    kept = data.Dataset(x64, y64, dtype=None)
    assert kept.x.dtype == np.float64 and kept.t.dtype == np.float64


def test_a_sequence_of_pairs_is_gathered_item_by_item(device):
    pairs = [(np.full(3, i, np.float32), np.int64(i)) for i in range(7)]
    batches = list(data.DataLoader(pairs, batch_size=3, shuffle=False, device=device))
    assert [tuple(x.shape) for x, _ in batches] == [(3, 3), (3, 3), (1, 3)]
    np.testing.assert_array_equal(to_host(batches[1][0])[:, 0], [3, 4, 5])
    np.testing.assert_array_equal(to_host(batches[2][1]), [6])
    assert batches[0][0].device == device


def test_loader_batches_are_constants_on_the_device_with_dtypes_kept(device):
    loader = data.DataLoader(_dataset(10), batch_size=4, shuffle=False, device=device)
    assert loader.device == device
    batches = list(loader)
    for x, t in batches:
        assert isinstance(x, autograd.Variable) and isinstance(t, autograd.Variable)
        assert x.requires_grad is False and t.requires_grad is False
        assert x.creator is None and t.creator is None
        assert x.device == device and t.device == device
        assert to_host(x).dtype == np.float32
        assert to_host(t).dtype == np.int64
    np.testing.assert_array_equal(to_host(batches[2][0]), [[8, -8], [9, -9]])
    np.testing.assert_array_equal(to_host(batches[0][1]), [100, 101, 102, 103])


def test_loader_device_by_name(device):
    loader = data.DataLoader(_dataset(4), batch_size=2, device=device.name)
    x, t = next(iter(loader))
    assert x.device == device and t.device == device


@pytest.mark.parametrize("batch_size", [0, -1, 2.5, True, False, "4", None])
def test_loader_bad_batch_size_raises(batch_size):
    with pytest.raises(ValueError, match="batch_size"):
        data.DataLoader(_dataset(4), batch_size=batch_size)


def test_loader_unknown_device_raises():
    with pytest.raises(autograd.DeviceError, match="tpu"):
        data.DataLoader(_dataset(4), batch_size=2, device="tpu")


def test_loader_applies_the_dataset_transform():
    loader = data.DataLoader(_dataset(4, transform=lambda x: x + 0.5), batch_size=4, shuffle=False)
    x, t = next(iter(loader))
    np.testing.assert_array_equal(to_host(x)[:, 0], [0.5, 1.5, 2.5, 3.5])
    assert to_host(x).dtype == np.float32
    np.testing.assert_array_equal(to_host(t), [100, 101, 102, 103])


# ---- SeqDataLoader -----------------------------------------------------------------------------------------

def test_seq_loader_batches_are_time_steps_of_equal_streams():
    ds = data.Dataset(np.arange(10, dtype=np.float32).reshape(10, 1), np.arange(10, dtype=np.int64) + 50)
    loader = data.SeqDataLoader(ds, batch_size=3)
    assert len(loader) == 3  # 10 // 3; element 9 is left over
    batches = _epoch(loader)
    # streams of length 3: [0 1 2], [3 4 5], [6 7 8]; batch i holds element i of each
    expected = [[0, 3, 6], [1, 4, 7], [2, 5, 8]]
    assert len(batches) == 3
    for (x, t), idx in zip(batches, expected):
        assert x.shape == (3, 1) and t.shape == (3,)
        np.testing.assert_array_equal(x[:, 0], idx)
        np.testing.assert_array_equal(t, np.array(idx) + 50)


@pytest.mark.parametrize("n, batch_size", [(12, 4), (13, 4), (7, 7), (9, 1), (20, 6)])
def test_seq_loader_indices_match_hand_computation(n, batch_size):
    ds = data.Dataset(np.arange(n, dtype=np.float32), np.arange(n, dtype=np.int64))
    loader = data.SeqDataLoader(ds, batch_size=batch_size)
    steps = n // batch_size
    assert len(loader) == steps
    got = np.stack([t for _, t in _epoch(loader)])
    expected = np.array([[s * steps + i for s in range(batch_size)] for i in range(steps)])
    np.testing.assert_array_equal(got, expected)


def test_seq_loader_is_never_shuffled():
    ds = data.Dataset(np.arange(12, dtype=np.float32), np.arange(12, dtype=np.int64))
    loader = data.SeqDataLoader(ds, batch_size=4)
    autograd.seed(1)
    first = _labels(_epoch(loader))
    second = _labels(_epoch(loader))
    np.testing.assert_array_equal(first, second)
    np.testing.assert_array_equal(first, [0, 3, 6, 9, 1, 4, 7, 10, 2, 5, 8, 11])


def test_seq_loader_too_short_dataset_raises():
    ds = data.Dataset(np.arange(3, dtype=np.float32), np.arange(3))
    with pytest.raises(ValueError, match="3 elements"):
        data.SeqDataLoader(ds, batch_size=4)


@pytest.mark.parametrize("batch_size", [0, -2, 1.5, True])
def test_seq_loader_bad_batch_size_raises(batch_size):
    with pytest.raises(ValueError):
        data.SeqDataLoader(_dataset(8), batch_size=batch_size)


def test_seq_loader_device_placement(device):
    ds = data.Dataset(np.arange(8, dtype=np.float32).reshape(8, 1), np.arange(8, dtype=np.int64))
    loader = data.SeqDataLoader(ds, batch_size=2, device=device)
    batches = list(loader)
    assert len(batches) == 4
    for x, t in batches:
        assert x.device == device and t.device == device
        assert x.requires_grad is False and t.requires_grad is False
        assert to_host(x).dtype == np.float32 and to_host(t).dtype == np.int64
    np.testing.assert_array_equal(to_host(batches[1][1]), [1, 5])


def test_seq_loader_unknown_device_raises():
    with pytest.raises(autograd.DeviceError):
        data.SeqDataLoader(_dataset(8), batch_size=2, device="gpu")


# ---- spiral ------------------------------------------------------------------------------------------------

def test_spiral_shapes_dtypes_and_classes():
    ds = data.spiral()
    assert len(ds) == 300
    assert ds.x.shape == (300, 2) and ds.x.dtype == np.float32
    assert ds.t.shape == (300,) and ds.t.dtype == np.int64
    np.testing.assert_array_equal(np.bincount(ds.t), [100, 100, 100])
    np.testing.assert_array_equal(ds.t[:100], 0)
    np.testing.assert_array_equal(ds.t[200:], 2)
    radius = np.hypot(ds.x[:, 0].astype(np.float64), ds.x[:, 1].astype(np.float64))
    assert radius.min() >= 0.0 and radius.max() <= 1.0 + 1e-6
    # the radius of each arm runs evenly from 0 to 1
    for k in range(3):
        np.testing.assert_allclose(radius[100 * k:100 * (k + 1)], np.linspace(0.0, 1.0, 100), atol=1e-6)


def test_spiral_arguments():
    ds = data.spiral(num_per_class=7, num_classes=4)
    assert ds.x.shape == (28, 2) and ds.t.shape == (28,)
    np.testing.assert_array_equal(ds.t, np.repeat(np.arange(4), 7))
    assert set(ds.t.tolist()) == {0, 1, 2, 3}


def test_spiral_reproducible_under_seed():
    autograd.seed(11)
    a = data.spiral()
    b = data.spiral()
    autograd.seed(11)
    c = data.spiral()
    np.testing.assert_array_equal(a.x, c.x)
    np.testing.assert_array_equal(a.t, c.t)
    assert not np.array_equal(a.x, b.x)


# ---- sin_curve ---------------------------------------------------------------------------------------------

def test_sin_curve_shapes_and_next_value_targets():
    ds = data.sin_curve()
    assert len(ds) == 999
    assert ds.x.shape == (999, 1) and ds.x.dtype == np.float32
    assert ds.t.shape == (999, 1) and ds.t.dtype == np.float32
    np.testing.assert_array_equal(ds.t[:-1], ds.x[1:])


def test_sin_curve_within_noise_of_the_sine():
    ds = data.sin_curve(noise=0.05)
    theta = np.linspace(0.0, 2.0 * math.pi, 1000)
    y = np.concatenate([ds.x[:, 0], ds.t[-1:, 0]]).astype(np.float64)
    deviation = y - np.sin(theta)
    assert np.all(np.abs(deviation) <= 0.05 + 1e-6)
    assert np.abs(deviation).max() > 0.03  # the noise is really there
    assert abs(deviation.mean()) < 0.01  # and centred


def test_sin_curve_arguments_and_reproducibility():
    ds = data.sin_curve(num=11, noise=0.0)
    theta = np.linspace(0.0, 2.0 * math.pi, 11)
    assert ds.x.shape == (10, 1)
    np.testing.assert_allclose(ds.x[:, 0], np.sin(theta[:-1]), atol=1e-7)
    autograd.seed(4)
    a = data.sin_curve()
    autograd.seed(4)
    b = data.sin_curve()
    np.testing.assert_array_equal(a.x, b.x)


def test_sin_curve_test_set_is_the_clean_cosine():
    ds = data.sin_curve(train=False)
    theta = np.linspace(0.0, 2.0 * math.pi, 1000)
    expected = np.cos(theta).astype(np.float32)
    assert ds.x.shape == (999, 1) and ds.x.dtype == np.float32
    np.testing.assert_array_equal(ds.x[:, 0], expected[:-1])
    np.testing.assert_array_equal(ds.t[:, 0], expected[1:])
    np.testing.assert_array_equal(data.sin_curve(train=False).x, ds.x)  # no randomness


# ---- digits ------------------------------------------------------------------------------------------------

def _rows(ds):
    """The (t, x...) rows of a dataset, sorted: a multiset of the examples."""
    rows = np.concatenate([ds.t[:, None].astype(np.float64), ds.x.astype(np.float64)], axis=1)
    return rows[np.lexsort(rows.T[::-1])]


def test_digits_split():
    sklearn_datasets = pytest.importorskip("sklearn.datasets")
    train, test = data.digits(train=True), data.digits(train=False)
    assert len(train) + len(test) == 1797
    assert len(test) == 359  # round(1797 * 0.2)
    for ds in (train, test):
        assert ds.x.shape == (len(ds), 64) and ds.x.dtype == np.float32
        assert ds.t.dtype == np.int64
        assert ds.x.min() >= 0.0 and ds.x.max() <= 1.0
        assert set(np.unique(ds.t).tolist()) <= set(range(10))
    assert set(np.unique(train.t).tolist()) == set(range(10))
    assert train.x.max() == 1.0
    # train and test together are the whole set, each example exactly once: a partition
    bunch = sklearn_datasets.load_digits()
    full = data.Dataset((bunch.data / 16.0).astype(np.float32), bunch.target.astype(np.int64))
    both = data.Dataset(np.concatenate([train.x, test.x]), np.concatenate([train.t, test.t]))
    np.testing.assert_array_equal(_rows(both), _rows(full))


def test_digits_split_is_fixed_and_ignores_the_seed():
    pytest.importorskip("sklearn")
    autograd.seed(1)
    a = data.digits(train=False)
    autograd.seed(2)
    b = data.digits(train=False)
    np.random.default_rng(5).random(3)
    c = data.digits(train=False)
    np.testing.assert_array_equal(a.x, b.x)
    np.testing.assert_array_equal(a.t, b.t)
    np.testing.assert_array_equal(a.x, c.x)
    half = data.digits(train=False, test_fraction=0.5)
    assert len(half) == 1797 - round(1797 * 0.5)


@pytest.mark.parametrize("test_fraction", [1.5, -0.5])
def test_digits_test_fraction_out_of_range_raises(test_fraction):
    pytest.importorskip("sklearn")
    with pytest.raises(ValueError, match="test_fraction"):
        data.digits(train=True, test_fraction=test_fraction)


# ---- MNIST without the network -----------------------------------------------------------------------------

def _idx_bytes(array, type_code):
    dims = b"".join(int(d).to_bytes(4, "big") for d in array.shape)
    return bytes([0, 0, type_code, array.ndim]) + dims + array.tobytes()


def _md5(path):
    return hashlib.md5(path.read_bytes()).hexdigest()


@pytest.fixture
def mnist_files(tmp_path, monkeypatch):
    """Tiny MNIST files in tmp_path (5 training, 3 test images), their MD5s in MNIST_FILES, mirrors unreachable."""
    rng = np.random.default_rng(0)
    arrays = {}
    files = {}
    for prefix, n in (("train", 5), ("t10k", 3)):
        images = rng.integers(0, 256, size=(n, 28, 28), dtype=np.uint8)
        images[0, 0, 0], images[-1, -1, -1] = 0, 255
        labels = rng.integers(0, 10, size=n, dtype=np.uint8)
        for kind, array in (("images-idx3-ubyte", images), ("labels-idx1-ubyte", labels)):
            name = f"{prefix}-{kind}.gz"
            path = tmp_path / name
            path.write_bytes(gzip.compress(_idx_bytes(array, 0x08)))
            files[name] = _md5(path)
        arrays[prefix] = (images, labels)
    monkeypatch.setattr(data, "MNIST_FILES", files)
    monkeypatch.setattr(data, "MNIST_MIRRORS", UNREACHABLE)
    return tmp_path, arrays


@pytest.mark.parametrize("train, prefix", [(True, "train"), (False, "t10k")])
def test_mnist_reads_cached_files(mnist_files, train, prefix):
    directory, arrays = mnist_files
    images, labels = arrays[prefix]
    ds = data.mnist(train=train, directory=directory)
    n = images.shape[0]
    assert len(ds) == n
    assert ds.x.shape == (n, 784) and ds.x.dtype == np.float32
    assert ds.t.shape == (n,) and ds.t.dtype == np.int64
    np.testing.assert_allclose(ds.x, images.reshape(n, 784).astype(np.float64) / 255.0, rtol=1e-6, atol=0)
    assert ds.x[0, 0] == 0.0 and ds.x[-1, -1] == 1.0
    np.testing.assert_array_equal(ds.t, labels.astype(np.int64))


def test_mnist_uses_cache_dir_by_default(mnist_files, monkeypatch):
    directory, arrays = mnist_files
    monkeypatch.setenv("AUTOGRAD_DATA", str(directory))
    ds = data.mnist(train=False)
    np.testing.assert_array_equal(ds.t, arrays["t10k"][1])


def test_mnist_images_and_labels_of_different_counts_raise(mnist_files, monkeypatch):
    directory, _ = mnist_files
    labels = directory / "train-labels-idx1-ubyte.gz"
    labels.write_bytes(gzip.compress(_idx_bytes(np.zeros(4, dtype=np.uint8), 0x08)))
    monkeypatch.setitem(data.MNIST_FILES, "train-labels-idx1-ubyte.gz", _md5(labels))
    with pytest.raises(ValueError, match="do not match"):
        data.mnist(train=True, directory=directory)


def test_cache_dir_honours_environment(monkeypatch, tmp_path):
    monkeypatch.setenv("AUTOGRAD_DATA", str(tmp_path / "mine"))
    assert data.cache_dir() == str(tmp_path / "mine")


def test_cache_dir_default_under_home(monkeypatch, tmp_path):
    monkeypatch.delenv("AUTOGRAD_DATA", raising=False)
    monkeypatch.setenv("HOME", str(tmp_path))
    assert data.cache_dir() == os.path.join(str(tmp_path), ".cache", "autograd")
    monkeypatch.setenv("AUTOGRAD_DATA", "")  # empty means unset
    assert data.cache_dir() == os.path.join(str(tmp_path), ".cache", "autograd")


def test_mnist_checksum_mismatch_offline_raises_connection_error(mnist_files, monkeypatch):
    pytest.importorskip("pooch")
    directory, _ = mnist_files
    name = "train-images-idx3-ubyte.gz"
    monkeypatch.setitem(data.MNIST_FILES, name, "0" * 32)  # the cached file no longer matches
    with pytest.raises(ConnectionError) as info:
        data.mnist(train=True, directory=directory)
    message = str(info.value)
    assert name in message
    assert str(directory) in message
    assert "127.0.0.1:9" in message
    assert (directory / name).exists()  # the cached file is left alone


def test_mnist_empty_cache_offline_raises_connection_error(tmp_path, monkeypatch):
    pytest.importorskip("pooch")
    monkeypatch.setattr(data, "MNIST_MIRRORS", UNREACHABLE + ["http://127.0.0.1:9/other/"])
    with pytest.raises(ConnectionError) as info:
        data.mnist(train=False, directory=tmp_path / "empty")
    message = str(info.value)
    assert "t10k-images-idx3-ubyte.gz" in message
    assert str(tmp_path / "empty") in message
    assert "127.0.0.1:9/other/" in message  # every mirror was tried
    assert data.MNIST_FILES["t10k-images-idx3-ubyte.gz"] in message  # how to fix it offline


def test_fetch_returns_cached_path(tmp_path, monkeypatch):
    pytest.importorskip("pooch")
    path = tmp_path / "file.bin"
    path.write_bytes(b"hello")
    got = data.fetch("file.bin", _md5(path), UNREACHABLE, directory=tmp_path)
    assert os.path.samefile(got, path)
    assert path.read_bytes() == b"hello"


def test_fetch_without_pooch_raises_import_error(tmp_path, monkeypatch):
    monkeypatch.setitem(sys.modules, "pooch", None)
    with pytest.raises(ImportError, match="pip install pooch"):
        data.fetch("file.bin", "0" * 32, UNREACHABLE, directory=tmp_path)
    with pytest.raises(ImportError, match="pip install pooch"):
        data.mnist(directory=tmp_path)


# ---- read_idx: IDX files (the MNIST format), plain or gzip-compressed, written here byte by byte ----------


def _idx_header(type_code, shape):
    return bytes([0, 0, type_code, len(shape)]) + b"".join(int(d).to_bytes(4, "big") for d in shape)


def _write_idx(path, raw):
    path.write_bytes(gzip.compress(raw) if str(path).endswith(".gz") else raw)
    return path


@pytest.fixture(params=["plain", "gz"])
def idx_name(request):
    return "data.idx" if request.param == "plain" else "data.idx.gz"


def test_read_idx_uint8_3d(tmp_path, idx_name):
    images = np.arange(2 * 3 * 4, dtype=np.uint8).reshape(2, 3, 4) * 10
    raw = bytes([0x00, 0x00, 0x08, 0x03]) + bytes([0, 0, 0, 2, 0, 0, 0, 3, 0, 0, 0, 4]) + images.tobytes()
    got = data.read_idx(_write_idx(tmp_path / idx_name, raw))
    assert isinstance(got, np.ndarray)
    assert got.shape == (2, 3, 4) and got.dtype == np.uint8
    np.testing.assert_array_equal(got, images)
    assert got[1, 2, 3] == 230
    got[0, 0, 0] = 1  # a writable array of its own


def test_read_idx_uint8_1d(tmp_path, idx_name):
    labels = np.array([5, 0, 4, 1, 9, 255], dtype=np.uint8)
    got = data.read_idx(_write_idx(tmp_path / idx_name, _idx_header(0x08, (6,)) + labels.tobytes()))
    assert got.shape == (6,) and got.dtype == np.uint8
    np.testing.assert_array_equal(got, [5, 0, 4, 1, 9, 255])


def test_read_idx_int32_big_endian(tmp_path, idx_name):
    values = [1, -2, 0x01020304, -(2 ** 31), 2 ** 31 - 1, 0]
    raw = _idx_header(0x0C, (2, 3)) + b"".join(v.to_bytes(4, "big", signed=True) for v in values)
    got = data.read_idx(_write_idx(tmp_path / idx_name, raw))
    assert got.shape == (2, 3)
    assert got.dtype == np.int32 and got.dtype.isnative
    np.testing.assert_array_equal(got, np.array(values, dtype=np.int32).reshape(2, 3))


def test_read_idx_float32_big_endian(tmp_path, idx_name):
    values = np.array([1.5, -0.25, 3.0e38, 0.0], dtype=np.float32)
    raw = _idx_header(0x0D, (4,)) + values.astype(">f4").tobytes()
    assert raw[8:12] == bytes([0x3F, 0xC0, 0x00, 0x00])  # 1.5, big-endian
    got = data.read_idx(_write_idx(tmp_path / idx_name, raw))
    assert got.shape == (4,)
    assert got.dtype == np.float32 and got.dtype.isnative
    np.testing.assert_array_equal(got, values)


def test_read_idx_other_type_codes(tmp_path):
    cases = [(0x09, np.array([-1, 2], dtype=np.int8), np.int8),
             (0x0B, np.array([-300, 7], dtype=">i2"), np.int16),
             (0x0E, np.array([1e-300, -2.5], dtype=">f8"), np.float64)]
    for code, array, dtype in cases:
        got = data.read_idx(_write_idx(tmp_path / f"t{code}.idx", _idx_header(code, (2,)) + array.tobytes()))
        assert got.dtype == dtype
        np.testing.assert_array_equal(got, array.astype(dtype))


def test_read_idx_empty_and_zero_dimensional(tmp_path):
    got = data.read_idx(_write_idx(tmp_path / "empty.idx", _idx_header(0x08, (0, 28, 28))))
    assert got.shape == (0, 28, 28) and got.dtype == np.uint8
    got = data.read_idx(_write_idx(tmp_path / "scalar.idx", _idx_header(0x0C, ()) + (42).to_bytes(4, "big")))
    assert got.shape == () and int(got) == 42


def test_read_idx_accepts_str_paths(tmp_path):
    path = _write_idx(tmp_path / "s.idx.gz", _idx_header(0x08, (2,)) + bytes([7, 8]))
    np.testing.assert_array_equal(data.read_idx(str(path)), [7, 8])


@pytest.mark.parametrize("raw", [
    bytes([0, 1, 0x08, 1]) + (1).to_bytes(4, "big") + b"\x00",   # second byte not zero
    bytes([1, 0, 0x08, 1]) + (1).to_bytes(4, "big") + b"\x00",   # first byte not zero
    bytes([0, 0, 0x07, 1]) + (1).to_bytes(4, "big") + b"\x00",   # unknown type code
    b"\x00\x00",                                                  # shorter than the magic number
    b"",
    b"PK\x03\x04 not an idx file",
], ids=["byte1", "byte0", "type", "short", "empty", "zip"])
def test_read_idx_bad_magic_number_raises(tmp_path, idx_name, raw):
    path = _write_idx(tmp_path / idx_name, raw)
    with pytest.raises(ValueError, match="bad magic number"):
        data.read_idx(path)


def test_read_idx_truncated_header_raises(tmp_path, idx_name):
    raw = _idx_header(0x08, (5, 28, 28))[:10]  # three dimensions announced, one and a half given
    with pytest.raises(ValueError, match="truncated"):
        data.read_idx(_write_idx(tmp_path / idx_name, raw))


@pytest.mark.parametrize("delta", [-1, 1, -25])
def test_read_idx_wrong_data_length_raises(tmp_path, idx_name, delta):
    body = np.arange(25, dtype=np.uint8)
    raw = _idx_header(0x08, (5, 5)) + (body.tobytes()[:delta] if delta < 0 else body.tobytes() + b"\x00" * delta)
    with pytest.raises(ValueError, match=r"\(5, 5\)"):
        data.read_idx(_write_idx(tmp_path / idx_name, raw))


def test_read_idx_wrong_data_length_counts_item_size(tmp_path):
    raw = _idx_header(0x0C, (3,)) + bytes(3)  # three int32 need 12 bytes, not 3
    with pytest.raises(ValueError, match="needs 20"):
        data.read_idx(_write_idx(tmp_path / "i.idx", raw))


@pytest.mark.parametrize("kind", ["truncated-gzip", "not-gzip"])
def test_read_idx_broken_gzip_raises_value_error(tmp_path, kind):
    raw = _idx_header(0x08, (100,)) + bytes(range(100))
    path = tmp_path / "broken.idx.gz"
    path.write_bytes(gzip.compress(raw)[:-12] if kind == "truncated-gzip" else raw)
    with pytest.raises(ValueError):
        data.read_idx(path)
