/*
 * The one op list. Everything that enumerates ops or kernel variants is
 * generated from these X-macros: the op and variant enums (format.h), the op
 * names (trt_op_name), the params sizes and the run/check declarations
 * (ops.h), the default op table (runtime/src/op_table.c).
 * python/tinyrt/format.py mirrors the lists; tests/test_format.py checks both
 * directions.
 *
 * Numbers are positions in the lists (ops from 1, variants from 0) and are
 * part of the blob format: append, never reorder or remove.
 */
#ifndef TINYRT_OP_LIST_H
#define TINYRT_OP_LIST_H

/* X(NAME, name, params struct size in bytes, or 0 for none).
 * Operands by position (absent optional inputs are -1):
 *   CONV_2D, DEPTHWISE_CONV_2D, FULLY_CONNECTED, TRANSPOSE_CONV:
 *       in: input, filter, bias (optional), multiplier, shift   out: output
 *   ADD, MUL, SUB, MAXIMUM, MINIMUM, SQUARED_DIFFERENCE:
 *                                 in: input1, input2                out: output
 *   PRELU: in: input, alpha                                       out: output
 *   LUT: in: input, table (constant INT8 [256], indexed by the
 *        input byte as uint8)                                     out: output
 *   CONCATENATION: in: input_1 .. input_n, requant               out: output
 *   SPLIT: in: input                                              out: output_1 .. output_n
 *   COPY: in: input_1 .. input_n, pieces                          out: output_1 .. output_m
 *         (pieces: a constant INT32 [p, 22] table of trt_copy_piece_t)
 *   MEAN, SUM, REDUCE_MAX, REDUCE_MIN: in: input (axes in params)   out: output
 *   ARG_MAX, ARG_MIN: in: input (axis in params)  out: INT32 or INT64 indices
 *   RESIZE_NEAREST_NEIGHBOR, RESIZE_BILINEAR: in: input, table  out: output
 *   BATCH_MATMUL: in: lhs, rhs                                    out: output
 *   every other op: in: input                                     out: output */
#define TRT_OP_LIST(X)                                                                                                 \
    X(CONV_2D, conv_2d, sizeof(trt_conv_params_t))                                                                     \
    X(DEPTHWISE_CONV_2D, depthwise_conv_2d, sizeof(trt_conv_params_t))                                                 \
    X(FULLY_CONNECTED, fully_connected, sizeof(trt_fc_params_t))                                                       \
    X(AVERAGE_POOL_2D, average_pool_2d, sizeof(trt_pool_params_t))                                                     \
    X(MAX_POOL_2D, max_pool_2d, sizeof(trt_pool_params_t))                                                             \
    X(ADD, add, sizeof(trt_add_params_t))                                                                              \
    X(SOFTMAX, softmax, sizeof(trt_softmax_params_t))                                                                  \
    X(RESHAPE, reshape, 0)                                                                                             \
    X(QUANTIZE, quantize, sizeof(trt_quantize_params_t))       /* float32 -> int8 */                                  \
    X(REQUANTIZE, requantize, sizeof(trt_requantize_params_t)) /* int8 -> int8 (now lowered to LUT) */                \
    X(DEQUANTIZE, dequantize, sizeof(trt_dequantize_params_t)) /* int8 -> float32 */                                  \
    X(MUL, mul, sizeof(trt_mul_params_t))                                                                              \
    X(CONCATENATION, concatenation, sizeof(trt_concat_params_t))                                                       \
    X(SPLIT, split, sizeof(trt_split_params_t))                                                                        \
    X(MEAN, mean, sizeof(trt_mean_params_t))                                                                           \
    X(SUB, sub, sizeof(trt_add_params_t)) /* ADD's params and arithmetic, input 2 subtracted */                       \
    X(MAXIMUM, maximum, 0)                                                                                             \
    X(MINIMUM, minimum, 0)                                                                                             \
    X(TRANSPOSE_CONV, transpose_conv, sizeof(trt_tconv_params_t))                                                       \
    X(COPY, copy, sizeof(trt_copy_params_t)) /* PAD, SLICE, TRANSPOSE, GATHER, ... as strided copies */                 \
    X(SUM, sum, sizeof(trt_mean_params_t)) /* MEAN's params and kernel, the multiplier without 1/n */              \
    X(REDUCE_MAX, reduce_max, sizeof(trt_reduce_params_t))                                                             \
    X(REDUCE_MIN, reduce_min, sizeof(trt_reduce_params_t))                                                             \
    X(ARG_MAX, arg_max, sizeof(trt_arg_params_t))                                                                      \
    X(ARG_MIN, arg_min, sizeof(trt_arg_params_t))                                                                      \
    X(RESIZE_NEAREST_NEIGHBOR, resize_nearest_neighbor, 0) /* source table: input 1 */                            \
    X(RESIZE_BILINEAR, resize_bilinear, 0)                                                                             \
    X(L2_NORMALIZATION, l2_normalization, sizeof(trt_l2norm_params_t))                                                 \
    X(BATCH_MATMUL, batch_matmul, sizeof(trt_batch_matmul_params_t))                                                    \
    X(LUT, lut, 0) /* every int8 -> int8 unary function: a 256-byte table computed offline */                       \
    X(PRELU, prelu, sizeof(trt_prelu_params_t))                                                                        \
    X(SQUARED_DIFFERENCE, squared_difference, sizeof(trt_add_params_t)) /* ADD's fields, left shift 7, squared */

