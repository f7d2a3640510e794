"""Dtypes of any library by their standard names: `dtype_name(cupy.float32) == "float32"`."""

import numpy as np

_NAMES = {}  # dtype class -> {dtype: its standard name}, one table per class as in variable._FLOATING


def dtype_name(dtype) -> str:
    """The standard name of a dtype of any library, a NumPy type or a name: `'float32'`.

    Examples:
        >>> import numpy as np
        >>> from autograd.backend import dtype_name
        >>> dtype_name(np.float32), dtype_name(np.dtype("int64")), dtype_name("float64")
        ('float32', 'int64', 'float64')
    """
    if isinstance(dtype, str):
        return dtype
    known = _NAMES.setdefault(type(dtype), {})  # two libraries' dtypes are never compared
    try:
        return known[dtype]  # NumPy computes dtype.name anew at each call: 3 us
    except (KeyError, TypeError):
        pass
    if isinstance(dtype, type):
        name = np.dtype(dtype).name
    else:
        name = getattr(dtype, "name", None) or str(dtype).rsplit(".", 1)[-1]
    try:
        known[dtype] = name
    except TypeError:  # an unhashable dtype object: not cached
        pass
    return name


def dtype_in(xp, dtype):
    """The dtype of namespace `xp` named as `dtype` is (`xp.float32` for `"float32"`); AttributeError if none."""
    return getattr(xp, dtype_name(dtype))


def host_dtype(dtype) -> np.dtype:
    """The NumPy dtype with the name of `dtype` (CuPy's float32 gives NumPy's)."""
    return np.dtype(dtype_name(dtype))
