/* Benchmark firmware: one inference of the model blob of model_data.c on the
 * first vector of vectors.c, with a per-op hook that records every op event.
 *
 * tinyrt.target.emu (`tinyrt bench`) does not run main(): it loads the ELF
 * into an emulator and calls bench_setup(), trt_invoke(&bench_model) and
 * bench_finish() directly, counting the instructions of trt_invoke only and
 * splitting them at the calls of bench_op_hook (whose own instructions are
 * instrumentation and are not counted). main() does the same for a QEMU run
 * and prints "out 0 <hex>" and "done" like boards/common/main.c. */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "model_data.h"
#include "tinyrt/tinyrt.h"

extern const uint32_t fw_num_vectors;
extern const uint32_t fw_vector_bytes;
extern const int8_t fw_vectors[];

/* Sized by the model, so the bench firmware fits the boards its test firmware fits. */
#define BENCH_MAX_EVENTS (2u * MODEL_DATA_NUM_OPS)
#define BENCH_MAX_OUT (MODEL_DATA_OUTPUT_BYTES > 0 ? MODEL_DATA_OUTPUT_BYTES : 1u)

trt_model_t bench_model;
static uint8_t arena[MODEL_DATA_ARENA_BYTES > 0 ? MODEL_DATA_ARENA_BYTES : 1] __attribute__((aligned(16)));
volatile uint32_t bench_events[BENCH_MAX_EVENTS]; /* op_index | op_type << 16 | end << 31 */
volatile uint32_t bench_num_events;
uint8_t bench_out[BENCH_MAX_OUT];
uint32_t bench_out_len;

int bench_setup(void);
int bench_finish(void);
void bench_op_hook(void *user, uint32_t op_index, uint32_t op_type, int end);

__attribute__((noinline)) void bench_op_hook(void *user, uint32_t op_index, uint32_t op_type, int end)
{
    (void)user;
    uint32_t n = bench_num_events;
    if (n < BENCH_MAX_EVENTS)
        bench_events[n] = (op_index & 0xFFFFu) | ((op_type & 0x7FFFu) << 16) | ((uint32_t)(end != 0) << 31);
    bench_num_events = n + 1;
}

/* Model init, hook, inputs. 0 on success, else a negative step number or a trt_status_t. */
__attribute__((noinline)) int bench_setup(void)
{
    trt_status_t st = trt_model_init(&bench_model, model_data, model_data_len, arena, sizeof arena);
    if (st != TRT_OK)
        return (int)st;
    trt_set_op_hook(&bench_model, bench_op_hook, 0);
    bench_num_events = 0;
    size_t used = 0;
    for (uint32_t i = 0; i < trt_num_inputs(&bench_model); i++) {
        trt_tensor_t in;
        if ((st = trt_input(&bench_model, i, &in)) != TRT_OK)
            return (int)st;
        if (used + in.bytes > fw_vector_bytes)
            return -1;
        memcpy(in.data, fw_vectors + used, in.bytes);
        used += in.bytes;
    }
    return 0;
}

/* All outputs, concatenated, into bench_out / bench_out_len. */
__attribute__((noinline)) int bench_finish(void)
{
    uint32_t pos = 0;
    for (uint32_t o = 0; o < trt_num_outputs(&bench_model); o++) {
        trt_tensor_t out;
        trt_status_t st = trt_output(&bench_model, o, &out);
        if (st != TRT_OK)
            return (int)st;
        if (pos + out.bytes > BENCH_MAX_OUT)
            return -2;
        memcpy(bench_out + pos, out.data, out.bytes);
        pos += out.bytes;
    }
    bench_out_len = pos;
    return 0;
}

int main(void)
{
    static const char hex[] = "0123456789abcdef";
    int st = bench_setup();
    if (st == 0)
        st = (int)trt_invoke(&bench_model);
    if (st == 0)
        st = bench_finish();
    if (st != 0) {
        printf("error bench %d\n", st);
        exit(1);
    }
    fputs("out 0 ", stdout);
    for (uint32_t b = 0; b < bench_out_len; b++) {
        putchar(hex[bench_out[b] >> 4]);
        putchar(hex[bench_out[b] & 0xF]);
    }
    puts("");
    puts("done");
    fflush(stdout);
    exit(0);
}
