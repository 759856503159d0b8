/* Console: UART0 (an Arm PL011, DS §4.2) on GP0 (TX, Pico pin 1) and GP1
 * (RX, pin 2), 115200 8N1, clocked by clk_peri. */
#include <stdint.h>

#include "../common/board.h"

#define REG(addr) (*(volatile uint32_t *)(addr))

/* IO_BANK0 GPIOn_CTRL, DS §2.19.6.1: FUNCSEL 2 is UART on GP0/GP1. */
#define IO_BANK0_GPIO_CTRL(n) REG(0x40014000u + 0x04u + 8u * (n))
#define GPIO_FUNC_UART 2u
#define TX_PIN 0u
#define RX_PIN 1u

#define UART0_BASE 0x40034000u
#define UART0_DR REG(UART0_BASE + 0x00u)
#define UART0_FR REG(UART0_BASE + 0x18u)
#define UART0_IBRD REG(UART0_BASE + 0x24u)
#define UART0_FBRD REG(UART0_BASE + 0x28u)
#define UART0_LCR_H REG(UART0_BASE + 0x2Cu)
#define UART0_CR REG(UART0_BASE + 0x30u)
#define FR_TXFF (1u << 5)
#define LCR_H_FEN (1u << 4)
#define LCR_H_WLEN_8 (0x3u << 5)
#define CR_UARTEN (1u << 0)
#define CR_TXE (1u << 8)
#define CR_RXE (1u << 9)

#define BAUD 115200u

void board_uart_init(uint32_t clock_hz)
{
    /* Divisor = clock / (16 baud) in 16.6 fixed point, rounded (DS §4.2):
     * 67 + 52/64 at 125 MHz. */
    uint32_t div = 8u * clock_hz / BAUD;
    UART0_IBRD = div >> 7;
    UART0_FBRD = ((div & 0x7Fu) + 1u) / 2u;
    UART0_LCR_H = LCR_H_WLEN_8 | LCR_H_FEN; /* also latches IBRD/FBRD */
    UART0_CR = CR_UARTEN | CR_TXE | CR_RXE;

    IO_BANK0_GPIO_CTRL(TX_PIN) = GPIO_FUNC_UART;
    IO_BANK0_GPIO_CTRL(RX_PIN) = GPIO_FUNC_UART;
}

void board_uart_putc(char c)
{
    while (UART0_FR & FR_TXFF)
        ;
    UART0_DR = (uint8_t)c;
}
