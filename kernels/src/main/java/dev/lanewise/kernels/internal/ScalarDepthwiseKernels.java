package dev.lanewise.kernels.internal;

/**
 * {@link DepthwiseKernels}' rule as plain loops: each output's FMA chain over its window, padding
 * read as {@code +0.0f}, then the epilogue's scalar form. The oracle's twin, and the implementation
 * when the Vector API is not available.
 */
final class ScalarDepthwiseKernels extends DepthwiseKernels {

    @Override
    public void convolve(WindowShape s, int planes, float[] in, int inOff, int filters, float[] w, int wOff,
                         BoundEpilogue epilogue, float[] out, int outOff, float[] band) {
        int h = s.height();
        int width = s.width();
        int kh = s.kernelHeight();
        int kw = s.kernelWidth();
        int oh = s.outputHeight();
        int ow = s.outputWidth();
        for (int i = 0; i < planes * filters; i++) {
            int plane = inOff + i / filters * h * width;
            int wi = wOff + i * kh * kw;
            for (int oy = 0; oy < oh; oy++) {
                for (int ox = 0; ox < ow; ox++) {
                    float acc = 0f;
                    for (int r = 0; r < kh; r++) {
                        int y = s.rowStart(oy) + r * s.dilationHeight();
                        for (int c = 0; c < kw; c++) {
                            int x = s.columnStart(ox) + c * s.dilationWidth();
                            float v = y >= 0 && y < h && x >= 0 && x < width ? in[plane + y * width + x] : 0f;
                            acc = Math.fma(v, w[wi + r * kw + c], acc);
                        }
                    }
                    out[outOff + i * oh * ow + oy * ow + ox] = epilogue.apply(acc, i, oy * ow + ox);
                }
            }
        }
    }
}
