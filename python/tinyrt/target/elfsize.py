"""Flash and RAM of a firmware ELF, per section and split by origin.

Totals follow `size` (Berkeley format): every allocated section is text
(read-only), data (writable with contents) or bss (writable, no contents).
Flash is text + data (the .data load image), RAM is data + bss.

The split attributes bytes with the symbol table (st_size of every defined
function and object symbol): symbols defined by the objects of runtime/ and
kernels/ (read from build/<board>/{runtime,kernels}/*.o) are runtime code and
kernels, the model blob array (`model_data`) is model data, the arena symbol
is the arena, the stack is the linker's stack size or the stack section, and
everything else (C library, start-up, padding, unsized bytes) is other."""

from __future__ import annotations

from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

from elftools.elf.constants import SH_FLAGS
from elftools.elf.elffile import ELFFile

from .boards import ROOT, board_names, load_board

CATEGORIES = ("runtime", "kernels", "model", "arena", "stack", "other")
_MACHINE_BOARD = {"EM_ARM": "mps2-an386", "EM_RISCV": "riscv32-virt"}
MODEL_SYMBOL = "model_data"
ARENA_SYMBOLS = ("arena",)
STACK_SECTIONS = (".stack", ".stack_dummy")
STACK_SIZE_SYMBOLS = ("__stack_size",)


@dataclass
class Section:
    name: str
    kind: str  # text | data | bss
    addr: int
    size: int


@dataclass
class SizeReport:
    path: str
    board: str | None
    text: int
    data: int
    bss: int
    sections: list[Section]
    # flash / ram bytes per category (CATEGORIES)
    flash: dict[str, int] = field(default_factory=dict)
    ram: dict[str, int] = field(default_factory=dict)

    @property
    def flash_bytes(self) -> int:
        return self.text + self.data

    @property
    def ram_bytes(self) -> int:
        return self.data + self.bss

    def to_json(self) -> dict[str, Any]:
        d = asdict(self)
        d["flash_bytes"] = self.flash_bytes
        d["ram_bytes"] = self.ram_bytes
        return d


def section_kind(sec: Any) -> str | None:
    flags = sec["sh_flags"]
    if not flags & SH_FLAGS.SHF_ALLOC or sec["sh_size"] == 0:
        return None
    if sec["sh_type"] == "SHT_NOBITS":
        return "bss"
    if flags & SH_FLAGS.SHF_WRITE:
        return "data"
    return "text"


def _object_symbols(folder: Path) -> set[str]:
    names: set[str] = set()
    for obj in sorted(folder.rglob("*.o")):
        with obj.open("rb") as f:
            symtab = ELFFile(f).get_section_by_name(".symtab")
            if symtab is None:
                continue
            for s in symtab.iter_symbols():
                if s.name and s["st_shndx"] != "SHN_UNDEF" and s["st_info"]["type"] in ("STT_FUNC", "STT_OBJECT"):
                    names.add(s.name)
    return names


def _source_files(folder: Path) -> set[str]:
    return {p.name for p in folder.rglob("*.c")}


def board_of_path(path: Path) -> str | None:
    """The board of an ELF that SCons built under build/<board>/ (`tinyrt build`)."""
    try:
        rel = path.resolve().relative_to(ROOT / "build")
    except ValueError:
        return None
    name = rel.parts[0] if len(rel.parts) > 1 else ""
    return name if name in board_names() else None


