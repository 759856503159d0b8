/*
 * The interpreter: one switch over the validated op table that unpacks each
 * op into a kernel call. No checks here: trt_model_init did them all.
 */
#include <string.h>

#include "internal.h"

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

static void run_op(const trt_model_t *m, const trt_op_desc_t *op)
{
    const void *params = m->data + op->params_off;
    const trt_tensor_desc_t *out_t = &m->tensors[op->output];
    const trt_tensor_desc_t *in_t = &m->tensors[op->inputs[0]];
    trt_dims_t in_dims = trt_dims_of(in_t);
    trt_dims_t out_dims = trt_dims_of(out_t);
    void *in = tensor_data(m, op->inputs[0]);
    void *out = tensor_data(m, op->output);
    trt_ctx_t ctx;

    ctx.buf = op->scratch_bytes != 0 ? m->arena + op->scratch_off : NULL;
    ctx.size = (int32_t)op->scratch_bytes;

    switch (op->type)
    {
    case TRT_OP_CONV_2D:
    case TRT_OP_DEPTHWISE_CONV_2D:
    case TRT_OP_DEPTHWISE_CONV_2D_INPLACE: {
        trt_requant_t q = requant_of(m, op);
        trt_dims_t f_dims = trt_dims_of(&m->tensors[op->inputs[1]]);
        trt_dims_t b_dims = {1, 1, 1, 0};
        const int8_t *filter = (const int8_t *)tensor_data(m, op->inputs[1]);
        const int32_t *bias = (const int32_t *)tensor_data(m, op->inputs[2]);
        b_dims.c = bias != NULL ? out_dims.c : 0;
        if (op->type == TRT_OP_CONV_2D)
        {
            trt_conv_s8(&ctx, (const trt_conv_params_t *)params, &q, &in_dims, (const int8_t *)in, &f_dims, filter,
                        &b_dims, bias, &out_dims, (int8_t *)out);
        }
        else if (op->type == TRT_OP_DEPTHWISE_CONV_2D)
        {
            trt_dwconv_s8(&ctx, (const trt_conv_params_t *)params, &q, &in_dims, (const int8_t *)in, &f_dims, filter,
                          &b_dims, bias, &out_dims, (int8_t *)out);
        }
        else
        {
            trt_dwconv_s8_inplace(&ctx, (const trt_conv_params_t *)params, &q, &in_dims, &f_dims, filter, &b_dims,
                                  bias, &out_dims, (int8_t *)out);
        }
        break;
    }
    case TRT_OP_FULLY_CONNECTED: {
        trt_requant_t q = requant_of(m, op);
        const trt_tensor_desc_t *f_t = &m->tensors[op->inputs[1]];
        trt_dims_t f_dims = {0, 1, 1, 0};
        trt_dims_t b_dims = {1, 1, 1, 0};
        const int32_t *bias = (const int32_t *)tensor_data(m, op->inputs[2]);
        f_dims.n = f_t->dims[0];
        f_dims.c = f_t->dims[1];
        b_dims.c = bias != NULL ? f_dims.n : 0;
        /* Any input shape is a batch of rows of the filter's input depth. */
        in_dims.n = trt_elements(in_t) / f_dims.c;
        in_dims.h = in_dims.w = 1;
        in_dims.c = f_dims.c;
        out_dims.n = in_dims.n;
        out_dims.h = out_dims.w = 1;
        out_dims.c = f_dims.n;
        trt_fc_s8(&ctx, (const trt_fc_params_t *)params, &q, &in_dims, (const int8_t *)in, &f_dims,
                  (const int8_t *)tensor_data(m, op->inputs[1]), &b_dims, bias, &out_dims, (int8_t *)out);
        break;
    }
    case TRT_OP_AVERAGE_POOL_2D:
        trt_avgpool_s8(&ctx, (const trt_pool_params_t *)params, &in_dims, (const int8_t *)in, &out_dims,
                       (int8_t *)out);
        break;
    case TRT_OP_MAX_POOL_2D:
        trt_maxpool_s8(&ctx, (const trt_pool_params_t *)params, &in_dims, (const int8_t *)in, &out_dims,
                       (int8_t *)out);
        break;
    case TRT_OP_ADD: {
        trt_dims_t in2_dims = trt_dims_of(&m->tensors[op->inputs[1]]);
        trt_add_s8(&ctx, (const trt_add_params_t *)params, &in_dims, (const int8_t *)in, &in2_dims,
                   (const int8_t *)tensor_data(m, op->inputs[1]), &out_dims, (int8_t *)out);
        break;
    }
    case TRT_OP_SOFTMAX:
        trt_softmax_s8(&ctx, (const trt_softmax_params_t *)params, &in_dims, (const int8_t *)in, (int8_t *)out);
        break;
    case TRT_OP_RESHAPE:
        /* The planner gives the output the input's storage when it can; then
         * there is nothing to move. */
        if (in != out)
        {
            memmove(out, in, out_t->bytes);
        }
        break;
    case TRT_OP_QUANTIZE:
        trt_quantize_f32_s8(&ctx, (const trt_quantize_params_t *)params, trt_elements(out_t), (const float *)in,
                            (int8_t *)out);
        break;
    case TRT_OP_REQUANTIZE:
        trt_requantize_s8(&ctx, (const trt_requantize_params_t *)params, trt_elements(out_t), (const int8_t *)in,
                          (int8_t *)out);
        break;
    case TRT_OP_DEQUANTIZE:
        trt_dequantize_s8_f32(&ctx, (const trt_dequantize_params_t *)params, trt_elements(out_t),
                              (const int8_t *)in, (float *)out);
        break;
    default:
        break;
    }
}

