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

    /**
     * The rows' whole vectors, then each row's last partial vector under masks made once: a mask
     * made per row cost as much as a 14-float row's copy. Stride 2 keeps the even lanes of two loads
     * as {@link #copyEven} does; larger strides copy row by row ({@link #copyStrided}).
     */
    @Override
    public void copyRows(float[] src, int srcOff, int srcStride, int stride, float[] dst, int dstOff, int dstStride,
                         int rows, int n) {
        if (stride == 1) {
            contiguousRows(src, srcOff, srcStride, dst, dstOff, dstStride, rows, n);
        } else if (stride == 2) {
            evenRows(src, srcOff, srcStride, dst, dstOff, dstStride, rows, n);
        } else {
            for (int r = 0; r < rows; r++) {
                copyStrided(src, srcOff + r * srcStride, stride, dst, dstOff + r * dstStride, n);
            }
        }
    }

    private static void contiguousRows(float[] src, int srcOff, int srcStride, float[] dst, int dstOff, int dstStride,
                                       int rows, int n) {
        int whole = n - n % L;
        VectorMask<Float> tail = S.indexInRange(whole, n);
        for (int r = 0; r < rows; r++) {
            int from = srcOff + r * srcStride;
            int to = dstOff + r * dstStride;
            for (int i = 0; i < whole; i += L) {
                FloatVector.fromArray(S, src, from + i).intoArray(dst, to + i);
            }
            if (whole < n) {
                FloatVector.fromArray(S, src, from + whole, tail).intoArray(dst, to + whole, tail);
            }
        }
    }

    /**
     * Stride 2 over rows: per row, the whole vectors from two plain loads each (a row whose last
     * plain load would pass the array's end goes to {@link #copyEven}), then the last partial vector
     * from two masked loads of the {@code 2 t - 1} floats it reads and a masked store.
     */
    private static void evenRows(float[] src, int srcOff, int srcStride, float[] dst, int dstOff, int dstStride,
                                 int rows, int n) {
        FloatVector even = FloatVector.zero(S).addIndex(2);   // made here: see copyEven
        int whole = n - n % L;
        int span = 2 * (n - whole) - 1;
        VectorMask<Float> lowTail = S.indexInRange(0, span);
        VectorMask<Float> highTail = S.indexInRange(L, span);
        VectorMask<Float> tail = S.indexInRange(whole, n);
        for (int r = 0; r < rows; r++) {
            int from = srcOff + r * srcStride;
            int to = dstOff + r * dstStride;
            if (from + 2 * whole > src.length) {
                copyEven(src, from, dst, to, n);
                continue;
            }
            for (int i = 0; i < whole; i += L) {
                FloatVector low = FloatVector.fromArray(S, src, from + 2 * i);
                FloatVector high = FloatVector.fromArray(S, src, from + 2 * i + L);
                even.selectFrom(low, high).intoArray(dst, to + i);
            }
            if (whole < n) {
                FloatVector low = FloatVector.fromArray(S, src, from + 2 * whole, lowTail);
                FloatVector high = FloatVector.fromArray(S, src, from + 2 * whole + L, highTail);
                even.selectFrom(low, high).intoArray(dst, to + whole, tail);
            }
        }
    }

    /**
     * Per row, the whole vectors of both phases from the same two plain loads (even lanes, odd
     * lanes: two permutes), then the last part vectors from two masked loads, under masks made once;
     * a row whose plain loads would pass the array's end copies its phases apart ({@link #copyEven}).
     */
    @Override
    public void deinterleaveRows(float[] src, int srcOff, int srcStride, float[] dst, int evenOff, int nEven,
                                 int oddOff, int nOdd, int dstStride, int rows) {
        FloatVector even = FloatVector.zero(S).addIndex(2);   // made here: see copyEven
        FloatVector odd = even.add(1f);
        int whole = nOdd - nOdd % L;
        int span = Math.max(2 * (nEven - whole) - 1, 2 * (nOdd - whole));
        VectorMask<Float> lowTail = S.indexInRange(0, span);
        VectorMask<Float> highTail = S.indexInRange(L, span);
        VectorMask<Float> evenTail = S.indexInRange(whole, nEven);
        VectorMask<Float> oddTail = S.indexInRange(whole, nOdd);
        for (int r = 0; r < rows; r++) {
            int from = srcOff + r * srcStride;
            int toEven = evenOff + r * dstStride;
            int toOdd = oddOff + r * dstStride;
            if (from + 2 * whole > src.length) {
                copyEven(src, from, dst, toEven, nEven);
                copyEven(src, from + 1, dst, toOdd, nOdd);
                continue;
            }
            for (int i = 0; i < whole; i += L) {
                FloatVector low = FloatVector.fromArray(S, src, from + 2 * i);
                FloatVector high = FloatVector.fromArray(S, src, from + 2 * i + L);
                even.selectFrom(low, high).intoArray(dst, toEven + i);
                odd.selectFrom(low, high).intoArray(dst, toOdd + i);
            }
            if (whole < nEven) {
                FloatVector low = FloatVector.fromArray(S, src, from + 2 * whole, lowTail);
                FloatVector high = FloatVector.fromArray(S, src, from + 2 * whole + L, highTail);
                even.selectFrom(low, high).intoArray(dst, toEven + whole, evenTail);
                odd.selectFrom(low, high).intoArray(dst, toOdd + whole, oddTail);
            }
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
     * ({@code vpermt2ps} on AVX-512) keep the even lanes, cheaper than a gather. The lane indices
     * {@code 0, 2, 4, ...} are made here: as a static final vector C2 did not fold them into the
     * permute, and the copy ran four times slower than the convolution that followed it.
     */
    private static void copyEven(float[] src, int srcOff, float[] dst, int dstOff, int n) {
        FloatVector even = FloatVector.zero(S).addIndex(2);
        int i = 0;
        for (; i <= n - L && srcOff + 2 * (i + L) <= src.length; i += L) {
            FloatVector low = FloatVector.fromArray(S, src, srcOff + 2 * i);
            FloatVector high = FloatVector.fromArray(S, src, srcOff + 2 * i + L);
            even.selectFrom(low, high).intoArray(dst, dstOff + i);
        }
        for (; i < n; i++) {
            dst[dstOff + i] = src[srcOff + 2 * i];
        }
    }

    @Override
    public void zero(float[] dst, int off, int n) {
        FloatVector zero = FloatVector.zero(S);   // made here, as copyEven's indices are
        int i = 0;
        for (; i <= n - L; i += L) {
            zero.intoArray(dst, off + i);
        }
        if (i < n) {
            zero.intoArray(dst, off + i, S.indexInRange(i, n));
        }
    }
}
