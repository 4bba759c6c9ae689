package dev.lanewise.properties;

import dev.lanewise.nn.AutoPad;

/**
 * ONNX's pads for an {@code auto_pad}, written out from the specification for the tests,
 * independently of {@link AutoPad}'s own code: SAME's total along an axis is
 * {@code max(0, (ceil(n / s) - 1) s + (k - 1) d + 1 - n)}, its odd cell at the end for SAME_UPPER
 * and at the start for SAME_LOWER; VALID pads nothing; NOTSET keeps the explicit pads.
 */
final class OnnxPads {

    private OnnxPads() {
    }

    /** Pads {@code [top, left, bottom, right]} of a {@code height x width} input. */
    static int[] resolve(AutoPad autoPad, int[] explicitPads, int height, int width, int kernelHeight, int kernelWidth,
                         int strideHeight, int strideWidth, int dilationHeight, int dilationWidth) {
        return switch (autoPad) {
            case NOTSET -> explicitPads;
            case VALID -> new int[4];
            case SAME_UPPER, SAME_LOWER -> {
                int th = sameTotal(height, kernelHeight, strideHeight, dilationHeight);
                int tw = sameTotal(width, kernelWidth, strideWidth, dilationWidth);
                int top = autoPad == AutoPad.SAME_UPPER ? th / 2 : (th + 1) / 2;
                int left = autoPad == AutoPad.SAME_UPPER ? tw / 2 : (tw + 1) / 2;
                yield new int[] {top, left, th - top, tw - left};
            }
        };
    }

    private static int sameTotal(int n, int k, int s, int d) {
        int out = (n + s - 1) / s;
        return Math.max(0, (out - 1) * s + (k - 1) * d + 1 - n);
    }
}
