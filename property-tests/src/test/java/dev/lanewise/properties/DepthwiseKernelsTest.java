package dev.lanewise.properties;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.fail;

import dev.lanewise.kernels.Epilogue;
import dev.lanewise.kernels.internal.BoundEpilogue;
import dev.lanewise.kernels.internal.DepthwiseKernels;
import dev.lanewise.kernels.internal.KernelProvider;
import dev.lanewise.kernels.internal.Providers;
import dev.lanewise.kernels.internal.RowBand;
import dev.lanewise.kernels.internal.WindowShape;
import java.util.Arrays;
import java.util.SplittableRandom;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.Tuple;
import net.jqwik.api.statistics.Statistics;

/**
 * Every available provider's {@link DepthwiseKernels} against the rule of its class written out here
 * in plain loops, bit for bit (NaN compared as NaN), over windows of every stride, dilation and
 * padding (windows of padding alone included), rows narrower and wider than several vectors,
 * several planes and filters per call, with and without bias, residual and activation (clamp, LeakyReLU), and inputs
 * full of IEEE special values; the output's guard zones untouched, the input and the residual
 * unmodified. The band is filled with NaN first, so
 * a read of a cell the kernel did not stage shows.
 */
class DepthwiseKernelsTest {

    private static final int GUARD = 13;

    record Case(ConvWindow window, int planes, int filters, boolean bias, boolean residual, Epilogue.Activation activation,
                FloatFill fill, int inOff, int outOff, long seed) {

        @Override
        public String toString() {
            return "Case[" + window + ", planes " + planes + ", filters " + filters + ", bias " + bias + ", residual " + residual + ", "
                    + activation + ", " + fill + ", offsets " + inOff + "/" + outOff + ", seed " + seed + "]";
        }
    }

    @Provide
    Arbitrary<Case> cases() {
        Arbitrary<boolean[]> flags = Combinators.combine(Arbitraries.of(true, false), Arbitraries.of(true, false))
                .as((bias, residual) -> new boolean[] {bias, residual});
        // One case in nine is tall and wide enough that a band holds only part of the plane.
        Arbitrary<ConvWindow> windows = Arbitraries.frequencyOf(Tuple.of(6, ConvWindow.windows()), Tuple.of(2, unit3x3()),
                Tuple.of(1, ConvWindow.windows().map(w -> w.atLeast(150, 160))));
        return Combinators.combine(windows, Arbitraries.integers().between(1, 3), Arbitraries.integers().between(1, 3),
                        flags, Arbitraries.of(Epilogue.Activation.class), Arbitraries.of(FloatFill.class),
                        Arbitraries.integers().between(0, 3), Arbitraries.longs())
                .as((window, planes, filters, f, activation, fill, off, seed) -> new Case(window, planes, filters, f[0],
                        f[1], activation, fill, off, (int) (seed & 3), seed));
    }

    /** MobileNet's windows, 3 x 3 with unit dilations and strides 1 or 2, which the vector kernel computes in forms of their own. */
    private static Arbitrary<ConvWindow> unit3x3() {
        Arbitrary<int[]> pads = Arbitraries.integers().between(0, 2).array(int[].class).ofSize(4);
        return Combinators.combine(Arbitraries.integers().between(1, 30), Arbitraries.integers().between(1, 70), pads,
                        Arbitraries.integers().between(1, 2))
                .as((h, w, p, stride) -> new ConvWindow(Math.max(h, 3 - p[0] - p[2]), Math.max(w, 3 - p[1] - p[3]), 3, 3,
                        stride, stride, 1, 1, p));
    }

