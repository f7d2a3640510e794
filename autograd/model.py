"""Models: Layers that compose other layers (MLP, Sequential)."""
import autograd.function as F
from autograd.layer import Layer, Linear


class Model(Layer):
    """A Layer meant to be trained as a whole; ``m(x)`` and ``m.forward(x)`` are the same."""


class Sequential(Model):
    """Layers (or functions) applied in order; layers are named l0, l1, ..."""

    def __init__(self, *layers):
        super().__init__()
        self.layers = list(layers)
        for i, layer in enumerate(layers):
            if isinstance(layer, Layer):
                setattr(self, f"l{i}", layer)

    def forward(self, x):
        for layer in self.layers:
            x = layer(x)
        return x


class MLP(Model):
    """Linear layers of the given output sizes (input sizes inferred), ``activation`` after all but the last."""

    def __init__(self, out_sizes, activation=F.sigmoid):
        super().__init__()
        self.activation = activation
        self.layers = [Linear(size) for size in out_sizes]
        for i, layer in enumerate(self.layers):
            setattr(self, f"l{i}", layer)

    def forward(self, x):
        for layer in self.layers[:-1]:
            x = self.activation(layer(x))
        return self.layers[-1](x)
