"""Kernel variants chosen offline, per layer, for a target's kernel directories.

A board builds the kernel directories its board.py lists (`kernel_dirs`);
the converter gives each op the best variant among those directories' pairs
(format.KERNELS) that takes the op's shape. The reference variants take every
shape and come last. What a variant takes comes from its kernel's own C
predicate and scratch size function (through the host binding, which builds
every portable kernel directory), the very functions the loader calls, so
the converter and the loader cannot disagree.

A candidate may also lay the op's constants out for its inner loop offline
(`prepare`: weights reordered, the input zero point folded into the bias);
it then owns the op's constants (the lowering gives each op its own).

`select_kernels(graph, dirs)` runs after the in-place choice
(convert.choose_inplace): an op the planner runs in place only takes an
in-place candidate, an out-of-place op an out-of-place one."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass

from .format import KERNELS, OpType, Variant
from .ir import Graph, Op

# The kernel directories of a blob that runs on every board.
PORTABLE: tuple[str, ...] = ("ref",)


@dataclass(frozen=True)
class Candidate:
    op: OpType
    variant: Variant
    # Scratch bytes when the variant runs this op (its shape, its params), else None.
    takes: Callable[[Graph, Op], int | None]
    # The variant's offline layout of the op's constants, if it has one.
    prepare: Callable[[Graph, Op], None] | None = None


# Per kernel directory, most specific first. The reference directory needs no
# entry: an op keeps its reference variant when no candidate takes it.
CANDIDATES: dict[str, tuple[Candidate, ...]] = {
    "arm_dsp": (),
}


class KernelsError(ValueError):
    pass


def check_dirs(dirs: Sequence[str]) -> tuple[str, ...]:
    """The kernel directories, validated; the reference is always there."""
    unknown = [d for d in dirs if d not in KERNELS]
    if unknown:
        raise KernelsError(f"unknown kernel directory {', '.join(unknown)}; known: {', '.join(KERNELS)}")
    return tuple(dict.fromkeys(["ref", *dirs]))


def select_kernels(graph: Graph, dirs: Sequence[str]) -> None:
    """Give each op the first candidate of `dirs` (optimized directories
    before the reference) that takes it."""
    optimized = [d for d in check_dirs(dirs) if d != "ref"]
    for op in graph.ops:
        for d in optimized:
            chosen = _first_taker(graph, op, CANDIDATES.get(d, ()))
            if chosen is not None:
                candidate, scratch = chosen
                if candidate.prepare is not None:
                    candidate.prepare(graph, op)
                op.variant, op.scratch_bytes = candidate.variant, scratch
                break


def _first_taker(graph: Graph, op: Op, candidates: Sequence[Candidate]) -> tuple[Candidate, int] | None:
    for c in candidates:
        if c.op == op.type and c.variant.inplace == op.variant.inplace:
            scratch = c.takes(graph, op)
            if scratch is not None:
                return c, scratch
    return None


__all__ = ["CANDIDATES", "PORTABLE", "Candidate", "KernelsError", "check_dirs", "select_kernels"]
