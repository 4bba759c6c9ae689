/**
 * lanewise nn: the operators a CNN is built from, with ONNX semantics. {@code dev.lanewise.nn} holds
 * them, {@code dev.lanewise.nn.conv} the convolution algorithms and their registry, and
 * {@code dev.lanewise.nn.ref} their naive references.
 */
module dev.lanewise.nn {
    requires transitive dev.lanewise.im2col;

    exports dev.lanewise.nn;
    exports dev.lanewise.nn.conv;
    exports dev.lanewise.nn.ref;
}
