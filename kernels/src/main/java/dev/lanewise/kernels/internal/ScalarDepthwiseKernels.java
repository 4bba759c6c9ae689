package dev.lanewise.kernels.internal;

/**
 * {@link DepthwiseKernels}' rule as plain loops over the input plane, with the bounds tests written
 * out: the oracle's twin, and the implementation when the Vector API is not available.
 */
final class ScalarDepthwiseKernels extends DepthwiseKernels {

    @Override
    public void convolve(WindowShape s, float[] in, int inOff, int filters, float[] w, int wOff,
                         BoundEpilogue epilogue, float[] out, int outOff, float[] band) {
        int width = s.width();
        int kh = s.kernelHeight();
        int kw = s.kernelWidth();
        int dw = s.dilationWidth();
        int oh = s.outputHeight();
        int ow = s.outputWidth();
        for (int f = 0; f < filters; f++) {
            int wf = wOff + f * kh * kw;
            int of = outOff + f * oh * ow;
            for (int oy = 0; oy < oh; oy++) {
                for (int ox = 0; ox < ow; ox++) {
                    float acc = 0f;
                    int x0 = s.columnStart(ox);
                    for (int r = s.firstRow(oy); r < s.endRow(oy); r++) {
                        int row = inOff + (s.rowStart(oy) + r * s.dilationHeight()) * width;
                        for (int c = 0; c < kw; c++) {
                            int x = x0 + c * dw;
                            float v = x >= 0 && x < width ? in[row + x] : 0f;
                            acc = Math.fma(v, w[wf + r * kw + c], acc);
                        }
                    }
                    out[of + oy * ow + ox] = epilogue.apply(acc, f, oy * ow + ox);
                }
            }
        }
    }
}
