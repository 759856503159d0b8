"""The real boards (nucleo-l4r5zi, rp2040, hifive1-revb): the test-vector
firmware links, and the ELF is what the board's boot process expects: vector
table or entry at the flash origin (rp2040: boot2 with a valid CRC first),
every allocated section inside the memory map, .data loaded from flash, the
UART and cycle-counter functions linked in. Only hifive1-revb also runs, in
QEMU's model of the board (sifive_e, revb=true) with its real UART; the
library build and the QEMU runs of all models are in test_boards.py."""

from __future__ import annotations

import re
import struct
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from elftools.elf.constants import SH_FLAGS
from elftools.elf.elffile import ELFFile

from conftest import host_reference, model_path, require_tools
from tinyrt.compiler import compile_tflite
from tinyrt.target.boards import load_board
from tinyrt.target.firmware import FirmwareError, build_firmware, parse_outputs, run_qemu
from tinyrt.target.uf2 import (
    MAGIC_END,
    MAGIC_START0,
    MAGIC_START1,
    RP2040_FAMILY_ID,
    boot2_crc32,
    elf_to_uf2,
    load_image,
)

pytestmark = pytest.mark.cross

# The model each board's firmware is linked with: kws fits all three (its
# 8,492-byte arena even the HiFive1's 16 KB RAM).
FIRMWARE_MODEL = {"nucleo-l4r5zi": "kws_ref_model", "rp2040": "kws_ref_model", "hifive1-revb": "kws_ref_model"}
# Where the board's boot process enters the image.
VECTOR_TABLE = {"nucleo-l4r5zi": 0x08000000, "rp2040": 0x10000100}
ENTRY = {"hifive1-revb": 0x20010000}
BOARD_SYMBOLS = ["board_init", "board_cycles", "board_clock_hz", "board_uart_init", "board_uart_putc", "main"]
LIBC_GLUE = {"nucleo-l4r5zi": ["_write", "_exit"], "rp2040": ["_write", "_exit", "SysTick_Handler"],
             "hifive1-revb": ["stdout", "_exit"]}


@pytest.fixture(scope="module")
def firmware(tmp_path_factory: pytest.TempPathFactory) -> Callable[[str], Path]:
    """The board's test firmware (FIRMWARE_MODEL, 2 vectors), linked once per
    session in its own work folder (a failed build too: its error is raised
    again, not rebuilt); skips when the board's tools are missing."""
    built: dict[str, Path | FirmwareError] = {}

    def get(board: str) -> Path:
        require_tools(board)
        if board not in built:
            tflite = model_path(FIRMWARE_MODEL[board]).read_bytes()
            vectors = host_reference(compile_tflite(tflite).blob, 2, seed=3).vectors
            try:
                built[board] = build_firmware(board, tflite, vectors, tmp_path_factory.mktemp(board))
            except FirmwareError as e:
                built[board] = e
        result = built[board]
        if isinstance(result, FirmwareError):
            raise result
        return result

    return get


def regions(board: str) -> dict[str, tuple[int, int]]:
    mem = load_board(board)["memory"]
    return {name: (m["origin"], m["origin"] + m["length"]) for name, m in mem.items()}


def flash_region(board: str) -> tuple[int, int]:
    r = regions(board)
    return r["flash"] if "flash" in r else r["code"]


def symbols(elf: Any) -> dict[str, int]:
    return {s.name: s["st_value"] for s in elf.get_section_by_name(".symtab").iter_symbols() if s.name}


def read_word(image: dict[int, bytes], addr: int) -> int:
    for base, data in image.items():
        if base <= addr and addr + 4 <= base + len(data):
            return int(struct.unpack_from("<I", data, addr - base)[0])
    raise AssertionError(f"nothing loaded at {addr:#x}")


