package dev.lanewise.properties;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.lanewise.nn.AutoPad;
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
 * {@link MaxPool2d} and {@link AveragePool2d} with ONNX {@code auto_pad} ({@link PoolWindow#withAutoPad}):
 * bit for bit against {@link dev.lanewise.nn.ref.RefPool2d} given the pads and output sizes that
 * {@link PoolCase} works out from ONNX's formulas, over kernels, strides, dilations, ceil mode (which
 * {@code auto_pad} makes irrelevant), count_include_pad, layouts and sides with vector tails; known
 * answers from ONNX's backend tests; output-size queries that allocate nothing; one operator over
 * many input sizes; and the exclusion of explicit pads.
 */
class PoolAutoPadTest {

    /** {@link PoolCase#cases} with SAME_UPPER, SAME_LOWER or VALID instead of the explicit pads. */
    @Provide
    Arbitrary<PoolCase> cases() {
        return Combinators.combine(PoolCase.cases(30, 80),
                        Arbitraries.of(AutoPad.SAME_UPPER, AutoPad.SAME_LOWER, AutoPad.VALID))
                .as(PoolCase::withAutoPad).filter(PoolCase::valid);
    }

    @Property(tries = 600)
    void maxAndAveragePoolMatchTheReference(@ForAll("cases") PoolCase pc) {
        PoolChecker.max(pc);
        PoolChecker.average(pc);
        int[] p = pc.resolvedPads();
        PoolWindow resolved = pc.window().resolve(pc.height(), pc.width());
        assertArrayEquals(p, new int[] {resolved.padTop(), resolved.padLeft(), resolved.padBottom(), resolved.padRight()},
                "resolved pads of " + pc);
        float[] input = pc.input();
        boolean countingPadsDiffers = !Arrays.equals(TestArrays.bits(PoolChecker.referenceAverage(pc, input, false)),
                TestArrays.bits(PoolChecker.referenceAverage(pc, input, true)));
        int totalHeight = p[0] + p[2];
        int totalWidth = p[1] + p[3];
        Statistics.label("auto_pad").collect(pc.autoPad().name());
        Statistics.label("total pad").collect(pc.autoPad() == AutoPad.VALID ? "none (VALID)"
                : totalHeight % 2 == 1 || totalWidth % 2 == 1 ? "odd" : totalHeight + totalWidth > 0 ? "even" : "0");
        Statistics.label("ceil mode").collect(pc.ceilMode() ? "on" : "off");
        Statistics.label("count_include_pad").collect(countingPadsDiffers ? "makes a difference" : "no difference");
        Statistics.label("stride width").collect(pc.strideWidth());
        Statistics.label("dilation").collect(pc.dilationHeight() == 1 && pc.dilationWidth() == 1 ? "1" : "> 1");
        Statistics.label("output row").collect(pc.outputWidth() % Math.max(2, Variants.lanes()) != 0 ? "with a tail"
                : "whole vectors");
        Statistics.label("auto_pad").coverage(c -> {
            for (AutoPad a : new AutoPad[] {AutoPad.SAME_UPPER, AutoPad.SAME_LOWER, AutoPad.VALID}) {
                c.check(a.name()).count(x -> x > 0);
            }
        });
        Statistics.label("total pad").coverage(c -> {
            c.check("odd").count(x -> x > 0);
            c.check("even").count(x -> x > 0);
        });
        Statistics.label("ceil mode").coverage(c -> c.check("on").count(x -> x > 0));
        Statistics.label("count_include_pad").coverage(c -> c.check("makes a difference").count(x -> x > 0));
        Statistics.label("stride width").coverage(c -> {
            c.check(1).count(x -> x > 0);
            c.check(2).count(x -> x > 0);
            c.check(3).count(x -> x > 0);
        });
        Statistics.label("dilation").coverage(c -> c.check("> 1").count(x -> x > 0));
        Statistics.label("output row").coverage(c -> {
            c.check("with a tail").count(x -> x > 0);
            c.check("whole vectors").count(x -> x > 0);
        });
    }

    private static float[] plane(int h, int w) {
        float[] x = new float[h * w];
        for (int i = 0; i < x.length; i++) {
            x[i] = i + 1;
        }
        return x;
    }

    /**
     * ONNX's test_maxpool_2d_precomputed_same_upper and test_averagepool_2d_precomputed_same_upper:
     * 1..25 in a 5x5 plane, 3x3 kernel, strides 2, SAME_UPPER (pads 1 on every side), 3x3 outputs;
     * with count_include_pad = 1 every window has 9 cells of the padded plane.
     */
    @Example
    void onnxPrecomputedSameUpper() {
        PoolWindow window = PoolWindow.of(3, 3).withStrides(2, 2).withAutoPad(AutoPad.SAME_UPPER);
        float[] x = plane(5, 5);
        float[] max = new float[9];
        MaxPool2d.of(window).forward(1, 1, 5, 5, x, 0, max, 0);
        assertArrayEquals(new float[] {7, 9, 10, 17, 19, 20, 22, 24, 25}, max);
        float[] average = new float[9];
        AveragePool2d.of(window, false).forward(1, 1, 5, 5, x, 0, average, 0);
        assertArrayEquals(new float[] {4, 5.5f, 7, 11.5f, 13, 14.5f, 19, 20.5f, 22}, average);
        float[] counted = new float[9];
        AveragePool2d.of(window.withCeilMode(true), true).forward(1, 1, 5, 5, x, 0, counted, 0);
        assertArrayEquals(new float[] {
            (1 + 2 + 6 + 7) / 9f, (2 + 3 + 4 + 7 + 8 + 9) / 9f, (4 + 5 + 9 + 10) / 9f,
            (6 + 7 + 11 + 12 + 16 + 17) / 9f, (7 + 8 + 9 + 12 + 13 + 14 + 17 + 18 + 19) / 9f,
            (9 + 10 + 14 + 15 + 19 + 20) / 9f,
            (16 + 17 + 21 + 22) / 9f, (17 + 18 + 19 + 22 + 23 + 24) / 9f, (19 + 20 + 24 + 25) / 9f}, counted);
    }

    /**
     * A row 1, 2, 3, 4 with a 2-wide kernel at stride 1: total pad 1, at the end for SAME_UPPER
     * (windows {1,2} {2,3} {3,4} {4}) and at the start for SAME_LOWER ({1} {1,2} {2,3} {3,4}); the
     * padding cell counts with count_include_pad = 1. VALID in ceil mode over 5 cells at stride 2
     * gives ONNX's 2 windows, where explicit pads 0 in ceil mode give 3 (the last one over cell 5 alone).
     */
    @Example
    void sameUpperAndLowerOnARow() {
        float[] row = {1, 2, 3, 4};
        PoolWindow upper = PoolWindow.of(1, 2).withAutoPad(AutoPad.SAME_UPPER);
        PoolWindow lower = PoolWindow.of(1, 2).withAutoPad(AutoPad.SAME_LOWER);
        float[] out = new float[4];
        MaxPool2d.of(upper).forward(1, 1, 1, 4, row, 0, out, 0);
        assertArrayEquals(new float[] {2, 3, 4, 4}, out);
        MaxPool2d.of(lower).forward(1, 1, 1, 4, row, 0, out, 0);
        assertArrayEquals(new float[] {1, 2, 3, 4}, out);
        AveragePool2d.of(upper, false).forward(1, 1, 1, 4, row, 0, out, 0);
        assertArrayEquals(new float[] {1.5f, 2.5f, 3.5f, 4}, out);
        AveragePool2d.of(upper, true).forward(1, 1, 1, 4, row, 0, out, 0);
        assertArrayEquals(new float[] {1.5f, 2.5f, 3.5f, 2}, out);
        AveragePool2d.of(lower, true).forward(1, 1, 1, 4, row, 0, out, 0);
        assertArrayEquals(new float[] {0.5f, 1.5f, 2.5f, 3.5f}, out);

        PoolWindow valid = PoolWindow.of(1, 2).withStrides(1, 2).withCeilMode(true).withAutoPad(AutoPad.VALID);
        assertEquals(2, valid.outputWidth(5));
        assertEquals(3, PoolWindow.of(1, 2).withStrides(1, 2).withCeilMode(true).outputWidth(5));
        float[] two = new float[2];
        MaxPool2d.of(valid).forward(1, 1, 1, 5, new float[] {1, 2, 3, 4, 5}, 0, two, 0);
        assertArrayEquals(new float[] {2, 4}, two);
    }

    /** One operator over many input sizes: the pads are resolved again for each size, in the sizes' queries and calls. */
    @Example
    void oneOperatorOverManySizes() {
        for (AutoPad a : new AutoPad[] {AutoPad.SAME_UPPER, AutoPad.SAME_LOWER, AutoPad.VALID}) {
            PoolCase template = PoolCase.dense(1, 2, 9, 9, 3, 2, 2, 3, 1, 2, new int[4], true, true,
                    FloatFill.SPECIALS, 0).withAutoPad(a);
            MaxPool2d max = template.maxPool();
            AveragePool2d average = template.averagePool();
            SplittableRandom random = new SplittableRandom(a.ordinal());
            for (int call = 0; call < 40; call++) {
                PoolCase pc = PoolCase.dense(1, 2, 3 + random.nextInt(20), 4 + random.nextInt(60), 3, 2, 2, 3, 1, 2,
                        new int[4], true, true, FloatFill.values()[random.nextInt(FloatFill.values().length)],
                        random.nextLong()).withAutoPad(a);
                if (pc.valid()) {
                    PoolChecker.max(pc, max);
                    PoolChecker.average(pc, average);
                }
            }
        }
    }

    /** Output-size queries under an auto_pad are pure: after warm-up they allocate nothing. */
    @Example
    void outputSizeQueriesAllocateNothing() {
        MaxPool2d same = MaxPool2d.of(PoolWindow.of(3, 3).withStrides(2, 2).withDilations(2, 1)
                .withAutoPad(AutoPad.SAME_LOWER));
        AveragePool2d valid = AveragePool2d.of(PoolWindow.of(2, 3).withStrides(1, 2).withCeilMode(true)
                .withAutoPad(AutoPad.VALID), true);
        int[] sink = new int[1];
        Runnable[] queries = {
            () -> sink[0] += same.outputHeight(57) + same.outputWidth(31),
            () -> sink[0] += valid.outputHeight(12) + valid.outputWidth(225)};
        TestArrays.assertSteadyStateAllocatesNothing(queries, 2_000, 1_000);
        assertEquals(29 + 16, same.outputHeight(57) + same.outputWidth(31));
        assertEquals(11 + 112, valid.outputHeight(12) + valid.outputWidth(225));
    }

    /** Explicit pads and an auto_pad exclude each other, whichever is set first. */
    @Example
    void padsAndAutoPadExcludeEachOther() {
        PoolWindow padded = PoolWindow.of(3, 3).withPads(0, 1, 0, 0);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> padded.withAutoPad(AutoPad.SAME_UPPER));
        assertTrue(e.getMessage().contains("auto_pad") && e.getMessage().contains("pads"), e.getMessage());
        PoolWindow valid = PoolWindow.of(3, 3).withAutoPad(AutoPad.VALID);
        assertThrows(IllegalArgumentException.class, () -> valid.withPads(1, 0, 0, 0));
        assertEquals(AutoPad.NOTSET, padded.withAutoPad(AutoPad.NOTSET).autoPad());
        assertEquals(AutoPad.VALID, valid.withPads(0, 0, 0, 0).autoPad());
        assertTrue(assertThrows(NullPointerException.class, () -> valid.withAutoPad(null)).getMessage()
                .contains("autoPad"));
    }
}
