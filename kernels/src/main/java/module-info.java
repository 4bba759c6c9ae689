/**
 * lanewise kernels: a cache-blocked SIMD SGEMM on the JDK Vector API, with a plain-Java
 * fallback, and the naive reference loops that test it.
 *
 * <p>Exported API: {@code dev.lanewise.kernels} (the facade) and {@code dev.lanewise.kernels.ref}
 * (the reference loops). {@code dev.lanewise.kernels.internal} and its subpackages are internal:
 * exported only to lanewise's own modules, with no compatibility promise.
 *
 * <p>The Vector API module is optional: {@code requires static} lets the module load without it,
 * and the scalar implementation is used then (one log line says how to enable the fast one).
 */
module dev.lanewise.kernels {
    requires static jdk.incubator.vector;
    requires static jdk.management;
    requires static java.management;

    exports dev.lanewise.kernels;
    exports dev.lanewise.kernels.ref;
    exports dev.lanewise.kernels.internal to dev.lanewise.im2col, dev.lanewise.nn;
}
