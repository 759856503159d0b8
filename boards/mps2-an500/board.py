"""Arm MPS2+ AN500 (Cortex-M7 with the double-precision FPv5 FPU). QEMU only:
`qemu-system-arm -M mps2-an500`;
output and exit through Arm semihosting (newlib + librdimon)."""

# 4 MB ZBT SSRAM1 at 0x0 stands in for flash, 4 MB ZBT SSRAM2/3 for RAM
# (QEMU's AN500 map matches AN385/AN386 there).
_CODE, _CODE_SIZE = 0x00000000, 4 * 1024 * 1024
_RAM, _RAM_SIZE = 0x20000000, 4 * 1024 * 1024
_STACK = 64 * 1024

BOARD = {
    "description": "Arm MPS2+ AN500: Cortex-M7 (FPv5-D16), 4 MB code SRAM + 4 MB data SRAM (QEMU mps2-an500)",
    "toolchain_prefix": "arm-none-eabi-",
    "cpu_flags": ["-mcpu=cortex-m7", "-mthumb", "-mfpu=fpv5-d16", "-mfloat-abi=hard"],
    # Firmware link: newlib with semihosted I/O and exit, the shared
    # Cortex-M linker script placed by the memory map above.
    "link_flags": [
        "--specs=rdimon.specs", "-Wl,--gc-sections",
        f"-Wl,--defsym=__code_origin={_CODE:#x}", f"-Wl,--defsym=__code_length={_CODE_SIZE:#x}",
        f"-Wl,--defsym=__ram_origin={_RAM:#x}", f"-Wl,--defsym=__ram_length={_RAM_SIZE:#x}",
        f"-Wl,--defsym=__stack_size={_STACK:#x}",
    ],
    "linker_script": "../common/cortex_m.ld",  # relative to this folder
    "firmware_sources": ["../common/arm_startup.c"],
    "memory": {
        "code": {"origin": _CODE, "length": _CODE_SIZE},
        "ram": {"origin": _RAM, "length": _RAM_SIZE},
    },
    "stack_bytes": _STACK,
    "kernel_dirs": ["ref"],
    "qemu": {
        "binary": "qemu-system-arm",
        "machine": "mps2-an500",
        "args": ["-nographic", "-monitor", "none", "-serial", "none",
                 "-semihosting-config", "enable=on,target=native"],
    },
}
