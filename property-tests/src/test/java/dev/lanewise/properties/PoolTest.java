package dev.lanewise.properties;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.lanewise.kernels.Lanewise;
import dev.lanewise.nn.AveragePool2d;
import dev.lanewise.nn.MaxPool2d;
import dev.lanewise.nn.PoolWindow;
import java.util.Arrays;
import java.util.SplittableRandom;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.Example;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.statistics.Statistics;

/**
 * {@link MaxPool2d} and {@link AveragePool2d} against {@link dev.lanewise.nn.ref.RefPool2d}, bit
 * for bit, over random shapes, windows, layouts and inputs full of NaN, infinities, signed zeros
 * and ties; the output size rule and the rejection of windows of padding alone; and the promises
 * about threads and memory: bit-identical results for any thread count, concurrent callers of one
 * operator, no allocation in steady state.
 */
class PoolTest {

    /** Input floats from which a call is split over threads ({@code PlaneTask.PARALLEL_MIN_FLOATS}). */
    static final int PARALLEL_MIN_FLOATS = 1 << 17;

    /** Up to 30 rows and 80 columns: rows of several vectors of interior outputs, with tails, even at stride 3. */
    @Provide
    Arbitrary<PoolCase> cases() {
        return PoolCase.cases(30, 80).filter(PoolCase::valid);
    }

    /**
     * Small sides, no size fix-up and pads up to 4 whatever the kernel (PoolWindow accepts any pads
     * >= 0): many kernels larger than the padded input, windows of padding alone, and valid
     * dilated windows with pads as large as the kernel.
     */
    @Provide
    Arbitrary<PoolCase> rawCases() {
        Arbitrary<Integer> side = Arbitraries.integers().between(1, 6);
        Arbitrary<Integer> kernel = Arbitraries.integers().between(1, 4);
        Arbitrary<Integer> step = Arbitraries.integers().between(1, 3);
        Arbitrary<Integer> pad = Arbitraries.integers().between(0, 4);
        Arbitrary<Integer> bit = Arbitraries.integers().between(0, 1);
        return Combinators.combine(Combinators.combine(java.util.List.of(side, side, kernel, kernel, step, step, step,
                                step, pad, pad, pad, pad, bit, bit, Arbitraries.integers().between(0, 5)))
                        .as(l -> l.stream().mapToInt(Integer::intValue).toArray()), Arbitraries.longs())
                .as((v, seed) -> {
                    PoolCase pc = PoolCase.dense(1 + (int) (seed & 1), 1 + (int) ((seed >>> 1) & 1), v[0], v[1], v[2],
                            v[3], v[4], v[5], v[6], v[7], new int[] {v[8], v[9], v[10], v[11]}, v[12] == 1, v[13] == 1,
                            FloatFill.values()[v[14]], seed);
                    return ((seed >>> 12) & 1) == 0 ? pc : pc.withLayout((int) ((seed >>> 2) & 3),
                            (int) ((seed >>> 4) & 7), 1, (int) ((seed >>> 7) & 3), (int) ((seed >>> 9) & 7), 2, false);
                });
    }

    /**
     * Planes of 36K to 72K floats: clipped windows are read through bands of padded rows of at most
     * 32K floats per plane, so these take several bands per plane.
     */
    @Provide
    Arbitrary<PoolCase> tallCases() {
        return PoolCase.cases(180, 300, 200, 240).filter(PoolCase::valid);
    }

    @Property(tries = 1000)
    void maxPoolMatchesReference(@ForAll("cases") PoolCase pc) {
        PoolChecker.Checked checked = PoolChecker.max(pc);
        collectCoverage(pc);
        boolean nan = false;
        for (float v : checked.expected()) {
            nan |= Float.isNaN(v);
        }
        Statistics.label("NaN").collect(nan ? "a window holds NaN" : "no NaN");
        Statistics.label("NaN").coverage(c -> c.check("a window holds NaN").count(x -> x > 0));
        if (Variants.lanes() > 1 && pc.outputWidth() >= Variants.lanes()) {
            Statistics.label("max column pass").collect(pc.maxColumnPass(Variants.lanes()));
            Statistics.label("max column pass").coverage(c -> {
                c.check("vectors").count(x -> x > 0);
                c.check("pairs from an even column").count(x -> x > 0);
                c.check("pairs from an odd column").count(x -> x > 0);
                c.check("column by column").count(x -> x > 0);
            });
        }
    }

