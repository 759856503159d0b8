/*
 * Coverage-guided fuzzing of trt_model_init + trt_invoke with libFuzzer
 * (clang -fsanitize=fuzzer,address,undefined; built and run, 64- and 32-bit,
 * by tools/fuzz/run_libfuzzer.py).
 *
 * Each input is a blob. The custom mutator recomputes the header CRC after
 * libFuzzer's own mutation (and sometimes writes an interesting 32-bit value
 * into the header and tables first), so mutations reach the structural checks
 * instead of dying at the checksum. Checked on every input, beyond ASan and
 * UBSan:
 *   - the blob is never written (compared with a private copy);
 *   - a rejected blob leaves the arena untouched and the model zeroed (not
 *     ready), with a status that trt_status_str() names;
 *   - an accepted blob is refused with an arena one byte short;
 *   - an accepted blob runs, with every write inside the arena: guard bytes
 *     on both sides of it (in the same heap block, so ASan alone would not
 *     see a write there) keep their pattern.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "internal.h"

#define MAX_ARENA (256u << 10) /* bigger arenas are refused: keeps each run fast */
#define GUARD 64u
#define GUARD_BYTE 0xa5
#define ARENA_BYTE 0x5a

int LLVMFuzzerInitialize(int *argc, char ***argv);
size_t LLVMFuzzerMutate(uint8_t *data, size_t size, size_t max_size);
size_t LLVMFuzzerCustomMutator(uint8_t *data, size_t size, size_t max_size, unsigned int seed);
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static void fail(const char *what)
{
    fprintf(stderr, "fuzz_libfuzzer: %s\n", what);
    abort();
}

static int all_bytes(const uint8_t *p, size_t n, uint8_t v)
{
    size_t i;
    for (i = 0; i < n; i++)
    {
        if (p[i] != v)
        {
            return 0;
        }
    }
    return 1;
}

static void hook(void *user, uint32_t op_index, uint32_t op_type, int end)
{
    (void)op_index;
    (void)op_type;
    *(uint32_t *)user += (uint32_t)end;
}

/* Input bytes from a seed; floats kept finite (bytes 0..63 never make a NaN). */
static void fill_inputs(trt_model_t *m, uint32_t seed)
{
    uint32_t i, b;
    for (i = 0; i < trt_num_inputs(m); i++)
    {
        trt_tensor_t t;
        if (trt_input(m, i, &t) != TRT_OK)
        {
            fail("accepted blob: input not readable");
        }
        for (b = 0; b < t.bytes; b++)
        {
            seed ^= seed << 13;
            seed ^= seed >> 17;
            seed ^= seed << 5;
            ((uint8_t *)t.data)[b] = (uint8_t)(seed & (t.type == TRT_TYPE_FLOAT32 ? 0x3f : 0xff));
        }
    }
}

static void check_guards(const uint8_t *block, size_t arena_len)
{
    if (!all_bytes(block, GUARD, GUARD_BYTE) || !all_bytes(block + GUARD + arena_len, GUARD, GUARD_BYTE))
    {
        fail("write outside the arena (guard bytes changed)");
    }
}

