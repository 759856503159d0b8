"""Arm MPS3 AN547 (Cortex-M55 with MVE and the FPU, ARMv8.1-M). QEMU only:
`qemu-system-arm -M mps3-an547`;
output and exit through Arm semihosting (newlib + librdimon)."""

# The CPU boots with its vector table at 0x0: code in the 512 KB ITCM at
# 0x00000000, RAM in the 4 x 128 KB DTCM at 0x20000000 (QEMU's map also has
# 2 MB SRAM at 0x01000000 and 4 MB SRAM at 0x21000000, unused here).
_CODE, _CODE_SIZE = 0x00000000, 512 * 1024
_RAM, _RAM_SIZE = 0x20000000, 512 * 1024
_STACK = 64 * 1024

BOARD = {
    "description": "Arm MPS3 AN547: Cortex-M55 (MVE), 512 KB ITCM code + 512 KB DTCM data (QEMU mps3-an547)",
    "toolchain_prefix": "arm-none-eabi-",
    "cpu_flags": ["-mcpu=cortex-m55", "-mthumb", "-mfloat-abi=hard"],
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
        "machine": "mps3-an547",
        "args": ["-nographic", "-monitor", "none", "-serial", "none",
                 "-semihosting-config", "enable=on,target=native"],
    },
}
