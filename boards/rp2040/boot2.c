/* The RP2040 second-stage bootloader ("boot2", RP2040 datasheet §2.8.1).
 *
 * The boot ROM copies the first 256 bytes of flash to SRAM, checks that the
 * CRC-32 of the first 252 (polynomial 0x04C11DB7, initial 0xFFFFFFFF, not
 * reflected, no final xor) equals the last word, and runs them. Until then
 * flash is not mapped at 0x10000000: boot2 must set up the XIP SSI
 * (DW_apb_ssi at 0x18000000, §4.10) so that each bus read becomes a flash
 * read, then enter the image. This one uses plain 03h serial reads, which
 * every SPI flash answers (the Pico's W25Q16JV does, up to 50 MHz): slower
 * than quad I/O, but nothing to get wrong per flash part. Then it points
 * VTOR at the vector table that follows at 0x10000100, loads the stack
 * pointer from it and jumps to its reset handler.
 *
 * It runs from an SRAM copy, so it is position independent: PC-relative
 * literals only.
 *
 * BOOT2_CRC below is the checksum of the assembled bytes. Editing the code
 * changes it: tests/test_real_boards.py recomputes it from the linked ELF and
 * prints the right value. (It only depends on the instruction bytes, which
 * are the same with every GNU assembler.) */

#define BOOT2_CRC 0xE836F892

#define STR_(x) #x
#define STR(x) STR_(x)

__asm__(
    "    .syntax unified\n"
    "    .cpu cortex-m0plus\n"
    "    .thumb\n"
    "    .section .boot2, \"ax\", %progbits\n"
    "    .global rp2040_boot2\n"
    "    .type rp2040_boot2, %function\n"
    "    .thumb_func\n"
    "rp2040_boot2:\n"
    "    ldr   r3, =0x18000000\n"       /* XIP_SSI base */
    "    movs  r1, #0\n"
    "    str   r1, [r3, #0x08]\n"       /* SSIENR = 0: configurable only while disabled */
    "    movs  r1, #4\n"
    "    str   r1, [r3, #0x14]\n"       /* BAUDR: SCK = clk_sys / 4 (31 MHz at 125 MHz) */
    "    ldr   r1, =0x001F0300\n"       /* CTRLR0: standard SPI, 32-bit frames, TMOD EEPROM read */
    "    str   r1, [r3, #0x00]\n"
    "    ldr   r1, =0x03000218\n"       /* SPI_CTRLR0: command 03h, 8-bit instruction, 24-bit address */
    "    movs  r2, #0xF4\n"
    "    str   r1, [r3, r2]\n"
    "    movs  r1, #0\n"
    "    str   r1, [r3, #0x04]\n"       /* CTRLR1: one data frame per read */
    "    movs  r1, #1\n"
    "    str   r1, [r3, #0x08]\n"       /* SSIENR = 1: flash now reads at 0x10000000 */
    "    ldr   r0, =0x10000100\n"       /* the image's vector table */
    "    ldr   r1, =0xE000ED08\n"       /* VTOR */
    "    str   r0, [r1]\n"
    "    ldr   r1, [r0, #0]\n"
    "    ldr   r2, [r0, #4]\n"
    "    msr   msp, r1\n"
    "    bx    r2\n"
    "    .ltorg\n"
    "    .space 252 - (. - rp2040_boot2)\n"
    "    .word " STR(BOOT2_CRC) "\n"
    "    .size rp2040_boot2, . - rp2040_boot2\n"
    "    .text\n");
