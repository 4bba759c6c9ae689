package dev.lanewise.nn.conv;

import java.util.List;

/**
 * The convolution algorithms, in order of preference: a problem goes to the first that
 * {@linkplain ConvAlgorithm#supports supports} and {@linkplain ConvAlgorithm#suits suits} it; the
 * last, {@code im2col-gemm}, takes everything. This list is the one place that names them: the
 * operators ask it, and the tests and benchmarks iterate it. A new algorithm is a new class in this
 * package and a line here.
 */
public final class ConvAlgorithms {

    private static final List<ConvAlgorithm> ALL = List.of(
            DepthwiseDirect.INSTANCE,
            PointwiseGemm.INSTANCE,
            DirectConv.INSTANCE,
            Im2colGemm.INSTANCE);

    private ConvAlgorithms() {
    }

    /** Every algorithm, in order of preference. */
    public static List<ConvAlgorithm> all() {
        return ALL;
    }

    /** The algorithm for {@code p}: the first that supports and suits it. */
    public static ConvAlgorithm choose(ConvProblem p) {
        for (ConvAlgorithm a : ALL) {
            if (a.supports(p) && a.suits(p)) {
                return a;
            }
        }
        throw new AssertionError("the last algorithm supports every problem");
    }

    /**
     * The algorithm called {@code name}.
     *
     * @throws IllegalArgumentException if there is none, listing the names there are
     */
    public static ConvAlgorithm named(String name) {
        for (ConvAlgorithm a : ALL) {
            if (a.name().equals(name)) {
                return a;
            }
        }
        throw new IllegalArgumentException("no convolution algorithm named " + name + "; there are "
                + ALL.stream().map(ConvAlgorithm::name).toList());
    }
}
