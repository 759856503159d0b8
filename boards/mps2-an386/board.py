"""Arm MPS2+ AN386 (Cortex-M4F), the default embedded board. QEMU only:
`qemu-system-arm -M mps2-an386`; output and exit through Arm semihosting
(newlib + librdimon)."""

BOARD = {
    "description": "Arm MPS2+ AN386: Cortex-M4F, 4 MB code SRAM + 4 MB data SRAM (QEMU mps2-an386)",
    "toolchain_prefix": "arm-none-eabi-",
    "cpu_flags": ["-mcpu=cortex-m4", "-mthumb", "-mfpu=fpv4-sp-d16", "-mfloat-abi=hard"],
    # Firmware link: newlib with semihosted I/O and exit, our linker script.
    "link_flags": ["--specs=rdimon.specs", "-Wl,--gc-sections"],
    "linker_script": "linker.ld",  # in this folder
    "firmware_sources": ["startup.c"],
    # Also written out in linker.ld.
    "memory": {
        "code": {"origin": 0x00000000, "length": 4 * 1024 * 1024},
        "ram": {"origin": 0x20000000, "length": 4 * 1024 * 1024},
    },
    "kernel_dirs": ["ref"],
    "qemu": {
        "binary": "qemu-system-arm",
        "machine": "mps2-an386",
        "args": ["-nographic", "-monitor", "none", "-serial", "none",
                 "-semihosting-config", "enable=on,target=native"],
    },
}
