"""Offline memory planning: tensor lifetimes and best-fit offsets in one arena.

`place()` is the planner proper, with a plain input (buffers: size and the
first and last op index at which each is live) and output (offsets).
`plan()` builds those buffers from a Graph: tensors that must share storage
(the output and input 0 of an op run by an in-place variant, a reshape and its
input) become one buffer; kernel scratch is a buffer live for its op only;
persistent tensors (state kept across invocations) are live throughout, so
nothing else ever shares their space.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from .format import OpType, Storage, align
from .ir import Graph


@dataclass
class Buffer:
    name: str
    size: int
    first: int  # first op index at which it is live
    last: int  # last op index at which it is live (inclusive)
    tensors: list[int] = field(default_factory=list)  # graph tensor ids sharing it
    scratch_of: int = -1  # op index, for kernel scratch
    offset: int = -1

    def overlaps(self, other: Buffer) -> bool:
        return self.first <= other.last and other.first <= self.last


@dataclass
class Plan:
    buffers: list[Buffer]
    arena_bytes: int
    peak_op: int
    peak_live_bytes: int
    tensor_offsets: dict[int, int]
    scratch_offsets: dict[int, int]


def place(buffers: list[Buffer], alignment: int = 4) -> int:
    """Give every buffer an offset so that buffers live at the same time never
    overlap; returns the arena size. Largest first, each into the tightest gap
    among the buffers already placed that it meets (best fit)."""
    placed: list[Buffer] = []
    for buf in sorted(buffers, key=lambda b: (-b.size, b.first, b.name)):
        size = align(buf.size, alignment)
        best: tuple[int, int] | None = None  # (slack, offset)
        cursor = 0
        for other in sorted((p for p in placed if p.overlaps(buf)), key=lambda p: p.offset):
            gap = other.offset - cursor
            if gap >= size and (best is None or gap - size < best[0]):
                best = (gap - size, cursor)
            cursor = max(cursor, align(other.offset + other.size, alignment))
        buf.offset = best[1] if best is not None else cursor
        placed.append(buf)
    return max((align(b.offset + b.size, alignment) for b in buffers), default=0)


def _aliases(graph: Graph) -> dict[int, int]:
    """tensor id -> id of the tensor whose storage it reuses."""
    alias: dict[int, int] = {}
    for i, op in enumerate(graph.ops):
        src = op.inputs[0]
        if op.variant.inplace:
            alias[op.output] = src
        elif (
            op.type == OpType.RESHAPE
            and graph.tensors[src].storage == Storage.ARENA
            and src not in graph.outputs
            and graph.consumers(src) == [i]
        ):
            alias[op.output] = src
    return alias


def plan(graph: Graph) -> Plan:
    n = len(graph.ops)
    first: dict[int, int] = {t: 0 for t in graph.inputs}
    last: dict[int, int] = {}
    for i, op in enumerate(graph.ops):
        for t in op.outputs:
            first.setdefault(t, i)
            last[t] = max(last.get(t, i), i)
        for t in op.inputs:
            if t >= 0:
                last[t] = max(last.get(t, i), i)
    for t in graph.outputs:
        last[t] = n - 1
    for t, tensor in enumerate(graph.tensors):
        if tensor.storage == Storage.PERSISTENT:
            first[t], last[t] = 0, max(n - 1, 0)

    alias = _aliases(graph)

    def root(t: int) -> int:
        while t in alias:
            t = alias[t]
        return t

    groups: dict[int, Buffer] = {}
    for t, tensor in enumerate(graph.tensors):
        if tensor.storage == Storage.CONST or t not in first:
            continue
        r = root(t)
        buf = groups.setdefault(r, Buffer(graph.tensors[r].name, 0, first[t], last.get(t, first[t])))
        buf.size = max(buf.size, tensor.bytes)
        buf.first = min(buf.first, first[t])
        buf.last = max(buf.last, last.get(t, first[t]))
        buf.tensors.append(t)
    buffers = list(groups.values())
    for i, op in enumerate(graph.ops):
        if op.scratch_bytes:
            buffers.append(Buffer(f"scratch of op {i}", op.scratch_bytes, i, i, scratch_of=i))

    arena = place(buffers)
    live = [sum(b.size for b in buffers if b.first <= i <= b.last) for i in range(n)]
    peak = max(range(n), key=lambda i: live[i]) if n else 0
    return Plan(
        buffers=buffers,
        arena_bytes=arena,
        peak_op=peak,
        peak_live_bytes=live[peak] if n else 0,
        tensor_offsets={t: b.offset for b in buffers for t in b.tensors},
        scratch_offsets={b.scratch_of: b.offset for b in buffers if b.scratch_of >= 0},
    )


def plot(graph: Graph, p: Plan, path: str | Path, title: str = "") -> None:
    """Draw the arena over op index: one rectangle per buffer."""
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt
    from matplotlib.patches import Rectangle

    fig, ax = plt.subplots(figsize=(max(6.0, 0.35 * len(graph.ops) + 3), 5))
    # tab20 without its greys, which mark scratch.
    palette = [c for i, c in enumerate(plt.get_cmap("tab20").colors) if i not in (14, 15)]
    for k, b in enumerate(sorted(p.buffers, key=lambda b: (b.first, b.offset))):
        inplace = any(op.variant.inplace and op.output in b.tensors for op in graph.ops)
        color = "lightgrey" if b.scratch_of >= 0 else palette[k % len(palette)]
        ax.add_patch(Rectangle((b.first - 0.45, b.offset), b.last - b.first + 0.9, b.size, facecolor=color,
                               edgecolor="black", linewidth=0.6, hatch="//" if inplace else None))
    ax.set_xlim(-1, max(len(graph.ops), 1))
    ax.set_ylim(0, max(p.arena_bytes, 1) * 1.05)
    ax.axhline(p.arena_bytes, color="red", linewidth=0.8)
    ax.set_xlabel("op index")
    ax.set_ylabel("arena offset (bytes)")
    ax.set_title(title or f"arena {p.arena_bytes:,} bytes, peak at op {p.peak_op}")
    ax.set_xticks(range(len(graph.ops)))
    labels = [f"{i} {op.type.name.lower()}{'*' if op.variant.inplace else ''}" for i, op in enumerate(graph.ops)]
    ax.set_xticklabels(labels, fontsize=6, rotation=90)
    fig.text(0.01, 0.01, "hatched / *: in-place kernel; grey: kernel scratch", fontsize=7)
    fig.tight_layout()
    fig.savefig(path, dpi=120)
    plt.close(fig)
