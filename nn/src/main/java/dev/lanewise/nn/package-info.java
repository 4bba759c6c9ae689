/**
 * The operators a CNN is built from, with ONNX semantics: {@link dev.lanewise.nn.Conv2d} (computed by
 * the algorithms of {@link dev.lanewise.nn.conv.ConvAlgorithms}: lowered onto lanewise's SIMD GEMM by
 * an implicit im2col, or a direct kernel), pooling, global pooling and activations.
 */
package dev.lanewise.nn;