    @Property(tries = 1000)
    void averagePoolMatchesReference(@ForAll("cases") PoolCase pc) {
        PoolChecker.average(pc);
        collectCoverage(pc);
        float[] input = pc.input();
        boolean differs = !Arrays.equals(TestArrays.bits(PoolChecker.referenceAverage(pc, input, false)),
                TestArrays.bits(PoolChecker.referenceAverage(pc, input, true)));
        Statistics.label("count_include_pad").collect(differs ? "makes a difference" : "no difference");
        Statistics.label("count_include_pad").coverage(c -> c.check("makes a difference").count(x -> x > 0));
    }

    @Property(tries = 12, edgeCases = net.jqwik.api.EdgeCasesMode.NONE)
    void tallPlanesMatchReference(@ForAll("tallCases") PoolCase pc) {
        PoolChecker.max(pc);
        PoolChecker.average(pc);
    }

    private static void collectCoverage(PoolCase pc) {
        Statistics.label("stride width").collect(pc.strideWidth());
        Statistics.label("dilation").collect(pc.dilationHeight() == 1 && pc.dilationWidth() == 1 ? "1" : "> 1");
        Statistics.label("ceil mode").collect(!pc.ceilMode() ? "off" : pc.ceilChangesSize() ? "changes the size" : "same size");
        Statistics.label("padding").collect(pc.clipped() ? "windows clipped" : "no window clipped");
        Statistics.label("interior").collect(pc.interiorColumns() >= Variants.lanes() ? "a full vector" : "less than a vector");
        Statistics.label("output row").collect(pc.outputWidth() >= Variants.lanes() ? ">= a vector" : "< a vector");
        Statistics.label("layout").collect(pc.denseOverload() ? "dense" : "offsets and plane strides");
        Statistics.label("fill").collect(pc.fill().name());
        Statistics.label("stride width").coverage(c -> {
            c.check(1).count(x -> x > 0);
            c.check(2).count(x -> x > 0);
            c.check(3).count(x -> x > 0);
        });
        Statistics.label("dilation").coverage(c -> c.check("> 1").count(x -> x > 0));
        Statistics.label("ceil mode").coverage(c -> c.check("changes the size").count(x -> x > 0));
        Statistics.label("padding").coverage(c -> {
            c.check("windows clipped").count(x -> x > 0);
            c.check("no window clipped").count(x -> x > 0);
        });
        Statistics.label("interior").coverage(c -> c.check("a full vector").count(x -> x > 0));
        Statistics.label("output row").coverage(c -> {
            c.check(">= a vector").count(x -> x > 0);
            if (Variants.lanes() > 1) {
                c.check("< a vector").count(x -> x > 0);       // the per-output path of the vector kernels
            }
        });
        Statistics.label("layout").coverage(c -> {
            c.check("dense").count(x -> x > 0);
            c.check("offsets and plane strides").count(x -> x > 0);
        });
        Statistics.label("fill").coverage(c -> {
            for (FloatFill f : FloatFill.values()) {
                c.check(f.name()).count(x -> x > 0);
            }
        });
    }

