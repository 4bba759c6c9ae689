package dev.lanewise.properties;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.fail;

import dev.lanewise.kernels.internal.DirectConvKernels;
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
 * Every register block of every available provider's {@link DirectConvKernels} against the rule of
 * its class written out here in plain loops, bit for bit (NaN compared as NaN): 1 to 8 channels, 1
 * to {@code 2F + 1} filters (F the largest block's filters), windows of every stride, dilation and
 * asymmetric padding (windows of padding alone included), rows narrower and wider than several
 * blocks, images tall enough that a band holds only part of them, with and without bias and clamp,
 * and inputs full of IEEE special values; the output's guard zones untouched and the input
 * unmodified. Band and tile are filled with NaN first, so a read of a cell the kernel did not write
 * shows.
 */
class DirectConvKernelsTest {

    private static final int GUARD = 13;
    /** Filters of the largest register block of any provider. */
    private static final int MAX_BLOCK = Providers.available().stream()
            .flatMap(p -> p.directConvVariants().stream()).mapToInt(DirectConvKernels::filtersPerBlock).max().orElseThrow();

    record Case(int channels, ConvWindow window, int filters, boolean bias, boolean clamp, FloatFill fill, int offset,
                long seed) {

        @Override
        public String toString() {
            return "Case[" + channels + " channels, " + window + ", filters " + filters + ", bias " + bias + ", clamp "
                    + clamp + ", " + fill + ", offset " + offset + ", seed " + seed + "]";
        }
    }

    /**
     * {@link ConvWindow#windows()} over 1 to 8 channels; one case in four is tall (40 to 90 rows of 8
     * channels, at least 100 wide: a band holds only part of the image).
     */
    @Provide
    Arbitrary<Case> cases() {
        Arbitrary<int[]> sizes = Combinators.combine(Arbitraries.integers().between(1, 8),
                        Arbitraries.integers().between(1, 2 * MAX_BLOCK + 1), Arbitraries.integers().between(0, 3))
                .as((channels, filters, tall) -> new int[] {channels, filters, tall});
        return Combinators.combine(ConvWindow.windows(), sizes, Arbitraries.of(true, false), Arbitraries.of(true, false),
                        Arbitraries.of(FloatFill.class), Arbitraries.longs())
                .as((window, n, bias, clamp, fill, seed) -> n[2] == 0
                        ? new Case(8, window.atLeast(40 + window.height() * 5 / 4, 100), 1 + n[1] % 3, bias, clamp, fill,
                                (int) (seed & 3), seed)
                        : new Case(n[0], window, n[1], bias, clamp, fill, (int) (seed & 3), seed));
    }

    @Property(tries = 400)
    void everyBlockFollowsTheRuleBitForBit(@ForAll("cases") Case c) {
        WindowShape s = c.window().shape();
        ConvWindow.collectCoverage(s);
        DirectConvKernels current = Providers.current().directConvChoices().get(0);
        if (current.filtersPerBlock() > 1) {   // the tails of the current provider's preferred register block
            collectTails(c, s, current);
        }
        SplittableRandom random = new SplittableRandom(c.seed());
        int plane = s.height() * s.width();
        float[] in = new float[c.offset() + c.channels() * plane + GUARD];
        c.fill().fill(in, 0, in.length, random);
        int filterFloats = c.channels() * s.kernelHeight() * s.kernelWidth();
        float[] w = new float[c.offset() + c.filters() * filterFloats + GUARD];
        FloatFill.UNIFORM.fill(w, 0, w.length, random);
        float[] bias = c.bias() ? new float[c.offset() + c.filters() + GUARD] : null;
        if (bias != null) {
            FloatFill.UNIFORM.fill(bias, 0, bias.length, random);
        }
        float lo = c.clamp() ? -0.25f : Float.NEGATIVE_INFINITY;
        float hi = c.clamp() ? 0.5f : Float.POSITIVE_INFINITY;
        int outPlane = s.outputHeight() * s.outputWidth();
        float[] expected = rule(s, c.channels(), in, c.offset(), c.filters(), w, c.offset(), bias, c.offset(), lo, hi);
        float[] in0 = in.clone();
        for (KernelProvider provider : Providers.available()) {
            for (DirectConvKernels kernels : provider.directConvVariants()) {
                if (!kernels.fits(s, c.channels())) {
                    continue;
                }
                float[] out = new float[c.offset() + c.filters() * outPlane + GUARD];
                Arrays.fill(out, GemmChecker.GUARD);
                float[] band = new float[RowBand.FLOATS];
                Arrays.fill(band, Float.NaN);
                float[] tile = new float[DirectConvKernels.TILE_FLOATS];
                Arrays.fill(tile, Float.NaN);
                float[] packed = kernels.pack(Arrays.copyOfRange(w, c.offset(), c.offset() + c.filters() * filterFloats),
                        1, c.filters(), filterFloats);
                float[] wp = new float[c.offset() + packed.length + GUARD];
                Arrays.fill(wp, Float.NaN);
                System.arraycopy(packed, 0, wp, c.offset(), packed.length);
                int[] taps = kernels.taps(s, c.channels());
                for (int run = 0; run < 3; run++) {   // later runs see compiled code
                    kernels.convolve(s, c.channels(), taps, in, c.offset(), c.filters(), wp, c.offset(), bias,
                            c.offset(), lo, hi, out, c.offset(), band, tile);
                }
                String which = provider + " " + kernels;
                for (int i = 0; i < out.length; i++) {
                    int e = i - c.offset();
                    if (e < 0 || e >= expected.length) {
                        if (Float.floatToRawIntBits(out[i]) != Float.floatToRawIntBits(GemmChecker.GUARD)) {
                            fail(which + ": guard element " + i + " was written: " + c);
                        }
                    } else if (Float.floatToIntBits(out[i]) != Float.floatToIntBits(expected[e])) {
                        fail(which + ": output " + e + " (filter " + e / outPlane + ", row "
                                + e % outPlane / s.outputWidth() + ", column " + e % s.outputWidth() + ") = " + out[i]
                                + ", the rule gives " + expected[e] + ": " + c);
                    }
                }
                assertEquals(Arrays.toString(in0), Arrays.toString(in), which + " modified the input: " + c);
            }
        }
    }

    private static void collectTails(Case c, WindowShape s, DirectConvKernels k) {
        int granule = k.granule();
        Statistics.label("filter blocks").collect(c.filters() % k.filtersPerBlock() != 0 ? "tail" : "full only");
        Statistics.label("row").collect(s.outputWidth() % granule == 0 ? "whole vectors"
                : s.outputWidth() > granule ? "vectors and a tail" : "a tail only");
        Statistics.label("bands").collect(!k.fits(s, c.channels()) ? "too large"
                : RowBand.outputRows(s, c.channels(), granule) < s.outputHeight() ? "several" : "one");
        Statistics.label("filter blocks").coverage(x -> {
            x.check("tail").count(n -> n > 0);
            x.check("full only").count(n -> n > 0);
        });
        Statistics.label("row").coverage(x -> {
            x.check("vectors and a tail").count(n -> n > 0);
            x.check("a tail only").count(n -> n > 0);
        });
        Statistics.label("bands").coverage(x -> x.check("several").count(n -> n > 0));
    }


    /**
     * The rule of {@link DirectConvKernels}, from the window's definition (not from
     * {@link WindowShape}'s tap ranges): channels outermost, kernel rows inside the input only, every
     * kernel column, zero outside the row.
     */
    static float[] rule(WindowShape s, int channels, float[] in, int inOff, int filters, float[] w, int wOff,
                                float[] bias, int biasOff, float lo, float hi) {
        int oh = s.outputHeight();
        int ow = s.outputWidth();
        int kh = s.kernelHeight();
        int kw = s.kernelWidth();
        float[] out = new float[filters * oh * ow];
        for (int f = 0; f < filters; f++) {
            for (int oy = 0; oy < oh; oy++) {
                for (int ox = 0; ox < ow; ox++) {
                    float acc = 0f;
                    for (int c = 0; c < channels; c++) {
                        for (int r = 0; r < kh; r++) {
                            int y = oy * s.strideHeight() - s.padTop() + r * s.dilationHeight();
                            if (y < 0 || y >= s.height()) {
                                continue;
                            }
                            for (int t = 0; t < kw; t++) {
                                int x = ox * s.strideWidth() - s.padLeft() + t * s.dilationWidth();
                                float v = x >= 0 && x < s.width() ? in[inOff + (c * s.height() + y) * s.width() + x] : 0f;
                                acc = Math.fma(v, w[wOff + ((f * channels + c) * kh + r) * kw + t], acc);
                            }
                        }
                    }
                    float t = bias == null ? acc : acc + bias[biasOff + f];
                    out[(f * oh + oy) * ow + ox] = Math.min(Math.max(t, lo), hi);
                }
            }
        }
        return out;
    }
}
