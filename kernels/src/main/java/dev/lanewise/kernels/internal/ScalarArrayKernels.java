package dev.lanewise.kernels.internal;

/** {@link ArrayKernels} as plain loops, for the scalar provider. */
final class ScalarArrayKernels extends ArrayKernels {

    @Override
    public void copy(float[] src, int srcOff, float[] dst, int dstOff, int n) {
        for (int i = 0; i < n; i++) {
            dst[dstOff + i] = src[srcOff + i];
        }
    }

    @Override
    public void copyRows(float[] src, int srcOff, int srcStride, int stride, float[] dst, int dstOff, int dstStride,
                         int rows, int n) {
        for (int r = 0; r < rows; r++) {
            copyStrided(src, srcOff + r * srcStride, stride, dst, dstOff + r * dstStride, n);
        }
    }

    @Override
    public void deinterleaveRows(float[] src, int srcOff, int srcStride, float[] dst, int evenOff, int nEven,
                                 int oddOff, int nOdd, int dstStride, int rows) {
        for (int r = 0; r < rows; r++) {
            copyStrided(src, srcOff + r * srcStride, 2, dst, evenOff + r * dstStride, nEven);
            copyStrided(src, srcOff + r * srcStride + 1, 2, dst, oddOff + r * dstStride, nOdd);
        }
    }

    @Override
    public void copyStrided(float[] src, int srcOff, int stride, float[] dst, int dstOff, int n) {
        for (int i = 0; i < n; i++) {
            dst[dstOff + i] = src[srcOff + i * stride];
        }
    }

    @Override
    public void zero(float[] dst, int off, int n) {
        for (int i = 0; i < n; i++) {
            dst[off + i] = 0f;
        }
    }
}
