package dev.lanewise.nn.ref;

import dev.lanewise.nn.PoolWindow;

/**
 * Naive pooling over dense NCHW tensors, the definitions that {@link dev.lanewise.nn.MaxPool2d},
 * {@link dev.lanewise.nn.AveragePool2d} and {@link dev.lanewise.nn.GlobalPool} are tested against
 * bit for bit: one loop per index, every window tap tested against the input's bounds. A window
 * with {@code auto_pad} is first made explicit for the input size ({@link PoolWindow#resolve}).
 * No argument checks beyond Java's own.
 */
public final class RefPool2d {

    private RefPool2d() {
    }

    /**
     * Max pooling: {@code Math.max} over the window's cells inside the input, in window order; with
     * {@code indices} non-null, the flattened index {@code (p * H + y) * W + x} of the first cell
     * holding the result (the first NaN if any) goes to {@code indices[indicesOffset + ...]}, laid
     * out like the output.
     */
    public static void maxPool(PoolWindow pool, int batch, int channels, int height, int width,
                               float[] input, int inOffset, float[] output, int outOffset,
                               long[] indices, int indicesOffset) {
        PoolWindow window = pool.resolve(height, width);
        int oh = window.outputHeight(height);
        int ow = window.outputWidth(width);
        for (int p = 0; p < batch * channels; p++) {
            for (int oy = 0; oy < oh; oy++) {
                for (int ox = 0; ox < ow; ox++) {
                    float max = Float.NEGATIVE_INFINITY;
                    long at = -1;
                    for (int r = 0; r < window.kernelHeight(); r++) {
                        for (int s = 0; s < window.kernelWidth(); s++) {
                            int y = oy * window.strideHeight() - window.padTop() + r * window.dilationHeight();
                            int x = ox * window.strideWidth() - window.padLeft() + s * window.dilationWidth();
                            if (y < 0 || y >= height || x < 0 || x >= width) {
                                continue;
                            }
                            long index = ((long) p * height + y) * width + x;
                            float v = input[inOffset + (int) index];
                            boolean first = at < 0;
                            boolean larger = v > max || (Float.isNaN(v) && !Float.isNaN(max))
                                    || (v == 0f && max == 0f && isNegativeZero(max) && !isNegativeZero(v));
                            if (first || larger) {
                                max = v;
                                at = index;
                            }
                        }
                    }
                    int o = (p * oh + oy) * ow + ox;
                    output[outOffset + o] = max;
                    if (indices != null) {
                        indices[indicesOffset + o] = at;
                    }
                }
            }
        }
    }

    /**
     * Average pooling: the window's cells inside the input summed in float from {@code -0.0f}, in
     * window order, divided in float by their number, or with {@code countIncludePad} by the number
     * of window cells inside the padded extent.
     */
    public static void averagePool(PoolWindow pool, boolean countIncludePad, int batch, int channels,
                                   int height, int width, float[] input, int inOffset, float[] output, int outOffset) {
        PoolWindow window = pool.resolve(height, width);
        int oh = window.outputHeight(height);
        int ow = window.outputWidth(width);
        for (int p = 0; p < batch * channels; p++) {
            for (int oy = 0; oy < oh; oy++) {
                for (int ox = 0; ox < ow; ox++) {
                    float sum = -0.0f;
                    int inside = 0;
                    int rowsInPadded = 0;
                    int columnsInPadded = 0;
                    for (int r = 0; r < window.kernelHeight(); r++) {
                        int y = oy * window.strideHeight() - window.padTop() + r * window.dilationHeight();
                        if (y >= -window.padTop() && y < height + window.padBottom()) {
                            rowsInPadded++;
                        }
                        for (int s = 0; s < window.kernelWidth(); s++) {
                            int x = ox * window.strideWidth() - window.padLeft() + s * window.dilationWidth();
                            if (r == 0 && x >= -window.padLeft() && x < width + window.padRight()) {
                                columnsInPadded++;
                            }
                            if (y >= 0 && y < height && x >= 0 && x < width) {
                                sum += input[inOffset + (p * height + y) * width + x];
                                inside++;
                            }
                        }
                    }
                    int count = countIncludePad ? rowsInPadded * columnsInPadded : inside;
                    output[outOffset + (p * oh + oy) * ow + ox] = sum / count;
                }
            }
        }
    }

    /** {@code GlobalMaxPool}: {@code Math.max} over each plane, one result per plane from {@code outOffset}. */
    public static void globalMax(int batch, int channels, int height, int width, float[] input, int inOffset,
                                 float[] output, int outOffset) {
        int size = height * width;
        for (int p = 0; p < batch * channels; p++) {
            float max = Float.NEGATIVE_INFINITY;
            for (int i = 0; i < size; i++) {
                max = Math.max(max, input[inOffset + p * size + i]);
            }
            output[outOffset + p] = max;
        }
    }

    /**
     * {@code GlobalAveragePool}: each plane's sum in the fixed order of
     * {@link dev.lanewise.nn.GlobalPool} (sixteen partials from {@code -0.0f}, cell {@code i} into
     * partial {@code i % 16}, then combined pairwise), divided in float by {@code H * W}.
     */
    public static void globalAverage(int batch, int channels, int height, int width, float[] input, int inOffset,
                                     float[] output, int outOffset) {
        int size = height * width;
        for (int p = 0; p < batch * channels; p++) {
            float[] partials = new float[16];
            java.util.Arrays.fill(partials, -0.0f);
            for (int i = 0; i < size; i++) {
                partials[i % 16] += input[inOffset + p * size + i];
            }
            for (int w = 8; w >= 1; w /= 2) {
                for (int j = 0; j < w; j++) {
                    partials[j] += partials[j + w];
                }
            }
            output[outOffset + p] = partials[0] / size;
        }
    }

    private static boolean isNegativeZero(float v) {
        return Float.floatToRawIntBits(v) == Integer.MIN_VALUE;
    }
}
