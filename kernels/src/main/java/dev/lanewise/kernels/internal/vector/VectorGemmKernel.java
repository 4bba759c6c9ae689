package dev.lanewise.kernels.internal.vector;

import dev.lanewise.kernels.internal.GemmMicroKernel;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorMask;
import jdk.incubator.vector.VectorSpecies;

/**
 * What the vector GEMM kernels share: packing B with vector copies (a panel row is only NR floats,
 * too short for {@code System.arraycopy} to pay off) or, transposed, with gathers. The packed
 * layout is that of {@link GemmMicroKernel#packB}; A's packing, a copy of long rows, is the base
 * class's.
 */
abstract class VectorGemmKernel extends GemmMicroKernel {

    private static final VectorSpecies<Float> S = FloatSpecies.FLOAT;
    private static final int L = S.length();

    VectorGemmKernel(String name, int mr, int nr, VectorGemmKernel... rowTails) {
        super(name, mr, nr, rowTails);
    }

    /**
     * Untransposed B rows are contiguous: {@code NR / L} vector copies per step, the last one masked
     * (its masked-off lanes load as zero, which is the padding). Transposed B is a scalar transpose.
     */
    @Override
    public void packB(boolean transB, float[] b, int bOff, int ldb, int cols, int kc, float[] dst, int dstOff,
                      int[] gather) {
        int nr = nr();
        if (transB) {
            packTransposedB(b, bOff, ldb, cols, kc, dst, dstOff, nr, gather);
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

    /**
     * A transposed B holds each panel column as a contiguous row of memory; one step of the panel
     * gathers element {@code p} of L such rows at once instead of moving one float at a time.
     * Lanes past {@code cols} gather row {@code j} again (it exists) and are then zeroed by a blend:
     * a masked gather would do both at once, but C2 has no AVX2 instruction for it and falls back
     * to Java code that allocates every vector.
     */
    private static void packTransposedB(float[] b, int bOff, int ldb, int cols, int kc, float[] dst, int dstOff, int nr,
                                        int[] rows) {
        for (int j = 0; j < nr; j += L) {
            for (int l = 0; l < L; l++) {
                rows[l] = j + l < cols ? l * ldb : 0;
            }
            VectorMask<Float> padding = S.indexInRange(j, cols).not();
            int base = bOff + Math.min(j, cols - 1) * ldb;
            for (int p = 0; p < kc; p++) {
                FloatVector.fromArray(S, b, base + p, rows, 0).blend(0f, padding).intoArray(dst, dstOff + p * nr + j);
            }
        }
    }
}
