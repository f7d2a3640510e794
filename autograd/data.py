"""Data: datasets of host arrays and loaders that hand out batches on a device.

A [Dataset][autograd.data.Dataset] holds host arrays `x` and `t` (inputs and targets) and indexes like a
sequence: `dataset[i] -> (x[i], t[i])`. A [DataLoader][autograd.data.DataLoader] gathers a batch on the host,
then puts it on its device once, as constant Variables ready for a model:

    train = data.spiral()
    for x, t in data.DataLoader(train, batch_size=30, device="cuda"):
        loss = F.cross_entropy(model(x), t)

Shuffling and generated data draw from their own generator, reseeded by [autograd.seed][autograd.backend.seed]:
runs are reproducible, and loading or shuffling data never changes a model's initial weights.
"""
import array
import gzip
import math
import os
import sys
import zlib

from autograd._checks import is_integer
from autograd.backend import CPU, data_rng, get_device, to_host
from autograd.variable import Variable

__all__ = ["Dataset", "DataLoader", "SeqDataLoader", "spiral", "sin_curve", "digits", "mnist", "read_idx", "cache_dir",
           "fetch"]

xp = CPU.xp  # datasets are host arrays


class Dataset:
    """Inputs `x` and targets `t` (host arrays of equal length); `transform` maps each input batch.

    Floating-point arrays are stored as `dtype` (float32 by default, the parameters' dtype; None keeps them);
    labels keep their dtype. `dataset[index]` gives `(x[index], t[index])` for an int, a slice or integer indices.

    Raises:
        ValueError: `x` and `t` have different lengths.

    Examples:
        >>> from autograd import data
        >>> ds = data.Dataset([[1.0, 2.0], [3.0, 4.0], [5.0, 6.0]], [0, 1, 0])
        >>> len(ds), str(ds.x.dtype), str(ds.t.dtype), ds[1][0].tolist()
        (3, 'float32', 'int64', [3.0, 4.0])
    """

    def __init__(self, x, t, transform=None, dtype="float32"):
        x, t = _as_dtype(x, dtype), _as_dtype(t, dtype)
        if x.shape[0] != t.shape[0]:
            raise ValueError(f"Dataset: {x.shape[0]} inputs but {t.shape[0]} targets")
        self.x, self.t, self.transform = x, t, transform

    def __len__(self):
        return self.x.shape[0]

    def __getitem__(self, index):
        """`(x, t)` of one index, a slice or an integer array of indices, `transform` applied to x."""
        x = self.x[index]
        return (x if self.transform is None else self.transform(x)), self.t[index]


def _as_dtype(array, dtype):
    array = xp.asarray(array)
    if dtype is not None and xp.isdtype(array.dtype, "real floating"):
        array = xp.astype(array, getattr(xp, dtype))
    return array


def _check_batch_size(batch_size):
    if not is_integer(batch_size) or batch_size < 1:  # a NumPy integer too
        raise ValueError(f"batch_size must be a positive int, got {batch_size!r}")
    return int(batch_size)


