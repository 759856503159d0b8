/*
 * COPY, int8, in place (PAD, PADV2): one piece whose input and output are
 * one buffer from the same address, the output the larger.
 *
 * The output is written from its last element to its first: the piece's
 * elements in reverse row-major order, each from its source, and the
 * elements between them (and above the last, below the first) with the
 * fill value. An element's output index is never below its input index and
 * the output indices rise with the row-major order (the loader checks both
 * on the piece), so every input element still to be read lies below the one
 * being written: nothing is overwritten before it is read. A row whose
 * strides are both 1 moves with memmove, which handles its own overlap.
 */
#include <string.h>

#include "tinyrt/kernels.h"

/* Fill output [from, to) when the op pads; nothing when the gap is empty. */
static void fill_gap(const trt_copy_params_t *params, int8_t *data, int32_t from, int32_t to)
{
    if (params->fill && to > from)
    {
        memset(data + from, params->fill_value, (size_t)(to - from));
    }
}

void trt_copy_s8_inplace(const trt_ctx_t *ctx, const trt_copy_piece_t *piece, const trt_copy_params_t *params,
                         int32_t size, int8_t *data)
{
    const trt_copy_piece_t p = *piece;
    const int32_t last = TRT_COPY_DIMS - 1;
    const int32_t n = p.count[last];
    const int32_t si = p.in_stride[last];
    const int32_t so = p.out_stride[last];
    int32_t idx[TRT_COPY_DIMS - 1];
    int32_t in = p.in_offset;
    int32_t out = p.out_offset;
    int32_t end = size; /* everything from here up is written */
    int32_t j, k;

    (void)ctx;
    /* Start at the box's last row. */
    for (k = 0; k < last; k++)
    {
        idx[k] = p.count[k] - 1;
        in += idx[k] * p.in_stride[k];
        out += idx[k] * p.out_stride[k];
    }
    for (;;)
    {
        if (si == 1 && so == 1)
        {
            fill_gap(params, data, out + n, end);
            memmove(data + out, data + in, (size_t)n);
        }
        else
        {
            for (j = n - 1; j >= 0; j--)
            {
                fill_gap(params, data, out + j * so + 1, j == n - 1 ? end : out + (j + 1) * so);
                data[out + j * so] = data[in + j * si];
            }
        }
        end = out;
        for (k = last - 1; k >= 0; k--)
        {
            if (idx[k] > 0)
            {
                idx[k]--;
                in -= p.in_stride[k];
                out -= p.out_stride[k];
                break;
            }
            idx[k] = p.count[k] - 1;
            in += idx[k] * p.in_stride[k];
            out += idx[k] * p.out_stride[k];
        }
        if (k < 0)
        {
            break;
        }
    }
    fill_gap(params, data, 0, end);
}
