/*
 * COPY, int8: the data movement ops (PAD, PADV2, MIRROR_PAD, STRIDED_SLICE,
 * SLICE, TRANSPOSE, PACK, UNPACK, SPLIT_V, GATHER, TILE, DEPTH_TO_SPACE,
 * SPACE_TO_DEPTH, BATCH_TO_SPACE_ND, SPACE_TO_BATCH_ND) lowered offline to
 * strided-copy pieces. Inputs 0..n-1 are the data, input n a constant INT32
 * table of trt_copy_piece_t; any number of outputs. In place (PAD, PADV2):
 * one input, one output over it, one piece (trt_copy_s8_inplace).
 */
#include <string.h>

#include "../internal.h"

/* The lowest and highest element index a piece touches through one side
 * (offset, strides) lie inside [0, elements). int64: (count - 1) * stride
 * is below 2^60 and six of them plus an offset stay below 2^63. */
static int box_inside(const int32_t *count, int32_t offset, const int32_t *stride, int32_t elements)
{
    int64_t lo = offset, hi = offset;
    int32_t k;

    for (k = 0; k < TRT_COPY_DIMS; k++)
    {
        const int64_t span = (int64_t)(count[k] - 1) * stride[k];
        if (span < 0)
        {
            lo += span;
        }
        else
        {
            hi += span;
        }
    }
    return lo >= 0 && hi < elements;
}

static int piece_ok(const trt_model_t *m, const trt_op_desc_t *op, const trt_copy_piece_t *p, uint32_t n_data)
{
    const trt_tensor_desc_t *in, *out;
    int64_t boxes = 1;
    int32_t k;

    if (!trt_between(p->input, 0, (int32_t)n_data - 1) || !trt_between(p->output, 0, (int32_t)op->n_outputs - 1))
    {
        return 0;
    }
    in = trt_input_desc(m, op, (uint32_t)p->input);
    out = trt_output_desc(m, op, (uint32_t)p->output);
    for (k = 0; k < TRT_COPY_DIMS; k++)
    {
        if (!trt_between(p->count[k], 1, TRT_MAX_ELEMENTS))
        {
            return 0;
        }
        /* No more elements copied than the output holds: a piece's run time
         * is bounded by its output, whatever its strides. */
        boxes *= p->count[k];
        if (boxes > trt_elements(out))
        {
            return 0;
        }
    }
    return box_inside(p->count, p->in_offset, p->in_stride, trt_elements(in)) &&
           box_inside(p->count, p->out_offset, p->out_stride, trt_elements(out));
}

/* The in-place variant's piece: output indices rising with the box's
 * row-major order (each looped dim's output stride beyond everything the
 * dims inside it span), and no element's output index below its input
 * index. After piece_ok, so every product stays far inside int64. */
static int inplace_order_ok(const trt_copy_piece_t *p)
{
    int64_t span = 0;
    int64_t ahead = (int64_t)p->out_offset - p->in_offset; /* the least output - input index over the box */
    int32_t k;

    for (k = TRT_COPY_DIMS - 1; k >= 0; k--)
    {
        const int64_t steps = p->count[k] - 1;
        const int64_t drift = (int64_t)p->out_stride[k] - p->in_stride[k];
        if (steps > 0 && p->out_stride[k] <= span)
        {
            return 0;
        }
        span += steps * p->out_stride[k];
        ahead += drift < 0 ? steps * drift : 0;
    }
    return ahead >= 0;
}

trt_status_t trt_check_copy(const trt_model_t *m, const trt_op_desc_t *op)
{
    const trt_copy_params_t *params = (const trt_copy_params_t *)trt_params(m, op);
    const trt_tensor_desc_t *table;
    const trt_copy_piece_t *pieces;
    uint32_t n_data, n_pieces, i;

    if (op->n_inputs < 2 || !trt_between(params->fill, 0, 1) || !trt_between(params->fill_value, -128, 127))
    {
        return TRT_ERR_OP_PARAMS;
    }
    n_data = op->n_inputs - 1;
    table = trt_check_const(m, op, n_data, TRT_TYPE_INT32);
    if (table == NULL || table->bytes == 0 || table->bytes % sizeof(trt_copy_piece_t) != 0)
    {
        return TRT_ERR_OP_PARAMS;
    }
    for (i = 0; i < n_data; i++)
    {
        if (trt_check_input(m, op, i, TRT_TYPE_INT8) == NULL)
        {
            return TRT_ERR_OP_PARAMS;
        }
    }
    for (i = 0; i < op->n_outputs; i++)
    {
        if (trt_check_output(m, op, i, TRT_TYPE_INT8) == NULL)
        {
            return TRT_ERR_OP_PARAMS;
        }
    }
    pieces = (const trt_copy_piece_t *)(const void *)(m->data + table->offset);
    n_pieces = table->bytes / sizeof(trt_copy_piece_t);
    for (i = 0; i < n_pieces; i++)
    {
        if (!piece_ok(m, op, &pieces[i], n_data))
        {
            return TRT_ERR_OP_PARAMS;
        }
    }
    if (op->variant == TRT_VARIANT_REF_INPLACE &&
        (n_data != 1 || op->n_outputs != 1 || n_pieces != 1 || !trt_check_inplace(m, op, 0) ||
         !inplace_order_ok(&pieces[0])))
    {
        return TRT_ERR_OP_PARAMS;
    }
    return TRT_OK;
}

void trt_run_copy_ref(const trt_model_t *m, const trt_op_desc_t *op)
{
    const trt_copy_params_t *params = (const trt_copy_params_t *)trt_params(m, op);
    const uint32_t n_data = op->n_inputs - 1;
    const trt_tensor_desc_t *table = trt_input_desc(m, op, n_data);
    const trt_copy_piece_t *pieces = (const trt_copy_piece_t *)trt_input_data(m, op, n_data);
    const uint32_t n_pieces = table->bytes / sizeof(trt_copy_piece_t);
    trt_ctx_t ctx = trt_ctx(m, op);
    uint32_t i;

    if (params->fill)
    {
        for (i = 0; i < op->n_outputs; i++)
        {
            memset(trt_output_data(m, op, i), params->fill_value, trt_output_desc(m, op, i)->bytes);
        }
    }
    for (i = 0; i < n_pieces; i++)
    {
        trt_copy_s8(&ctx, &pieces[i], (const int8_t *)trt_input_data(m, op, (uint32_t)pieces[i].input),
                    (int8_t *)trt_output_data(m, op, (uint32_t)pieces[i].output));
    }
}

void trt_run_copy_ref_inplace(const trt_model_t *m, const trt_op_desc_t *op)
{
    trt_ctx_t ctx = trt_ctx(m, op);

    trt_copy_s8_inplace(&ctx, (const trt_copy_piece_t *)trt_input_data(m, op, 1),
                        (const trt_copy_params_t *)trt_params(m, op), trt_elements(trt_output_desc(m, op, 0)),
                        (int8_t *)trt_output_data(m, op, 0));
}
