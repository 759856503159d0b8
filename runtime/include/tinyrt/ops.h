/*
 * The op table: which (op, kernel variant) pairs a build can run, each op's
 * validation, and the function that runs each variant (it unpacks the
 * validated op descriptor into a kernel call). Every op has one file,
 * runtime/src/ops/<op>.c, with its check and its run functions.
 *
 * libtinyrt.a carries a default table with every pair its kernel
 * directories build (runtime/src/op_table.c). A firmware that knows its
 * model defines its own trt_op_table listing only the model's pairs
 * (`tinyrt convert --c-array` writes it as model_ops.c): the linker then
 * resolves trt_op_table from that object and never pulls op_table.o out of
 * the archive, so with --gc-sections (every board links with it) the other
 * ops' checks, run functions and kernels are not linked. trt_model_init
 * refuses a blob that uses a pair the table lacks with
 * TRT_ERR_OP_NOT_LINKED.
 */
#ifndef TINYRT_OPS_H
#define TINYRT_OPS_H

#include "tinyrt/kernels.h"
#include "tinyrt/tinyrt.h"

#ifdef __cplusplus
extern "C" {
#endif

/* Validates one op of a blob whose tables, tensors and operand ids the
 * loader has already checked; TRT_OK or TRT_ERR_OP_PARAMS. */
typedef trt_status_t (*trt_op_check_fn_t)(const trt_model_t *model, const trt_op_desc_t *op);
typedef void (*trt_op_run_fn_t)(const trt_model_t *model, const trt_op_desc_t *op);

typedef struct
{
    trt_op_check_fn_t check;
    uint32_t params_bytes;       /* the op's params struct size */
    uint32_t n_variants;         /* entries of run */
    const trt_op_run_fn_t *run;  /* indexed by trt_variant_t; NULL where not linked */
} trt_op_impl_t;

/* Indexed by trt_op_type_t; NULL where the op is not linked. */
extern const trt_op_impl_t *const trt_op_table[TRT_OP_COUNT_];

/* TRT_PARAMS_BYTES_<OP>: params struct size of each op. */
enum
{
#define TRT_PARAMS_BYTES_(NAME, name, bytes) TRT_PARAMS_BYTES_##NAME = (bytes),
    TRT_OP_LIST(TRT_PARAMS_BYTES_)
#undef TRT_PARAMS_BYTES_
    TRT_PARAMS_BYTES_END_
};

/* trt_check_<op> for every op, trt_run_<op>_<variant> for every pair. */
#define TRT_CHECK_DECL_(NAME, name, bytes) trt_status_t trt_check_##name(const trt_model_t *, const trt_op_desc_t *);
TRT_OP_LIST(TRT_CHECK_DECL_)
#undef TRT_CHECK_DECL_
#define TRT_RUN_DECL_(OP, op, VARIANT, variant)                                                                        \
    void trt_run_##op##_##variant(const trt_model_t *, const trt_op_desc_t *);
TRT_KERNELS_REF(TRT_RUN_DECL_)
TRT_KERNELS_ARM_DSP(TRT_RUN_DECL_)
#undef TRT_RUN_DECL_

#ifdef __cplusplus
}
#endif

#endif /* TINYRT_OPS_H */