def elf_size(path: str | Path, board: str | None = None) -> SizeReport:
    """The report of an ELF built for `board` (default: the board folder of
    build/<board>/ it sits in, else the default board of its machine, whose
    objects name the runtime and kernel symbols)."""
    path = Path(path)
    with path.open("rb") as f:
        elf = ELFFile(f)
        if board is None:
            board = board_of_path(path) or _MACHINE_BOARD.get(elf["e_machine"])
        sections: list[Section] = []
        totals = {"text": 0, "data": 0, "bss": 0}
        by_index: dict[int, Section] = {}
        for i, sec in enumerate(elf.iter_sections()):
            kind = section_kind(sec)
            if kind is None:
                continue
            s = Section(sec.name, kind, sec["sh_addr"], sec["sh_size"])
            sections.append(s)
            by_index[i] = s
            totals[kind] += s.size

        build = ROOT / "build" / board if board else None
        owners = {
            "runtime": _object_symbols(build / "runtime") if build else set(),
            "kernels": _object_symbols(build / "kernels") if build else set(),
        }
        sources = {"runtime": _source_files(ROOT / "runtime"), "kernels": _source_files(ROOT / "kernels")}

        flash = dict.fromkeys(CATEGORIES, 0)
        ram = dict.fromkeys(CATEGORIES, 0)
        stack_size = 0
        symtab = elf.get_section_by_name(".symtab")
        seen: set[tuple[int, int]] = set()
        current_file = ""
        if symtab is not None:
            for s in symtab.iter_symbols():
                st_type = s["st_info"]["type"]
                if st_type == "STT_FILE":
                    current_file = Path(s.name).name
                    continue
                if s.name in STACK_SIZE_SYMBOLS and s["st_shndx"] == "SHN_ABS":
                    stack_size = s["st_value"]
                if st_type not in ("STT_FUNC", "STT_OBJECT") or not s["st_size"]:
                    continue
                shndx = s["st_shndx"]
                if not isinstance(shndx, int) or shndx not in by_index:
                    continue
                addr = s["st_value"] & ~1 if st_type == "STT_FUNC" else s["st_value"]
                if (addr, s["st_size"]) in seen:
                    continue
                seen.add((addr, s["st_size"]))
                local = s["st_info"]["bind"] == "STB_LOCAL"
                if s.name == MODEL_SYMBOL:
                    cat = "model"
                elif s.name in ARENA_SYMBOLS:
                    cat = "arena"
                elif (local and current_file in sources["runtime"]) or (not local and s.name in owners["runtime"]):
                    cat = "runtime"
                elif (local and current_file in sources["kernels"]) or (not local and s.name in owners["kernels"]):
                    cat = "kernels"
                else:
                    continue
                sec = by_index[shndx]
                if sec.kind == "text":
                    flash[cat] += s["st_size"]
                elif sec.kind == "data":
                    flash[cat] += s["st_size"]
                    ram[cat] += s["st_size"]
                else:
                    ram[cat] += s["st_size"]
        stack_secs = [s for s in sections if s.name in STACK_SECTIONS]
        if stack_secs:
            ram["stack"] = sum(s.size for s in stack_secs)
        else:
            if not stack_size and board in board_names():
                stack_size = int(load_board(board).get("stack_bytes", 0))
            ram["stack"] = stack_size  # reserved by the linker script, not a section: not in bss
        flash["other"] = totals["text"] + totals["data"] - sum(v for k, v in flash.items() if k != "other")
        ram["other"] = totals["data"] + totals["bss"] - sum(
            v for k, v in ram.items() if k not in ("other",) and not (k == "stack" and not stack_secs)
        )
    return SizeReport(str(path), board, totals["text"], totals["data"], totals["bss"], sections, flash, ram)


def format_report(r: SizeReport) -> str:
    lines = [f"{r.path} ({r.board or 'unknown board'})",
             f"{'text':>10} {'data':>10} {'bss':>10} {'flash':>10} {'ram':>10}",
             f"{r.text:>10} {r.data:>10} {r.bss:>10} {r.flash_bytes:>10} {r.ram_bytes:>10}", "",
             f"{'section':<20} {'kind':<5} {'addr':>10} {'size':>10}"]
    lines += [f"{s.name:<20} {s.kind:<5} {s.addr:#10x} {s.size:>10}" for s in r.sections]
    lines += ["", f"{'part':<10} {'flash':>10} {'ram':>10}"]
    lines += [f"{c:<10} {r.flash[c]:>10} {r.ram[c]:>10}" for c in CATEGORIES]
    if not any(s.name in STACK_SECTIONS for s in r.sections) and r.ram["stack"]:
        lines.append("(stack: reserved by the linker script above .bss, not part of the ram total)")
    return "\n".join(lines)
