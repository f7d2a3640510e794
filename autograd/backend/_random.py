"""The host's two random-number streams, replaced by [seed][autograd.backend.seed]: ask for one at each use.

One draws parameter initialisation and the random numbers of devices without a generator of their own (cpu,
sim: the same numbers on both); the other draws data, so that loading data never shifts the initial weights."""

import json

import numpy as np

from autograd.backend._dtypes import host_dtype

_seed = None
_host = np.random.default_rng()
_data = np.random.default_rng()


def reseed(value: int) -> None:
    """Replace both streams by generators seeded from `value`."""
    global _seed, _host, _data
    _seed, _host = value, np.random.default_rng(value)
    _data = np.random.default_rng([value, 1])  # a stream of its own: shuffling never shifts the weights


def current_seed():
    """The value of the last `seed`, None before one: a device's own generator starts from it."""
    return _seed


def host_rng() -> np.random.Generator:
    """The host generator behind parameter initialisation and the cpu's and sim's random numbers."""
    return _host


def data_rng() -> np.random.Generator:
    """The host generator for data: shuffling and generated data sets."""
    return _data


def host_state() -> np.ndarray:
    """Both host streams and the last seed as one uint8 array (JSON text of NumPy's bit-generator states, whose
    128-bit integers no dtype holds): what `set_host_state` restores."""
    state = {"seed": _seed, "host": _host.bit_generator.state, "data": _data.bit_generator.state}
    return np.frombuffer(json.dumps(state).encode(), dtype=np.uint8).copy()


def check_host_state(state):
    """The two generators and the seed that `state` (from `host_state`)
    describes, changing nothing; ValueError for anything else."""
    try:
        state = json.loads(np.asarray(state, dtype=np.uint8).tobytes().decode())
        generators = []
        for stream in ("host", "data"):
            generator = np.random.default_rng()
            generator.bit_generator.state = state[stream]  # ValueError/TypeError/KeyError if malformed
            generators.append(generator)
        return state["seed"], *generators
    except (ValueError, TypeError, KeyError, UnicodeDecodeError) as e:  # JSONDecodeError is a ValueError
        raise ValueError(f"the host random state is malformed: {type(e).__name__}: {e}") from None


def set_host_state(state) -> None:
    """Restore both host streams and the last seed from `host_state`."""
    global _seed, _host, _data
    _seed, _host, _data = check_host_state(state)


def host_uniform(shape, dtype) -> np.ndarray:
    """Host numbers in [0, 1), drawn in `dtype` itself: float64 draws rounded to float32 could give 1.0."""
    dtype = host_dtype(dtype)
    if dtype in (np.float32, np.float64):
        return _host.random(shape, dtype=dtype)
    below_one = np.nextafter(dtype.type(1), dtype.type(0))
    return np.minimum(_host.random(shape).astype(dtype), below_one)


def host_normal(shape, dtype) -> np.ndarray:
    """Standard normal host numbers of `dtype`."""
    return _host.standard_normal(shape).astype(host_dtype(dtype))