class DataLoader:
    """Batches of `batch_size` (the last one smaller unless `drop_last`) as constant Variables on `device`;
    `shuffle` draws a new order every epoch from [data_rng][autograd.backend.data_rng] (reseeded by
    [autograd.seed][autograd.backend.seed]).

    `dataset` is a [Dataset][autograd.data.Dataset] (gathered a batch at a time) or any sequence of (x, t) pairs,
    such as a PyTorch-style dataset (stacked item by item). Each batch is copied to `device` once.

    Each `iter(loader)` starts a new epoch, except the first one after
    [load_state_dict][autograd.data.DataLoader.load_state_dict], which goes on from where the saved epoch was
    (so [checkpoint.save][autograd.checkpoint.save] can take the loader and a run resumes mid-epoch exactly).

    Raises:
        ValueError: `batch_size` is not a positive int.
        DeviceError: `device` is unknown or not present on this machine.

    Examples:
        >>> from autograd import data
        >>> loader = data.DataLoader(data.spiral(), batch_size=32)
        >>> x, t = next(iter(loader))
        >>> len(loader), x.shape, t.shape, x.requires_grad
        (10, (32, 2), (32,), False)
    """

    def __init__(self, dataset, batch_size, shuffle=True, device="cpu", drop_last=False):
        batch_size = _check_batch_size(batch_size)  # a Python int, from a NumPy integer too
        self.dataset, self.batch_size, self.shuffle, self.drop_last = dataset, batch_size, shuffle, drop_last
        self.device = get_device(device)
        self._order, self._position = None, 0  # the epoch in progress: its order, the batches handed out
        self._resume = None  # (order, position) to go on from, set by load_state_dict

    def __len__(self):
        n, b = len(self.dataset), self.batch_size
        return n // b if self.drop_last else math.ceil(n / b)

    def __iter__(self):
        if self._resume is not None:
            (order, start), self._resume = self._resume, None
        else:
            n = len(self.dataset)
            order, start = (data_rng().permutation(n) if self.shuffle else xp.arange(n)), 0
        self._order, self._position = order, start
        for i in range(start, len(self)):
            x, t = self._gather(self._indices(order, i))
            self._position = i + 1
            yield self._put(x), self._put(t)
        self._order, self._position = None, 0  # the epoch is over: a state saved now begins a new one

    def _indices(self, order, i):
        """The dataset indices of batch `i` of an epoch in `order`."""
        return order[i * self.batch_size:(i + 1) * self.batch_size]

    def state_dict(self):
        """`{"order", "position", "batch_size"}` as host arrays: the epoch in progress (its order of the dataset
        and how many batches it handed out; an empty order when no epoch is in progress: before the first, or
        after one iterated to its end) and the batch size.

        Examples:
            >>> from autograd import data
            >>> loader = data.DataLoader(data.Dataset([[1.0], [2.0], [3.0]], [0, 1, 2]), batch_size=2, shuffle=False)
            >>> batches = iter(loader); _ = next(batches)
            >>> state = loader.state_dict()
            >>> state["order"].tolist(), int(state["position"])
            ([0, 1, 2], 1)
            >>> again = data.DataLoader(loader.dataset, batch_size=2, shuffle=False)
            >>> again.load_state_dict(state)
            >>> [x.shape for x, t in again]           # the rest of that epoch: batch 1 of 2
            [(1, 1)]
        """
        order = xp.zeros(0, dtype=xp.int64) if self._order is None else xp.astype(self._order, xp.int64)
        return {"order": order, "position": xp.asarray(self._position, dtype=xp.int64),
                "batch_size": xp.asarray(self.batch_size, dtype=xp.int64)}

    def check_state_dict(self, state):
        """The `(order, position)` that `state` (from [state_dict][autograd.data.DataLoader.state_dict]) resumes,
        None for no epoch in progress (none begun, or the last one iterated to its end), changing nothing; ValueError naming what does not fit this
        loader (another batch size, an order that is not a permutation of this dataset, a position outside it)."""
        name = type(self).__name__
        if set(state) != {"order", "position", "batch_size"}:
            raise ValueError(f"{name}.load_state_dict: expected entries ['batch_size', 'order', 'position'], "
                             f"got {sorted(state)}")
        order, position, batch_size = (to_host(state[k]) for k in ("order", "position", "batch_size"))
        if any(a.shape != () or a.dtype.kind not in "iu" for a in (position, batch_size)):
            raise ValueError(f"{name}.load_state_dict: position and batch_size must be integers, got "
                             f"{position.dtype} {position.shape} and {batch_size.dtype} {batch_size.shape}")
        if int(batch_size) != self.batch_size:
            raise ValueError(f"{name}.load_state_dict: the state was saved with batch_size={int(batch_size)}, "
                             f"this loader has batch_size={self.batch_size}")
        if order.size == 0 and int(position) == 0:
            return None
        n = len(self.dataset)
        if order.shape != (n,) or order.dtype.kind not in "iu" or not (xp.sort(order) == xp.arange(n)).all():
            raise ValueError(f"{name}.load_state_dict: the order {order.dtype} {order.shape} is not a permutation "
                             f"of this loader's {n} elements")
        if not 0 <= int(position) <= len(self):
            raise ValueError(f"{name}.load_state_dict: position {int(position)} is outside this loader's "
                             f"{len(self)} batches")
        return order, int(position)  # position == len(self): saved during the last batch, whose epoch ends here

    def load_state_dict(self, state):
        """Make the next `iter(loader)` go on with the epoch `state` describes, from the batch after the last one
        it handed out, in the same order (nothing more if that was its last batch); with no epoch in progress then,
        a new epoch, as usual. Checked first
        ([check_state_dict][autograd.data.DataLoader.check_state_dict]), so a refused state changes nothing.

        Random numbers are not part of it: restore them too
        ([set_rng_state][autograd.backend.set_rng_state], which [checkpoint.load][autograd.checkpoint.load] does)
        so that the epochs after it shuffle the same way."""
        self._resume = self.check_state_dict(state)

    def _gather(self, index):
        if isinstance(self.dataset, Dataset):
            return self.dataset[index]
        items = [self.dataset[int(i)] for i in index]
        return tuple(xp.stack([xp.asarray(item[k]) for item in items]) for k in (0, 1))

    def _put(self, array):
        return Variable(self.device.put(array), requires_grad=False)


