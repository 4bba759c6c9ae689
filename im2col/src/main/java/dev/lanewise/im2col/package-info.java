/**
 * im2col and col2im for NCHW images: the lowering of a convolution onto the GEMM of
 * {@link dev.lanewise.kernels.Sgemm}. {@link dev.lanewise.im2col.ConvGeometry} describes the window,
 * {@link dev.lanewise.im2col.Im2col} builds the column matrix (or any tile of it) and
 * {@link dev.lanewise.im2col.Col2im} is its adjoint. The convolution itself is
 * {@code dev.lanewise.nn.Conv2d}.
 */
package dev.lanewise.im2col;
