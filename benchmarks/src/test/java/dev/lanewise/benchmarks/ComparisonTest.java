package dev.lanewise.benchmarks;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.lanewise.benchmarks.Comparison.Change;
import dev.lanewise.benchmarks.Comparison.Verdict;
import dev.lanewise.benchmarks.Report.Measurement;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/** {@link Comparison} on hand-made runs whose times make each verdict. */
class ComparisonTest {

    private static final Report.Machine MACHINE = new Report.Machine("Test CPU 9000", 2, "Test VM 25",
            "AVX-512 (512-bit vectors, 32 registers)", "FloatVector 512 bits, GEMM test", "OpenBLAS test",
            "ONNX Runtime test");

    /** A one-thread lanewise SGEMM sq64 measurement with these iterations, per fork. */
    private static Measurement sq64(List<List<Double>> iterations) {
        double mean = iterations.stream().flatMap(List::stream).mapToDouble(Double::doubleValue).average().orElseThrow();
        return Measurement.of("GemmBenchmark", "sq64", 1, "lanewise", mean, iterations);
    }

    private static Measurement measurement(String benchmark, String workload, String impl, List<Double> iterations) {
        double mean = iterations.stream().mapToDouble(Double::doubleValue).average().orElseThrow();
        return Measurement.of(benchmark, workload, 1, impl, mean, List.of(iterations));
    }

    private static Verdict verdict(Measurement before, Measurement after) {
        Comparison c = new Comparison("a", new Report(List.of(before), Map.of(), MACHINE, null), "b",
                new Report(List.of(after), Map.of(), MACHINE, null), Comparison.DEFAULT_THRESHOLD);
        assertEquals(1, c.changes().size());
        return c.changes().getFirst().verdict();
    }

    @Test
    void clearChangesAreFasterOrSlower() {
        assertEquals(Verdict.FASTER, verdict(sq64(List.of(List.of(10.0, 10.1, 9.9))), sq64(List.of(List.of(8.0, 8.1, 7.9)))));
        assertEquals(Verdict.SLOWER, verdict(sq64(List.of(List.of(8.0, 8.1, 7.9))), sq64(List.of(List.of(10.0, 10.1, 9.9)))));
    }

    @Test
    void significantButSmallChangeIsWithinNoise() {
        // 2 % faster with almost no scatter: significant, below the 5 % threshold.
        assertEquals(Verdict.WITHIN_NOISE,
                verdict(sq64(List.of(List.of(10.0, 10.01, 9.99))), sq64(List.of(List.of(9.8, 9.81, 9.79)))));
    }

    @Test
    void largeButScatteredChangeIsWithinNoise() {
        // 11 % faster on average, but the iterations scatter by 40 %.
        assertEquals(Verdict.WITHIN_NOISE,
                verdict(sq64(List.of(List.of(10.0, 14.0, 6.0))), sq64(List.of(List.of(9.0, 13.0, 5.0)))));
    }

    @Test
    void severalForksAreJudgedByTheirMeans() {
        // Fork means 10, 10.6, 9.4 against 9.2, 9.8, 8.6: 8.7 % faster, t = 1.6 on 4 degrees of freedom, not
        // significant. The nine iterations each, tight within their fork, would wrongly make it so (t = 3.3).
        Measurement before = sq64(List.of(List.of(10.0, 10.01, 9.99), List.of(10.6, 10.61, 10.59), List.of(9.4, 9.41, 9.39)));
        Measurement after = sq64(List.of(List.of(9.2, 9.21, 9.19), List.of(9.8, 9.81, 9.79), List.of(8.6, 8.61, 8.59)));
        assertEquals(Verdict.WITHIN_NOISE, verdict(before, after));
    }

    @Test
    void singleSampleIsNotJudged() {
        assertEquals(Verdict.NOT_JUDGED, verdict(sq64(List.of(List.of(10.0))), sq64(List.of(List.of(5.0)))));
    }