class SeqDataLoader(DataLoader):
    """For truncated backprop through time over one long sequence: it is cut into `batch_size` streams of equal
    length, and batch i holds element i of every stream (consecutive batches are consecutive time steps). Never
    shuffled; the last `len(dataset) % batch_size` elements are left out.

    Raises:
        ValueError: `batch_size` is not a positive int, or the dataset is shorter than `batch_size`.

    Examples:
        >>> from autograd import data
        >>> loader = data.SeqDataLoader(data.sin_curve(num=101), batch_size=10)
        >>> len(loader), next(iter(loader))[0].shape
        (10, (10, 1))
    """

    def __init__(self, dataset, batch_size, device="cpu"):
        super().__init__(dataset, batch_size, shuffle=False, device=device, drop_last=True)
        if len(dataset) < batch_size:
            raise ValueError(f"SeqDataLoader: {len(dataset)} elements cannot make {batch_size} streams")

    def _indices(self, order, i):
        return xp.arange(self.batch_size) * len(self) + i  # element i of each of the batch_size streams


# ---- data sets ---------------------------------------------------------------------------------------------

def spiral(num_per_class=100, num_classes=3):
    """Points on `num_classes` interleaved noisy spiral arms (CS231n's toy problem): x float32 (N, 2), t int64 (N,).

    Class k's points run outwards at radius r in [0, 1], angle 4k + 4r plus normal noise (standard deviation 0.2)
    from [data_rng][autograd.backend.data_rng]; the classes come in order (shuffle when loading).

    Examples:
        >>> from autograd import data
        >>> train = data.spiral()
        >>> len(train), train.x.shape, sorted(set(train.t.tolist()))
        (300, (300, 2), [0, 1, 2])
    """
    rng = data_rng()
    r = xp.linspace(0.0, 1.0, num_per_class)
    xs, ts = [], []
    for k in range(num_classes):
        angle = xp.linspace(4.0 * k, 4.0 * (k + 1), num_per_class) + rng.standard_normal(num_per_class) * 0.2
        xs.append(xp.stack([r * xp.sin(angle), r * xp.cos(angle)], axis=1))
        ts.append(xp.full(num_per_class, k, dtype=xp.int64))
    return Dataset(xp.astype(xp.concat(xs), xp.float32), xp.concat(ts))


def sin_curve(num=1000, noise=0.05, train=True):
    """A noisy sine over one period for next-value prediction: x[i] = y[i], t[i] = y[i + 1], shapes (num - 1, 1)
    float32, y = sin θ plus uniform noise in [-noise, noise]; the test set (`train=False`) is the clean cosine.

    Examples:
        >>> from autograd import data
        >>> test = data.sin_curve(num=3, train=False)  # cos at 0, π, 2π
        >>> test.x[:, 0].tolist(), test.t[:, 0].tolist()
        ([1.0, -1.0], [-1.0, 1.0])
    """
    theta = xp.linspace(0.0, 2.0 * math.pi, num)
    y = xp.sin(theta) + data_rng().uniform(-noise, noise, num) if train else xp.cos(theta)
    y = xp.astype(xp.reshape(y, (-1, 1)), xp.float32)
    return Dataset(y[:-1], y[1:])


