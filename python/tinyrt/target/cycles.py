"""A Cortex-M4 cycle estimate beside the emulated instruction counts.

unicorn executes instructions but has no notion of time, so `tinyrt bench`
prices what it runs with the Cortex-M4 Technical Reference Manual (ARM 100166,
3.3.1 "Table of processor instructions" and 3.3.2 "Load/store timings"). Each
translated block is decoded once with capstone and priced from that table;
each non-sequential block entry (a taken branch, a call, a return) adds the
pipeline refill P and the flash wait states. The figure is an estimate, and
everything that shows it says so.

What it models, per instruction:
- 1 cycle for data processing, shifts, compares, moves, bit fields, extends,
  saturation, MUL, MLA, MLS, the long multiplies SMULL, UMULL, SMLAL, UMLAL
  and the DSP multiplies (SMLAD, SMLALD, SMLAxy, SMUAD, SMULxy, SMULWy, SMMLA,
  ...): the Cortex-M4 does all of these in one cycle (unlike the Cortex-M3).
- single loads 2 cycles; a load or store right after a single load (no base
  writeback, its destination not used for the new address) 1 cycle (the
  TRM's pipelined pairs: LDR;LDR 3, LDR;STR 3, LDR;LDR;LDR 4). STR with an
  immediate offset 1 cycle ("always one cycle": its data phase overlaps the
  next instruction), with a register offset 2. A load or store whose address
  register the previous data-processing instruction wrote: 1 more (no
  forwarding to the address generation).
- LDRD/STRD 3 (1 + N, N = 2); LDM, STM, PUSH, POP 1 + N registers; VLDM,
  VSTM, VPUSH, VPOP 1 + N words; VLDR, VSTR 2.
- SDIV/UDIV `divide` cycles: the TRM gives 2 to 12 (early termination on
  the operands' leading bits, which a block-level model does not see); the
  default is 7, the middle of that range.
- VDIV, VSQRT 14; the chained FP multiply-accumulates 3; other FP 1.
- branches 1, TBB/TBH 2, plus P when they leave the sequential path;
  IT 0 when it follows a 16-bit instruction (folded), else 1.
- P, the pipeline refill, is 1 to 3 in the TRM (target alignment, width,
  early speculation); the model uses `refill` = 2 for every taken branch,
  call, return and load to PC.
- flash wait states (board.py `flash_wait_states`): paid on each
  non-sequential fetch only. Sequential fetches are assumed hidden by the
  prefetch buffer (the STM32 ART accelerator's prefetch), and taken branches
  are assumed to miss its instruction cache: pessimistic for short loops
  that stay in the ART cache.

What it does not model: data-side wait states (weights read from flash are
priced like SRAM), bus contention, unaligned accesses, the operand-dependent
divide time, IT-skipped instructions (priced as executed), pairing across a
block boundary, interrupts. Cortex-M7 and Cortex-M33 boards get the same
table, labelled so: the M7's dual issue and branch prediction make it
pessimistic there."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Any

# The cores the table is for, and those that reuse it as a rough figure.
NATIVE_CPUS = ("cortex-m4",)
REUSED_CPUS = ("cortex-m7", "cortex-m33", "cortex-m35p")


class CycleModelError(RuntimeError):
    pass


def _arm() -> Any:
    try:
        from capstone import arm_const
    except ImportError as e:  # pragma: no cover
        raise CycleModelError("the cycle estimate needs the capstone package (pip install -r requirements.txt)") from e
    return arm_const


def _ids(a: Any, names: str) -> frozenset[int]:
    return frozenset(getattr(a, "ARM_INS_" + n) for n in names.split())


@dataclass(frozen=True)
class CycleModel:
    """The Cortex-M4 timing table with a board's fetch parameters."""

    cpu: str = "cortex-m4"
    refill: int = 2  # P
    flash_wait_states: int = 0
    divide: int = 7
    clock_hz: int | None = None

    @property
    def label(self) -> str:
        if self.cpu in NATIVE_CPUS:
            return "Cortex-M4 TRM timings (estimate)"
        return f"Cortex-M4 TRM timings applied to {self.cpu} (rough estimate)"

    @property
    def branch_penalty(self) -> int:
        """Cycles a non-sequential fetch adds: refill plus the flash wait states."""
        return self.refill + self.flash_wait_states

    def describe(self) -> dict[str, Any]:
        return {"table": self.label, "cpu": self.cpu, "refill": self.refill,
                "flash_wait_states": self.flash_wait_states, "divide": self.divide, "clock_hz": self.clock_hz}

    def block_cycles(self, code: bytes, address: int) -> tuple[int, int]:
        """(instructions, cycles) of one straight-line block of Thumb code,
        without the refill of the branch that enters it (the caller adds
        `branch_penalty` when the block is not entered sequentially)."""
        insns = list(_disassembler().disasm(code, address))
        decoded = sum(i.size for i in insns)
        if decoded != len(code):
            raise CycleModelError(f"capstone cannot decode the instruction at {address + decoded:#x}")
        return len(insns), self.sequence_cycles(insns)

    def sequence_cycles(self, insns: Iterable[Any]) -> int:
        a = _arm()
        t = _tables()
        total = 0
        prev: Any = None
        for insn in insns:
            total += self._cost(insn, prev, a, t)
            prev = insn
        return total

    def _cost(self, insn: Any, prev: Any, a: Any, t: _Tables) -> int:
        i = insn.id
        if i in t.single:
            mem = next((o.mem for o in insn.operands if o.type == a.ARM_OP_MEM), None)
            if mem is None:
                return 2
            addr_regs = {mem.base, mem.index} - {a.ARM_REG_INVALID}
            # Not pipelined: a load with base writeback (behind a load, or with
            # one behind it) and a load to PC (a blocking operation).
            if prev is not None and prev.id in t.loads and not prev.writeback and not (
                    i in t.loads and (insn.writeback or a.ARM_REG_PC in insn.regs_access()[1])):
                dest = set(prev.regs_access()[1])
                if a.ARM_REG_PC not in dest and not dest & addr_regs:
                    return 1  # pipelined behind the previous load
            cost = 1 if i in t.stores and mem.index == a.ARM_REG_INVALID else 2
            if prev is not None and prev.id not in t.memory and set(prev.regs_access()[1]) & addr_regs:
                cost += 1  # address from the previous ALU result: no forwarding path
            return cost
        if i in t.double:
            return 3
        if i in t.multiple:
            regs = sum(1 for o in insn.operands if o.type == a.ARM_OP_REG)
            return 1 + regs - (1 if i in t.with_base else 0)
        if i in t.fp_multiple:
            words = sum(2 if insn.reg_name(o.reg).startswith("d") else 1
                        for o in insn.operands if o.type == a.ARM_OP_REG)
            return 1 + words - (1 if i in t.with_base else 0)
        if i in t.fp_single:
            return 2
        if i in t.table_branch:
            return 2
        if i in t.divide:
            return self.divide
        if i in t.fp_slow:
            return 14
        if i in t.fp_chained:
            return 3
        if i == a.ARM_INS_IT:
            return 0 if prev is not None and prev.size == 2 else 1
        if i == a.ARM_INS_ISB:
            return 1 + self.refill
        return 1


