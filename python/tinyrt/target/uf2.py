"""UF2 images for boards flashed by drag and drop (the RP2040's BOOTSEL mass
storage drive), and the RP2040 boot2 checksum.

A UF2 file is a sequence of 512-byte blocks, each carrying up to 476 bytes
(here always 256, the RP2040 boot ROM's flash page) for one target address,
with magic numbers at both ends and the board family id, so a drive only
accepts images for its own chip (https://github.com/microsoft/uf2).

    python -m tinyrt.target.uf2 firmware.elf firmware.uf2 [--family 0xe48bff56]"""

from __future__ import annotations

import argparse
import struct
from pathlib import Path

from elftools.elf.elffile import ELFFile

MAGIC_START0 = 0x0A324655
MAGIC_START1 = 0x9E5D5157
MAGIC_END = 0x0AB16F30
FLAG_FAMILY_ID_PRESENT = 0x00002000
RP2040_FAMILY_ID = 0xE48BFF56
PAGE = 256
DATA_BYTES = 476


def boot2_crc32(data: bytes) -> int:
    """The CRC-32 the RP2040 boot ROM checks over the first 252 bytes of
    boot2: polynomial 0x04C11DB7, initial value 0xFFFFFFFF, MSB first (not
    reflected), no final xor."""
    crc = 0xFFFFFFFF
    for byte in data:
        crc ^= byte << 24
        for _ in range(8):
            crc = ((crc << 1) ^ 0x04C11DB7) if crc & 0x80000000 else (crc << 1)
            crc &= 0xFFFFFFFF
    return crc


def load_image(elf: Path) -> dict[int, bytes]:
    """The bytes an ELF puts into memory at load time, by load (physical)
    address: every PT_LOAD segment's file contents (so .data's initial values
    sit at their flash address, where the start-up code copies them from)."""
    image: dict[int, bytes] = {}
    with open(elf, "rb") as f:
        for seg in ELFFile(f).iter_segments():
            if seg["p_type"] == "PT_LOAD" and seg["p_filesz"] > 0:
                image[seg["p_paddr"]] = seg.data()[: seg["p_filesz"]]
    return image


def elf_to_uf2(elf: Path, family_id: int = RP2040_FAMILY_ID) -> bytes:
    """UF2 image of the ELF's load image, in 256-byte pages (gaps inside a
    page are zero-filled; pages nothing loads into are left out)."""
    pages: dict[int, bytearray] = {}
    for addr, data in load_image(elf).items():
        for i, b in enumerate(data):
            a = addr + i
            pages.setdefault(a - a % PAGE, bytearray(PAGE))[a % PAGE] = b
    out = bytearray()
    for n, base in enumerate(sorted(pages)):
        header = struct.pack("<8I", MAGIC_START0, MAGIC_START1, FLAG_FAMILY_ID_PRESENT, base, PAGE, n, len(pages),
                             family_id)
        out += header + bytes(pages[base]) + bytes(DATA_BYTES - PAGE) + struct.pack("<I", MAGIC_END)
    return bytes(out)


def main(argv: list[str] | None = None) -> int:
    p = argparse.ArgumentParser(prog="python -m tinyrt.target.uf2", description="convert an ELF to a UF2 image")
    p.add_argument("elf", type=Path)
    p.add_argument("uf2", type=Path)
    p.add_argument("--family", type=lambda s: int(s, 0), default=RP2040_FAMILY_ID,
                   help="UF2 family id (default: RP2040, 0xe48bff56)")
    args = p.parse_args(argv)
    data = elf_to_uf2(args.elf, args.family)
    args.uf2.write_bytes(data)
    print(f"{args.uf2}: {len(data) // 512} blocks")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