def digits(train=True, test_fraction=0.2):
    """scikit-learn's bundled 8x8 digits (1797 images; `pip install scikit-learn`): x float32 (N, 64) in [0, 1],
    t int64 (N,). A fixed shuffle, the same on every machine whatever the seed, puts `test_fraction` in the test set.

    Raises:
        ValueError: `test_fraction` is outside [0, 1].
        ImportError: scikit-learn is not installed.

    Examples:
        >>> from autograd import data
        >>> len(data.digits()), len(data.digits(train=False))
        (1438, 359)
    """
    if not 0.0 <= test_fraction <= 1.0:
        raise ValueError(f"digits: test_fraction must be in [0, 1], got {test_fraction!r}")
    try:
        from sklearn.datasets import load_digits
    except ImportError:
        raise ImportError("data.digits needs scikit-learn: pip install scikit-learn "
                          "(or pip install -e '.[examples]')") from None
    bunch = load_digits()
    x = xp.astype(xp.asarray(bunch.data), xp.float32) / 16.0
    t = xp.astype(xp.asarray(bunch.target), xp.int64)
    order = _fixed_permutation(x.shape[0])
    cut = int(round(x.shape[0] * (1.0 - test_fraction)))
    index = order[:cut] if train else order[cut:]
    return Dataset(x[index], t[index])


def _fixed_permutation(n):
    """The same permutation on every machine and run (independent of autograd.seed): a multiplicative
    step through 0..n-1 by a number coprime to n."""
    step = next(k for k in range(int(n * 0.618), n + int(n * 0.618)) if math.gcd(k, n) == 1)
    return (xp.arange(n) * step) % n


# ---- MNIST: download once, verify, cache -----------------------------------------------------------------

MNIST_MIRRORS = ["https://ossci-datasets.s3.amazonaws.com/mnist/",
                 "https://storage.googleapis.com/cvdf-datasets/mnist/"]
MNIST_FILES = {  # name: MD5 of the published file
    "train-images-idx3-ubyte.gz": "f68b3c2dcbeaaa9fbdd348bbdeb94873",
    "train-labels-idx1-ubyte.gz": "d53e105ee54ea40749a09fcbcd1e9432",
    "t10k-images-idx3-ubyte.gz": "9fb629c4189551a2d022fa330f9573f3",
    "t10k-labels-idx1-ubyte.gz": "ec29112dd5afa0611ce80d1b7f02629c",
}


def cache_dir():
    """Where downloaded data sets are kept: `$AUTOGRAD_DATA`, else `~/.cache/autograd`.

    The environment variable is read at each call; the directory is made by the first download.
    """
    return os.environ.get("AUTOGRAD_DATA") or os.path.join(os.path.expanduser("~"), ".cache", "autograd")


def fetch(name, md5, mirrors, directory=None):
    """The path of file `name` in the cache (`directory`, default [cache_dir][autograd.data.cache_dir]), downloaded
    from the first of `mirrors` (base URLs ending in `/`) that answers when it is missing or its MD5 differs
    (`pip install pooch`). A cached file with the right checksum needs no network, so copying it there works offline.

    Raises:
        ConnectionError: no mirror could be reached; the message names each mirror's error.
        ValueError: a download does not match its checksum.
        ImportError: pooch is not installed.
    """
    try:
        import pooch
    except ImportError:
        raise ImportError("downloading data sets needs pooch: pip install pooch "
                          "(or pip install -e '.[examples]')") from None
    directory = directory or cache_dir()
    errors = []
    for mirror in mirrors:
        try:
            return pooch.retrieve(mirror + name, known_hash=f"md5:{md5}", fname=name, path=directory,
                                  progressbar=_has_tqdm())
        except ValueError as e:
            if "hash" in str(e).lower():
                raise  # the download did not match the checksum: a broken mirror, never used
            errors.append(f"{mirror}: {type(e).__name__}: {e}")  # e.g. a malformed URL
        except _network_errors() as e:
            errors.append(f"{mirror}: {type(e).__name__}: {e}")
    raise ConnectionError(f"could not download {name} into {directory}; tried\n  " + "\n  ".join(errors)
                          + f"\nIf this machine is offline, copy {name} (MD5 {md5}) into {directory}.")


