"""The offline pipeline in one call: .tflite -> lowered graph -> memory plan -> blob."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from .blob import write_blob, write_c_array
from .convert import Graph, convert
from .plan import Plan, plan


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


def compile_tflite(model: bytes | Path | str, inplace: bool = True) -> Compiled:
    """Convert, plan and serialize a .tflite model (bytes or path)."""
    graph = convert(model, inplace=inplace)
    p = plan(graph)
    return Compiled(graph, p, write_blob(graph, p))
