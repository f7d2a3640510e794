"""Every array-namespace function autograd calls exists in CuPy's namespace too, checked without a GPU.

The names are found statically: every attribute read on a name ending in ``xp`` (``xp.matmul``) or on an
attribute ending in ``xp`` (``device.xp.exp``, ``device_of(x).xp.sum``, ``self.xp.asarray``) in autograd/.
"""
import ast
import pathlib

import pytest

import autograd

PACKAGE = pathlib.Path(autograd.__file__).parent


def _ends_in_xp(node):
    if isinstance(node, ast.Name):
        return node.id.endswith("xp")
    if isinstance(node, ast.Attribute):
        return node.attr.endswith("xp")
    return False


def namespace_names(source):
    """(name, line) for every attribute read on something ending in ``xp``."""
    found = []
    for node in ast.walk(ast.parse(source)):
        if isinstance(node, ast.Attribute) and _ends_in_xp(node.value):
            found.append((node.attr, node.lineno))
    return found


def _collect():
    names = {}
    for path in sorted(PACKAGE.rglob("*.py")):
        for name, line in namespace_names(path.read_text(encoding="utf-8")):
            names.setdefault(name, []).append(f"{path.relative_to(PACKAGE.parent)}:{line}")
    return names


NAMES = _collect()


def test_the_scanner_finds_the_forms_the_library_uses():
    source = """
xp = device.xp
a = xp.matmul(b, c)
d = device.xp.exp(a)
e = device_of(a).xp.sum(a)
f = self.xp.asarray(a)
g = xp.float32
h = np.exp(a)          # not a namespace call
i = x.xpos.foo         # attribute of something not ending in xp
"""
    assert sorted(n for n, _ in namespace_names(source)) == ["asarray", "exp", "float32", "matmul", "sum"]


def test_names_are_found():
    assert NAMES, "no xp.<name> found under autograd/"
    for expected in ("matmul", "exp", "log", "sin", "reshape", "zeros"):
        assert expected in NAMES, f"xp.{expected} not found; found {sorted(NAMES)}"
    assert "xp" not in NAMES


def _missing(namespace):
    return {name: where for name, where in NAMES.items() if not hasattr(namespace, name)}


def test_every_name_exists_in_cupy():
    pytest.importorskip("cupy")
    import array_api_compat.cupy

    missing = _missing(array_api_compat.cupy)
    assert not missing, f"not in array_api_compat.cupy: {missing}"


def test_every_name_exists_in_array_api_strict():
    import array_api_strict

    missing = _missing(array_api_strict)
    assert not missing, f"not in array_api_strict: {missing}"


def test_every_name_exists_in_numpy_compat():
    import array_api_compat.numpy

    missing = _missing(array_api_compat.numpy)
    assert not missing, f"not in array_api_compat.numpy: {missing}"
