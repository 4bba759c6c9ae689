package dev.lanewise.kernels.internal.vector;

import dev.lanewise.kernels.internal.GemmMicroKernel;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorMask;
import jdk.incubator.vector.VectorSpecies;

/**
 * What the vector GEMM kernels share: packing with vector copies. The packed layouts are those of
 * {@link GemmMicroKernel#packA} and {@link GemmMicroKernel#packB}.
 */
abstract class VectorGemmKernel extends GemmMicroKernel {

    private static final VectorSpecies<Float> S = FloatSpecies.FLOAT;
    private static final int L = S.length();

    VectorGemmKernel(String name, int mr, int nr) {
        super(name, mr, nr);
    }

    /**
     * {@link GemmMicroKernel#packA} for a kernel of {@code mr} rows; each kernel passes its constant
     * MR so that C2 sees the panel stride as a constant and drops the range checks. op(A)'s column is
     * contiguous when {@code transA}, so each step is a masked vector copy; otherwise each row of A
     * becomes a column of the panel, a scalar transpose.
     */
    static void packA(int mr, boolean transA, float[] a, int aOff, int lda, int rows, int kc, float[] dst, int dstOff) {
        if (transA) {
            for (int i = 0; i < mr; i += L) {
                VectorMask<Float> load = S.indexInRange(i, rows);
                VectorMask<Float> store = S.indexInRange(i, mr);
                for (int p = 0; p < kc; p++) {
                    FloatVector.fromArray(S, a, aOff + p * lda + i, load).intoArray(dst, dstOff + p * mr + i, store);
                }
            }
            return;
        }
        for (int i = 0; i < rows; i++) {
            int src = aOff + i * lda;
            for (int p = 0; p < kc; p++) {
                dst[dstOff + p * mr + i] = a[src + p];
            }
        }
        for (int i = rows; i < mr; i++) {
            for (int p = 0; p < kc; p++) {
                dst[dstOff + p * mr + i] = 0f;
            }
        }
    }

    /**
     * Untransposed B rows are contiguous: {@code NR / L} vector copies per step, the last one masked
     * (its masked-off lanes load as zero, which is the padding). Transposed B is a scalar transpose.
     */
    @Override
    public void packB(boolean transB, float[] b, int bOff, int ldb, int cols, int kc, float[] dst, int dstOff) {
        int nr = nr();
        if (transB) {
            super.packB(true, b, bOff, ldb, cols, kc, dst, dstOff);
            return;
        }
        if (cols == nr) {
            for (int p = 0; p < kc; p++) {
                int s = bOff + p * ldb;
                int d = dstOff + p * nr;
                for (int j = 0; j < nr; j += L) {
                    FloatVector.fromArray(S, b, s + j).intoArray(dst, d + j);
                }
            }
            return;
        }
        for (int j = 0; j < nr; j += L) {
            VectorMask<Float> mask = S.indexInRange(j, cols);
            for (int p = 0; p < kc; p++) {
                FloatVector.fromArray(S, b, bOff + p * ldb + j, mask).intoArray(dst, dstOff + p * nr + j);
            }
        }
    }
}
