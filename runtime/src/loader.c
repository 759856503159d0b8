/*
 * Blob loader: validates everything the interpreter and the kernels will rely
 * on, once, so that trt_invoke needs no checks. Every offset and length is
 * checked against its section before use, in 64-bit arithmetic where a sum
 * could wrap.
 */
#include <string.h>

#include "internal.h"
#include "tinyrt/ops.h"

/* Limits that keep every index computation of the kernels inside int32. */
#define MAX_DIM 65535
#define MAX_WINDOW 1024      /* strides, dilations, pooling windows, paddings */
#define MAX_PRODUCT 32640    /* |(x + input_offset) * w| for int8 x, w and offset in [-127, 128] */
#define MAX_SOFTMAX_DEPTH 8191 /* keeps the int32 sum of exponentials from wrapping */

static int in_range(uint32_t off, uint32_t len, uint32_t limit)
{
    return off <= limit && len <= limit - off;
}

static int between(int32_t v, int32_t lo, int32_t hi)
{
    return v >= lo && v <= hi;
}

static trt_status_t check_tensor(const trt_model_t *m, const trt_tensor_desc_t *t, uint32_t data_len)
{
    uint32_t size = trt_type_size(t->type);
    uint64_t count = 1;
    uint32_t i;
    uint32_t limit;

    if (size == 0 || t->rank < 1 || t->rank > TRT_MAX_DIMS)
    {
        return TRT_ERR_TENSOR;
    }
    for (i = 0; i < t->rank; i++)
    {
        if (!between(t->dims[i], 1, MAX_DIM))
        {
            return TRT_ERR_TENSOR;
        }
        count *= (uint32_t)t->dims[i];
        if (count > 0x7fffffffu / 4u)
        {
            return TRT_ERR_TENSOR;
        }
    }
    if (count * size != t->bytes || t->offset % size != 0)
    {
        return TRT_ERR_TENSOR;
    }
    if (t->type == TRT_TYPE_INT8 && !between(t->zero_point, -128, 127))
    {
        return TRT_ERR_TENSOR;
    }
    if (t->storage == TRT_STORAGE_ARENA)
    {
        limit = m->arena_bytes;
    }
    else if (t->storage == TRT_STORAGE_CONST)
    {
        limit = data_len;
    }
    else
    {
        return TRT_ERR_TENSOR;
    }
    return in_range(t->offset, t->bytes, limit) ? TRT_OK : TRT_ERR_TENSOR;
}

/* Op slot `slot` as a tensor of `type`, or NULL. */
static const trt_tensor_desc_t *operand(const trt_model_t *m, int32_t id, uint32_t type)
{
    if (id < 0 || (uint32_t)id >= m->n_tensors || m->tensors[id].type != type)
    {
        return NULL;
    }
    return &m->tensors[id];
}

/* Writable output: must live in the arena. */
static const trt_tensor_desc_t *result(const trt_model_t *m, int32_t id, uint32_t type)
{
    const trt_tensor_desc_t *t = operand(m, id, type);
    return t != NULL && t->storage == TRT_STORAGE_ARENA ? t : NULL;
}

/* Constant operand whose values the loader inspects: must live in the blob,
 * so they cannot change after the check. */
static const trt_tensor_desc_t *constant(const trt_model_t *m, int32_t id, uint32_t type)
{
    const trt_tensor_desc_t *t = operand(m, id, type);
    return t != NULL && t->storage == TRT_STORAGE_CONST ? t : NULL;
}

static const int32_t *const_i32(const trt_model_t *m, const trt_tensor_desc_t *t)
{
    return (const int32_t *)(const void *)(m->data + t->offset);
}

static int act_ok(int32_t act_min, int32_t act_max)
{
    return between(act_min, -128, 127) && between(act_max, act_min, 127);
}

/* Multiplier/shift pair of a requantization, as TFLM's QuantizeMultiplier
 * produces them. */
static int requant_ok(int32_t multiplier, int32_t shift)
{
    return multiplier >= 0 && between(shift, -31, 31);
}

/* Per-channel requantization and bias of CONV/DEPTHWISE/FC: counts match the
 * output channels, and no int32 accumulator of `taps` products can overflow. */
