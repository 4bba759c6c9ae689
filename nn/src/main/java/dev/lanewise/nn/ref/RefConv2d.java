package dev.lanewise.nn.ref;

import dev.lanewise.im2col.ConvGeometry;

/**
 * The naive direct convolution {@link dev.lanewise.nn.Conv2d} is tested against: seven nested loops
 * straight from the formula in {@code Conv2d}, a {@code double} accumulator, a bounds test per tap.
 * No activation (apply it to the result). Not validated, not fast; thread-safe.
 */
public final class RefConv2d {

    private RefConv2d() {
    }

    /**
     * {@code output = conv(input, weights) + bias} for {@code batch} images, NCHW in and out, OIHW
     * weights.
     *
     * @param geometry    the window over one whole image ({@code channels} = all input channels C)
     * @param group       channel groups; {@code C} and {@code outChannels} are multiples of it
     * @param outChannels K
     * @param bias        K values from {@code biasOffset}, or null for none
     */
    public static void forward(int batch, ConvGeometry geometry, int group, int outChannels,
                               float[] input, int inputOffset, float[] weights, int weightsOffset,
                               float[] bias, int biasOffset, float[] output, int outputOffset) {
        ConvGeometry g = geometry;
        int cPerGroup = g.channels() / group;
        int kPerGroup = outChannels / group;
        int outH = g.outputHeight();
        int outW = g.outputWidth();
        for (int n = 0; n < batch; n++) {
            for (int k = 0; k < outChannels; k++) {
                int firstChannel = k / kPerGroup * cPerGroup;
                for (int oy = 0; oy < outH; oy++) {
                    for (int ox = 0; ox < outW; ox++) {
                        double sum = bias == null ? 0 : bias[biasOffset + k];
                        for (int c = 0; c < cPerGroup; c++) {
                            for (int r = 0; r < g.kernelHeight(); r++) {
                                int y = oy * g.strideHeight() - g.padTop() + r * g.dilationHeight();
                                for (int s = 0; s < g.kernelWidth(); s++) {
                                    int x = ox * g.strideWidth() - g.padLeft() + s * g.dilationWidth();
                                    if (y >= 0 && y < g.height() && x >= 0 && x < g.width()) {
                                        float w = weights[weightsOffset
                                                + ((k * cPerGroup + c) * g.kernelHeight() + r) * g.kernelWidth() + s];
                                        float v = input[inputOffset
                                                + ((n * g.channels() + firstChannel + c) * g.height() + y) * g.width() + x];
                                        sum += (double) w * v;
                                    }
                                }
                            }
                        }
                        output[outputOffset + ((n * outChannels + k) * outH + oy) * outW + ox] = (float) sum;
                    }
                }
            }
        }
    }
}
