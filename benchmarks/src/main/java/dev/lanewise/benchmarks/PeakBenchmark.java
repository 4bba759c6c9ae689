package dev.lanewise.benchmarks;

import java.util.concurrent.TimeUnit;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorSpecies;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * This machine's single-core FP32 peak as the JVM can reach it: {@value #STEPS} steps of
 * {@value #CHAINS} independent {@code FloatVector.fma} chains of the preferred species, enough
 * chains to cover FMA latency on every FMA pipe (4-5 cycles on two pipes needs 8-10). Every
 * kernel's GFLOP/s is reported as a fraction of this figure, measured in the same run. One call
 * performs {@link #FLOPS} floating-point operations.
 *
 * <p>Each chain accumulates into the addend, {@code c = a * b + c}, as a GEMM kernel does, which C2
 * compiles to one FMA instruction per step. The other order, {@code c = c * b + a}, measured 15 %
 * below the FMA limit at 256 bits on AMD Zen 5 (93 against 109 GFLOP/s in one JVM) and was what made
 * this benchmark report less than lanewise's own GEMM reached on Zen 3.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(value = 3, jvmArgsAppend = {"--add-modules", "jdk.incubator.vector"})
public class PeakBenchmark {

    private static final VectorSpecies<Float> S = FloatVector.SPECIES_PREFERRED;
    static final int CHAINS = 12;
    static final int STEPS = 4096;
    /** Floating-point operations per call: two per lane per FMA. */
    static final double FLOPS = 2.0 * CHAINS * STEPS * S.length();

    public float x = 1.0000001f;
    public float y = 0.9999999f;

    @Benchmark
    public float fmaChains() {
        FloatVector a = FloatVector.broadcast(S, x);
        FloatVector b = FloatVector.broadcast(S, y);
        FloatVector c0 = a, c1 = a, c2 = a, c3 = a, c4 = a, c5 = a;
        FloatVector c6 = a, c7 = a, c8 = a, c9 = a, c10 = a, c11 = a;
        for (int i = 0; i < STEPS; i++) {
            c0 = a.fma(b, c0); c1 = a.fma(b, c1); c2 = a.fma(b, c2); c3 = a.fma(b, c3);
            c4 = a.fma(b, c4); c5 = a.fma(b, c5); c6 = a.fma(b, c6); c7 = a.fma(b, c7);
            c8 = a.fma(b, c8); c9 = a.fma(b, c9); c10 = a.fma(b, c10); c11 = a.fma(b, c11);
        }
        return c0.add(c1).add(c2).add(c3).add(c4).add(c5).add(c6).add(c7).add(c8).add(c9).add(c10).add(c11)
                .reduceLanes(VectorOperators.ADD);
    }
}
