"""MkDocs hook: the function reference page lists the ops from the code, so adding an op touches no page.

`{{ ops }}` in docs/reference/function.md becomes one section per family module of autograd.function (in the
order of `F.FAMILIES`): the module's docstring, then every name of its `__all__`.
"""
import inspect

import autograd.function as F


def ops_markdown():
    parts = []
    for family in F.FAMILIES:
        short = family.__name__.rsplit(".", 1)[1]
        intro = inspect.cleandoc(family.__doc__ or "").split("\n\n")
        parts.append(f"## {intro[0].rstrip('.')}\n\n" + "\n\n".join(intro[1:]))
        for name in family.__all__:
            if name == short:  # an op in a module of its own name (flatten, dropout): anchor it as F.name
                parts.append(f"[](){{#autograd.function.{name}}}\n::: autograd.function.{short}.{name}\n"
                             "    options:\n      heading_level: 3")
            else:
                parts.append(f"::: autograd.function.{name}\n    options:\n      heading_level: 3")
    return "\n\n".join(parts) + "\n"


def on_page_markdown(markdown, page, **kwargs):
    return markdown.replace("{{ ops }}", ops_markdown()) if "{{ ops }}" in markdown else markdown
