/* Kernel-variant firmware: any blob, any case, on the target ISA.
 *
 * Linked with libtinyrt's default op table (every (op, variant) pair the
 * board's kernel directories build), not a model's own, and with RAM
 * buffers for a blob, its inputs, its outputs and its arena (sizes in the
 * generated cases_data.h). tinyrt.target.cases loads the ELF into an
 * emulator once and, per case, writes the blob and the inputs (all inputs
 * back to back, in input order) into cases_blob and cases_in and calls
 * cases_run(blob_len): the outputs (all of them back to back) are then in
 * cases_out, cases_out_len bytes. To count the instructions of the
 * inference alone it calls cases_load, trt_invoke(&cases_model) and
 * cases_store instead, which is what cases_run does.
 *
 * main() runs the cases embedded in the generated cases_data.c (several
 * per QEMU process) the same way and prints, like boards/common/main.c,
 *   out <i> <hex bytes of all outputs, concatenated>
 *   ...
 *   done
 * or "error case <i>: <status>" and exit(1). */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "board.h"
#include "cases_data.h"
#include "tinyrt/tinyrt.h"

/* Besides trt_status_t's negative codes, cases_run returns these. */
#define CASES_ERR_INPUTS 1  /* the inputs need more than cases_in */
#define CASES_ERR_OUTPUTS 2 /* the outputs need more than cases_out */
#define CASES_ERR_BLOB 3    /* an embedded blob needs more than cases_blob */

/* From the generated cases_data.c: cases_count records of u32 blob_len,
 * u32 input_len, the blob, the inputs (each padded to 4 bytes). */
extern const uint32_t cases_count;
extern const uint8_t cases_embedded[];

trt_model_t cases_model;
uint8_t cases_blob[CASES_BLOB_BYTES] __attribute__((aligned(16)));
uint8_t cases_in[CASES_IO_BYTES] __attribute__((aligned(16)));
uint8_t cases_out[CASES_IO_BYTES] __attribute__((aligned(16)));
uint8_t cases_arena[CASES_ARENA_BYTES] __attribute__((aligned(16)));
uint32_t cases_out_len;

int cases_load(uint32_t blob_len);
int cases_store(void);
int cases_run(uint32_t blob_len);

/* Validate and bind the blob in cases_blob, then fill its inputs from cases_in. */
__attribute__((noinline)) int cases_load(uint32_t blob_len)
{
    trt_status_t st = trt_model_init(&cases_model, cases_blob, blob_len, cases_arena, sizeof cases_arena);
    if (st != TRT_OK)
        return (int)st;
    uint32_t used = 0;
    for (uint32_t i = 0; i < trt_num_inputs(&cases_model); i++) {
        trt_tensor_t in;
        if ((st = trt_input(&cases_model, i, &in)) != TRT_OK)
            return (int)st;
        if (in.bytes > sizeof cases_in - used)
            return CASES_ERR_INPUTS;
        memcpy(in.data, cases_in + used, in.bytes);
        used += in.bytes;
    }
    return 0;
}

/* Every output, back to back, into cases_out; its length into cases_out_len. */
__attribute__((noinline)) int cases_store(void)
{
    uint32_t used = 0;
    for (uint32_t o = 0; o < trt_num_outputs(&cases_model); o++) {
        trt_tensor_t out;
        trt_status_t st = trt_output(&cases_model, o, &out);
        if (st != TRT_OK)
            return (int)st;
        if (out.bytes > sizeof cases_out - used)
            return CASES_ERR_OUTPUTS;
        memcpy(cases_out + used, out.data, out.bytes);
        used += out.bytes;
    }
    cases_out_len = used;
    return 0;
}

/* One case: 0, a trt_status_t, or CASES_ERR_*. */
__attribute__((noinline)) int cases_run(uint32_t blob_len)
{
    cases_out_len = 0;
    int st = cases_load(blob_len);
    if (st == 0)
        st = (int)trt_invoke(&cases_model);
    if (st == 0)
        st = cases_store();
    return st;
}

static uint32_t read_u32(const uint8_t *p)
{
    uint32_t v;
    memcpy(&v, p, sizeof v);
    return v;
}

int main(void)
{
    static const char hex[] = "0123456789abcdef";
    /* Long outputs go out in pieces of this size. */
    static char line[512];
    board_init();
    const uint8_t *p = cases_embedded;
    for (uint32_t c = 0; c < cases_count; c++) {
        uint32_t blob_len = read_u32(p), in_len = read_u32(p + 4);
        p += 8;
        int st = blob_len <= sizeof cases_blob ? 0 : CASES_ERR_BLOB;
        if (st == 0 && in_len > sizeof cases_in)
            st = CASES_ERR_INPUTS;
        if (st == 0) {
            memcpy(cases_blob, p, blob_len);
            memcpy(cases_in, p + ((blob_len + 3u) & ~3u), in_len);
            st = cases_run(blob_len);
        }
        if (st != 0) {
            printf("error case %lu: %d %s\n", (unsigned long)c, st, st < 0 ? trt_status_str((trt_status_t)st) : "");
            exit(1);
        }
        p += ((blob_len + 3u) & ~3u) + ((in_len + 3u) & ~3u);

        int n = snprintf(line, sizeof line, "out %lu ", (unsigned long)c);
        size_t pos = n > 0 ? (size_t)n : 0;
        for (uint32_t b = 0; b < cases_out_len; b++) {
            if (pos + 3 >= sizeof line) {
                line[pos] = '\0';
                fputs(line, stdout);
                pos = 0;
            }
            line[pos++] = hex[cases_out[b] >> 4];
            line[pos++] = hex[cases_out[b] & 0xF];
        }
        line[pos] = '\0';
        puts(line);
    }
    puts("done");
    fflush(stdout);
    exit(0);
}
