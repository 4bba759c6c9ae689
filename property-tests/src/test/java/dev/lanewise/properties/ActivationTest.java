package dev.lanewise.properties;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.fail;

import dev.lanewise.kernels.Lanewise;
import dev.lanewise.nn.Activation;
import dev.lanewise.nn.ref.RefActivations;
import java.util.Arrays;
import java.util.SplittableRandom;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.Example;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.statistics.Statistics;

/**
 * {@link Activation} against {@link RefActivations} element by element, bit for bit (all NaNs one):
 * ReLU, ReLU6, clamps with any bounds (signed zeros and infinities included) and LeakyReLU with any
 * finite alpha, over inputs with NaN, infinities, signed zeros and subnormals; out of place, in
 * place and plane by plane; lengths from 0 past the multi-thread threshold; guard zones untouched;
 * results independent of the thread count; no allocation in steady state.
 */
class ActivationTest {

    /** An activation and its reference. */
    record Act(Kind kind, float a, float b) {

        enum Kind { RELU, RELU6, CLAMP, LEAKY_RELU }

        Activation activation() {
            return switch (kind) {
                case RELU -> Activation.relu();
                case RELU6 -> Activation.relu6();
                case CLAMP -> Activation.clamp(a, b);
                case LEAKY_RELU -> Activation.leakyRelu(a);
            };
        }

        float reference(float x) {
            return switch (kind) {
                case RELU -> RefActivations.relu(x);
                case RELU6 -> RefActivations.clamp(x, 0f, 6f);
                case CLAMP -> RefActivations.clamp(x, a, b);
                case LEAKY_RELU -> RefActivations.leakyRelu(x, a);
            };
        }

        @Override
        public String toString() {
            return switch (kind) {
                case RELU, RELU6 -> kind.name();
                case CLAMP -> "clamp(" + a + ", " + b + ")";
                case LEAKY_RELU -> "leakyRelu(" + a + ")";
            };
        }
    }

    private static final float GUARD = PoolChecker.SENTINEL;

    /** Bounds of clamps: special values, small integers, or any float of moderate size. */
    private static Arbitrary<Float> bound() {
        return Arbitraries.oneOf(
                Arbitraries.of(Float.NEGATIVE_INFINITY, Float.POSITIVE_INFINITY, -0.0f, 0.0f, 6f, -1f, 1f,
                        Float.MIN_VALUE, -Float.MIN_VALUE, Float.MAX_VALUE, -Float.MAX_VALUE),
                Arbitraries.floats().between(-2, 2));
    }

    @Provide
    Arbitrary<Act> activations() {
        Arbitrary<Act> clamps = Combinators.combine(bound(), bound())
                .as((x, y) -> x > y ? new Act(Act.Kind.CLAMP, y, x) : new Act(Act.Kind.CLAMP, x, y));
        Arbitrary<Act> leaky = Arbitraries.oneOf(
                        Arbitraries.of(0f, -0.0f, 0.01f, 1f, -1f, -0.5f, 3f, 1e30f, -1e30f, Float.MIN_VALUE,
                                Float.MAX_VALUE, -Float.MAX_VALUE),
                        Arbitraries.floats().between(-10, 10))
                .map(alpha -> new Act(Act.Kind.LEAKY_RELU, alpha, 0f));
        return Arbitraries.oneOf(Arbitraries.just(new Act(Act.Kind.RELU, 0f, 0f)),
                Arbitraries.just(new Act(Act.Kind.RELU6, 0f, 0f)), clamps, leaky);
    }

    @Property(tries = 1000)
    void matchesReference(@ForAll("activations") Act act, @ForAll @IntRange(max = 100) int n,
                          @ForAll FloatFill fill, @ForAll @IntRange(max = 5) int inOffset,
                          @ForAll @IntRange(max = 5) int outOffset, @ForAll boolean inPlace, @ForAll long seed) {
        check(act, n, fill, inOffset, outOffset, inPlace, seed);
        Statistics.label("activation").collect(act.kind());
        Statistics.label("where").collect(inPlace ? "in place" : "out of place");
        Statistics.label("parameters").collect(switch (act.kind()) {
            case CLAMP -> act.a() == 0 || act.b() == 0 ? "clamp at a signed zero"
                    : Float.isInfinite(act.a()) || Float.isInfinite(act.b()) ? "clamp with an infinite bound" : "clamp";
            case LEAKY_RELU -> act.a() <= 0 ? "alpha <= 0" : "alpha > 0";
            default -> act.kind().name();
        });
        Statistics.label("parameters").coverage(c -> {
            c.check("clamp at a signed zero").count(x -> x > 0);
            c.check("clamp with an infinite bound").count(x -> x > 0);
            c.check("alpha <= 0").count(x -> x > 0);
        });
        Statistics.label("activation").coverage(c -> {
            for (Act.Kind k : Act.Kind.values()) {
                c.check(k).count(x -> x > 0);
            }
        });
        Statistics.label("where").coverage(c -> c.check("in place").count(x -> x > 0));
    }

