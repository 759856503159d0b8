/*
 * One function per op type (see tinyrt/ops.h): each unpacks its validated op
 * descriptor into a kernel call. No checks here: trt_model_init did them all.
 * Each function sits in its own section, so a firmware whose op table omits
 * an op drops the function and, with it, the kernel (--gc-sections).
 */
#include <string.h>

#include "internal.h"
#include "tinyrt/ops.h"

static void *tensor_data(const trt_model_t *m, int32_t id)
{
    const trt_tensor_desc_t *t;
    if (id < 0)
    {
        return NULL;
    }
    t = &m->tensors[id];
    /* Constants are only ever read; the cast drops const for the common
     * pointer type, kernels take them as const. */
    return t->storage == TRT_STORAGE_ARENA ? (void *)(m->arena + t->offset) : (void *)(uintptr_t)(m->data + t->offset);
}

static trt_requant_t requant_of(const trt_model_t *m, const trt_op_desc_t *op)
{
    trt_requant_t q;
    q.multiplier = (const int32_t *)tensor_data(m, op->inputs[3]);
    q.shift = (const int32_t *)tensor_data(m, op->inputs[4]);
    q.count = trt_elements(&m->tensors[op->inputs[3]]);
    return q;
}

static const void *params_of(const trt_model_t *m, const trt_op_desc_t *op)
{
    return m->data + op->params_off;
}

static trt_ctx_t ctx_of(const trt_model_t *m, const trt_op_desc_t *op)
{
    trt_ctx_t ctx;
    ctx.buf = op->scratch_bytes != 0 ? m->arena + op->scratch_off : NULL;
    ctx.size = (int32_t)op->scratch_bytes;
    return ctx;
}

static trt_dims_t dims_of(const trt_model_t *m, int32_t id)
{
    return trt_dims_of(&m->tensors[id]);
}

/* The arguments the four convolutions share. */
typedef struct
{
    trt_ctx_t ctx;
    trt_requant_t q;
    trt_dims_t in_dims, f_dims, b_dims, out_dims;
    const int8_t *in, *filter;
    const int32_t *bias;
    int8_t *out;
} conv_args_t;

static conv_args_t conv_args(const trt_model_t *m, const trt_op_desc_t *op)
{
    conv_args_t a;
    a.ctx = ctx_of(m, op);
    a.q = requant_of(m, op);
    a.in_dims = dims_of(m, op->inputs[0]);
    a.f_dims = dims_of(m, op->inputs[1]);
    a.out_dims = dims_of(m, op->output);
    a.in = (const int8_t *)tensor_data(m, op->inputs[0]);
    a.filter = (const int8_t *)tensor_data(m, op->inputs[1]);
    a.bias = (const int32_t *)tensor_data(m, op->inputs[2]);
    a.out = (int8_t *)tensor_data(m, op->output);
    a.b_dims.n = a.b_dims.h = a.b_dims.w = 1;
    a.b_dims.c = a.bias != NULL ? a.out_dims.c : 0;
    return a;
}

void trt_op_conv_2d(const trt_model_t *m, const trt_op_desc_t *op)
{
    conv_args_t a = conv_args(m, op);
    trt_conv_s8(&a.ctx, (const trt_conv_params_t *)params_of(m, op), &a.q, &a.in_dims, a.in,
                &a.f_dims, a.filter, &a.b_dims, a.bias, &a.out_dims, a.out);
}

void trt_op_depthwise_conv_2d(const trt_model_t *m, const trt_op_desc_t *op)
{
    conv_args_t a = conv_args(m, op);
    trt_dwconv_s8(&a.ctx, (const trt_conv_params_t *)params_of(m, op), &a.q, &a.in_dims, a.in,
                  &a.f_dims, a.filter, &a.b_dims, a.bias, &a.out_dims, a.out);
}

void trt_op_depthwise_conv_2d_inplace(const trt_model_t *m, const trt_op_desc_t *op)
{
    conv_args_t a = conv_args(m, op);
    trt_dwconv_s8_inplace(&a.ctx, (const trt_conv_params_t *)params_of(m, op), &a.q,
                          &a.in_dims, &a.f_dims, a.filter, &a.b_dims, a.bias, &a.out_dims, a.out);
}

void trt_op_conv_2d_inplace(const trt_model_t *m, const trt_op_desc_t *op)
{
    conv_args_t a = conv_args(m, op);
    trt_conv1x1_s8_inplace(&a.ctx, (const trt_conv_params_t *)params_of(m, op), &a.q,
                           &a.in_dims, &a.f_dims, a.filter, &a.b_dims, a.bias, &a.out_dims, a.out);
}

