package dev.lanewise.benchmarks;

import java.util.Locale;

/**
 * The work of one benchmark call, which turns its time into a rate: the floating-point operations
 * of a compute-bound call (the peak, GEMM, convolution), rated in GFLOP/s, or the bytes a
 * memory-bound call must move (pooling, activations, grouped and depthwise convolution), rated in
 * GB/s. Exactly one of the two is
 * non-zero. The suite's progress lines, its summary and the report all rate calls through this.
 */
record Work(double flops, double bytes) {

    /**
     * The work of one call of {@code benchmark} (a benchmark class's simple name, e.g.
     * {@code GemmBenchmark}) on {@code workload} (the value of its {@link #workloadParam}; ignored for
     * {@code PeakBenchmark}) by {@code impl}. Only the copy baselines of pooling and grouped
     * convolution differ by implementation: they copy the input, so they move its bytes twice (read
     * and written).
     */
    static Work of(String benchmark, String workload, String impl) {
        return switch (benchmark) {
            case "PeakBenchmark" -> new Work(PeakBenchmark.FLOPS, 0);
            case "GemmBenchmark" -> new Work(GemmShape.named(workload).flops(), 0);
            case "ConvBenchmark" -> {
                ConvLayer l = ConvLayer.named(workload);
                yield !l.grouped() ? new Work(l.flops(), 0)
                        : new Work(0, impl.equals("copy") ? 2.0 * Float.BYTES * l.inputFloats() : l.bytes());
            }
            case "PoolBenchmark" -> {
                PoolLayer l = PoolLayer.named(workload);
                yield new Work(0, impl.equals("copy") ? 2.0 * Float.BYTES * l.inputFloats() : l.bytes());
            }
            case "ActivationBenchmark" -> new Work(0, ActivationTensor.named(workload).bytes());
            default -> throw new IllegalArgumentException("unknown benchmark " + benchmark);
        };
    }

    /**
     * The JMH parameter naming {@code benchmark}'s workload: a GEMM's {@code shape}, a convolution's
     * or pooling's {@code layer}, an activation's {@code tensor}; empty for the peak, which has none.
     */
    static String workloadParam(String benchmark) {
        return switch (benchmark) {
            case "PeakBenchmark" -> "";
            case "GemmBenchmark" -> "shape";
            case "ConvBenchmark", "PoolBenchmark" -> "layer";
            case "ActivationBenchmark" -> "tensor";
            default -> throw new IllegalArgumentException("unknown benchmark " + benchmark);
        };
    }

    /** Whether the rate counts bytes (GB/s) rather than floating-point operations (GFLOP/s). */
    boolean memoryBound() {
        return bytes > 0;
    }

    /** The rate of a call taking {@code micros} microseconds, in {@link #unit()}. */
    double rate(double micros) {
        return (memoryBound() ? bytes : flops) / micros / 1e3;
    }

    /** {@code GB/s} or {@code GFLOP/s}. */
    String unit() {
        return memoryBound() ? "GB/s" : "GFLOP/s";
    }

    /** {@link #rate} with its unit, e.g. {@code 123.4 GFLOP/s}. */
    String rateText(double micros) {
        return String.format(Locale.ROOT, "%.1f %s", rate(micros), unit());
    }
}
