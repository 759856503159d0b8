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
 *   CONV_2D, DEPTHWISE_CONV_2D, FULLY_CONNECTED:
 *       in: input, filter, bias (optional), multiplier, shift   out: output
 *   ADD, MUL, SUB, MAXIMUM, MINIMUM: in: input1, input2          out: output
 *   CONCATENATION: in: input_1 .. input_n, requant               out: output
 *   SPLIT: in: input                                              out: output_1 .. output_n
 *   MEAN: in: input (the axes are params)                         out: output
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
    X(REQUANTIZE, requantize, sizeof(trt_requantize_params_t)) /* int8 -> int8 */                                     \
    X(DEQUANTIZE, dequantize, sizeof(trt_dequantize_params_t)) /* int8 -> float32 */                                  \
    X(MUL, mul, sizeof(trt_mul_params_t))                                                                              \
    X(CONCATENATION, concatenation, sizeof(trt_concat_params_t))                                                       \
    X(SPLIT, split, sizeof(trt_split_params_t))                                                                        \
    X(MEAN, mean, sizeof(trt_mean_params_t))                                                                           \
    X(SUB, sub, sizeof(trt_add_params_t)) /* ADD's params and arithmetic, input 2 subtracted */                       \
    X(MAXIMUM, maximum, 0)                                                                                             \
    X(MINIMUM, minimum, 0)

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
    X(MINIMUM, minimum, REF, ref)

/* The (op, variant) pairs of kernels/arm_dsp (ARMv7E-M: Cortex-M4, M7, M33;
 * the host builds them too, through the portable model of the instructions
 * in kernels/arm_dsp/dsp.h). */
#define TRT_KERNELS_ARM_DSP(X)                                                                                         \
    X(DEPTHWISE_CONV_2D, depthwise_conv_2d, DSP, dsp)                                                                  \
    X(DEPTHWISE_CONV_2D, depthwise_conv_2d, DSP_INPLACE, dsp_inplace) /* depth multiplier 1 */                        \
    X(DEPTHWISE_CONV_2D, depthwise_conv_2d, DSP_3X3, dsp_3x3)                                                          \
    X(DEPTHWISE_CONV_2D, depthwise_conv_2d, DSP_3X3_INPLACE, dsp_3x3_inplace)                                          \
    X(FULLY_CONNECTED, fully_connected, DSP, dsp)

#endif /* TINYRT_OP_LIST_H */
