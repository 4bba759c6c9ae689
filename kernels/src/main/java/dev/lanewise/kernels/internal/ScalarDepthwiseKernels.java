package dev.lanewise.kernels.internal;

/**
 * {@link DepthwiseKernels}' rule, which is {@link DirectConvKernels}' with one channel (and, in
 * blocks of one filter, the same weight layout), by the scalar direct kernel: the oracle's twin, and the implementation when the
 * Vector API is not available.
 */
final class ScalarDepthwiseKernels extends DepthwiseKernels {

    private final DirectConvKernels direct;

    ScalarDepthwiseKernels(DirectConvKernels direct) {
        this.direct = direct;
    }

    @Override
    public void convolve(WindowShape s, float[] in, int inOff, int filters, float[] w, int wOff,
                         float[] bias, int biasOff, float lo, float hi, float[] out, int outOff, float[] band) {
        direct.convolve(s, 1, null, in, inOff, filters, w, wOff, bias, biasOff, lo, hi, out, outOff, band, null);
    }
}