    /**
     * The output size follows the documented formula (worked out in {@link PoolCase}); a kernel
     * larger than the padded input is rejected by {@code outputHeight/outputWidth} and by the
     * operators, and a window of padding alone by the operators, with an
     * {@link IllegalArgumentException}, writing nothing.
     */
    @Property(tries = 600)
    void badShapesAreRejectedAndGoodOnesSized(@ForAll("rawCases") PoolCase pc) {
        PoolWindow window = pc.window();
        boolean kernelFits = pc.outputHeight() > 0 && pc.outputWidth() > 0;
        Statistics.label("shape").collect(pc.valid() ? "valid" : kernelFits ? "padding-only window" : "kernel too large");
        Statistics.label("shape").coverage(c -> {
            c.check("valid").count(x -> x > 0);
            c.check("padding-only window").count(x -> x > 0);
            c.check("kernel too large").count(x -> x > 0);
        });
        if (pc.valid()) {
            PoolChecker.max(pc);
            PoolChecker.average(pc);
            return;
        }
        if (pc.outputHeight() < 1) {
            assertThrows(IllegalArgumentException.class, () -> window.outputHeight(pc.height()), pc::toString);
        } else {
            assertEquals(pc.outputHeight(), window.outputHeight(pc.height()), pc::toString);
        }
        if (pc.outputWidth() < 1) {
            assertThrows(IllegalArgumentException.class, () -> window.outputWidth(pc.width()), pc::toString);
        } else {
            assertEquals(pc.outputWidth(), window.outputWidth(pc.width()), pc::toString);
        }
        float[] input = pc.input();
        float[] before = input.clone();
        // Outputs larger than any output plane of these sides: the calls must fail on the shape.
        int stride = 500;
        float[] out = PoolChecker.sentinels(pc.planes() * stride + 100);
        long[] indices = new long[out.length];
        Arrays.fill(indices, PoolChecker.INDEX_SENTINEL);
        MaxPool2d max = pc.maxPool();
        AveragePool2d average = pc.averagePool();
        // With the kernel fitting, the window of padding alone is the reason; otherwise either may be found first.
        String reason = kernelFits ? "too large for this kernel" : null;
        rejectsShape(reason, pc, () -> max.forwardWithIndices(pc.batch(), pc.channels(), pc.height(), pc.width(),
                input, pc.inOffset(), pc.inPlaneStride(), out, 0, stride, indices, 0));
        rejectsShape(reason, pc, () -> max.forward(pc.batch(), pc.channels(), pc.height(), pc.width(),
                input, pc.inOffset(), pc.inPlaneStride(), out, 0, stride));
        rejectsShape(reason, pc, () -> average.forward(pc.batch(), pc.channels(), pc.height(), pc.width(),
                input, pc.inOffset(), pc.inPlaneStride(), out, 0, stride));
        rejectsShape(reason, pc, () -> average.forward(pc.batch(), pc.channels(), pc.height(), pc.width(),
                input, pc.inOffset(), out, 0));
        assertArrayEquals(TestArrays.bits(PoolChecker.sentinels(out.length)), TestArrays.bits(out), "output written: " + pc);
        long[] untouched = new long[indices.length];
        Arrays.fill(untouched, PoolChecker.INDEX_SENTINEL);
        assertArrayEquals(untouched, indices, "indices written: " + pc);
        assertArrayEquals(TestArrays.bits(before), TestArrays.bits(input), "input modified: " + pc);
    }

