"""The architecture, checked: which module may import which (docs/architecture.md draws it), no private name
imported across modules, and no array library named outside autograd/backend/."""
import ast
import pathlib

import pytest

PACKAGE = pathlib.Path(__file__).resolve().parents[1] / "autograd"

# module (or package) -> the autograd modules it may import; the longest matching prefix decides
BASE = {"autograd.config", "autograd._checks", "autograd.backend"}
ALLOWED = {
    "autograd": None,  # the package's public face may import anything
    "autograd.config": set(),
    "autograd._checks": set(),
    "autograd.backend": {"autograd.backend"},
    "autograd.variable": BASE | {"autograd.function"},  # only to call the ops from the operators
    "autograd.function": BASE | {"autograd.variable", "autograd.function"},
    "autograd.numerical": BASE | {"autograd.variable"},
    "autograd.dot": BASE | {"autograd.variable"},
    "autograd.data": BASE | {"autograd.variable"},
    "autograd.checkpoint": BASE,
    "autograd.hook": BASE | {"autograd.variable"},
    "autograd.optimizer": BASE | {"autograd.variable"},  # never hook: a hook is any callable
    "autograd.layer": BASE | {"autograd.variable", "autograd.function"},
    "autograd.model": BASE | {"autograd.variable", "autograd.function", "autograd.layer"},
    "autograd.functional": BASE | {"autograd.variable", "autograd.function"},
    "autograd.init": BASE | {"autograd.variable"},
}
ARRAY_LIBRARIES = {"numpy", "cupy", "cupyx", "array_api_strict", "array_api_compat", "jax", "torch"}


def _modules():
    for path in sorted(PACKAGE.rglob("*.py")):
        parts = list(path.relative_to(PACKAGE.parent).with_suffix("").parts)
        if parts[-1] == "__init__":
            parts.pop()
        yield ".".join(parts), path, ast.parse(path.read_text())


def _imports(tree, module):
    """(imported module, names taken from it) for every import in the file, lazy ones included."""
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            for alias in node.names:
                yield alias.name, []
        elif isinstance(node, ast.ImportFrom):
            assert node.level == 0, f"{module}: relative import (the package imports absolutely)"
            for alias in node.names:
                submodule = f"{node.module}.{alias.name}"
                yield (submodule, []) if _is_module(submodule) else (node.module, [alias.name])


def _is_module(name):
    path = PACKAGE.parent / name.replace(".", "/")
    return path.with_suffix(".py").exists() or (path / "__init__.py").exists()


def _rule(module):
    matches = [key for key in ALLOWED if module == key or module.startswith(key + ".")]
    return ALLOWED[max(matches, key=len)]


MODULES = list(_modules())


@pytest.mark.parametrize("module, path, tree", MODULES, ids=[m for m, _, _ in MODULES])
def test_imports_follow_the_architecture(module, path, tree):
    allowed = _rule(module)
    for imported, _ in _imports(tree, module):
        if not imported.startswith("autograd") or allowed is None:
            continue
        ok = any(imported == a or imported.startswith(a + ".") for a in allowed) or imported == "autograd"
        assert ok, f"{module} imports {imported}, outside what docs/architecture.md allows: {sorted(allowed)}"


@pytest.mark.parametrize("module, path, tree", MODULES, ids=[m for m, _, _ in MODULES])
def test_no_private_name_is_imported_across_modules(module, path, tree):
    for imported, names in _imports(tree, module):
        if imported.startswith("autograd") and imported != module:
            private = [n for n in names if n.startswith("_") and not n.startswith("__")]
            assert not private, f"{module} imports private {private} from {imported}"
    # nor reads one as an attribute of an imported autograd module (config._x)
    modules = {alias.asname or alias.name.split(".")[0] for node in ast.walk(tree)
               if isinstance(node, (ast.Import, ast.ImportFrom)) for alias in node.names
               if _is_module(f"{getattr(node, 'module', None) or ''}.{alias.name}".lstrip(".")) or
               (isinstance(node, ast.Import) and alias.name.startswith("autograd"))}
    for node in ast.walk(tree):
        if (isinstance(node, ast.Attribute) and isinstance(node.value, ast.Name) and node.value.id in modules
                and node.attr.startswith("_") and not node.attr.startswith("__")):
            pytest.fail(f"{module}:{node.lineno} reads the private {node.value.id}.{node.attr}")


@pytest.mark.parametrize("module, path, tree", MODULES, ids=[m for m, _, _ in MODULES])
def test_array_libraries_are_named_only_in_the_backend(module, path, tree):
    if module.startswith("autograd.backend"):
        return
    for imported, _ in _imports(tree, module):
        assert imported.split(".")[0] not in ARRAY_LIBRARIES, f"{module} imports {imported}"
