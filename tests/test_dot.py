"""dot.graph: the graph behind a Variable as Graphviz DOT text."""
import re
import shutil
import subprocess
import sys

import numpy as np
import pytest

import autograd.function as F
from autograd import Variable, dot
from autograd.dot import graph

NODE = re.compile(r'^\s*(\d+) \[label="((?:[^"\\]|\\.)*)"(.*)\]$')
EDGE = re.compile(r"^\s*(\d+) -> (\d+)$")


def parse(text):
    """(nodes: id -> (label, attributes), edges: list of (from, to)); every line must be one of the two."""
    lines = text.strip().splitlines()
    assert lines[0].startswith("digraph") and lines[0].endswith("{")
    assert lines[-1] == "}"
    nodes, edges = {}, []
    for line in lines[1:-1]:
        if m := NODE.match(line):
            assert m.group(1) not in nodes, f"node {m.group(1)} listed twice"
            nodes[int(m.group(1))] = (m.group(2), m.group(3))
        elif m := EDGE.match(line):
            edges.append((int(m.group(1)), int(m.group(2))))
        else:
            raise AssertionError(f"not a node or an edge: {line!r}")
    return nodes, edges


def _functions(nodes):
    return {k: label for k, (label, attrs) in nodes.items() if "shape=box" in attrs}


def _variables(nodes):
    return {k: label for k, (label, attrs) in nodes.items() if "shape=box" not in attrs}


def test_graph_of_a_small_known_graph(device):
    x = Variable(np.array([1.0, 2.0]), name="x", device=device)
    w = Variable(np.array([3.0, 4.0]), name="w", device=device)
    s = F.sin(x)
    z = s * w
    z.name = "z"
    text = graph(z)
    assert text.startswith("digraph")
    nodes, edges = parse(text)
    assert _functions(nodes) == {id(s.creator): "Sin", id(z.creator): "Mul"}
    assert _variables(nodes) == {id(x): "x", id(w): "w", id(s): "", id(z): "z"}
    assert sorted(edges) == sorted([
        (id(x), id(s.creator)), (id(s.creator), id(s)),
        (id(s), id(z.creator)), (id(w), id(z.creator)), (id(z.creator), id(z)),
    ])
    for k, (label, attrs) in nodes.items():
        if k in (id(s.creator), id(z.creator)):
            assert "color=lightblue" in attrs
        else:
            assert "color=orange" in attrs


def test_each_node_appears_once_in_a_diamond():
    a = Variable(np.array(1.0), name="a")
    b = F.sin(a)
    c = F.cos(a)
    d = b + c
    nodes, edges = parse(graph(d))
    assert sorted(_functions(nodes).values()) == ["Add", "Cos", "Sin"]
    assert len(_variables(nodes)) == 4
    assert len(edges) == 7  # a->Sin->b, a->Cos->c, b->Add, c->Add, Add->d
    assert len(set(edges)) == 7
    assert list(_variables(nodes).values()).count("a") == 1


def test_graph_of_a_leaf_is_one_node():
    nodes, edges = parse(graph(Variable(np.array([1.0]), name="leaf")))
    assert nodes == {next(iter(nodes)): ('leaf', next(iter(nodes.values()))[1])}
    assert list(_variables(nodes).values()) == ["leaf"]
    assert edges == []


def test_verbose_adds_shapes_and_dtypes(device):
    x = Variable(np.ones((2, 3), dtype=np.float32), name="x", device=device)
    y = x.sum(axis=1)
    labels = _variables(parse(graph(y, verbose=True))[0])
    assert labels[id(x)].startswith("x: ")
    assert "(2, 3)" in labels[id(x)] and "float32" in labels[id(x)]
    assert "(2,)" in labels[id(y)] and "float32" in labels[id(y)]
    if device.name == "cpu":
        assert "cpu" not in labels[id(x)]
    else:
        assert device.name in labels[id(x)]
    plain = _variables(parse(graph(y))[0])
    assert plain[id(x)] == "x" and plain[id(y)] == ""


def test_labels_are_escaped():
    x = Variable(np.array(1.0), name='say "hi" \\ bye')
    nodes, _ = parse(graph(F.exp(x)))
    assert _variables(nodes)[id(x)] == 'say \\"hi\\" \\\\ bye'


def test_graph_of_a_gradient_contains_the_backward_pass(device):
    x = Variable(np.array([0.5]), name="x", device=device)
    y = F.sin(x)
    y.backward(create_graph=True)
    gx = x.grad
    nodes, edges = parse(graph(gx))
    functions = sorted(_functions(nodes).values())
    assert "Cos" in functions and "Mul" in functions
    assert "Sin" not in functions  # the forward pass is not behind the gradient
    assert id(x) in _variables(nodes)
    assert (id(x), next(k for k, v in _functions(nodes).items() if v == "Cos")) in edges


def test_graph_without_create_graph_is_just_the_gradient():
    x = Variable(np.array([0.5]))
    F.sin(x).backward()
    nodes, edges = parse(graph(x.grad))
    assert len(nodes) == 1 and edges == []


@pytest.mark.skipif(shutil.which("dot") is None, reason="Graphviz's dot program is not installed")
def test_dot_program_accepts_the_text():
    x = Variable(np.array([1.0, 2.0]), name="x")
    text = graph(F.tanh(x * x).sum(), verbose=True)
    subprocess.run(["dot", "-Tsvg"], input=text.encode(), check=True, capture_output=True, timeout=30)


# ---- source and render through the graphviz package ------------------------------------------------------


def test_source_wraps_the_dot_text():
    graphviz = pytest.importorskip("graphviz")
    y = F.tanh(Variable(1.0, name="x"))
    src = dot.source(y)
    assert isinstance(src, graphviz.Source) and src.source == graph(y)
    assert dot.source("digraph g {}").source.strip() == "digraph g {}"


@pytest.mark.skipif(shutil.which("dot") is None, reason="Graphviz's dot program is not installed")
def test_render_writes_only_the_picture(tmp_path):
    pytest.importorskip("graphviz")
    neighbour = tmp_path / "g.gv"
    neighbour.write_text("mine")
    out = dot.render(F.tanh(Variable(1.0)), tmp_path / "g", format="svg")
    assert out == f"{tmp_path / 'g'}.svg"
    assert (tmp_path / "g.svg").read_text().lstrip().startswith("<?xml")
    assert neighbour.read_text() == "mine"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["g.gv", "g.svg"]


def test_render_without_the_dot_program_names_it(tmp_path, monkeypatch):
    pytest.importorskip("graphviz")
    monkeypatch.setenv("PATH", str(tmp_path))  # nothing to run here
    with pytest.raises(RuntimeError, match="`dot` program"):
        dot.render(F.tanh(Variable(1.0)), tmp_path / "g")
    assert list(tmp_path.iterdir()) == []


def test_source_without_the_graphviz_package_says_how_to_install(monkeypatch):
    monkeypatch.setitem(sys.modules, "graphviz", None)
    with pytest.raises(ImportError, match="pip install graphviz"):
        dot.source(F.tanh(Variable(1.0)))
