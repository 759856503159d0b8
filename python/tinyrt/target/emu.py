"""Instructions per inference, counted deterministically in emulation.

build_bench_firmware() links boards/common/bench_main.c with the model blob,
its op table, one input vector, the board's start-up files and its
libtinyrt.a (tinyrt.target.firmware, through SCons). bench() loads that ELF into unicorn
(Thumb-2 M-class for Arm, RV32 for RISC-V), and calls its functions directly,
without the C library's start-up: bench_setup() (trt_model_init, the op hook,
the input), trt_invoke(&bench_model), bench_finish() (outputs to bench_out).

Only trt_invoke is counted. Instructions are counted per translated block
(UC_HOOK_BLOCK) with each block's instruction count decoded once from its
bytes; a block at bench_op_hook marks an op boundary, and the hook's own
instructions are instrumentation and not counted. So the total is exactly
the sum of the per-op counts plus the interpreter's overhead (dispatch,
the hook null-checks and calls, everything between ops).

An instruction counts when it is issued: Thumb instructions in an IT block
whose condition fails count too (the core retires them as no-ops), as do
not-taken conditional branches. (unicorn's per-instruction UC_HOOK_CODE skips
some conditional Thumb instructions, so it gives lower counts on Arm; on
RISC-V, which has no conditional execution, both methods agree exactly.)

Beside the instructions, on Cortex-M4 (and, labelled as reused, M7/M33)
boards: a cycle estimate from the Cortex-M4 TRM's instruction timings
(tinyrt.target.cycles), per block and per op, with milliseconds at the
board's clock. It is an estimate and is named so everywhere it appears."""

from __future__ import annotations

import tempfile
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np
from elftools.elf.elffile import ELFFile

from ..compiler import Compiled, compile_tflite
from ..format import OpType
from .boards import kernel_dirs, load_board
from .cycles import CycleModel, CycleModelError, cycle_model
from .elfsize import SizeReport, elf_size
from .firmware import FirmwareError, build_firmware

STUB = 0x3F000000  # return address for emulated calls (an otherwise unmapped page)



class EmuError(RuntimeError):
    pass


@dataclass
class OpCount:
    index: int
    op: str
    instructions: int
    variant: str = "ref"  # the kernel variant the blob names
    cycles_estimate: int | None = None  # None without a cycle model for the board's CPU


@dataclass
class BenchResult:
    model: str
    board: str
    instructions: int
    per_op: list[OpCount]
    overhead_instructions: int
    arena_bytes: int
    runtime_ram_bytes: int
    flash_code_bytes: int
    flash_model_bytes: int
    bit_exact: bool
    seconds: float
    size: SizeReport | None = None
    extra: dict[str, Any] = field(default_factory=dict)
    # Cortex-M4 TRM timings (tinyrt.target.cycles): None on other CPUs.
    cycles_estimate: int | None = None
    overhead_cycles_estimate: int | None = None
    cycle_model: CycleModel | None = None

    @property
    def ms_estimate(self) -> float | None:
        """Estimated milliseconds per inference at the board's clock (board.py `clock_hz`)."""
        if self.cycles_estimate is None or self.cycle_model is None or not self.cycle_model.clock_hz:
            return None
        return 1000 * self.cycles_estimate / self.cycle_model.clock_hz

    def to_json(self) -> dict[str, Any]:
        return {
            "model": self.model,
            "board": self.board,
            "instructions": self.instructions,
            "arena_bytes": self.arena_bytes,
            "runtime_ram_bytes": self.runtime_ram_bytes,
            "flash_code_bytes": self.flash_code_bytes,
            "flash_model_bytes": self.flash_model_bytes,
            "bit_exact": self.bit_exact,
            "overhead_instructions": self.overhead_instructions,
            "cycles_estimate": self.cycles_estimate,
            "overhead_cycles_estimate": self.overhead_cycles_estimate,
            "ms_estimate": None if self.ms_estimate is None else round(self.ms_estimate, 3),
            "cycle_model": None if self.cycle_model is None else self.cycle_model.describe(),
            "per_op": [{"index": o.index, "op": o.op, "variant": o.variant, "instructions": o.instructions,
                        "cycles_estimate": o.cycles_estimate} for o in self.per_op],
            "flash_runtime_bytes": self.extra.get("flash_runtime_bytes"),
            "flash_kernels_bytes": self.extra.get("flash_kernels_bytes"),
            "emulation_seconds": round(self.seconds, 3),
        }