    @Property(tries = 500)
    void everyProviderFollowsTheRuleBitForBit(@ForAll("cases") Case c) {
        WindowShape s = c.window().shape();
        ConvWindow.collectCoverage(s);
        // The vector kernel computes four rows at a time, the 3 x 3 window with unit strides and
        // dilations in a form of its own; planes of fewer rows than a group and planes
        // taller than a band too.
        boolean form3x3 = s.kernelHeight() == 3 && s.kernelWidth() == 3 && s.dilationHeight() == 1 && s.dilationWidth() == 1
                && s.strideHeight() == s.strideWidth() && s.strideWidth() <= 2;
        Statistics.label("form").collect(!form3x3 ? "any window" : s.strideWidth() == 1 ? "3 x 3" : "3 x 3, stride 2");
        Statistics.label("rows").collect(s.outputHeight() < DepthwiseKernels.ROW_GROUP ? "fewer than a group"
                : s.outputHeight() % DepthwiseKernels.ROW_GROUP == 0 ? "whole groups" : "a partial group");
        Statistics.label("bands").collect(
                DepthwiseKernels.bandOutputRows(s, Providers.current().floatLanes()) < s.outputHeight() ? "several" : "one");
        Statistics.label("bands").coverage(k -> k.check("several").count(x -> x > 0));
        Statistics.label("form").coverage(k -> {
            k.check("3 x 3").count(x -> x > 0);
            k.check("3 x 3, stride 2").count(x -> x > 0);
            k.check("any window").count(x -> x > 0);
        });
        Statistics.label("rows").coverage(k -> {
            k.check("fewer than a group").count(x -> x > 0);
            k.check("whole groups").count(x -> x > 0);
            k.check("a partial group").count(x -> x > 0);
        });
        SplittableRandom random = new SplittableRandom(c.seed());
        int plane = s.height() * s.width();
        int outputs = c.planes() * c.filters();
        float[] in = new float[c.inOff() + c.planes() * plane + GUARD];
        c.fill().fill(in, 0, in.length, random);
        float[] w = new float[outputs * s.kernelHeight() * s.kernelWidth() + 2];
        FloatFill.UNIFORM.fill(w, 0, w.length, random);
        float[] bias = c.bias() ? new float[outputs + 1] : null;
        if (bias != null) {
            FloatFill.UNIFORM.fill(bias, 0, bias.length, random);
        }
        int outPlane = s.outputHeight() * s.outputWidth();
        float[] residual = null;
        if (c.residual()) {
            residual = new float[c.inOff() + outputs * outPlane + GUARD];
            Arrays.fill(residual, GemmChecker.GUARD);
            c.fill().fill(residual, c.inOff(), outputs * outPlane, random);
        }
        Epilogue epilogue = bias == null ? Epilogue.NONE : Epilogue.rowBias(bias, 1);
        epilogue = switch (c.activation()) {
            case IDENTITY -> epilogue;
            case CLAMP -> epilogue.withClamp(-0.25f, 0.5f);
            case LEAKY_RELU -> epilogue.withLeakyRelu(0.1f);
        };
        BoundEpilogue bound = new BoundEpilogue().bind(epilogue, residual, c.inOff(), outPlane);
        float[] expected = rule(s, c.planes(), in, c.inOff(), c.filters(), w, 1, epilogue, residual, c.inOff());
        float[] in0 = in.clone();
        float[] residual0 = residual == null ? null : residual.clone();
        for (KernelProvider provider : Providers.available()) {
            if (!DepthwiseKernels.fits(s, provider.floatLanes())) {
                continue;
            }
            float[] out = new float[c.outOff() + outputs * outPlane + GUARD];
            Arrays.fill(out, GemmChecker.GUARD);
            float[] band = new float[RowBand.FLOATS];
            Arrays.fill(band, Float.NaN);
            for (int run = 0; run < 3; run++) {   // later runs see compiled code
                provider.depthwise().convolve(s, c.planes(), in, c.inOff(), c.filters(), w, 1, bound, out, c.outOff(),
                        band);
            }
            for (int i = 0; i < out.length; i++) {
                int e = i - c.outOff();
                if (e < 0 || e >= expected.length) {
                    if (Float.floatToRawIntBits(out[i]) != Float.floatToRawIntBits(GemmChecker.GUARD)) {
                        fail(provider + ": guard element " + i + " was written: " + c);
                    }
                } else if (Float.floatToIntBits(out[i]) != Float.floatToIntBits(expected[e])) {
                    fail(provider + ": output " + e + " (output plane " + e / outPlane + ", row " + e % outPlane / s.outputWidth()
                            + ", column " + e % s.outputWidth() + ") = " + out[i] + ", the rule gives " + expected[e] + ": " + c);
                }
            }
            assertEquals(Arrays.toString(in0), Arrays.toString(in), provider + " modified the input: " + c);
            assertEquals(Arrays.toString(residual0), Arrays.toString(residual), provider + " wrote the residual's array: " + c);
        }
    }

    /**
     * The rule of {@link DepthwiseKernels}, written from the window's definition: each output's FMA
     * chain over its whole window, kernel row by kernel row, padding read as {@code +0.0f}; then the
     * bias of output plane {@code i}, the residual (laid out as the output from {@code rOff}) and the
     * activation.
     */
    private static float[] rule(WindowShape s, int planes, float[] in, int inOff, int filters, float[] w, int wOff,
                                Epilogue epilogue, float[] residual, int rOff) {
        int plane = s.outputHeight() * s.outputWidth();
        float[] out = new float[planes * filters * plane];
        for (int o = 0; o < out.length; o++) {
            int i = o / plane;
            int oy = o % plane / s.outputWidth();
            int ox = o % s.outputWidth();
            float acc = 0f;
            for (int r = 0; r < s.kernelHeight(); r++) {
                for (int c = 0; c < s.kernelWidth(); c++) {
                    int y = oy * s.strideHeight() - s.padTop() + r * s.dilationHeight();
                    int x = ox * s.strideWidth() - s.padLeft() + c * s.dilationWidth();
                    boolean inside = y >= 0 && y < s.height() && x >= 0 && x < s.width();
                    float v = inside ? in[inOff + i / filters * s.height() * s.width() + y * s.width() + x] : 0f;
                    acc = Math.fma(v, w[wOff + (i * s.kernelHeight() + r) * s.kernelWidth() + c], acc);
                }
            }
            float t = epilogue.bias() == null ? acc : acc + epilogue.bias()[epilogue.biasOffset() + i];
            t = residual == null ? t : t + residual[rOff + o];
            out[o] = switch (epilogue.activation()) {
                case IDENTITY -> t;
                case CLAMP -> Math.min(Math.max(t, epilogue.lo()), epilogue.hi());
                case LEAKY_RELU -> t < 0 ? epilogue.negativeSlope() * t : t;
            };
        }
        return out;
    }
}
