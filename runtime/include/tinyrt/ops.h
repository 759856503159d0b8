/*
 * The op table: which op types a build can run, and the function that runs
 * each one (unpacks the validated op descriptor into a kernel call).
 *
 * libtinyrt.a carries a default table with every op (runtime/src/op_table.c).
 * A firmware that knows its model defines its own trt_op_table listing only
 * the model's ops (`tinyrt build` generates it as model_ops.c): the linker
 * then resolves trt_op_table from that object and never pulls op_table.o
 * out of the archive, so nothing references the other ops, and with
 * --gc-sections (every board links with it) their kernels are not linked.
 * trt_model_init rejects a blob that uses an op whose entry is NULL with
 * TRT_ERR_OP_NOT_LINKED.
 */
#ifndef TINYRT_OPS_H
#define TINYRT_OPS_H

#include "tinyrt/tinyrt.h"

#ifdef __cplusplus
extern "C" {
#endif

typedef void (*trt_op_fn_t)(const trt_model_t *model, const trt_op_desc_t *op);

/* Indexed by trt_op_type_t; NULL where the op is not linked. */
extern const trt_op_fn_t trt_op_table[TRT_OP_COUNT_];

/* One entry point per op type, named trt_op_<lower-case op name>. */
void trt_op_conv_2d(const trt_model_t *model, const trt_op_desc_t *op);
void trt_op_depthwise_conv_2d(const trt_model_t *model, const trt_op_desc_t *op);
void trt_op_depthwise_conv_2d_inplace(const trt_model_t *model, const trt_op_desc_t *op);
void trt_op_fully_connected(const trt_model_t *model, const trt_op_desc_t *op);
void trt_op_average_pool_2d(const trt_model_t *model, const trt_op_desc_t *op);
void trt_op_max_pool_2d(const trt_model_t *model, const trt_op_desc_t *op);
void trt_op_add(const trt_model_t *model, const trt_op_desc_t *op);
void trt_op_softmax(const trt_model_t *model, const trt_op_desc_t *op);
void trt_op_reshape(const trt_model_t *model, const trt_op_desc_t *op);
void trt_op_quantize(const trt_model_t *model, const trt_op_desc_t *op);
void trt_op_requantize(const trt_model_t *model, const trt_op_desc_t *op);
void trt_op_dequantize(const trt_model_t *model, const trt_op_desc_t *op);
void trt_op_conv_2d_inplace(const trt_model_t *model, const trt_op_desc_t *op);

#ifdef __cplusplus
}
#endif

#endif /* TINYRT_OPS_H */