def build_bench_firmware(board: str, compiled: Compiled, inputs: list[np.ndarray], workdir: Path) -> Path:
    """Link workdir/firmware.elf for `board`: bench_main.c + the blob + one input vector."""
    raws = [np.ascontiguousarray(x) for x in inputs]
    if any(x.dtype != np.int8 for x in raws):
        raise EmuError("bench supports int8 model inputs only")
    try:
        return build_firmware(board, compiled, [np.concatenate([x.reshape(-1) for x in raws])], workdir, app="bench")
    except FirmwareError as e:
        raise EmuError(str(e)) from e


def refuse_unemulated(cpu: str) -> None:
    """Builds for these CPUs use Helium (MVE) and low-overhead loops, which no
    unicorn CPU decodes."""
    if cpu in ("cortex-m55", "cortex-m85"):
        raise EmuError(f"unicorn cannot emulate {cpu} code (Helium/MVE): tinyrt bench counts instructions "
                       "for Cortex-M0/M0+/M3/M4/M7/M33 and RV32 boards")


def _uc() -> Any:
    try:
        import unicorn
    except ImportError as e:  # pragma: no cover
        raise EmuError("tinyrt bench needs the unicorn package (pip install -r requirements.txt)") from e
    return unicorn


class Emulator:
    """A firmware ELF in unicorn, with direct calls of its functions."""

    def __init__(self, elf_path: Path, cpu: str = "cortex-m4") -> None:
        """`cpu`: the -mcpu of an Arm board (unicorn models cortex-m0/m3/m4/m7/m33;
        others run as cortex-m33 for v8-M, else cortex-m7)."""
        unicorn = _uc()
        self.u = unicorn
        with Path(elf_path).open("rb") as f:
            elf = ELFFile(f)
            self.machine = elf["e_machine"]
            self.symbols: dict[str, tuple[int, int]] = {}
            symtab = elf.get_section_by_name(".symtab")
            self.global_pointer: int | None = None
            for s in symtab.iter_symbols():
                if s.name and s["st_info"]["type"] in ("STT_FUNC", "STT_OBJECT") and s["st_shndx"] != "SHN_UNDEF":
                    self.symbols.setdefault(s.name, (s["st_value"], s["st_size"]))
                elif s.name == "__global_pointer$":
                    self.global_pointer = s["st_value"]
            chunks = []
            for sec in elf.iter_sections():
                if sec["sh_flags"] & 2 and sec["sh_size"]:  # SHF_ALLOC
                    data = b"" if sec["sh_type"] == "SHT_NOBITS" else sec.data()
                    chunks.append((sec["sh_addr"], sec["sh_size"], data))
        if self.machine == "EM_ARM":
            from unicorn import arm_const as c

            self.uc = unicorn.Uc(unicorn.UC_ARCH_ARM, unicorn.UC_MODE_THUMB | unicorn.UC_MODE_MCLASS)
            model = getattr(c, "UC_CPU_ARM_" + cpu.upper().replace("-", "_"), None)
            refuse_unemulated(cpu)
            if model is None:
                model = c.UC_CPU_ARM_CORTEX_M33 if cpu in ("cortex-m55", "cortex-m85", "cortex-m23") else \
                    c.UC_CPU_ARM_CORTEX_M7
            self.uc.ctl_set_cpu_model(model)
            self.args = [c.UC_ARM_REG_R0, c.UC_ARM_REG_R1, c.UC_ARM_REG_R2, c.UC_ARM_REG_R3]
            self.sp, self.ret, self.pc = c.UC_ARM_REG_SP, c.UC_ARM_REG_LR, c.UC_ARM_REG_PC
            self.thumb = True
        elif self.machine == "EM_RISCV":
            from unicorn import riscv_const as c

            self.uc = unicorn.Uc(unicorn.UC_ARCH_RISCV, unicorn.UC_MODE_RISCV32)
            self.args = [c.UC_RISCV_REG_A0, c.UC_RISCV_REG_A1, c.UC_RISCV_REG_A2, c.UC_RISCV_REG_A3]
            self.sp, self.ret, self.pc = c.UC_RISCV_REG_SP, c.UC_RISCV_REG_RA, c.UC_RISCV_REG_PC
            self.thumb = False
            # The C start-up, which does not run here, sets gp: the linker
            # relaxes accesses near it to gp-relative ones (small RAMs).
            if self.global_pointer is not None:
                self.uc.reg_write(c.UC_RISCV_REG_GP, self.global_pointer)
        else:
            raise EmuError(f"{elf_path}: unsupported machine {self.machine}")
        # Map every page the sections touch, plus a stack and the return stub.
        pages: set[int] = set()
        for addr, size, _ in chunks:
            pages.update(range(addr >> 12, (addr + size + 0xFFF) >> 12))
        self.stack_top = 0x3E000000
        pages.update(range((self.stack_top - 0x40000) >> 12, self.stack_top >> 12))
        pages.add(STUB >> 12)
        for start, n in _runs(sorted(pages)):
            self.uc.mem_map(start << 12, n << 12)
        for addr, _size, data in chunks:
            if data:
                self.uc.mem_write(addr, data)
        if self.thumb:
            self.uc.mem_write(STUB, b"\x00\xbe")  # bkpt 0 (never executed: emu_start stops there)
        else:
            self.uc.mem_write(STUB, b"\x73\x00\x10\x00")  # ebreak
        self._block_counts: dict[tuple[int, int], int] = {}
        self._block_cycles: dict[tuple[int, int], tuple[int, int]] = {}

    def addr(self, name: str) -> int:
        if name not in self.symbols:
            raise EmuError(f"symbol {name!r} not in the firmware")
        return self.symbols[name][0]

    def read(self, addr: int, n: int) -> bytes:
        return bytes(self.uc.mem_read(addr, n))

    def u32(self, name: str) -> int:
        return int.from_bytes(self.read(self.addr(name), 4), "little")

    def call(self, name: str, *args: int, timeout_instructions: int = 0) -> int:
        for reg, v in zip(self.args, args, strict=False):
            self.uc.reg_write(reg, v & 0xFFFFFFFF)
        self.uc.reg_write(self.sp, self.stack_top)
        start = self.addr(name)
        if self.thumb:
            self.uc.reg_write(self.ret, STUB | 1)
            start |= 1
        else:
            self.uc.reg_write(self.ret, STUB)
        try:
            self.uc.emu_start(start, STUB, count=timeout_instructions)
        except self.u.UcError as e:
            pc = self.uc.reg_read(self.pc)
            raise EmuError(f"emulation of {name}() failed at pc {pc:#x}: {e}") from e
        if self.uc.reg_read(self.pc) & ~1 != STUB:
            raise EmuError(f"{name}() did not return (pc {self.uc.reg_read(self.pc):#x})")
        ret = self.uc.reg_read(self.args[0])
        return ret - (1 << 32) if ret & 0x80000000 else ret

    def block_instructions(self, address: int, size: int) -> int:
        key = (address, size)
        n = self._block_counts.get(key)
        if n is None:
            code = self.read(address, size)
            n, i = 0, 0
            while i < size:
                if self.thumb:
                    hw = code[i] | code[i + 1] << 8 if i + 1 < size else 0
                    i += 4 if (hw >> 11) in (0b11101, 0b11110, 0b11111) else 2
                else:
                    i += 4 if code[i] & 3 == 3 else 2
                n += 1
            self._block_counts[key] = n
        return n

    def block_cycles(self, address: int, size: int, model: CycleModel) -> tuple[int, int]:
        """(instructions, estimated cycles) of a translated block, decoded once."""
        key = (address, size)
        v = self._block_cycles.get(key)
        if v is None:
            try:
                v = model.block_cycles(self.read(address, size), address)
            except CycleModelError as e:
                raise EmuError(str(e)) from e
            if v[0] != self.block_instructions(address, size):
                raise EmuError(f"block at {address:#x}: capstone decodes {v[0]} instructions, "
                               f"the length decoder {self.block_instructions(address, size)}")
            self._block_cycles[key] = v
        return v


