package dev.lanewise.properties;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.fail;

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
import net.jqwik.api.statistics.Statistics;

/**
 * Every available provider's {@link DepthwiseKernels} against the rule of its class written out in
 * plain loops ({@link DirectConvKernelsTest}'s with one channel), bit for bit (NaN compared as NaN), over windows of every stride, dilation and
 * padding (windows of padding alone included), rows narrower and wider than several vectors,
 * several filters, with and without bias and clamp, and inputs full of IEEE special values; the
 * output's guard zones untouched and the input unmodified. The band is filled with NaN first, so
 * a read of a cell the kernel did not stage shows.
 */
class DepthwiseKernelsTest {

    private static final int GUARD = 13;

    record Case(ConvWindow window, int filters, boolean bias, boolean clamp, FloatFill fill, int inOff, int outOff,
                long seed) {

        @Override
        public String toString() {
            return "Case[" + window + ", filters " + filters + ", bias " + bias + ", clamp " + clamp + ", " + fill
                    + ", offsets " + inOff + "/" + outOff + ", seed " + seed + "]";
        }
    }

    @Provide
    Arbitrary<Case> cases() {
        return Combinators.combine(ConvWindow.windows(), Arbitraries.integers().between(1, 3), Arbitraries.of(true, false),
                        Arbitraries.of(true, false), Arbitraries.of(FloatFill.class), Arbitraries.integers().between(0, 3),
                        Arbitraries.longs())
                .as((window, filters, bias, clamp, fill, off, seed) -> new Case(window, filters, bias, clamp, fill, off,
                        (int) (seed & 3), seed));
    }

    @Property(tries = 500)
    void everyProviderFollowsTheRuleBitForBit(@ForAll("cases") Case c) {
        WindowShape s = c.window().shape();
        Statistics.label("stride").collect(s.strideWidth() == 1 ? "1" : s.strideWidth() == 2 ? "2" : "> 2");
        Statistics.label("padding-only windows").collect(DirectConvKernelsTest.hasEmptyWindow(s) ? "some" : "none");
        Statistics.label("stride").coverage(k -> {
            k.check("1").count(x -> x > 0);
            k.check("2").count(x -> x > 0);
            k.check("> 2").count(x -> x > 0);
        });
        Statistics.label("padding-only windows").coverage(k -> k.check("some").count(x -> x > 0));
        SplittableRandom random = new SplittableRandom(c.seed());
        int plane = s.height() * s.width();
        float[] in = new float[c.inOff() + plane + GUARD];
        c.fill().fill(in, 0, in.length, random);
        float[] w = new float[c.filters() * s.kernelHeight() * s.kernelWidth() + 2];
        FloatFill.UNIFORM.fill(w, 0, w.length, random);
        float[] bias = c.bias() ? new float[c.filters() + 1] : null;
        if (bias != null) {
            FloatFill.UNIFORM.fill(bias, 0, bias.length, random);
        }
        float lo = c.clamp() ? -0.25f : Float.NEGATIVE_INFINITY;
        float hi = c.clamp() ? 0.5f : Float.POSITIVE_INFINITY;
        int outPlane = s.outputHeight() * s.outputWidth();
        // The depthwise rule is the direct one with one channel, whose weights are laid out alike.
        float[] expected = DirectConvKernelsTest.rule(s, 1, in, c.inOff(), c.filters(), w, 1, bias, 1, lo, hi);
        float[] in0 = in.clone();
        for (KernelProvider provider : Providers.available()) {
            if (!RowBand.fits(s, 1, provider.floatLanes())) {
                continue;
            }
            float[] out = new float[c.outOff() + c.filters() * outPlane + GUARD];
            Arrays.fill(out, GemmChecker.GUARD);
            float[] band = new float[RowBand.FLOATS];
            Arrays.fill(band, Float.NaN);
            for (int run = 0; run < 3; run++) {   // later runs see compiled code
                provider.depthwise().convolve(s, in, c.inOff(), c.filters(), w, 1, bias, 1, lo, hi, out, c.outOff(), band);
            }
            for (int i = 0; i < out.length; i++) {
                int e = i - c.outOff();
                if (e < 0 || e >= expected.length) {
                    if (Float.floatToRawIntBits(out[i]) != Float.floatToRawIntBits(GemmChecker.GUARD)) {
                        fail(provider + ": guard element " + i + " was written: " + c);
                    }
                } else if (Float.floatToIntBits(out[i]) != Float.floatToIntBits(expected[e])) {
                    fail(provider + ": output " + e + " (filter " + e / outPlane + ", row " + e % outPlane / s.outputWidth()
                            + ", column " + e % s.outputWidth() + ") = " + out[i] + ", the rule gives " + expected[e] + ": " + c);
                }
            }
            assertEquals(Arrays.toString(in0), Arrays.toString(in), provider + " modified the input: " + c);
        }
    }
}
