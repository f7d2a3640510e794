"""Write the example notebooks with nbformat, execute them in place with nbclient and save their outputs.

    python examples/notebooks/build.py               # every notebook
    python examples/notebooks/build.py 03_spiral     # only the ones named

Each notebook is a list of cells below, so a change to a notebook is reviewed as a change to this file;
the .ipynb files are this script's output and are rebuilt, never edited by hand. Cell ids are fixed
(cell-00, cell-01, ...) and no timing is recorded, so rebuilding changes only what the code prints or plots.
The notebooks run in this folder in a ``python3`` kernel started with this very interpreter (sys.executable,
whatever kernelspec ``python3`` names on this machine), and the repository root comes first on the kernel's
PYTHONPATH, so they use this checkout's autograd and this environment's packages; tests/test_notebooks.py
executes them the same way.
"""
import argparse
import os
import pathlib
import sys
import textwrap
import time

HERE = pathlib.Path(__file__).resolve().parent
ROOT = HERE.parents[1]

TIMEOUT = 600  # seconds per cell
KERNEL = "python3"


def md(text):
    return ("markdown", textwrap.dedent(text).strip())


def code(text):
    return ("code", textwrap.dedent(text).strip())


SETUP = """\
%matplotlib inline
import matplotlib.pyplot as plt
import numpy as np

import autograd
import autograd.function as F
from autograd import Variable, data, hook, model, optimizer

autograd.seed(0)  # every random draw (initial weights, shuffling, data) is reproducible
"""

# ---- 01 ----------------------------------------------------------------------------------------------------

QUICKSTART = [
    md("""
    # Quickstart: variables, gradients and derivatives of any order

    autograd is define-by-run: every operation on a `Variable` is recorded as it runs, and
    `backward()` walks that record in reverse to put the gradient of the output into each input's `.grad`.
    This notebook shows Variables and their operators, `backward()` and `.grad`, then higher-order derivatives:
    `backward(create_graph=True)` records the backward pass too, so a gradient can be differentiated again.
    We plot sin and its first three derivatives, and minimise a function with Newton's method, which needs
    the first and the second derivative.
    """),
    code(SETUP),
    md("""
    ## Variables and operators

    A `Variable` wraps an array (Python numbers become NumPy arrays with NumPy's default dtypes). The usual
    operators build the graph; the result remembers the function that created it.
    """),
    code("""
    x = Variable(3.0)
    y = x ** 2 + 2 * x + 1
    y
    """),
    md("`backward()` puts dy/dx = 2x + 2 = 8 into `x.grad`, itself a Variable:"),
    code("""
    y.backward()
    x.grad
    """),
    md("""
    Arrays work the same way. `F` holds the differentiable functions (`F.sin`, `F.sum`, `F.matmul`, ...);
    for z = sum(a * b + sin(a)), dz/da = b + cos(a) and dz/db = a.
    """),
    code("""
    a = Variable(np.array([1.0, 2.0, 3.0]))
    b = Variable(np.array([4.0, 5.0, 6.0]))
    z = F.sum(a * b + F.sin(a))
    z.backward()
    print("z     =", z)
    print("dz/da =", a.grad)
    print("b + cos(a) =", b.data + np.cos(a.data))
    print("dz/db =", b.grad)
    """),
    md("""
    Gradients accumulate: a second `backward()` adds to `.grad`. Call `cleargrad()` (or a model's
    `cleargrads()`) before computing a fresh one. Inside `autograd.no_grad()` nothing is recorded.
    """),
    code("""
    x = Variable(3.0)
    for _ in range(2):
        y = x ** 2
        y.backward()
    print("after two backward passes:", x.grad)  # 6 + 6
    x.cleargrad()
    (x ** 2).backward()
    print("after cleargrad:          ", x.grad)

    with autograd.no_grad():
        y = x ** 2
    print("recorded under no_grad?   ", y.creator is not None)
    """),
    md("""
    ## Higher-order derivatives

    With `backward(create_graph=True)` the gradient `x.grad` has a graph of its own, so calling `backward`
    on it gives the next derivative, and so on to any order. One Variable holds all 200 points: `sin` acts
    elementwise and `backward` starts from ones, so each element of `x.grad` is the derivative at that point.
    """),
    code("""
    x = Variable(np.linspace(-7, 7, 200))
    ys = [F.sin(x)]
    for order in range(3):
        x.cleargrad()
        ys[-1].backward(create_graph=True)
        ys.append(x.grad)  # the next derivative, with its own graph

    exact = [np.sin, np.cos, lambda v: -np.sin(v), lambda v: -np.cos(v)]
    for order, (y, f) in enumerate(zip(ys, exact)):
        error = np.abs(autograd.to_host(y) - f(autograd.to_host(x))).max()
        print(f"derivative {order}: largest error against the exact formula {error:.1e}")
    """),
    code("""
    fig, ax = plt.subplots(figsize=(8, 4))
    for y, label in zip(ys, ["y = sin(x)", "y'", "y''", "y'''"]):
        ax.plot(autograd.to_host(x), autograd.to_host(y), label=label)
    ax.set_xlabel("x")
    ax.set_title("sin and its first three derivatives, by backward(create_graph=True)")
    ax.legend(loc="lower right")
    plt.show()
    """),
    md("""
    ## Newton's method

    To minimise f(x) = x⁴ − 2x², Newton's method steps x ← x − f′(x) / f″(x). Both derivatives come from
    autograd: `backward(create_graph=True)` gives f′ as a Variable with a graph, and its `backward()` gives
    f″. Started at x = 2, the iterates converge to the minimum at x = 1 in a handful of steps (gradient
    descent would need many more).
    """),
    code("""
    def f(x):
        return x ** 4 - 2 * x ** 2

    x = Variable(2.0)
    iterates = [x.item()]
    for i in range(8):
        y = f(x)
        y.backward(create_graph=True)
        gx = x.grad        # f'(x) = 4x³ - 4x, a Variable with a graph
        x.cleargrad()
        gx.backward()
        gx2 = x.grad       # f''(x) = 12x² - 4
        x = Variable(x.data - gx.data / gx2.data)
        iterates.append(x.item())

    for i, value in enumerate(iterates):
        print(f"step {i}:  x = {value:.12f}")
    """),
    code("""
    grid = np.linspace(-1.6, 2.1, 200)
    fig, ax = plt.subplots(figsize=(7, 4))
    ax.plot(grid, f(grid), label="f(x) = x⁴ − 2x²")
    ax.plot(iterates, [f(v) for v in iterates], "o--", label="Newton iterates")
    ax.set_xlabel("x")
    ax.legend()
    plt.show()
    """),
]

# ---- 02 ----------------------------------------------------------------------------------------------------

