package dev.lanewise.kernels.internal.vector;

import dev.lanewise.kernels.internal.BoundEpilogue;
import dev.lanewise.kernels.internal.GemmDotKernel;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorMask;
import jdk.incubator.vector.VectorSpecies;

/**
 * {@link GemmDotKernel} on vectors: 4 rows of A against 4 rows of B in 16 accumulators, each
 * lane summing every L-th product; the lanes are then added in index order through scratch
 * (not {@code reduceLanes}, whose order the API leaves open), so interpreted and compiled code
 * give the same bits.
 */
final class VectorGemmDotKernel extends GemmDotKernel {

    private static final VectorSpecies<Float> S = FloatSpecies.FLOAT;
    private static final int L = S.length();

    @Override
    public void compute(int m, int n, int k, float alpha, float[] a, int aOff, int lda,
                        float[] b, int bOff, int ldb, float beta, float[] c, int cOff, int ldc,
                        BoundEpilogue epilogue, int row0, int col0, float[] scratch) {
        assert m >= 1 && m <= ROWS && n >= 1 && n <= COLS && k >= 0;
        // Rows past m or n re-read the last real row; their sums are discarded.
        final int a0 = aOff;
        final int a1 = aOff + Math.min(1, m - 1) * lda;
        final int a2 = aOff + Math.min(2, m - 1) * lda;
        final int a3 = aOff + Math.min(3, m - 1) * lda;
        final int b0 = bOff;
        final int b1 = bOff + Math.min(1, n - 1) * ldb;
        final int b2 = bOff + Math.min(2, n - 1) * ldb;
        final int b3 = bOff + Math.min(3, n - 1) * ldb;
        FloatVector s00 = FloatVector.zero(S), s01 = FloatVector.zero(S), s02 = FloatVector.zero(S), s03 = FloatVector.zero(S);
        FloatVector s10 = s00, s11 = s01, s12 = s02, s13 = s03;
        FloatVector s20 = s00, s21 = s01, s22 = s02, s23 = s03;
        FloatVector s30 = s00, s31 = s01, s32 = s02, s33 = s03;
        int full = k - k % L;
        for (int p = 0; p < full; p += L) {
            FloatVector x0 = FloatVector.fromArray(S, a, a0 + p);
            FloatVector x1 = FloatVector.fromArray(S, a, a1 + p);
            FloatVector x2 = FloatVector.fromArray(S, a, a2 + p);
            FloatVector x3 = FloatVector.fromArray(S, a, a3 + p);
            FloatVector y0 = FloatVector.fromArray(S, b, b0 + p);
            FloatVector y1 = FloatVector.fromArray(S, b, b1 + p);
            FloatVector y2 = FloatVector.fromArray(S, b, b2 + p);
            FloatVector y3 = FloatVector.fromArray(S, b, b3 + p);
            s00 = x0.fma(y0, s00); s01 = x0.fma(y1, s01); s02 = x0.fma(y2, s02); s03 = x0.fma(y3, s03);
            s10 = x1.fma(y0, s10); s11 = x1.fma(y1, s11); s12 = x1.fma(y2, s12); s13 = x1.fma(y3, s13);
            s20 = x2.fma(y0, s20); s21 = x2.fma(y1, s21); s22 = x2.fma(y2, s22); s23 = x2.fma(y3, s23);
            s30 = x3.fma(y0, s30); s31 = x3.fma(y1, s31); s32 = x3.fma(y2, s32); s33 = x3.fma(y3, s33);
        }
        if (full < k) {
            // The last partial vector: masked-off lanes load as zero and add nothing.
            VectorMask<Float> mask = S.indexInRange(full, k);
            FloatVector x0 = FloatVector.fromArray(S, a, a0 + full, mask);
            FloatVector x1 = FloatVector.fromArray(S, a, a1 + full, mask);
            FloatVector x2 = FloatVector.fromArray(S, a, a2 + full, mask);
            FloatVector x3 = FloatVector.fromArray(S, a, a3 + full, mask);
            FloatVector y0 = FloatVector.fromArray(S, b, b0 + full, mask);
            FloatVector y1 = FloatVector.fromArray(S, b, b1 + full, mask);
            FloatVector y2 = FloatVector.fromArray(S, b, b2 + full, mask);
            FloatVector y3 = FloatVector.fromArray(S, b, b3 + full, mask);
            s00 = x0.fma(y0, s00); s01 = x0.fma(y1, s01); s02 = x0.fma(y2, s02); s03 = x0.fma(y3, s03);
            s10 = x1.fma(y0, s10); s11 = x1.fma(y1, s11); s12 = x1.fma(y2, s12); s13 = x1.fma(y3, s13);
            s20 = x2.fma(y0, s20); s21 = x2.fma(y1, s21); s22 = x2.fma(y2, s22); s23 = x2.fma(y3, s23);
            s30 = x3.fma(y0, s30); s31 = x3.fma(y1, s31); s32 = x3.fma(y2, s32); s33 = x3.fma(y3, s33);
        }
        float[] lanes = scratch;   // ROWS * COLS vectors of lane sums
        s00.intoArray(lanes, 0 * L); s01.intoArray(lanes, 1 * L); s02.intoArray(lanes, 2 * L); s03.intoArray(lanes, 3 * L);
        s10.intoArray(lanes, 4 * L); s11.intoArray(lanes, 5 * L); s12.intoArray(lanes, 6 * L); s13.intoArray(lanes, 7 * L);
        s20.intoArray(lanes, 8 * L); s21.intoArray(lanes, 9 * L); s22.intoArray(lanes, 10 * L); s23.intoArray(lanes, 11 * L);
        s30.intoArray(lanes, 12 * L); s31.intoArray(lanes, 13 * L); s32.intoArray(lanes, 14 * L); s33.intoArray(lanes, 15 * L);
        for (int i = 0; i < m; i++) {
            for (int j = 0; j < n; j++) {
                float s = 0f;
                for (int l = 0, base = (i * COLS + j) * L; l < L; l++) {
                    s += lanes[base + l];
                }
                epilogue.store(s, alpha, beta, c, cOff + i * ldc + j, row0 + i, col0 + j);
            }
        }
    }
}