static trt_status_t check_channels(const trt_model_t *m, const trt_op_desc_t *op, int32_t channels, int64_t taps)
{
    const trt_tensor_desc_t *mult = constant(m, op->inputs[3], TRT_TYPE_INT32);
    const trt_tensor_desc_t *shift = constant(m, op->inputs[4], TRT_TYPE_INT32);
    int64_t max_bias = 0;
    int32_t i, n;

    if (mult == NULL || shift == NULL || mult->bytes != shift->bytes)
    {
        return TRT_ERR_OP_PARAMS;
    }
    n = trt_elements(mult);
    if (n != 1 && n != channels)
    {
        return TRT_ERR_OP_PARAMS;
    }
    for (i = 0; i < n; i++)
    {
        if (!requant_ok(const_i32(m, mult)[i], const_i32(m, shift)[i]))
        {
            return TRT_ERR_OP_PARAMS;
        }
    }
    if (op->inputs[2] != -1)
    {
        const trt_tensor_desc_t *bias = constant(m, op->inputs[2], TRT_TYPE_INT32);
        if (bias == NULL || trt_elements(bias) != channels)
        {
            return TRT_ERR_OP_PARAMS;
        }
        for (i = 0; i < channels; i++)
        {
            int64_t b = const_i32(m, bias)[i];
            b = b < 0 ? -b : b;
            max_bias = b > max_bias ? b : max_bias;
        }
    }
    return taps * MAX_PRODUCT + max_bias <= 0x7fffffff ? TRT_OK : TRT_ERR_OP_PARAMS;
}

/* An in-place kernel's buffers: input and output one arena tensor from the
 * same offset, and at least `scratch` bytes of scratch in the arena, clear
 * of that tensor, since the kernel writes the scratch while the input is
 * still being read. */
static int inplace_ok(const trt_model_t *m, const trt_op_desc_t *op, const trt_tensor_desc_t *in,
                      const trt_tensor_desc_t *out, int64_t scratch)
{
    uint64_t data_end = (uint64_t)in->offset + (in->bytes > out->bytes ? in->bytes : out->bytes);
    uint64_t scratch_end = (uint64_t)op->scratch_off + op->scratch_bytes;
    return in->storage == TRT_STORAGE_ARENA && in->offset == out->offset && scratch <= op->scratch_bytes &&
           in_range(op->scratch_off, op->scratch_bytes, m->arena_bytes) &&
           (scratch_end <= in->offset || op->scratch_off >= data_end);
}

static trt_status_t check_conv(const trt_model_t *m, const trt_op_desc_t *op, const trt_conv_params_t *p)
{
    const trt_tensor_desc_t *in = operand(m, op->inputs[0], TRT_TYPE_INT8);
    const trt_tensor_desc_t *filter = constant(m, op->inputs[1], TRT_TYPE_INT8);
    const trt_tensor_desc_t *out = result(m, op->output, TRT_TYPE_INT8);
    trt_dims_t di, df, dout;
    int64_t taps;

    if (in == NULL || filter == NULL || out == NULL || in->rank != 4 || filter->rank != 4 || out->rank != 4)
    {
        return TRT_ERR_OP_PARAMS;
    }
    di = trt_dims_of(in);
    df = trt_dims_of(filter);
    dout = trt_dims_of(out);
    if (!between(p->stride_h, 1, MAX_WINDOW) || !between(p->stride_w, 1, MAX_WINDOW) ||
        !between(p->dilation_h, 1, MAX_WINDOW) || !between(p->dilation_w, 1, MAX_WINDOW) ||
        !between(p->pad_top, 0, MAX_WINDOW) || !between(p->pad_left, 0, MAX_WINDOW) ||
        !between(p->input_offset, -127, 128) || !between(p->output_offset, -128, 127) ||
        !act_ok(p->act_min, p->act_max) || !between(df.h, 1, MAX_WINDOW) || !between(df.w, 1, MAX_WINDOW) ||
        dout.n != di.n)
    {
        return TRT_ERR_OP_PARAMS;
    }
    if (op->type == TRT_OP_CONV_2D || op->type == TRT_OP_CONV_2D_INPLACE)
    {
        if (p->depth_multiplier != 1 || df.c != di.c || df.n != dout.c)
        {
            return TRT_ERR_OP_PARAMS;
        }
        taps = (int64_t)df.h * df.w * df.c;
    }
    else
    {
        if (!between(p->depth_multiplier, 1, MAX_DIM) || df.n != 1 || df.c != dout.c ||
            (int64_t)di.c * p->depth_multiplier != dout.c)
        {
            return TRT_ERR_OP_PARAMS;
        }
        taps = (int64_t)df.h * df.w;
    }
    if (op->type == TRT_OP_DEPTHWISE_CONV_2D_INPLACE)
    {
        /* The output replaces the input channel by channel, from the same
         * start, through one output plane of scratch. */
        int64_t plane = (int64_t)dout.h * dout.w;
        if (p->depth_multiplier != 1 || plane > (int64_t)di.h * di.w || !inplace_ok(m, op, in, out, plane))
        {
            return TRT_ERR_OP_PARAMS;
        }
    }
    if (op->type == TRT_OP_CONV_2D_INPLACE)
    {
        /* Output pixel p must read input pixel p alone and land no further
         * than it (Cout <= Cin), through one output pixel of scratch. */
        if (df.h != 1 || df.w != 1 || p->stride_h != 1 || p->stride_w != 1 || p->dilation_h != 1 ||
            p->dilation_w != 1 || p->pad_top != 0 || p->pad_left != 0 || dout.h != di.h || dout.w != di.w ||
            dout.c > di.c || !inplace_ok(m, op, in, out, dout.c))
        {
            return TRT_ERR_OP_PARAMS;
        }
    }
    return check_channels(m, op, dout.c, taps);
}

