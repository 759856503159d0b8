/*
 * Hostile-blob harness, built with ASan + UBSan (scons mode=asan).
 *
 *   fuzz_blob BLOB truncate        every prefix of the blob must be rejected
 *   fuzz_blob BLOB bitflip         every single-bit flip: rejected, or loads and runs
 *   fuzz_blob BLOB mutate N SEED   N random mutations with the CRC recomputed, so
 *                                  the structural checks (not the checksum) decide
 *
 * Blob and arena live in heap blocks of exactly their size, so any access
 * outside them is an ASan report; UBSan reports are fatal too. Accepted blobs
 * are invoked on random inputs. Prints one summary line per mode.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "internal.h"

#define MAX_ARENA (8u << 20)

static uint32_t rng_state;

static uint32_t rnd(void)
{
    /* xorshift32: deterministic for a seed, no libc state. */
    rng_state ^= rng_state << 13;
    rng_state ^= rng_state >> 17;
    rng_state ^= rng_state << 5;
    return rng_state;
}

/* Load and, if accepted, run once on random inputs. Returns the status. */
static trt_status_t try_blob(const uint8_t *src, size_t len)
{
    uint8_t *blob = (uint8_t *)malloc(len ? len : 1);
    uint8_t *arena = NULL;
    size_t arena_len = 0;
    trt_model_t model;
    trt_status_t st;
    uint32_t i, b;

    memcpy(blob, src, len);
    if (trt_arena_required(blob, len, &arena_len) == TRT_OK && arena_len <= MAX_ARENA)
    {
        arena = (uint8_t *)malloc(arena_len ? arena_len : 1);
    }
    else
    {
        arena_len = 0;
    }
    st = trt_model_init(&model, blob, len, arena, arena_len);
    if (st == TRT_OK)
    {
        for (i = 0; i < trt_num_inputs(&model); i++)
        {
            trt_tensor_t t;
            if (trt_input(&model, i, &t) != TRT_OK)
            {
                fprintf(stderr, "accepted blob: input %u not readable\n", (unsigned)i);
                abort();
            }
            for (b = 0; b < t.bytes; b++)
            {
                /* Keep float inputs finite: bytes 0..127 never make a NaN. */
                ((uint8_t *)t.data)[b] = (uint8_t)(rnd() & (t.type == TRT_TYPE_FLOAT32 ? 0x3f : 0xff));
            }
        }
        if (trt_invoke(&model) != TRT_OK)
        {
            fprintf(stderr, "accepted blob failed to invoke\n");
            abort();
        }
    }
    free(arena);
    free(blob);
    return st;
}

static void fix_crc(uint8_t *blob, size_t len)
{
    trt_blob_header_t h;
    if (len < sizeof(h))
    {
        return;
    }
    memcpy(&h, blob, sizeof(h));
    if (h.total_len < TRT_HEADER_CRC_START || h.total_len > len)
    {
        return;
    }
    h.crc32 = trt_crc32(blob + TRT_HEADER_CRC_START, h.total_len - TRT_HEADER_CRC_START);
    memcpy(blob + 12, &h.crc32, 4);
}

static void mutate(uint8_t *blob, size_t len, size_t structure_len)
{
    static const uint32_t interesting[] = {0, 1, 2, 3, 4, 0x7f, 0x80, 0xff, 0x7fff, 0xffff, 0x7fffffff,
                                           0x80000000u, 0xffffffffu, 0xfffffffe, 64, 65535, 65536};
    uint32_t edits = 1 + rnd() % 4;
    while (edits--)
    {
        /* Half of the edits hit the header and tables, which are small next
         * to the weights but hold everything the loader has to check. */
        size_t span = (rnd() & 1) ? structure_len : len;
        size_t pos = rnd() % span;
        switch (rnd() % 4)
        {
        case 0:
            blob[pos] ^= (uint8_t)(1u << (rnd() % 8));
            break;
        case 1:
            blob[pos] = (uint8_t)rnd();
            break;
        default:
            if (pos + 4 <= len)
            {
                uint32_t v = interesting[rnd() % (sizeof(interesting) / sizeof(interesting[0]))];
                if (rnd() & 1)
                {
                    v += rnd() % 9u - 4u; /* wraps: nudges around the value */
                }
                memcpy(blob + (pos & ~(size_t)3), &v, 4);
            }
            break;
        }
    }
}

static uint8_t *read_file(const char *path, size_t *len)
{
    FILE *f = fopen(path, "rb");
    uint8_t *buf;
    long n;
    if (f == NULL || fseek(f, 0, SEEK_END) != 0 || (n = ftell(f)) <= 0 || fseek(f, 0, SEEK_SET) != 0)
    {
        fprintf(stderr, "cannot read %s\n", path);
        exit(2);
    }
    buf = (uint8_t *)malloc((size_t)n);
    if (fread(buf, 1, (size_t)n, f) != (size_t)n)
    {
        fprintf(stderr, "cannot read %s\n", path);
        exit(2);
    }
    fclose(f);
    *len = (size_t)n;
    return buf;
}

int main(int argc, char **argv)
{
    size_t len, i, accepted = 0, rejected = 0;
    uint8_t *blob;
    trt_blob_header_t h;

    if (argc < 3)
    {
        fprintf(stderr, "usage: %s BLOB truncate|bitflip|mutate N SEED\n", argv[0]);
        return 2;
    }
    blob = read_file(argv[1], &len);
    if (try_blob(blob, len) != TRT_OK)
    {
        fprintf(stderr, "the unmodified blob does not load\n");
        return 1;
    }
    memcpy(&h, blob, sizeof(h));

    if (strcmp(argv[2], "truncate") == 0)
    {
        for (i = 0; i < len; i++)
        {
            if (try_blob(blob, i) == TRT_OK)
            {
                fprintf(stderr, "blob truncated to %zu bytes was accepted\n", i);
                return 1;
            }
            rejected++;
        }
    }
    else if (strcmp(argv[2], "bitflip") == 0)
    {
        rng_state = 1;
        for (i = 0; i < len * 8; i++)
        {
            blob[i / 8] ^= (uint8_t)(1u << (i % 8));
            if (try_blob(blob, len) == TRT_OK)
            {
                accepted++;
            }
            else
            {
                rejected++;
            }
            blob[i / 8] ^= (uint8_t)(1u << (i % 8));
        }
    }
    else if (strcmp(argv[2], "mutate") == 0 && argc == 5)
    {
        long n = atol(argv[3]);
        uint8_t *work = (uint8_t *)malloc(len);
        size_t structure_len = h.data_off < len ? h.data_off : len;
        rng_state = (uint32_t)strtoul(argv[4], NULL, 10) * 2u + 1u; /* odd: never the all-zero state */
        for (; n > 0; n--)
        {
            memcpy(work, blob, len);
            mutate(work, len, structure_len);
            fix_crc(work, len);
            if (try_blob(work, len) == TRT_OK)
            {
                accepted++;
            }
            else
            {
                rejected++;
            }
        }
        free(work);
    }
    else
    {
        fprintf(stderr, "unknown mode %s\n", argv[2]);
        return 2;
    }
    printf("%s: accepted %zu rejected %zu\n", argv[2], accepted, rejected);
    free(blob);
    return 0;
}