@dataclass(frozen=True)
class _Tables:
    loads: frozenset[int]
    stores: frozenset[int]
    single: frozenset[int]
    double: frozenset[int]
    multiple: frozenset[int]
    with_base: frozenset[int]
    fp_multiple: frozenset[int]
    fp_single: frozenset[int]
    memory: frozenset[int]
    table_branch: frozenset[int]
    divide: frozenset[int]
    fp_slow: frozenset[int]
    fp_chained: frozenset[int]


_CACHE: dict[str, Any] = {}


def _tables() -> _Tables:
    t = _CACHE.get("tables")
    if t is None:
        a = _arm()
        loads = _ids(a, "LDR LDRB LDRH LDRSB LDRSH LDRT LDRBT LDRHT LDRSBT LDRSHT LDREX LDREXB LDREXH")
        stores = _ids(a, "STR STRB STRH STRT STRBT STRHT STREX STREXB STREXH")
        double = _ids(a, "LDRD STRD LDREXD STREXD")
        multiple = _ids(a, "LDM LDMDB STM STMDB PUSH POP")
        fp_multiple = _ids(a, "VLDMIA VLDMDB VSTMIA VSTMDB VPUSH VPOP")
        fp_single = _ids(a, "VLDR VSTR")
        t = _Tables(
            loads=loads, stores=stores, single=loads | stores, double=double, multiple=multiple,
            with_base=_ids(a, "LDM LDMDB STM STMDB VLDMIA VLDMDB VSTMIA VSTMDB"),
            fp_multiple=fp_multiple, fp_single=fp_single,
            memory=loads | stores | double | multiple | fp_multiple | fp_single,
            table_branch=_ids(a, "TBB TBH"), divide=_ids(a, "SDIV UDIV"), fp_slow=_ids(a, "VDIV VSQRT"),
            fp_chained=_ids(a, "VMLA VMLS VNMLA VNMLS VFMA VFMS VFNMA VFNMS"),
        )
        _CACHE["tables"] = t
    return t


def _disassembler() -> Any:
    md = _CACHE.get("md")
    if md is None:
        import capstone

        md = capstone.Cs(capstone.CS_ARCH_ARM, capstone.CS_MODE_THUMB | capstone.CS_MODE_MCLASS)
        md.detail = True
        _CACHE["md"] = md
    return md


def cycle_model(board: Mapping[str, Any]) -> CycleModel | None:
    """The cycle model for a board (board.py's `clock_hz`, `flash_wait_states`),
    or None when its CPU has no table here (Cortex-M0/M0+/M3, RISC-V)."""
    mcpu = [f.split("=", 1)[1].split("+")[0] for f in board.get("cpu_flags", []) if f.startswith("-mcpu=")]
    if not mcpu or mcpu[0] not in NATIVE_CPUS + REUSED_CPUS:
        return None
    return CycleModel(cpu=mcpu[0], flash_wait_states=int(board.get("flash_wait_states", 0)),
                      clock_hz=board.get("clock_hz"))


__all__ = ["NATIVE_CPUS", "REUSED_CPUS", "CycleModel", "CycleModelError", "cycle_model"]
