"""The documentation is part of the specification: every example in it runs and checks its result, every
public name has a docstring, and every public module has a reference page.

The site itself is built by `mkdocs build --strict` in `.ci/run` (broken links and references fail it).
"""
import doctest
import importlib
import inspect
import pathlib
import re

import pytest
from mktestdocs import check_md_file

import autograd
import autograd.function as F

ROOT = pathlib.Path(__file__).resolve().parents[1]
DOCS = ROOT / "docs"
PAGES = sorted(DOCS.rglob("*.md")) + [ROOT / "README.md"]

# Every module a user imports, and the reference page that documents it.
PUBLIC_MODULES = ["variable", "function", "layer", "model", "optimizer", "hook", "numerical", "dot", "data",
                  "checkpoint", "config", "backend", "functional", "init", "scheduler"]
# Modules whose docstrings are searched for doctest examples: the public ones and the op files behind F.
DOCTEST_MODULES = (["autograd"] + [f"autograd.{m}" for m in PUBLIC_MODULES]
                   + sorted(f"autograd.backend.{p.stem}" for p in (ROOT / "autograd" / "backend").glob("_[!_]*.py"))
                   + sorted(f"autograd.function.{p.stem}" for p in (ROOT / "autograd" / "function").glob("[!_]*.py")))

FENCE = re.compile(r"^\s*```(.*)$", re.MULTILINE)
RUN_LANGUAGES = {"python"}  # run by mktestdocs
SHOWN_LANGUAGES = {"bash", "text", "dot"}  # shown, not run: shell commands, printed output, DOT text


def _fences(text):
    """The info strings of the opening fences in ``text`` (closing fences alternate with them)."""
    return FENCE.findall(text)[::2]


def _python_blocks(text):
    blocks, inside, current = [], False, []
    for line in text.splitlines():
        if line.strip().startswith("```"):
            if inside:
                blocks.append("\n".join(current))
            inside, current = not inside, []
        elif inside:
            current.append(line)
    return blocks


@pytest.mark.parametrize("page", PAGES, ids=lambda p: str(p.relative_to(ROOT)))
def test_page_examples_run(page, tmp_path, monkeypatch):
    """The python blocks of a page run in order, sharing one namespace, as a reader would paste them."""
    monkeypatch.chdir(tmp_path)  # an example that saves a file saves it here
    check_md_file(page, memory=True)


@pytest.mark.parametrize("page", PAGES, ids=lambda p: str(p.relative_to(ROOT)))
def test_page_examples_are_checked(page):
    """No example escapes the test: every fence is a language the test knows, a python fence carries no
    attributes (mktestdocs would skip ``python title="x"``), and every python block asserts its result."""
    text = page.read_text()
    for info in _fences(text):
        assert info in RUN_LANGUAGES | SHOWN_LANGUAGES, f"{page.name}: fence '```{info}' is neither run nor shown"
    blocks = [b for info, b in zip(_fences(text), _python_blocks(text)) if info == "python"]
    for block in blocks:
        assert "assert " in block, f"{page.name}: this example checks nothing:\n{block}"


def test_every_page_has_examples_or_is_reference():
    """A guide page teaches by example; a reference page renders docstrings."""
    for page in DOCS.glob("*.md"):
        assert "```python" in page.read_text(), f"{page.name} has no runnable example"


@pytest.mark.parametrize("name", DOCTEST_MODULES)
def test_docstring_examples_run(name):
    module = importlib.import_module(name)
    finder = doctest.DocTestFinder(exclude_empty=True)
    runner = doctest.DocTestRunner(optionflags=doctest.ELLIPSIS | doctest.NORMALIZE_WHITESPACE)
    for test in finder.find(module, name, globs={"autograd": autograd, "F": F}):
        if test.examples:
            autograd.seed(0)
            runner.run(test)
    failed, attempted = runner.summarize(verbose=False)
    assert failed == 0, f"{failed} of {attempted} docstring examples in {name} failed (output above)"


def _public_objects():
    for module_name in ["autograd"] + [f"autograd.{m}" for m in PUBLIC_MODULES]:
        module = importlib.import_module(module_name)
        yield module_name, module
        for name in module.__all__:
            obj = getattr(module, name)
            if not (inspect.isclass(obj) or inspect.isroutine(obj)):
                continue  # a constant (backend.CPU) is described in its module's docstring
            yield f"{module_name}.{name}", obj
            if inspect.isclass(obj):
                for member_name, member in vars(obj).items():
                    if member_name.startswith("_") and member_name != "__call__":
                        continue
                    if callable(member) or isinstance(member, (property, staticmethod, classmethod)):
                        yield f"{module_name}.{name}.{member_name}", getattr(obj, member_name)


def test_public_names_have_docstrings():
    """Every public module, class, function, method and property says what it does (a method that overrides
    a documented one inherits its docstring, as ``help()`` shows it)."""
    missing = [path for path, obj in _public_objects() if not (inspect.getdoc(obj) or "").strip()]
    assert missing == [], f"no docstring: {missing}"


def test_docstrings_are_markdown():
    """The site renders docstrings as Markdown: Sphinx roles would show up literally."""
    roles = [path for path, obj in _public_objects()
             if re.search(r":(class|meth|func|attr|mod):`", inspect.getdoc(obj) or "")]
    assert roles == [], f"Sphinx roles in: {roles}"


def test_every_public_module_has_a_reference_page():
    for name in PUBLIC_MODULES:
        page = DOCS / "reference" / f"{name}.md"
        assert page.exists(), f"no reference page for autograd.{name}"
        assert f"::: autograd.{name}" in page.read_text(), f"{page.name} does not render autograd.{name}"
    nav = (ROOT / "mkdocs.yml").read_text()
    for page in DOCS.rglob("*.md"):
        assert str(page.relative_to(DOCS)) in nav, f"{page.name} is not in the site's nav"


def test_function_page_lists_every_op():
    """The function page is made from the code (mkdocs_hooks.py): one section per family module, listing its
    __all__; every module of autograd/function/ is a family, so a new op needs no edit of the page."""
    import mkdocs_hooks

    assert "{{ ops }}" in (DOCS / "reference" / "function.md").read_text()
    page = mkdocs_hooks.ops_markdown()
    listed = {m.group(2) for m in re.finditer(r"^::: autograd\.function\.(?:(\w+)\.)?(\w+)$", page, re.MULTILINE)
              if m.group(1) in (None, m.group(2))}
    assert listed == set(F.__all__)
    modules = {p.stem for p in (ROOT / "autograd" / "function").glob("*.py")} - {"__init__"}
    assert {family.__name__.rsplit(".", 1)[1] for family in F.FAMILIES} == modules
