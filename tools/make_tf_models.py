"""Build the TensorFlow-converted test models of tests/data/ (needs TensorFlow).

Keras 3 models with random weights, converted by tf.lite.TFLiteConverter to
full int8 (int8 input and output, a random representative dataset, int8
builtins only). They are what a user gets today from the Keras tutorials and
the small vision and sensor architectures (MobileNetV2/V3-style,
EfficientNet block, 1-D convolutions, an encoder-decoder), with the shape
arithmetic Keras 3 emits (Flatten, Reshape, Conv2DTranspose: SHAPE ->
STRIDED_SLICE -> PACK), which tinyrt's converter folds offline.
tests/test_tf_models.py needs only the .tflite files, not TensorFlow.

    python3 -m venv /tmp/tfvenv && /tmp/tfvenv/bin/pip install 'tensorflow-cpu==2.21.*'
    /tmp/tfvenv/bin/python tools/make_tf_models.py [--out tests/data] [NAME...]
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


def _inverted_residual(x: keras.KerasTensor, expand: int, out: int, stride: int) -> keras.KerasTensor:
    """MobileNetV2's block: 1x1 expand (ReLU6), 3x3 depthwise (ReLU6), 1x1
    linear projection, and the residual ADD where shapes allow."""
    y = layers.Conv2D(expand, 1, activation="relu6")(x)
    y = layers.DepthwiseConv2D(3, strides=stride, padding="same", activation="relu6")(y)
    y = layers.Conv2D(out, 1)(y)
    return layers.Add()([x, y]) if stride == 1 and x.shape[-1] == out else y


def mobilenet_v2() -> keras.Model:
    """A MobileNetV2-style net: stem, inverted residuals (ADD, DEPTHWISE_CONV_2D,
    fused RELU6), global average pooling (MEAN), Dense, softmax."""
    x = keras.Input((32, 32, 3))
    y = layers.Conv2D(8, 3, strides=2, padding="same", activation="relu6")(x)
    y = _inverted_residual(y, 16, 8, 1)
    y = _inverted_residual(y, 24, 12, 2)
    y = _inverted_residual(y, 36, 12, 1)
    y = _inverted_residual(y, 36, 16, 2)
    y = layers.GlobalAveragePooling2D()(y)
    return keras.Model(x, layers.Dense(10, activation="softmax")(y))


def _squeeze_excite(x: keras.KerasTensor, squeeze: int, act: str, gate: str) -> keras.KerasTensor:
    """Squeeze-excite: global mean (MEAN, keepdims), two 1x1 convolutions, a
    gate multiplied into the features (MUL with broadcast)."""
    s = layers.GlobalAveragePooling2D(keepdims=True)(x)
    s = layers.Conv2D(squeeze, 1, activation=act)(s)
    s = layers.Conv2D(x.shape[-1], 1, activation=gate)(s)
    return layers.Multiply()([x, s])


def mobilenet_v3_small() -> keras.Model:
    """A MobileNetV3-Small-style net: HARD_SWISH, squeeze-excite with a
    hard-sigmoid gate (MEAN, MUL), depthwise convolutions, Dense."""
    x = keras.Input((32, 32, 3))
    y = layers.Conv2D(8, 3, strides=2, padding="same", activation="hard_swish")(x)
    y = layers.DepthwiseConv2D(3, strides=2, padding="same", activation="relu")(y)
    y = _squeeze_excite(y, 4, "relu", "hard_sigmoid")
    y = layers.Conv2D(8, 1)(y)
    z = layers.Conv2D(24, 1, activation="hard_swish")(y)
    z = layers.DepthwiseConv2D(3, padding="same", activation="hard_swish")(z)
    z = _squeeze_excite(z, 8, "relu", "hard_sigmoid")
    z = layers.Conv2D(8, 1)(z)
    y = layers.Add()([y, z])
    y = layers.GlobalAveragePooling2D()(y)
    return keras.Model(x, layers.Dense(10)(y))


def efficientnet_block() -> keras.Model:
    """An EfficientNet MBConv block: swish (LOGISTIC x MUL), depthwise,
    squeeze-excite with a sigmoid gate, linear projection, residual ADD."""
    x = keras.Input((16, 16, 8))
    y = layers.Conv2D(32, 1, activation="swish")(x)
    y = layers.DepthwiseConv2D(3, padding="same", activation="swish")(y)
    y = _squeeze_excite(y, 4, "swish", "sigmoid")
    y = layers.Conv2D(8, 1)(y)
    y = layers.Add()([x, y])
    y = layers.GlobalAveragePooling2D()(y)
    return keras.Model(x, layers.Dense(4)(y))


def conv1d_sensor() -> keras.Model:
    """A 1-D convolutional sensor model (accelerometer windows): Conv1D
    (EXPAND_DIMS + CONV_2D + RESHAPE), MaxPool1D, GlobalAveragePooling1D."""
    x = keras.Input((64, 3))
    y = layers.Conv1D(8, 5, activation="relu")(x)
    y = layers.MaxPooling1D(2)(y)
    y = layers.Conv1D(16, 3, padding="same", activation="relu")(y)
    y = layers.GlobalAveragePooling1D()(y)
    return keras.Model(x, layers.Dense(4, activation="softmax")(y))


def encoder_decoder() -> keras.Model:
    """A small encoder-decoder: strided convolutions down, Conv2DTranspose and
    bilinear UpSampling2D (RESIZE_BILINEAR) up, a skip Concatenate,
    LeakyReLU, tanh output."""
    x = keras.Input((16, 16, 1))
    e1 = layers.Conv2D(8, 3, strides=2, padding="same", activation="relu")(x)  # 8x8
    e2 = layers.Conv2D(16, 3, strides=2, padding="same")(e1)  # 4x4
    e2 = layers.LeakyReLU(0.1)(e2)
    d1 = layers.Conv2DTranspose(8, 3, strides=2, padding="same", activation="relu")(e2)  # 8x8
    d1 = layers.Concatenate()([d1, e1])
    d2 = layers.UpSampling2D(2, interpolation="bilinear")(d1)  # 16x16
    d2 = layers.Conv2D(8, 3, padding="same")(d2)
    d2 = layers.LeakyReLU(0.1)(d2)
    return keras.Model(x, layers.Conv2D(1, 3, padding="same", activation="tanh")(d2))


def upsampler() -> keras.Model:
    """Conv2DTranspose both ways (SAME stride 2 with and without bias, VALID
    stride 3 with an even kernel) and a skip Concatenate."""
    x = keras.Input((6, 6, 3))
    e = layers.Conv2D(8, 3, strides=2, padding="same", activation="relu")(x)  # 3x3
    d = layers.Conv2DTranspose(6, 4, strides=2, padding="same", activation="relu")(e)  # 6x6
    d = layers.Concatenate()([d, x])
    d = layers.Conv2DTranspose(5, 3, strides=2, padding="same", use_bias=False)(d)  # 12x12
    d = layers.Conv2D(4, 3, strides=2, padding="same", activation="relu")(d)  # 6x6
    return keras.Model(x, layers.Conv2DTranspose(2, 2, strides=3, padding="valid")(d))  # 18x18


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
    "keras_mobilenet_v2": (mobilenet_v2, (32, 32, 3)),
    "keras_mobilenet_v3_small": (mobilenet_v3_small, (32, 32, 3)),
    "keras_efficientnet_block": (efficientnet_block, (16, 16, 8)),
    "keras_conv1d": (conv1d_sensor, (64, 3)),
    "keras_encoder_decoder": (encoder_decoder, (16, 16, 1)),
    "keras_upsampler": (upsampler, (6, 6, 3)),
}


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--out", type=Path, default=Path(__file__).resolve().parent.parent / "tests" / "data")
    ap.add_argument("names", nargs="*", help="models to build (default: all)")
    args = ap.parse_args()
    args.out.mkdir(parents=True, exist_ok=True)
    for k, (name, (make, shape)) in enumerate(MODELS.items()):
        if args.names and name not in args.names:
            continue
        tf.random.set_seed(k)
        data = convert(make(), shape, np.random.default_rng(k))
        path = args.out / f"{name}.tflite"
        path.write_bytes(data)
        print(f"{path}: {len(data)} bytes (TensorFlow {tf.__version__})")


if __name__ == "__main__":
    main()