/* The API's argument checks, which no blob reaches: once per process. */
int LLVMFuzzerInitialize(int *argc, char ***argv)
{
    static uint32_t blob[32], arena[4];
    trt_model_t model;
    trt_tensor_t t;
    size_t bytes;
    int32_t i;

    (void)argc;
    (void)argv;
    memset(&model, 0, sizeof(model));
    if (trt_model_init(NULL, blob, sizeof(blob), arena, sizeof(arena)) != TRT_ERR_ARG ||
        trt_model_init(&model, NULL, 0, arena, sizeof(arena)) != TRT_ERR_ARG ||
        trt_model_init(&model, blob, sizeof(blob), NULL, 4) != TRT_ERR_ARG ||
        trt_model_init(&model, (uint8_t *)blob + 1, 64, arena, sizeof(arena)) != TRT_ERR_ALIGN ||
        trt_model_init(&model, blob, sizeof(blob), (uint8_t *)arena + 2, 8) != TRT_ERR_ALIGN ||
        trt_arena_required(NULL, 0, &bytes) != TRT_ERR_ARG || trt_arena_required(blob, 0, NULL) != TRT_ERR_ARG ||
        trt_arena_required((uint8_t *)blob + 2, 64, &bytes) != TRT_ERR_ALIGN ||
        trt_invoke(NULL) != TRT_ERR_NOT_READY || trt_reset_state(&model) != TRT_ERR_NOT_READY ||
        trt_input(NULL, 0, &t) != TRT_ERR_ARG || trt_input(&model, 0, NULL) != TRT_ERR_ARG ||
        trt_output(NULL, 0, &t) != TRT_ERR_ARG || trt_input(&model, 0, &t) != TRT_ERR_NOT_READY ||
        trt_output(&model, 0, &t) != TRT_ERR_NOT_READY || trt_num_inputs(NULL) != 0 ||
        trt_num_outputs(&model) != 0 || trt_num_ops(NULL) != 0)
    {
        fail("API argument checks");
    }
    trt_set_op_hook(NULL, hook, NULL);
    for (i = -64; i <= 64; i++)
    {
        if (trt_status_str((trt_status_t)i) == NULL || trt_op_name((uint32_t)i) == NULL ||
            trt_variant_name((uint32_t)i) == NULL)
        {
            fail("a name is NULL");
        }
    }
    return 0;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    /* Exactly `size` bytes in their own heap block: ASan sees any read past
     * the blob. malloc's alignment satisfies the loader's 4 bytes. */
    uint8_t *blob = (uint8_t *)malloc(size ? size : 1);
    uint8_t *block, *arena;
    size_t arena_len = 0;
    trt_model_t model, zero;
    trt_status_t st;
    uint32_t ends = 0, i;

    memcpy(blob, data, size);
    if (trt_arena_required(blob, size, &arena_len) != TRT_OK || arena_len > MAX_ARENA)
    {
        arena_len = 0;
    }
    block = (uint8_t *)malloc(GUARD + arena_len + GUARD);
    arena = block + GUARD;
    memset(block, GUARD_BYTE, GUARD + arena_len + GUARD);
    memset(arena, ARENA_BYTE, arena_len);
    memset(&zero, 0, sizeof(zero));

    if (arena_len > 0)
    {
        /* One byte short: refused, nothing written. */
        memset(&model, 0xee, sizeof(model));
        if (trt_model_init(&model, blob, size, arena, arena_len - 1) == TRT_OK)
        {
            fail("accepted with an arena one byte short");
        }
        if (memcmp(&model, &zero, sizeof(model)) != 0 || !all_bytes(arena, arena_len, ARENA_BYTE))
        {
            fail("short arena: model or arena changed");
        }
    }

    memset(&model, 0xee, sizeof(model));
    st = trt_model_init(&model, blob, size, arena_len ? arena : NULL, arena_len);
    if (trt_status_str(st) == NULL)
    {
        fail("status without a string");
    }
    if (st != TRT_OK)
    {
        if (st >= 0 || memcmp(&model, &zero, sizeof(model)) != 0 || !all_bytes(arena, arena_len, ARENA_BYTE) ||
            trt_invoke(&model) != TRT_ERR_NOT_READY || trt_num_inputs(&model) != 0)
        {
            fail("rejected blob: bad status, or model or arena changed");
        }
    }
    else
    {
        trt_tensor_t t;
        check_guards(block, arena_len);
        fill_inputs(&model, (uint32_t)size * 2654435761u + 1u);
        trt_set_op_hook(&model, hook, &ends);
        if (trt_invoke(&model) != TRT_OK || ends != trt_num_ops(&model))
        {
            fail("accepted blob failed to invoke");
        }
        for (i = 0; i < trt_num_outputs(&model); i++)
        {
            if (trt_output(&model, i, &t) != TRT_OK || (uint8_t *)t.data < arena ||
                t.bytes > arena_len - (size_t)((uint8_t *)t.data - arena))
            {
                fail("accepted blob: output outside the arena");
            }
        }
        if (trt_output(&model, trt_num_outputs(&model), &t) != TRT_ERR_INDEX ||
            trt_input(&model, trt_num_inputs(&model), &t) != TRT_ERR_INDEX || trt_reset_state(&model) != TRT_OK)
        {
            fail("accessors");
        }
        check_guards(block, arena_len);
    }
    if (memcmp(blob, data, size) != 0)
    {
        fail("the blob was written");
    }
    free(block);
    free(blob);
    return 0;
}

static uint32_t rnd(uint32_t *s)
{
    *s ^= *s << 13;
    *s ^= *s >> 17;
    *s ^= *s << 5;
    return *s;
}

size_t LLVMFuzzerCustomMutator(uint8_t *data, size_t size, size_t max_size, unsigned int seed)
{
    static const uint32_t interesting[] = {0, 1, 2, 3, 4, 0x7f, 0x80, 0xff, 0x7fff, 0xffff, 0x7fffffff,
                                           0x80000000u, 0xffffffffu, 0xfffffffeu, 0xfffffffcu, 64, 65535, 65536};
    uint32_t s = seed * 2u + 1u;
    trt_blob_header_t h;

    size = LLVMFuzzerMutate(data, size, max_size);
    if (size >= sizeof(h) && (rnd(&s) & 1))
    {
        /* A 32-bit field of the header or the tables (before the data
         * section) set to a boundary value, nudged by a few. */
        size_t structure = size;
        uint32_t v = interesting[rnd(&s) % (sizeof(interesting) / sizeof(interesting[0]))];
        memcpy(&h, data, sizeof(h));
        if (h.data_off >= sizeof(h) && h.data_off < size)
        {
            structure = h.data_off;
        }
        if (rnd(&s) & 1)
        {
            v += rnd(&s) % 9u - 4u;
        }
        memcpy(data + ((rnd(&s) % structure) & ~(size_t)3), &v, 4);
    }
    /* Mostly a valid CRC, so the structural checks decide; sometimes not,
     * so the CRC check keeps its coverage. */
    if (size >= sizeof(h) && rnd(&s) % 16 != 0)
    {
        memcpy(&h, data, sizeof(h));
        if (h.total_len >= TRT_HEADER_CRC_START && h.total_len <= size)
        {
            h.crc32 = trt_crc32(data + TRT_HEADER_CRC_START, h.total_len - TRT_HEADER_CRC_START);
            memcpy(data + 12, &h.crc32, 4);
        }
    }
    return size;
}
