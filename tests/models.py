"""Small multi-op models built with tinyrt.tflite_writer, for the tests."""

from __future__ import annotations

import numpy as np

from tinyrt.tflite_writer import ModelBuilder, QParams


def all_ops_model(seed: int = 0) -> bytes:
    """Every tinyrt op and kernel variant in one small graph (a few KB as a
    blob), float32 in and out: QUANTIZE, CONV_2D with padding,
    DEPTHWISE_CONV_2D in place, TRANSPOSE_CONV without bias (stride 1, even
    filter), a 1x1 CONV_2D in place, DEPTHWISE_CONV_2D with
    depth multiplier 2, ADD with a broadcast constant, SPLIT (two outputs), MUL,
    SUB, MAXIMUM, RELU (a LUT out of place), MINIMUM with a broadcast
    constant, PRELU, SQUARED_DIFFERENCE and LEAKY_RELU (a LUT) in place, ADD
    of a persistent (variable) tensor, CONCATENATION of inputs quantized
    differently, PAD (COPY with a fill), MAX_POOL_2D, RESIZE_BILINEAR, PADV2
    (COPY in place: the largest tensor, at the arena's peak),
    RESIZE_NEAREST_NEIGHBOR, MEAN (requantizing), SUM, REDUCE_MIN, REDUCE_MAX,
    AVERAGE_POOL_2D, RESHAPE, L2_NORMALIZATION, BATCH_MATMUL with a constant
    RHS, FULLY_CONNECTED, SOFTMAX, DEQUANTIZE, int8 QUANTIZE (a LUT out of
    place) on a second output, and ARG_MAX, ARG_MIN (INT32 indices) as third
    and fourth outputs."""
    rng = np.random.default_rng(seed)
    mb = ModelBuilder()

    def act(shape: list[int], scale: float, zp: int, name: str) -> int:
        return mb.tensor(shape, "int8", q=QParams(scale, zp), name=name)

    def weights(shape: list[int], axis: int, name: str) -> tuple[int, list[float]]:
        ch = shape[axis]
        scales = list(rng.uniform(0.005, 0.02, ch))
        data = rng.integers(-127, 128, size=shape, dtype=np.int8)
        return mb.tensor(shape, "int8", q=QParams(scales, [0] * ch, axis), data=data, name=name), scales

    def bias(ch: int, in_scale: float, w_scales: list[float], name: str) -> int:
        scales = [in_scale * s for s in w_scales]
        data = rng.integers(-2000, 2000, size=ch).astype(np.int32)
        return mb.tensor([ch], "int32", q=QParams(scales, [0] * ch), data=data, name=name)

    x = mb.tensor([1, 6, 5, 3], "float32", name="input")
    q0 = act([1, 6, 5, 3], 0.05, 3, "quantized")
    mb.op("QUANTIZE", [x], [q0])

    w1, s1 = weights([4, 3, 3, 3], 0, "conv/w")
    c1 = act([1, 3, 3, 4], 0.1, -5, "conv")
    mb.op("CONV_2D", [q0, w1, bias(4, 0.05, s1, "conv/b")], [c1], padding="SAME", stride_h=2, stride_w=2,
          activation="RELU")

    w2, s2 = weights([1, 3, 3, 4], 3, "dw1/w")
    d1 = act([1, 3, 3, 4], 0.08, 2, "dw1")
    mb.op("DEPTHWISE_CONV_2D", [c1, w2, bias(4, 0.1, s2, "dw1/b")], [d1], padding="SAME", depth_multiplier=1,
          activation="RELU6")

    wt, _ = weights([4, 2, 2, 4], 0, "tconv/w")
    shape = mb.tensor([4], "int32", data=np.array([1, 3, 3, 4], np.int32), name="tconv/shape")
    t1 = act([1, 3, 3, 4], 0.07, -4, "tconv")
    mb.op("TRANSPOSE_CONV", [shape, wt, d1], [t1], padding="SAME", stride_h=1, stride_w=1, activation="RELU")

    wp, sp = weights([4, 1, 1, 4], 0, "pw/w")
    pw = act([1, 3, 3, 4], 0.06, 1, "pw")
    mb.op("CONV_2D", [t1, wp, bias(4, 0.07, sp, "pw/b")], [pw], padding="VALID", activation="RELU")

    w3, s3 = weights([1, 2, 2, 8], 3, "dw2/w")
    d2 = act([1, 2, 2, 8], 0.07, -1, "dw2")
    mb.op("DEPTHWISE_CONV_2D", [pw, w3, bias(8, 0.06, s3, "dw2/b")], [d2], padding="VALID", depth_multiplier=2)

    k = mb.tensor([1, 1, 1, 8], "int8", q=QParams(0.06, 4), data=rng.integers(-128, 128, size=(1, 1, 1, 8),
                  dtype=np.int8), name="add/const")
    a = act([1, 2, 2, 8], 0.09, -3, "add")
    mb.op("ADD", [d2, k], [a], activation="RELU")

    axis = mb.tensor([], "int32", data=np.array(3, np.int32), name="split/axis")
    s1, s2 = act([1, 2, 2, 4], 0.09, -3, "split/0"), act([1, 2, 2, 4], 0.09, -3, "split/1")
    mb.op("SPLIT", [axis, a], [s1, s2], num_splits=2)
    m = act([1, 2, 2, 4], 0.3, 5, "mul")
    mb.op("MUL", [s1, s2], [m], activation="RELU")
    sb = act([1, 2, 2, 4], 0.3, 5, "sub")
    mb.op("SUB", [m, s2], [sb], activation="RELU")
    mx = act([1, 2, 2, 4], 0.3, 5, "maximum")
    mb.op("MAXIMUM", [sb, m], [mx])
    relu = act([1, 2, 2, 4], 0.2, -20, "relu")
    mb.op("RELU", [mx], [relu])  # a LUT out of place: MINIMUM reads mx later
    floor = mb.tensor([1, 1, 1, 4], "int8", q=QParams(0.3, 5), data=rng.integers(40, 128, size=(1, 1, 1, 4),
                      dtype=np.int8), name="minimum/const")
    mn2 = act([1, 2, 2, 4], 0.3, 5, "minimum")
    mb.op("MINIMUM", [mx, floor], [mn2])
    alpha = mb.tensor([1, 1, 4], "int8", q=QParams(0.01, -10), data=rng.integers(-128, 128, size=(1, 1, 4),
                      dtype=np.int8), name="prelu/alpha")
    pr = act([1, 2, 2, 4], 0.3, 0, "prelu")
    mb.op("PRELU", [mn2, alpha], [pr])
    sd = act([1, 2, 2, 4], 2.0, -100, "squared_difference")
    mb.op("SQUARED_DIFFERENCE", [pr, relu], [sd])
    lk = act([1, 2, 2, 4], 1.5, -60, "leaky_relu")
    mb.op("LEAKY_RELU", [sd], [lk], alpha=0.1)
    state = mb.tensor([1, 2, 2, 4], "int8", q=QParams(0.1, 3), name="state", variable=True)
    m2 = act([1, 2, 2, 4], 0.25, -2, "add_state")
    mb.op("ADD", [lk, state], [m2])
    cat = act([1, 2, 2, 8], 0.25, -2, "concat")
    mb.op("CONCATENATION", [m2, s2], [cat], axis=-1)

    pads = mb.tensor([4, 2], "int32", data=np.array([[0, 0], [0, 1], [0, 1], [0, 0]], np.int32), name="pad/paddings")
    padded = act([1, 3, 3, 8], 0.25, -2, "pad")
    mb.op("PAD", [cat, pads], [padded])
    mp = act([1, 2, 2, 8], 0.25, -2, "maxpool")
    mb.op("MAX_POOL_2D", [padded], [mp], padding="VALID", stride_h=1, stride_w=1, filter_h=2, filter_w=2)
    up_size = mb.tensor([2], "int32", data=np.array([6, 5], np.int32), name="resize/up")
    up = act([1, 6, 5, 8], 0.25, -2, "resize_bilinear")
    mb.op("RESIZE_BILINEAR", [mp, up_size], [up], half_pixel_centers=True)
    # The graph's largest tensor, at the arena's peak: this PAD runs in place
    # (the corner sampled next is the one pixel of data, the rest padding).
    pads2 = mb.tensor([4, 2], "int32", data=np.array([[0, 0], [0, 2], [0, 3], [0, 0]], np.int32),
                      name="pad2/paddings")
    padded2 = act([1, 8, 8, 8], 0.25, -2, "pad2")
    mb.op("PADV2", [up, pads2, mb.tensor([], "int8", q=QParams(0.25, -2), data=np.array(5, np.int8),
                                         name="pad2/value")], [padded2])
    down_size = mb.tensor([2], "int32", data=np.array([2, 2], np.int32), name="resize/down")
    down = act([1, 2, 2, 8], 0.25, -2, "resize_nearest")
    mb.op("RESIZE_NEAREST_NEIGHBOR", [padded2, down_size], [down], align_corners=True)
    axes = mb.tensor([1], "int32", data=np.array([1], np.int32), name="mean/axes")
    mn = act([1, 1, 2, 8], 0.2, 1, "mean")
    mb.op("MEAN", [down, axes], [mn], keep_dims=True)
    batch = mb.tensor([1], "int32", data=np.array([0], np.int32), name="reduce/axes")
    sm_ = act([1, 1, 2, 8], 0.3, -4, "sum")
    mb.op("SUM", [mn, batch], [sm_], keep_dims=True)
    rmin = act([1, 1, 2, 8], 0.3, -4, "reduce_min")
    mb.op("REDUCE_MIN", [sm_, batch], [rmin], keep_dims=True)
    rmax = act([1, 1, 2, 8], 0.3, -4, "reduce_max")
    mb.op("REDUCE_MAX", [rmin, batch], [rmax], keep_dims=True)
    ap = act([1, 1, 1, 8], 0.3, -4, "avgpool")
    mb.op("AVERAGE_POOL_2D", [rmax], [ap], padding="VALID", stride_h=1, stride_w=2, filter_h=1, filter_w=2)
    r = act([1, 8], 0.3, -4, "reshape")
    mb.op("RESHAPE", [ap], [r], new_shape=[1, 8])

    w4, s4 = weights([5, 8], 0, "fc/w")
    f = act([1, 5], 0.05, 1, "fc")
    l2 = act([1, 8], 1 / 128, 0, "l2_normalization")
    mb.op("L2_NORMALIZATION", [r], [l2])
    mixer = mb.tensor([8, 8], "int8", q=QParams(0.02, 3), data=rng.integers(-128, 128, size=(8, 8), dtype=np.int8),
                      name="batch_matmul/rhs")
    bm = act([1, 8], 0.05, 2, "batch_matmul")
    mb.op("BATCH_MATMUL", [l2, mixer], [bm])
    mb.op("FULLY_CONNECTED", [bm, w4, bias(5, 0.05, s4, "fc/b")], [f])
    sm = act([1, 5], 1 / 256, -128, "softmax")
    mb.op("SOFTMAX", [f], [sm], beta=1.0)
    out = mb.tensor([1, 5], "float32", name="probabilities")
    mb.op("DEQUANTIZE", [sm], [out])
    rq = act([1, 5], 0.1, 7, "requantized")
    mb.op("QUANTIZE", [f], [rq])
    arg_axis = mb.tensor([1], "int32", data=np.array([-1], np.int32), name="arg/axis")
    top = mb.tensor([1], "int32", name="top_class")
    mb.op("ARG_MAX", [f, arg_axis], [top], output_type="int32")
    low = mb.tensor([1], "int32", name="bottom_class")
    mb.op("ARG_MIN", [sm, arg_axis], [low], output_type="int32")
    return mb.build([x], [out, rq, top, low])


