"""The parts every Cortex-M board shares: boards/common/arm_startup.c and
boards/common/cortex_m.ld placed by the board's memory map through --defsym.
A board.py passes what is its own (CPU, memory map, and either its QEMU
machine or its own start-up and UART sources) and gets its BOARD dict back.

- QEMU boards (`machine` given): newlib with semihosted I/O and exit
  (rdimon), board.h from boards/common/qemu_arm_board.c.
- Real boards (`machine=None`, `sources` given): newlib-nano without
  semihosting; boards/common/newlib_uart.c binds stdout and exit to the
  board's UART, and the board's `sources` (relative to its folder) provide
  board.h and the UART."""

from __future__ import annotations

from typing import Any


# Cores with the ARMv7E-M DSP instructions (SXTB16, SMLAD, ...): they build
# kernels/arm_dsp besides the reference kernels.
DSP_CPUS = ("cortex-m4", "cortex-m7", "cortex-m33", "cortex-m35p", "cortex-m55", "cortex-m85")


def _has_dsp(cpu_flags: list[str]) -> bool:
    return any(f.split("=", 1)[1].split("+")[0] in DSP_CPUS for f in cpu_flags if f.startswith("-mcpu="))


def cortex_m_board(
    description: str,
    cpu_flags: list[str],
    machine: str | None,
    code: tuple[int, int],
    ram: tuple[int, int],
    stack: int = 64 * 1024,
    sources: list[str] | None = None,
    **extra: Any,
) -> dict[str, Any]:
    (code_origin, code_size), (ram_origin, ram_size) = code, ram
    if machine is not None:
        specs = ["--specs=rdimon.specs"]
        firmware_sources = ["../common/arm_startup.c", "../common/qemu_arm_board.c"]
    else:
        specs = ["--specs=nano.specs", "--specs=nosys.specs"]
        firmware_sources = ["../common/arm_startup.c", "../common/newlib_uart.c", *(sources or [])]
    board: dict[str, Any] = {
        "description": description,
        "toolchain_prefix": "arm-none-eabi-",
        "cpu_flags": cpu_flags,
        "link_flags": [
            *specs, "-Wl,--gc-sections",
            f"-Wl,--defsym=__code_origin={code_origin:#x}", f"-Wl,--defsym=__code_length={code_size:#x}",
            f"-Wl,--defsym=__ram_origin={ram_origin:#x}", f"-Wl,--defsym=__ram_length={ram_size:#x}",
            f"-Wl,--defsym=__stack_size={stack:#x}",
        ],
        "linker_script": "../common/cortex_m.ld",  # relative to the board's folder
        "firmware_sources": firmware_sources,
        "memory": {
            "code": {"origin": code_origin, "length": code_size},
            "ram": {"origin": ram_origin, "length": ram_size},
        },
        "stack_bytes": stack,
        "kernel_dirs": ["ref", *(["arm_dsp"] if _has_dsp(cpu_flags) else [])],
    }
    if machine is not None:
        board["qemu"] = {
            "binary": "qemu-system-arm",
            "machine": machine,
            "args": ["-nographic", "-monitor", "none",
                     "-semihosting-config", "enable=on,target=native"],
        }
    board.update(extra)
    return board
