package dev.lanewise.kernels.internal;

/**
 * Element-wise moves over float arrays, the building blocks of lowering kernels such as im2col:
 * a run there is a few dozen floats, too short for {@code System.arraycopy} and
 * {@code Arrays.fill} to amortise their set-up, and long enough for a few vector moves.
 * Arguments are not checked (callers validate once); results are exact copies on every path.
 */
public abstract class ArrayKernels {

    /** {@code dst[dstOff + i] = src[srcOff + i]} for {@code i < n}; the ranges must not overlap. */
    public abstract void copy(float[] src, int srcOff, float[] dst, int dstOff, int n);

    /**
     * {@code dst[dstOff + r * dstStride + i] = src[srcOff + r * srcStride + i * stride]} for
     * {@code r < rows}, {@code i < n}, {@code stride >= 1}: a block of rows, such as the rows of an
     * image plane (or every other column of them) copied into a wider buffer. No source row may
     * overlap a destination row.
     */
    public abstract void copyRows(float[] src, int srcOff, int srcStride, int stride, float[] dst, int dstOff,
                                  int dstStride, int rows, int n);

    /**
     * The even and the odd elements of a block of rows, apart: for {@code r < rows},
     * {@code dst[evenOff + r * dstStride + i] = src[srcOff + r * srcStride + 2 i]} for {@code i < nEven} and
     * {@code dst[oddOff + r * dstStride + i] = src[srcOff + r * srcStride + 2 i + 1]} for {@code i < nOdd},
     * with {@code nOdd <= nEven <= nOdd + 1}: both phases of a stride-2 window's rows from one read
     * of each row. No source row may overlap a destination row.
     */
    public abstract void deinterleaveRows(float[] src, int srcOff, int srcStride, float[] dst, int evenOff, int nEven,
                                          int oddOff, int nOdd, int dstStride, int rows);

    /** {@code dst[dstOff + i] = src[srcOff + i * stride]} for {@code i < n}, {@code stride >= 1}. */
    public abstract void copyStrided(float[] src, int srcOff, int stride, float[] dst, int dstOff, int n);

    /** {@code dst[off + i] = +0.0f} for {@code i < n}. */
    public abstract void zero(float[] dst, int off, int n);
}