def _network_errors():
    """The exceptions that mean a mirror could not be reached (others, like a bad cache path, propagate)."""
    import urllib.error

    errors = (ConnectionError, TimeoutError, urllib.error.URLError)
    try:
        import requests
    except ImportError:
        return errors
    return errors + (requests.RequestException,)


def _has_tqdm():
    try:
        import tqdm  # noqa: F401  pooch's progress bar
    except ImportError:
        return False
    return True


def mnist(train=True, directory=None):
    """MNIST, downloaded once with [fetch][autograd.data.fetch] into `directory` and verified: x float32 (N, 784) in
    [0, 1], t int64 (N,); 60 000 training or 10 000 test images (about 10 MB and 2 MB to download).

    Raises:
        ConnectionError: the files are not cached and no mirror could be reached.
        ValueError: a download does not match its checksum, or a cached file is malformed.
        ImportError: pooch is not installed.
    """
    prefix = "train" if train else "t10k"
    images, labels = (fetch(f"{prefix}-{kind}.gz", MNIST_FILES[f"{prefix}-{kind}.gz"], MNIST_MIRRORS, directory)
                      for kind in ("images-idx3-ubyte", "labels-idx1-ubyte"))
    x, t = xp.asarray(read_idx(images)), xp.asarray(read_idx(labels))
    if x.ndim != 3 or t.ndim != 1 or x.shape[0] != t.shape[0]:
        raise ValueError(f"mnist: images {tuple(x.shape)} and labels {tuple(t.shape)} do not match")
    x = xp.astype(xp.reshape(x, (x.shape[0], -1)), xp.float32) / 255.0
    return Dataset(x, xp.astype(t, xp.int64))


_IDX_TYPES = {0x08: ("B", "uint8"), 0x09: ("b", "int8"), 0x0B: ("h", "int16"), 0x0C: ("i", "int32"),
              0x0D: ("f", "float32"), 0x0E: ("d", "float64")}  # type code: (Python array typecode, dtype)


def read_idx(path):
    """A NumPy array from an IDX file (the format of MNIST), gzip-compressed when the name ends in `.gz`.

    The header is two zero bytes, a type code, the number of dimensions and each dimension as a big-endian
    uint32; the data follow, big-endian. The array is in the machine's byte order, of dtype uint8, int8, int16,
    int32, float32 or float64 as the type code says. ValueError for a malformed, truncated or broken gzip file.

    Examples:
        >>> import os, tempfile
        >>> from autograd.data import read_idx
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
    if len(raw) < 4 or raw[0] != 0 or raw[1] != 0 or raw[2] not in _IDX_TYPES:
        raise ValueError(f"read_idx: {os.fspath(path)} is not an IDX file (bad magic number)")
    (typecode, dtype), ndim = _IDX_TYPES[raw[2]], raw[3]
    header = 4 + 4 * ndim
    if len(raw) < header:
        raise ValueError(f"read_idx: {os.fspath(path)} is truncated in its header")
    shape = tuple(int.from_bytes(raw[4 + 4 * i: 8 + 4 * i], "big") for i in range(ndim))
    values = array.array(typecode)
    expected = header + values.itemsize * math.prod(shape)
    if len(raw) != expected:
        raise ValueError(f"read_idx: {os.fspath(path)} has {len(raw)} bytes, its header {shape} needs {expected}")
    values.frombytes(raw[header:])
    if sys.byteorder == "little":
        values.byteswap()
    return xp.reshape(xp.asarray(values, dtype=getattr(xp, dtype)), shape)
