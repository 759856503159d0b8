/* Runtime-internal helpers shared by the loader, the interpreter and the op
 * files (runtime/src/ops/). */
#ifndef TINYRT_INTERNAL_H
#define TINYRT_INTERNAL_H

#include "tinyrt/ops.h"

/* Storage bits per element by trt_type_t; 0 marks an invalid type. */
static inline uint32_t trt_type_bits(uint32_t type)
{
    switch (type)
    {
    case TRT_TYPE_INT4:
        return 4;
    case TRT_TYPE_INT8:
        return 8;
    case TRT_TYPE_INT16:
        return 16;
    case TRT_TYPE_INT32:
    case TRT_TYPE_FLOAT32:
        return 32;
    case TRT_TYPE_INT64:
        return 64;
    default:
        return 0;
    }
}

/* Element count (the loader checked it against the dims). */
static inline int32_t trt_elements(const trt_tensor_desc_t *t)
{
    int32_t n = 1;
    uint32_t i;
    for (i = 0; i < t->rank; i++)
    {
        n *= t->dims[i];
    }
    return n;
}

/* Tensor dims right-aligned into NHWC: [C] -> 1x1x1xC, [N, C] -> 1x1xNxC
 * (out of line: every op file calls it). */
trt_dims_t trt_dims_of(const trt_tensor_desc_t *t);

/* --- operands of a validated op, for the run functions --- */

static inline int32_t trt_input_id(const trt_model_t *m, const trt_op_desc_t *op, uint32_t slot)
{
    return m->operands[op->operands + slot];
}

static inline int32_t trt_output_id(const trt_model_t *m, const trt_op_desc_t *op, uint32_t slot)
{
    return m->operands[op->operands + op->n_inputs + slot];
}

static inline const trt_tensor_desc_t *trt_input_desc(const trt_model_t *m, const trt_op_desc_t *op, uint32_t slot)
{
    return &m->tensors[trt_input_id(m, op, slot)];
}

static inline const trt_tensor_desc_t *trt_output_desc(const trt_model_t *m, const trt_op_desc_t *op, uint32_t slot)
{
    return &m->tensors[trt_output_id(m, op, slot)];
}

/* A tensor's bytes: arena and persistent tensors in the arena, constants in
 * the blob. Constants are only ever read; the cast drops const for the common
 * pointer type, kernels take them as const.
 *
 * These accessors add unchecked offsets to a base pointer, so they are only
 * for what the loader has already range-checked: tensors (load() checks every
 * one before any op), params and scratch (check_op() before the op's check).
 * Formed any earlier, base + offset can wrap a 32-bit address space: UB on
 * Cortex-M and RV32 (clang -m32 -fsanitize=pointer-overflow reports it; a
 * 64-bit build does not, so tools/fuzz fuzzes both). */
static inline void *trt_data(const trt_model_t *m, const trt_tensor_desc_t *t)
{
    return t->storage == TRT_STORAGE_CONST ? (void *)(uintptr_t)(m->data + t->offset) : (void *)(m->arena + t->offset);
}

static inline void *trt_input_data(const trt_model_t *m, const trt_op_desc_t *op, uint32_t slot)
{
    return trt_data(m, trt_input_desc(m, op, slot));
}

/* An optional input's bytes, or NULL when it is absent (-1). */
static inline void *trt_optional_data(const trt_model_t *m, const trt_op_desc_t *op, uint32_t slot)
{
    const int32_t id = trt_input_id(m, op, slot);
    return id < 0 ? NULL : trt_data(m, &m->tensors[id]);
}

static inline void *trt_output_data(const trt_model_t *m, const trt_op_desc_t *op, uint32_t slot)
{
    return trt_data(m, trt_output_desc(m, op, slot));
}

static inline const void *trt_params(const trt_model_t *m, const trt_op_desc_t *op)
{
    return m->data + op->params_off;
}

static inline trt_ctx_t trt_ctx(const trt_model_t *m, const trt_op_desc_t *op)
{
    trt_ctx_t ctx;
    ctx.buf = op->scratch_bytes != 0 ? m->arena + op->scratch_off : NULL;
    ctx.size = (int32_t)op->scratch_bytes;
    return ctx;
}

/* --- validation helpers for the op checks (runtime/src/check.c) --- */

static inline int trt_between(int32_t v, int32_t lo, int32_t hi)
{
    return v >= lo && v <= hi;
}

static inline int trt_in_range(uint32_t off, uint32_t len, uint32_t limit)
{
    return off <= limit && len <= limit - off;
}

/* Input `slot` of `type`, or NULL when absent, of another type or beyond
 * the op's inputs. */
const trt_tensor_desc_t *trt_check_input(const trt_model_t *m, const trt_op_desc_t *op, uint32_t slot, uint32_t type);
/* The same, stored in the blob: its values may be inspected by the check
 * and cannot change afterwards. */
const trt_tensor_desc_t *trt_check_const(const trt_model_t *m, const trt_op_desc_t *op, uint32_t slot, uint32_t type);
/* Output `slot` of `type` (the loader made sure it is writable), or NULL. */
const trt_tensor_desc_t *trt_check_output(const trt_model_t *m, const trt_op_desc_t *op, uint32_t slot,
                                          uint32_t type);
/* The op has exactly these operand counts. */
int trt_check_arity(const trt_op_desc_t *op, uint32_t n_inputs, uint32_t n_outputs);
/* A fused activation range inside int8. */
int trt_check_act(int32_t act_min, int32_t act_max);
/* A multiplier/shift pair as TFLM's QuantizeMultiplier produces them. */
int trt_check_requant(int32_t multiplier, int32_t shift);
/* An element-wise op of two int8 inputs, each dim of which equals the int8
 * output's or is 1 (broadcast). */
int trt_check_binary(const trt_model_t *m, const trt_op_desc_t *op);
/* An in-place variant's buffers: input 0 and output 0 one arena tensor from
 * the same offset, and at least `scratch` bytes of scratch in the arena clear
 * of it, since the kernel writes the scratch while the input is still read. */
int trt_check_inplace(const trt_model_t *m, const trt_op_desc_t *op, int64_t scratch);
/* The buffers of an element-wise op of two inputs: any for the out-of-place
 * variants; for REF_INPLACE, input 0 with the output's dims over the
 * output (trt_check_inplace, no scratch) and input 1 either input 0 itself
 * or clear of the output, so that each output element is written only after
 * its own input elements are read. */
int trt_check_binary_variant(const trt_model_t *m, const trt_op_desc_t *op);
/* Requantization constants (inputs 3, 4) and bias (input 2) of CONV_2D,
 * DEPTHWISE_CONV_2D and FULLY_CONNECTED: counts match `channels`, and no int32
 * accumulator of `taps` products can overflow. */
trt_status_t trt_check_channels(const trt_model_t *m, const trt_op_desc_t *op, int32_t channels, int64_t taps);
/* The bound of those accumulators: taps * TRT_MAX_PRODUCT + max |bias|
 * (after trt_check_channels). */
int64_t trt_acc_bound(const trt_model_t *m, const trt_op_desc_t *op, int64_t taps);
/* The two tensors have the same element count. */
int trt_same_elements(const trt_tensor_desc_t *a, const trt_tensor_desc_t *b);

uint32_t trt_crc32(const uint8_t *data, uint32_t len);

#endif /* TINYRT_INTERNAL_H */
