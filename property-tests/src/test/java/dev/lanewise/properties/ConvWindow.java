package dev.lanewise.properties;

import dev.lanewise.kernels.internal.WindowShape;
import java.util.Arrays;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;

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

    @Override
    public String toString() {
        return height + "x" + width + ", kernel " + kernelHeight + "x" + kernelWidth + ", strides " + strideHeight + "x"
                + strideWidth + ", dilations " + dilationHeight + "x" + dilationWidth + ", pads " + Arrays.toString(pads);
    }
}
