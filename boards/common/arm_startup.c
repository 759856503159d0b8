/* Cortex-M start-up shared by the Arm boards (ARMv6-M to ARMv8.1-M): the
 * vector table and a reset handler that enables the FPU (and MVE) when the
 * build uses one, copies .data from code memory to RAM and hands over to
 * newlib's _start (crt0: zeroes .bss, runs main and exit; with rdimon it also
 * sets up the semihosted stdio). Linked with cortex_m.ld. The fault handler
 * reports through semihosting; real boards replace it (newlib_uart.c) since
 * a semihosting call without a debugger attached is itself a fault. */
#include <stdint.h>

extern uint32_t __data_start__, __data_end__, __data_load__, __StackTop;
extern void _start(void);

void Reset_Handler(void);
void Fault_Handler(void);
/* A board that uses SysTick provides the handler; until then a SysTick
 * exception is unexpected and counts as a fault. */
void SysTick_Handler(void) __attribute__((weak, alias("Default_Handler")));

#define CPACR (*(volatile uint32_t *)0xE000ED88u)

void Reset_Handler(void)
{
#if defined(__ARM_FP) || defined(__ARM_FEATURE_MVE)
    CPACR |= 0xFu << 20; /* CP10, CP11 full access: the FPU (and MVE) */
    __asm__ volatile("dsb\n\tisb" ::: "memory");
#endif
    const uint32_t *src = &__data_load__;
    for (uint32_t *dst = &__data_start__; dst < &__data_end__;)
        *dst++ = *src++;
    _start();
    for (;;)
        ;
}

/* Any fault: report through semihosting and exit with a failure status so a
 * QEMU run stops instead of hanging (ADP_Stopped_RunTimeErrorUnknown). */
__attribute__((weak)) void Fault_Handler(void)
{
    static const char msg[] = "fault\n";
    register uint32_t r0 __asm__("r0") = 0x04; /* SYS_WRITE0 */
    register const char *r1 __asm__("r1") = msg;
    __asm__ volatile("bkpt 0xab" : "+r"(r0) : "r"(r1) : "memory");
    r0 = 0x18;                                   /* SYS_EXIT */
    r1 = (const char *)0x20023u;                 /* ADP_Stopped_RunTimeErrorUnknown */
    __asm__ volatile("bkpt 0xab" : "+r"(r0) : "r"(r1) : "memory");
    for (;;)
        ;
}

static void Default_Handler(void)
{
    Fault_Handler();
}

__attribute__((section(".isr_vector"), used)) static void (*const vectors[16])(void) = {
    (void (*)(void))(uintptr_t)&__StackTop,
    Reset_Handler,
    Fault_Handler, /* NMI */
    Fault_Handler, /* HardFault */
    Fault_Handler, /* MemManage (reserved on ARMv6-M) */
    Fault_Handler, /* BusFault (reserved on ARMv6-M) */
    Fault_Handler, /* UsageFault (reserved on ARMv6-M) */
    Fault_Handler, /* SecureFault (ARMv8-M with the Security Extension) */
    0, 0, 0,       /* reserved */
    Fault_Handler, /* SVCall */
    Fault_Handler, /* DebugMonitor (reserved on ARMv6-M) */
    0,             /* reserved */
    Fault_Handler, /* PendSV */
    SysTick_Handler,
};
