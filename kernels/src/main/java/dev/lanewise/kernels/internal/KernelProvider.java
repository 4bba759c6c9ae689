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

    /** The default GEMM configuration on this hardware; {@link #gemmFor} may pick another per shape. */
    public abstract GemmConfig gemm();

    /**
     * The configurations {@link #gemmFor} chooses from, {@link #gemm()} first; all share its KC, so
     * results do not depend on the choice through the k-blocking. Operands prepacked by
     * {@link GemmDriver#prepackA} are laid out for one configuration.
     */
    public abstract List<GemmConfig> gemmChoices();

    /**
     * The configuration for an {@code m x n} result: of {@link #gemmChoices()}, the one whose
     * register tiles cover it with the fewest wasted elements, {@code ceil(m / MR) * MR} rows times
     * the columns of its full panels plus the width of the column tail that takes the rest
     * ({@link GemmMicroKernel#forColumns}); the default on ties. A 64-row convolution GEMM thus takes
     * 8-row tiles rather than 12-row tiles with a 4-row tail, while a 49-column one keeps 32-column
     * panels. Depends on the shape alone, so results stay reproducible.
     */
    public GemmConfig gemmFor(int m, int n) {
        GemmConfig best = gemm();
        long bestArea = tileArea(best, m, n);
        for (GemmConfig c : gemmChoices()) {
            long area = tileArea(c, m, n);
            if (area < bestArea) {
                best = c;
                bestArea = area;
            }
        }
        return best;
    }

    private static long tileArea(GemmConfig c, int m, int n) {
        GemmMicroKernel kernel = c.kernel();
        long mr = kernel.mr();
        int rest = n % kernel.nr();
        long columns = n - rest + (rest == 0 ? 0 : kernel.forColumns(rest).nr());
        return (m + mr - 1) / mr * mr * columns;
    }

    /**
     * Every GEMM micro-kernel variant this provider has, the default among them, each configured
     * with block sizes for this machine. Tests and benchmarks iterate this list.
     */
    public abstract List<GemmConfig> gemmVariants();

    /** The element-wise moves of this implementation. */
    public abstract ArrayKernels arrays();

    /** The pooling kernels of this implementation. */
    public abstract PoolKernels pooling();

    /** The direct depthwise convolution kernels of this implementation. */
    public abstract DepthwiseKernels depthwise();

    /**
     * The direct convolution kernels for groups of {@code filters} filters: of
     * {@link #directConvChoices()}, the one whose blocks of filters waste the fewest,
     * {@code ceil(filters / F) * F - filters}; the first on ties. Depends on the shape alone.
     */
    public DirectConvKernels directConvFor(int filters) {
        DirectConvKernels best = null;
        long bestFilters = Long.MAX_VALUE;
        for (DirectConvKernels k : directConvChoices()) {
            int fb = k.filtersPerBlock();
            long computed = (long) (filters + fb - 1) / fb * fb;
            if (computed < bestFilters) {
                best = k;
                bestFilters = computed;
            }
        }
        return best;
    }

    /** The register blocks {@link #directConvFor} chooses from on this hardware, the preferred first. */
    public abstract List<DirectConvKernels> directConvChoices();

    /**
     * Every register block of the direct convolution kernels this provider has, the choices among
     * them. Tests and benchmarks iterate this list.
     */
    public abstract List<DirectConvKernels> directConvVariants();

    /** The element-wise activations of this implementation. */
    public abstract ActivationKernels activations();

    @Override
    public String toString() {
        return name();
    }
}