OPTIMIZERS = [
    md("""
    # Optimizers and gradient hooks

    An optimizer's `update(model)` changes every parameter of the model that has a gradient. Before that it
    applies its `hooks`, in order: a hook is any callable that takes the list of parameters and may replace
    their gradients. This notebook runs the seed example (Adam with `WeightDecay` and `ClipGrad`), compares
    the loss curves of the six optimizers on one regression problem, shows what gradient clipping does to a
    run whose step size is too large, and freezes the first layer of a network with `FreezeParam`.
    """),
    code(SETUP),
    md("""
    ## The seed example

    An MLP with two hidden layers of 64 units, trained with Adam, weight decay 1e-4 and the gradients clipped
    to a global norm of 1. The input `[1, 2, 3]` is one sample with three features, so the network predicts a
    single number for the three targets `[0, 1, 0]`: the best it can do is 1/3, a loss of 2/9 ≈ 0.2222.
    """),
    code("""
    mlp = model.MLP([64, 64, 1])
    opt = optimizer.Adam(alpha=0.001, beta1=0.9, beta2=0.999,
                         hooks=[hook.WeightDecay(1e-4), hook.ClipGrad(1.0)])
    x = Variable([1.0, 2.0, 3.0], dtype="float32")
    t = Variable([0.0, 1.0, 0.0], dtype="float32")
    losses = []
    for i in range(200):
        loss = F.mean_squared_error(mlp(x), t)
        mlp.cleargrads()
        loss.backward()
        opt.update(mlp)
        losses.append(loss.data)  # the raw array: no graph kept alive, no wait for the device
    losses = autograd.to_host(x.xp.stack(losses))  # every loss in one transfer, once training is done
    print(f"loss {losses[0]:.4f} -> {losses[-1]:.4f}")
    """),
    md("The parameters are named after the attributes that hold them; the weights were created at the first call:"),
    code("""
    for name, p in mlp.named_params():
        print(f"{name:5s} {str(p.shape):9s} {p.dtype}")
    """),
    md("""
    ## Six optimizers, one problem

    Fit y = sin(2πx) plus uniform noise with an MLP of 10 sigmoid units. Every run starts from the same
    weights (`autograd.seed(0)` before the model is built), so the curves differ only by the optimizer.
    """),
    code("""
    rng = np.random.default_rng(0)
    xs = rng.random((100, 1), dtype=np.float32)
    ts = np.sin(2 * np.pi * xs) + rng.random((100, 1), dtype=np.float32)
    x, t = Variable(xs), Variable(ts)


    def train(opt, mlp=None, steps=1000):
        \"""Train an MLP (a fresh one, the same initial weights every time, unless given) on (x, t) with opt;
        returns the model and the loss of every step.\"""
        if mlp is None:
            autograd.seed(0)
            mlp = model.MLP([10, 1])
        losses = []
        for i in range(steps):
            loss = F.mean_squared_error(mlp(x), t)
            mlp.cleargrads()
            loss.backward()
            opt.update(mlp)
            losses.append(loss.data)  # the raw array: no graph kept alive, no host synchronisation
        return mlp, autograd.to_host(x.xp.stack(losses))  # one transfer at the end
    """),
    code("""
    optimizers = {
        "SGD": optimizer.SGD(learning_rate=0.2),
        "Momentum": optimizer.Momentum(learning_rate=0.1, momentum=0.9),
        "AdaGrad": optimizer.AdaGrad(learning_rate=0.3),
        "RMSprop": optimizer.RMSprop(learning_rate=0.01),
        "Adam": optimizer.Adam(alpha=0.02),
        "AdamW": optimizer.AdamW(alpha=0.02, weight_decay=0.01),
    }
    curves = {}
    for name, opt in optimizers.items():
        fitted, curves[name] = train(opt)
        print(f"{name:9s} loss {curves[name][0]:.4f} -> {curves[name][-1]:.4f}")
    """),
    code("""
    fig, ax = plt.subplots(figsize=(8, 4.5))
    for name, curve in curves.items():
        ax.plot(curve, label=name)
    ax.set_yscale("log")
    ax.set_xlabel("step")
    ax.set_ylabel("mean squared error")
    ax.set_title("Loss curves: the same MLP and data, six optimizers")
    ax.legend()
    plt.show()
    """),
    md("""
    Plain SGD sits on the plateau where the network fits only a straight line; momentum and the adaptive
    methods get off it and fit the sine (the noise, uniform on [0, 1), leaves a loss of at least 1/12).
    Here is the last network (AdamW) against the data:
    """),
    code("""
    grid = np.linspace(0, 1, 100, dtype=np.float32).reshape(-1, 1)
    with autograd.no_grad():
        prediction = autograd.to_host(fitted(Variable(grid)))
    fig, ax = plt.subplots(figsize=(6, 3.5))
    ax.scatter(xs, ts, s=10, label="data")
    ax.plot(grid, prediction, color="C1", label="MLP (AdamW)")
    ax.legend()
    plt.show()
    """),
    md("""
    ## Gradient clipping

    Momentum with a step size of 0.5 is too aggressive for the first steps: the loss jumps up and the sigmoids
    saturate. `ClipGrad(1.0)` rescales the gradients whenever their global norm is above 1. It keeps the norm
    it measured (before clipping) in `last_norm`, a 0-d Variable on the parameters' device; a second hook,
    here a plain function, records it at every step.
    """),
    code("""
    _, unclipped = train(optimizer.Momentum(learning_rate=0.5))

    clip = hook.ClipGrad(1.0)
    norms = []


    def record_norm(params):  # a hook is any callable taking the parameters
        norms.append(clip.last_norm)


    _, clipped = train(optimizer.Momentum(learning_rate=0.5, hooks=[clip, record_norm]))
    norms = np.array([float(n) for n in norms])
    print(f"without ClipGrad: loss {unclipped[0]:.4f} -> {unclipped[-1]:.4f} (largest {unclipped.max():.2f})")
    print(f"with ClipGrad:    loss {clipped[0]:.4f} -> {clipped[-1]:.4f} (largest {clipped.max():.2f})")
    print(f"clipped in {(norms > 1.0).sum()} of {len(norms)} steps; the first norms: {np.round(norms[:5], 2)}")
    """),
    code("""
    fig, (left, right) = plt.subplots(1, 2, figsize=(11, 4))
    left.plot(unclipped, label="Momentum(0.5)")
    left.plot(clipped, label="Momentum(0.5) + ClipGrad(1.0)")
    left.set_yscale("log")
    left.set_xlabel("step")
    left.set_title("loss")
    left.legend()
    right.plot(norms)
    right.axhline(1.0, color="gray", linestyle="--", label="max_norm")
    right.set_yscale("log")
    right.set_xlabel("step")
    right.set_title("ClipGrad.last_norm (before clipping)")
    right.legend()
    plt.show()
    """),
    md("""
    ## Freezing a layer

    `FreezeParam(layer)` takes the gradients of the layer's parameters away (sets them to None) before the
    update, so the optimizer, and every hook after it, leaves them alone. Put it first in `hooks`. Here the
    first layer keeps its random weights and only the read-out layer learns.
    """),
    code("""
    autograd.seed(0)  # the same initial weights as the runs above
    frozen = model.MLP([10, 1])
    with autograd.no_grad():
        frozen(x)  # the first call creates the weights, so we can keep a copy
    before = {name: autograd.to_host(p).copy() for name, p in frozen.named_params()}

    frozen, frozen_curve = train(optimizer.Adam(alpha=0.02, hooks=[hook.FreezeParam(frozen.l0)]), mlp=frozen)
    for name, p in frozen.named_params():
        changed = not np.array_equal(before[name], autograd.to_host(p))
        print(f"{name}: {'trained' if changed else 'frozen'}")
    print(f"final loss, first layer frozen: {frozen_curve[-1]:.4f}; every layer trained: {curves['Adam'][-1]:.4f}")
    """),
    code("""
    fig, ax = plt.subplots(figsize=(7, 4))
    ax.plot(curves["Adam"], label="Adam, every layer")
    ax.plot(frozen_curve, label="Adam, first layer frozen")
    ax.set_yscale("log")
    ax.set_xlabel("step")
    ax.set_ylabel("mean squared error")
    ax.legend()
    plt.show()
    """),
]

# ---- 03 ----------------------------------------------------------------------------------------------------

