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

    def operands(self) -> list[np.ndarray]:
        """The kernel's tensor operands: the inputs, the constants spliced in."""
        fed = iter(self.inputs)
        count = len(self.inputs) + len(self.constants)
        return [self.constants[i] if i in self.constants else next(fed) for i in range(count)]

    def references(self) -> list[np.ndarray]:
        """The numpy reference of every model output, in order: run_tflm's list,
        bit for bit. Multi-output kernels (split_s8) return such a list."""
        kernel: Callable[..., np.ndarray | list[np.ndarray]] = getattr(ref, self.kernel)
        out = kernel(*self.operands(), *self.args, **self.params)
        return out if isinstance(out, list) else [out]

    def reference(self) -> np.ndarray:
        """The numpy reference output of a single-output op, which must equal TFLM's bit for bit."""
        outputs = self.references()
        if len(outputs) != 1:
            raise ValueError(f"{self.op} has {len(outputs)} outputs: compare references() with all of TFLM's")
        return outputs[0]


def make_case(op: str, seed: int) -> Case:
    # One stream per (op, seed): changing one generator never changes another's cases.
    return {**OPS, **PROBES, **DSP_OPS}[op](np.random.default_rng([zlib.crc32(op.encode()), seed]))


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


def _gen_conv2d(rng: np.random.Generator, depthwise: bool, pointwise: bool = False) -> Case:
    n, h, w = _image(rng, 8)
    if pointwise:
        dm, kh, kw = 1, 1, 1
        cin, cout, strides, dilations = _pointwise_shape(rng)
    else:
        cin = int(rng.integers(1, 8))
        dm = _pick(rng, [1, 1, 2, 3]) if depthwise else 1
        cout = cin * dm if depthwise else int(rng.integers(1, 10))
        kh, kw = _ints(rng, 1, 5)
        strides = _ints(rng, 1, 3)
        dilations = [1, 1] if rng.uniform() < 0.5 else _ints(rng, 1, 3)
    return _conv_case(rng, "dwconv" if depthwise else "conv1x1" if pointwise else "conv", depthwise,
                      (n, h, w, cin), cout, dm, (kh, kw), strides, dilations)


def _conv_case(
    rng: np.random.Generator, op: str, depthwise: bool, in_shape: tuple[int, int, int, int], cout: int, dm: int,
    kernel: tuple[int, int], strides: list[int], dilations: list[int], extreme_zero_points: float = 0.0,
) -> Case:  # fmt: skip
    """A CONV_2D or DEPTHWISE_CONV_2D case of the given shape; the rest drawn.
    `extreme_zero_points`: the probability of input and output zero points
    at -128 or 127 (each drawn either way, so the draws do not change)."""
    n, h, w, cin = in_shape
    kh, kw = kernel
    padding, out_h, out_w, pad_top, pad_left = _window(rng, h, w, kh, kw, strides, dilations)
    act = _pick(rng, quant.ACTIVATIONS)

    s_in, zp_in = _scale(rng, 1e-3, 1.0), _zero_point(rng)
    s_w = _filter_scales(rng, cout, 0.7)
    acc = _typical_acc(kh * kw * (1 if depthwise else cin))
    s_out = float(np.float32(s_in * float(np.median(s_w)) * acc / 64 * _output_scale_factor(rng)))
    zp_out = _zero_point(rng)
    if extreme_zero_points:
        zp_in, zp_out = _extreme(rng, zp_in, extreme_zero_points), _extreme(rng, zp_out, extreme_zero_points)

    filt = _weights(rng, (1, kh, kw, cout) if depthwise else (cout, kh, kw, cin))
    mb = ModelBuilder()
    x = mb.tensor([n, h, w, cin], "int8", q=QParams(s_in, zp_in), name="input")
    wt = mb.tensor(filt.shape, "int8", q=_as_q(s_w, 3 if depthwise else 0), data=filt, name="filter")
    # TFLM's depthwise Prepare dereferences a missing bias (segfault), so it is mandatory there.
    bt, bias = _add_bias(rng, mb, cout, s_in, s_w, 2 * acc, optional=not depthwise)
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


def gen_dwconv(rng: np.random.Generator) -> Case:
    return _gen_conv2d(rng, depthwise=True)


def gen_conv1x1(rng: np.random.Generator) -> Case:
    return _gen_conv2d(rng, depthwise=False, pointwise=True)


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
    c = int(rng.integers(1, 8))
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


def gen_mean(rng: np.random.Generator) -> Case:
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
    s_in, zp_in = _scale(rng, 1e-3, 10.0), _zero_point(rng)
    q = rng.uniform()
    if q < 0.3:
        s_out, zp_out = s_in, zp_in  # TFLite's usual MEAN: quantized like the input
    elif q < 0.4:
        s_out, zp_out = s_in, _zero_point(rng)
    else:
        # Extreme ratios now and then: outputs saturate or collapse.
        spread = 1e4 if rng.uniform() < 0.15 else 10.0
        s_out, zp_out = float(np.float32(s_in * _log_uniform(rng, 1 / spread, spread))), _zero_point(rng)
    data = _int8(rng, shape)
    if rng.uniform() < 0.2:  # all near one value: rounding ties matter
        v = int(rng.integers(-128, 127))
        data = rng.integers(v, v + 2, size=tuple(shape)).astype(np.int8)

    mb = ModelBuilder()
    x = mb.tensor(shape, "int8", q=QParams(s_in, zp_in), name="input")
    axes_shape = (len(axes),) if len(axes) != 1 or rng.uniform() < 0.7 else ()
    at = mb.tensor(axes_shape, "int32", data=np.array(axes, np.int32).reshape(axes_shape), name="axes")
    y = mb.tensor(out_shape, "int8", q=QParams(s_out, zp_out), name="output")
    mb.op("MEAN", [x, at], [y], keep_dims=keep)
    count = math.prod(shape[a] for a in reduced)
    return Case(
        op="mean",
        desc=(f"{tuple(shape)} axes {axes} keep_dims {keep} -> {tuple(out_shape)} s_in {s_in:.3g} zp_in {zp_in} "
              f"s_out {s_out:.3g} zp_out {zp_out}"),
        model=mb.build([x], [y]),
        inputs=[data],
        kernel="mean_s8",
        params=dict(axes=quant.mean_axes(rank, axes), keep_dims=keep,
                    **quant.mean_params(s_in, zp_in, s_out, zp_out, count)),
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


OPS: dict[str, Callable[[np.random.Generator], Case]] = {
    "conv": gen_conv,
    "conv1x1": gen_conv1x1,
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
}
