package dev.lanewise.nn.conv;

/**
 * One way of computing a convolution: lowering onto the GEMM, or a direct kernel. Each algorithm
 * says over which problems it is correct ({@link #supports}) and where it is the one to use
 * ({@link #suits}); {@link ConvAlgorithms} lists them in order of preference and picks the first
 * that supports and suits a problem, as oneDNN's ordered implementation lists do. A plan made by
 * {@link #plan} holds what an input size determines.
 *
 * <p>Every algorithm computes the same function, {@code Conv2d}'s, to within the rounding bound of
 * one FMA chain per output over {@code C/group * KH * KW} products; each documents the order of its
 * sum, which is the same for every thread count. Algorithms are stateless singletons.
 */
public abstract class ConvAlgorithm {

    private final String name;

    ConvAlgorithm(String name) {
        this.name = name;
    }

    /** A short stable name, e.g. {@code "im2col-gemm"}: what {@code info} prints and tests select by. */
    public final String name() {
        return name;
    }

    /** Whether this algorithm computes {@code p} correctly; the domain its property tests cover. */
    public abstract boolean supports(ConvProblem p);

    /**
     * Whether this algorithm should take {@code p} when it comes first among those that support it:
     * its measured advantage, stated where each algorithm overrides this. Depends on the problem
     * alone, so the choice is the same on every call and thread count.
     */
    public boolean suits(ConvProblem p) {
        return supports(p);
    }

    /**
     * Makes the plan for {@code p}: the algorithm's derived geometry and its layout of the weights
     * (repacked through {@code weights}' cache, so once per layer and layout).
     *
     * @throws IllegalArgumentException if this algorithm does not {@linkplain #supports support} {@code p}
     */
    public final ConvPlan plan(ConvProblem p, ConvWeights weights) {
        if (!supports(p)) {
            throw new IllegalArgumentException("convolution algorithm " + name + " does not support " + p);
        }
        return newPlan(p, weights);
    }

    /** {@link #plan} for a problem this algorithm supports. */
    abstract ConvPlan newPlan(ConvProblem p, ConvWeights weights);

    @Override
    public final String toString() {
        return name;
    }
}
