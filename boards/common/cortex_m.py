"""The parts every QEMU-emulated Cortex-M board shares: newlib with semihosted
I/O and exit, boards/common/arm_startup.c, and boards/common/cortex_m.ld placed
by the board's memory map through --defsym. A board.py passes what is its own
(CPU, memory map, QEMU machine) and gets its BOARD dict back."""

from __future__ import annotations

from typing import Any


def cortex_m_board(
    description: str,
    cpu_flags: list[str],
    machine: str,
    code: tuple[int, int],
    ram: tuple[int, int],
    stack: int = 64 * 1024,
    **extra: Any,
) -> dict[str, Any]:
    (code_origin, code_size), (ram_origin, ram_size) = code, ram
    board: dict[str, Any] = {
        "description": description,
        "toolchain_prefix": "arm-none-eabi-",
        "cpu_flags": cpu_flags,
        "link_flags": [
            "--specs=rdimon.specs", "-Wl,--gc-sections",
            f"-Wl,--defsym=__code_origin={code_origin:#x}", f"-Wl,--defsym=__code_length={code_size:#x}",
            f"-Wl,--defsym=__ram_origin={ram_origin:#x}", f"-Wl,--defsym=__ram_length={ram_size:#x}",
            f"-Wl,--defsym=__stack_size={stack:#x}",
        ],
        "linker_script": "../common/cortex_m.ld",  # relative to the board's folder
        "firmware_sources": ["../common/arm_startup.c"],
        "memory": {
            "code": {"origin": code_origin, "length": code_size},
            "ram": {"origin": ram_origin, "length": ram_size},
        },
        "stack_bytes": stack,
        "kernel_dirs": ["ref"],
        "qemu": {
            "binary": "qemu-system-arm",
            "machine": machine,
            "args": ["-nographic", "-monitor", "none", "-serial", "none",
                     "-semihosting-config", "enable=on,target=native"],
        },
    }
    board.update(extra)
    return board