static trt_status_t check_fc(const trt_model_t *m, const trt_op_desc_t *op, const trt_fc_params_t *p)
{
    const trt_tensor_desc_t *in = operand(m, op->inputs[0], TRT_TYPE_INT8);
    const trt_tensor_desc_t *filter = constant(m, op->inputs[1], TRT_TYPE_INT8);
    const trt_tensor_desc_t *out = result(m, op->output, TRT_TYPE_INT8);
    int32_t cin, cout, batches;

    if (in == NULL || filter == NULL || out == NULL || filter->rank != 2 || !between(p->input_offset, -127, 128) ||
        !between(p->output_offset, -128, 127) || !act_ok(p->act_min, p->act_max))
    {
        return TRT_ERR_OP_PARAMS;
    }
    cout = filter->dims[0];
    cin = filter->dims[1];
    batches = trt_elements(in) / cin;
    if (trt_elements(in) % cin != 0 || (int64_t)batches * cout != trt_elements(out))
    {
        return TRT_ERR_OP_PARAMS;
    }
    return check_channels(m, op, cout, cin);
}

/* Every window of a pooling op must hold at least one in-image element: the
 * average divides by that count. */
static int windows_ok(int32_t in, int32_t out, int32_t stride, int32_t filter, int32_t pad)
{
    return between(stride, 1, MAX_WINDOW) && between(filter, 1, MAX_WINDOW) && between(pad, 0, filter - 1) &&
           (int64_t)(out - 1) * stride - pad < in;
}

static trt_status_t check_pool(const trt_model_t *m, const trt_op_desc_t *op, const trt_pool_params_t *p)
{
    const trt_tensor_desc_t *in = operand(m, op->inputs[0], TRT_TYPE_INT8);
    const trt_tensor_desc_t *out = result(m, op->output, TRT_TYPE_INT8);
    trt_dims_t di, dout;

    if (in == NULL || out == NULL || in->rank != 4 || out->rank != 4)
    {
        return TRT_ERR_OP_PARAMS;
    }
    di = trt_dims_of(in);
    dout = trt_dims_of(out);
    if (di.n != dout.n || di.c != dout.c || !act_ok(p->act_min, p->act_max) ||
        !windows_ok(di.h, dout.h, p->stride_h, p->filter_h, p->pad_top) ||
        !windows_ok(di.w, dout.w, p->stride_w, p->filter_w, p->pad_left))
    {
        return TRT_ERR_OP_PARAMS;
    }
    return TRT_OK;
}

static int broadcasts_to(const trt_dims_t *a, const trt_dims_t *out)
{
    return (a->n == out->n || a->n == 1) && (a->h == out->h || a->h == 1) && (a->w == out->w || a->w == 1) &&
           (a->c == out->c || a->c == 1);
}

