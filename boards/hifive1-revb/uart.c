/* Console: UART0 on GPIO16 (RX) / GPIO17 (TX) through IOF0, wired to the
 * J-Link OB's virtual COM port, 115200 8N1. picolibc's tiny stdio writes
 * through the `stdout` stream defined here, and exit ends in _exit below:
 * there is no host to return to. */
#include <stdint.h>
#include <stdio.h>
#include <unistd.h>

#include "../common/board.h"
#include "../common/riscv_csr.h"

#define REG(addr) (*(volatile uint32_t *)(addr))

/* GPIO, G002 chapter 17 */
#define GPIO_BASE 0x10012000u
#define GPIO_IOF_EN REG(GPIO_BASE + 0x38u)
#define GPIO_IOF_SEL REG(GPIO_BASE + 0x3Cu)
#define UART0_PINS ((1u << 16) | (1u << 17))

/* UART0, G002 chapter 18 */
#define UART0_BASE 0x10013000u
#define UART0_TXDATA REG(UART0_BASE + 0x00u)
#define UART0_TXCTRL REG(UART0_BASE + 0x08u)
#define UART0_RXCTRL REG(UART0_BASE + 0x0Cu)
#define UART0_DIV REG(UART0_BASE + 0x18u)
#define TXDATA_FULL (1u << 31)
#define TXCTRL_TXEN (1u << 0)
#define RXCTRL_RXEN (1u << 0)

#define BAUD 115200u
#define MSTATUS_MIE (1u << 3)

void board_uart_init(uint32_t clock_hz)
{
    /* Baud = tlclk / (div + 1), rounded to the nearest divisor. */
    UART0_DIV = (clock_hz + BAUD / 2u) / BAUD - 1u;
    UART0_TXCTRL = TXCTRL_TXEN; /* one stop bit */
    UART0_RXCTRL = RXCTRL_RXEN;
    GPIO_IOF_SEL &= ~UART0_PINS; /* IOF0 */
    GPIO_IOF_EN |= UART0_PINS;
}

void board_uart_putc(char c)
{
    while (UART0_TXDATA & TXDATA_FULL)
        ;
    UART0_TXDATA = (uint8_t)c;
}

static int console_put(char c, FILE *f)
{
    (void)f;
    if (c == '\n')
        board_uart_putc('\r'); /* terminals expect CR LF */
    board_uart_putc(c);
    return (unsigned char)c;
}

static FILE console = FDEV_SETUP_STREAM(console_put, NULL, NULL, _FDEV_SETUP_WRITE);
FILE *const stdin = &console;
FILE *const stdout = &console;
FILE *const stderr = &console;

/* Park the hart with interrupts off; the last output stays on the console. */
void _exit(int status)
{
    (void)status;
    csr_clear(mstatus, MSTATUS_MIE);
    for (;;)
        __asm__ volatile("wfi");
}