SPIRAL = [
    md("""
    # Spiral classification

    Three interleaved spiral arms in the plane: no straight line separates them, but a small MLP learns to.
    This notebook shows the data pipeline (`data.spiral()`, a `DataLoader` that shuffles every epoch and
    hands out batches as Variables), training for classification with `F.cross_entropy`, measuring
    `F.accuracy`, and drawing the decision boundary the network learned.
    """),
    code(SETUP),
    code("""
    train_set = data.spiral()  # 100 points per class, 3 classes
    print(len(train_set), "points:", train_set.x.shape, train_set.x.dtype, "labels:", train_set.t.shape, train_set.t.dtype)

    markers = ["o", "x", "^"]
    fig, ax = plt.subplots(figsize=(5, 5))
    for k in range(3):
        ax.scatter(*train_set.x[train_set.t == k].T, marker=markers[k], label=f"class {k}")
    ax.set_aspect("equal")
    ax.legend()
    plt.show()
    """),
    md("""
    ## Training

    An MLP with 10 sigmoid hidden units and 3 outputs (one score, a logit, per class), plain SGD with a step
    size of 1, batches of 30, 300 epochs. `F.cross_entropy` takes the logits and the integer labels;
    `F.accuracy` is the fraction of rows whose highest score is the label. Both are 0-d Variables on the
    model's device: the loop sums their arrays (`.data`) there and asks for Python numbers once per epoch,
    so on a GPU no batch waits for the host.
    """),
    code("""
    mlp = model.MLP([10, 3])
    opt = optimizer.SGD(learning_rate=1.0)
    loader = data.DataLoader(train_set, batch_size=30, shuffle=True)

    history = {"loss": [], "accuracy": []}
    for epoch in range(300):
        total_loss = total_acc = 0.0
        for x, t in loader:
            y = mlp(x)
            loss = F.cross_entropy(y, t)
            mlp.cleargrads()
            loss.backward()
            opt.update(mlp)
            total_loss = total_loss + loss.data * len(t)  # summed on the device: no wait inside the epoch
            total_acc = total_acc + F.accuracy(y, t).data * len(t)
        history["loss"].append(float(total_loss) / len(train_set))  # read once per epoch
        history["accuracy"].append(float(total_acc) / len(train_set))
        if epoch % 50 == 0 or epoch == 299:
            print(f"epoch {epoch + 1:3d}  loss {history['loss'][-1]:.4f}  accuracy {history['accuracy'][-1]:.3f}")
    """),
    code("""
    fig, (left, right) = plt.subplots(1, 2, figsize=(10, 3.5))
    left.plot(history["loss"])
    left.set_xlabel("epoch")
    left.set_title("cross entropy")
    right.plot(history["accuracy"])
    right.set_xlabel("epoch")
    right.set_title("training accuracy")
    plt.show()
    """),
    md("""
    ## Decision boundary

    Classify every point of a fine grid (one batch of 40 000 points, without recording a graph) and colour
    the plane by the predicted class.
    """),
    code("""
    h = 0.01
    xx, yy = np.meshgrid(np.arange(-1.1, 1.1, h), np.arange(-1.1, 1.1, h))
    grid = np.stack([xx.ravel(), yy.ravel()], axis=1).astype(np.float32)
    with autograd.no_grad():
        scores = mlp(Variable(grid))
    predicted = autograd.to_host(scores).argmax(axis=1).reshape(xx.shape)

    with autograd.no_grad():
        final_accuracy = float(F.accuracy(mlp(Variable(train_set.x)), Variable(train_set.t)))
    print(f"accuracy on the training points: {final_accuracy:.3f}")

    fig, ax = plt.subplots(figsize=(5.5, 5.5))
    ax.contourf(xx, yy, predicted, levels=[-0.5, 0.5, 1.5, 2.5], colors=["C0", "C1", "C2"], alpha=0.3)
    for k in range(3):
        ax.scatter(*train_set.x[train_set.t == k].T, marker=markers[k], color=f"C{k}", label=f"class {k}")
    ax.set_aspect("equal")
    ax.legend()
    ax.set_title("decision regions of the trained MLP")
    plt.show()
    """),
]

# ---- 04 ----------------------------------------------------------------------------------------------------

DIGITS = [
    md("""
    # Handwritten digits

    scikit-learn's 8×8 handwritten digits: 1797 grey images of the digits 0 to 9. `data.digits()` scales
    them to [0, 1], flattens each to 64 numbers and splits them, always the same way, into 1438 training and
    359 test images. An MLP with one hidden layer of 100 ReLU units, trained with Adam, passes 95 % test
    accuracy in a few seconds. This notebook shows evaluation on held-out data (under `no_grad` and
    `test_mode`), accuracy curves, and the predictions on sample test images.
    """),
    code(SETUP),
    code("""
    train_set, test_set = data.digits(train=True), data.digits(train=False)
    print("train:", train_set.x.shape, " test:", test_set.x.shape)

    fig, axes = plt.subplots(1, 10, figsize=(10, 1.4))
    for digit, ax in enumerate(axes):
        ax.imshow(train_set.x[train_set.t == digit][0].reshape(8, 8), cmap="gray_r")
        ax.set_title(str(digit))
        ax.axis("off")
    plt.show()
    """),
    md("""
    ## Training

    20 epochs of batches of 32. After every epoch both accuracies are measured on the whole set at once,
    inside `no_grad()` (no graph is recorded) and `test_mode()` (layers such as dropout switch to inference).
    """),
    code("""
    mlp = model.MLP([100, 10], activation=F.relu)
    opt = optimizer.Adam(alpha=0.003)
    loader = data.DataLoader(train_set, batch_size=32, shuffle=True)
    x_train, t_train = Variable(train_set.x), Variable(train_set.t)
    x_test, t_test = Variable(test_set.x), Variable(test_set.t)


    def accuracy(x, t):
        with autograd.no_grad(), autograd.test_mode():
            return float(F.accuracy(mlp(x), t))


    train_acc, test_acc = [], []
    for epoch in range(20):
        for x, t in loader:
            loss = F.cross_entropy(mlp(x), t)
            mlp.cleargrads()
            loss.backward()
            opt.update(mlp)
        train_acc.append(accuracy(x_train, t_train))
        test_acc.append(accuracy(x_test, t_test))
        if epoch % 4 == 0 or epoch == 19:
            print(f"epoch {epoch + 1:2d}  train {train_acc[-1]:.3f}  test {test_acc[-1]:.3f}")
    """),
    code("""
    fig, ax = plt.subplots(figsize=(7, 4))
    epochs = np.arange(1, len(train_acc) + 1)
    ax.plot(epochs, train_acc, "o-", label="train")
    ax.plot(epochs, test_acc, "o-", label="test")
    ax.axhline(0.95, color="gray", linestyle="--", linewidth=1)
    ax.set_xlabel("epoch")
    ax.set_ylabel("accuracy")
    ax.set_xticks(epochs[::2])
    ax.legend()
    plt.show()
    """),
    code("""
    print(f"final test accuracy: {test_acc[-1]:.1%}")
    assert test_acc[-1] >= 0.95
    """),
    md("## Predictions on test images (a red title marks a mistake)"),
    code("""
    with autograd.no_grad(), autograd.test_mode():
        predicted = autograd.to_host(mlp(x_test)).argmax(axis=1)
    wrong = np.flatnonzero(predicted != test_set.t)
    print(f"{len(wrong)} of {len(test_set)} test images misclassified")

    fig, axes = plt.subplots(3, 10, figsize=(10, 3.6))
    for i, ax in enumerate(axes.ravel()):
        ax.imshow(test_set.x[i].reshape(8, 8), cmap="gray_r")
        ax.set_title(f"{predicted[i]}", color="black" if predicted[i] == test_set.t[i] else "red")
        ax.axis("off")
    plt.show()
    """),
    md("And every mistake, with the true label:"),
    code("""
    fig, axes = plt.subplots(1, len(wrong), figsize=(1.1 * len(wrong), 1.6), squeeze=False)
    for i, ax in zip(wrong, axes[0]):
        ax.imshow(test_set.x[i].reshape(8, 8), cmap="gray_r")
        ax.set_title(f"{predicted[i]} (is {test_set.t[i]})", color="red", fontsize=9)
        ax.axis("off")
    plt.show()
    """),
]

