"""The graph behind a Variable as Graphviz DOT text: variables are orange ellipses, functions blue boxes.

[graph][autograd.dot.graph] returns the text (the seed's `dot.Graph`) and needs nothing else;
[source][autograd.dot.source] shows it inline in Jupyter and [render][autograd.dot.render] writes a picture,
both through the `graphviz` Python package and Graphviz's `dot` program.
"""
from autograd.backend import CPU, dtype_name

__all__ = ["graph", "source", "render"]


def _label(text):
    return text.replace("\\", "\\\\").replace('"', '\\"')


def _variable_node(v, verbose):
    name = v.name or ""
    if verbose:
        name = f"{name}: " if name else ""
        name += f"{v.shape} {dtype_name(v.dtype)}"
        if v.device != CPU:
            name += f" {v.device}"
    return f'{id(v)} [label="{_label(name)}", color=orange, style=filled]'


def _function_node(f):
    lines = [f'{id(f)} [label="{_label(type(f).__name__)}", color=lightblue, style=filled, shape=box]']
    lines += [f"{id(x)} -> {id(f)}" for x in f.inputs]
    lines += [f"{id(f)} -> {id(y)}" for y in (ref() for ref in f.outputs) if y is not None]
    return lines


def graph(v, verbose=False) -> str:
    """DOT text of the graph that produced `v` (also graphs built by `backward(create_graph=True)`).

    Each Variable is an orange ellipse labelled with its `name` (empty when it has none), each Function a
    light-blue box labelled with its class name; edges run from inputs to a function and from it to its
    outputs. Node ids are the objects' `id()`, so the text differs from run to run. Render it with Graphviz's
    `dot` program (`dot -Tpng graph.dot -o graph.png`), or with [source][autograd.dot.source] /
    [render][autograd.dot.render].

    Args:
        v (Variable): the Variable whose graph to draw; a leaf gives a single node.
        verbose (bool): add each Variable's shape and dtype, and its device when not the cpu, to its label.

    Returns:
        text (str): the DOT text, starting with `digraph g {`.

    Examples:
        >>> import autograd.function as F
        >>> from autograd import Variable, dot
        >>> x = Variable(1.0, name="x")
        >>> y = F.sin(x)
        >>> y.name = "y"
        >>> text = dot.graph(y)
        >>> text.startswith("digraph g {"), 'label="Sin"' in text, 'label="x"' in text
        (True, True, True)
        >>> 'label="x: () float64"' in dot.graph(y, verbose=True)
        True
    """
    lines = [_variable_node(v, verbose)]
    seen_vars, seen_funcs = {id(v)}, set()
    funcs = [v.creator] if v.creator is not None else []
    while funcs:
        f = funcs.pop()
        if id(f) in seen_funcs:
            continue
        seen_funcs.add(id(f))
        lines += _function_node(f)
        for x in f.inputs:
            if id(x) not in seen_vars:
                seen_vars.add(id(x))
                lines.append(_variable_node(x, verbose))
            if x.creator is not None:
                funcs.append(x.creator)
    body = "\n".join(f"  {line}" for line in lines)
    return f"digraph g {{\n{body}\n}}\n"


def source(v, verbose=False):
    """The graph of `v` (or DOT text) as a `graphviz.Source`: it shows inline in Jupyter, and
    `.render(...)` writes PNG, SVG or PDF. Needs `pip install graphviz` and Graphviz's `dot` program.

    In a notebook, `dot.source(y)` as the last line of a cell draws the graph of `y`.

    Args:
        v (Variable | str): a Variable, or DOT text from [graph][autograd.dot.graph].
        verbose (bool): as for [graph][autograd.dot.graph] (ignored for text).

    Returns:
        source (graphviz.Source): the graph, ready to show or render.

    Raises:
        ImportError: the `graphviz` package is not installed.
    """
    try:
        import graphviz
    except ImportError:
        raise ImportError("dot.source needs the graphviz package: pip install graphviz "
                          "(and the Graphviz program, e.g. apt install graphviz)") from None
    return graphviz.Source(v if isinstance(v, str) else graph(v, verbose))


def render(v, path, format="png", verbose=False):
    """Write the graph of `v` (or DOT text) to `path` + "." + `format` with Graphviz's `dot`; return that path.

    Only that file is written. For example `dot.render(y, "graph")` writes `graph.png` and returns
    `"graph.png"`.

    Args:
        v (Variable | str): a Variable, or DOT text from [graph][autograd.dot.graph].
        path (str): the file name without its suffix.
        format (str): any output format of `dot`. Typical values: `"png"`, `"svg"`, `"pdf"`.
        verbose (bool): as for [graph][autograd.dot.graph] (ignored for text).

    Returns:
        path (str): the path of the written file.

    Raises:
        ImportError: the `graphviz` package is not installed.
        RuntimeError: Graphviz's `dot` program is not on the PATH (the message says how to install it).
    """
    src = source(v, verbose)
    import graphviz  # present: source() checked

    try:
        picture = src.pipe(format=format)  # nothing else is written, nothing beside path is touched
    except graphviz.ExecutableNotFound:
        raise RuntimeError("dot.render needs Graphviz's `dot` program on the PATH "
                           "(apt install graphviz, brew install graphviz, or conda install graphviz)") from None
    out = f"{path}.{format}"
    with open(out, "wb") as f:
        f.write(picture)
    return out
