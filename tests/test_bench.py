"""`tinyrt bench` and `tinyrt size`: instruction counts from emulating the bench
firmware (unicorn) are deterministic, add up (per op + interpreter overhead),
and come with outputs bit-identical to the host runtime; the ELF size report
agrees with binutils' `size`."""

from __future__ import annotations

import json
import subprocess
from pathlib import Path

import pytest

from conftest import MODEL_NAMES, board_tool, model_path, require_tools
from tinyrt.cli import main
from tinyrt.compiler import compile_tflite
from tinyrt.target.boards import kernel_dirs
from tinyrt.target.elfsize import CATEGORIES, elf_size
from tinyrt.target.firmware import parse_outputs, run_qemu

pytest.importorskip("unicorn")
from tinyrt.target.emu import Emulator, bench, count_invoke  # noqa: E402

BENCH_BOARDS = ["mps2-an386", "riscv32-virt"]
JSON_KEYS = {"model", "board", "instructions", "arena_bytes", "runtime_ram_bytes", "flash_code_bytes",
             "flash_model_bytes", "bit_exact", "per_op", "overhead_instructions", "cycles_estimate",
             "overhead_cycles_estimate", "ms_estimate", "cycle_model"}


@pytest.mark.cross
@pytest.mark.qemu
@pytest.mark.parametrize("board", BENCH_BOARDS)
def test_bench_kws(board: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    require_tools(board)
    path = model_path("kws_ref_model")
    # The board's kernel variants, as `tinyrt bench --board` compiles it below.
    compiled = compile_tflite(path.read_bytes(), kernels=kernel_dirs(board))
    first = bench(path, board, workdir=tmp_path / "a", compiled=compiled)
    assert first.bit_exact
    assert first.instructions > 1_000_000
    # A budget, not a timing: counts are deterministic, so a kernel change
    # that costs instructions (say, a spilled accumulator) fails here.
    assert first.instructions < {"mps2-an386": 6_000_000, "riscv32-virt": 40_500_000}[board]
    assert len(first.per_op) == len(compiled.graph.ops)
    assert [o.index for o in first.per_op] == list(range(len(compiled.graph.ops)))
    assert [o.variant for o in first.per_op] == [op.variant.name.lower() for op in compiled.graph.ops]
    assert first.instructions == sum(o.instructions for o in first.per_op) + first.overhead_instructions
    assert 0 < first.overhead_instructions < first.instructions // 100
    # The interpreter's own cost: dispatch through the op table by (op,
    # variant) and the hook calls, about 14 instructions per op on Cortex-M4.
    if board == "mps2-an386":
        assert first.overhead_instructions <= 217
    # The Cortex-M4 cycle estimate adds up the same way; RISC-V has none.
    if board == "mps2-an386":
        assert first.cycle_model is not None and first.cycle_model.clock_hz == 25_000_000
        assert first.cycles_estimate == sum(o.cycles_estimate for o in first.per_op) + first.overhead_cycles_estimate
        assert all(o.cycles_estimate > o.instructions for o in first.per_op)
        assert first.instructions < first.cycles_estimate < 3 * first.instructions
        assert first.ms_estimate == pytest.approx(first.cycles_estimate / 25_000)
    else:
        assert first.cycles_estimate is None and first.ms_estimate is None and first.cycle_model is None
        assert all(o.cycles_estimate is None for o in first.per_op)
    assert first.arena_bytes == compiled.arena_bytes
    assert first.flash_model_bytes == len(compiled.blob)
    assert first.size is not None
    assert first.flash_code_bytes == first.size.flash["runtime"] + first.size.flash["kernels"]
    assert first.size.flash["runtime"] > 0 and first.size.flash["kernels"] > 0

    # Twice in a row, through the CLI this time: the same count, op by op.
    plot = tmp_path / "bench.png"
    assert main(["bench", str(path), "--board", board, "--json", "--plot", str(plot)]) == 0
    data = json.loads(capsys.readouterr().out)
    assert JSON_KEYS <= set(data)
    assert data["instructions"] == first.instructions
    assert [o["instructions"] for o in data["per_op"]] == [o.instructions for o in first.per_op]
    assert data["overhead_instructions"] == first.overhead_instructions
    assert data["cycles_estimate"] == first.cycles_estimate
    assert [o["cycles_estimate"] for o in data["per_op"]] == [o.cycles_estimate for o in first.per_op]
    if board == "mps2-an386":
        assert data["cycle_model"]["cpu"] == "cortex-m4" and "estimate" in data["cycle_model"]["table"]
        assert data["ms_estimate"] == round(first.cycles_estimate / 25_000, 3)
    else:
        assert data["cycle_model"] is None and data["ms_estimate"] is None
    assert data["bit_exact"] is True
    assert plot.stat().st_size > 0


@pytest.mark.cross
@pytest.mark.qemu
@pytest.mark.parametrize("board", BENCH_BOARDS)
def test_bench_ad01_and_firmware_under_qemu(board: str, tmp_path: Path) -> None:
    """The bench ELF's main() gives the same outputs under QEMU as the emulator."""
    require_tools(board)
    path = model_path("ad01_int8")
    result = bench(path, board, workdir=tmp_path)
    assert result.bit_exact
    assert result.instructions == sum(o.instructions for o in result.per_op) + result.overhead_instructions
    emu = Emulator(tmp_path / "firmware.elf", "cortex-m4")
    assert emu.call("bench_setup") == 0
    total, cycles, _ = count_invoke(emu, result.cycle_model)
    assert total == result.instructions
    assert cycles == result.cycles_estimate
    assert emu.call("bench_finish") == 0
    out = emu.read(emu.addr("bench_out"), emu.u32("bench_out_len"))
    assert parse_outputs(run_qemu(board, tmp_path / "firmware.elf")) == [out]


@pytest.mark.cross
@pytest.mark.qemu
@pytest.mark.parametrize("board", BENCH_BOARDS)
def test_size_agrees_with_binutils(board: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    require_tools(board)
    tool = board_tool(board, "size")
    bench(model_path("kws_ref_model"), board, workdir=tmp_path)
    elf = tmp_path / "firmware.elf"
    line = subprocess.run([tool, str(elf)], capture_output=True, text=True, check=True).stdout.splitlines()[1]
    text, data, bss = (int(v) for v in line.split()[:3])
    report = elf_size(elf, board)
    assert (report.text, report.data, report.bss) == (text, data, bss)
    assert sum(report.flash[c] for c in CATEGORIES) == text + data
    compiled = compile_tflite(model_path("kws_ref_model").read_bytes(), kernels=kernel_dirs(board))
    assert report.flash["model"] == len(compiled.blob)
    assert report.ram["arena"] == compiled.arena_bytes
    assert all(v >= 0 for v in (*report.flash.values(), *report.ram.values()))

    assert main(["size", str(elf), "--json"]) == 0
    data_json = json.loads(capsys.readouterr().out)
    assert (data_json["text"], data_json["data"], data_json["bss"]) == (text, data, bss)


@pytest.mark.cross
@pytest.mark.qemu
def test_bench_table_over_models_and_boards(capsys: pytest.CaptureFixture[str]) -> None:
    """The README's table command: one Markdown row per model and board."""
    for board in BENCH_BOARDS:
        require_tools(board)
    ad01 = model_path("ad01_int8")
    assert main(["bench", str(ad01), "--board", BENCH_BOARDS[0], "--board", BENCH_BOARDS[1], "--markdown"]) == 0
    table, note = capsys.readouterr().out.strip().split("\n\n")
    lines = table.splitlines()
    assert lines[0].startswith("| model | board | instructions | cycles (est.) | ms (est.) | arena bytes |")
    rows = [[c.strip() for c in ln.strip("|").split("|")] for ln in lines[2:]]
    assert note == "cycles (est.): mps2-an386: Cortex-M4 TRM timings (estimate), ms at 25 MHz"
    assert [(r[0], r[1], r[-1]) for r in rows] == [("ad01_int8", b, "yes") for b in BENCH_BOARDS]
    # ad01 is fully connected layers alone: ~0.5 M with the DSP kernels, ~2.2 M on RV32.
    assert all(int(r[2].replace(",", "")) > 400_000 for r in rows)
    # The estimate only where there is a Cortex-M4 table: blank for RISC-V.
    cycles, ms = (float(c.replace(",", "")) for c in rows[0][3:5])
    assert cycles > int(rows[0][2].replace(",", "")) and ms > 0
    assert rows[1][3] == rows[1][4] == ""


@pytest.mark.cross
@pytest.mark.qemu
@pytest.mark.parametrize("board", ["mps2-an385", "mps2-an500", "mps2-an505", "microbit", "nucleo-l4r5zi", "rp2040",
                                   "hifive1-revb"])
def test_bench_on_every_board_unicorn_models(board: str, tmp_path: Path) -> None:
    """Cortex-M0/M0+/M3/M4/M7/M33 and RV32 boards, real ones included (their
    start-up does not run in the emulator): a small model, bit-exact, its
    count adding up."""
    require_tools(board)
    from cases import make_case

    model = tmp_path / "conv.tflite"
    model.write_bytes(make_case("conv", 5).model)
    result = bench(model, board, workdir=tmp_path / "fw")
    assert result.bit_exact
    assert result.instructions == sum(o.instructions for o in result.per_op) + result.overhead_instructions > 0
    if board in ("nucleo-l4r5zi", "mps2-an500", "mps2-an505"):
        assert result.cycles_estimate == \
            sum(o.cycles_estimate for o in result.per_op) + result.overhead_cycles_estimate > result.instructions
    else:
        assert result.cycles_estimate is None


@pytest.mark.cross
@pytest.mark.qemu
@pytest.mark.parametrize("name", MODEL_NAMES)
def test_dsp_boards_run_the_same_variants_bit_exact(name: str, tmp_path: Path) -> None:
    """Cortex-M4, M7 and M33 build kernels/arm_dsp: each shared model takes the
    same variants on all three and every output equals the host runtime's
    (itself bit-exact with TFLM, tests/test_models.py)."""
    variants = None
    for board in ("mps2-an386", "mps2-an500", "mps2-an505"):
        require_tools(board)
        assert "arm_dsp" in kernel_dirs(board)
        result = bench(model_path(name), board, workdir=tmp_path / board)
        assert result.bit_exact, board
        assert any(o.variant.startswith("dsp") for o in result.per_op), board
        if variants is None:
            variants = [o.variant for o in result.per_op]
        assert [o.variant for o in result.per_op] == variants, board


def test_bench_refuses_helium_boards_clearly(tmp_path: Path) -> None:
    require_tools("mps3-an547")
    with pytest.raises(RuntimeError, match="unicorn cannot emulate cortex-m55 code"):
        bench(model_path("ad01_int8"), "mps3-an547", workdir=tmp_path)
