"""The Cortex-M4 cycle estimate (tinyrt.target.cycles): hand-written Thumb-2
sequences assembled with arm-none-eabi-as, priced against totals worked out
by hand from the Cortex-M4 TRM's table (3.3.1) and load/store rules (3.3.2);
then a hand-written trt_invoke run through the emulator's block hook, where
taken branches, calls into the op hook and flash wait states add up."""

from __future__ import annotations

import subprocess
from pathlib import Path

import pytest

from conftest import board_tool
from tinyrt.target.boards import load_board

pytest.importorskip("capstone")
from tinyrt.target.cycles import CycleModel, cycle_model  # noqa: E402

BOARD = "mps2-an386"
HEADER = ".syntax unified\n.thumb\n.text\n"


def assemble(tmp_path: Path, source: str, name: str = "seq") -> Path:
    """Assemble Cortex-M4F source to an object file."""
    # The board's own flags, so the FPU instructions assemble as they would in firmware.
    flags = [f for f in load_board(BOARD)["cpu_flags"] if f.startswith(("-mcpu", "-mfpu", "-mfloat-abi", "-mthumb"))]
    src = tmp_path / f"{name}.s"
    src.write_text(HEADER + source)
    obj = tmp_path / f"{name}.o"
    subprocess.run([board_tool(BOARD, "as"), *flags, str(src), "-o", str(obj)], check=True)
    return obj


def code_of(tmp_path: Path, source: str) -> bytes:
    obj = assemble(tmp_path, source)
    binary = tmp_path / "seq.bin"
    subprocess.run([board_tool(BOARD, "objcopy"), "-O", "binary", "-j", ".text", str(obj), str(binary)], check=True)
    return binary.read_bytes()


# (source, instructions, cycles by hand from the TRM; the reasoning beside each line)
SEQUENCES = {
    # One cycle each on the M4 (on an M3, MLA would be 2 and SMLAL 4 to 7).
    "alu_and_multiplies": ("""
        adds r0, r1, r2          @ 1
        mul r3, r0, r1           @ 1
        mla r4, r0, r1, r2       @ 1
        smull r5, r6, r0, r1     @ 1
        smlal r0, r1, r2, r3     @ 1
        smlad r0, r1, r2, r3     @ 1
        smlabb r0, r1, r2, r3    @ 1
        ssat r0, #8, r1          @ 1
        sxtb16 r1, r2            @ 1
        ubfx r2, r3, #4, #8      @ 1
        clz r4, r5               @ 1
    """, 11, 11),
    # The TRM's own pipelined-load examples (3.3.2): 3, 3, 3 and 4 cycles.
    "trm_ldr_ldr": ("ldr r0, [r1]\n ldr r1, [r2]\n", 2, 3),
    "trm_ldr_str_imm": ("ldr r0, [r1, r2]\n str r0, [r3, #20]\n", 2, 3),
    "trm_ldr_str_reg": ("ldr r0, [r1, r2]\n str r1, [r3, r2]\n", 2, 3),
    "trm_ldr_ldr_ldr": ("ldr r0, [r1, r5]\n ldr r1, [r2]\n ldr r2, [r3, #4]\n", 3, 4),
    # The second load's address is the first one's result: not pipelined, 2 + 2.
    "load_address_dependency": ("ldr r0, [r1]\n ldrb r2, [r0, #1]\n", 2, 4),
    # An address the previous ALU instruction computed stalls a cycle: 1 + (2 + 1).
    "agu_stall": ("adds r1, r1, #4\n ldr r0, [r1]\n", 2, 4),
    # Stores: immediate offset 1, register offset 2; nothing pipelines after a store: 1 + 2 + 2.
    "stores": ("str r0, [r1, #4]\n str r0, [r1, r2]\n ldr r3, [r4]\n", 3, 5),
    # Base-writeback loads are not pipelined: 2 + 2, and 2 + 2 again.
    "writeback_loads": ("ldrsb r0, [r1], #1\n ldrsb r2, [r3], #1\n ldr r4, [r5]\n ldr r6, [r7], #4\n", 4, 8),
    # 1 + N: PUSH of 5, POP of 5 (with PC: its refill is priced at the block transition),
    # LDM of 3, LDRD 3, VPUSH of 4 words, VLDR 2.
    "multiple": ("""
        push {r4, r5, r6, r7, lr}   @ 6
        ldmia r0!, {r1, r2, r3}     @ 4
        ldrd r0, r1, [r2]           @ 3
        vpush {s16-s19}             @ 5
        vldr s0, [r0]               @ 2
        pop {r4, r5, r6, r7, pc}    @ 6
    """, 6, 26),
    # IT folds into a preceding 16-bit instruction, not into a 32-bit one: (1 + 0 + 1) + (1 + 1 + 1).
    "it_folding": ("""
        cmp r0, #0
        it eq
        moveq r0, r1
        cmp.w r0, #1000
        it eq
        moveq r0, r1
    """, 6, 5),
    # A load to PC blocks: no pipelining behind a load, 2 + 2 (its refill at the transition).
    "load_to_pc": ("ldr r0, [r1]\n ldr pc, [r2]\n", 2, 4),
    # Divide: the middle of the TRM's 2 to 12. Then a 1-cycle branch (its refill at the transition).
    "divide_and_branch": ("sdiv r0, r1, r2\n udiv r3, r4, r5\n bx lr\n", 3, 15),
    # FPU: VDIV 14, VMLA 3, VADD 1.
    "fpu": ("vdiv.f32 s0, s1, s2\n vmla.f32 s3, s4, s5\n vadd.f32 s6, s7, s8\n", 3, 18),
}


