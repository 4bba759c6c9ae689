/**
 * The operators a CNN is built from, with ONNX semantics: {@link dev.lanewise.nn.Conv2d}, a
 * convolution lowered by implicit im2col onto lanewise's SIMD GEMM.
 */
package dev.lanewise.nn;
