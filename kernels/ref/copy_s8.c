/*
 * COPY, int8: one strided-copy piece (trt_copy_piece_t). The outer five
 * loop dims are walked as an odometer, the innermost as a row: a memmove
 * when both strides are 1 (the common case: contiguous runs), else a
 * strided loop. Every partial index sum is the address of an element of the
 * box (the remaining indices 0), which the loader checked in range, so the
 * int32 arithmetic cannot overflow.
 */
#include <string.h>

#include "tinyrt/kernels.h"

void trt_copy_s8(const trt_ctx_t *ctx, const trt_copy_piece_t *piece, const int8_t *input, int8_t *output)
{
    const trt_copy_piece_t p = *piece;
    const int32_t last = TRT_COPY_DIMS - 1;
    const int32_t n = p.count[last];
    const int32_t si = p.in_stride[last];
    const int32_t so = p.out_stride[last];
    int32_t idx[TRT_COPY_DIMS - 1] = {0};
    int32_t k;

    (void)ctx;
    for (;;)
    {
        int32_t in = p.in_offset;
        int32_t out = p.out_offset;
        for (k = 0; k < last; k++)
        {
            in += idx[k] * p.in_stride[k];
            out += idx[k] * p.out_stride[k];
        }
        if (si == 1 && so == 1)
        {
            /* memmove: a hostile blob may overlap input and output; never UB. */
            memmove(output + out, input + in, (size_t)n);
        }
        else
        {
            int32_t j;
            for (j = 0; j < n; j++)
            {
                output[out + j * so] = input[in + j * si];
            }
        }
        for (k = last - 1; k >= 0; k--)
        {
            if (++idx[k] < p.count[k])
            {
                break;
            }
            idx[k] = 0;
        }
        if (k < 0)
        {
            return;
        }
    }
}