@pytest.mark.cross
@pytest.mark.parametrize("name", sorted(SEQUENCES))
def test_sequence_cycles_from_the_trm_table(name: str, tmp_path: Path) -> None:
    source, instructions, cycles = SEQUENCES[name]
    code = code_of(tmp_path, source)
    assert CycleModel().block_cycles(code, 0x1000) == (instructions, cycles)


@pytest.mark.cross
def test_divide_cost_is_a_parameter(tmp_path: Path) -> None:
    code = code_of(tmp_path, "sdiv r0, r1, r2\n")
    assert [CycleModel(divide=d).block_cycles(code, 0)[1] for d in (2, 7, 12)] == [2, 7, 12]


def test_undecodable_bytes_are_refused() -> None:
    from tinyrt.target.cycles import CycleModelError

    # A NOP, then the first half of a 32-bit instruction without its second half.
    with pytest.raises(CycleModelError, match="cannot decode"):
        CycleModel().block_cycles(b"\x00\xbf\x4f\xf0", 0x100)


def test_cycle_model_per_board() -> None:
    an386 = cycle_model(load_board("mps2-an386"))
    assert an386 is not None and an386.cpu == "cortex-m4" and an386.flash_wait_states == 0
    assert an386.clock_hz == 25_000_000 and an386.branch_penalty == 2
    assert "estimate" in an386.label
    nucleo = cycle_model(load_board("nucleo-l4r5zi"))
    assert nucleo is not None and nucleo.clock_hz == 120_000_000
    assert nucleo.flash_wait_states == 5 and nucleo.branch_penalty == 7
    # Cortex-M7 and M33 reuse the M4 table and say so; M0/M3/RISC-V get none.
    m7 = cycle_model(load_board("mps2-an500"))
    assert m7 is not None and "applied to cortex-m7" in m7.label
    m33 = cycle_model(load_board("mps2-an505"))
    assert m33 is not None and "applied to cortex-m33" in m33.label
    for board in ("mps2-an385", "microbit", "rp2040", "riscv32-virt", "hifive1-revb"):
        assert cycle_model(load_board(board)) is None


