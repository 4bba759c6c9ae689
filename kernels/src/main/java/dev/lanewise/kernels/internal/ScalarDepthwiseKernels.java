package dev.lanewise.kernels.internal;

/**
 * {@link DepthwiseKernels}' rule by the scalar direct kernel, whose rule with one channel (and, in
 * blocks of one filter, the same weight layout) it is: the sums without bias or clamp (an identity
 * store: {@code min(max(acc, -inf), +inf)} is {@code acc}, NaN and signed zeros included), then the
 * epilogue's scalar form over the outputs. The oracle's twin, and the implementation when the
 * Vector API is not available.
 */
final class ScalarDepthwiseKernels extends DepthwiseKernels {

    private final DirectConvKernels direct;

    ScalarDepthwiseKernels(DirectConvKernels direct) {
        this.direct = direct;
    }

    @Override
    public void convolve(WindowShape s, float[] in, int inOff, int filters, float[] w, int wOff,
                         BoundEpilogue epilogue, float[] out, int outOff, float[] band) {
        direct.convolve(s, 1, null, in, inOff, filters, w, wOff, null, 0, Float.NEGATIVE_INFINITY,
                Float.POSITIVE_INFINITY, out, outOff, band, null);
        if (epilogue.isIdentity()) {
            return;
        }
        int plane = s.outputHeight() * s.outputWidth();
        for (int f = 0; f < filters; f++) {
            for (int j = 0, o = outOff + f * plane; j < plane; j++, o++) {
                out[o] = epilogue.apply(out[o], f, j);
            }
        }
    }
}
