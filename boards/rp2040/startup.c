/* board.h for the Raspberry Pi Pico (RP2040 datasheet, "DS" below). The boot
 * ROM runs boot2.c, which enters the shared ../common/arm_startup.c through
 * the vector table at 0x10000100.
 *
 * Clock: the boot ROM leaves clk_sys and clk_ref on the ring oscillator
 * (~6 MHz, imprecise). board_init() starts the 12 MHz crystal, runs clk_ref
 * from it and clk_sys from PLL_SYS at 125 MHz: 12 MHz / REFDIV 1 x FBDIV 125 =
 * VCO 1500 MHz (750..1600), / POSTDIV1 6 / POSTDIV2 2 = 125 MHz (DS §2.18.2).
 * clk_peri, the UART's clock, follows clk_sys.
 *
 * Cycle counter: the Cortex-M0+ (ARMv6-M) has no DWT cycle counter, so
 * SysTick counts core clocks, 24 bits wide; its wrap interrupt (every 2^24
 * cycles, 134 ms) adds the upper 8 bits in software. */
#include <stdint.h>

#include "../common/board.h"

#define REG(addr) (*(volatile uint32_t *)(addr))
/* Atomic set/clear aliases of every peripheral register (DS §2.1.2). */
#define SET(addr) REG((addr) + 0x2000u)
#define CLR(addr) REG((addr) + 0x3000u)

/* RESETS, DS §2.14 */
#define RESETS_RESET 0x4000C000u
#define RESETS_DONE REG(0x4000C008u)
#define RESET_IO_BANK0 (1u << 5)
#define RESET_PADS_BANK0 (1u << 8)
#define RESET_PLL_SYS (1u << 12)
#define RESET_UART0 (1u << 22)

/* XOSC, DS §2.16 */
#define XOSC_BASE 0x40024000u
#define XOSC_CTRL REG(XOSC_BASE + 0x00u)
#define XOSC_STATUS REG(XOSC_BASE + 0x04u)
#define XOSC_STARTUP REG(XOSC_BASE + 0x0Cu)
#define XOSC_CTRL_ENABLE (0xFABu << 12)
#define XOSC_CTRL_1_15MHZ 0xAA0u
#define XOSC_STATUS_STABLE (1u << 31)
#define XOSC_HZ 12000000u

/* PLL_SYS, DS §2.18 */
#define PLL_SYS_BASE 0x40028000u
#define PLL_CS REG(PLL_SYS_BASE + 0x0u)
#define PLL_PWR (PLL_SYS_BASE + 0x4u)
#define PLL_FBDIV_INT REG(PLL_SYS_BASE + 0x8u)
#define PLL_PRIM REG(PLL_SYS_BASE + 0xCu)
#define PLL_CS_LOCK (1u << 31)
#define PLL_PWR_PD (1u << 0)
#define PLL_PWR_POSTDIVPD (1u << 3)
#define PLL_PWR_VCOPD (1u << 5)
#define PLL_PRIM_POSTDIV1(d) ((uint32_t)(d) << 16)
#define PLL_PRIM_POSTDIV2(d) ((uint32_t)(d) << 12)
#define PLL_REFDIV 1u
#define PLL_FBDIV 125u
#define PLL_POSTDIV1 6u
#define PLL_POSTDIV2 2u
#define CLK_SYS_HZ (XOSC_HZ / PLL_REFDIV * PLL_FBDIV / PLL_POSTDIV1 / PLL_POSTDIV2)

/* CLOCKS, DS §2.15.7 */
#define CLOCKS_BASE 0x40008000u
#define CLK_REF_CTRL REG(CLOCKS_BASE + 0x30u)
#define CLK_REF_SELECTED REG(CLOCKS_BASE + 0x38u)
#define CLK_SYS_CTRL REG(CLOCKS_BASE + 0x3Cu)
#define CLK_SYS_SELECTED REG(CLOCKS_BASE + 0x44u)
#define CLK_PERI_CTRL REG(CLOCKS_BASE + 0x48u)
#define CLK_REF_SRC_MASK 0x3u
#define CLK_REF_SRC_XOSC 0x2u
#define CLK_SYS_SRC_MASK 0x1u
#define CLK_SYS_SRC_REF 0x0u
#define CLK_SYS_SRC_AUX 0x1u
#define CLK_SYS_AUXSRC_MASK (0x7u << 5)
#define CLK_SYS_AUXSRC_PLL_SYS (0x0u << 5)
#define CLK_PERI_ENABLE (1u << 11)
#define CLK_PERI_AUXSRC_CLK_SYS (0x0u << 5)

