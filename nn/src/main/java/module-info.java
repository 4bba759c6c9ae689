/**
 * lanewise nn: the operators a CNN is built from (convolution, pooling, activations) with ONNX
 * semantics. Its package {@code dev.lanewise.nn} is exported once it holds the operators.
 */
module dev.lanewise.nn {
    requires transitive dev.lanewise.im2col;
}
