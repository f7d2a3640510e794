"""Differentiate a function N times with backward(create_graph=True) and write the graph of the N-th derivative.

    python examples/dot.py                              # tanh'' at x = 1.0, written to graph.dot (and graph.png)
    python examples/dot.py --func sin --order 4 --x 0.5 --out sin.dot --format svg
    python examples/dot.py --device sim                 # the simulated accelerator; --device cuda on a GPU

The PNG/SVG is rendered only when the graphviz package (pip install graphviz) and Graphviz's `dot` program
(apt install graphviz) are present; the DOT text is always written. Every derivative is itself a graph of
differentiable ops, so each order can be differentiated again.
"""
import argparse
import os
import subprocess

import autograd
import autograd.function as F
from autograd import Variable, dot

FORMATS = ["png", "svg", "pdf", "none"]  # what --format accepts; "none" writes only the DOT text

FUNCS = {
    "sin": F.sin,
    "cos": F.cos,
    "tanh": F.tanh,
    "exp": F.exp,
    "log": F.log,
    "pow": lambda x: x ** 3,
    "square": F.square,
    "neg": F.neg,
}


def main(device="cpu", func="tanh", order=2, x=1.0, out="graph.dot", format="png", verbose=False):
    """The N-th derivative of ``func`` at ``x`` (N = ``order``) as a float, and the DOT text of its graph,
    written to ``out``; ``format`` ("png", "svg", ...; None for none) also renders it with Graphviz."""
    if order < 1:
        raise ValueError(f"order must be at least 1, got {order}")
    autograd.seed(0)
    x0, x = x, Variable(x, name="x", device=device)
    y = FUNCS[func](x)
    y.name = "y"
    y.backward(create_graph=True)  # x.grad = dy/dx, itself a graph we can differentiate
    for i in range(1, order):
        gx = x.grad
        gx.name = f"gx{i}"
        x.cleargrad()
        gx.backward(create_graph=True)
        if x.grad is None:  # gx did not depend on x (square'' = 2): this derivative and all after it are 0
            x.grad = Variable(x.xp.zeros_like(x.data))
    x.grad.name = f"gx{order}"

    text = dot.graph(x.grad, verbose=verbose)
    with open(out, "w") as f:
        f.write(text)
    value = float(x.grad)
    print(f"d^{order}/dx^{order} {func}(x) at x = {x0:g}: {value:.6f}")
    print(f"wrote {out}")
    if format:
        try:
            print(f"wrote {dot.render(text, os.path.splitext(out)[0], format=format)}")
        except (ImportError, RuntimeError, ValueError, subprocess.CalledProcessError) as e:
            # no graphviz package or no dot program, a format graphviz does not know, or dot failed
            print(f"rendering skipped: {type(e).__name__}: {e}")
    return value, text


def positive_int(text):
    try:
        value = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"expected a whole number, got {text!r}") from None
    if value < 1:
        raise argparse.ArgumentTypeError(f"must be at least 1, got {value}")
    return value


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--device", default="cpu", help="cpu, sim, cuda or cuda:N")
    parser.add_argument("--func", default="tanh", choices=sorted(FUNCS), help="the function (pow is x**3)")
    parser.add_argument("--order", type=positive_int, default=2, help="how many times to differentiate, at least 1 "
                                                                       "(default 2)")
    parser.add_argument("--x", type=float, default=1.0, help="where to differentiate (default 1.0)")
    parser.add_argument("--out", default="graph.dot", help="the DOT file to write (default graph.dot)")
    parser.add_argument("--format", default="png", choices=FORMATS,
                        help="render format beside --out (default png; none writes only the DOT text)")
    parser.add_argument("--verbose", action="store_true", help="label variables with shape, dtype and device")
    args = parser.parse_args()
    main(args.device, args.func, args.order, args.x, args.out,
         None if args.format == "none" else args.format, args.verbose)