    /**
     * Runs {@code act} on {@code n} values from {@code inOffset} (in place at that offset, or out of
     * place to {@code outOffset} of another array), checks every element and the guards, and returns
     * the output array. Elements are compared by their raw bits: {@link Activation} promises that NaN
     * inputs pass through with their payloads, and the references return NaN inputs unchanged.
     */
    static float[] check(Act act, int n, FloatFill fill, int inOffset, int outOffset, boolean inPlace, long seed) {
        SplittableRandom random = new SplittableRandom(seed);
        float[] input = new float[inOffset + n + 7];
        Arrays.fill(input, PoolCase.INPUT_GUARD);
        fill.fill(input, inOffset, n, random);
        float[] x = input.clone();
        Activation activation = act.activation();
        float[] out;
        int at;
        if (inPlace) {
            out = input;
            at = inOffset;
            if (random.nextBoolean()) {
                activation.applyInPlace(input, inOffset, n);
            } else {
                activation.apply(input, inOffset, input, inOffset, n);
            }
        } else {
            out = PoolChecker.sentinels(outOffset + n + 7);
            at = outOffset;
            activation.apply(input, inOffset, out, outOffset, n);
            assertArrayEquals(TestArrays.bits(x), TestArrays.bits(input), "the input was modified: " + act);
        }
        for (int i = 0; i < out.length; i++) {
            if (i < at || i >= at + n) {
                float guard = inPlace ? x[i] : GUARD;
                if (Float.floatToRawIntBits(out[i]) != Float.floatToRawIntBits(guard)) {
                    fail(act + ": guard element " + i + " was written (" + out[i] + "), n = " + n);
                }
            } else {
                float in = x[inOffset + i - at];
                float want = act.reference(in);
                if (Float.floatToRawIntBits(out[i]) != Float.floatToRawIntBits(want)) {
                    fail(act + " of " + in + " (0x" + Integer.toHexString(Float.floatToRawIntBits(in)) + ") = "
                            + out[i] + ", expected " + want + " (element " + (i - at) + " of " + n
                            + (inPlace ? ", in place)" : ")"));
                }
            }
        }
        return out;
    }

    /** The plane overload: runs of {@code planeSize} floats a plane stride apart, gaps untouched. */
    @Property(tries = 400)
    void planesMatchReference(@ForAll("activations") Act act, @ForAll @IntRange(max = 4) int planes,
                              @ForAll @IntRange(max = 40) int planeSize, @ForAll @IntRange(max = 9) int inGap,
                              @ForAll @IntRange(max = 9) int outGap, @ForAll @IntRange(max = 3) int inOffset,
                              @ForAll @IntRange(max = 3) int outOffset, @ForAll boolean inPlace,
                              @ForAll FloatFill fill, @ForAll long seed) {
        checkPlanes(act, planes, planeSize, inGap, outGap, inOffset, outOffset, inPlace, fill, seed);
        Statistics.label("planes").collect(planes == 0 || planeSize == 0 ? "empty" : inGap > 0 ? "gaps" : "dense");
        Statistics.label("planes").coverage(c -> {
            c.check("empty").count(x -> x > 0);
            c.check("gaps").count(x -> x > 0);
            c.check("dense").count(x -> x > 0);
        });
    }

    /**
     * Runs the plane overload of {@code act} (in place: same array, offset and stride), checks every
     * element as {@link #check} does, and returns the output array.
     */
    static float[] checkPlanes(Act act, int planes, int planeSize, int inGap, int outGap, int inOffset, int outOffset,
                               boolean inPlace, FloatFill fill, long seed) {
        SplittableRandom random = new SplittableRandom(seed);
        int inStride = planeSize + inGap;
        int outStride = inPlace ? inStride : planeSize + outGap;
        if (inPlace) {
            outOffset = inOffset;
        }
        float[] input = new float[inOffset + planes * inStride + 3];
        Arrays.fill(input, PoolCase.INPUT_GUARD);
        for (int p = 0; p < planes; p++) {
            fill.fill(input, inOffset + p * inStride, planeSize, random);
        }
        float[] x = input.clone();
        float[] out = inPlace ? input : PoolChecker.sentinels(outOffset + planes * outStride + 3);
        act.activation().apply(planes, planeSize, input, inOffset, inStride, out, outOffset, outStride);
        if (!inPlace) {
            assertArrayEquals(TestArrays.bits(x), TestArrays.bits(input), "the input was modified: " + act);
        }
        for (int i = 0; i < out.length; i++) {
            int e = i - outOffset;
            int p = e < 0 || outStride == 0 ? -1 : e / outStride;
            int q = e < 0 || outStride == 0 ? -1 : e % outStride;
            if (p < 0 || p >= planes || q >= planeSize) {
                float guard = inPlace ? x[i] : GUARD;
                if (Float.floatToRawIntBits(out[i]) != Float.floatToRawIntBits(guard)) {
                    fail(act + ": element " + i + " outside the planes was written (" + out[i] + ")");
                }
            } else {
                float in = x[inOffset + p * inStride + q];
                float want = act.reference(in);
                if (Float.floatToRawIntBits(out[i]) != Float.floatToRawIntBits(want)) {
                    fail(act + " of " + in + " (0x" + Integer.toHexString(Float.floatToRawIntBits(in)) + ") = "
                            + out[i] + ", expected " + want + " (plane " + p + ", element " + q + ")");
                }
            }
        }
        return out;
    }