# A stand-in trt_invoke: an op bracketed by two hook calls, around a loop of
# three iterations. Blocks (unicorn ends one at each branch) and their cycles:
#   A  push, movs x3, bl hook          3+1+1+1+1 = 7, then +P into the hook
#   B  movs r4, ldr, adds, str, subs, bne      1+2+1+1+1+1 = 7 (sequential: the hook returns to its end)
#   C  loop: ldr, adds, str, subs, bne         6, entered by the taken bne twice: +P each
#   D  movs x3, bl hook                        4, then +P into the hook
#   E  movs r0, pop {r4, pc}                   1+3 = 4 (the return leaves the counted code)
# Instructions 5+6+2*5+4+2 = 27; cycles 7+P + 7 + 2*(6+P) + 4+P + 4 = 34 + 4P.
# The op (between the hook calls): instructions 6+10+4 = 20, cycles 7 + 2*(6+P) + 4+P = 23 + 3P.
INVOKE = """
.global trt_invoke, bench_op_hook, bench_model
.type trt_invoke, %function
.thumb_func
trt_invoke:
    push {r4, lr}
    movs r1, #0
    movs r2, #9
    movs r3, #0
    bl bench_op_hook
    movs r4, #3
loop:
    ldr r1, [r0]
    adds r1, r1, #1
    str r1, [r0]
    subs r4, r4, #1
    bne loop
    movs r1, #0
    movs r2, #9
    movs r3, #1
    bl bench_op_hook
    movs r0, #0
    pop {r4, pc}
.size trt_invoke, . - trt_invoke
.type bench_op_hook, %function
.thumb_func
bench_op_hook:
    bx lr
.size bench_op_hook, . - bench_op_hook
.data
.type bench_model, %object
bench_model:
    .word 40
.size bench_model, 4
"""


@pytest.mark.cross
@pytest.mark.parametrize("board, penalty", [("mps2-an386", 2), ("nucleo-l4r5zi", 7)])
def test_block_transitions_through_the_emulator(board: str, penalty: int, tmp_path: Path) -> None:
    pytest.importorskip("unicorn")
    from tinyrt.target.emu import Emulator, count_invoke

    obj = assemble(tmp_path, INVOKE, "invoke")
    elf = tmp_path / "invoke.elf"
    subprocess.run([board_tool(BOARD, "ld"), "-Ttext=0x1000", "-Tdata=0x20000000", str(obj), "-o", str(elf)],
                   check=True)
    model = cycle_model(load_board(board))
    assert model is not None and model.branch_penalty == penalty
    emu = Emulator(elf, "cortex-m4")
    total, cycles, events = count_invoke(emu, model)
    assert total == 27
    assert cycles == 34 + 4 * penalty
    (n0, c0, idx0, typ0, end0), (n1, c1, idx1, typ1, end1) = events
    assert (idx0, typ0, end0, idx1, typ1, end1) == (0, 9, 0, 0, 9, 1)
    assert n1 - n0 == 20
    assert c1 - c0 == 23 + 3 * penalty
    assert int.from_bytes(emu.read(emu.addr("bench_model"), 4), "little") == 43  # the loop ran 3 times
    # Without a model: the same instructions, no cycles.
    emu = Emulator(elf, "cortex-m4")
    total, cycles, events = count_invoke(emu)
    assert (total, cycles, len(events)) == (27, None, 2)


def test_nucleo_clock_and_wait_states_match_its_startup() -> None:
    """board.py's clock_hz and flash_wait_states are what startup.c programs."""
    import re

    from tinyrt.target.boards import BOARDS_DIR

    src = (BOARDS_DIR / "nucleo-l4r5zi" / "startup.c").read_text()
    define = {m[1]: int(m[2]) for m in re.finditer(r"#define (\w+) (\d+)u\b", src)}
    board = load_board("nucleo-l4r5zi")
    assert board["flash_wait_states"] == define["FLASH_WAIT_STATES"] == 5
    assert board["clock_hz"] == define["MSI_HZ"] // define["PLL_M"] * define["PLL_N"] // 2 == 120_000_000