@pytest.mark.parametrize("board", sorted(FIRMWARE_MODEL))
def test_firmware_links_for_the_board(board: str, firmware: Callable[[str], Path]) -> None:
    path = firmware(board)
    image = load_image(path)
    mem = regions(board)
    flash = flash_region(board)
    with open(path, "rb") as f:
        elf = ELFFile(f)
        syms = symbols(elf)
        for sec in elf.iter_sections():
            if not sec["sh_flags"] & SH_FLAGS.SHF_ALLOC or sec["sh_size"] == 0:
                continue
            start, end = sec["sh_addr"], sec["sh_addr"] + sec["sh_size"]
            assert any(lo <= start and end <= hi for lo, hi in mem.values()), (
                f"{board}: section {sec.name} [{start:#x}, {end:#x}) outside the memory map {mem}")
        # .data runs from RAM and is loaded from flash, where start-up copies it from.
        data = elf.get_section_by_name(".data")
        seg = next(s for s in elf.iter_segments() if s["p_type"] == "PT_LOAD" and s.section_in_segment(data))
        assert seg["p_vaddr"] != seg["p_paddr"] and flash[0] <= seg["p_paddr"] < flash[1], (board, seg.header)
        entry = elf.header["e_entry"]

    for name in BOARD_SYMBOLS + LIBC_GLUE[board]:
        assert name in syms, f"{board}: {name} not linked"
    if board in VECTOR_TABLE:
        table = VECTOR_TABLE[board]
        sp, reset = read_word(image, table), read_word(image, table + 4)
        assert sp == mem["ram"][1], f"{board}: initial SP {sp:#x}, want the top of RAM {mem['ram'][1]:#x}"
        assert reset == syms["Reset_Handler"] | 1 and entry == syms["Reset_Handler"], (hex(reset), hex(entry))
    else:
        assert entry == ENTRY[board] == syms["_start"] == flash[0]


def test_rp2040_boot2(firmware: Callable[[str], Path]) -> None:
    """boot2 fills the first 256 bytes of flash and ends with the CRC the
    boot ROM checks; the vector table follows at 0x10000100."""
    image = load_image(firmware("rp2040"))
    flash = image[0x10000000]
    boot2 = flash[:256]
    crc = boot2_crc32(boot2[:252])
    stored = struct.unpack("<I", boot2[252:])[0]
    assert crc == stored, (f"boot2 CRC: stored {stored:#010x}, the code's is {crc:#010x}: set BOOT2_CRC in "
                           f"boards/rp2040/boot2.c to {crc:#010X}")
    # The CRC-32/MPEG-2 check value: the same algorithm as the boot ROM's.
    assert boot2_crc32(b"123456789") == 0x0376E6E7
    source = (Path(__file__).resolve().parents[1] / "boards" / "rp2040" / "boot2.c").read_text()
    assert re.search(rf"#define BOOT2_CRC 0x{crc:08X}\b", source, re.IGNORECASE)


def test_rp2040_uf2(firmware: Callable[[str], Path]) -> None:
    """The UF2 image holds the load image in 256-byte pages, family RP2040."""
    elf = firmware("rp2040")
    uf2 = elf_to_uf2(elf)
    assert len(uf2) % 512 == 0
    blocks = [uf2[i : i + 512] for i in range(0, len(uf2), 512)]
    rebuilt: dict[int, int] = {}
    for n, blk in enumerate(blocks):
        m0, m1, flags, addr, size, no, total, family = struct.unpack_from("<8I", blk)
        assert (m0, m1, struct.unpack_from("<I", blk, 508)[0]) == (MAGIC_START0, MAGIC_START1, MAGIC_END)
        assert (flags, size, no, total, family) == (0x2000, 256, n, len(blocks), RP2040_FAMILY_ID)
        assert addr % 256 == 0
        rebuilt.update((addr + i, b) for i, b in enumerate(blk[32 : 32 + 256]))
    assert struct.unpack_from("<I", blocks[0], 12)[0] == 0x10000000
    for base, data in load_image(elf).items():
        assert bytes(rebuilt[base + i] for i in range(len(data))) == data


@pytest.mark.qemu
def test_hifive1_runs_in_qemu_with_its_uart(tmp_path: Path) -> None:
    """A small model on QEMU's HiFive1 Rev B: console on the real UART0 (not
    semihosting), outputs bit-exact with the host, mcycle counting."""
    require_tools("hifive1-revb")
    from cases import make_case

    case = make_case("conv", 3)
    ref = host_reference(compile_tflite(case.model).blob, 3, seed=5)
    text = run_qemu("hifive1-revb", build_firmware("hifive1-revb", case.model, ref.vectors, tmp_path), timeout=60)
    assert parse_outputs(text) == ref.outputs, case.desc
    assert "\r\n" in text  # CR LF from the UART stream, as a terminal wants
    cycles = [int(m.group(2)) for m in re.finditer(r"^cycles (\d+) (\d+)\r?$", text, re.MULTILINE)]
    assert len(cycles) == len(ref.vectors) and all(c > 0 for c in cycles), text
