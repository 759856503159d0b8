/* board.h for the NUCLEO-L4R5ZI (STM32L4R5ZI, reference manual RM0432).
 * Reset leaves the core on MSI at 4 MHz; board_init() takes it to 120 MHz
 * from the PLL, the chip's maximum, which needs the regulator in range 1
 * boost mode and 5 flash wait states first (RM0432, "Dynamic voltage scaling
 * management" and "Read access latency"). The
 * vector table and reset handler are the shared ../common/arm_startup.c. */
#include <stdint.h>

#include "../common/board.h"

#define REG(addr) (*(volatile uint32_t *)(addr))

/* RCC, RM0432 "RCC registers" */
#define RCC_BASE 0x40021000u
#define RCC_CR REG(RCC_BASE + 0x00u)
#define RCC_CFGR REG(RCC_BASE + 0x08u)
#define RCC_PLLCFGR REG(RCC_BASE + 0x0Cu)
#define RCC_APB1ENR1 REG(RCC_BASE + 0x58u)
#define RCC_CR_PLLON (1u << 24)
#define RCC_CR_PLLRDY (1u << 25)
#define RCC_CFGR_SW_MASK 0x3u
#define RCC_CFGR_SW_PLL 0x3u
#define RCC_CFGR_SWS_MASK (0x3u << 2)
#define RCC_CFGR_SWS_PLL (0x3u << 2)
#define RCC_CFGR_HPRE_MASK (0xFu << 4)
#define RCC_CFGR_HPRE_DIV2 (0x8u << 4)
#define RCC_PLLCFGR_PLLSRC_MSI 0x1u
#define RCC_PLLCFGR_PLLM(m) (((m)-1u) << 4)
#define RCC_PLLCFGR_PLLN(n) ((n) << 8)
#define RCC_PLLCFGR_PLLR_DIV2 (0x0u << 25)
#define RCC_PLLCFGR_PLLREN (1u << 24)
#define RCC_APB1ENR1_PWREN (1u << 28)

/* PWR, RM0432 "PWR registers" */
#define PWR_BASE 0x40007000u
#define PWR_SR2 REG(PWR_BASE + 0x14u)
#define PWR_CR5 REG(PWR_BASE + 0x80u)
#define PWR_SR2_VOSF (1u << 10)
#define PWR_CR5_R1MODE (1u << 8)

/* FLASH, RM0432 "Flash access control register" */
#define FLASH_ACR REG(0x40022000u)
#define FLASH_ACR_LATENCY_MASK 0xFu
#define FLASH_ACR_PRFTEN (1u << 8)
#define FLASH_ACR_ICEN (1u << 9)
#define FLASH_ACR_DCEN (1u << 10)

/* Debug registers, ARMv7-M Architecture Reference Manual C1.6, C1.8 */
#define DEMCR REG(0xE000EDFCu)
#define DEMCR_TRCENA (1u << 24)
#define DWT_CTRL REG(0xE0001000u)
#define DWT_CYCCNT REG(0xE0001004u)
#define DWT_CTRL_CYCCNTENA (1u << 0)

/* MSI 4 MHz / M 1 * N 60 = VCO 240 MHz (within 64..344), / R 2 = 120 MHz. */
#define MSI_HZ 4000000u
#define PLL_M 1u
#define PLL_N 60u
#define SYSCLK_HZ (MSI_HZ / PLL_M * PLL_N / 2u)
#define FLASH_WAIT_STATES 5u /* range 1 boost, 100 < HCLK <= 120 MHz (RM0432 "Read access latency") */

static void clock_init(void)
{
    /* Boost mode (R1MODE = 0) lifts the range 1 limit from 80 to 120 MHz.
     * VOS is already range 1 at reset. */
    RCC_APB1ENR1 |= RCC_APB1ENR1_PWREN;
    (void)RCC_APB1ENR1; /* the PWR clock must be on before its first access */
    PWR_CR5 &= ~PWR_CR5_R1MODE;
    while (PWR_SR2 & PWR_SR2_VOSF)
        ;

    /* Wait states before the clock rises, read back as RM0432 asks. */
    FLASH_ACR = (FLASH_ACR & ~FLASH_ACR_LATENCY_MASK) | FLASH_WAIT_STATES;
    while ((FLASH_ACR & FLASH_ACR_LATENCY_MASK) != FLASH_WAIT_STATES)
        ;

    RCC_CR &= ~RCC_CR_PLLON;
    while (RCC_CR & RCC_CR_PLLRDY)
        ;
    RCC_PLLCFGR = RCC_PLLCFGR_PLLSRC_MSI | RCC_PLLCFGR_PLLM(PLL_M) | RCC_PLLCFGR_PLLN(PLL_N) |
                  RCC_PLLCFGR_PLLR_DIV2 | RCC_PLLCFGR_PLLREN;
    RCC_CR |= RCC_CR_PLLON;
    while (!(RCC_CR & RCC_CR_PLLRDY))
        ;

    /* Going above 80 MHz in boost mode, the step must pass through HCLK/2
     * for at least 1 us (RM0432, range 1 boost mode); APB1/APB2 stay
     * undivided. */
    RCC_CFGR = (RCC_CFGR & ~RCC_CFGR_HPRE_MASK) | RCC_CFGR_HPRE_DIV2;
    RCC_CFGR = (RCC_CFGR & ~RCC_CFGR_SW_MASK) | RCC_CFGR_SW_PLL;
    while ((RCC_CFGR & RCC_CFGR_SWS_MASK) != RCC_CFGR_SWS_PLL)
        ;
    for (volatile uint32_t i = 0; i < SYSCLK_HZ / 2u / 1000000u * 2u; i++)
        ; /* > 1 us at 60 MHz */
    RCC_CFGR &= ~RCC_CFGR_HPRE_MASK;

    FLASH_ACR |= FLASH_ACR_PRFTEN | FLASH_ACR_ICEN | FLASH_ACR_DCEN;
}

void board_init(void)
{
    clock_init();
    board_uart_init(SYSCLK_HZ); /* LPUART1 runs from PCLK1 = SYSCLK */
    DEMCR |= DEMCR_TRCENA;
    DWT_CYCCNT = 0;
    DWT_CTRL |= DWT_CTRL_CYCCNTENA;
}

uint32_t board_cycles(void)
{
    return DWT_CYCCNT;
}

uint32_t board_clock_hz(void)
{
    return SYSCLK_HZ;
}