# ---- 05 ----------------------------------------------------------------------------------------------------

LSTM = [
    md("""
    # An LSTM predicts a sine

    A recurrent network reads a sequence one step at a time and carries a state from step to step. Here
    `model.LSTM(100, 1)` (an LSTM layer of 100 units and a linear read-out) learns to predict the next value
    of a noisy sine wave. Backprop through the whole sequence would keep every step's graph alive, so the
    loss is back-propagated every 30 steps and then cut with `loss.unchain_backward()`: *truncated*
    backprop through time. Afterwards the network predicts a clean cosine it has never seen.
    """),
    code(SETUP),
    md("""
    ## The data

    `data.sin_curve()` samples one period of sin with uniform noise at 1000 points; input i is the value at
    step i and its target the value at step i + 1. `SeqDataLoader` cuts the sequence into 30 streams of 33
    steps, and batch i holds step i of every stream, so the state carried from one batch to the next belongs
    to the same stream.
    """),
    code("""
    train_set = data.sin_curve()
    loader = data.SeqDataLoader(train_set, batch_size=30)
    print(f"{len(train_set)} (input, next value) pairs; {len(loader)} batches of shape {next(iter(loader))[0].shape}")

    fig, ax = plt.subplots(figsize=(7, 3))
    ax.plot(train_set.x[:, 0], linewidth=1)
    ax.set_title("training sequence: sin with noise")
    plt.show()
    """),
    md("""
    ## Truncated backprop through time

    The loss of 30 consecutive steps is summed, back-propagated, and then unchained, which cuts the graph
    behind it; the LSTM keeps its state (so it still remembers the past) but gradients no longer flow into
    steps already learned from. `reset_state()` starts every epoch at the beginning of the streams.
    """),
    code("""
    net = model.LSTM(100, 1)
    opt = optimizer.Adam(alpha=0.001)
    bptt_length = 30

    epoch_losses = []
    for epoch in range(50):
        net.reset_state()
        loss, total, count = 0, 0.0, 0  # total: the epoch's loss, summed on the device
        for x, t in loader:
            loss = loss + F.mean_squared_error(net(x), t)
            count += 1
            if count % bptt_length == 0 or count == len(loader):
                net.cleargrads()
                loss.backward()
                loss.unchain_backward()  # truncate: the graph behind this point is dropped
                opt.update(net)
                total = total + loss.data
                loss = 0  # the next window starts afresh
        epoch_losses.append(float(total) / count)  # read once per epoch
        if epoch % 10 == 0 or epoch == 49:
            print(f"epoch {epoch + 1:2d}  loss per step {epoch_losses[-1]:.4f}")
    """),
    code("""
    fig, ax = plt.subplots(figsize=(7, 3))
    ax.plot(np.arange(1, len(epoch_losses) + 1), epoch_losses)
    ax.set_yscale("log")
    ax.set_xlabel("epoch")
    ax.set_ylabel("mean squared error per step")
    plt.show()
    """),
    md("""
    ## Prediction on the clean cosine

    One stream, one step at a time, from a fresh state, without recording a graph. The very first prediction
    has no past to go on; after a few steps the network follows the curve.
    """),
    code("""
    test_set = data.sin_curve(train=False)  # cos(theta), no noise
    net.reset_state()
    predictions = []
    with autograd.no_grad(), autograd.test_mode():
        for x, t in data.SeqDataLoader(test_set, batch_size=1):
            predictions.append(net(x))
    prediction = np.concatenate([autograd.to_host(p).ravel() for p in predictions])
    truth = test_set.t[:, 0]
    print(f"mean squared error against the cosine: {np.mean((prediction - truth) ** 2):.5f}")

    fig, ax = plt.subplots(figsize=(8, 3.5))
    ax.plot(truth, label="truth: the next value of cos")
    ax.plot(prediction, "--", label="LSTM prediction")
    ax.legend()
    plt.show()
    """),
]

# ---- 06 ----------------------------------------------------------------------------------------------------

GRAPHS = [
    md("""
    # Computational graphs

    Every Variable knows the function that created it, and every function its inputs: together they form the
    computational graph that `backward()` walks. `dot.graph(y)` writes the graph behind `y` as Graphviz DOT
    text (variables are orange ellipses, functions blue boxes) and `dot.source(y)` wraps it in a
    `graphviz.Source` that Jupyter draws. With `backward(create_graph=True)` the backward pass is a graph too:
    we draw the graphs that compute the first four derivatives of tanh and watch them grow.
    """),
    code("""
    import numpy as np
    from IPython.display import SVG, display

    import autograd
    import autograd.function as F
    from autograd import Variable, dot

    autograd.seed(0)
    """),
    md("""
    Drawing needs the `graphviz` Python package and Graphviz's `dot` program. `show` renders with
    `dot.source(v).pipe(...)` and displays the picture; where either is missing it prints the DOT text
    instead, so this notebook runs everywhere.
    """),
    code("""
    try:
        import graphviz
        GRAPHVIZ_MISSING = (ImportError, RuntimeError, graphviz.ExecutableNotFound)
    except ImportError:
        GRAPHVIZ_MISSING = (ImportError, RuntimeError)


    def show(v, verbose=False):
        \"""Draw the graph behind v inline; print its DOT text when Graphviz is not available.\"""
        try:
            svg = dot.source(v, verbose=verbose).pipe(format="svg", encoding="utf-8")
        except GRAPHVIZ_MISSING as e:
            print(f"(cannot draw: {type(e).__name__}; install the graphviz package and Graphviz's dot program)")
            print(dot.graph(v, verbose=verbose))
        else:
            display(SVG(svg))
    """),
    md("## A small graph"),
    code("""
    x0 = Variable(1.0, name="x0")
    x1 = Variable(2.0, name="x1")
    y = x0 * x1 + F.sin(x0)
    y.name = "y"
    print(dot.graph(y))
    """),
    md("The node names are object ids. Drawn, with `verbose=True` adding each variable's shape and dtype:"),
    code("show(y, verbose=True)"),
    md("""
    ## The derivatives of tanh

    y = tanh(x). Each derivative is computed by `backward(create_graph=True)` on the previous one, so each is
    a Variable whose graph contains the graph of the backward pass that produced it.
    """),
    code("""
    x = Variable(1.0, name="x")
    y = F.tanh(x)
    y.name = "y"
    derivatives = [y]
    for order in range(1, 5):
        x.cleargrad()
        derivatives[-1].backward(create_graph=True)
        gx = x.grad
        gx.name = f"gx{order}"
        derivatives.append(gx)

    t = np.tanh(1.0)
    exact = [t, 1 - t**2, -2 * t * (1 - t**2), (1 - t**2) * (6 * t**2 - 2), 8 * t * (1 - t**2) * (2 - 3 * t**2)]
    print("order  value       exact       functions  edges")
    for order, (v, e) in enumerate(zip(derivatives, exact)):
        text = dot.graph(v)
        print(f"{order:5d}  {v.item():+.7f}  {e:+.7f}  {text.count('shape=box'):9d}  {text.count('->'):5d}")
    """),
    md("The function itself: one `Tanh`."),
    code("show(derivatives[0])"),
    md("The first derivative, (1 − y²) times the incoming gradient, built from differentiable ops:"),
    code("show(derivatives[1])"),
    md("The second derivative differentiates that whole graph:"),
    code("show(derivatives[2])"),
    md("The third:"),
    code("show(derivatives[3])"),
    md("""
    And the fourth: the graph roughly doubles with every order. `dot.render(v, "name", format="png")`
    writes such a picture to a file instead.
    """),
    code("show(derivatives[4])"),
]

