"""Build the TensorFlow-converted test models of tests/data/ (needs TensorFlow).

Keras 3 models with random weights, converted by tf.lite.TFLiteConverter to
full int8 (int8 input and output, a random representative dataset). They are
what a user gets today from the Keras tutorials, with the shape arithmetic
Keras 3 emits (Flatten and Reshape: SHAPE -> STRIDED_SLICE -> PACK -> RESHAPE),
which tinyrt's converter folds offline. tests/test_tf_models.py needs only the
.tflite files, not TensorFlow.

    python3 -m venv /tmp/tfvenv && /tmp/tfvenv/bin/pip install 'tensorflow-cpu==2.21.*'
    /tmp/tfvenv/bin/python tools/make_tf_models.py [--out tests/data]
"""

from __future__ import annotations

import argparse
import os
from collections.abc import Iterator
from pathlib import Path

os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "2")

import numpy as np  # noqa: E402
import tensorflow as tf  # noqa: E402

keras = tf.keras
layers = keras.layers


def keras_cnn() -> keras.Model:
    """The Keras tutorial CNN (MNIST-like): Conv2D, MaxPooling2D, Flatten, Dense, softmax."""
    return keras.Sequential([
        keras.Input((28, 28, 1)),
        layers.Conv2D(8, 3, activation="relu"),
        layers.MaxPooling2D(2),
        layers.Conv2D(16, 3, activation="relu"),
        layers.MaxPooling2D(2),
        layers.Flatten(),
        layers.Dense(10, activation="softmax"),
    ])


def keras_reshape() -> keras.Model:
    """Dense -> Reshape -> Conv2D -> Reshape -> Dense: Reshape layers both ways."""
    return keras.Sequential([
        keras.Input((32,)),
        layers.Dense(64, activation="relu"),
        layers.Reshape((4, 4, 4)),
        layers.Conv2D(8, 3, padding="same", activation="relu"),
        layers.Reshape((-1,)),
        layers.Dense(10),
    ])


def expand_squeeze() -> keras.Model:
    """expand_dims and squeeze around a Conv2D on a 1-D signal."""
    x = keras.Input((16, 2))
    y = keras.ops.expand_dims(x, 1)  # [N, 1, 16, 2]
    y = layers.Conv2D(8, (1, 3), activation="relu")(y)  # [N, 1, 14, 8]
    y = keras.ops.squeeze(y, 1)  # [N, 14, 8]
    y = layers.Flatten()(y)
    return keras.Model(x, layers.Dense(4)(y))


def convert(model: keras.Model, shape: tuple[int, ...], rng: np.random.Generator) -> bytes:
    for w in model.weights:  # random weights, scaled to keep activations alive
        fan_in = int(np.prod(w.shape[:-1])) or 1
        w.assign(rng.normal(0, 1.5 / np.sqrt(fan_in), w.shape).astype(np.float32))
    samples = rng.normal(0, 1, (32, *shape)).astype(np.float32)

    def dataset() -> Iterator[list[np.ndarray]]:
        for s in samples:
            yield [s[None]]

    conv = tf.lite.TFLiteConverter.from_keras_model(model)
    conv.optimizations = [tf.lite.Optimize.DEFAULT]
    conv.representative_dataset = dataset
    conv.target_spec.supported_ops = [tf.lite.OpsSet.TFLITE_BUILTINS_INT8]
    conv.inference_input_type = tf.int8
    conv.inference_output_type = tf.int8
    return bytes(conv.convert())


MODELS = {
    "keras_cnn": (keras_cnn, (28, 28, 1)),
    "keras_reshape": (keras_reshape, (32,)),
    "keras_expand_squeeze": (expand_squeeze, (16, 2)),
}


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--out", type=Path, default=Path(__file__).resolve().parent.parent / "tests" / "data")
    args = ap.parse_args()
    args.out.mkdir(parents=True, exist_ok=True)
    for k, (name, (make, shape)) in enumerate(MODELS.items()):
        tf.random.set_seed(k)
        data = convert(make(), shape, np.random.default_rng(k))
        path = args.out / f"{name}.tflite"
        path.write_bytes(data)
        print(f"{path}: {len(data)} bytes (TensorFlow {tf.__version__})")


if __name__ == "__main__":
    main()