/* SysTick, ARMv6-M Architecture Reference Manual B3.3 */
#define SYST_CSR REG(0xE000E010u)
#define SYST_RVR REG(0xE000E014u)
#define SYST_CVR REG(0xE000E018u)
#define SYST_CSR_ENABLE (1u << 0)
#define SYST_CSR_TICKINT (1u << 1)
#define SYST_CSR_CLKSOURCE_CPU (1u << 2)
#define SYST_MAX 0x00FFFFFFu

void SysTick_Handler(void);

static volatile uint32_t systick_wraps;

static void unreset(uint32_t bits)
{
    CLR(RESETS_RESET) = bits;
    while ((RESETS_DONE & bits) != bits)
        ;
}

static void clock_init(void)
{
    XOSC_STARTUP = (XOSC_HZ / 1000u + 128u) / 256u; /* ~1 ms, in units of 256 cycles */
    XOSC_CTRL = XOSC_CTRL_ENABLE | XOSC_CTRL_1_15MHZ;
    while (!(XOSC_STATUS & XOSC_STATUS_STABLE))
        ;

    /* clk_sys off its aux mux before the PLL behind it is reset; clk_ref
     * (glitchless) onto the crystal. */
    CLK_SYS_CTRL = (CLK_SYS_CTRL & ~CLK_SYS_SRC_MASK) | CLK_SYS_SRC_REF;
    while (CLK_SYS_SELECTED != (1u << CLK_SYS_SRC_REF))
        ;
    CLK_REF_CTRL = (CLK_REF_CTRL & ~CLK_REF_SRC_MASK) | CLK_REF_SRC_XOSC;
    while (CLK_REF_SELECTED != (1u << CLK_REF_SRC_XOSC))
        ;

    /* PLL programming sequence, DS §2.18.2. */
    SET(RESETS_RESET) = RESET_PLL_SYS;
    unreset(RESET_PLL_SYS);
    PLL_CS = PLL_REFDIV;
    PLL_FBDIV_INT = PLL_FBDIV;
    CLR(PLL_PWR) = PLL_PWR_PD | PLL_PWR_VCOPD;
    while (!(PLL_CS & PLL_CS_LOCK))
        ;
    PLL_PRIM = PLL_PRIM_POSTDIV1(PLL_POSTDIV1) | PLL_PRIM_POSTDIV2(PLL_POSTDIV2);
    CLR(PLL_PWR) = PLL_PWR_POSTDIVPD;

    /* The aux mux is not glitchless: set it while clk_sys runs from clk_ref. */
    CLK_SYS_CTRL = (CLK_SYS_CTRL & ~CLK_SYS_AUXSRC_MASK) | CLK_SYS_AUXSRC_PLL_SYS;
    CLK_SYS_CTRL = (CLK_SYS_CTRL & ~CLK_SYS_SRC_MASK) | CLK_SYS_SRC_AUX;
    while (CLK_SYS_SELECTED != (1u << CLK_SYS_SRC_AUX))
        ;

    CLK_PERI_CTRL = CLK_PERI_ENABLE | CLK_PERI_AUXSRC_CLK_SYS; /* off since reset */
}

void board_init(void)
{
    clock_init();
    unreset(RESET_IO_BANK0 | RESET_PADS_BANK0 | RESET_UART0);
    board_uart_init(CLK_SYS_HZ);

    SYST_RVR = SYST_MAX;
    SYST_CVR = 0;
    SYST_CSR = SYST_CSR_CLKSOURCE_CPU | SYST_CSR_TICKINT | SYST_CSR_ENABLE;
}

void SysTick_Handler(void)
{
    systick_wraps++;
}

uint32_t board_cycles(void)
{
    /* A wrap between the two reads re-reads: the handler runs at the next
     * instruction boundary after the counter reloads, before the second
     * read of the wrap count. */
    uint32_t wraps, count;
    do {
        wraps = systick_wraps;
        count = SYST_CVR;
    } while (wraps != systick_wraps);
    return (wraps << 24) + (SYST_MAX - count);
}

uint32_t board_clock_hz(void)
{
    return CLK_SYS_HZ;
}
