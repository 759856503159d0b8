"""Op coverage next to TFLM's: for every builtin operator TFLM registers,
whether tinyrt runs it (a runtime op, int8), handles it offline only
(computed by the converter, no runtime op), or not at all, with the runtime
op(s) it becomes, in-place variants, optimized variants and the oracle its
tests compare with. Generated from the op list (format.OpType,
format.KERNELS) and the converter's lowerings (convert.SUPPORTED_OPS,
FOLDED_ONLY, LOWERED_AS, INPLACE_COPY_OPS, LITERT_CHECKED_OPS), so it
follows the code: `tinyrt ops --markdown` prints it, the README holds its
output."""

from __future__ import annotations

from dataclasses import dataclass

from . import format as fmt

# The builtin operators the tflite-micro Python interpreter (the oracle, all
# ops registered) resolves: its Register_<OP> functions whose name is a
# BuiltinOperator (tests/test_coverage.py re-derives the list from the
# installed library). TFLM's custom operators (TFLite_Detection_PostProcess,
# CIRCULAR_BUFFER, ETHOSU and the signal library's) are not builtins.
TFLM_BUILTIN_OPS: tuple[str, ...] = (
    "ABS", "ADD", "ADD_N", "ARG_MAX", "ARG_MIN", "ASSIGN_VARIABLE", "AVERAGE_POOL_2D", "BATCH_MATMUL",
    "BATCH_TO_SPACE_ND", "BROADCAST_ARGS", "BROADCAST_TO", "CALL_ONCE", "CAST", "CEIL", "CONCATENATION", "CONV_2D",
    "COS", "CUMSUM", "DEPTHWISE_CONV_2D", "DEPTH_TO_SPACE", "DEQUANTIZE", "DIV", "DYNAMIC_UPDATE_SLICE", "ELU",
    "EMBEDDING_LOOKUP", "EQUAL", "EXP", "EXPAND_DIMS", "FILL", "FLOOR", "FLOOR_DIV", "FLOOR_MOD", "FULLY_CONNECTED",
    "GATHER", "GATHER_ND", "GREATER", "GREATER_EQUAL", "HARD_SWISH", "IF", "L2_NORMALIZATION", "L2_POOL_2D",
    "LEAKY_RELU", "LESS", "LESS_EQUAL", "LOG", "LOGICAL_AND", "LOGICAL_NOT", "LOGICAL_OR", "LOGISTIC", "LOG_SOFTMAX",
    "MAXIMUM", "MAX_POOL_2D", "MEAN", "MINIMUM", "MIRROR_PAD", "MUL", "NEG", "NOT_EQUAL", "PACK", "PAD", "PADV2",
    "PRELU", "QUANTIZE", "READ_VARIABLE", "REDUCE_ALL", "REDUCE_MAX", "REDUCE_MIN", "RELU", "RELU6", "RESHAPE",
    "RESIZE_BILINEAR", "RESIZE_NEAREST_NEIGHBOR", "REVERSE_V2", "ROUND", "RSQRT", "SELECT_V2", "SHAPE", "SIN",
    "SLICE", "SOFTMAX", "SPACE_TO_BATCH_ND", "SPACE_TO_DEPTH", "SPLIT", "SPLIT_V", "SQRT", "SQUARE",
    "SQUARED_DIFFERENCE", "SQUEEZE", "STRIDED_SLICE", "SUB", "SUM", "SVDF", "TANH", "TRANSPOSE", "TRANSPOSE_CONV",
    "UNIDIRECTIONAL_SEQUENCE_LSTM", "UNPACK", "VAR_HANDLE", "WHILE", "ZEROS_LIKE",
)


@dataclass(frozen=True)
class Row:
    op: str  # TFLM builtin operator
    support: str  # "yes", "offline-only" or "no"
    runtime_ops: tuple[fmt.OpType, ...]
    in_place: str  # "yes" (an in-place variant), "aliased" (RESHAPE: no copy) or ""
    optimized: tuple[str, ...]  # "variant (kernel dir)"
    oracle: str  # what its generated cases are checked against: "TFLM", "LiteRT", "numpy", or ""


def runtime_ops(name: str) -> tuple[fmt.OpType, ...]:
    """The runtime ops a .tflite operator with a lowering becomes."""
    from .convert import FOLDED_ONLY, LOWERED_AS

    if name in FOLDED_ONLY:
        return ()
    if name in LOWERED_AS:
        return LOWERED_AS[name]
    return (fmt.OpType[name],) if name in fmt.OpType.__members__ else ()


def _oracle(name: str, supported: bool) -> str:
    from .convert import LITERT_CHECKED_OPS

    if not supported:
        return ""
    # TFLM has no int8 kernel for these, or (TILE) no kernel at all.
    return "LiteRT" if name in LITERT_CHECKED_OPS else "TFLM" if name in TFLM_BUILTIN_OPS else "numpy"


def rows() -> list[Row]:
    from .convert import FOLDED_ONLY, INPLACE_COPY_OPS, SUPPORTED_OPS

    out = []
    for name in sorted(set(TFLM_BUILTIN_OPS) | set(SUPPORTED_OPS)):
        ops = runtime_ops(name) if name in SUPPORTED_OPS else ()
        support = "offline-only" if name in FOLDED_ONLY else "yes" if name in SUPPORTED_OPS else "no"
        pairs = [(d, v) for d, ks in fmt.KERNELS.items() for o, v in ks if o in ops]
        # COPY runs in place only for the ops of INPLACE_COPY_OPS.
        inplace = any(v.inplace for _, v in pairs) and (fmt.OpType.COPY not in ops or name in INPLACE_COPY_OPS)
        # The planner gives a RESHAPE's input and output one buffer (plan._aliases).
        in_place = "yes" if inplace else "aliased" if fmt.OpType.RESHAPE in ops else ""
        out.append(Row(name, support, ops, in_place, tuple(f"{v.name.lower()} ({d})" for d, v in pairs if d != "ref"),
                       _oracle(name, name in SUPPORTED_OPS)))
    return out


def markdown() -> str:
    """The coverage table as Markdown, with a summary line."""
    table = rows()
    lines = [
        "| TFLM builtin op | tinyrt int8 | tinyrt runtime op | in place | optimized variants | checked against |",
        "|---|---|---|---|---|---|",
    ]
    for r in table:
        tflm = "" if r.op in TFLM_BUILTIN_OPS else " (not in TFLM)"
        lines.append(f"| {r.op}{tflm} | {r.support} | {', '.join(o.name for o in r.runtime_ops) or '-'} | "
                     f"{r.in_place} | {', '.join(r.optimized) or '-'} | {r.oracle or '-'} |")
    count = {s: sum(r.support == s for r in table if r.op in TFLM_BUILTIN_OPS) for s in ("yes", "offline-only")}
    lines.append("")
    lines.append(f"{len(TFLM_BUILTIN_OPS)} TFLM builtin ops: {count['yes']} run by tinyrt (int8), "
                 f"{count['offline-only']} computed offline only, "
                 f"{len(TFLM_BUILTIN_OPS) - count['yes'] - count['offline-only']} not supported; "
                 f"{sum(r.oracle == 'LiteRT' for r in table)} checked against LiteRT, which has the int8 kernel "
                 "TFLM lacks.")
    return "\n".join(lines) + "\n"


__all__ = ["TFLM_BUILTIN_OPS", "Row", "markdown", "rows", "runtime_ops"]