def _runs(pages: list[int]) -> list[tuple[int, int]]:
    out: list[tuple[int, int]] = []
    for p in pages:
        if out and out[-1][0] + out[-1][1] == p:
            out[-1] = (out[-1][0], out[-1][1] + 1)
        else:
            out.append((p, 1))
    return out


def count_invoke(emu: Emulator, model: CycleModel | None = None) -> \
        tuple[int, int | None, list[tuple[int, int, int, int, int]]]:
    """Run trt_invoke(&bench_model) counting instructions and, with a cycle
    model (Thumb only), estimating cycles. Returns the instruction total, the
    cycle total (None without a model) and the op events (instructions so
    far, cycles so far, op_index, op_type, end) at each hook call.

    The cycles of a block are its instructions' (decoded once); a block not
    entered at the end of the previous one (a taken branch, call or return)
    adds the model's branch penalty. The hook's own blocks are
    instrumentation, as for instructions: only the call into it is priced,
    and its return lands where the calling block ended (sequential)."""
    if model is not None and not emu.thumb:
        raise EmuError("the cycle estimate models Cortex-M (Thumb) code only")
    hook_lo, hook_size = emu.symbols["bench_op_hook"]
    hook_lo &= ~1
    hook_hi = hook_lo + max(hook_size, 2)
    events: list[tuple[int, int, int, int, int]] = []
    a1, a2, a3 = emu.args[1], emu.args[2], emu.args[3]
    n = cycles = 0
    prev_end = emu.addr("trt_invoke") & ~1  # the call into trt_invoke is not counted
    penalty = model.branch_penalty if model is not None else 0
    counts = emu._block_counts
    priced = emu._block_cycles

    def on_block(uc: Any, address: int, size: int, _user: Any) -> None:
        nonlocal n, cycles, prev_end
        if hook_lo <= address < hook_hi:
            if address == hook_lo:
                cycles += penalty  # the caller's branch into the hook
                events.append((n, cycles, uc.reg_read(a1), uc.reg_read(a2), uc.reg_read(a3)))
            return
        if model is None:
            k = counts.get((address, size))
            n += k if k is not None else emu.block_instructions(address, size)
            return
        v = priced.get((address, size))
        if v is None:
            v = emu.block_cycles(address, size, model)
        n += v[0]
        cycles += v[1] if address == prev_end else v[1] + penalty
        prev_end = address + size

    # unicorn calls a block hook only from blocks translated while it is
    # installed: drop those bench_setup translated (memcpy, loader helpers
    # the ops share), or trt_invoke's runs of them would go uncounted.
    emu.uc.ctl_flush_tb()
    h = emu.uc.hook_add(emu.u.UC_HOOK_BLOCK, on_block)
    try:
        st = emu.call("trt_invoke", emu.addr("bench_model"))
    finally:
        emu.uc.hook_del(h)
    if st != 0:
        raise EmuError(f"trt_invoke returned status {st} in emulation")
    return n, (cycles if model is not None else None), events


