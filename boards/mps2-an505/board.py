"""Arm MPS2+ AN505 (Cortex-M33, ARMv8-M Mainline with the Security Extension
and the single-precision FPU). QEMU only: `qemu-system-arm -M mps2-an505`;
the firmware runs in the Secure state it boots in;
output and exit through Arm semihosting (newlib + librdimon)."""

# The CPU boots Secure with its vector table at 0x10000000 (init-svtor):
# code in the Secure alias of 4 MB ZBT SSRAM1 (0x10000000; Non-secure alias
# 0x00000000), RAM in the Secure alias of SSRAM2 + SSRAM3, 2 MB each and
# contiguous at 0x38000000 (Non-secure alias 0x28000000).
_CODE, _CODE_SIZE = 0x10000000, 4 * 1024 * 1024
_RAM, _RAM_SIZE = 0x38000000, 4 * 1024 * 1024
_STACK = 64 * 1024

BOARD = {
    "description": "Arm MPS2+ AN505: Cortex-M33 (FPv5-SP), 4 + 4 MB SSRAM, Secure aliases (QEMU mps2-an505)",
    "toolchain_prefix": "arm-none-eabi-",
    "cpu_flags": ["-mcpu=cortex-m33", "-mthumb", "-mfpu=fpv5-sp-d16", "-mfloat-abi=hard"],
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
        "machine": "mps2-an505",
        "args": ["-nographic", "-monitor", "none", "-serial", "none",
                 "-semihosting-config", "enable=on,target=native"],
    },
}
