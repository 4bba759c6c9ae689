/**
 * lanewise im2col: the lowering of convolution onto the GEMM of {@code dev.lanewise.kernels}.
 * {@code dev.lanewise.im2col} holds the public kernels, {@code dev.lanewise.im2col.ref} their naive
 * references; {@code dev.lanewise.im2col.internal} is for lanewise's own modules only.
 */
module dev.lanewise.im2col {
    requires transitive dev.lanewise.kernels;

    exports dev.lanewise.im2col;
    exports dev.lanewise.im2col.ref;
    exports dev.lanewise.im2col.internal to dev.lanewise.nn;
}
