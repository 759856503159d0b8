"""The offline pipeline in one call: .tflite -> lowered graph -> memory plan -> blob."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from . import format as fmt
from .blob import write_blob, write_c_array
from .convert import ConvertError, Graph, convert
from .plan import Plan, plan
from .variants import PORTABLE


@dataclass
class Compiled:
    graph: Graph
    plan: Plan
    blob: bytes

    @property
    def arena_bytes(self) -> int:
        return self.plan.arena_bytes

    def c_array(self, name: str) -> tuple[str, str]:
        return write_c_array(self.blob, name)


def compile_tflite(model: bytes | Path | str, inplace: bool = True, kernels: Sequence[str] = PORTABLE) -> Compiled:
    """Convert, plan and serialize a .tflite model (bytes or path), with the
    kernel variants of the directories `kernels` (see tinyrt.variants)."""
    graph = convert(model, inplace=inplace, kernels=kernels)
    p = plan(graph)
    _check_sizes(graph, p)
    blob = write_blob(graph, p)
    loader_check(blob)
    return Compiled(graph, p, blob)


U32_MAX = 2**32 - 1


def _check_sizes(graph: Graph, p: Plan) -> None:
    """The blob's sizes and offsets are uint32: refuse an arena or constant
    data beyond them, naming the peak op and the largest tensor."""
    if p.arena_bytes > U32_MAX:
        big = max((t for t in graph.tensors if t.data is None), key=lambda t: t.bytes)
        op = graph.ops[p.peak_op].source if graph.ops else "graph"
        raise ConvertError(f"{op}: the arena needs {p.arena_bytes:,} bytes (largest tensor '{big.name}' "
                           f"{list(big.shape)}, {big.bytes:,} bytes); supported: at most {U32_MAX:,} (uint32 "
                           "sizes of the blob format)")
    consts = sum(fmt.align(t.bytes) for t in graph.tensors if t.data is not None)
    if consts > U32_MAX // 2:
        big = max((t for t in graph.tensors if t.data is not None), key=lambda t: t.bytes)
        raise ConvertError(f"graph: {consts:,} bytes of constants (largest '{big.name}' {list(big.shape)}); "
                           f"supported: at most {U32_MAX // 2:,}")


def loader_check(blob: bytes) -> None:
    """The converter and the loader never disagree: run the host C loader's
    validation (trt_model_init, every check of the blob) on what was written.
    A refusal here is a converter bug: some check of the loader has no
    converter counterpart yet."""
    from .native import TinyrtError, arena_required, ffi, lib

    try:
        need = arena_required(blob)
        words = ffi.new("uint32_t[]", max(1, (len(blob) + 3) // 4))
        ffi.memmove(words, blob, len(blob))
        # np.zeros is calloc: pages the loader never touches (it writes only
        # state tensors) are never committed, so a large arena costs little.
        arena = np.zeros(max(1, (need + 3) // 4), np.uint32)
        model = ffi.new("trt_model_t *")
        status = lib.trt_model_init(model, words, len(blob), ffi.from_buffer("uint32_t[]", arena), need)
        if status != lib.TRT_OK:
            raise TinyrtError(status, "trt_model_init")
    except TinyrtError as exc:
        raise ConvertError(f"internal error: the loader refuses the blob the converter wrote: {exc}; "
                           "please report this model") from None
