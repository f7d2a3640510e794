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
    """DOT text of the graph that produced `v` (graphs made by `backward(create_graph=True)` too).

    Variables are orange ellipses labelled with their `name`, Functions light-blue boxes labelled with their
    class; edges run from inputs to a function and on to its outputs. Node ids are `id()`s, so the text differs
    between runs. `verbose=True` adds each Variable's shape, dtype and (off the cpu) device.

    Examples:
        >>> import autograd.function as F
        >>> from autograd import Variable, dot
        >>> text = dot.graph(F.sin(Variable(1.0, name="x")))
        >>> text.startswith("digraph g {"), 'label="Sin"' in text, 'label="x"' in text
        (True, True, True)
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
    """The graph of `v` (a Variable or DOT text) as a `graphviz.Source`, which shows inline in Jupyter and
    `.render(...)`s PNG, SVG or PDF. Needs the `graphviz` package (ImportError otherwise) and Graphviz's `dot`.
    """
    try:
        import graphviz
    except ImportError:
        raise ImportError("dot.source needs the graphviz package: pip install graphviz "
                          "(and the Graphviz program, e.g. apt install graphviz)") from None
    return graphviz.Source(v if isinstance(v, str) else graph(v, verbose))


def render(v, path, format="png", verbose=False):
    """Write the graph of `v` (a Variable or DOT text) to `path + "." + format` with Graphviz's `dot` and return
    that path: `dot.render(y, "graph")` writes `graph.png`.

    Raises:
        ImportError: the `graphviz` package is not installed.
        RuntimeError: Graphviz's `dot` program is not on the PATH.
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