/* X(NAME, name): kernel variants. An in-place variant writes output 0 over
 * input 0 (same arena offset); the planner gives them one buffer. */
#define TRT_VARIANT_LIST(X)                                                                                            \
    X(REF, ref)                 /* portable reference */                                                              \
    X(REF_INPLACE, ref_inplace) /* portable reference, output over input 0 */                                     \
    X(DSP, dsp)                 /* ARMv7E-M DSP (SIMD32 multiply-accumulate), general shapes */                       \
    X(DSP_INPLACE, dsp_inplace) /* ARMv7E-M DSP, output over input 0 */                                               \
    X(DSP_1X1, dsp_1x1)         /* ARMv7E-M DSP, 1x1 filters */                                                       \
    X(DSP_1X1_INPLACE, dsp_1x1_inplace)                                                                               \
    X(DSP_3X3, dsp_3x3) /* ARMv7E-M DSP, 3x3 filters */                                                               \
    X(DSP_3X3_INPLACE, dsp_3x3_inplace)

/* X(OP, op, VARIANT, variant): the (op, variant) pairs kernels/ref provides,
 * built for every board. A kernel directory of an ISA gets its own list,
 * compiled where a board's board.py names that directory. */
#define TRT_KERNELS_REF(X)                                                                                             \
    X(CONV_2D, conv_2d, REF, ref)                                                                                      \
    X(CONV_2D, conv_2d, REF_INPLACE, ref_inplace) /* 1x1, stride 1, no padding, Cout <= Cin */                        \
    X(DEPTHWISE_CONV_2D, depthwise_conv_2d, REF, ref)                                                                  \
    X(DEPTHWISE_CONV_2D, depthwise_conv_2d, REF_INPLACE, ref_inplace) /* depth multiplier 1 */                        \
    X(FULLY_CONNECTED, fully_connected, REF, ref)                                                                      \
    X(AVERAGE_POOL_2D, average_pool_2d, REF, ref)                                                                      \
    X(MAX_POOL_2D, max_pool_2d, REF, ref)                                                                              \
    X(ADD, add, REF, ref)                                                                                              \
    X(SOFTMAX, softmax, REF, ref)                                                                                      \
    X(RESHAPE, reshape, REF, ref)                                                                                      \
    X(QUANTIZE, quantize, REF, ref)                                                                                    \
    X(REQUANTIZE, requantize, REF, ref)                                                                                \
    X(DEQUANTIZE, dequantize, REF, ref)                                                                                \
    X(MUL, mul, REF, ref)                                                                                              \
    X(CONCATENATION, concatenation, REF, ref)                                                                          \
    X(SPLIT, split, REF, ref)                                                                                          \
    X(MEAN, mean, REF, ref)                                                                                            \
    X(SUB, sub, REF, ref)                                                                                              \
    X(MAXIMUM, maximum, REF, ref)                                                                                      \
    X(MINIMUM, minimum, REF, ref)                                                                                      \
    X(TRANSPOSE_CONV, transpose_conv, REF, ref)                                                                         \
    X(COPY, copy, REF, ref)                                                                                             \
    X(SUM, sum, REF, ref)                                                                                              \
    X(REDUCE_MAX, reduce_max, REF, ref)                                                                                \
    X(REDUCE_MIN, reduce_min, REF, ref)                                                                                \
    X(ARG_MAX, arg_max, REF, ref)                                                                                      \
    X(ARG_MIN, arg_min, REF, ref)                                                                                      \
    X(RESIZE_NEAREST_NEIGHBOR, resize_nearest_neighbor, REF, ref)                                                      \
    X(RESIZE_BILINEAR, resize_bilinear, REF, ref)                                                                      \
    X(L2_NORMALIZATION, l2_normalization, REF, ref)                                                                    \
    X(BATCH_MATMUL, batch_matmul, REF, ref)                                                                             \
    X(LUT, lut, REF, ref)                                                                                              \
    X(PRELU, prelu, REF, ref)                                                                                          \
    X(SQUARED_DIFFERENCE, squared_difference, REF, ref)                                                                \
    /* Element-wise ops in place: input 0 has the output's dims (no broadcast) */                                     \
    X(ADD, add, REF_INPLACE, ref_inplace)                                                                              \
    X(SUB, sub, REF_INPLACE, ref_inplace)                                                                              \
    X(MUL, mul, REF_INPLACE, ref_inplace)                                                                              \
    X(MAXIMUM, maximum, REF_INPLACE, ref_inplace)                                                                      \
    X(MINIMUM, minimum, REF_INPLACE, ref_inplace)                                                                      \
    X(LUT, lut, REF_INPLACE, ref_inplace)                                                                              \
    X(PRELU, prelu, REF_INPLACE, ref_inplace)                                                                          \
    X(SQUARED_DIFFERENCE, squared_difference, REF_INPLACE, ref_inplace)                                                \
    X(COPY, copy, REF_INPLACE, ref_inplace) /* PAD, PADV2: one piece, the input at the start of the output */

