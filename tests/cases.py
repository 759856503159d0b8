"""Random single-op int8 models, shared by every test that checks a kernel.

Each generator `gen_<op>(rng)` draws one model (shapes, strides, scales, zero
points, activation, weights) and one set of inputs, and returns a Case holding
the .tflite bytes, the inputs, and the call of the matching numpy reference
kernel in tinyrt.ref. The Python reference tests compare that call with TFLM;
the C runtime tests convert and run the very same models.

Cases are deterministic: make_case(op, seed) always returns the same case.
"""

from __future__ import annotations

import math
import zlib
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from typing import Any

import numpy as np

from tinyrt import quant, ref
from tinyrt.format import OpType, Variant
from tinyrt.oracle import run_litert, run_tflm
from tinyrt.tflite_writer import ModelBuilder, QParams


@dataclass(frozen=True)
class Case:
    op: str  # key of OPS
    desc: str  # the drawn parameters, for failure messages
    # .tflite flatbuffer holding one operator (and, in front of a CONCATENATION,
    # the QUANTIZE ops TFLM needs for inputs quantized unlike its output)
    model: bytes
    inputs: list[np.ndarray]  # one array per model input
    kernel: str  # name of the tinyrt.ref function computing the output(s)
    args: tuple[Any, ...] = ()  # its positional arguments after the operands (filter, bias, ...)
    params: dict[str, Any] = field(default_factory=dict)  # its keyword arguments: trt_*_params_t fields
    # Tensor operands of the kernel that the model holds as constants, by
    # operand position; the inputs fill the other positions in order.
    constants: dict[int, np.ndarray] = field(default_factory=dict)
    # The model tinyrt converts when it is not `model`: the same op without
    # the QUANTIZE ops TFLM needs in front (tinyrt requantizes in the kernel).
    tinyrt_model: bytes | None = None
    # What expected() compares with: "tflm"; "litert" for the ops TFLM has
    # no int8 kernel for (convert.LITERT_CHECKED_OPS), whose int8 arithmetic
    # is LiteRT's, and for TILE, which TFLM lacks.
    oracle: str = "tflm"
    # Rank 5-6 data movement: the model takes and gives such tensors with
    # their leading dims merged to rank 4 (through RESHAPE); the kernel's
    # operands get these shapes back, and its outputs of rank above 4 are
    # merged like the model's.
    operand_shapes: tuple[tuple[int, ...], ...] = ()
    # TFLM has no kernel for the INT64 outputs of tinyrt_model (ARG_MAX,
    # ARG_MIN): `model` is its INT32 twin, whose values the INT64 outputs equal.
    int64_twin: bool = False

    def operands(self) -> list[np.ndarray]:
        """The kernel's tensor operands: the inputs, the constants spliced in."""
        fed = iter(self.inputs)
        count = len(self.inputs) + len(self.constants)
        return [self.constants[i] if i in self.constants else next(fed) for i in range(count)]

    def references(self) -> list[np.ndarray]:
        """The numpy reference of every model output, in order: run_tflm's list,
        bit for bit. Multi-output kernels (split_s8) return such a list."""
        kernel: Callable[..., np.ndarray | list[np.ndarray]] = getattr(ref, self.kernel)
        operands = self.operands()
        if self.operand_shapes:
            operands = [x.reshape(shape) for x, shape in zip(operands, self.operand_shapes, strict=True)]
        out = kernel(*operands, *self.args, **self.params)
        outs = out if isinstance(out, list) else [out]
        return [o.reshape(_as_4d(o.shape)) if o.ndim > 4 else o for o in outs]

    def expected(self) -> list[np.ndarray]:
        """What every output must be: the oracle's, TFLM's (its INT32 twin's
        values as INT64 where the model has INT64 outputs) or LiteRT's, or
        the numpy reference where TFLM lacks the op."""
        if self.oracle == "numpy":
            return self.references()
        if self.oracle == "litert":
            from conftest import require_litert  # noqa: PLC0415 (pytest's; skips or fails without LiteRT)

            require_litert()
            return run_litert(self.model, self.inputs)
        outputs = run_tflm(self.model, self.inputs)
        if self.int64_twin:
            assert all(y.dtype == np.int32 for y in outputs)
            outputs = [y.astype(np.int64) for y in outputs]
        return outputs

    def reference(self) -> np.ndarray:
        """The numpy reference output of a single-output op, which must equal TFLM's bit for bit."""
        outputs = self.references()
        if len(outputs) != 1:
            raise ValueError(f"{self.op} has {len(outputs)} outputs: compare references() with all of TFLM's")
        return outputs[0]


def make_case(op: str, seed: int) -> Case:
    # One stream per (op, seed): changing one generator never changes another's cases.
    return {**OPS, **LITERT_OPS, **PROBES, **DSP_OPS}[op](np.random.default_rng([zlib.crc32(op.encode()), seed]))


def case_id(op: str, seed: int) -> str:
    return f"{op}-{seed}"


def case_ids(op: str, seeds: Iterable[int]) -> list[str]:
    return [case_id(op, s) for s in seeds]


def iter_cases(ops: Iterable[str], seeds: Iterable[int]) -> Iterator[tuple[str, Case]]:
    """(id, case) for every op and seed."""
    seeds = list(seeds)
    for op in ops:
        for seed in seeds:
            yield case_id(op, seed), make_case(op, seed)


# --- random draws ---


def _log_uniform(rng: np.random.Generator, lo: float, hi: float) -> float:
    return float(np.exp(rng.uniform(math.log(lo), math.log(hi))))


def _scale(rng: np.random.Generator, lo: float, hi: float) -> float:
    """A scale as the model stores it: float32."""
    return float(np.float32(_log_uniform(rng, lo, hi)))


def _zero_point(rng: np.random.Generator) -> int:
    return int(rng.integers(-128, 128))


def _int8(rng: np.random.Generator, shape: Sequence[int]) -> np.ndarray:
    return rng.integers(-128, 128, size=tuple(shape), dtype=np.int8)


def _pick(rng: np.random.Generator, options: Sequence[Any]) -> Any:
    return options[int(rng.integers(len(options)))]


def _ints(rng: np.random.Generator, lo: int, hi: int, n: int = 2) -> list[int]:
    """n ints in [lo, hi], as Python ints."""
    return [int(v) for v in rng.integers(lo, hi + 1, size=n)]


def _output_scale_factor(rng: np.random.Generator) -> float:
    """Mostly moderate; sometimes tiny (outputs saturate) or huge (outputs
    collapse onto the zero point)."""
    kind = rng.uniform()
    if kind < 0.08:
        return _log_uniform(rng, 1e-3, 3e-2)
    if kind < 0.16:
        return _log_uniform(rng, 30.0, 1e4)
    return _log_uniform(rng, 0.1, 10.0)


def _filter_scales(rng: np.random.Generator, channels: int, p_per_channel: float) -> list[float]:
    """One scale (per tensor) or one per channel, spanning three decades."""
    n = channels if rng.uniform() < p_per_channel else 1
    return [_scale(rng, 1e-4, 1e-1) for _ in range(n)]


def _weights(rng: np.random.Generator, shape: Sequence[int]) -> np.ndarray:
    """Symmetric int8 weights, as the TFLite quantizer produces them."""
    return rng.integers(-127, 128, size=tuple(shape), dtype=np.int8)


def _add_bias(
    rng: np.random.Generator, mb: ModelBuilder, channels: int, input_scale: float, filter_scales: list[float],
    magnitude: float, optional: bool = True,
) -> tuple[int, np.ndarray | None]:  # fmt: skip
    """An int32 bias with scale input_scale * filter_scale (or, if optional, sometimes none)."""
    if optional and rng.uniform() < 0.1:
        return -1, None
    limit = max(int(magnitude), 1)
    data = rng.integers(-limit, limit + 1, size=channels, dtype=np.int64).astype(np.int32)
    scales = [float(np.float32(input_scale) * np.float32(s)) for s in filter_scales]
    q = QParams(scales if len(scales) > 1 else scales[0], 0)
    return mb.tensor([channels], "int32", q=q, data=data, name="bias"), data


def _typical_acc(depth: int) -> float:
    """Typical |accumulator| of `depth` products of random int8 weights and
    offset inputs (rms ~73 each)."""
    return 5000.0 * math.sqrt(depth)


def _as_q(scales: list[float], axis: int) -> QParams:
    return QParams(scales if len(scales) > 1 else scales[0], 0, axis)


def _window(
    rng: np.random.Generator, h: int, w: int, kh: int, kw: int, strides: list[int], dilations: list[int]
) -> tuple[str, int, int, int, int]:
    """Padding, output size and leading pads; VALID only where it yields an output."""
    padding = _pick(rng, ["SAME", "VALID"])
    for pad in (padding, "SAME"):
        out_h, pad_top = quant.windowed_output(pad, h, kh, strides[0], dilations[0])
        out_w, pad_left = quant.windowed_output(pad, w, kw, strides[1], dilations[1])
        if out_h >= 1 and out_w >= 1:
            return pad, out_h, out_w, pad_top, pad_left
    raise AssertionError("SAME padding always has an output")


def _image(rng: np.random.Generator, max_hw: int) -> tuple[int, int, int]:
    """(batches, height, width), with 1x1 images over-represented."""
    n = _pick(rng, [1, 1, 1, 2])
    h, w = (1, 1) if rng.uniform() < 0.1 else _ints(rng, 1, max_hw)
    return n, h, w


# --- generators ---


def _pointwise_shape(rng: np.random.Generator) -> tuple[int, int, list[int], list[int]]:
    """(cin, cout, strides, dilations) of a 1x1 convolution, mostly ones the
    converter runs in place (stride 1, Cout <= Cin), sometimes not."""
    cin = int(rng.integers(1, 17))
    cout = int(rng.integers(1, cin + 1)) if rng.uniform() < 0.85 else cin + int(rng.integers(1, 5))
    strides = [1, 1] if rng.uniform() < 0.9 else _ints(rng, 1, 3)
    dilations = [1, 1] if rng.uniform() < 0.9 else _ints(rng, 1, 3)
    return cin, cout, strides, dilations


def _gen_conv2d(rng: np.random.Generator, depthwise: bool, pointwise: bool = False, deep: bool = False) -> Case:
    n, h, w = _image(rng, 8)
    if deep:
        # Network-like layers: a window of 8k input bytes, an even channel
        # count, per-channel scales, a bias and int8's whole output range
        # (no activation, or a ReLU at zero point -128).
        dm, kh, kw = 1, *_ints(rng, 1, 3)
        cin = int(_pick(rng, [8, 16, 24, 32])) if (kh * kw) % 8 else int(rng.integers(1, 9))
        cout = 2 * int(rng.integers(1, 10))
        strides = _ints(rng, 1, 2)
        dilations = [1, 1]
    elif pointwise:
        dm, kh, kw = 1, 1, 1
        cin, cout, strides, dilations = _pointwise_shape(rng)
    else:
        cin = int(rng.integers(1, 8))
        dm = _pick(rng, [1, 1, 2, 3]) if depthwise else 1
        cout = cin * dm if depthwise else int(rng.integers(1, 10))
        kh, kw = _ints(rng, 1, 5)
        strides = _ints(rng, 1, 3)
        dilations = [1, 1] if rng.uniform() < 0.5 else _ints(rng, 1, 3)
    return _conv_case(rng, "dwconv" if depthwise else "conv1x1" if pointwise else "conv_deep" if deep else "conv",
                      depthwise, (n, h, w, cin), cout, dm, (kh, kw), strides, dilations, deep=deep)


def _conv_case(
    rng: np.random.Generator, op: str, depthwise: bool, in_shape: tuple[int, int, int, int], cout: int, dm: int,
    kernel: tuple[int, int], strides: list[int], dilations: list[int], extreme_zero_points: float = 0.0,
    deep: bool = False,
) -> Case:  # fmt: skip
    """A CONV_2D or DEPTHWISE_CONV_2D case of the given shape; the rest drawn.
    `extreme_zero_points`: the probability of input and output zero points
    at -128 or 127 (each drawn either way, so the draws do not change).
    `deep`: per-channel scales, a bias and int8's whole output range."""
    n, h, w, cin = in_shape
    kh, kw = kernel
    padding, out_h, out_w, pad_top, pad_left = _window(rng, h, w, kh, kw, strides, dilations)
    act = _pick(rng, ["NONE", "RELU"] if deep else quant.ACTIVATIONS)

    s_in, zp_in = _scale(rng, 1e-3, 1.0), _zero_point(rng)
    s_w = _filter_scales(rng, cout, 1.0 if deep else 0.7)
    acc = _typical_acc(kh * kw * (1 if depthwise else cin))
    s_out = float(np.float32(s_in * float(np.median(s_w)) * acc / 64 * _output_scale_factor(rng)))
    zp_out = -128 if deep and act == "RELU" else _zero_point(rng)
    if extreme_zero_points:
        zp_in, zp_out = _extreme(rng, zp_in, extreme_zero_points), _extreme(rng, zp_out, extreme_zero_points)

    filt = _weights(rng, (1, kh, kw, cout) if depthwise else (cout, kh, kw, cin))
    mb = ModelBuilder()
    x = mb.tensor([n, h, w, cin], "int8", q=QParams(s_in, zp_in), name="input")
    wt = mb.tensor(filt.shape, "int8", q=_as_q(s_w, 3 if depthwise else 0), data=filt, name="filter")
    # TFLM's depthwise Prepare dereferences a missing bias (segfault), so it is mandatory there.
    bt, bias = _add_bias(rng, mb, cout, s_in, s_w, 2 * acc, optional=not (depthwise or deep))
    y = mb.tensor([n, out_h, out_w, cout], "int8", q=QParams(s_out, zp_out), name="output")
    options: dict[str, Any] = dict(
        padding=padding, stride_h=strides[0], stride_w=strides[1], dilation_h=dilations[0],
        dilation_w=dilations[1], activation=act,
    )  # fmt: skip
    if depthwise:
        options["depth_multiplier"] = dm
    mb.op("DEPTHWISE_CONV_2D" if depthwise else "CONV_2D", [x, wt, bt], [y], **options)

    mult, shift = quant.conv_multipliers(s_in, s_w, s_out)
    act_min, act_max = quant.activation_range(act, s_out, zp_out)
    return Case(
        op=op,
        desc=(
            f"in {n}x{h}x{w}x{cin} out {out_h}x{out_w}x{cout} k {kh}x{kw} stride {strides} dilation {dilations} "
            f"dm {dm} {padding} {act} scales {len(s_w)} bias {bias is not None} s_in {s_in:.3g} s_out {s_out:.3g}"
        ),
        model=mb.build([x], [y]),
        inputs=[_int8(rng, (n, h, w, cin))],
        kernel="dwconv_s8" if depthwise else "conv_s8",
        args=(filt, bias, mult, shift),
        params=dict(
            stride_h=strides[0], stride_w=strides[1], dilation_h=dilations[0], dilation_w=dilations[1],
            pad_top=pad_top, pad_left=pad_left, input_offset=-zp_in, output_offset=zp_out,
            act_min=act_min, act_max=act_max, depth_multiplier=dm, out_h=out_h, out_w=out_w,
        ),
    )  # fmt: skip