void trt_op_fully_connected(const trt_model_t *m, const trt_op_desc_t *op)
{
    trt_ctx_t ctx = ctx_of(m, op);
    trt_requant_t q = requant_of(m, op);
    const trt_tensor_desc_t *f_t = &m->tensors[op->inputs[1]];
    const int32_t *bias = (const int32_t *)tensor_data(m, op->inputs[2]);
    trt_dims_t f_dims, b_dims, in_dims, out_dims;
    f_dims.n = f_t->dims[0];
    f_dims.h = f_dims.w = 1;
    f_dims.c = f_t->dims[1];
    b_dims.n = b_dims.h = b_dims.w = 1;
    b_dims.c = bias != NULL ? f_dims.n : 0;
    /* Any input shape is a batch of rows of the filter's input depth. */
    in_dims.n = trt_elements(&m->tensors[op->inputs[0]]) / f_dims.c;
    in_dims.h = in_dims.w = 1;
    in_dims.c = f_dims.c;
    out_dims.n = in_dims.n;
    out_dims.h = out_dims.w = 1;
    out_dims.c = f_dims.n;
    trt_fc_s8(&ctx, (const trt_fc_params_t *)params_of(m, op), &q, &in_dims,
              (const int8_t *)tensor_data(m, op->inputs[0]), &f_dims, (const int8_t *)tensor_data(m, op->inputs[1]),
              &b_dims, bias, &out_dims, (int8_t *)tensor_data(m, op->output));
}

void trt_op_average_pool_2d(const trt_model_t *m, const trt_op_desc_t *op)
{
    trt_ctx_t ctx = ctx_of(m, op);
    trt_dims_t in_dims = dims_of(m, op->inputs[0]), out_dims = dims_of(m, op->output);
    trt_avgpool_s8(&ctx, (const trt_pool_params_t *)params_of(m, op), &in_dims,
                   (const int8_t *)tensor_data(m, op->inputs[0]), &out_dims, (int8_t *)tensor_data(m, op->output));
}

void trt_op_max_pool_2d(const trt_model_t *m, const trt_op_desc_t *op)
{
    trt_ctx_t ctx = ctx_of(m, op);
    trt_dims_t in_dims = dims_of(m, op->inputs[0]), out_dims = dims_of(m, op->output);
    trt_maxpool_s8(&ctx, (const trt_pool_params_t *)params_of(m, op), &in_dims,
                   (const int8_t *)tensor_data(m, op->inputs[0]), &out_dims, (int8_t *)tensor_data(m, op->output));
}

void trt_op_add(const trt_model_t *m, const trt_op_desc_t *op)
{
    trt_ctx_t ctx = ctx_of(m, op);
    trt_dims_t in1_dims = dims_of(m, op->inputs[0]), in2_dims = dims_of(m, op->inputs[1]);
    trt_dims_t out_dims = dims_of(m, op->output);
    trt_add_s8(&ctx, (const trt_add_params_t *)params_of(m, op), &in1_dims,
               (const int8_t *)tensor_data(m, op->inputs[0]), &in2_dims, (const int8_t *)tensor_data(m, op->inputs[1]),
               &out_dims, (int8_t *)tensor_data(m, op->output));
}

void trt_op_softmax(const trt_model_t *m, const trt_op_desc_t *op)
{
    trt_ctx_t ctx = ctx_of(m, op);
    trt_dims_t in_dims = dims_of(m, op->inputs[0]);
    trt_softmax_s8(&ctx, (const trt_softmax_params_t *)params_of(m, op), &in_dims,
                   (const int8_t *)tensor_data(m, op->inputs[0]), (int8_t *)tensor_data(m, op->output));
}

void trt_op_reshape(const trt_model_t *m, const trt_op_desc_t *op)
{
    const void *in = tensor_data(m, op->inputs[0]);
    void *out = tensor_data(m, op->output);
    /* The planner gives the output the input's storage when it can; then
     * there is nothing to move. */
    if (in != out)
    {
        memmove(out, in, m->tensors[op->output].bytes);
    }
}

void trt_op_quantize(const trt_model_t *m, const trt_op_desc_t *op)
{
    trt_ctx_t ctx = ctx_of(m, op);
    trt_quantize_f32_s8(&ctx, (const trt_quantize_params_t *)params_of(m, op),
                        trt_elements(&m->tensors[op->output]), (const float *)tensor_data(m, op->inputs[0]),
                        (int8_t *)tensor_data(m, op->output));
}

void trt_op_requantize(const trt_model_t *m, const trt_op_desc_t *op)
{
    trt_ctx_t ctx = ctx_of(m, op);
    trt_requantize_s8(&ctx, (const trt_requantize_params_t *)params_of(m, op),
                      trt_elements(&m->tensors[op->output]), (const int8_t *)tensor_data(m, op->inputs[0]),
                      (int8_t *)tensor_data(m, op->output));
}

void trt_op_dequantize(const trt_model_t *m, const trt_op_desc_t *op)
{
    trt_ctx_t ctx = ctx_of(m, op);
    trt_dequantize_s8_f32(&ctx, (const trt_dequantize_params_t *)params_of(m, op),
                          trt_elements(&m->tensors[op->output]), (const int8_t *)tensor_data(m, op->inputs[0]),
                          (float *)tensor_data(m, op->output));
}
