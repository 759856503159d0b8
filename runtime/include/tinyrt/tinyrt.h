/*
 * tinyrt: int8 neural-network inference for microcontrollers.
 *
 *     static trt_model_t model;
 *     static uint8_t arena[TRT_ARENA_BYTES] __attribute__((aligned(4)));
 *     trt_status_t st = trt_model_init(&model, model_blob, model_blob_len, arena, sizeof arena);
 *     trt_tensor_t in, out;
 *     trt_input(&model, 0, &in);   fill in.data (in.bytes bytes)
 *     st = trt_invoke(&model);
 *     trt_output(&model, 0, &out); read out.data
 *
 * The runtime never allocates and has no global state: everything lives in
 * the caller's trt_model_t, the (read-only) blob and the arena. The blob is
 * validated once, in trt_model_init; a blob that passes cannot make
 * trt_invoke read or write outside the blob and the arena. Which ops and
 * kernel variants a build can run is its op table (tinyrt/ops.h).
 */
#ifndef TINYRT_TINYRT_H
#define TINYRT_TINYRT_H

#include <stddef.h>
#include <stdint.h>

#include "tinyrt/format.h"
#include "tinyrt/status.h"

#ifdef __cplusplus
extern "C" {
#endif

/* Profiling hook, called before (end == 0) and after (end == 1) every op. */
typedef void (*trt_op_hook_t)(void *user, uint32_t op_index, uint32_t op_type, int end);

/* Model state. Treat the fields as private; it is public only so that callers
 * can allocate it statically. */
typedef struct
{
    const uint8_t *blob;
    const trt_tensor_desc_t *tensors;
    const trt_op_desc_t *ops;
    const int32_t *operands;
    const uint32_t *inputs;
    const uint32_t *outputs;
    const uint8_t *data;
    uint8_t *arena;
    uint32_t n_tensors, n_ops, n_inputs, n_outputs;
    uint32_t arena_bytes;
    trt_op_hook_t hook;
    void *hook_user;
    uint32_t ready;
} trt_model_t;

/* A model input or output, as the caller sees it. */
typedef struct
{
    void *data;
    uint32_t type; /* trt_type_t */
    uint32_t rank;
    int32_t dims[TRT_MAX_DIMS];
    uint32_t bytes;
    float scale;
    int32_t zero_point;
} trt_tensor_t;

/* Arena bytes the blob needs (after checking its header and length). */
trt_status_t trt_arena_required(const void *blob, size_t blob_len, size_t *bytes);

/* Validate the blob (magic, version, length, CRC, every table, tensor, op and
 * parameter) and bind it to the arena. blob and arena must be 4-byte aligned;
 * the blob must stay valid and unchanged while the model is used. On error the
 * model is left unusable (trt_invoke returns TRT_ERR_NOT_READY). */
trt_status_t trt_model_init(trt_model_t *model, const void *blob, size_t blob_len, void *arena,
                            size_t arena_len);

/* Run every op once. Inputs must be written before each call: the arena space
 * of an input may be reused for activations during the run. */
trt_status_t trt_invoke(trt_model_t *model);

/* Reset the state kept across trt_invoke (persistent tensors, e.g. recurrent
 * state) to real zero: the zero point for int8 tensors, 0 for the others,
 * as TFLM resets its variable tensors. trt_model_init does it too. */
trt_status_t trt_reset_state(trt_model_t *model);

uint32_t trt_num_inputs(const trt_model_t *model);
uint32_t trt_num_outputs(const trt_model_t *model);
trt_status_t trt_input(const trt_model_t *model, uint32_t index, trt_tensor_t *tensor);
trt_status_t trt_output(const trt_model_t *model, uint32_t index, trt_tensor_t *tensor);

uint32_t trt_num_ops(const trt_model_t *model);

/* Install (or, with NULL, remove) the per-op profiling hook. */
void trt_set_op_hook(trt_model_t *model, trt_op_hook_t hook, void *user);

/* Name of an op type ("CONV_2D", ...), or "?" for an unknown one. */
const char *trt_op_name(uint32_t op_type);

/* Name of a kernel variant ("REF", "REF_INPLACE", ...), or "?". */
const char *trt_variant_name(uint32_t variant);

#ifdef __cplusplus
}
#endif

#endif /* TINYRT_TINYRT_H */
