/**
 * lanewise im2col: the lowering of convolution onto the GEMM of {@code dev.lanewise.kernels}.
 * Its package {@code dev.lanewise.im2col} is exported once it holds the kernels (convolution issue).
 */
module dev.lanewise.im2col {
    requires transitive dev.lanewise.kernels;
}