trt_status_t trt_invoke(trt_model_t *model)
{
    uint32_t i;

    if (model == NULL || !model->ready)
    {
        return TRT_ERR_NOT_READY;
    }
    for (i = 0; i < model->n_ops; i++)
    {
        const trt_op_desc_t *op = &model->ops[i];
        if (model->hook != NULL)
        {
            model->hook(model->hook_user, i, op->type, 0);
        }
        run_op(model, op);
        if (model->hook != NULL)
        {
            model->hook(model->hook_user, i, op->type, 1);
        }
    }
    return TRT_OK;
}

static trt_status_t describe(const trt_model_t *m, uint32_t id, trt_tensor_t *t)
{
    const trt_tensor_desc_t *d = &m->tensors[id];
    uint32_t i;

    memset(t, 0, sizeof(*t));
    t->data = m->arena + d->offset;
    t->type = d->type;
    t->rank = d->rank;
    for (i = 0; i < d->rank; i++)
    {
        t->dims[i] = d->dims[i];
    }
    t->bytes = d->bytes;
    memcpy(&t->scale, &d->scale_bits, sizeof(t->scale));
    t->zero_point = d->zero_point;
    return TRT_OK;
}

trt_status_t trt_input(const trt_model_t *model, uint32_t index, trt_tensor_t *tensor)
{
    if (model == NULL || tensor == NULL)
    {
        return TRT_ERR_ARG;
    }
    if (!model->ready)
    {
        return TRT_ERR_NOT_READY;
    }
    if (index >= model->n_inputs)
    {
        return TRT_ERR_INDEX;
    }
    return describe(model, model->inputs[index], tensor);
}

trt_status_t trt_output(const trt_model_t *model, uint32_t index, trt_tensor_t *tensor)
{
    if (model == NULL || tensor == NULL)
    {
        return TRT_ERR_ARG;
    }
    if (!model->ready)
    {
        return TRT_ERR_NOT_READY;
    }
    if (index >= model->n_outputs)
    {
        return TRT_ERR_INDEX;
    }
    return describe(model, model->outputs[index], tensor);
}

uint32_t trt_num_inputs(const trt_model_t *model)
{
    return model != NULL && model->ready ? model->n_inputs : 0;
}

uint32_t trt_num_outputs(const trt_model_t *model)
{
    return model != NULL && model->ready ? model->n_outputs : 0;
}

uint32_t trt_num_ops(const trt_model_t *model)
{
    return model != NULL && model->ready ? model->n_ops : 0;
}

void trt_set_op_hook(trt_model_t *model, trt_op_hook_t hook, void *user)
{
    if (model != NULL)
    {
        model->hook = hook;
        model->hook_user = user;
    }
}
