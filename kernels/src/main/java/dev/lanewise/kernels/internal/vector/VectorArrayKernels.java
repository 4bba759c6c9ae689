package dev.lanewise.kernels.internal.vector;

import dev.lanewise.kernels.internal.ArrayKernels;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorMask;
import jdk.incubator.vector.VectorSpecies;

/**
 * {@link ArrayKernels} with whole-vector moves and one masked move for the last partial vector,
 * so a run of {@code n} floats costs {@code ceil(n / L)} loads and stores and no scalar tail.
 * Strided copies with stride 3 to {@value #GATHER_MAX_STRIDE} gather (stride 2 permutes), through
 * a shared table of lane offsets; larger strides, which convolutions hardly use, copy element by element.
 */
final class VectorArrayKernels extends ArrayKernels {

    private static final VectorSpecies<Float> S = FloatSpecies.FLOAT;
    private static final int L = S.length();
    private static final FloatVector ZERO = FloatVector.zero(S);
    /** Lane indices {@code 0, 2, 4, ...}: the even lanes of two concatenated vectors. */
    private static final FloatVector EVEN = FloatVector.zero(S).addIndex(2);

    /** Largest stride that gathers. */
    private static final int GATHER_MAX_STRIDE = 32;
    /** Gather offsets {@code l * stride} of lane {@code l}, {@code GATHERS[stride][l]}; immutable, shared by all threads. */
    private static final int[][] GATHERS = new int[GATHER_MAX_STRIDE + 1][L];

    static {
        for (int stride = 0; stride <= GATHER_MAX_STRIDE; stride++) {
            for (int l = 0; l < L; l++) {
                GATHERS[stride][l] = l * stride;
            }
        }
    }

    @Override
    public void copy(float[] src, int srcOff, float[] dst, int dstOff, int n) {
        int i = 0;
        for (; i <= n - L; i += L) {
            FloatVector.fromArray(S, src, srcOff + i).intoArray(dst, dstOff + i);
        }
        if (i < n) {
            VectorMask<Float> mask = S.indexInRange(i, n);
            FloatVector.fromArray(S, src, srcOff + i, mask).intoArray(dst, dstOff + i, mask);
        }
    }

    @Override
    public void copyStrided(float[] src, int srcOff, int stride, float[] dst, int dstOff, int n) {
        if (stride == 1) {
            copy(src, srcOff, dst, dstOff, n);
            return;
        }
        if (stride == 2) {
            copyEven(src, srcOff, dst, dstOff, n);
            return;
        }
        int i = 0;
        if (stride <= GATHER_MAX_STRIDE) {
            int[] offsets = GATHERS[stride];
            for (; i <= n - L; i += L) {
                FloatVector.fromArray(S, src, srcOff + i * stride, offsets, 0).intoArray(dst, dstOff + i);
            }
        }
        for (; i < n; i++) {
            dst[dstOff + i] = src[srcOff + i * stride];
        }
    }

    /**
     * Stride 2, the common strided convolution: two contiguous loads and one two-vector permute
     * ({@code vpermt2ps} on AVX-512) keep the even lanes, cheaper than a gather.
     */
    private static void copyEven(float[] src, int srcOff, float[] dst, int dstOff, int n) {
        int i = 0;
        for (; i <= n - L && srcOff + 2 * (i + L) <= src.length; i += L) {
            FloatVector low = FloatVector.fromArray(S, src, srcOff + 2 * i);
            FloatVector high = FloatVector.fromArray(S, src, srcOff + 2 * i + L);
            EVEN.selectFrom(low, high).intoArray(dst, dstOff + i);
        }
        for (; i < n; i++) {
            dst[dstOff + i] = src[srcOff + 2 * i];
        }
    }

    @Override
    public void zero(float[] dst, int off, int n) {
        int i = 0;
        for (; i <= n - L; i += L) {
            ZERO.intoArray(dst, off + i);
        }
        if (i < n) {
            ZERO.intoArray(dst, off + i, S.indexInRange(i, n));
        }
    }
}
