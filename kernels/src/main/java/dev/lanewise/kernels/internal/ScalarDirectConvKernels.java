package dev.lanewise.kernels.internal;

/**
 * {@link DirectConvKernels}' rule as plain loops over the input planes, with the bounds tests
 * written out: the oracle's twin, and the implementation when the Vector API is not available.
 * Blocks of one filter: its weights are OIHW.
 */
final class ScalarDirectConvKernels extends DirectConvKernels {

    @Override
    public void convolve(WindowShape s, int channels, int[] taps, float[] in, int inOff, int filters,
                         float[] w, int wOff, float[] bias, int biasOff, float lo, float hi,
                         float[] out, int outOff, float[] band, float[] tile) {
        int width = s.width();
        int plane = s.height() * width;
        int kh = s.kernelHeight();
        int kw = s.kernelWidth();
        int dw = s.dilationWidth();
        int oh = s.outputHeight();
        int ow = s.outputWidth();
        for (int f = 0; f < filters; f++) {
            int of = outOff + f * oh * ow;
            for (int oy = 0; oy < oh; oy++) {
                for (int ox = 0; ox < ow; ox++) {
                    float acc = 0f;
                    int x0 = s.columnStart(ox);
                    for (int c = 0; c < channels; c++) {
                        int wc = wOff + (f * channels + c) * kh * kw;
                        for (int r = s.firstRow(oy); r < s.endRow(oy); r++) {
                            int row = inOff + c * plane + (s.rowStart(oy) + r * s.dilationHeight()) * width;
                            for (int t = 0; t < kw; t++) {
                                int x = x0 + t * dw;
                                float v = x >= 0 && x < width ? in[row + x] : 0f;
                                acc = Math.fma(v, w[wc + r * kw + t], acc);
                            }
                        }
                    }
                    out[of + oy * ow + ox] = store(acc, bias, biasOff + f, lo, hi);
                }
            }
        }
    }

    /** The epilogue: {@code min(max(acc + bias, lo), hi)}, without the addition when there is no bias. */
    private static float store(float acc, float[] bias, int biasAt, float lo, float hi) {
        float t = bias == null ? acc : acc + bias[biasAt];
        return Math.min(Math.max(t, lo), hi);
    }

    @Override
    public int[] taps(WindowShape s, int channels) {
        return new int[0];
    }

    @Override
    public String name() {
        return "scalar";
    }

    @Override
    public int filtersPerBlock() {
        return 1;
    }

    @Override
    public int granule() {
        return 1;
    }
}