def _op_name(t: int) -> str:
    try:
        return OpType(t).name
    except ValueError:
        return f"op{t}"


def bench(model: str | Path, board: str, workdir: Path | None = None, seed: int = 0,
          compiled: Compiled | None = None, kernels: str | None = None) -> BenchResult:
    """Count one inference of `model` on `board` (its kernel variants; `kernels`
    as boards.kernel_dirs: "ref" for the reference kernels everywhere)."""
    # Lazily, as in firmware.seeded_inputs: the host library binding.
    from ..check import random_inputs
    from ..native import Model

    board_data = load_board(board)
    mcpu = [f.split("=", 1)[1] for f in board_data["cpu_flags"] if f.startswith("-mcpu=")]
    cpu = mcpu[0] if mcpu else "cortex-m4"
    refuse_unemulated(cpu)
    model_cycles = cycle_model(board_data)
    compiled = compiled or compile_tflite(Path(model).read_bytes(), kernels=kernel_dirs(board, kernels))
    host = Model(compiled.blob)
    inputs = random_inputs(host.inputs, np.random.default_rng(seed))
    expected = b"".join(np.ascontiguousarray(y).tobytes() for y in host.run(inputs))
    tmp = None
    if workdir is None:
        tmp = tempfile.TemporaryDirectory(prefix="tinyrt-bench-")
        workdir = Path(tmp.name)
    try:
        elf = build_bench_firmware(board, compiled, inputs, Path(workdir))
        size = elf_size(elf, board)
        t1 = time.perf_counter()
        emu = Emulator(elf, cpu)
        st = emu.call("bench_setup")
        if st != 0:
            raise EmuError(f"bench_setup returned {st} in emulation")
        total, total_cycles, events = count_invoke(emu, model_cycles)
        st = emu.call("bench_finish")
        if st != 0:
            raise EmuError(f"bench_finish returned {st} in emulation")
        out = emu.read(emu.addr("bench_out"), emu.u32("bench_out_len"))
        if emu.u32("bench_num_events") != len(events):
            raise EmuError(f"{len(events)} hook calls seen, firmware recorded {emu.u32('bench_num_events')}")
        t2 = time.perf_counter()
    finally:
        if tmp is not None:
            tmp.cleanup()
    per_op: list[OpCount] = []
    starts: dict[int, tuple[int, int, int]] = {}
    for count, cyc, idx, typ, end in events:
        if not end:
            starts[idx] = (count, cyc, typ)
        else:
            n0, c0, t = starts.pop(idx)
            per_op.append(OpCount(idx, _op_name(t), count - n0, compiled.graph.ops[idx].variant.name.lower(),
                                  cycles_estimate=None if total_cycles is None else cyc - c0))
    if starts or len(per_op) != len(compiled.graph.ops):
        raise EmuError(f"op events incomplete: {len(per_op)} ops of {len(compiled.graph.ops)}")
    overhead = total - sum(o.instructions for o in per_op)
    overhead_cycles = None if total_cycles is None else total_cycles - sum(o.cycles_estimate or 0 for o in per_op)
    model_bytes = size.flash["model"]
    return BenchResult(
        model=Path(model).stem, board=board, instructions=total, per_op=per_op, overhead_instructions=overhead,
        arena_bytes=compiled.arena_bytes,
        # RAM the runtime itself needs besides the arena: the trt_model_t.
        runtime_ram_bytes=emu.symbols["bench_model"][1],
        flash_code_bytes=size.flash["runtime"] + size.flash["kernels"],
        flash_model_bytes=model_bytes, bit_exact=out == expected, seconds=t2 - t1,
        size=size,
        extra={"flash_runtime_bytes": size.flash["runtime"], "flash_kernels_bytes": size.flash["kernels"]},
        cycles_estimate=total_cycles, overhead_cycles_estimate=overhead_cycles,
        cycle_model=model_cycles if total_cycles is not None else None,
    )