    @Test
    void textListsChangesCountsAndWhatOnlyOneRunHas() {
        Report before = new Report(List.of(
                measurement("GemmBenchmark", "sq64", "lanewise", List.of(10.0, 10.1, 9.9)),
                measurement("ConvBenchmark", "tiny", "lanewise", List.of(2.0, 2.02, 1.98)),
                measurement("PoolBenchmark", "r50_gap", "lanewise", List.of(16.0, 16.1, 15.9)),
                measurement("GemmBenchmark", "odd7", "ref", List.of(1.0, 1.01, 0.99))), Map.of(), MACHINE, null);
        // Another JDK, and the AVX2 configuration with its OpenBLAS kernels.
        Report.Machine otherMachine = new Report.Machine("Test CPU 9000", 2, "Test VM 26",
                "AVX2 (-XX:UseAVX=2: 256-bit vectors, 16 registers)", MACHINE.lanewise(), "Haswell", MACHINE.onnxRuntime());
        Report after = new Report(List.of(
                measurement("GemmBenchmark", "sq64", "lanewise", List.of(8.0, 8.08, 7.92)),
                measurement("ConvBenchmark", "tiny", "lanewise", List.of(2.5, 2.525, 2.475)),
                measurement("PoolBenchmark", "r50_gap", "lanewise", List.of(16.1, 16.2, 16.0)),
                measurement("ActivationBenchmark", "l2", "copy", List.of(1.0, 1.01, 0.99))), Map.of(), otherMachine, null);
        Comparison comparison = new Comparison("results/before", before, "results/after", after,
                Comparison.DEFAULT_THRESHOLD);
        Map<String, Verdict> verdicts = comparison.changes().stream()
                .collect(Collectors.toMap(c -> c.after().key(), Change::verdict));
        assertEquals(Map.of("GemmBenchmark/sq64/1/lanewise", Verdict.FASTER, "ConvBenchmark/tiny/1/lanewise", Verdict.SLOWER,
                "PoolBenchmark/r50_gap/1/lanewise", Verdict.WITHIN_NOISE), verdicts);

        String text = comparison.text().replaceAll(" {2,}", " ");
        assertContains(text, "before: results/before\nafter: results/after\n");
        assertContains(text, "The runs differ in more than the code:\n- JDK: before Test VM 25, after Test VM 26\n"
                + "- ISA configuration: before AVX-512 (512-bit vectors, 32 registers), after AVX2 (-XX:UseAVX=2: 256-bit"
                + " vectors, 16 registers)\n- OpenBLAS: before OpenBLAS test, after Haswell\n");
        assertContains(text, "Caution: a run here measured one fork per configuration");
        // sq64 (524288 flops): 52.4 GFLOP/s before, 65.5 after, +25 %.
        assertContains(text, "## Faster beyond noise: 1\n");
        assertContains(text, "| GemmBenchmark | sq64 | lanewise | 1 | 52.4 | 65.5 | GFLOP/s | +25.0% |");
        // tiny (294912 flops): 147.5 GFLOP/s before, 118.0 after, -20 %.
        assertContains(text, "## Slower beyond noise: 1\n");
        assertContains(text, "| ConvBenchmark | tiny | lanewise | 1 | 147.5 | 118.0 | GFLOP/s | -20.0% |");
        assertContains(text, "Within noise: 1 configurations.\n");
        assertContains(text, "Only in results/before (1): GemmBenchmark/odd7/1/ref\n");
        assertContains(text, "Only in results/after (1): ActivationBenchmark/l2/1/copy\n");
    }

    @Test
    void negativeThresholdIsRejected() {
        Report run = new Report(List.of(), Map.of(), MACHINE, null);
        assertThrows(IllegalArgumentException.class, () -> new Comparison("a", run, "b", run, -0.01));
    }

    private static void assertContains(String text, String part) {
        assertTrue(text.contains(part), () -> "expected\n" + part + "\nin\n" + text);
    }
}
