/* Polled serial console for the QEMU MPS2 boards, for the serial server
 * (serve_main.c): CMSDK APB UART0 at 0x40004000 (QEMU's first -serial) and
 * CMSDK APB timer 0 at 0x40000000, counting the 25 MHz peripheral clock, as
 * the time base. The test firmware keeps using semihosting; these functions
 * are dropped by --gc-sections there. */
#include <stdint.h>

#include "board.h"

#define REG(addr) (*(volatile uint32_t *)(addr))

#define UART0_BASE 0x40004000u
#define UART_DATA REG(UART0_BASE + 0x00u)
#define UART_STATE REG(UART0_BASE + 0x04u)
#define UART_CTRL REG(UART0_BASE + 0x08u)
#define UART_BAUDDIV REG(UART0_BASE + 0x10u)
#define STATE_TX_FULL (1u << 0)
#define STATE_RX_FULL (1u << 1)
#define CTRL_TX_EN (1u << 0)
#define CTRL_RX_EN (1u << 1)

#define TIMER0_BASE 0x40000000u
#define TIMER_CTRL REG(TIMER0_BASE + 0x00u)
#define TIMER_VALUE REG(TIMER0_BASE + 0x04u)
#define TIMER_RELOAD REG(TIMER0_BASE + 0x08u)
#define PCLK_HZ 25000000u

static int ready;

static void serial_init(void)
{
    UART_BAUDDIV = PCLK_HZ / 115200u;
    UART_CTRL = CTRL_TX_EN | CTRL_RX_EN;
    /* A read of DATA makes QEMU poll its serial backend again: without it,
     * input sent before RX was enabled waits for QEMU's next idle wake-up. */
    (void)UART_DATA;
    TIMER_RELOAD = 0xFFFFFFFFu;
    TIMER_VALUE = 0xFFFFFFFFu;
    TIMER_CTRL = 1u; /* enable, no interrupt */
    ready = 1;
}

void board_uart_init(uint32_t clock_hz)
{
    (void)clock_hz;
    serial_init();
}

void board_uart_putc(char c)
{
    if (!ready)
        serial_init();
    while (UART_STATE & STATE_TX_FULL)
        ;
    UART_DATA = (uint8_t)c;
}

int board_uart_getc(void)
{
    if (!ready)
        serial_init();
    if (!(UART_STATE & STATE_RX_FULL))
        return -1;
    return (int)(UART_DATA & 0xFFu);
}

uint64_t board_time_us(void)
{
    static uint32_t last;
    static uint64_t ticks;
    if (!ready)
        serial_init();
    uint32_t now = ~TIMER_VALUE; /* counts down from 0xFFFFFFFF */
    ticks += (uint32_t)(now - last);
    last = now;
    return ticks / (PCLK_HZ / 1000000u);
}