/* The (op, variant) pairs of kernels/arm_dsp (ARMv7E-M: Cortex-M4, M7, M33;
 * the host builds them too, through the portable model of the instructions
 * in kernels/arm_dsp/dsp.h). */
#define TRT_KERNELS_ARM_DSP(X)                                                                                         \
    X(CONV_2D, conv_2d, DSP, dsp)                                                                                      \
    X(CONV_2D, conv_2d, DSP_INPLACE, dsp_inplace) /* 1x1, stride 1, no padding, Cout <= Cin */                       \
    X(ADD, add, DSP, dsp)                         /* no broadcast */                                                  \
    X(ADD, add, DSP_INPLACE, dsp_inplace)                                                                              \
    X(SUB, sub, DSP, dsp)                                                                                              \
    X(SUB, sub, DSP_INPLACE, dsp_inplace)                                                                              \
    X(AVERAGE_POOL_2D, average_pool_2d, DSP, dsp) /* 4k channels, windows of at most 255 pixels */                      \
    X(DEPTHWISE_CONV_2D, depthwise_conv_2d, DSP, dsp)                                                                  \
    X(DEPTHWISE_CONV_2D, depthwise_conv_2d, DSP_INPLACE, dsp_inplace) /* depth multiplier 1 */                        \
    X(DEPTHWISE_CONV_2D, depthwise_conv_2d, DSP_3X3, dsp_3x3)                                                          \
    X(DEPTHWISE_CONV_2D, depthwise_conv_2d, DSP_3X3_INPLACE, dsp_3x3_inplace)                                          \
    X(FULLY_CONNECTED, fully_connected, DSP, dsp)

#endif /* TINYRT_OP_LIST_H */