# ---- 07 ----------------------------------------------------------------------------------------------------

GPU = [
    md("""
    # Running on a GPU

    The device of a Variable is the device of its array: NumPy arrays live on `cpu`, CuPy arrays on
    `cuda:N`. Where no GPU is present, the simulated accelerator `sim` (array-api-strict arrays on a
    device of their own) behaves like one: its arrays refuse implicit conversion to NumPy and refuse to mix
    with arrays of another device. This notebook picks the best device available, trains the spiral
    classifier there and on the cpu, with its batches handed out on each device by a `data.DataLoader`, checks
    that the losses agree, and shows how data comes home (`autograd.to_host`) and what mixing devices looks
    like (`autograd.DeviceError`).
    """),
    code("""
    import numpy as np

    import autograd
    import autograd.function as F
    from autograd import Variable, data, hook, model, optimizer

    names = [d.name for d in autograd.available_devices()]
    print("available devices:", ", ".join(names))
    device = next((n for n in names if n.startswith("cuda")), "sim" if "sim" in names else "cpu")
    print("using:", device)
    """),
    md("""
    ## Data on the device

    A dataset holds host arrays; `data.DataLoader(dataset, batch_size, device=device)` gathers each batch on
    the host and puts it on `device` in one transfer, as Variables ready for a model there.
    """),
    code("""
    autograd.seed(0)
    train_set = data.spiral()  # 300 points in the plane, 3 classes (notebook 03)
    x, t = next(iter(data.DataLoader(train_set, batch_size=30, device=device)))
    print("a batch of inputs:", x.shape, "on", x.device, "  labels:", t.shape, "on", t.device)
    """),
    md("""
    ## The same training, on two devices

    The only changes for a device are `model.to(device)` and the loader's `device=device`. Adam's moments,
    `WeightDecay` and `ClipGrad` all work where the parameters are. Each step's loss is kept as its raw array
    (`loss.data`) on the device: no graph is kept alive and nothing waits for the GPU inside the loop; the
    whole curve comes home in one transfer at the end.
    """),
    code("""
    def train(device, epochs=50):
        autograd.seed(0)  # the initial weights (drawn on the host) and the shuffling: the same on every device
        mlp = model.MLP([10, 3]).to(device)
        opt = optimizer.Adam(alpha=0.1, hooks=[hook.WeightDecay(1e-4), hook.ClipGrad(1.0)])
        loader = data.DataLoader(train_set, batch_size=30, device=device)
        losses = []
        for epoch in range(epochs):
            for x, t in loader:
                loss = F.cross_entropy(mlp(x), t)
                mlp.cleargrads()
                loss.backward()
                opt.update(mlp)
                losses.append(loss.data)  # stays on the device
        return mlp, autograd.to_host(x.xp.stack(losses))  # one transfer for the whole curve


    cpu_mlp, cpu_curve = train("cpu")
    dev_mlp, dev_curve = train(device)
    print(f"cpu:      loss {cpu_curve[0]:.6f} -> {cpu_curve[-1]:.6f}")
    print(f"{device + ':':9s} loss {dev_curve[0]:.6f} -> {dev_curve[-1]:.6f}")
    """),
    code("""
    print(f"largest difference over {len(cpu_curve)} steps: {np.abs(cpu_curve - dev_curve).max():.1e}")
    assert np.allclose(cpu_curve, dev_curve, rtol=1e-3, atol=1e-5)

    weight_gap = max(np.abs(autograd.to_host(p) - autograd.to_host(q)).max()
                     for p, q in zip(cpu_mlp.params(), dev_mlp.params()))
    print(f"largest difference between the trained weights: {weight_gap:.1e}")

    x_all, t_all = Variable(train_set.x, device=device), Variable(train_set.t, device=device)
    with autograd.no_grad():
        print(f"training accuracy on {device}: {float(F.accuracy(dev_mlp(x_all), t_all)):.3f}")
    """),
    md("""
    ## Bringing data home

    `autograd.to_host` gives a NumPy array for a Variable or an array of any device (a copy from a GPU;
    `float(v)` and `v.item()` give a Python number). It is the one place a transfer to the host happens.
    """),
    code("""
    w = dev_mlp.l0.W
    print("the weight's device:", w.device, " its array type:", type(w.data).__module__.split(".")[0])
    host = autograd.to_host(w)
    print("to_host gives:", type(host).__name__, host.shape, host.dtype)
    print(np.round(host[0, :4], 4))
    """),
    md("""
    ## Mixing devices

    Nothing moves between devices implicitly. An input left on the cpu for a model on another device is an
    error that names the op and both devices; `.to(device)` moves it explicitly.
    """),
    code("""
    x_cpu = Variable(np.ones((1, 2), dtype=np.float32))
    if device == "cpu":
        print("only the cpu here: there is nothing to mix")
    else:
        try:
            dev_mlp(x_cpu)
        except autograd.DeviceError as e:
            print("DeviceError:", e)
        y = dev_mlp(x_cpu.to(device))
        print("after .to(device):", y)
    """),
    md("""
    A model moves back the same way: `dev_mlp.to("cpu")` moves every parameter (and an optimizer's state
    follows at its next update).
    """),
    code("""
    dev_mlp.to("cpu")
    print({p.device.name for p in dev_mlp.params()})
    print(dev_mlp(x_cpu))
    """),
]

# ---- 08 ----------------------------------------------------------------------------------------------------