static trt_status_t check_add(const trt_model_t *m, const trt_op_desc_t *op, const trt_add_params_t *p)
{
    const trt_tensor_desc_t *a = operand(m, op->inputs[0], TRT_TYPE_INT8);
    const trt_tensor_desc_t *b = operand(m, op->inputs[1], TRT_TYPE_INT8);
    const trt_tensor_desc_t *out = result(m, op->output, TRT_TYPE_INT8);
    trt_dims_t da, db, dout;

    if (a == NULL || b == NULL || out == NULL)
    {
        return TRT_ERR_OP_PARAMS;
    }
    da = trt_dims_of(a);
    db = trt_dims_of(b);
    dout = trt_dims_of(out);
    /* left_shift <= 21 keeps (x + offset) << left_shift and the sum of the two
     * scaled inputs (multipliers below one) inside int32. */
    if (!broadcasts_to(&da, &dout) || !broadcasts_to(&db, &dout) || !between(p->input1_offset, -127, 128) ||
        !between(p->input2_offset, -127, 128) || !between(p->output_offset, -128, 127) ||
        !between(p->left_shift, 0, 21) || !requant_ok(p->input1_multiplier, p->input1_shift) ||
        !requant_ok(p->input2_multiplier, p->input2_shift) || p->input1_shift > 0 || p->input2_shift > 0 ||
        !requant_ok(p->output_multiplier, p->output_shift) || !act_ok(p->act_min, p->act_max))
    {
        return TRT_ERR_OP_PARAMS;
    }
    return TRT_OK;
}

static trt_status_t check_softmax(const trt_model_t *m, const trt_op_desc_t *op, const trt_softmax_params_t *p)
{
    const trt_tensor_desc_t *in = operand(m, op->inputs[0], TRT_TYPE_INT8);
    const trt_tensor_desc_t *out = result(m, op->output, TRT_TYPE_INT8);

    if (in == NULL || out == NULL || in->bytes != out->bytes || trt_dims_of(in).c > MAX_SOFTMAX_DEPTH ||
        p->input_multiplier < 0 || !between(p->input_left_shift, 0, 31) || p->diff_min > 0)
    {
        return TRT_ERR_OP_PARAMS;
    }
    return TRT_OK;
}

/* Element-wise ops between two types: same element count. */
static trt_status_t check_map(const trt_model_t *m, const trt_op_desc_t *op, uint32_t in_type, uint32_t out_type)
{
    const trt_tensor_desc_t *in = operand(m, op->inputs[0], in_type);
    const trt_tensor_desc_t *out = result(m, op->output, out_type);
    return in != NULL && out != NULL && trt_elements(in) == trt_elements(out) ? TRT_OK : TRT_ERR_OP_PARAMS;
}

static uint32_t params_size(uint32_t type)
{
    switch (type)
    {
    case TRT_OP_CONV_2D:
    case TRT_OP_DEPTHWISE_CONV_2D:
    case TRT_OP_DEPTHWISE_CONV_2D_INPLACE:
    case TRT_OP_CONV_2D_INPLACE:
        return sizeof(trt_conv_params_t);
    case TRT_OP_FULLY_CONNECTED:
        return sizeof(trt_fc_params_t);
    case TRT_OP_AVERAGE_POOL_2D:
    case TRT_OP_MAX_POOL_2D:
        return sizeof(trt_pool_params_t);
    case TRT_OP_ADD:
        return sizeof(trt_add_params_t);
    case TRT_OP_SOFTMAX:
        return sizeof(trt_softmax_params_t);
    case TRT_OP_QUANTIZE:
        return sizeof(trt_quantize_params_t);
    case TRT_OP_REQUANTIZE:
        return sizeof(trt_requantize_params_t);
    case TRT_OP_DEQUANTIZE:
        return sizeof(trt_dequantize_params_t);
    default:
        return 0;
    }
}

