"""The graph behind a Variable as Graphviz DOT text: variables are orange ellipses, functions blue boxes."""
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
    """DOT text of the graph that produced ``v`` (also graphs built by ``backward(create_graph=True)``).
    ``verbose`` adds each variable's shape, dtype and device. Render it with Graphviz's ``dot`` program."""
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
    """The graph of ``v`` (or DOT text) as a ``graphviz.Source``: it shows inline in Jupyter, and
    ``.render(...)`` writes PNG, SVG or PDF. Needs ``pip install graphviz`` and Graphviz's ``dot`` program."""
    try:
        import graphviz
    except ImportError:
        raise ImportError("dot.source needs the graphviz package: pip install graphviz "
                          "(and the Graphviz program, e.g. apt install graphviz)") from None
    return graphviz.Source(v if isinstance(v, str) else graph(v, verbose))


def render(v, path, format="png", verbose=False):
    """Write the graph of ``v`` (or DOT text) to ``path`` + "." + ``format`` with Graphviz's ``dot``;
    returns the written file's path. Raises RuntimeError naming the missing program when ``dot`` is absent."""
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
