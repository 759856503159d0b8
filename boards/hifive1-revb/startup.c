/* board.h for the HiFive1 Rev B (SiFive FE310-G002 Manual v1p1, "G002"
 * below, chapters named by title). The reset vector, .data copy and .bss clear are picolibc's crt0;
 * board_cycles() is ../common/riscv_mcycle.c.
 *
 * Clock: the bootloader leaves the core on the internal HFROSC at an
 * imprecise ~14-16 MHz. board_init() runs the PLL from the 16 MHz crystal
 * (HFXOSC): 16 MHz / R 2 = 8 MHz reference (6..12 MHz), x 2(F+1) = 80 -> VCO
 * 640 MHz (384..768 MHz), / 2^Q = 2 -> 320 MHz, the part's rated maximum
 * (G002 "Clock Generation"). Peripherals (tlclk) run on the same clock. */
#include <stdint.h>

#include "../common/board.h"
#include "../common/riscv_csr.h"

#define REG(addr) (*(volatile uint32_t *)(addr))

/* PRCI, G002 "Clock Generation" */
#define PRCI_BASE 0x10008000u
#define PRCI_HFROSCCFG REG(PRCI_BASE + 0x00u)
#define PRCI_HFXOSCCFG REG(PRCI_BASE + 0x04u)
#define PRCI_PLLCFG REG(PRCI_BASE + 0x08u)
#define PRCI_PLLOUTDIV REG(PRCI_BASE + 0x0Cu)
#define HFROSC_EN (1u << 30)
#define HFROSC_RDY (1u << 31)
#define HFXOSC_EN (1u << 30)
#define HFXOSC_RDY (1u << 31)
#define PLL_R(r) ((uint32_t)(r) << 0) /* divide by r + 1 */
#define PLL_F(f) ((uint32_t)(f) << 4) /* multiply by 2 (f + 1) */
#define PLL_Q(q) ((uint32_t)(q) << 10) /* divide by 2^q */
#define PLL_FIELDS_MASK 0xFFFu
#define PLL_SEL (1u << 16)    /* core clock from the PLL, not HFROSC */
#define PLL_REFSEL (1u << 17) /* PLL reference: HFXOSC */
#define PLL_BYPASS (1u << 18)
#define PLL_LOCK (1u << 31)
#define PLLOUTDIV_BY1 (1u << 8)

#define PLL_REF_DIV 2u /* R = 1 */
#define PLL_MUL 80u    /* F = 39 */
#define PLL_OUT_DIV 2u /* Q = 1 */
#define HFXOSC_HZ 16000000u
#define CORE_HZ (HFXOSC_HZ / PLL_REF_DIV * PLL_MUL / PLL_OUT_DIV)

/* QSPI0 serial clock divider: f_sck = tlclk / (2 (div + 1)) (G002 "SPI").
 * The flash is read with plain 03h commands (bootloader default), good to
 * 50 MHz: 320 / 8 = 40 MHz. */
#define QSPI0_SCKDIV REG(0x10014000u + 0x00u)
#define QSPI0_SCKDIV_AT_CORE_HZ 3u

/* CLINT mtime runs from the 32,768 Hz low-frequency clock (G002 "CLINT"). */
#define CLINT_MTIME_LO REG(0x0200BFF8u)
#define MTIME_HZ 32768u

static void wait_mtime_ticks(uint32_t ticks)
{
    uint32_t start = CLINT_MTIME_LO;
    while (CLINT_MTIME_LO - start < ticks)
        ;
}

static void clock_init(void)
{
    /* Step off the PLL first: it cannot be reprogrammed while it drives the
     * core, and the bootloader may have left it in use. */
    PRCI_HFROSCCFG |= HFROSC_EN;
    while (!(PRCI_HFROSCCFG & HFROSC_RDY))
        ;
    PRCI_PLLCFG &= ~PLL_SEL;

    PRCI_HFXOSCCFG |= HFXOSC_EN;
    while (!(PRCI_HFXOSCCFG & HFXOSC_RDY))
        ;
    PRCI_PLLCFG = (PRCI_PLLCFG & ~(PLL_FIELDS_MASK | PLL_BYPASS)) | PLL_REFSEL |
                  PLL_R(PLL_REF_DIV - 1u) | PLL_F(PLL_MUL / 2u - 1u) | PLL_Q(1);
    PRCI_PLLOUTDIV = PLLOUTDIV_BY1;
    /* The lock bit is unreliable for the first 100 us after a change
     * (G002 "Clock Generation"): wait ~150 us before looking at it. */
    wait_mtime_ticks(MTIME_HZ / 10000u * 5u / 3u + 1u);
    while (!(PRCI_PLLCFG & PLL_LOCK))
        ;

    /* Slow the flash clock before the core clock rises under it. */
    QSPI0_SCKDIV = QSPI0_SCKDIV_AT_CORE_HZ;
    PRCI_PLLCFG |= PLL_SEL;
}

/* Traps are never expected: report one and stop, instead of jumping through
 * whatever mtvec the bootloader left. Direct mode needs 4-byte alignment. */
__attribute__((interrupt("machine"), aligned(4))) static void trap_handler(void)
{
    static const char msg[] = "\r\nfault\r\n";
    for (const char *p = msg; *p; p++)
        board_uart_putc(*p);
    for (;;)
        __asm__ volatile("wfi");
}

void board_init(void)
{
    csr_write(mtvec, (uint32_t)(uintptr_t)trap_handler);
    clock_init();
    board_uart_init(CORE_HZ);
}

uint32_t board_clock_hz(void)
{
    return CORE_HZ;
}