CNN = [
    md("""
    # A convolutional network on handwritten digits

    An MLP sees an image as 64 unrelated numbers. A convolution slides one small kernel over the whole image,
    so the same few weights look for the same local pattern (an edge, a corner) everywhere. This notebook
    shows what `F.conv2d` computes on a tiny image with a hand-made edge kernel, how `F.im2col` turns it into
    one matrix product, then trains a small CNN on the 8×8 digits of notebook 04 and looks at its loss, its
    test accuracy, the 3×3 filters it learned and its predictions.
    """),
    code("""
    %matplotlib inline
    import matplotlib.pyplot as plt
    import numpy as np

    import autograd
    import autograd.function as F
    from autograd import Variable, data, layer, model, optimizer

    autograd.seed(0)  # every random draw (initial weights, shuffling, dropout) is reproducible
    """),
    md("""
    ## What a convolution computes

    Images are laid out (N, C, H, W): a batch of N images of C channels. A kernel W (OC, C, kh, kw) gives OC
    output channels; each output pixel is the sum of a kh×kw patch of the input times the kernel:

    y[n, o, p, q] = Σ<sub>c, i, j</sub> W[o, c, i, j] · x[n, c, p + i, q + j]  (+ b[o])

    Here is a 6×6 image, dark on the left and bright on the right, and a 3×3 kernel that subtracts the left
    column from the right one: it answers where brightness rises from left to right, a vertical edge.
    """),
    code("""
    image = np.zeros((1, 1, 6, 6), dtype=np.float32)  # N=1 image, C=1 channel, 6x6
    image[..., 3:] = 1.0                               # the right half is bright
    kernel = np.array([[-1, 0, 1],
                       [-1, 0, 1],
                       [-1, 0, 1]], dtype=np.float32).reshape(1, 1, 3, 3)  # OC=1, C=1, 3x3

    y = F.conv2d(image, kernel)  # no padding: a 3x3 kernel fits in 4x4 places
    print("image:\\n", image[0, 0])
    print("conv2d:", y.shape, "\\n", autograd.to_host(y)[0, 0])
    print("y[0, 0, 0, 1] by hand:", np.sum(image[0, 0, 0:3, 1:4] * kernel[0, 0]))
    """),
    md("""
    The response is 3 where the patch straddles the edge and 0 on flat regions. With `pad=1` the image is
    bordered with zeros first, so the output keeps the input's 6×6 size (the border of zeros makes an edge
    of its own on the right); `stride=2` visits every other place.
    """),
    code("""
    print("pad=1:   ", F.conv2d(image, kernel, pad=1).shape)
    print(autograd.to_host(F.conv2d(image, kernel, pad=1))[0, 0])
    print("stride=2:", F.conv2d(image, kernel, stride=2).shape)
    """),
    md("""
    ## im2col: a convolution as one matrix product

    `F.im2col(x, kernel_size)` copies every patch of x into a column: (N, C·kh·kw, OH·OW). Here 16 patches of
    9 pixels. The convolution is then the kernel, flattened to (OC, C·kh·kw), times that matrix, which is how
    `F.conv2d` computes it (and why its gradient comes for free from matmul's and im2col's).
    """),
    code("""
    col = F.im2col(image, 3)
    print("im2col:", col.shape, " (N, C*kh*kw, OH*OW)")
    print("column 1, the patch at (0, 1), as a 3x3:\\n", autograd.to_host(col)[0, :, 1].reshape(3, 3))

    product = F.matmul(kernel.reshape(1, 9), col).reshape(1, 1, 4, 4)
    print("kernel @ im2col equals conv2d:", np.allclose(autograd.to_host(product), autograd.to_host(y)))

    batch = np.zeros((32, 16, 8, 8), dtype=np.float32)  # 32 images of 16 channels, like the CNN's second layer
    print("a batch of 32 8x8 images with 16 channels, 3x3 patches, pad=1:", F.im2col(batch, 3, pad=1).shape)
    """),
    md("""
    ## Edges in a digit

    `data.digits()` gives the 8×8 digits as rows of 64 pixels in [0, 1]; reshaped to (N, 1, 8, 8) they are
    images. The same edge kernel, and its transpose for horizontal edges, applied to a training digit:
    """),
    code("""
    train_set, test_set = data.digits(train=True), data.digits(train=False)
    print("train:", train_set.x.shape, " test:", test_set.x.shape)

    digit = train_set.x[:1].reshape(1, 1, 8, 8)
    vertical = F.conv2d(digit, kernel, pad=1)
    horizontal = F.conv2d(digit, kernel.transpose(0, 1, 3, 2), pad=1)

    fig, axes = plt.subplots(1, 3, figsize=(7.5, 2.6))
    panels = [(digit, f"digit ({train_set.t[0]})", "gray_r"), (vertical, "vertical edges", "RdBu_r"),
              (horizontal, "horizontal edges", "RdBu_r")]
    for ax, (img, title, cmap) in zip(axes, panels):
        values = autograd.to_host(img)[0, 0]
        limit = np.abs(values).max()
        ax.imshow(values, cmap=cmap, vmin=0 if cmap == "gray_r" else -limit, vmax=limit)
        ax.set_title(title)
        ax.axis("off")
    plt.show()
    """),
    md("""
    ## The network

    Two convolutions of 3×3 kernels with `pad=1` (the size stays 8×8, then 4×4), each followed by ReLU and a
    2×2 max pool that halves the size; batch normalisation after the first. Flattened, the 32×2×2 features go
    through a hidden layer of 64 units with dropout to the 10 class scores. Instead of hand-made kernels, the
    16 kernels of `conv1` and the 32×16 of `conv2` are learned. (`examples/cnn.py` defines the same model.)
    """),
    code("""
    class CNN(model.Model):
        def __init__(self):
            super().__init__()
            self.conv1 = layer.Conv2d(16, 3, pad=1)  # in_channels is taken from the first input
            self.bn1 = layer.BatchNorm(16)
            self.conv2 = layer.Conv2d(32, 3, pad=1)
            self.fc1 = layer.Linear(64)
            self.drop = layer.Dropout(0.25)
            self.fc2 = layer.Linear(10)

        def forward(self, x):
            x = F.reshape(x, (-1, 1, 8, 8))                        # 64 pixels -> 1 x 8 x 8
            x = F.max_pool2d(F.relu(self.bn1(self.conv1(x))), 2)  # 16 x 4 x 4
            x = F.max_pool2d(F.relu(self.conv2(x)), 2)            # 32 x 2 x 2
            return self.fc2(self.drop(F.relu(self.fc1(F.flatten(x)))))


    net = CNN()
    with autograd.no_grad():
        print("scores:", net(train_set.x[:2]).shape)  # the first call creates the weights
    for name, p in net.named_params():
        print(f"{name:10s} {p.shape}")
    print("parameters:", sum(p.size for p in net.params()))
    """),
    md("""
    ## Training

    Adam, batches of 32, 5 epochs. Each step's loss is kept as its raw array and read once at the end; after
    every epoch the test accuracy is measured on all 359 test images at once, under `test_mode()` (dropout
    off, batch norm uses its running statistics) and `no_grad()`.
    """),
    code("""
    opt = optimizer.Adam(alpha=0.003)
    loader = data.DataLoader(train_set, batch_size=32, shuffle=True)
    x_test, t_test = Variable(test_set.x), Variable(test_set.t)

    losses, test_acc = [], []
    for epoch in range(5):
        for x, t in loader:
            loss = F.cross_entropy(net(x), t)
            net.cleargrads()
            loss.backward()
            opt.update(net)
            losses.append(loss.data)
        with autograd.no_grad(), autograd.test_mode():
            test_acc.append(float(F.accuracy(net(x_test), t_test)))
        epoch_loss = float(sum(losses[-len(loader):])) / len(loader)  # this epoch's mean batch loss
        print(f"epoch {epoch + 1}  loss {epoch_loss:.4f}  test accuracy {test_acc[-1]:.3f}")
    losses = autograd.to_host(x.xp.stack(losses))
    """),
    code("""
    fig, (left, right) = plt.subplots(1, 2, figsize=(10, 3.5))
    steps_per_epoch = len(loader)
    left.plot(np.arange(1, len(losses) + 1) / steps_per_epoch, losses, linewidth=1)
    left.set_yscale("log")
    left.set_xlabel("epoch")
    left.set_title("cross entropy of each batch")
    epochs = np.arange(1, len(test_acc) + 1)
    right.plot(epochs, test_acc, "o-")
    right.set_xticks(epochs)
    right.set_xlabel("epoch")
    right.set_title("test accuracy")
    plt.show()
    """),
    md("""
    ## The learned filters

    The 16 kernels of the first layer, `net.conv1.W` of shape (16, 1, 3, 3), each drawn with its own
    colour scale (red positive, blue negative). Several put a positive side next to a negative one:
    edge detectors, like the hand-made kernel, that the network found on its own.
    """),
    code("""
    W = autograd.to_host(net.conv1.W)
    print("conv1.W:", W.shape)
    fig, axes = plt.subplots(2, 8, figsize=(9, 2.6))
    for k, ax in enumerate(axes.ravel()):
        limit = np.abs(W[k, 0]).max()
        ax.imshow(W[k, 0], cmap="RdBu_r", vmin=-limit, vmax=limit)
        ax.set_title(str(k), fontsize=9)
        ax.axis("off")
    plt.show()
    """),
    md("""
    ## Predictions

    The first ten test images with the predicted digit above each, then the misclassified ones (in red,
    with the true label).
    """),
    code("""
    with autograd.no_grad(), autograd.test_mode():
        predicted = autograd.to_host(net(x_test)).argmax(axis=1)
    wrong = np.flatnonzero(predicted != test_set.t)
    print(f"test accuracy {np.mean(predicted == test_set.t):.1%}: {len(wrong)} of {len(test_set)} misclassified")

    fig, axes = plt.subplots(2, 10, figsize=(10, 2.8))
    for ax in axes.ravel():
        ax.axis("off")
    for ax, i in zip(axes.ravel(), list(range(10)) + list(wrong[:10])):
        ax.imshow(test_set.x[i].reshape(8, 8), cmap="gray_r")
        if predicted[i] == test_set.t[i]:
            ax.set_title(f"{predicted[i]}", fontsize=9)
        else:
            ax.set_title(f"{predicted[i]} (is {test_set.t[i]})", color="red", fontsize=9)
    plt.show()
    """),
]