static trt_status_t check_op(const trt_model_t *m, const trt_op_desc_t *op, uint32_t data_len)
{
    const void *params = m->data + op->params_off;
    uint32_t i;

    if (op->type == 0 || op->type >= TRT_OP_COUNT_ || op->variant != TRT_VARIANT_REF)
    {
        return TRT_ERR_OP;
    }
    if (op->params_len != params_size(op->type) || op->params_off % 4 != 0 ||
        !in_range(op->params_off, op->params_len, data_len))
    {
        return TRT_ERR_OP_PARAMS;
    }
    if (op->output < 0 || op->output >= (int32_t)m->n_tensors)
    {
        return TRT_ERR_OP_PARAMS;
    }
    for (i = 0; i < TRT_MAX_OP_INPUTS; i++)
    {
        if (op->inputs[i] < -1 || op->inputs[i] >= (int32_t)m->n_tensors)
        {
            return TRT_ERR_OP_PARAMS;
        }
    }
    if (op->scratch_bytes != 0 && !in_range(op->scratch_off, op->scratch_bytes, m->arena_bytes))
    {
        return TRT_ERR_OP_PARAMS;
    }
    switch (op->type)
    {
    case TRT_OP_CONV_2D:
    case TRT_OP_DEPTHWISE_CONV_2D:
    case TRT_OP_DEPTHWISE_CONV_2D_INPLACE:
    case TRT_OP_CONV_2D_INPLACE:
        return check_conv(m, op, (const trt_conv_params_t *)params);
    case TRT_OP_FULLY_CONNECTED:
        return check_fc(m, op, (const trt_fc_params_t *)params);
    case TRT_OP_AVERAGE_POOL_2D:
    case TRT_OP_MAX_POOL_2D:
        return check_pool(m, op, (const trt_pool_params_t *)params);
    case TRT_OP_ADD:
        return check_add(m, op, (const trt_add_params_t *)params);
    case TRT_OP_SOFTMAX:
        return check_softmax(m, op, (const trt_softmax_params_t *)params);
    case TRT_OP_RESHAPE: {
        const trt_tensor_desc_t *in = operand(m, op->inputs[0], m->tensors[op->output].type);
        const trt_tensor_desc_t *out = result(m, op->output, m->tensors[op->output].type);
        return in != NULL && out != NULL && in->bytes == out->bytes ? TRT_OK : TRT_ERR_OP_PARAMS;
    }
    case TRT_OP_QUANTIZE:
        if (!between(((const trt_quantize_params_t *)params)->zero_point, -128, 127))
        {
            return TRT_ERR_OP_PARAMS;
        }
        return check_map(m, op, TRT_TYPE_FLOAT32, TRT_TYPE_INT8);
    case TRT_OP_REQUANTIZE: {
        const trt_requantize_params_t *p = (const trt_requantize_params_t *)params;
        if (!between(p->input_offset, -127, 128) || !between(p->output_offset, -128, 127) ||
            !requant_ok(p->multiplier, p->shift))
        {
            return TRT_ERR_OP_PARAMS;
        }
        return check_map(m, op, TRT_TYPE_INT8, TRT_TYPE_INT8);
    }
    case TRT_OP_DEQUANTIZE:
        /* Keeps q - zero_point exact in float32 (|q - zp| < 2^24). */
        if (!between(((const trt_dequantize_params_t *)params)->zero_point, -128, 127))
        {
            return TRT_ERR_OP_PARAMS;
        }
        return check_map(m, op, TRT_TYPE_INT8, TRT_TYPE_FLOAT32);
    default:
        return TRT_ERR_OP;
    }
}

static trt_status_t check_header(const trt_blob_header_t *h, size_t blob_len)
{
    if (blob_len < sizeof(*h))
    {
        return TRT_ERR_TRUNCATED;
    }
    if (h->magic != TRT_MAGIC)
    {
        return TRT_ERR_MAGIC;
    }
    if (h->version != TRT_FORMAT_VERSION)
    {
        return TRT_ERR_VERSION;
    }
    if (h->total_len < sizeof(*h) || h->total_len > blob_len)
    {
        return TRT_ERR_TRUNCATED;
    }
    return TRT_OK;
}

/* A table of `count` records of `size` bytes at `off`, inside the blob. */
static int table_ok(uint32_t off, uint32_t count, uint32_t size, uint32_t total_len)
{
    return off % 4 == 0 && off >= sizeof(trt_blob_header_t) && (uint64_t)count * size <= total_len &&
           in_range(off, count * size, total_len);
}