def gen_conv(rng: np.random.Generator) -> Case:
    return _gen_conv2d(rng, depthwise=False)


def gen_conv_deep(rng: np.random.Generator) -> Case:
    return _gen_conv2d(rng, depthwise=False, deep=True)


def gen_dwconv(rng: np.random.Generator) -> Case:
    return _gen_conv2d(rng, depthwise=True)


def gen_conv1x1(rng: np.random.Generator) -> Case:
    return _gen_conv2d(rng, depthwise=False, pointwise=True)


def _tconv_output_size(rng: np.random.Generator, padding: str, size: int, k: int, stride: int) -> int:
    """Conv2DTranspose's output size (SAME: size * stride, VALID: (size - 1) *
    stride + k), now and then up to stride - 1 smaller or larger, as Keras'
    output_padding and TF's conv2d_transpose output_shape allow (TFLM drops
    the taps that land outside)."""
    out = size * stride if padding == "SAME" else (size - 1) * stride + max(k, stride)
    if rng.uniform() < 0.3 and stride > 1:
        out += int(rng.integers(-(stride - 1), stride))
    return max(out, 1)


def gen_tconv(rng: np.random.Generator) -> Case:
    """TRANSPOSE_CONV: strides 1-3, kernels 1-5 (even ones included), odd
    sizes, channel counts off multiples of 4, bias present, absent or -1,
    extreme zero points, every fused activation."""
    n, h, w = _image(rng, 7)
    cin, cout = _ints(rng, 1, 9)
    kh, kw = (int(_pick(rng, [1, 2, 3, 4, 5])) for _ in range(2))
    strides = _ints(rng, 1, 3)
    padding = _pick(rng, ["SAME", "VALID"])
    out_h = _tconv_output_size(rng, padding, h, kh, strides[0])
    out_w = _tconv_output_size(rng, padding, w, kw, strides[1])
    act = _pick(rng, quant.ACTIVATIONS)

    def zero_point() -> int:
        return int(_pick(rng, [-128, 127])) if rng.uniform() < 0.25 else _zero_point(rng)

    s_in, zp_in = _scale(rng, 1e-3, 1.0), zero_point()
    s_w = _filter_scales(rng, cout, 0.7)
    acc = _typical_acc(-(-kh // strides[0]) * -(-kw // strides[1]) * cin)
    s_out = float(np.float32(s_in * float(np.median(s_w)) * acc / 64 * _output_scale_factor(rng)))
    zp_out = zero_point()

    filt = _weights(rng, (cout, kh, kw, cin))
    mb = ModelBuilder()
    shape = mb.tensor([4], "int32", data=np.array([n, out_h, out_w, cout], np.int32), name="output_shape")
    wt = mb.tensor(filt.shape, "int8", q=_as_q(s_w, 0), data=filt, name="filter")
    x = mb.tensor([n, h, w, cin], "int8", q=QParams(s_in, zp_in), name="input")
    # Without a bias the op has three inputs, or a fourth of -1.
    bias_how = _pick(rng, ["present", "present", "present", "absent", "-1"])
    bt, bias = _add_bias(rng, mb, cout, s_in, s_w, 2 * acc, optional=False) if bias_how == "present" else (-1, None)
    y = mb.tensor([n, out_h, out_w, cout], "int8", q=QParams(s_out, zp_out), name="output")
    ins = [shape, wt, x] + ([] if bias_how == "absent" else [bt])
    mb.op("TRANSPOSE_CONV", ins, [y], padding=padding, stride_h=strides[0], stride_w=strides[1], activation=act)

    mult, shift = quant.conv_multipliers(s_in, s_w, s_out)
    act_min, act_max = quant.activation_range(act, s_out, zp_out)
    pad_top = quant.windowed_output(padding, out_h, kh, strides[0])[1]
    pad_left = quant.windowed_output(padding, out_w, kw, strides[1])[1]
    return Case(
        op="tconv",
        desc=(
            f"in {n}x{h}x{w}x{cin} out {out_h}x{out_w}x{cout} k {kh}x{kw} stride {strides} {padding} {act} "
            f"scales {len(s_w)} bias {bias_how} zp_in {zp_in} zp_out {zp_out} s_in {s_in:.3g} s_out {s_out:.3g}"
        ),
        model=mb.build([x], [y]),
        inputs=[_int8(rng, (n, h, w, cin))],
        kernel="tconv_s8",
        args=(filt, bias, mult, shift),
        params=dict(
            stride_h=strides[0], stride_w=strides[1], pad_top=pad_top, pad_left=pad_left, input_offset=-zp_in,
            output_offset=zp_out, act_min=act_min, act_max=act_max, out_h=out_h, out_w=out_w,
        ),
    )  # fmt: skip


def gen_fc(rng: np.random.Generator) -> Case:
    batches, cin, cout = int(rng.integers(1, 4)), int(rng.integers(1, 41)), int(rng.integers(1, 17))
    return _fc_case(rng, "fc", batches, cin, cout)


def _extreme(rng: np.random.Generator, zero_point: int, p: float) -> int:
    """`zero_point`, or with probability p one end of the int8 range."""
    u = rng.uniform()
    return zero_point if u >= p else -128 if u < p / 2 else 127


def _fc_case(rng: np.random.Generator, op: str, batches: int, cin: int, cout: int,
             extreme_zero_points: float = 0.0) -> Case:
    """A FULLY_CONNECTED case of the given shape; the rest drawn (zero
    points as for _conv_case)."""
    act = _pick(rng, quant.ACTIVATIONS)
    s_in, zp_in = _scale(rng, 1e-3, 1.0), _zero_point(rng)
    s_w = _filter_scales(rng, cout, 0.5)
    acc = _typical_acc(cin)
    s_out = float(np.float32(s_in * float(np.median(s_w)) * acc / 64 * _output_scale_factor(rng)))
    zp_out = _zero_point(rng)
    if extreme_zero_points:
        zp_in, zp_out = _extreme(rng, zp_in, extreme_zero_points), _extreme(rng, zp_out, extreme_zero_points)

    filt = _weights(rng, (cout, cin))
    # TFLM flattens any input into rows of cin.
    in_shape = (batches, cin) if rng.uniform() < 0.8 else (batches, 1, 1, cin)
    mb = ModelBuilder()
    x = mb.tensor(in_shape, "int8", q=QParams(s_in, zp_in), name="input")
    wt = mb.tensor(filt.shape, "int8", q=_as_q(s_w, 0), data=filt, name="weights")
    bt, bias = _add_bias(rng, mb, cout, s_in, s_w, 2 * acc)
    y = mb.tensor([batches, cout], "int8", q=QParams(s_out, zp_out), name="output")
    mb.op("FULLY_CONNECTED", [x, wt, bt], [y], activation=act)

    mult, shift = quant.fc_multipliers(s_in, s_w, s_out)
    act_min, act_max = quant.activation_range(act, s_out, zp_out)
    return Case(
        op=op,
        desc=f"{in_shape} -> {cout} {act} scales {len(s_w)} bias {bias is not None} s_in {s_in:.3g} s_out {s_out:.3g}",
        model=mb.build([x], [y]),
        inputs=[_int8(rng, in_shape)],
        kernel="fc_s8",
        args=(filt, bias, mult, shift),
        params=dict(input_offset=-zp_in, output_offset=zp_out, act_min=act_min, act_max=act_max),
    )


def _gen_pool(rng: np.random.Generator, kind: str) -> Case:
    n, h, w = _image(rng, 9)
    # Half of them a multiple of 4 channels (arm_dsp's average pooling takes those).
    c = 4 * int(rng.integers(1, 4)) if rng.uniform() < 0.5 else int(rng.integers(1, 8))
    fh, fw = _ints(rng, 1, 5)
    strides = _ints(rng, 1, 3)
    padding, out_h, out_w, pad_top, pad_left = _window(rng, h, w, fh, fw, strides, [1, 1])
    act = _pick(rng, quant.ACTIVATIONS)
    # TFLM requires the output quantized like the input.
    scale, zp = _scale(rng, 1e-3, 1.0), _zero_point(rng)
    q = QParams(scale, zp)

    mb = ModelBuilder()
    x = mb.tensor([n, h, w, c], "int8", q=q, name="input")
    y = mb.tensor([n, out_h, out_w, c], "int8", q=q, name="output")
    mb.op(
        "AVERAGE_POOL_2D" if kind == "avgpool" else "MAX_POOL_2D", [x], [y], padding=padding,
        stride_h=strides[0], stride_w=strides[1], filter_h=fh, filter_w=fw, activation=act,
    )  # fmt: skip
    act_min, act_max = quant.activation_range(act, scale, zp)
    return Case(
        op=kind,
        desc=f"in {n}x{h}x{w}x{c} out {out_h}x{out_w} filter {fh}x{fw} stride {strides} {padding} {act}",
        model=mb.build([x], [y]),
        inputs=[_int8(rng, (n, h, w, c))],
        kernel=f"{kind}_s8",
        params=dict(
            stride_h=strides[0], stride_w=strides[1], filter_h=fh, filter_w=fw, pad_top=pad_top,
            pad_left=pad_left, act_min=act_min, act_max=act_max, out_h=out_h, out_w=out_w,
        ),
    )  # fmt: skip


def gen_avgpool(rng: np.random.Generator) -> Case:
    return _gen_pool(rng, "avgpool")


def gen_maxpool(rng: np.random.Generator) -> Case:
    return _gen_pool(rng, "maxpool")


def gen_add(rng: np.random.Generator) -> Case:
    n, h, w = _image(rng, 6)
    c = int(rng.integers(1, 10))
    full = (n, h, w, c)
    layout = _pick(rng, ["same", "same", "channel", "spatial", "mixed", "scalar"])
    shape1, shape2 = {
        "same": (full, full),
        "channel": (full, (1, 1, 1, c)),  # per-channel operand, as a folded scale/shift
        "spatial": (full, (1, h, w, 1)),
        "mixed": ((n, h, 1, c), (1, 1, w, 1)),  # both operands broadcast
        "scalar": (full, (1, 1, 1, 1)),
    }[layout]
    if rng.uniform() < 0.5:
        shape1, shape2 = shape2, shape1
    out_shape = np.broadcast_shapes(shape1, shape2)
    act = _pick(rng, quant.ACTIVATIONS)
    s1, s2 = _scale(rng, 1e-3, 1.0), _scale(rng, 1e-3, 1.0)
    zp1, zp2 = _zero_point(rng), _zero_point(rng)
    s_out = float(np.float32(2 * max(s1, s2) * _output_scale_factor(rng)))
    zp_out = _zero_point(rng)

    mb = ModelBuilder()
    a = mb.tensor(shape1, "int8", q=QParams(s1, zp1), name="input1")
    b = mb.tensor(shape2, "int8", q=QParams(s2, zp2), name="input2")
    y = mb.tensor(out_shape, "int8", q=QParams(s_out, zp_out), name="output")
    mb.op("ADD", [a, b], [y], activation=act)
    return Case(
        op="add",
        desc=f"{shape1} + {shape2} ({layout}) {act} s1 {s1:.3g} s2 {s2:.3g} s_out {s_out:.3g}",
        model=mb.build([a, b], [y]),
        inputs=[_int8(rng, shape1), _int8(rng, shape2)],
        kernel="add_s8",
        params=quant.add_params(s1, zp1, s2, zp2, s_out, zp_out, act),
    )


def _binary_case(op: str, shapes: tuple[tuple[int, ...], tuple[int, ...]],
                 quants: tuple[tuple[float, int], tuple[float, int], tuple[float, int]], x1: np.ndarray,
                 x2: np.ndarray, const2: bool, desc: str, params: dict[str, Any], **options: Any) -> Case:
    """A model of one element-wise op of two int8 inputs (the second a
    constant when const2), and its Case for the numpy kernel <op>_s8."""
    (shape1, shape2), ((s1, zp1), (s2, zp2), (s_out, zp_out)) = shapes, quants
    mb = ModelBuilder()
    a = mb.tensor(shape1, "int8", q=QParams(s1, zp1), name="input1")
    b = mb.tensor(shape2, "int8", q=QParams(s2, zp2), data=x2 if const2 else None, name="input2")
    y = mb.tensor(np.broadcast_shapes(shape1, shape2), "int8", q=QParams(s_out, zp_out), name="output")
    mb.op(op, [a, b], [y], **options)
    return Case(
        op=op.lower(),
        desc=desc,
        model=mb.build([a] if const2 else [a, b], [y]),
        inputs=[x1] if const2 else [x1, x2],
        kernel=f"{op.lower()}_s8",
        params=params,
        constants={1: x2} if const2 else {},
    )


def _broadcast_pair(rng: np.random.Generator) -> tuple[tuple[int, ...], tuple[int, ...], str]:
    """Two shapes of rank 1 to 4 that broadcast (right-aligned, dims of 1)."""
    rank = int(rng.integers(1, 5))
    full = tuple(_ints(rng, 1, 5, rank))
    layout = _pick(rng, ["same", "same", "partial", "both", "scalar", "lower rank"])
    ones = rng.uniform(size=rank) < 0.5
    if layout == "same":
        shape1, shape2 = full, full
    elif layout == "partial":  # some dims of one operand broadcast
        shape1, shape2 = full, tuple(1 if o else d for d, o in zip(full, ones, strict=True))
    elif layout == "both":  # each operand broadcasts where the other does not
        shape1 = tuple(1 if o else d for d, o in zip(full, ones, strict=True))
        shape2 = tuple(d if o else 1 for d, o in zip(full, ones, strict=True))
    elif layout == "scalar":
        shape1, shape2 = full, (1,) * int(rng.integers(1, rank + 1))
    else:  # the trailing dims only, as a per-channel operand
        shape1, shape2 = full, full[int(rng.integers(1, rank)) if rank > 1 else 0 :]
    if rng.uniform() < 0.5:
        shape1, shape2 = shape2, shape1
    return shape1, shape2, layout


def _elementwise_pair(rng: np.random.Generator) -> tuple[tuple[int, ...], tuple[int, ...], str]:
    """_broadcast_pair, or now and then an edge size: one long row (odd,
    a power of two, one element) against the same or a broadcast operand."""
    if rng.uniform() < 0.8:
        return _broadcast_pair(rng)
    length = int(_pick(rng, [1, 2, 63, 256, 257, 1000]))
    other = _pick(rng, [(length,), (1,), (1, length), (3, 1)])
    shape1, shape2 = ((length,), other) if rng.uniform() < 0.5 else (other, (length,))
    return shape1, shape2, "edge"


def gen_sub(rng: np.random.Generator) -> Case:
    """SUB: ADD's quantization, with scale ratios that make the input
    multipliers end in zero bits (exact halves in the rounding, where
    subtracting the rounded value differs from adding a negated one)."""
    shape1, shape2, layout = _elementwise_pair(rng)
    act = _pick(rng, quant.ACTIVATIONS)
    s1 = _scale(rng, 1e-3, 1.0)
    ratio = _pick(rng, ["random", "random", "equal", "simple"])
    if ratio == "equal":
        s2 = s1
    elif ratio == "simple":
        s2 = float(np.float32(s1 * _pick(rng, [0.5, 0.75, 0.625, 0.375, 2.0, 1.5, 1.25, 0.1, 3.0])))
    else:
        s2 = _scale(rng, 1e-3, 1.0)
    zp1, zp2 = _zero_point(rng), _zero_point(rng)
    s_out = float(np.float32(2 * max(s1, s2) * _output_scale_factor(rng)))
    zp_out = _zero_point(rng)
    const2 = rng.uniform() < 0.2
    x1, x2 = _int8(rng, shape1), _int8(rng, shape2)

    return _binary_case(
        "SUB", (shape1, shape2), ((s1, zp1), (s2, zp2), (s_out, zp_out)), x1, x2, const2,
        f"{shape1} - {shape2}{' (constant)' if const2 else ''} ({layout}) {act} s1 {s1:.3g} zp1 {zp1} "
        f"s2 {s2:.3g} ({ratio}) zp2 {zp2} s_out {s_out:.3g} zp_out {zp_out}",
        quant.add_params(s1, zp1, s2, zp2, s_out, zp_out, act), activation=act,
    )


def _gen_min_max(rng: np.random.Generator, name: str) -> Case:
    """MAXIMUM or MINIMUM: inputs and output quantized alike (as the TF
    converter writes them; the tinyrt converter refuses anything else);
    sometimes a constant operand (max(x, zero point) is a ReLU)."""
    shape1, shape2, layout = _elementwise_pair(rng)
    s, zp = _scale(rng, 1e-3, 10.0), _zero_point(rng)
    const2 = rng.uniform() < 0.25
    x1 = _int8(rng, shape1)
    x2 = np.full(shape2, zp, np.int8) if const2 and rng.uniform() < 0.5 else _int8(rng, shape2)
    if rng.uniform() < 0.1:  # many ties
        x1 = np.clip(x1, -2, 2).astype(np.int8)
        x2 = np.clip(x2, -2, 2).astype(np.int8)

    return _binary_case(
        name, (shape1, shape2), ((s, zp), (s, zp), (s, zp)), x1, x2, const2,
        f"{name}({shape1}, {shape2}{' constant' if const2 else ''}) ({layout}) s {s:.3g} zp {zp}", {},
    )


def gen_maximum(rng: np.random.Generator) -> Case:
    return _gen_min_max(rng, "MAXIMUM")


def gen_minimum(rng: np.random.Generator) -> Case:
    return _gen_min_max(rng, "MINIMUM")


def _unary_input(rng: np.random.Generator, floor: int = -128) -> np.ndarray:
    """The input of a LUT op: a third of the time every int8 value (from
    `floor` up) in random order and shape, else random values of a shape
    with one element, odd sizes or rank 1 to 4."""
    kind = rng.uniform()
    if kind < 0.35:
        values = rng.permutation(np.arange(floor, 128, dtype=np.int8))
        n = values.size
        shape = _pick(rng, [(n,), (1, n), (n, 1)] + ([(1, 16, 16), (2, 8, 16)] if n == 256 else []))
        return values.reshape(shape)
    if kind < 0.45:
        shape = _pick(rng, [(1,), (1, 1, 1, 1), (7,), (3, 5, 7), (1, 1000), (257,)])
    else:
        shape = _small_shape(rng)
    return np.maximum(_int8(rng, shape), np.int8(floor))


def _unary_scale(rng: np.random.Generator) -> float:
    """Mostly ordinary; now and then tiny or large."""
    kind = rng.uniform()
    if kind < 0.1:
        return _scale(rng, 1e-5, 1e-3)
    if kind < 0.2:
        return _scale(rng, 1.0, 30.0)
    return _scale(rng, 1e-3, 1.0)


def _unary_zero_point(rng: np.random.Generator) -> int:
    return int(_pick(rng, [-128, 127, 0])) if rng.uniform() < 0.15 else _zero_point(rng)


# The output quantization TFLM's int8 LOGISTIC and TANH produce (and the
# tinyrt converter requires).
_FIXED_OUTPUT = {"LOGISTIC": (1 / 256, -128), "TANH": (1 / 128, 0)}


def _gen_unary(rng: np.random.Generator, name: str) -> Case:
    """One int8 -> int8 function, which tinyrt runs as a LUT, on random or
    all 256 input values, with random and extreme scales and zero points."""
    s_in, zp_in = _unary_scale(rng), _unary_zero_point(rng)
    if name == "RSQRT":
        # TFLM fails the invocation for an input below the zero point.
        zp_in = -128 if rng.uniform() < 0.3 else zp_in
        x = _unary_input(rng, zp_in)
    else:
        x = _unary_input(rng)
    if name in _FIXED_OUTPUT:
        s_out, zp_out = _FIXED_OUTPUT[name]
    elif name == "HARD_SWISH":
        # TFLM requires s_in / (128 s_out) < 1.
        s_out, zp_out = float(np.float32(s_in * _log_uniform(rng, 1 / 100, 10.0))), _unary_zero_point(rng)
    elif name == "RSQRT":
        # Outputs 1 / sqrt(s_in * k), k = 1 .. 255: spread them over the int8 range.
        s_out = float(np.float32(_log_uniform(rng, 0.3, 3.0) / (math.sqrt(s_in) * 127)))
        zp_out = _unary_zero_point(rng)
    else:
        s_out = s_in if rng.uniform() < 0.15 else float(np.float32(s_in * _output_scale_factor(rng)))
        zp_out = _unary_zero_point(rng)
    options: dict[str, Any] = {}
    if name == "LEAKY_RELU":
        alpha = _pick(rng, [float(rng.uniform(0.0, 1.0)), 0.2, 0.01, float(rng.uniform(-1.0, 3.0))])
        options["alpha"] = float(np.float32(alpha))
        params = quant.leaky_relu_params(s_in, zp_in, s_out, zp_out, options["alpha"])
    elif name == "RELU6":
        params = quant.relu6_params(s_in, zp_in)
    elif name in _FIXED_OUTPUT:
        params = quant.sigmoid_params(s_in, zp_in)
    else:
        params = getattr(quant, f"{name.lower()}_params")(s_in, zp_in, s_out, zp_out)

    mb = ModelBuilder()
    a = mb.tensor(x.shape, "int8", q=QParams(s_in, zp_in), name="input")
    y = mb.tensor(x.shape, "int8", q=QParams(s_out, zp_out), name="output")
    mb.op(name, [a], [y], **options)
    return Case(
        op=name.lower(),
        desc=f"{name}{options} {x.shape} s_in {s_in:.3g} zp_in {zp_in} s_out {s_out:.3g} zp_out {zp_out}",
        model=mb.build([a], [y]),
        inputs=[x],
        kernel=f"{name.lower()}_s8",
        params=params,
    )


def gen_relu(rng: np.random.Generator) -> Case:
    return _gen_unary(rng, "RELU")


def gen_relu6(rng: np.random.Generator) -> Case:
    return _gen_unary(rng, "RELU6")


def gen_leaky_relu(rng: np.random.Generator) -> Case:
    return _gen_unary(rng, "LEAKY_RELU")


def gen_logistic(rng: np.random.Generator) -> Case:
    return _gen_unary(rng, "LOGISTIC")


def gen_tanh(rng: np.random.Generator) -> Case:
    return _gen_unary(rng, "TANH")


def gen_hard_swish(rng: np.random.Generator) -> Case:
    return _gen_unary(rng, "HARD_SWISH")


def gen_abs(rng: np.random.Generator) -> Case:
    return _gen_unary(rng, "ABS")


def gen_elu(rng: np.random.Generator) -> Case:
    return _gen_unary(rng, "ELU")


def gen_rsqrt(rng: np.random.Generator) -> Case:
    return _gen_unary(rng, "RSQRT")


def _gen_litert_unary(rng: np.random.Generator, name: str) -> Case:
    """One of the int8 functions TFLM has no kernel for, whose arithmetic
    and oracle are LiteRT's (convert.LITERT_CHECKED_OPS); run as a LUT, on
    random or all 256 input values, scales and zero points from ordinary to
    extreme: EXP's outputs spread over int8, saturating (exp past int32 or
    float32) or collapsing; RELU_N1_TO_1's [-1, 1] from a few steps to
    beyond int8; NEG whatever the quantization (LiteRT reads none)."""
    s_in, zp_in = _unary_scale(rng), _unary_zero_point(rng)
    if name == "EXP" and rng.uniform() < 0.8:
        s_in = _scale(rng, 0.5, 30.0) / 255  # inputs spanning 0.5 to 30: exp neither flat nor all overflow
    if name == "RELU_N1_TO_1" and rng.uniform() < 0.6:
        s_in = _scale(rng, 1.0, 10.0) / 255  # many inputs inside [-1, 1]
    x = _unary_input(rng)
    zp_out = _unary_zero_point(rng)
    if name == "EXP":
        # exp is positive: mostly the zero point at -128 and exp of the
        # largest input at about 127, now and then far off.
        zp_out = -128 if rng.uniform() < 0.6 else zp_out
        top = math.exp(min(s_in * (127 - zp_in), 80.0))
        s_out = _scale(rng, 1e-7, 1e-3) if rng.uniform() < 0.1 else \
            float(np.float32(top / max(127 - zp_out, 1) * (_log_uniform(rng, 0.5, 2.0) if rng.uniform() < 0.7
                                                            else _output_scale_factor(rng))))
    elif name == "RELU_N1_TO_1":
        kind = rng.uniform()
        s_out = _scale(rng, 1e-6, 1e-3) if kind < 0.1 else _scale(rng, 0.1, 10.0) if kind < 0.2 else \
            _scale(rng, 1 / 300, 1 / 50)
    else:
        s_out = s_in if rng.uniform() < 0.3 else _scale(rng, 1e-3, 1.0)
        zp_out = -zp_in if rng.uniform() < 0.3 and zp_in > -128 else zp_out
    params = {} if name == "NEG" else getattr(quant, f"{name.lower()}_params")(s_in, zp_in, s_out, zp_out)
    mb = ModelBuilder()
    a = mb.tensor(x.shape, "int8", q=QParams(s_in, zp_in), name="input")
    y = mb.tensor(x.shape, "int8", q=QParams(s_out, zp_out), name="output")
    mb.op(name, [a], [y])
    return Case(
        op=name.lower(),
        desc=f"{name} {x.shape} s_in {s_in:.3g} zp_in {zp_in} s_out {s_out:.3g} zp_out {zp_out}",
        model=mb.build([a], [y]),
        inputs=[x],
        kernel="relu_s8" if name == "RELU_N1_TO_1" else f"{name.lower()}_s8",
        params=params,
        oracle="litert",
    )


def gen_exp(rng: np.random.Generator) -> Case:
    return _gen_litert_unary(rng, "EXP")


def gen_neg(rng: np.random.Generator) -> Case:
    return _gen_litert_unary(rng, "NEG")


def gen_relu_n1_to_1(rng: np.random.Generator) -> Case:
    return _gen_litert_unary(rng, "RELU_N1_TO_1")


def gen_prelu(rng: np.random.Generator) -> Case:
    """PRELU: alpha mostly a constant broadcast over the input (per channel,
    per position or a scalar, as Keras writes it), sometimes an activation;
    random and equal scales, alphas of both signs."""
    shape1, shape2, layout = _elementwise_pair(rng)
    s_in, zp_in = _scale(rng, 1e-3, 1.0), _zero_point(rng)
    s_alpha, zp_alpha = _scale(rng, 1e-3, 0.1), _zero_point(rng)
    s_out = s_in if rng.uniform() < 0.15 else float(np.float32(s_in * _output_scale_factor(rng)))
    zp_out = _zero_point(rng)
    const2 = rng.uniform() < 0.7
    x1, x2 = _int8(rng, shape1), _int8(rng, shape2)
    params = quant.prelu_params(s_in, zp_in, s_alpha, zp_alpha, s_out, zp_out)
    desc = (f"PRELU({shape1}, alpha {shape2}{' constant' if const2 else ''}) ({layout}) s_in {s_in:.3g} zp_in "
            f"{zp_in} s_alpha {s_alpha:.3g} zp_alpha {zp_alpha} s_out {s_out:.3g} zp_out {zp_out}")
    return _binary_case("PRELU", (shape1, shape2), ((s_in, zp_in), (s_alpha, zp_alpha), (s_out, zp_out)), x1, x2,
                        const2, desc, params)


def gen_squared_difference(rng: np.random.Generator) -> Case:
    """SQUARED_DIFFERENCE: ADD's input scaling (equal, simple-ratio or
    independent scales), output scales from saturating to collapsing."""
    shape1, shape2, layout = _elementwise_pair(rng)
    s1 = _scale(rng, 1e-3, 1.0)
    ratio = _pick(rng, ["random", "random", "equal", "simple"])
    if ratio == "equal":
        s2 = s1
    elif ratio == "simple":
        s2 = float(np.float32(s1 * _pick(rng, [0.5, 0.75, 2.0, 1.5, 0.1, 3.0])))
    else:
        s2 = _scale(rng, 1e-3, 1.0)
    zp1, zp2, zp_out = _zero_point(rng), _zero_point(rng), _zero_point(rng)
    # Squares of differences of up to ~255 steps: outputs spread over int8
    # at s_out ~ (64 s)^2 / 127, scaled by the usual factor.
    s_out = float(np.float32(max(s1, s2) ** 2 * 32.0 * _output_scale_factor(rng)))
    const2 = rng.uniform() < 0.2
    x1, x2 = _int8(rng, shape1), _int8(rng, shape2)
    params = quant.squared_difference_params(s1, zp1, s2, zp2, s_out, zp_out)
    desc = (f"SQUARED_DIFFERENCE({shape1}, {shape2}{' constant' if const2 else ''}) ({layout}) s1 {s1:.3g} zp1 "
            f"{zp1} s2 {s2:.3g} ({ratio}) zp2 {zp2} s_out {s_out:.3g} zp_out {zp_out}")
    return _binary_case("SQUARED_DIFFERENCE", (shape1, shape2), ((s1, zp1), (s2, zp2), (s_out, zp_out)), x1, x2,
                        const2, desc, params)


def _mul_output_scale(rng: np.random.Generator, s1: float, s2: float) -> float:
    """Mostly outputs spread over the int8 range; sometimes a rescale far above 1
    (int32 wrap-around in the left shift, as in TFLM) or far below 2**-31 (a
    zero multiplier)."""
    kind = rng.uniform()
    if kind < 0.06:
        real = _log_uniform(rng, 2.0, 2.0**30)
    elif kind < 0.09:
        real = _log_uniform(rng, 2.0**-40, 2.0**-28)
    else:
        # |(x1 - zp1) * (x2 - zp2)| is typically ~5000.
        real = 1.0 / (80.0 * _output_scale_factor(rng))
    return float(np.float32(s1 * s2 / real))


def gen_mul(rng: np.random.Generator) -> Case:
    shape1, shape2, layout = _broadcast_pair(rng)
    s1, s2 = _scale(rng, 1e-4, 10.0), _scale(rng, 1e-4, 10.0)
    zp1, zp2 = _zero_point(rng), _zero_point(rng)
    s_out, zp_out = _mul_output_scale(rng, s1, s2), _zero_point(rng)
    # TFLM rejects an activation bound whose quantized value leaves int32.
    bounded = 6.0 / s_out < 2**31 - 256
    act = _pick(rng, quant.ACTIVATIONS if bounded else ("NONE", "RELU"))
    const2 = rng.uniform() < 0.25
    x1, x2 = _int8(rng, shape1), _int8(rng, shape2)

    return _binary_case(
        "MUL", (shape1, shape2), ((s1, zp1), (s2, zp2), (s_out, zp_out)), x1, x2, const2,
        f"{shape1} * {shape2}{' (constant)' if const2 else ''} ({layout}) {act} s1 {s1:.3g} zp1 {zp1} "
        f"s2 {s2:.3g} zp2 {zp2} s_out {s_out:.3g} zp_out {zp_out}",
        quant.mul_params(s1, zp1, s2, zp2, s_out, zp_out, act), activation=act,
    )


def gen_softmax(rng: np.random.Generator) -> Case:
    c = int(_pick(rng, [1, 2, 3, 5, 10, 12, 17, 32, 40]))
    shape = _pick(rng, [(1, c), (int(rng.integers(2, 5)), c), (1, *_ints(rng, 1, 3), c)])
    beta = 1.0 if rng.uniform() < 0.5 else float(np.float32(_log_uniform(rng, 0.05, 5.0)))
    # Up to beta * scale > 32, where TFLM caps the input multiplier.
    s_in, zp_in = _scale(rng, 1e-3, 10.0), _zero_point(rng)
    if rng.uniform() < 0.3:  # values close together, so many exps matter
        lo = int(rng.integers(-128, 100))
        data = rng.integers(lo, lo + int(rng.integers(1, 28)) + 1, size=shape).astype(np.int8)
    else:
        data = _int8(rng, shape)

    mb = ModelBuilder()
    x = mb.tensor(shape, "int8", q=QParams(s_in, zp_in), name="input")
    y = mb.tensor(shape, "int8", q=QParams(1 / 256, -128), name="output")
    mb.op("SOFTMAX", [x], [y], beta=beta)
    multiplier, left_shift, diff_min = quant.softmax_params(beta, s_in)
    return Case(
        op="softmax",
        desc=f"{shape} beta {beta:.3g} s_in {s_in:.3g}",
        model=mb.build([x], [y]),
        inputs=[data],
        kernel="softmax_s8",
        params=dict(input_multiplier=multiplier, input_left_shift=left_shift, diff_min=diff_min),
    )


def _small_shape(rng: np.random.Generator) -> tuple[int, ...]:
    return tuple(_ints(rng, 1, 5, int(rng.integers(1, 5))))


def gen_quantize(rng: np.random.Generator) -> Case:
    shape = _small_shape(rng)
    scale, zp = _scale(rng, 1e-3, 10.0), _zero_point(rng)
    f_scale = np.float32(scale)
    size = math.prod(shape)
    candidates = np.stack([
        rng.normal(0.0, 100.0, size) * f_scale,  # many saturate
        (rng.integers(-200, 200, size) + 0.5) * f_scale,  # near rounding ties
        rng.uniform(-130.0, 130.0, size) * f_scale,
        np.zeros(size),
    ]).astype(np.float32)  # fmt: skip
    data = candidates[rng.integers(0, 4, size), np.arange(size)].reshape(shape)

    mb = ModelBuilder()
    x = mb.tensor(shape, "float32", name="input")
    y = mb.tensor(shape, "int8", q=QParams(scale, zp), name="output")
    mb.op("QUANTIZE", [x], [y])
    return Case(
        op="quantize",
        desc=f"{shape} scale {scale:.3g} zero point {zp}",
        model=mb.build([x], [y]),
        inputs=[data],
        kernel="quantize_f32_s8",
        params=dict(scale_bits=quant.f32_bits(scale), zero_point=zp),
    )


def gen_requantize(rng: np.random.Generator) -> Case:
    if rng.uniform() < 0.3:
        data = rng.permutation(np.arange(-128, 128, dtype=np.int8)).reshape(1, 16, 16)  # every int8 value
    else:
        data = _int8(rng, _small_shape(rng))
    shape = data.shape
    s_in = _scale(rng, 1e-3, 1.0)
    # Effective scale from 1/1000 to 1000, and exactly 1 (TFLM's same-scale check).
    s_out = s_in if rng.uniform() < 0.1 else float(np.float32(s_in / _log_uniform(rng, 1e-3, 1e3)))
    zp_in, zp_out = _zero_point(rng), _zero_point(rng)

    mb = ModelBuilder()
    x = mb.tensor(shape, "int8", q=QParams(s_in, zp_in), name="input")
    y = mb.tensor(shape, "int8", q=QParams(s_out, zp_out), name="output")
    mb.op("QUANTIZE", [x], [y])
    return Case(
        op="requantize",
        desc=f"{shape} s_in {s_in:.3g} zp_in {zp_in} s_out {s_out:.3g} zp_out {zp_out}",
        model=mb.build([x], [y]),
        inputs=[data],
        kernel="requantize_s8",
        params=quant.requantize_params(s_in, zp_in, s_out, zp_out),
    )


def gen_dequantize(rng: np.random.Generator) -> Case:
    shape = _small_shape(rng)
    scale, zp = _scale(rng, 1e-4, 10.0), _zero_point(rng)
    mb = ModelBuilder()
    x = mb.tensor(shape, "int8", q=QParams(scale, zp), name="input")
    y = mb.tensor(shape, "float32", name="output")
    mb.op("DEQUANTIZE", [x], [y])
    return Case(
        op="dequantize",
        desc=f"{shape} scale {scale:.3g} zero point {zp}",
        model=mb.build([x], [y]),
        inputs=[_int8(rng, shape)],
        kernel="dequantize_s8_f32",
        params=dict(scale_bits=quant.f32_bits(scale), zero_point=zp),
    )


def _prime_factors(n: int) -> list[int]:
    factors, p = [], 2
    while n > 1:
        while n % p == 0:
            factors.append(p)
            n //= p
        p += 1
    return factors


def gen_reshape(rng: np.random.Generator) -> Case:
    shape = _small_shape(rng)
    # Deal the prime factors of the size out to a new rank.
    new_shape = [1] * int(rng.integers(1, 5))
    for p in _prime_factors(math.prod(shape)):
        new_shape[int(rng.integers(len(new_shape)))] *= p
    q = QParams(_scale(rng, 1e-3, 1.0), _zero_point(rng))

    mb = ModelBuilder()
    x = mb.tensor(shape, "int8", q=q, name="input")
    y = mb.tensor(new_shape, "int8", q=q, name="output")
    mb.op("RESHAPE", [x], [y], new_shape=new_shape)
    return Case(
        op="reshape",
        desc=f"{shape} -> {tuple(new_shape)}",
        model=mb.build([x], [y]),
        inputs=[_int8(rng, shape)],
        kernel="reshape",
        args=(tuple(new_shape),),
    )


def _random_axis(rng: np.random.Generator, rank: int) -> tuple[int, int]:
    """(axis as the model states it, possibly negative; the same axis >= 0)."""
    axis = int(rng.integers(0, rank))
    return (axis - rank if rng.uniform() < 0.4 else axis), axis


def gen_concatenation(rng: np.random.Generator) -> Case:
    rank, count = int(rng.integers(1, 5)), int(rng.integers(2, 6))
    axis, pos_axis = _random_axis(rng, rank)
    base = _ints(rng, 1, 4, rank)
    shapes = [tuple(int(rng.integers(1, 5)) if d == pos_axis else n for d, n in enumerate(base)) for _ in range(count)]
    out_shape = list(base)
    out_shape[pos_axis] = sum(s[pos_axis] for s in shapes)
    s_out, zp_out = _scale(rng, 1e-3, 1.0), _zero_point(rng)

    # TFLM requires every input quantized like the output; an input that is
    # not goes through a QUANTIZE first in TFLM's model; tinyrt converts the
    # concat of the inputs as they are and requantizes them in the kernel.
    p_own = 0.0 if rng.uniform() < 0.4 else rng.uniform(0.3, 1.0)
    qparams: list[tuple[float, int]] = []
    for _ in range(count):
        if rng.uniform() >= p_own:
            qparams.append((s_out, zp_out))
            continue
        kind = rng.uniform()
        scale = float(np.float32(s_out * _log_uniform(rng, 1e-2, 1e2))) if kind > 0.2 else s_out
        zp = _zero_point(rng) if kind < 0.8 else zp_out
        qparams.append((scale, zp))
    data = [_int8(rng, shape) for shape in shapes]
    constant = [rng.uniform() < 0.2 for _ in range(count)]
    if all(constant):
        constant[int(rng.integers(count))] = False

    def build(quantize_first: bool) -> bytes:
        mb = ModelBuilder()
        fed, concat_inputs = [], []
        for i, (shape, (scale, zp), x, const) in enumerate(zip(shapes, qparams, data, constant, strict=True)):
            t = mb.tensor(shape, "int8", q=QParams(scale, zp), data=x if const else None, name=f"input{i}")
            if not const:
                fed.append(t)
            if quantize_first and (scale, zp) != (s_out, zp_out):
                requantized = mb.tensor(shape, "int8", q=QParams(s_out, zp_out), name=f"input{i}/requantized")
                mb.op("QUANTIZE", [t], [requantized])
                t = requantized
            concat_inputs.append(t)
        y = mb.tensor(out_shape, "int8", q=QParams(s_out, zp_out), name="output")
        mb.op("CONCATENATION", concat_inputs, [y], axis=axis)
        return mb.build(fed, [y])

    own = sum(q != (s_out, zp_out) for q in qparams)
    return Case(
        op="concatenation",
        desc=(
            f"{shapes} axis {axis} -> {tuple(out_shape)} constant {constant} requantized {own} "
            f"s_out {s_out:.3g} zp_out {zp_out} inputs {qparams}"
        ),
        model=build(quantize_first=True),
        tinyrt_model=build(quantize_first=False) if own else None,
        inputs=[x for x, const in zip(data, constant, strict=True) if not const],
        kernel="concat_s8",
        params=dict(axis=axis, input_requant=quant.concat_input_requant(qparams, s_out, zp_out)),
        constants={i: x for i, (x, const) in enumerate(zip(data, constant, strict=True)) if const},
    )


def gen_split(rng: np.random.Generator) -> Case:
    rank = int(rng.integers(1, 5))
    axis, pos_axis = _random_axis(rng, rank)
    count = 1 if rng.uniform() < 0.1 else int(rng.integers(2, 6))
    shape = _ints(rng, 1, 4, rank)
    shape[pos_axis] = count * int(rng.integers(1, 4))
    out_shape = list(shape)
    out_shape[pos_axis] //= count
    q = QParams(_scale(rng, 1e-3, 1.0), _zero_point(rng))
    # TFLM copies the bytes whatever the outputs' quantization.
    requantized = rng.uniform() < 0.2

    mb = ModelBuilder()
    axis_shape = _pick(rng, [(), (1,)])
    at = mb.tensor(axis_shape, "int32", data=np.full(axis_shape, axis, dtype=np.int32), name="axis")
    x = mb.tensor(shape, "int8", q=q, name="input")
    outputs = [
        mb.tensor(out_shape, "int8", q=QParams(_scale(rng, 1e-3, 1.0), _zero_point(rng)) if requantized else q,
                  name=f"output{i}")
        for i in range(count)
    ]  # fmt: skip
    mb.op("SPLIT", [at, x], outputs, num_splits=count)
    return Case(
        op="split",
        desc=f"{tuple(shape)} axis {axis} into {count} {'differently quantized ' if requantized else ''}outputs",
        model=mb.build([x], outputs),
        inputs=[_int8(rng, shape)],
        kernel="split_s8",
        params=dict(axis=axis, sizes=[out_shape[pos_axis]] * count),
    )


def _gen_reduce(rng: np.random.Generator, name: str) -> Case:
    """MEAN, SUM, REDUCE_MAX or REDUCE_MIN over random axes (negative,
    repeated, all of them), keep_dims or not, ranks 1-4 with odd and size-1
    dims. MEAN and SUM requantize (extreme ratios and zero points); MAX and
    MIN keep the input's quantization, as TFLM requires."""
    kind = rng.uniform()
    keep = bool(rng.uniform() < 0.5)
    if kind < 0.35:  # global average pooling
        shape = [int(rng.integers(1, 3)), *_ints(rng, 1, 12), int(rng.integers(1, 17))]
        axes = _pick(rng, [[1, 2], [2, 1], [-3, -2], [1, -2]])
    else:
        rank = int(rng.integers(1, 5))
        shape = _ints(rng, 1, 6, rank)
        dims = [int(a) for a in rng.choice(rank, size=int(rng.integers(1, rank + 1)), replace=False)]
        # Negative and repeated axes, as TFLM's ResolveAxis takes them.
        axes = [a - rank if rng.uniform() < 0.3 else a for a in dims]
        if rng.uniform() < 0.15:
            axes.append(axes[0])
    if rng.uniform() < 0.05:  # many elements per output: the shift adjustment caps at floor(log2 n)
        shape = [1, int(rng.integers(64, 300)), int(rng.integers(64, 300)), 1]
        axes = [1, 2]
    rank = len(shape)
    reduced = sorted({a % rank for a in axes})
    # tinyrt holds a scalar as a one-element tensor ([1], not TFLM's []): keep
    # a dim when every one is reduced.
    keep = keep or len(reduced) == rank
    out_shape = [1 if a in reduced else d for a, d in enumerate(shape) if keep or a not in reduced]
    count = math.prod(shape[a] for a in reduced)
    s_in, zp_in = _scale(rng, 1e-3, 10.0), _zero_point(rng)
    q = rng.uniform()
    if name in ("REDUCE_MAX", "REDUCE_MIN"):
        s_out, zp_out = s_in, zp_in
    elif q < 0.3:
        s_out, zp_out = s_in, zp_in  # TFLite's usual MEAN: quantized like the input
    elif q < 0.4:
        s_out, zp_out = s_in, _zero_point(rng)
    else:
        # Extreme ratios now and then: outputs saturate or collapse.
        spread = 1e4 if rng.uniform() < 0.15 else 10.0
        # A sum grows with the count: mostly an output scale that holds it.
        grow = count if name == "SUM" and rng.uniform() < 0.7 else 1
        s_out, zp_out = float(np.float32(s_in * grow * _log_uniform(rng, 1 / spread, spread))), _zero_point(rng)
    data = _int8(rng, shape)
    if rng.uniform() < 0.2:  # all near one value: rounding ties (MEAN) or equal extremes
        v = int(rng.integers(-128, 127))
        data = rng.integers(v, v + 2, size=tuple(shape)).astype(np.int8)

    mb = ModelBuilder()
    x = mb.tensor(shape, "int8", q=QParams(s_in, zp_in), name="input")
    axes_shape = (len(axes),) if len(axes) != 1 or rng.uniform() < 0.7 else ()
    at = mb.tensor(axes_shape, "int32", data=np.array(axes, np.int32).reshape(axes_shape), name="axes")
    y = mb.tensor(out_shape, "int8", q=QParams(s_out, zp_out), name="output")
    mb.op(name, [x, at], [y], keep_dims=keep)
    mask = quant.mean_axes(rank, axes)
    if name in ("MEAN", "SUM"):
        kernel = "mean_s8"
        params = dict(axes=mask, keep_dims=keep,
                      **quant.mean_params(s_in, zp_in, s_out, zp_out, count if name == "MEAN" else 1))
    else:
        kernel, params = f"{name.lower()}_s8", dict(axes=mask, keep_dims=keep)
    return Case(
        op=name.lower(),
        desc=(f"{tuple(shape)} axes {axes} keep_dims {keep} -> {tuple(out_shape)} s_in {s_in:.3g} zp_in {zp_in} "
              f"s_out {s_out:.3g} zp_out {zp_out}"),
        model=mb.build([x], [y]),
        inputs=[data],
        kernel=kernel,
        params=params,
    )


def gen_mean(rng: np.random.Generator) -> Case:
    return _gen_reduce(rng, "MEAN")


def gen_sum(rng: np.random.Generator) -> Case:
    return _gen_reduce(rng, "SUM")


def gen_reduce_max(rng: np.random.Generator) -> Case:
    return _gen_reduce(rng, "REDUCE_MAX")


def gen_reduce_min(rng: np.random.Generator) -> Case:
    return _gen_reduce(rng, "REDUCE_MIN")


def _gen_arg(rng: np.random.Generator, name: str) -> Case:
    """ARG_MAX or ARG_MIN: ranks 1-4 with odd and size-1 dims, any axis
    (negative too), runs of ties (TFLM keeps the first), INT32 or INT64
    indices. TFLM has only INT32 outputs: for INT64 it runs the model's INT32
    twin, whose values the INT64 output must equal."""
    rank = int(rng.integers(1, 5))
    shape = _ints(rng, 1, 7, rank)
    if rng.uniform() < 0.1:
        shape[int(rng.integers(rank))] = int(_pick(rng, [63, 256, 300]))
    axis = int(rng.integers(-rank, rank))
    int64 = rng.uniform() < 0.4
    s, zp = _scale(rng, 1e-3, 10.0), _zero_point(rng)
    data = _int8(rng, shape)
    tie = rng.uniform()
    if tie < 0.2:  # many equal extremes
        data = rng.integers(-2, 3, size=tuple(shape)).astype(np.int8)
    elif tie < 0.3:
        data = np.full(shape, _pick(rng, [-128, 127, 0]), np.int8)
    out_shape = [d for a, d in enumerate(shape) if a != axis % rank] or [1]

    def build(out_type: str) -> bytes:
        mb = ModelBuilder()
        x = mb.tensor(shape, "int8", q=QParams(s, zp), name="input")
        at = mb.tensor([1], "int32", data=np.array([axis], np.int32), name="axis")
        y = mb.tensor(out_shape, out_type, name="output")
        mb.op(name, [x, at], [y], output_type=out_type)
        return mb.build([x], [y])

    return Case(
        op=name.lower(),
        desc=f"{name} {tuple(shape)} axis {axis} -> {'INT64' if int64 else 'INT32'} {tuple(out_shape)}",
        model=build("int32"),
        inputs=[data],
        kernel=f"{name.lower()}_s8",
        params=dict(axis=4 - rank + axis % rank, int64_output=int(int64)),
        tinyrt_model=build("int64") if int64 else None,
        int64_twin=int64,
    )


def gen_arg_max(rng: np.random.Generator) -> Case:
    return _gen_arg(rng, "ARG_MAX")


def gen_arg_min(rng: np.random.Generator) -> Case:
    return _gen_arg(rng, "ARG_MIN")


def _gen_resize(rng: np.random.Generator, name: str) -> Case:
    """RESIZE_BILINEAR or RESIZE_NEAREST_NEIGHBOR: up, down and mixed
    scaling, sizes 1 and odd, now and then a large factor; align_corners,
    half_pixel_centers or neither; extreme values and zero points (TFLM
    interpolates raw int8, so input and output share quantization)."""
    mode = _pick(rng, ["none", "align_corners", "half_pixel_centers"])
    align, half = mode == "align_corners", mode == "half_pixel_centers"
    table_of = quant.resize_bilinear_table if name == "RESIZE_BILINEAR" else quant.resize_nearest_table
    while True:
        n, c = int(rng.integers(1, 3)), int(rng.integers(1, 6))
        in_h, in_w = _ints(rng, 1, 9)
        out_h, out_w = _ints(rng, 1, 20)
        if rng.uniform() < 0.1:
            out_h, out_w = (int(v) for v in rng.integers(1, 70, size=2))
        rows = table_of(in_h, out_h, align, half) + table_of(in_w, out_w, align, half)
        if all(0 <= lo < (in_h if k < out_h else in_w) and hi < (in_h if k < out_h else in_w)
               for k, (lo, hi, _) in enumerate(rows)):
            break
    s, zp = _scale(rng, 1e-3, 10.0), _zero_point(rng)
    data = _int8(rng, (n, in_h, in_w, c))
    if rng.uniform() < 0.15:  # saturated values: the rounding of -128 and 127
        data = rng.choice(np.array([-128, 127, -127, 126], np.int8), size=(n, in_h, in_w, c))
    mb = ModelBuilder()
    x = mb.tensor([n, in_h, in_w, c], "int8", q=QParams(s, zp), name="input")
    size = mb.tensor([2], "int32", data=np.array([out_h, out_w], np.int32), name="size")
    y = mb.tensor([n, out_h, out_w, c], "int8", q=QParams(s, zp), name="output")
    mb.op(name, [x, size], [y], align_corners=align, half_pixel_centers=half)
    return Case(
        op=name.lower(),
        desc=f"{name} {(n, in_h, in_w, c)} -> {out_h}x{out_w} {mode}",
        model=mb.build([x], [y]),
        inputs=[data],
        kernel="resize_s8",
        args=(np.array(rows, np.int32),),
        params=dict(out_h=out_h),
    )


def gen_resize_bilinear(rng: np.random.Generator) -> Case:
    return _gen_resize(rng, "RESIZE_BILINEAR")


def gen_resize_nearest_neighbor(rng: np.random.Generator) -> Case:
    return _gen_resize(rng, "RESIZE_NEAREST_NEIGHBOR")


def gen_l2_normalization(rng: np.random.Generator) -> Case:
    """L2_NORMALIZATION along the last dim: ranks 1-4, depths 1 to a few
    thousand, values at the zero point (a sum of 0, which TFLM takes as 1),
    single non-zero values, extreme zero points; output 1/128, zero point 0."""
    rank = int(rng.integers(1, 5))
    shape = _ints(rng, 1, 5, rank)
    shape[-1] = int(_pick(rng, [1, 2, 3, 7, 16, 33, 64, 255, 1000, 4096]))
    zp = _pick(rng, [_zero_point(rng), -128, 127, 0])
    s = _scale(rng, 1e-3, 10.0)
    data = _int8(rng, shape)
    kind = rng.uniform()
    if kind < 0.1:
        data = np.full(shape, zp, np.int8)  # sum of squares 0
    elif kind < 0.2:  # one value off the zero point per row
        data = np.full(shape, zp, np.int8)
        data[..., int(rng.integers(shape[-1]))] = int(rng.integers(-128, 128))
    elif kind < 0.3:  # small deviations: sums of 1, 2, 4...
        data = np.clip(zp + rng.integers(-1, 2, size=tuple(shape)), -128, 127).astype(np.int8)
    mb = ModelBuilder()
    x = mb.tensor(shape, "int8", q=QParams(s, zp), name="input")
    y = mb.tensor(shape, "int8", q=QParams(1 / 128, 0), name="output")
    mb.op("L2_NORMALIZATION", [x], [y])
    return Case(
        op="l2_normalization",
        desc=f"{tuple(shape)} zp {zp}",
        model=mb.build([x], [y]),
        inputs=[data],
        kernel="l2norm_s8",
        params=dict(input_offset=-zp),
    )


def gen_batch_matmul(rng: np.random.Generator) -> Case:
    """BATCH_MATMUL: ranks 2-4 on each side (lower ranks and batch dims of 1
    broadcast), adj_x / adj_y, 1 to 64 (5%: up to 400) accumulated products,
    size-1 and odd dims, a constant RHS now and then, random and extreme
    zero points and output scales."""
    depth = int(_pick(rng, [1, 2, 3, 5, 8, 16, 31, 64]))
    if rng.uniform() < 0.05:
        depth = int(rng.integers(100, 401))
    rows, cols = _ints(rng, 1, 9)
    batch = [int(v) for v in rng.integers(1, 4, size=int(rng.integers(0, 3)))]
    lhs_batch = [d if rng.uniform() < 0.7 else 1 for d in batch]
    rhs_batch = [d if rng.uniform() < 0.7 else 1 for d in batch]
    if rng.uniform() < 0.3 and rhs_batch:  # a lower-rank operand
        rhs_batch = rhs_batch[int(rng.integers(1, len(rhs_batch) + 1)):]
    elif rng.uniform() < 0.3 and lhs_batch:
        lhs_batch = lhs_batch[int(rng.integers(1, len(lhs_batch) + 1)):]
    out_batch = list(np.broadcast_shapes(tuple(lhs_batch), tuple(rhs_batch)))
    adj_x, adj_y = bool(rng.uniform() < 0.4), bool(rng.uniform() < 0.4)
    lhs_shape = [*lhs_batch, *((depth, rows) if adj_x else (rows, depth))]
    rhs_shape = [*rhs_batch, *((cols, depth) if adj_y else (depth, cols))]
    out_shape = [*out_batch, rows, cols]
    s_l, s_r = _scale(rng, 1e-3, 1.0), _scale(rng, 1e-3, 1.0)
    zp_l = _pick(rng, [_zero_point(rng), _zero_point(rng), -128, 127, 0])
    zp_r = _pick(rng, [_zero_point(rng), 0, 0, -128, 127])
    zp_out = _zero_point(rng)
    const_rhs = rng.uniform() < 0.3
    x, w = _int8(rng, lhs_shape), _int8(rng, rhs_shape)
    # Outputs spread over the int8 range (then the usual tiny and huge factors).
    xa = (x.astype(np.float64) - zp_l).swapaxes(-1, -2) if adj_x else x.astype(np.float64) - zp_l
    wa = (w.astype(np.float64) - zp_r).swapaxes(-1, -2) if adj_y else w.astype(np.float64) - zp_r
    spread = max(float(np.abs(np.matmul(xa, wa)).max()), 1.0) / 127
    factor = _output_scale_factor(rng) if rng.uniform() < 0.3 else _log_uniform(rng, 0.7, 3.0)
    s_out = float(np.float32(s_l * s_r * spread * factor))
    mb = ModelBuilder()
    a = mb.tensor(lhs_shape, "int8", q=QParams(s_l, zp_l), name="lhs")
    b = mb.tensor(rhs_shape, "int8", q=QParams(s_r, zp_r), data=w if const_rhs else None, name="rhs")
    y = mb.tensor(out_shape, "int8", q=QParams(s_out, zp_out), name="output")
    mb.op("BATCH_MATMUL", [a, b], [y], adj_x=adj_x, adj_y=adj_y)
    mult, shift = quant.conv_multipliers(s_l, s_r, s_out)
    return Case(
        op="batch_matmul",
        desc=(f"{lhs_shape} (adj_x {adj_x}) x {rhs_shape}{' constant' if const_rhs else ''} (adj_y {adj_y}) -> "
              f"{out_shape} s_l {s_l:.3g} zp_l {zp_l} s_r {s_r:.3g} zp_r {zp_r} s_out {s_out:.3g} zp_out {zp_out}"),
        model=mb.build([a] if const_rhs else [a, b], [y]),
        inputs=[x] if const_rhs else [x, w],
        kernel="batch_matmul_s8",
        params=dict(lhs_offset=-zp_l, rhs_offset=-zp_r, output_offset=zp_out, multiplier=int(mult[0]),
                    shift=int(shift[0]), adj_x=int(adj_x), adj_y=int(adj_y)),
        constants={1: w} if const_rhs else {},
    )


# --- probes: Prepare details that random cases cannot see ---
#
# A float32 instead of a double product moves a multiplier by about one LSB,
# which almost never changes an int8 output of a random case. These generators
# pick scales where the float32 formula would give a different multiplier and
# inputs whose output that difference changes, so they fail unless quant.py
# rounds exactly as TFLM does.


def _float32_multiplier(s_in: float, s_w: float, s_out: float) -> tuple[int, int]:
    """The float32-product variant of the conv/FC multiplier (old TFLite FC)."""
    return quant.quantize_multiplier(float(np.float32(s_in) * np.float32(s_w)) / s_out)


def _telling_accumulator(ours: tuple[int, int], other: tuple[int, int]) -> int | None:
    """An accumulator whose requantized value is small (no clamping) and differs
    between the two (multiplier, shift) pairs, if one exists.

    Outputs can differ only next to a rounding boundary acc * m / 2**(31 - shift)
    = j + 1/2, in an interval about |j| * 2**-shift / 2**31 long: only a small
    multiplier (a large right shift) makes such intervals hold integers.
    """
    if ours == other:
        return None
    m, shift = ours
    j = np.arange(-100, 100)
    centres = np.round((j + 0.5) * 2.0 ** (31 - shift) / m).astype(np.int64)
    acc = (centres[:, None] + np.arange(-2, 3)).ravel()
    acc = acc[np.abs(acc) < 2**30]
    a = ref.mul_by_quantized_multiplier(acc, *ours)
    b = ref.mul_by_quantized_multiplier(acc, *other)
    telling = acc[(a != b) & (np.abs(a) < 100)]
    return int(telling[len(telling) // 2]) if len(telling) else None


def probe_multiplier(rng: np.random.Generator) -> Case:
    """A 1x1 CONV_2D, DEPTHWISE_CONV_2D or FULLY_CONNECTED (per tensor or per
    channel) whose bias puts each channel's accumulator where the float32 and
    double multiplier formulas disagree."""
    kind = _pick(rng, ["conv", "dwconv", "fc"])
    per_channel = rng.uniform() < 0.5
    while True:
        s_in, zp_in = _scale(rng, 1e-3, 1.0), _zero_point(rng)
        s_w = [_scale(rng, 1e-4, 1e-1)]
        if per_channel:
            s_w.append(float(np.float32(s_w[0] * _log_uniform(rng, 0.5, 2.0))))
        # Effective scales of 2**-12 to 2**-22: see _telling_accumulator.
        s_out = float(np.float32(s_in * s_w[0] * 2 ** rng.uniform(12, 22)))
        mult, shift = (quant.fc_multipliers if kind == "fc" else quant.conv_multipliers)(s_in, s_w, s_out)
        accs = [
            _telling_accumulator((int(m), int(sh)), _float32_multiplier(s_in, s, s_out))
            for m, sh, s in zip(mult, shift, s_w, strict=True)
        ]
        if all(a is not None for a in accs):
            break
    cout = len(s_w)
    x_val = _zero_point(rng)
    # acc = filter (1) * (x - zp_in) + bias
    bias = np.array([a - (x_val - zp_in) for a in accs if a is not None], dtype=np.int32)
    zp_out = int(rng.integers(-20, 21))

    mb = ModelBuilder()
    shape = {"conv": (cout, 1, 1, 1), "dwconv": (1, 1, 1, cout), "fc": (cout, 1)}[kind]
    in_shape = [1, 1] if kind == "fc" else [1, 1, 1, 1]
    out_shape = [1, cout] if kind == "fc" else [1, 1, 1, cout]
    filt = np.ones(shape, dtype=np.int8)
    x = mb.tensor(in_shape, "int8", q=QParams(s_in, zp_in), name="input")
    wt = mb.tensor(shape, "int8", q=_as_q(s_w, 3 if kind == "dwconv" else 0), data=filt, name="filter")
    b_scales = [float(np.float32(s_in) * np.float32(s)) for s in s_w]
    bt = mb.tensor([cout], "int32", q=QParams(b_scales if per_channel else b_scales[0], 0), data=bias, name="bias")
    y = mb.tensor(out_shape, "int8", q=QParams(s_out, zp_out), name="output")
    offsets = dict(input_offset=-zp_in, output_offset=zp_out, act_min=-128, act_max=127)
    if kind == "fc":
        mb.op("FULLY_CONNECTED", [x, wt, bt], [y])
        kernel, params = "fc_s8", offsets
    else:
        options = {"depth_multiplier": cout} if kind == "dwconv" else {}
        mb.op("DEPTHWISE_CONV_2D" if kind == "dwconv" else "CONV_2D", [x, wt, bt], [y], padding="VALID", **options)
        kernel = "dwconv_s8" if kind == "dwconv" else "conv_s8"
        params = dict(
            stride_h=1, stride_w=1, dilation_h=1, dilation_w=1, pad_top=0, pad_left=0,
            depth_multiplier=cout if kind == "dwconv" else 1, out_h=1, out_w=1, **offsets,
        )  # fmt: skip
    return Case(
        op="probe_multiplier",
        desc=f"{kind} scales {len(s_w)} s_in {s_in!r} s_w {s_w!r} s_out {s_out!r} acc {accs}",
        model=mb.build([x], [y]),
        inputs=[np.full(in_shape, x_val, dtype=np.int8)],
        kernel=kernel,
        args=(filt, bias, mult, shift),
        params=params,
    )


def probe_left_shift(rng: np.random.Generator) -> Case:
    """A 1x1 CONV_2D with an effective scale of 2**3 to 2**20 and large
    accumulators: TFLM's x * (1 << left_shift) is an int32 multiply that wraps
    on overflow (undefined in C++, but what its build does), so C kernels must
    wrap too, e.g. by shifting in uint32."""
    s_in, s_w = _scale(rng, 1e-3, 1.0), _scale(rng, 1e-4, 1e-1)
    s_out = float(np.float32(s_in * s_w / 2 ** rng.uniform(3, 20)))
    channels = int(rng.integers(1, 9))
    bias = rng.integers(-(2**28), 2**28, size=channels, dtype=np.int64).astype(np.int32)
    filt = _weights(rng, (channels, 1, 1, 1))
    zp_in, zp_out = _zero_point(rng), _zero_point(rng)

    mb = ModelBuilder()
    x = mb.tensor([1, 2, 2, 1], "int8", q=QParams(s_in, zp_in), name="input")
    wt = mb.tensor(filt.shape, "int8", q=QParams(s_w, 0), data=filt, name="filter")
    bt = mb.tensor([channels], "int32", q=QParams(float(np.float32(s_in) * np.float32(s_w)), 0), data=bias, name="bias")
    y = mb.tensor([1, 2, 2, channels], "int8", q=QParams(s_out, zp_out), name="output")
    mb.op("CONV_2D", [x, wt, bt], [y], padding="VALID")
    mult, shift = quant.conv_multipliers(s_in, [s_w], s_out)
    return Case(
        op="probe_left_shift",
        desc=f"{channels} channels s_in {s_in!r} s_w {s_w!r} s_out {s_out!r} shift {int(shift[0])}",
        model=mb.build([x], [y]),
        inputs=[_int8(rng, (1, 2, 2, 1))],
        kernel="conv_s8",
        args=(filt, bias, mult, shift),
        params=dict(
            stride_h=1, stride_w=1, dilation_h=1, dilation_w=1, pad_top=0, pad_left=0, input_offset=-zp_in,
            output_offset=zp_out, act_min=-128, act_max=127, depth_multiplier=1, out_h=2, out_w=2,
        ),
    )  # fmt: skip


def probe_sum_left_shift(rng: np.random.Generator) -> Case:
    """SUM with an output scale 2**3 to 2**28 below the input's: the
    multiplier's left shift applies to sums of up to thousands of elements,
    so x * (1 << left_shift) wraps in int32 as in TFLM (and the output
    saturates or lands anywhere after the wrap)."""
    s_in = _scale(rng, 1e-3, 1.0)
    s_out = float(np.float32(s_in / 2 ** rng.uniform(3, 28)))
    shape = [1, int(rng.integers(1, 40)), int(rng.integers(1, 40)), int(rng.integers(1, 4))]
    axes = _pick(rng, [[1, 2], [1], [2], [1, 2, 3]])
    zp_in, zp_out = _pick(rng, [-128, 127, _zero_point(rng)]), _zero_point(rng)
    keep = bool(rng.uniform() < 0.5) or len(axes) == 3
    out_shape = [1 if a in axes else d for a, d in enumerate(shape) if keep or a not in axes]
    data = _int8(rng, shape)
    if rng.uniform() < 0.3:
        data = np.full(shape, _pick(rng, [-128, 127]), np.int8)
    mb = ModelBuilder()
    x = mb.tensor(shape, "int8", q=QParams(s_in, zp_in), name="input")
    at = mb.tensor([len(axes)], "int32", data=np.array(axes, np.int32), name="axes")
    y = mb.tensor(out_shape, "int8", q=QParams(s_out, zp_out), name="output")
    mb.op("SUM", [x, at], [y], keep_dims=keep)
    return Case(
        op="probe_sum_left_shift",
        desc=f"{tuple(shape)} axes {axes} s_in {s_in!r} s_out {s_out!r} zp_in {zp_in} zp_out {zp_out}",
        model=mb.build([x], [y]),
        inputs=[data],
        kernel="mean_s8",
        params=dict(axes=quant.mean_axes(4, axes), keep_dims=keep, **quant.mean_params(s_in, zp_in, s_out, zp_out, 1)),
    )


def _float32_add_params(s1: float, zp1: int, s2: float, zp2: int, s_out: float, zp_out: int) -> dict[str, int]:
    """add_params with float32 instead of double arithmetic."""
    params = quant.add_params(s1, zp1, s2, zp2, s_out, zp_out)
    f = np.float32
    twice_max = f(2) * max(f(s1), f(s2))
    for name, real in (("input1", f(s1) / twice_max), ("input2", f(s2) / twice_max),
                       ("output", twice_max / (f(1 << quant.ADD_LEFT_SHIFT) * f(s_out)))):  # fmt: skip
        params[f"{name}_multiplier"], params[f"{name}_shift"] = quant.quantize_multiplier(float(real))
    return params


def probe_add(rng: np.random.Generator) -> Case:
    """ADD over every pair of int8 inputs, with scales where float32 math in
    Prepare would change some output."""
    values = np.arange(-128, 128, dtype=np.int8)
    column, row = values.reshape(256, 1), values.reshape(1, 256)  # broadcast: cheap search
    for _ in range(200):
        s1, s2 = _scale(rng, 1e-3, 1.0), _scale(rng, 1e-3, 1.0)
        zp1, zp2, zp_out = _zero_point(rng), _zero_point(rng), _zero_point(rng)
        s_out = float(np.float32(2 * max(s1, s2) * _log_uniform(rng, 0.3, 3.0)))
        params = quant.add_params(s1, zp1, s2, zp2, s_out, zp_out)
        other = _float32_add_params(s1, zp1, s2, zp2, s_out, zp_out)
        if not np.array_equal(ref.add_s8(column, row, **params), ref.add_s8(column, row, **other)):
            break
    a_in, b_in = (np.ascontiguousarray(g).reshape(1, 256, 256, 1) for g in np.broadcast_arrays(column, row))
    mb = ModelBuilder()
    a = mb.tensor(a_in.shape, "int8", q=QParams(s1, zp1), name="input1")
    b = mb.tensor(b_in.shape, "int8", q=QParams(s2, zp2), name="input2")
    y = mb.tensor(a_in.shape, "int8", q=QParams(s_out, zp_out), name="output")
    mb.op("ADD", [a, b], [y])
    return Case(
        op="probe_add",
        desc=f"s1 {s1!r} zp1 {zp1} s2 {s2!r} zp2 {zp2} s_out {s_out!r} zp_out {zp_out}",
        model=mb.build([a, b], [y]),
        inputs=[a_in, b_in],
        kernel="add_s8",
        params=params,
    )


def _telling_product(ours: tuple[int, int], other: tuple[int, int]) -> tuple[int, int] | None:
    """Factors (u, v) in [-255, 255] whose product's rescaled value is small (no
    clamping) and differs between the two (multiplier, shift) pairs, if any.
    As in _telling_accumulator, only products next to a rounding boundary can differ."""
    if ours == other:
        return None
    m, shift = ours
    j = np.arange(-100, 100)
    centres = np.round((j + 0.5) * 2.0 ** (31 - shift) / m).astype(np.int64)
    product = (centres[:, None] + np.arange(-2, 3)).ravel()
    product = product[np.abs(product) <= 255 * 255]
    a = ref.mul_by_quantized_multiplier(product, *ours)
    b = ref.mul_by_quantized_multiplier(product, *other)
    for p in product[(a != b) & (np.abs(a) < 100)].tolist():
        for u in range(1, 256):
            if p % u == 0 and abs(p // u) <= 255:
                return u, p // u
    return None


def probe_mul(rng: np.random.Generator) -> Case:
    """MUL over every pair of int8 inputs, with scales where a float32 instead
    of a double s1 * s2 / s_out in Prepare would change an output, and zero
    points that make some input pair hit that output."""
    f = np.float32
    while True:
        s1, s2 = _scale(rng, 1e-3, 1.0), _scale(rng, 1e-3, 1.0)
        # Rescales of 2**-8 to 2**-11 take products of up to 2**16 to small outputs.
        s_out = float(np.float32(s1 * s2 * 2 ** rng.uniform(8, 11)))
        params = quant.mul_params(s1, 0, s2, 0, s_out, 0)
        ours = (params["output_multiplier"], params["output_shift"])
        factors = _telling_product(ours, quant.quantize_multiplier(float(f(s1) * f(s2) / f(s_out))))
        if factors is not None:
            break
    # Zero points that put x - zp = u (and v) inside the int8 range.
    zp1, zp2 = (int(rng.integers(max(-128, -128 - u), min(127, 127 - u) + 1)) for u in factors)
    zp_out = int(rng.integers(-20, 21))
    values = np.arange(-128, 128, dtype=np.int8)
    a_in, b_in = (np.ascontiguousarray(g).reshape(1, 256, 256, 1) for g in np.meshgrid(values, values, indexing="ij"))
    mb = ModelBuilder()
    a = mb.tensor(a_in.shape, "int8", q=QParams(s1, zp1), name="input1")
    b = mb.tensor(b_in.shape, "int8", q=QParams(s2, zp2), name="input2")
    y = mb.tensor(a_in.shape, "int8", q=QParams(s_out, zp_out), name="output")
    mb.op("MUL", [a, b], [y])
    return Case(
        op="probe_mul",
        desc=f"s1 {s1!r} zp1 {zp1} s2 {s2!r} zp2 {zp2} s_out {s_out!r} zp_out {zp_out} factors {factors}",
        model=mb.build([a, b], [y]),
        inputs=[a_in, b_in],
        kernel="mul_s8",
        params=quant.mul_params(s1, zp1, s2, zp2, s_out, zp_out),
    )


def probe_activation(rng: np.random.Generator) -> Case:
    """A 1x1 AVERAGE_POOL_2D passing every int8 value through a RELU6 or
    RELU_N1_TO_1 whose bound f / scale lies at a rounding tie, where a double
    instead of a float32 division (or another rounding) would move the clamp."""
    act, bound = _pick(rng, [("RELU6", 6.0), ("RELU_N1_TO_1", 1.0)])
    k = int(rng.integers(1, 120))
    near_tie = np.float32(bound / (k + 0.5))
    ulps = [near_tie + np.float32(d) * np.spacing(near_tie) for d in range(-16, 17)]
    telling = [
        s for s in ulps
        if quant.round_half_away(float(np.float32(bound) / s)) != quant.round_half_away(bound / float(s))
    ]  # fmt: skip
    scale = float(_pick(rng, telling or ulps))
    room = k + 2
    zp = int(rng.integers(-128, 128 - room)) if act == "RELU6" else int(rng.integers(-128 + room, 128 - room))
    values = np.arange(-128, 128, dtype=np.int8).reshape(1, 1, 256, 1)

    mb = ModelBuilder()
    x = mb.tensor(values.shape, "int8", q=QParams(scale, zp), name="input")
    y = mb.tensor(values.shape, "int8", q=QParams(scale, zp), name="output")
    mb.op("AVERAGE_POOL_2D", [x], [y], padding="VALID", filter_h=1, filter_w=1, activation=act)
    act_min, act_max = quant.activation_range(act, scale, zp)
    return Case(
        op="probe_activation",
        desc=f"{act} scale {scale!r} zero point {zp} range [{act_min}, {act_max}]",
        model=mb.build([x], [y]),
        inputs=[values],
        kernel="avgpool_s8",
        params=dict(
            stride_h=1, stride_w=1, filter_h=1, filter_w=1, pad_top=0, pad_left=0,
            act_min=act_min, act_max=act_max, out_h=1, out_w=256,
        ),
    )  # fmt: skip


# --- data movement (lowered to COPY) ---


def _move_shape(rng: np.random.Generator, rank: int, hi: int = 5) -> list[int]:
    """Small dims, now and then one of 1 or a long one (contiguous runs,
    odd sizes)."""
    shape = _ints(rng, 1, hi, rank)
    if rng.uniform() < 0.2:
        shape[int(rng.integers(rank))] = int(_pick(rng, [1, 1, 16, 17, 63]))
    return shape


def _move_q(rng: np.random.Generator) -> tuple[QParams, QParams]:
    """Input and output quantization: mostly alike; TFLM copies the bytes
    whatever they are, so sometimes not."""
    q = QParams(_scale(rng, 1e-3, 1.0), _zero_point(rng))
    return q, (q if rng.uniform() < 0.8 else QParams(_scale(rng, 1e-3, 1.0), _zero_point(rng)))


def _i32(mb: ModelBuilder, values: Any, name: str) -> int:
    a = np.asarray(values, np.int32)
    return mb.tensor(list(a.shape), "int32", data=a, name=name)


def _move_rank(rng: np.random.Generator, most: int = 4) -> int:
    """1-4, and now and then 5 up to `most` (where TFLM takes it)."""
    return int(rng.integers(5, most + 1)) if most > 4 and rng.uniform() < 0.15 else int(rng.integers(1, 5))


def _as_4d(shape: Sequence[int]) -> tuple[int, ...]:
    """A rank 5-6 shape with its leading dims merged."""
    return (math.prod(shape[:-3]), *shape[-3:])


def _move_input(mb: ModelBuilder, shape: Sequence[int], q: QParams, name: str) -> tuple[int, int]:
    """(graph input, op input): a tensor of rank 5-6 comes through a RESHAPE
    of a rank-4 graph input (graph inputs and outputs have at most 4 dims)."""
    if len(shape) <= 4:
        t = mb.tensor(shape, "int8", q=q, name=name)
        return t, t
    flat = mb.tensor(_as_4d(shape), "int8", q=q, name=f"{name}/4d")
    t = mb.tensor(shape, "int8", q=q, name=name)
    mb.op("RESHAPE", [flat], [t])
    return flat, t


def _move_output(mb: ModelBuilder, t: int, shape: Sequence[int], q: QParams, name: str) -> int:
    """The graph output for op output `t`: rank 4 behind a RESHAPE when of rank 5-6."""
    if len(shape) <= 4:
        return t
    flat = mb.tensor(_as_4d(shape), "int8", q=q, name=f"{name}/4d")
    mb.op("RESHAPE", [t], [flat])
    return flat


def _move_case(op: str, desc: str, mb: ModelBuilder, ins: list[int], outs: list[int], inputs: list[np.ndarray],
               kernel: str, args: tuple[Any, ...] = (), params: dict[str, Any] | None = None,
               oracle: str = "tflm") -> Case:
    """`inputs` in the op's shapes; those of rank 5-6 go to the model as rank 4."""
    wide = any(x.ndim > 4 for x in inputs)
    return Case(op=op, desc=desc, model=mb.build(ins, outs),
                inputs=[x.reshape(_as_4d(x.shape)) if x.ndim > 4 else x for x in inputs], kernel=kernel, args=args,
                params=params or {}, oracle=oracle, operand_shapes=tuple(x.shape for x in inputs) if wide else ())


def _gen_pad(rng: np.random.Generator, name: str) -> Case:
    rank = _move_rank(rng, 5)
    shape = _move_shape(rng, rank, 5 if rank <= 4 else 3)
    pads = np.array([[0, 0] if rng.uniform() < 0.25 else _ints(rng, 0, 3) for _ in range(rank)], np.int32)
    out_shape = [d + int(a) + int(b) for d, (a, b) in zip(shape, pads, strict=True)]
    q_in, q_out = _move_q(rng)
    mb = ModelBuilder()
    gx, x = _move_input(mb, shape, q_in, "input")
    y = mb.tensor(out_shape, "int8", q=q_out, name="output")
    value = int(np.asarray(q_out.zero_point))
    ins = [x, _i32(mb, pads, "paddings")]
    if name == "PADV2":
        value = int(rng.integers(-128, 128))
        ins.append(mb.tensor(_pick(rng, [[], [1]]), "int8", q=q_out, data=np.array(value, np.int8),
                             name="constant_values"))
    mb.op(name, ins, [y])
    gy = _move_output(mb, y, out_shape, q_out, "output")
    return _move_case(name.lower(), f"{shape} paddings {pads.tolist()} value {value}", mb, [gx], [gy],
                      [_int8(rng, shape)], "pad_s8", (pads,), {"pad_value": value})


def gen_pad(rng: np.random.Generator) -> Case:
    return _gen_pad(rng, "PAD")


def gen_padv2(rng: np.random.Generator) -> Case:
    return _gen_pad(rng, "PADV2")


def gen_mirror_pad(rng: np.random.Generator) -> Case:
    rank = _move_rank(rng, 6)
    shape = _move_shape(rng, rank, 6 if rank <= 4 else 3)
    symmetric = bool(rng.uniform() < 0.5)
    edge = 0 if symmetric else 1
    pads = np.array([_ints(rng, 0, d - edge) if rng.uniform() < 0.8 else [0, 0] for d in shape], np.int32)
    out_shape = [d + int(a) + int(b) for d, (a, b) in zip(shape, pads, strict=True)]
    q_in, q_out = _move_q(rng)
    mb = ModelBuilder()
    gx, x = _move_input(mb, shape, q_in, "input")
    y = mb.tensor(out_shape, "int8", q=q_out, name="output")
    mode = "SYMMETRIC" if symmetric else "REFLECT"
    mb.op("MIRROR_PAD", [x, _i32(mb, pads, "paddings")], [y], mode=mode)
    gy = _move_output(mb, y, out_shape, q_out, "output")
    return _move_case("mirror_pad", f"{shape} {mode} paddings {pads.tolist()}", mb, [gx], [gy],
                      [_int8(rng, shape)], "mirror_pad_s8", (pads,), {"symmetric": symmetric})


def gen_strided_slice(rng: np.random.Generator) -> Case:
    """Begins and ends anywhere (negative, past the ends: TFLite clamps),
    strides of both signs, every mask bit, shrunk axes (stride 1 or more:
    TFLM writes nothing for a shrunk axis of negative stride, which the
    converter refuses, as it refuses `offset`, which TFLM ignores)."""
    while True:
        rank = int(rng.integers(1, 5))
        shape = _move_shape(rng, rank, 7)
        strides = [int(_pick(rng, [1, 1, 1, 2, 3, -1, -1, -2, -3])) for _ in range(rank)]
        begin = [int(rng.integers(-d - 2, d + 3)) for d in shape]
        end = [int(rng.integers(-d - 2, d + 3)) for d in shape]
        masks = {m: int(rng.integers(0, 1 << rank)) if rng.uniform() < 0.5 else 0
                 for m in ("begin_mask", "end_mask", "shrink_axis_mask")}
        for k, d in enumerate(shape):
            if masks["shrink_axis_mask"] >> k & 1:
                begin[k] = int(rng.integers(-d, d))
                strides[k] = abs(strides[k])
        b, e, st = (np.array(v, np.int32) for v in (begin, end, strides))
        x_in = _int8(rng, shape)
        want = ref.strided_slice_s8(x_in, b, e, st, **masks)
        if want.size and want.ndim:
            break
    q_in, q_out = _move_q(rng)
    mb = ModelBuilder()
    x = mb.tensor(shape, "int8", q=q_in, name="input")
    y = mb.tensor(list(want.shape), "int8", q=q_out, name="output")
    mb.op("STRIDED_SLICE", [x, _i32(mb, b, "begin"), _i32(mb, e, "end"), _i32(mb, st, "strides")], [y], **masks)
    return _move_case("strided_slice", f"{shape} begin {begin} end {end} strides {strides} {masks}",
                      mb, [x], [y], [x_in], "strided_slice_s8", (b, e, st), masks)


def gen_slice(rng: np.random.Generator) -> Case:
    rank = _move_rank(rng, 5)
    shape = _move_shape(rng, rank, 7 if rank <= 4 else 4)
    begin = [int(rng.integers(0, d)) for d in shape]
    size = [-1 if rng.uniform() < 0.2 else int(rng.integers(1, d - b + 1)) for d, b in zip(shape, begin, strict=True)]
    out_shape = [d - b if n == -1 else n for d, b, n in zip(shape, begin, size, strict=True)]
    q_in, q_out = _move_q(rng)
    mb = ModelBuilder()
    gx, x = _move_input(mb, shape, q_in, "input")
    y = mb.tensor(out_shape, "int8", q=q_out, name="output")
    b, n = np.array(begin, np.int32), np.array(size, np.int32)
    mb.op("SLICE", [x, _i32(mb, b, "begin"), _i32(mb, n, "size")], [y])
    gy = _move_output(mb, y, out_shape, q_out, "output")
    return _move_case("slice", f"{shape} begin {begin} size {size}", mb, [gx], [gy], [_int8(rng, shape)],
                      "slice_s8", (b, n))


def gen_transpose(rng: np.random.Generator) -> Case:
    rank = _move_rank(rng, 5)
    shape = _move_shape(rng, rank, 6 if rank <= 4 else 4)
    perm = np.array(rng.permutation(rank), np.int32)
    q_in, q_out = _move_q(rng)
    mb = ModelBuilder()
    gx, x = _move_input(mb, shape, q_in, "input")
    out_shape = [shape[p] for p in perm]
    y = mb.tensor(out_shape, "int8", q=q_out, name="output")
    mb.op("TRANSPOSE", [x, _i32(mb, perm, "perm")], [y])
    gy = _move_output(mb, y, out_shape, q_out, "output")
    return _move_case("transpose", f"{shape} perm {perm.tolist()}", mb, [gx], [gy], [_int8(rng, shape)],
                      "transpose_s8", (perm,))


def gen_pack(rng: np.random.Generator) -> Case:
    rank = _move_rank(rng, 6) - 1 or 1
    shape = _move_shape(rng, rank, 5 if rank <= 3 else 3)
    count = int(rng.integers(1, 6))
    axis = int(rng.integers(-rank - 1, rank + 1))
    pos = axis % (rank + 1)
    q_in, q_out = _move_q(rng)
    mb = ModelBuilder()
    xs = [_move_input(mb, shape, q_in, f"input{k}") for k in range(count)]
    out_shape = [*shape[:pos], count, *shape[pos:]]
    y = mb.tensor(out_shape, "int8", q=q_out, name="output")
    mb.op("PACK", [x for _, x in xs], [y], axis=axis)
    gy = _move_output(mb, y, out_shape, q_out, "output")
    return _move_case("pack", f"{count} x {shape} axis {axis}", mb, [g for g, _ in xs], [gy],
                      [_int8(rng, shape) for _ in xs], "pack_s8", (), {"axis": axis})


def gen_unpack(rng: np.random.Generator) -> Case:
    rank = max(2, _move_rank(rng, 6))
    shape = _move_shape(rng, rank, 5 if rank <= 4 else 3)
    axis, pos = _random_axis(rng, rank)
    shape[pos] = min(shape[pos], 6)
    q_in, q_out = _move_q(rng)
    mb = ModelBuilder()
    gx, x = _move_input(mb, shape, q_in, "input")
    part = [d for k, d in enumerate(shape) if k != pos]
    ys = [mb.tensor(part, "int8", q=q_out, name=f"output{k}") for k in range(shape[pos])]
    mb.op("UNPACK", [x], ys, axis=axis)
    gys = [_move_output(mb, y, part, q_out, f"output{k}") for k, y in enumerate(ys)]
    return _move_case("unpack", f"{shape} axis {axis}", mb, [gx], gys, [_int8(rng, shape)], "unpack_s8", (),
                      {"axis": axis})


def gen_split_v(rng: np.random.Generator) -> Case:
    rank = _move_rank(rng, 6)
    shape = _move_shape(rng, rank, 6 if rank <= 4 else 3)
    axis, pos = _random_axis(rng, rank)
    cuts = sorted(int(c) for c in rng.choice(np.arange(1, shape[pos]), size=min(shape[pos] - 1,
                  int(rng.integers(0, 4))), replace=False)) if shape[pos] > 1 else []
    sizes = np.diff([0, *cuts, shape[pos]]).tolist()
    stated = list(sizes)
    if rng.uniform() < 0.3:
        stated[int(rng.integers(len(sizes)))] = -1
    q_in, q_out = _move_q(rng)
    mb = ModelBuilder()
    gx, x = _move_input(mb, shape, q_in, "input")
    out_shapes = [[n if k == pos else d for k, d in enumerate(shape)] for n in sizes]
    ys = [mb.tensor(o, "int8", q=q_out, name=f"output{i}") for i, o in enumerate(out_shapes)]
    axis_shape = _pick(rng, [[], [1]])
    mb.op("SPLIT_V", [x, _i32(mb, stated, "size_splits"), _i32(mb, np.full(axis_shape, axis), "axis")], ys)
    gys = [_move_output(mb, y, o, q_out, f"output{i}") for i, (y, o) in enumerate(zip(ys, out_shapes, strict=True))]
    return _move_case("split_v", f"{shape} axis {axis} sizes {stated}", mb, [gx], gys, [_int8(rng, shape)],
                      "split_s8", (), {"axis": axis, "sizes": sizes})


def gen_gather(rng: np.random.Generator) -> Case:
    """Constant indices: random, runs (a piece each), reversed, repeated."""
    while True:
        rank = _move_rank(rng, 6)
        idx_rank = int(rng.integers(0, 3))
        if 1 <= rank - 1 + idx_rank <= (6 if rank > 4 or rng.uniform() < 0.1 else 4):
            break
    shape = _move_shape(rng, rank, 6 if rank <= 4 else 3)
    axis, pos = _random_axis(rng, rank)
    idx_shape = _ints(rng, 1, 4, idx_rank)
    n, d = math.prod(idx_shape), shape[pos]
    kind = _pick(rng, ["random", "run", "reversed", "repeated"])
    if kind == "run":
        start = int(rng.integers(0, d))
        flat = (start + np.arange(n)) % d
    elif kind == "reversed":
        flat = (d - 1 - np.arange(n)) % d
    elif kind == "repeated":
        flat = np.full(n, int(rng.integers(0, d)))
    else:
        flat = rng.integers(0, d, n)
    indices = flat.astype(np.int32).reshape(idx_shape)
    q_in, q_out = _move_q(rng)
    mb = ModelBuilder()
    gx, x = _move_input(mb, shape, q_in, "input")
    out_shape = [*shape[:pos], *idx_shape, *shape[pos + 1:]]
    y = mb.tensor(out_shape, "int8", q=q_out, name="output")
    mb.op("GATHER", [x, _i32(mb, indices, "indices")], [y], axis=axis)
    gy = _move_output(mb, y, out_shape, q_out, "output")
    return _move_case("gather", f"{shape} axis {axis} indices {indices.tolist()} ({kind})", mb, [gx], [gy],
                      [_int8(rng, shape)], "gather_s8", (indices,), {"axis": axis})


def gen_tile(rng: np.random.Generator) -> Case:
    """TFLM has no TILE: checked against LiteRT's (and numpy's np.tile)."""
    rank = _move_rank(rng, 6)
    shape = _move_shape(rng, rank, 5 if rank <= 4 else 3)
    multiples = np.array(_ints(rng, 1, 3, rank), np.int32)
    q_in, q_out = _move_q(rng)
    mb = ModelBuilder()
    gx, x = _move_input(mb, shape, q_in, "input")
    out_shape = [d * int(m) for d, m in zip(shape, multiples, strict=True)]
    y = mb.tensor(out_shape, "int8", q=q_out, name="output")
    mb.op("TILE", [x, _i32(mb, multiples, "multiples")], [y])
    gy = _move_output(mb, y, out_shape, q_out, "output")
    return _move_case("tile", f"{shape} multiples {multiples.tolist()}", mb, [gx], [gy], [_int8(rng, shape)],
                      "tile_s8", (multiples,), oracle="litert")


def _gen_depth_space(rng: np.random.Generator, name: str) -> Case:
    block = int(rng.integers(1, 5)) if rng.uniform() < 0.8 else 1
    n, h, w, c = int(rng.integers(1, 3)), *_ints(rng, 1, 4), int(rng.integers(1, 4))
    deep, wide = [n, h, w, c * block * block], [n, h * block, w * block, c]
    shape, out_shape = (deep, wide) if name == "DEPTH_TO_SPACE" else (wide, deep)
    q_in, q_out = _move_q(rng)
    mb = ModelBuilder()
    x = mb.tensor(shape, "int8", q=q_in, name="input")
    y = mb.tensor(out_shape, "int8", q=q_out, name="output")
    mb.op(name, [x], [y], block_size=block)
    return _move_case(name.lower(), f"{shape} block {block}", mb, [x], [y], [_int8(rng, shape)],
                      f"{name.lower()}_s8", (), {"block": block})


def gen_depth_to_space(rng: np.random.Generator) -> Case:
    return _gen_depth_space(rng, "DEPTH_TO_SPACE")


def gen_space_to_depth(rng: np.random.Generator) -> Case:
    return _gen_depth_space(rng, "SPACE_TO_DEPTH")


def _space_batch_geometry(rng: np.random.Generator, padded: bool) -> tuple[list[int], list[int], np.ndarray,
                                                                          list[int]]:
    """(spatial batch-free input shape [n, s.., c], block, pairs, padded spatial)
    for 3-D (one spatial dim) or 4-D tensors."""
    m = int(_pick(rng, [1, 2, 2]))
    block = _ints(rng, 1, 3, m)
    pairs = np.array([_ints(rng, 0, 2) if padded and rng.uniform() < 0.7 else [0, 0] for _ in range(m)], np.int32)
    full = [b * int(rng.integers(1, 4)) for b in block]
    return [int(rng.integers(1, 3)), *full, int(rng.integers(1, 4))], block, pairs, full


def gen_batch_to_space_nd(rng: np.random.Generator) -> Case:
    shape, block, crops, full = _space_batch_geometry(rng, True)
    m = len(block)
    # Crops never remove a whole dim.
    crops = np.array([[min(a, f - 1), min(b, f - 1 - min(a, f - 1))] for (a, b), f in zip(crops, full, strict=True)],
                     np.int32)
    in_shape = [shape[0] * math.prod(block), *[f // b for f, b in zip(full, block, strict=True)], shape[-1]]
    out_shape = [shape[0], *[f - int(a) - int(b) for f, (a, b) in zip(full, crops, strict=True)], shape[-1]]
    q_in, q_out = _move_q(rng)
    mb = ModelBuilder()
    x = mb.tensor(in_shape, "int8", q=q_in, name="input")
    y = mb.tensor(out_shape, "int8", q=q_out, name="output")
    b = np.array(block, np.int32)
    mb.op("BATCH_TO_SPACE_ND", [x, _i32(mb, b, "block_shape"), _i32(mb, crops, "crops")], [y])
    return _move_case("batch_to_space_nd", f"{in_shape} block {block} crops {crops.tolist()} ({m} spatial)", mb,
                      [x], [y], [_int8(rng, in_shape)], "batch_to_space_nd_s8", (b, crops))


def gen_space_to_batch_nd(rng: np.random.Generator, padded: bool = False) -> Case:
    """Without padding: TFLM's SpaceToBatchND pads with a value its Prepare
    never sets (uninitialized memory), so padding is compared with numpy
    only (tests/test_kernels.py::test_space_to_batch_nd_padding)."""
    shape, block, pads, full = _space_batch_geometry(rng, padded)
    in_shape = [shape[0], *[f - int(a) - int(b) for f, (a, b) in zip(full, pads, strict=True)], shape[-1]]
    if any(d < 1 for d in in_shape):
        pads = np.zeros_like(pads)
        in_shape = [shape[0], *full, shape[-1]]
    out_shape = [shape[0] * math.prod(block), *[f // b for f, b in zip(full, block, strict=True)], shape[-1]]
    q_in, q_out = _move_q(rng)
    mb = ModelBuilder()
    x = mb.tensor(in_shape, "int8", q=q_in, name="input")
    y = mb.tensor(out_shape, "int8", q=q_out, name="output")
    b = np.array(block, np.int32)
    mb.op("SPACE_TO_BATCH_ND", [x, _i32(mb, b, "block_shape"), _i32(mb, pads, "paddings")], [y])
    return _move_case("space_to_batch_nd", f"{in_shape} block {block} paddings {pads.tolist()}", mb, [x], [y],
                      [_int8(rng, in_shape)], "space_to_batch_nd_s8", (b, pads),
                      {"pad_value": int(np.asarray(q_out.zero_point))})


OPS: dict[str, Callable[[np.random.Generator], Case]] = {
    "conv": gen_conv,
    "conv1x1": gen_conv1x1,
    "conv_deep": gen_conv_deep,
    "dwconv": gen_dwconv,
    "fc": gen_fc,
    "avgpool": gen_avgpool,
    "maxpool": gen_maxpool,
    "add": gen_add,
    "mul": gen_mul,
    "softmax": gen_softmax,
    "quantize": gen_quantize,
    "requantize": gen_requantize,
    "dequantize": gen_dequantize,
    "reshape": gen_reshape,
    "concatenation": gen_concatenation,
    "split": gen_split,
    "mean": gen_mean,
    "sub": gen_sub,
    "maximum": gen_maximum,
    "minimum": gen_minimum,
    "tconv": gen_tconv,
    "pad": gen_pad,
    "padv2": gen_padv2,
    "mirror_pad": gen_mirror_pad,
    "strided_slice": gen_strided_slice,
    "slice": gen_slice,
    "transpose": gen_transpose,
    "pack": gen_pack,
    "unpack": gen_unpack,
    "split_v": gen_split_v,
    "gather": gen_gather,
    "tile": gen_tile,
    "depth_to_space": gen_depth_to_space,
    "space_to_depth": gen_space_to_depth,
    "batch_to_space_nd": gen_batch_to_space_nd,
    "space_to_batch_nd": gen_space_to_batch_nd,
    "sum": gen_sum,
    "reduce_max": gen_reduce_max,
    "reduce_min": gen_reduce_min,
    "arg_max": gen_arg_max,
    "arg_min": gen_arg_min,
    "resize_bilinear": gen_resize_bilinear,
    "resize_nearest_neighbor": gen_resize_nearest_neighbor,
    "l2_normalization": gen_l2_normalization,
    "batch_matmul": gen_batch_matmul,
    "relu": gen_relu,
    "relu6": gen_relu6,
    "leaky_relu": gen_leaky_relu,
    "logistic": gen_logistic,
    "tanh": gen_tanh,
    "hard_swish": gen_hard_swish,
    "abs": gen_abs,
    "elu": gen_elu,
    "rsqrt": gen_rsqrt,
    "prelu": gen_prelu,
    "squared_difference": gen_squared_difference,
}

# The ops tinyrt runs as a LUT (one table of the 256 int8 results): the
# unary functions and int8 -> int8 QUANTIZE.
LUT_OPS = ("relu", "relu6", "leaky_relu", "logistic", "tanh", "hard_swish", "abs", "elu", "rsqrt", "requantize")

# The ops TFLM has no int8 kernel for: LiteRT is their oracle
# (tests/test_litert_ops.py), each a LUT too.
LITERT_OPS: dict[str, Callable[[np.random.Generator], Case]] = {
    "exp": gen_exp,
    "neg": gen_neg,
    "relu_n1_to_1": gen_relu_n1_to_1,
}


# --- shapes for the optimized kernels ---
# Drawn so that their variant takes them (tests/test_dsp_kernels.py): at
# least four input channels, often not a multiple of four, padding, strides
# 1-3, depth multipliers, per-channel scales, extreme zero points.


def _dw_dsp(rng: np.random.Generator, op: str, kernel: tuple[int, int]) -> Case:
    n = _pick(rng, [1, 1, 1, 2])
    h, w = _ints(rng, 1, 9)
    if rng.uniform() < 0.3:
        w = int(rng.integers(10, 41))  # rows with long runs of windows inside the image
    cin = int(rng.integers(4, 21))
    dm = _pick(rng, [1, 1, 1, 2, 3])
    strides = _pick(rng, [[1, 1], [1, 1], [2, 2], [2, 2], [1, 2], [2, 1], [3, 3]])
    dilations = [1, 1] if rng.uniform() < 0.85 else _ints(rng, 1, 2)
    return _conv_case(rng, op, True, (n, h, w, cin), cin * dm, dm, kernel, strides, dilations,
                      extreme_zero_points=0.3)


def gen_dwconv_dsp_3x3(rng: np.random.Generator) -> Case:
    return _dw_dsp(rng, "dwconv_dsp_3x3", (3, 3))


def gen_dwconv_dsp(rng: np.random.Generator) -> Case:
    kernel = (3, 3)
    while kernel == (3, 3):
        kernel = (int(rng.integers(1, 6)), int(rng.integers(1, 6)))
    return _dw_dsp(rng, "dwconv_dsp", kernel)


def gen_fc_dsp(rng: np.random.Generator) -> Case:
    batches, cin, cout = int(rng.integers(1, 4)), int(rng.integers(1, 81)), int(rng.integers(1, 22))
    if rng.uniform() < 0.4:
        # The assembly's depths (multiples of 8), every unit group through it.
        cin = 8 * int(rng.integers(1, 11))
    return _fc_case(rng, "fc_dsp", batches, cin, cout, extreme_zero_points=0.3)


DSP_OPS: dict[str, Callable[[np.random.Generator], Case]] = {
    "dwconv_dsp_3x3": gen_dwconv_dsp_3x3,
    "dwconv_dsp": gen_dwconv_dsp,
    "fc_dsp": gen_fc_dsp,
}

# (op, variant) of kernels/arm_dsp -> the DSP_OPS generator whose cases it
# takes (compiled with kernels ("ref", "arm_dsp"), inplace=variant.inplace).
DSP_VARIANTS: dict[tuple[OpType, Variant], str] = {
    (OpType.DEPTHWISE_CONV_2D, Variant.DSP_3X3): "dwconv_dsp_3x3",
    (OpType.DEPTHWISE_CONV_2D, Variant.DSP_3X3_INPLACE): "dwconv_dsp_3x3",
    (OpType.DEPTHWISE_CONV_2D, Variant.DSP): "dwconv_dsp",
    (OpType.DEPTHWISE_CONV_2D, Variant.DSP_INPLACE): "dwconv_dsp",
    (OpType.FULLY_CONNECTED, Variant.DSP): "fc_dsp",
}


def dsp_cases(op: OpType, variant: Variant, count: int = 500) -> Iterator[Case]:
    """`count` cases the converter gives (op, variant) when compiled with
    kernels ("ref", "arm_dsp") and inplace=variant.inplace: every case of
    the variant's generator, for the in-place variants those of depth
    multiplier 1 (the others run out of place). Deterministic, like make_case."""
    name = DSP_VARIANTS[(op, variant)]
    seed = found = 0
    while found < count:
        case = make_case(name, seed)
        seed += 1
        if variant.inplace and case.params["depth_multiplier"] != 1:
            continue
        found += 1
        yield case


PROBES: dict[str, Callable[[np.random.Generator], Case]] = {
    "probe_multiplier": probe_multiplier,
    "probe_add": probe_add,
    "probe_mul": probe_mul,
    "probe_activation": probe_activation,
    "probe_left_shift": probe_left_shift,
    "probe_sum_left_shift": probe_sum_left_shift,
}
