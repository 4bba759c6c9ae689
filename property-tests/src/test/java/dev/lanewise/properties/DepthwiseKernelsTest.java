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
import net.jqwik.api.statistics.Statistics;

/**
 * Every available provider's {@link DepthwiseKernels} against the rule of its class written out here
 * in plain loops, bit for bit (NaN compared as NaN), over windows of every stride, dilation and
 * padding (windows of padding alone included), rows narrower and wider than several vectors,
 * several filters, with and without bias, residual and activation (clamp, LeakyReLU), and inputs
 * full of IEEE special values; the output's guard zones untouched, the input and the residual
 * unmodified. The band is filled with NaN first, so
 * a read of a cell the kernel did not stage shows.
 */
class DepthwiseKernelsTest {

    private static final int GUARD = 13;

    record Case(ConvWindow window, int filters, boolean bias, boolean residual, Epilogue.Activation activation,
                FloatFill fill, int inOff, int outOff, long seed) {

        @Override
        public String toString() {
            return "Case[" + window + ", filters " + filters + ", bias " + bias + ", residual " + residual + ", "
                    + activation + ", " + fill + ", offsets " + inOff + "/" + outOff + ", seed " + seed + "]";
        }
    }

    @Provide
    Arbitrary<Case> cases() {
        Arbitrary<boolean[]> flags = Combinators.combine(Arbitraries.of(true, false), Arbitraries.of(true, false))
                .as((bias, residual) -> new boolean[] {bias, residual});
        return Combinators.combine(ConvWindow.windows(), Arbitraries.integers().between(1, 3), flags,
                        Arbitraries.of(Epilogue.Activation.class), Arbitraries.of(FloatFill.class),
                        Arbitraries.integers().between(0, 3), Arbitraries.longs())
                .as((window, filters, f, activation, fill, off, seed) -> new Case(window, filters, f[0], f[1],
                        activation, fill, off, (int) (seed & 3), seed));
    }

    @Property(tries = 500)
    void everyProviderFollowsTheRuleBitForBit(@ForAll("cases") Case c) {
        WindowShape s = c.window().shape();
        ConvWindow.collectCoverage(s);
        // The vector kernel runs four rows at once where four consecutive rows' windows lie inside the input.
        Statistics.label("rows").collect(interiorRows(s) >= 4 ? "four interior rows" : "edge rows only");
        Statistics.label("rows").coverage(k -> {
            k.check("four interior rows").count(x -> x > 0);
            k.check("edge rows only").count(x -> x > 0);
        });
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
        int outPlane = s.outputHeight() * s.outputWidth();
        float[] residual = null;
        if (c.residual()) {
            residual = new float[c.inOff() + c.filters() * outPlane + GUARD];
            Arrays.fill(residual, GemmChecker.GUARD);
            c.fill().fill(residual, c.inOff(), c.filters() * outPlane, random);
        }
        Epilogue epilogue = bias == null ? Epilogue.NONE : Epilogue.rowBias(bias, 1);
        epilogue = switch (c.activation()) {
            case IDENTITY -> epilogue;
            case CLAMP -> epilogue.withClamp(-0.25f, 0.5f);
            case LEAKY_RELU -> epilogue.withLeakyRelu(0.1f);
        };
        BoundEpilogue bound = new BoundEpilogue().bind(epilogue, residual, c.inOff(), outPlane);
        float[] expected = rule(s, in, c.inOff(), c.filters(), w, 1, epilogue, residual, c.inOff());
        float[] in0 = in.clone();
        float[] residual0 = residual == null ? null : residual.clone();
        for (KernelProvider provider : Providers.available()) {
            if (!RowBand.fits(s, 1, provider.floatLanes())) {
                continue;
            }
            float[] out = new float[c.outOff() + c.filters() * outPlane + GUARD];
            Arrays.fill(out, GemmChecker.GUARD);
            float[] band = new float[RowBand.FLOATS];
            Arrays.fill(band, Float.NaN);
            for (int run = 0; run < 3; run++) {   // later runs see compiled code
                provider.depthwise().convolve(s, in, c.inOff(), c.filters(), w, 1, bound, out, c.outOff(), band);
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
            assertEquals(Arrays.toString(residual0), Arrays.toString(residual), provider + " wrote the residual's array: " + c);
        }
    }

    private static int interiorRows(WindowShape s) {
        int rows = 0;
        for (int oy = 0; oy < s.outputHeight(); oy++) {
            if (s.firstRow(oy) == 0 && s.endRow(oy) == s.kernelHeight()) {
                rows++;
            }
        }
        return rows;
    }


    /**
     * The rule of {@link DepthwiseKernels}: the direct convolution's sums with one channel
     * ({@link DirectConvKernelsTest#rule}, written from the window's definition, with an identity
     * store), then the bias, the residual (laid out as the output from {@code rOff}) and the
     * activation, written out.
     */
    private static float[] rule(WindowShape s, float[] in, int inOff, int filters, float[] w, int wOff,
                                Epilogue epilogue, float[] residual, int rOff) {
        float[] out = DirectConvKernelsTest.rule(s, 1, in, inOff, filters, w, wOff, null, 0, Float.NEGATIVE_INFINITY,
                Float.POSITIVE_INFINITY);
        int plane = s.outputHeight() * s.outputWidth();
        for (int o = 0; o < out.length; o++) {
            float t = epilogue.bias() == null ? out[o] : out[o] + epilogue.bias()[epilogue.biasOffset() + o / plane];
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