# ---- 09 ----------------------------------------------------------------------------------------------------

GPT = [
    md("""
    # A tiny GPT learns to sort

    A GPT predicts the next token of a sequence from the tokens before it, and nothing after. This notebook
    builds minGPT's model from the library's pieces (token and position embeddings, causal self-attention,
    layer norm, an MLP with gelu), trains it on minGPT's demo task, sorting six digits of 0 to 2, with AdamW,
    weight decay on the weight matrices only, a warm-up then cosine learning rate and gradient clipping, and
    then looks at what it learned: its accuracy on sequences it never saw, and where its attention goes.
    `examples/gpt.py` is the same model as a script, sorting ten digits of 0 to 9.
    """),
    code("""
    %matplotlib inline
    import math

    import matplotlib.pyplot as plt
    import numpy as np

    import autograd
    import autograd.function as F
    from autograd import Variable, hook, layer, model, optimizer, scheduler

    autograd.seed(0)  # every random draw (initial weights, batches) is reproducible
    """),
    md("""
    ## The task

    A sequence of 6 digits is followed by its sorted copy. The model reads `2 0 1 1 0 2 0 0 1 1 2` (the
    last token left out) and at each position predicts the next token; only the predictions of the sorted
    half count, so the targets of the first five positions are -100, the label `F.cross_entropy` ignores.
    A quarter of the 3⁶ = 729 possible sequences is held out and never trained on.
    """),
    code("""
    length, digits = 6, 3
    every = np.indices((digits,) * length).reshape(length, -1).T  # all 729 sequences
    order = np.random.default_rng(1234).permutation(len(every))
    test, train = every[order[:len(every) // 4]], every[order[len(every) // 4:]]


    def batch(sequences):
        whole = np.concatenate([sequences, np.sort(sequences, axis=1)], axis=1)
        x, t = whole[:, :-1], whole[:, 1:].copy()
        t[:, :length - 1] = -100  # predictions of the unsorted half are not scored
        return x, t


    x, t = batch(train[:1])
    print("train:", len(train), "sequences, test:", len(test))
    print("input  x:", x[0])
    print("target t:", t[0])
    """),
    md("""
    ## The model

    In self-attention each position makes a query q, a key k and a value v (linear maps of its embedding) and
    takes the average of the values weighted by softmax(q kᵀ / √d) over the positions. *Causal*: a position
    may look only at itself and earlier ones, so the scores above the diagonal are -∞ before the softmax and
    get weight 0. `layer.MultiHeadAttention(48, 3)` has three heads do this apart, each on a third of the
    embedding, and a linear map mix their outputs; `is_causal=True` applies the mask
    (`F.scaled_dot_product_attention` is the function inside). A block adds the attention of the
    layer-normed input to its input, then does the same with an MLP (pre-LN, as GPT-2).
    """),
    code("""
    class Block(model.Model):  # pre-LN: x + attention(ln(x)), then x + mlp(ln(x))
        def __init__(self, embed_dim, num_heads):
            super().__init__()
            self.ln1, self.ln2 = layer.LayerNorm(embed_dim), layer.LayerNorm(embed_dim)
            self.attn = layer.MultiHeadAttention(embed_dim, num_heads)
            self.fc = layer.Linear(4 * embed_dim, in_size=embed_dim)
            self.out = layer.Linear(embed_dim, in_size=4 * embed_dim)

        def forward(self, x):
            x = x + self.attn(self.ln1(x), is_causal=True)
            return x + self.out(F.gelu(self.fc(self.ln2(x)), approximate="tanh"))  # GPT-2's gelu


    class GPT(model.Model):
        def __init__(self, vocab_size, block_size, embed_dim=48, num_heads=3, layers=3):
            super().__init__()
            self.tok = layer.Embedding(vocab_size, embed_dim)
            self.pos = layer.Embedding(block_size, embed_dim)
            self.blocks = [Block(embed_dim, num_heads) for _ in range(layers)]
            self.ln = layer.LayerNorm(embed_dim)
            self.head = layer.Linear(vocab_size, in_size=embed_dim, nobias=True)

        def forward(self, ids):
            x = self.tok(ids) + self.pos(ids.xp.arange(ids.shape[1], device=ids.device.where))
            for block in self.blocks:
                x = block(x)
            return self.head(self.ln(x))  # (N, T, vocab_size): the next-token logits


    gpt = GPT(digits, 2 * length - 1)
    print("logits:", gpt(Variable(x)).shape)
    print("parameters:", sum(p.size for p in gpt.params()))
    """),
    md("""
    Causal means what it says: changing the last three input tokens leaves the logits of the first eight
    positions exactly as they were.
    """),
    code("""
    changed = x.copy()
    changed[0, -3:] = (changed[0, -3:] + 1) % digits
    with autograd.no_grad():
        a, b = autograd.to_host(gpt(Variable(x))), autograd.to_host(gpt(Variable(changed)))
    print("first 8 positions equal:", np.allclose(a[0, :8], b[0, :8]), "  last 3 equal:", np.allclose(a[0, 8:], b[0, 8:]))
    """),
    md("""
    ## Training

    minGPT's recipe: AdamW with betas (0.9, 0.95) in two parameter groups, as in PyTorch: the weight matrices
    of the Linear layers decay (0.1), while biases, layer norms and embeddings do not. The gradients are
    clipped to a global norm of 1 (the hooks see both groups at once). `autograd.scheduler` sets the learning
    rate of every group: `LinearLR` warms it up over the first 20 steps, then `CosineAnnealingLR` takes it
    along a half cosine to 0; `SequentialLR` runs one after the other. `sched.step()` follows each update.
    """),
    code("""
    linear_weights = {id(m.W) for m in gpt.sublayers() if isinstance(m, layer.Linear)}
    decay = [p for p in gpt.params() if id(p) in linear_weights]
    rest = [p for p in gpt.params() if id(p) not in linear_weights]
    opt = optimizer.AdamW([{"params": decay, "weight_decay": 0.1}, {"params": rest, "weight_decay": 0.0}],
                          alpha=5e-4, beta1=0.9, beta2=0.95, hooks=[hook.ClipGrad(1.0)])
    sched = scheduler.SequentialLR(opt, [scheduler.LinearLR(opt, start_factor=1 / 20, total_iters=20),
                                         scheduler.CosineAnnealingLR(opt, T_max=180)], milestones=[20])
    print(f"{len(decay)} tensors decay ({sum(p.size for p in decay)} numbers), {len(rest)} do not")

    rng = np.random.default_rng(0)
    losses, rates = [], []
    for step in range(200):
        x, t = batch(train[rng.integers(len(train), size=64)])
        loss = F.cross_entropy(F.reshape(gpt(Variable(x)), (-1, digits)), t.reshape(-1))
        gpt.cleargrads()
        loss.backward()
        opt.update()
        rates.append(sched.get_last_lr()[0])  # this step's learning rate
        sched.step()
        losses.append(loss.data)
    losses = autograd.to_host(loss.xp.stack(losses))  # one transfer at the end
    print(f"loss {losses[:10].mean():.3f} (first 10 steps) -> {losses[-10:].mean():.4f} (last 10)")
    """),
    code("""
    fig, (left, right) = plt.subplots(1, 2, figsize=(10, 3.5))
    left.plot(losses)
    left.set_yscale("log")
    left.set_xlabel("step")
    left.set_title("cross entropy of the sorted half")
    right.plot(rates)
    right.set_xlabel("step")
    right.set_title("learning rate: warm-up, then cosine")
    plt.show()
    """),
    md("""
    ## Sorting sequences it never saw

    Generation is greedy: feed the 6 digits, take the most likely next token, append it, and again, 6 times.
    A sequence counts only if all six output digits are right.
    """),
    code("""
    ids = Variable(test)
    with autograd.no_grad(), autograd.test_mode():
        for _ in range(length):
            next_ids = F.argmax(gpt(ids)[:, -1], axis=-1)  # the most likely next digit of each sequence
            ids = F.concat([ids, F.unsqueeze(next_ids, 1)], axis=1)
    output = autograd.to_host(ids)[:, length:]
    right = np.all(output == np.sort(test, axis=1), axis=1)
    print(f"exact-match on {len(test)} held-out sequences: {right.mean():.1%}")
    for seq, out in zip(test[:5], output[:5]):
        print(seq, "->", out)
    """),
    md("""
    ## Where the attention goes

    The attention weights of the three heads of the last block for one held-out sequence, rows the position
    that predicts, columns the positions it looks at (the upper triangle is 0: the future is masked).
    MultiHeadAttention returns only its output, so the weights are recomputed from its query and key
    projections: softmax(q kᵀ / √d) with the causal mask.
    """),
    code("""
    seq = test[:1]
    whole = np.concatenate([seq, np.sort(seq, axis=1)], axis=1)[:, :-1]
    T = whole.shape[1]
    with autograd.no_grad():
        h = gpt.tok(Variable(whole)) + gpt.pos(np.arange(T))
        for block in gpt.blocks[:-1]:
            h = block(h)
        attn, h = gpt.blocks[-1].attn, gpt.blocks[-1].ln1(h)
        q, k = (F.transpose(F.reshape(proj(h), (1, T, 3, -1)), (0, 2, 1, 3)) for proj in (attn.q_proj, attn.k_proj))
        scores = F.matmul(q, F.matrix_transpose(k)) / math.sqrt(q.shape[-1])
        future = np.triu(np.ones((T, T), dtype=bool), 1)
        weights = autograd.to_host(F.softmax(F.mask_fill(scores, future, -math.inf), axis=-1))[0]
    labels = [str(d) for d in whole[0]]
    fig, axes = plt.subplots(1, 3, figsize=(11, 3.6))
    for head, ax in enumerate(axes):
        ax.imshow(weights[head], cmap="Blues", vmin=0, vmax=1)
        ax.set_xticks(range(len(labels)), labels)
        ax.set_yticks(range(len(labels)), labels)
        ax.set_title(f"head {head}")
    plt.show()
    """),
]