def movement_model() -> bytes:
    """A chain of data movement ops (each a COPY): PAD, TRANSPOSE,
    STRIDED_SLICE with a negative stride, GATHER, MIRROR_PAD and
    SPACE_TO_BATCH_ND, int8 in and out."""
    mb = ModelBuilder()
    q = QParams(0.1, 3)

    def i32(values: object, name: str) -> int:
        a = np.asarray(values, np.int32)
        return mb.tensor(list(a.shape), "int32", data=a, name=name)

    def act(shape: list[int], name: str) -> int:
        return mb.tensor(shape, "int8", q=q, name=name)

    x = act([1, 4, 6, 2], "input")
    p = act([1, 6, 7, 2], "pad")
    mb.op("PAD", [x, i32([[0, 0], [1, 1], [0, 1], [0, 0]], "paddings")], [p])
    t = act([1, 7, 6, 2], "transpose")
    mb.op("TRANSPOSE", [p, i32([0, 2, 1, 3], "perm")], [t])
    s = act([1, 3, 6, 2], "strided_slice")
    mb.op("STRIDED_SLICE", [t, i32([0, -1, 0, 0], "begin"), i32([1, 0, 6, 2], "end"), i32([1, -2, 1, 1], "strides")],
          [s], end_mask=1)
    g = act([1, 3, 5, 2], "gather")
    mb.op("GATHER", [s, i32([5, 4, 3, 0, 0], "indices")], [g], axis=2)
    m = act([1, 5, 7, 2], "mirror_pad")
    mb.op("MIRROR_PAD", [g, i32([[0, 0], [1, 1], [1, 1], [0, 0]], "mirror_paddings")], [m], mode="REFLECT")
    y = act([5, 1, 7, 2], "space_to_batch")
    mb.op("SPACE_TO_BATCH_ND", [m, i32([5, 1], "block_shape"), i32([[0, 0], [0, 0]], "sb_paddings")], [y])
    return mb.build([x], [y])