trt_status_t trt_arena_required(const void *blob, size_t blob_len, size_t *bytes)
{
    const trt_blob_header_t *h = (const trt_blob_header_t *)blob;
    trt_status_t st;

    if (blob == NULL || bytes == NULL)
    {
        return TRT_ERR_ARG;
    }
    if ((uintptr_t)blob % 4 != 0)
    {
        return TRT_ERR_ALIGN;
    }
    st = check_header(h, blob_len);
    if (st == TRT_OK)
    {
        *bytes = h->arena_bytes;
    }
    return st;
}

static trt_status_t load(trt_model_t *m, const void *blob, size_t blob_len, void *arena, size_t arena_len)
{
    const trt_blob_header_t *h = (const trt_blob_header_t *)blob;
    const uint8_t *bytes = (const uint8_t *)blob;
    trt_status_t st;
    uint32_t i;

    if ((uintptr_t)blob % 4 != 0 || (uintptr_t)arena % 4 != 0)
    {
        return TRT_ERR_ALIGN;
    }
    st = check_header(h, blob_len);
    if (st != TRT_OK)
    {
        return st;
    }
    if (trt_crc32(bytes + TRT_HEADER_CRC_START, h->total_len - TRT_HEADER_CRC_START) != h->crc32)
    {
        return TRT_ERR_CRC;
    }
    if (h->flags != 0 || !table_ok(h->tensors_off, h->n_tensors, sizeof(trt_tensor_desc_t), h->total_len) ||
        !table_ok(h->ops_off, h->n_ops, sizeof(trt_op_desc_t), h->total_len) ||
        !table_ok(h->inputs_off, h->n_inputs, sizeof(uint32_t), h->total_len) ||
        !table_ok(h->outputs_off, h->n_outputs, sizeof(uint32_t), h->total_len) ||
        !table_ok(h->data_off, h->data_len, 1, h->total_len) || h->n_tensors > 0x7fffffffu)
    {
        return TRT_ERR_SECTION;
    }
    if (arena_len < h->arena_bytes)
    {
        return TRT_ERR_ARENA_SIZE;
    }

    m->blob = bytes;
    m->tensors = (const trt_tensor_desc_t *)(const void *)(bytes + h->tensors_off);
    m->ops = (const trt_op_desc_t *)(const void *)(bytes + h->ops_off);
    m->inputs = (const uint32_t *)(const void *)(bytes + h->inputs_off);
    m->outputs = (const uint32_t *)(const void *)(bytes + h->outputs_off);
    m->data = bytes + h->data_off;
    m->arena = (uint8_t *)arena;
    m->n_tensors = h->n_tensors;
    m->n_ops = h->n_ops;
    m->n_inputs = h->n_inputs;
    m->n_outputs = h->n_outputs;
    m->arena_bytes = h->arena_bytes;

    for (i = 0; i < m->n_tensors; i++)
    {
        st = check_tensor(m, &m->tensors[i], h->data_len);
        if (st != TRT_OK)
        {
            return st;
        }
    }
    for (i = 0; i < m->n_inputs + m->n_outputs; i++)
    {
        uint32_t id = i < m->n_inputs ? m->inputs[i] : m->outputs[i - m->n_inputs];
        if (id >= m->n_tensors || m->tensors[id].storage != TRT_STORAGE_ARENA)
        {
            return TRT_ERR_TENSOR;
        }
    }
    for (i = 0; i < m->n_ops; i++)
    {
        st = check_op(m, &m->ops[i], h->data_len);
        if (st != TRT_OK)
        {
            return st;
        }
        /* A valid op this firmware left out of its op table. */
        if (trt_op_table[m->ops[i].type] == NULL)
        {
            return TRT_ERR_OP_NOT_LINKED;
        }
    }
    return TRT_OK;
}

trt_status_t trt_model_init(trt_model_t *model, const void *blob, size_t blob_len, void *arena, size_t arena_len)
{
    trt_status_t st;

    if (model == NULL)
    {
        return TRT_ERR_ARG;
    }
    memset(model, 0, sizeof(*model));
    if (blob == NULL || (arena == NULL && arena_len != 0))
    {
        return TRT_ERR_ARG;
    }
    st = load(model, blob, blob_len, arena, arena_len);
    if (st != TRT_OK)
    {
        memset(model, 0, sizeof(*model));
        return st;
    }
    model->ready = 1;
    return TRT_OK;
}