NOTEBOOKS = {
    "01_quickstart": QUICKSTART,
    "02_optimizers_and_hooks": OPTIMIZERS,
    "03_spiral": SPIRAL,
    "04_digits": DIGITS,
    "05_lstm": LSTM,
    "06_graphs": GRAPHS,
    "07_gpu": GPU,
    "08_cnn": CNN,
    "09_gpt": GPT,
}


# ---- building ------------------------------------------------------------------------------------------------

def make_notebook(cells):
    """An nbformat notebook of the (kind, source) cells, with fixed cell ids and no outputs."""
    import nbformat.v4 as v4

    nb = v4.new_notebook(metadata={
        "kernelspec": {"name": KERNEL, "display_name": "Python 3", "language": "python"},
        "language_info": {"name": "python"},
    })
    for i, (kind, source) in enumerate(cells):
        cell = v4.new_markdown_cell(source) if kind == "markdown" else v4.new_code_cell(source)
        cell.id = f"cell-{i:02d}"
        nb.cells.append(cell)
    return nb


def kernel_env():
    """The environment of the kernel: this one, with the repository root first on PYTHONPATH."""
    paths = [str(ROOT)] + [p for p in os.environ.get("PYTHONPATH", "").split(os.pathsep) if p]
    return dict(os.environ, PYTHONPATH=os.pathsep.join(paths))


def kernel_argv():
    """The command that starts the notebook kernel: ipykernel under this interpreter."""
    return [sys.executable, "-m", "ipykernel_launcher", "-f", "{connection_file}"]


_kernel_manager_class = None


def kernel_manager_class():
    """An AsyncKernelManager (nbclient's default) whose ``python3`` kernel runs :func:`kernel_argv`, not the
    command of whatever ``python3`` kernelspec is installed, which may name another Python."""
    global _kernel_manager_class
    if _kernel_manager_class is None:
        from jupyter_client.kernelspec import KernelSpec
        from jupyter_client.manager import AsyncKernelManager

        class ThisInterpreterKernelManager(AsyncKernelManager):
            @property
            def kernel_spec(self):
                if self._kernel_spec is None:
                    self._kernel_spec = KernelSpec(name=KERNEL, argv=kernel_argv(), language="python",
                                                   display_name=f"Python 3 ({sys.executable})")
                return self._kernel_spec

        _kernel_manager_class = ThisInterpreterKernelManager
    return _kernel_manager_class


def execute(nb, timeout=TIMEOUT, env=None):
    """Run every cell of nb in a fresh kernel (this interpreter) in this folder; outputs are stored in nb.
    Raises nbclient's CellExecutionError at the first cell that raises."""
    from nbclient import NotebookClient

    client = NotebookClient(nb, timeout=timeout, kernel_name=KERNEL, record_timing=False,
                            kernel_manager_class=kernel_manager_class(),
                            resources={"metadata": {"path": str(HERE)}},
                            extra_arguments=["--log-level=ERROR"])  # not the kernel's transport warning
    client.execute(env=env or kernel_env())
    return nb


def problems(nb):
    """What keeps executed outputs from being committed: errors, stderr, absolute paths of this machine."""
    found = []
    private = [str(ROOT), str(pathlib.Path.home())]
    for cell in nb.cells:
        for out in cell.get("outputs", []):
            if out.output_type == "error":
                found.append(f"{cell.id}: {out.ename}: {out.evalue}")
            elif out.output_type == "stream" and out.name == "stderr":
                found.append(f"{cell.id}: stderr: {out.text[:200]!r}")
            text = out.get("text", "") + str(out.get("data", {}).get("text/plain", ""))
            found += [f"{cell.id}: the path {p} in an output" for p in private if p in text]
    return found


def build(name):
    import nbformat

    start = time.perf_counter()
    nb = execute(make_notebook(NOTEBOOKS[name]))
    seconds = time.perf_counter() - start
    path = HERE / f"{name}.ipynb"
    nbformat.validate(nb)
    nbformat.write(nb, path)
    found = problems(nb)
    print(f"{path.name:30s} executed in {seconds:5.1f} s, {path.stat().st_size / 1024:6.1f} KiB"
          + ("" if not found else "\n  " + "\n  ".join(found)))
    return not found


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("names", nargs="*", help=f"notebooks to build (default: all): {', '.join(NOTEBOOKS)}")
    names = parser.parse_args(argv).names or list(NOTEBOOKS)
    unknown = [n for n in names if n not in NOTEBOOKS]
    if unknown:
        parser.error(f"unknown notebooks {unknown}; choose from {list(NOTEBOOKS)}")
    clean = [build(name) for name in names]
    return 0 if all(clean) else 1


if __name__ == "__main__":
    sys.exit(main())