def plot(result: BenchResult, path: str | Path) -> None:
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    fig, ax = plt.subplots(figsize=(max(6, 0.35 * len(result.per_op) + 2), 4))
    xs = [o.index for o in result.per_op]
    cyc = result.cycles_estimate is not None
    width = 0.4 if cyc else 0.8
    ax.bar([x - width / 2 if cyc else x for x in xs], [o.instructions for o in result.per_op], width,
           color="tab:blue", label="instructions")
    if cyc:
        ax.bar([x + width / 2 for x in xs], [o.cycles_estimate or 0 for o in result.per_op], width,
               color="tab:orange", label="cycles (est.)")
        ax.legend(fontsize=8)
    ax.set_xticks(xs, [f"{o.index} {o.op}" for o in result.per_op], rotation=90, fontsize=7)
    ax.set_ylabel("instructions, cycles (est.)" if cyc else "instructions")
    title = (f"{result.model} on {result.board}: {result.instructions:,} instructions "
             f"({result.overhead_instructions:,} interpreter overhead)")
    if cyc:
        title += f"\n{result.cycles_estimate:,} cycles (est.)"
    ax.set_title(title, fontsize=9)
    fig.tight_layout()
    fig.savefig(path, dpi=120)
    plt.close(fig)


__all__ = ["BenchResult", "EmuError", "Emulator", "FirmwareError", "OpCount", "bench", "build_bench_firmware",
           "count_invoke", "plot"]