    private static final int[] LONG_LENGTHS = {
        3 * (1 << 14) + 5,                      // several 16K blocks and a tail, single-threaded
        PoolTest.PARALLEL_MIN_FLOATS + 37,      // just past the multi-thread threshold
        2 * PoolTest.PARALLEL_MIN_FLOATS + (1 << 14) - 1};

    private static final Act[] LONG_ACTS = {
        new Act(Act.Kind.RELU, 0, 0), new Act(Act.Kind.RELU6, 0, 0),
        new Act(Act.Kind.CLAMP, -0.0f, 0.5f), new Act(Act.Kind.LEAKY_RELU, -0.5f, 0)};

    /** Lengths across the 16K blocks and the multi-thread threshold, in and out of place. */
    @Example
    void longArraysMatchReference() {
        for (int n : LONG_LENGTHS) {
            for (Act act : LONG_ACTS) {
                check(act, n, FloatFill.SPECIALS, 3, 1, false, n);
                check(act, n, FloatFill.SUBNORMALS, 2, 0, true, n + 1);
            }
        }
    }

    /** Long arrays on 1, 2 and 4 threads: the same bits. */
    @Example
    void resultsAreBitIdenticalForAnyThreadCount() {
        int before = Lanewise.threads();
        try {
            for (Act act : new Act[] {new Act(Act.Kind.RELU, 0, 0), new Act(Act.Kind.LEAKY_RELU, 0.01f, 0)}) {
                int n = LONG_LENGTHS[2];
                Lanewise.setThreads(1);
                int[] single = TestArrays.bits(check(act, n, FloatFill.SPECIALS, 1, 2, false, 5));
                int[] singleInPlace = TestArrays.bits(check(act, n, FloatFill.SPECIALS, 1, 2, true, 5));
                int[] singlePlanes = TestArrays.bits(checkPlanes(act, 3, 50_000, 17, 5, 1, 2, false, FloatFill.SPECIALS, 6));
                for (int threads : new int[] {2, 4}) {
                    Lanewise.setThreads(threads);
                    assertArrayEquals(single, TestArrays.bits(check(act, n, FloatFill.SPECIALS, 1, 2, false, 5)),
                            threads + " threads differ from 1 for " + act);
                    assertArrayEquals(singleInPlace, TestArrays.bits(check(act, n, FloatFill.SPECIALS, 1, 2, true, 5)),
                            threads + " threads differ from 1 for " + act + " in place");
                    assertArrayEquals(singlePlanes, TestArrays.bits(checkPlanes(act, 3, 50_000, 17, 5, 1, 2, false,
                            FloatFill.SPECIALS, 6)), threads + " threads differ from 1 for " + act + " plane by plane");
                }
            }
        } finally {
            Lanewise.setThreads(before);
        }
    }

    /** ReLU, clamps and LeakyReLU allocate nothing in steady state: short, plane by plane, and multi-threaded. */
    @Example
    void steadyStateCallsAllocateNothing() {
        SplittableRandom random = new SplittableRandom(11);
        float[] small = TestArrays.filled(1000, random);
        float[] smallOut = new float[1000];
        float[] large = TestArrays.filled(LONG_LENGTHS[2], random);
        float[] largeOut = new float[large.length];
        Activation relu = Activation.relu();
        Activation clamp = Activation.clamp(-1f, 0.5f);
        Activation leaky = Activation.leakyRelu(0.1f);
        int before = Lanewise.threads();
        try {
            Lanewise.setThreads(2);
            TestArrays.assertSteadyStateAllocatesNothing(new Runnable[] {
                () -> relu.apply(small, 3, smallOut, 1, 997),
                () -> relu.applyInPlace(smallOut, 0, 999),
                () -> clamp.apply(small, 0, smallOut, 0, 1000),
                () -> leaky.apply(4, 200, small, 1, 240, smallOut, 2, 210)}, 3_000, 2_000);
            TestArrays.assertSteadyStateAllocatesNothing(new Runnable[] {
                () -> relu.apply(large, 0, largeOut, 0, large.length),
                () -> relu.applyInPlace(largeOut, 0, large.length),
                () -> leaky.apply(large, 0, largeOut, 0, large.length)}, 100, 12);
        } finally {
            Lanewise.setThreads(before);
        }
    }
}