    private static void rejectsShape(String reason, PoolCase pc, org.junit.jupiter.api.function.Executable call) {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, call, pc::toString);
        String m = e.getMessage();
        assertTrue(reason != null ? m.contains(reason) : m.contains("exceeds the padded input") || m.contains("too large for this kernel"),
                "message gives the reason: " + m + " for " + pc);
    }

    /**
     * At stride 2 a vector of outputs loads {@code 2L} floats per tap for {@code 2L - 1} used: where a
     * row's last windows end at the array's last element, the vectors must stop short (the scalar
     * rule finishes the row) rather than read past the array. Rows of about 2 to 6 vectors, the
     * last plane flush with the end of the array, dense and strided.
     */
    @Example
    void stride2VectorsStopAtTheEndOfTheArray() {
        int lanes = Variants.lanes();
        for (int width : new int[] {2 * lanes - 1, 2 * lanes, 2 * lanes + 1, 2 * lanes + 2, 4 * lanes + 1, 6 * lanes}) {
            for (int kernel = 1; kernel <= 3; kernel++) {
                for (int dilation = 1; dilation <= 2; dilation++) {
                    for (boolean ceil : new boolean[] {false, true}) {
                        PoolCase pc = PoolCase.dense(1, 2, 3, Math.max(width, (kernel - 1) * dilation + 1), 2, kernel,
                                1, 2, 1, dilation, new int[4], ceil, true, FloatFill.SPECIALS, width * 31L + kernel);
                        for (PoolCase c : new PoolCase[] {pc, pc.withLayout(1, 5, 0, 0, 3, 0, false)}) {
                            PoolChecker.max(c);
                            PoolChecker.average(c);
                        }
                    }
                }
            }
        }
    }

    /**
     * Rows so wide under a kernel so tall that one output row's input rows (9 of 4000 floats) overflow
     * an average's band of 32K floats a plane: the vector kernels take the per-output rule there.
     */
    @Example
    void windowsWhoseRowsOverflowABandMatchTheReference() {
        for (boolean countPadding : new boolean[] {false, true}) {
            PoolCase pc = PoolCase.dense(1, 2, 12, 4000, 9, 3, 1, 2, 1, 1, new int[] {1, 1, 2, 1}, false, countPadding,
                    FloatFill.SPECIALS, 11);
            PoolChecker.max(pc);
            PoolChecker.average(pc);
        }
    }

    /** Big enough calls, in floats of input, to be split over threads. */
    private static PoolCase[] parallelCases() {
        PoolCase[] cases = {
            // 16 planes of 67 x 123: 3x3 stride 2 pad 1, ceil mode (ResNet's stem pool)
            PoolCase.dense(2, 8, 67, 123, 3, 3, 2, 2, 1, 1, new int[] {1, 1, 1, 1}, true, false, FloatFill.SPECIALS, 1),
            // 3 planes of 200 x 230, strides 3 (gathers), dilations, asymmetric pads, count_include_pad
            PoolCase.dense(1, 3, 200, 230, 4, 3, 1, 3, 2, 1, new int[] {3, 0, 1, 2}, false, true, FloatFill.TIES, 2)
                    .withLayout(5, 77, 0, 3, 19, 1, false),
            // 9 planes of 120 x 125, 2x2 stride 1, floor mode
            PoolCase.dense(3, 3, 120, 125, 2, 2, 1, 1, 1, 1, new int[4], false, false, FloatFill.UNIFORM, 3)};
        for (PoolCase pc : cases) {
            assertTrue(pc.planes() * pc.planeSize() >= PARALLEL_MIN_FLOATS && pc.planes() > 1, pc::toString);
        }
        return cases;
    }

    /** Calls split over planes on 1, 2 and 4 threads give the same bits (and the reference's). */
    @Example
    void resultsAreBitIdenticalForAnyThreadCount() {
        int before = Lanewise.threads();
        try {
            for (PoolCase pc : parallelCases()) {
                Lanewise.setThreads(1);
                PoolChecker.Checked max = PoolChecker.max(pc);
                float[] average = PoolChecker.average(pc).output();
                for (int threads : new int[] {2, 4}) {
                    Lanewise.setThreads(threads);
                    PoolChecker.Checked maxN = PoolChecker.max(pc);
                    assertArrayEquals(PoolChecker.canonicalBits(max.output()), PoolChecker.canonicalBits(maxN.output()),
                            threads + " threads differ from 1 for " + pc);
                    assertArrayEquals(max.indices(), maxN.indices(), threads + " threads differ from 1 for " + pc);
                    assertArrayEquals(PoolChecker.canonicalBits(average), PoolChecker.canonicalBits(PoolChecker.average(pc).output()),
                            threads + " threads differ from 1 for " + pc);
                }
            }
        } finally {
            Lanewise.setThreads(before);
        }
    }

    /** Callers of one operator on many threads at once, each with its own input sizes and layouts. */
    @Example
    void concurrentCallersOfOneOperatorAllGetCorrectResults() throws Exception {
        PoolCase template = PoolCase.dense(1, 1, 9, 9, 3, 3, 2, 2, 1, 1, new int[] {1, 1, 1, 1}, true, true,
                FloatFill.SPECIALS, 0);
        MaxPool2d max = template.maxPool();
        AveragePool2d average = template.averagePool();
        TestArrays.onConcurrentCallers(8, random -> {
            for (int call = 0; call < 30; call++) {
                PoolCase pc = PoolCase.dense(1 + random.nextInt(2), 1 + random.nextInt(3), 2 + random.nextInt(30),
                        2 + random.nextInt(70), 3, 3, 2, 2, 1, 1, template.pads(), true, true,
                        FloatFill.values()[random.nextInt(FloatFill.values().length)], random.nextLong());
                if (random.nextBoolean()) {
                    pc = pc.withLayout(random.nextInt(4), random.nextInt(20), random.nextInt(3), random.nextInt(4),
                            random.nextInt(20), random.nextInt(3), false);
                }
                PoolChecker.max(pc, max);
                PoolChecker.average(pc, average);
            }
        });
    }

    /** Small calls, {@code {batch, channels, height, width, kernel, stride, pad}}: one per tap path (stride 1, 2, 3). */
    private static final int[][] SMALL = {{1, 3, 21, 70, 3, 1, 1}, {2, 2, 17, 64, 3, 2, 1}, {1, 2, 25, 80, 2, 3, 0}};
    /** Calls large enough to be split over two threads. */
    private static final int[][] LARGE = {{2, 8, 67, 123, 3, 2, 1}, {1, 3, 200, 230, 2, 1, 0}};

    /*
     * After warm-up, calls allocate nothing on the calling thread (the documented promise): each
     * operator on small calls at each tap path, strides 1, 2 and 3 in one JVM as in a network, and
     * on calls split over two threads.
     */

    @Example
    void steadyStateMaxPoolAllocatesNothing() {
        assertSteadyStateAllocatesNothing(0);
    }

    @Example
    void steadyStateMaxPoolWithIndicesAllocatesNothing() {
        assertSteadyStateAllocatesNothing(1);
    }

    @Example
    void steadyStateAveragePoolAllocatesNothing() {
        assertSteadyStateAllocatesNothing(2);
    }

    private static void assertSteadyStateAllocatesNothing(int operator) {
        SplittableRandom random = new SplittableRandom(7 + operator);
        int before = Lanewise.threads();
        try {
            Lanewise.setThreads(2);
            TestArrays.assertSteadyStateAllocatesNothing(calls(SMALL, operator, random), 2_000, 201);
            TestArrays.assertSteadyStateAllocatesNothing(calls(LARGE, operator, random), 100, 8);
        } finally {
            Lanewise.setThreads(before);
        }
    }

    /**
     * For each shape {@code {batch, channels, height, width, kernel, stride, pad}}, two calls of
     * operator 0 (max pool, ceil and floor mode, dense and strided overloads), 1 (max pool with
     * indices, both modes) or 2 (average pool, dense without and strided with count_include_pad),
     * each on its own operator object (an operator keeps the resolved shape of the last input size).
     */
    private static Runnable[] calls(int[][] shapes, int operator, SplittableRandom random) {
        Runnable[] calls = new Runnable[2 * shapes.length];
        for (int i = 0; i < shapes.length; i++) {
            int[] s = shapes[i];
            int n = s[0];
            int c = s[1];
            int h = s[2];
            int w = s[3];
            float[] input = TestArrays.filled((long) n * c * h * w, random);
            MaxPool2d ceil = MaxPool2d.pytorch(s[4], s[5], s[6], 1, true);
            MaxPool2d floor = MaxPool2d.pytorch(s[4], s[5], s[6], 1, false);
            AveragePool2d average = AveragePool2d.pytorch(s[4], s[5], s[6], false, false);
            AveragePool2d averageCountingPads = AveragePool2d.pytorch(s[4], s[5], s[6], true, true);
            int outPlane = ceil.outputHeight(h) * ceil.outputWidth(w);     // ceil mode: the larger
            float[] out = new float[n * c * (outPlane + 3)];
            long[] indices = new long[out.length];
            switch (operator) {
                case 0 -> {
                    calls[2 * i] = () -> ceil.forward(n, c, h, w, input, 0, out, 0);
                    calls[2 * i + 1] = () -> floor.forward(n, c, h, w, input, 0, h * w, out, 0, outPlane + 3);
                }
                case 1 -> {
                    calls[2 * i] = () -> ceil.forwardWithIndices(n, c, h, w, input, 0, h * w, out, 0, outPlane,
                            indices, 0);
                    calls[2 * i + 1] = () -> floor.forwardWithIndices(n, c, h, w, input, 0, h * w, out, 0,
                            outPlane + 3, indices, 0);
                }
                default -> {
                    calls[2 * i] = () -> average.forward(n, c, h, w, input, 0, out, 0);
                    calls[2 * i + 1] = () -> averageCountingPads.forward(n, c, h, w, input, 0, h * w, out, 0,
                            outPlane + 3);
                }
            }
        }
        return calls;
    }
}
