"""The example notebooks: each executes top to bottom in a fresh kernel, and the committed files are what
examples/notebooks/build.py writes (rebuild them with ``python examples/notebooks/build.py``)."""
import importlib
import importlib.util
import json
import os
import pathlib
import shutil
import sys

import pytest


def _require(module, why):
    """Import ``module``. Locally a missing one skips these tests; under CI (the CI environment variable
    set) it fails them, so a broken test install cannot pass by skipping every notebook."""
    if not os.environ.get("CI"):
        return pytest.importorskip(module, reason=f"the notebook tests need {why} (pip install -e '.[test]')")
    try:
        return importlib.import_module(module)
    except ImportError as e:
        error = e
    pytest.fail(f"CI is set but {module} cannot be imported ({error}): the notebook tests need {why} "
                "(pip install -e '.[test]')", pytrace=False)


nbformat = _require("nbformat", "nbformat")
_require("nbclient", "nbclient")
_require("ipykernel", "ipykernel for the python3 kernel")

ROOT = pathlib.Path(__file__).resolve().parents[1]
NOTEBOOKS_DIR = ROOT / "examples" / "notebooks"
NOTEBOOKS = sorted(NOTEBOOKS_DIR.glob("*.ipynb"))
CELL_TIMEOUT = 120  # seconds


def _load_build():
    spec = importlib.util.spec_from_file_location("notebooks_build", NOTEBOOKS_DIR / "build.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


build = _load_build()


def _execute(path, env=None):
    """Execute a copy of the notebook (read into memory; the file is left alone) in the notebooks folder.
    nbclient raises CellExecutionError, naming the cell and its traceback, if a cell raises."""
    nb = nbformat.read(path, as_version=4)
    return build.execute(nb, timeout=CELL_TIMEOUT, env=env)


@pytest.mark.parametrize("path", NOTEBOOKS, ids=[p.stem for p in NOTEBOOKS])
def test_notebook_executes_without_error(path):
    nb = _execute(path)
    assert not build.problems(nb)  # no error output, nothing on stderr, no machine paths


def test_the_notebooks_are_what_build_writes_with_outputs():
    assert [p.stem for p in NOTEBOOKS] == sorted(build.NOTEBOOKS)
    for path in NOTEBOOKS:
        saved = nbformat.read(path, as_version=4)
        expected = build.make_notebook(build.NOTEBOOKS[path.stem])
        assert [(c.cell_type, c.source) for c in saved.cells] == [(c.cell_type, c.source) for c in expected.cells], \
            f"{path.name} differs from build.py: run python examples/notebooks/build.py {path.stem}"
        code = [c for c in saved.cells if c.cell_type == "code"]
        assert [c.execution_count for c in code] == list(range(1, len(code) + 1)), \
            f"{path.name} was not saved executed top to bottom"
        assert not build.problems(saved), f"{path.name}: {build.problems(saved)}"


def test_graphs_notebook_prints_dot_text_without_the_dot_program():
    env = dict(build.kernel_env())
    env["PATH"] = os.pathsep.join(d for d in env.get("PATH", "").split(os.pathsep)
                                  if d and shutil.which("dot", path=d) is None)
    nb = _execute(NOTEBOOKS_DIR / "06_graphs.ipynb", env=env)
    outputs = [out for cell in nb.cells for out in cell.get("outputs", [])]
    printed = "".join(out.get("text", "") for out in outputs if out.output_type == "stream")
    assert printed.count("cannot draw: ExecutableNotFound") == 6  # every graph show() was asked to draw
    assert printed.count("digraph g {") == 7  # those six and the DOT text printed on purpose
    assert not any("image/svg+xml" in out.get("data", {}) for out in outputs)


def test_the_kernel_is_this_interpreter_whatever_the_python3_kernelspec_names(tmp_path, monkeypatch):
    spec = tmp_path / "kernels" / "python3"
    spec.mkdir(parents=True)
    (spec / "kernel.json").write_text(json.dumps({
        "argv": [str(tmp_path / "no-such-python"), "-m", "ipykernel_launcher", "-f", "{connection_file}"],
        "display_name": "a python3 kernelspec naming another interpreter", "language": "python"}))
    monkeypatch.setenv("JUPYTER_PATH", str(tmp_path))  # searched first for kernelspecs
    nb = build.execute(build.make_notebook([("code", "import sys\nprint(sys.executable)")]), timeout=CELL_TIMEOUT)
    assert nb.cells[0].outputs[0]["text"].strip() == sys.executable
