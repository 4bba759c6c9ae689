package dev.lanewise.properties;

import dev.lanewise.kernels.internal.WindowShape;
import java.util.Arrays;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.statistics.Statistics;

/**
 * A convolution window over one {@code height x width} plane, as the direct kernels' tests draw it:
 * kernel, strides, dilations and pads {@code [top, left, bottom, right]}.
 */
record ConvWindow(int height, int width, int kernelHeight, int kernelWidth, int strideHeight, int strideWidth,
                  int dilationHeight, int dilationWidth, int[] pads) {

    WindowShape shape() {
        return WindowShape.convolution(height, width, kernelHeight, kernelWidth, strideHeight, strideWidth,
                pads[0], pads[1], pads[2], pads[3], dilationHeight, dilationWidth);
    }

    /** This window over a plane of at least {@code minHeight x minWidth}. */
    ConvWindow atLeast(int minHeight, int minWidth) {
        return new ConvWindow(Math.max(height, minHeight), Math.max(width, minWidth), kernelHeight, kernelWidth,
                strideHeight, strideWidth, dilationHeight, dilationWidth, pads);
    }

    /**
     * Planes of 1..40 x 1..150, kernels 1..7, strides 1..4, dilations 1..3, pads 0..6 on each side
     * (windows of padding alone among them); the plane is grown where the padded input would not
     * hold the dilated kernel.
     */
    static Arbitrary<ConvWindow> windows() {
        Arbitrary<int[]> window = Combinators.combine(
                Arbitraries.integers().between(1, 40), Arbitraries.integers().between(1, 150),   // height, width
                Arbitraries.integers().between(1, 7), Arbitraries.integers().between(1, 7),     // kernel
                Arbitraries.integers().between(1, 4), Arbitraries.integers().between(1, 4),     // strides
                Arbitraries.integers().between(1, 3), Arbitraries.integers().between(1, 3))     // dilations
                .as((h, w, kh, kw, sh, sw, dh, dw) -> new int[] {h, w, kh, kw, sh, sw, dh, dw});
        Arbitrary<int[]> pads = Arbitraries.integers().between(0, 6).array(int[].class).ofSize(4);
        return Combinators.combine(window, pads).as((v, p) -> new ConvWindow(
                Math.max(v[0], (v[2] - 1) * v[6] + 1 - p[0] - p[2]), Math.max(v[1], (v[3] - 1) * v[7] + 1 - p[1] - p[3]),
                v[2], v[3], v[4], v[5], v[6], v[7], p));
    }

    /**
     * Counts the window's stride (1, 2, more) and whether some output's window holds padding alone,
     * and checks that every kind occurs: the coverage both direct kernels' tests demand.
     */
    static void collectCoverage(WindowShape s) {
        Statistics.label("stride").collect(s.strideWidth() == 1 ? "1" : s.strideWidth() == 2 ? "2" : "> 2");
        Statistics.label("padding-only windows").collect(hasEmptyWindow(s) ? "some" : "none");
        Statistics.label("stride").coverage(k -> {
            k.check("1").count(x -> x > 0);
            k.check("2").count(x -> x > 0);
            k.check("> 2").count(x -> x > 0);
        });
        Statistics.label("padding-only windows").coverage(k -> k.check("some").count(x -> x > 0));
    }

    /** Whether some output row or column of {@code s} has no tap inside the input. */
    static boolean hasEmptyWindow(WindowShape s) {
        for (int oy = 0; oy < s.outputHeight(); oy++) {
            if (s.firstRow(oy) >= s.endRow(oy)) {
                return true;
            }
        }
        for (int ox = 0; ox < s.outputWidth(); ox++) {
            if (s.firstColumn(ox) >= s.endColumn(ox)) {
                return true;
            }
        }
        return false;
    }

    @Override
    public String toString() {
        return height + "x" + width + ", kernel " + kernelHeight + "x" + kernelWidth + ", strides " + strideHeight + "x"
                + strideWidth + ", dilations " + dilationHeight + "x" + dilationWidth + ", pads " + Arrays.toString(pads);
    }
}
