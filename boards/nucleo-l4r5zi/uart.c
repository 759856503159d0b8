/* Console: LPUART1 on PG7 (TX) / PG8 (RX), alternate function 8, which the
 * Nucleo-144 wires to the ST-LINK virtual COM port (UM2179, the Nucleo-144
 * user manual, "USART communication"). Port G
 * pins 2..15 are supplied by VDDIO2, which is isolated until PWR_CR2.IOSV is
 * set (RM0432, "Independent I/O supply rail"); without it the pins stay
 * dead. */
#include <stdint.h>

#include "../common/board.h"

#define REG(addr) (*(volatile uint32_t *)(addr))

#define RCC_BASE 0x40021000u
#define RCC_AHB2ENR REG(RCC_BASE + 0x4Cu)
#define RCC_APB1ENR2 REG(RCC_BASE + 0x5Cu)
#define RCC_CCIPR REG(RCC_BASE + 0x88u)
#define RCC_AHB2ENR_GPIOGEN (1u << 6)
#define RCC_APB1ENR2_LPUART1EN (1u << 0)
#define RCC_CCIPR_LPUART1SEL_MASK (0x3u << 10) /* 00: PCLK1 */

#define PWR_CR2 REG(0x40007000u + 0x04u)
#define PWR_CR2_IOSV (1u << 9)

#define GPIOG_BASE 0x48001800u
#define GPIOG_MODER REG(GPIOG_BASE + 0x00u)
#define GPIOG_OSPEEDR REG(GPIOG_BASE + 0x08u)
#define GPIOG_PUPDR REG(GPIOG_BASE + 0x0Cu)
#define GPIOG_AFRL REG(GPIOG_BASE + 0x20u)
#define GPIOG_AFRH REG(GPIOG_BASE + 0x24u)
#define MODER_AF 0x2u
#define PUPDR_PULL_UP 0x1u
#define AF8_LPUART1 0x8u
#define TX_PIN 7u
#define RX_PIN 8u

/* LPUART1, RM0432 "LPUART registers" */
#define LPUART1_BASE 0x40008000u
#define LPUART1_CR1 REG(LPUART1_BASE + 0x00u)
#define LPUART1_BRR REG(LPUART1_BASE + 0x0Cu)
#define LPUART1_ISR REG(LPUART1_BASE + 0x1Cu)
#define LPUART1_ICR REG(LPUART1_BASE + 0x20u)
#define LPUART1_RDR REG(LPUART1_BASE + 0x24u)
#define LPUART1_TDR REG(LPUART1_BASE + 0x28u)
#define ISR_ORE (1u << 3)
#define ISR_RXNE (1u << 5)
#define CR1_UE (1u << 0)
#define CR1_RE (1u << 2)
#define CR1_TE (1u << 3)
#define ISR_TXE (1u << 7)

#define BAUD 115200u

void board_uart_init(uint32_t clock_hz)
{
    RCC_AHB2ENR |= RCC_AHB2ENR_GPIOGEN;
    RCC_APB1ENR2 |= RCC_APB1ENR2_LPUART1EN;
    RCC_CCIPR &= ~RCC_CCIPR_LPUART1SEL_MASK;
    (void)RCC_APB1ENR2; /* clocks on before the first peripheral access */
    PWR_CR2 |= PWR_CR2_IOSV; /* PWR clock enabled by clock_init() */

    GPIOG_AFRL = (GPIOG_AFRL & ~(0xFu << (4u * TX_PIN))) | (AF8_LPUART1 << (4u * TX_PIN));
    GPIOG_AFRH = (GPIOG_AFRH & ~(0xFu << (4u * (RX_PIN - 8u)))) | (AF8_LPUART1 << (4u * (RX_PIN - 8u)));
    GPIOG_OSPEEDR &= ~((0x3u << (2u * TX_PIN)) | (0x3u << (2u * RX_PIN))); /* low speed is plenty */
    GPIOG_PUPDR = (GPIOG_PUPDR & ~(0x3u << (2u * RX_PIN))) | (PUPDR_PULL_UP << (2u * RX_PIN));
    GPIOG_MODER = (GPIOG_MODER & ~((0x3u << (2u * TX_PIN)) | (0x3u << (2u * RX_PIN)))) |
                  (MODER_AF << (2u * TX_PIN)) | (MODER_AF << (2u * RX_PIN));

    /* LPUART: BRR = 256 * f_ck / baud (RM0432, "LPUART baud rate
     * generation"), rounded; 20 bits, 266,667 at 120 MHz. Word length,
     * parity and stop bits reset to 8N1. */
    LPUART1_CR1 = 0;
    LPUART1_BRR = (uint32_t)(((uint64_t)clock_hz * 256u + BAUD / 2u) / BAUD);
    LPUART1_CR1 = CR1_TE | CR1_RE | CR1_UE;
}

void board_uart_putc(char c)
{
    while (!(LPUART1_ISR & ISR_TXE))
        ;
    LPUART1_TDR = (uint8_t)c;
}

/* For the serial server: the next received byte, or -1. An overrun (bytes
 * that came while the core was busy) is cleared so reception goes on; the
 * protocol notices the lost bytes and the host sends again. */
int board_uart_getc(void)
{
    uint32_t isr = LPUART1_ISR;
    if (isr & ISR_ORE)
        LPUART1_ICR = ISR_ORE;
    if (!(isr & ISR_RXNE))
        return -1;
    return (int)(LPUART1_RDR & 0xFFu);
}
