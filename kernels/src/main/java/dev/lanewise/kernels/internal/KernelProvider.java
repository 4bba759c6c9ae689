package dev.lanewise.kernels.internal;

import java.util.List;

/**
 * One implementation of every lanewise kernel: the Vector API one, or the plain-Java fallback.
 * {@link Providers#current()} picks one at start-up; nothing else names an implementation.
 *
 * <p>A provider ties kernels to block sizes the way a BLIS {@code config/<cpu>} does: it is the only
 * place that knows which micro-kernel suits the hardware it runs on.
 */
public abstract class KernelProvider {

    /** A one-line description, e.g. {@code "vector (512-bit, 16 float lanes)"}. */
    public abstract String name();

    /** Float lanes per vector: the width of the element-wise kernels' steps (1 for scalar code). */
    public abstract int floatLanes();

    /** The GEMM configuration the facade uses on this hardware. */
    public abstract GemmConfig gemm();

    /**
     * Every GEMM micro-kernel variant this provider has, the default among them, each configured
     * with block sizes for this machine. Tests and benchmarks iterate this list.
     */
    public abstract List<GemmConfig> gemmVariants();

    /** The element-wise moves of this implementation. */
    public abstract ArrayKernels arrays();

    @Override
    public String toString() {
        return name();
    }
}
