"""NumPy references for the models in test/e2e/Inputs.

    numpy_reference.py NAME INPUT_DIR OUT.npy

NAME is the model's file stem (softmax, layer-norm, attention, concat); the
inputs are the .npy files random_inputs.py wrote.
"""

import os
import sys

import numpy as np


def load(directory, name):
    return np.load(os.path.join(directory, name + ".npy")).astype(np.float64)


def softmax(x, axis=-1):
    e = np.exp(x - x.max(axis=axis, keepdims=True))
    return e / e.sum(axis=axis, keepdims=True)


def reference_softmax(d):
    return softmax(load(d, "x"))


def reference_layer_norm(d):
    x = load(d, "x")
    mean = x.mean(-1, keepdims=True)
    var = ((x - mean) ** 2).mean(-1, keepdims=True)
    normed = (x - mean) / np.sqrt(var + 1e-5) * load(d, "scale") + load(d, "bias")
    return normed @ load(d, "w") + load(d, "b")


def reference_attention(d):
    q, k, v = load(d, "q"), load(d, "k"), load(d, "v")
    group = q.shape[1] // k.shape[1]
    k, v = np.repeat(k, group, axis=1), np.repeat(v, group, axis=1)
    scores = q @ k.transpose(0, 1, 3, 2) * 0.1767767
    sq, skv = scores.shape[-2:]
    keep = np.arange(skv)[None, :] <= np.arange(sq)[:, None] + (skv - sq)
    return softmax(np.where(keep, scores, -np.inf)) @ v


def reference_concat(d):
    return np.concatenate([load(d, "past"), load(d, "new")], axis=2)


REFERENCES = {
    "softmax": reference_softmax,
    "layer-norm": reference_layer_norm,
    "attention": reference_attention,
    "concat": reference_concat,
}

if __name__ == "__main__":
    name, directory, out = sys.argv[1:]
    np.save(out, REFERENCES[name](directory).astype(np.float32))
