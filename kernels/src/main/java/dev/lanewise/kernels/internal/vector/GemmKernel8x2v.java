package dev.lanewise.kernels.internal.vector;

import dev.lanewise.kernels.internal.BoundEpilogue;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorSpecies;

/**
 * GEMM micro-kernel for a tile of 8 rows x 2 vectors of C (8 x 2L floats, L = lanes of
 * {@link FloatSpecies#FLOAT}), held in 16 accumulator registers.
 *
 * <p>Per step {@code p}: 2 vector loads of B's row, 8 broadcasts of A's column, 16 FMAs
 * into independent accumulators. The contract, including edge tiles and {@code beta == 0}, is
 * {@link dev.lanewise.kernels.internal.GemmMicroKernel}'s.
 */
final class GemmKernel8x2v extends VectorGemmKernel {

    private static final VectorSpecies<Float> S = FloatSpecies.FLOAT;
    private static final int L = S.length();
    private static final int MR = 8;
    private static final int NR = 2 * L;

    GemmKernel8x2v(VectorGemmKernel... rowTails) {
        super("8x2v", MR, NR, rowTails);
    }

    @Override
    public void compute(int m, int n, int k, float alpha, float[] a, int aOff, int lda,
                        float[] b, int bOff, int ldb, float beta, float[] c, int cOff, int ldc,
                        BoundEpilogue epilogue, int row0, int col0, float[] scratch) {
        assert m >= 1 && m <= MR && n >= 1 && n <= NR && k >= 0;
        // Rows past m re-read row m - 1 (see the contract): A needs only its m real rows.
        final int a0 = aOff;
        final int a1 = aOff + Math.min(1, m - 1) * lda;
        final int a2 = aOff + Math.min(2, m - 1) * lda;
        final int a3 = aOff + Math.min(3, m - 1) * lda;
        final int a4 = aOff + Math.min(4, m - 1) * lda;
        final int a5 = aOff + Math.min(5, m - 1) * lda;
        final int a6 = aOff + Math.min(6, m - 1) * lda;
        final int a7 = aOff + Math.min(7, m - 1) * lda;
        FloatVector c0a = FloatVector.zero(S), c0b = FloatVector.zero(S);
        FloatVector c1a = c0a, c1b = c0b;
        FloatVector c2a = c0a, c2b = c0b;
        FloatVector c3a = c0a, c3b = c0b;
        FloatVector c4a = c0a, c4b = c0b;
        FloatVector c5a = c0a, c5b = c0b;
        FloatVector c6a = c0a, c6b = c0b;
        FloatVector c7a = c0a, c7b = c0b;
        for (int p = 0, pb = bOff; p < k; p++, pb += ldb) {
            FloatVector b0 = FloatVector.fromArray(S, b, pb);
            FloatVector b1 = FloatVector.fromArray(S, b, pb + L);
            FloatVector ai = FloatVector.broadcast(S, a[a0 + p]);
            c0a = ai.fma(b0, c0a); c0b = ai.fma(b1, c0b);
            ai = FloatVector.broadcast(S, a[a1 + p]);
            c1a = ai.fma(b0, c1a); c1b = ai.fma(b1, c1b);
            ai = FloatVector.broadcast(S, a[a2 + p]);
            c2a = ai.fma(b0, c2a); c2b = ai.fma(b1, c2b);
            ai = FloatVector.broadcast(S, a[a3 + p]);
            c3a = ai.fma(b0, c3a); c3b = ai.fma(b1, c3b);
            ai = FloatVector.broadcast(S, a[a4 + p]);
            c4a = ai.fma(b0, c4a); c4b = ai.fma(b1, c4b);
            ai = FloatVector.broadcast(S, a[a5 + p]);
            c5a = ai.fma(b0, c5a); c5b = ai.fma(b1, c5b);
            ai = FloatVector.broadcast(S, a[a6 + p]);
            c6a = ai.fma(b0, c6a); c6b = ai.fma(b1, c6b);
            ai = FloatVector.broadcast(S, a[a7 + p]);
            c7a = ai.fma(b0, c7a); c7b = ai.fma(b1, c7b);
        }
        if (m == MR && n == NR && (beta == 0f || beta == 1f) && epilogue.isIdentity()) {
            // The hot cases store straight from registers, rounding as TileStore.store does
            // (beta == 0: fma(s, alpha, -0) is exactly alpha * s; see TileStore).
            FloatVector alphaV = FloatVector.broadcast(S, alpha);
            FloatVector negZero = FloatVector.broadcast(S, -0f);
            c0a.fma(alphaV, beta == 0f ? negZero : FloatVector.fromArray(S, c, cOff)).intoArray(c, cOff);
            c0b.fma(alphaV, beta == 0f ? negZero : FloatVector.fromArray(S, c, cOff + L)).intoArray(c, cOff + L);
            c1a.fma(alphaV, beta == 0f ? negZero : FloatVector.fromArray(S, c, cOff + ldc)).intoArray(c, cOff + ldc);
            c1b.fma(alphaV, beta == 0f ? negZero : FloatVector.fromArray(S, c, cOff + ldc + L)).intoArray(c, cOff + ldc + L);
            c2a.fma(alphaV, beta == 0f ? negZero : FloatVector.fromArray(S, c, cOff + 2 * ldc)).intoArray(c, cOff + 2 * ldc);
            c2b.fma(alphaV, beta == 0f ? negZero : FloatVector.fromArray(S, c, cOff + 2 * ldc + L)).intoArray(c, cOff + 2 * ldc + L);
            c3a.fma(alphaV, beta == 0f ? negZero : FloatVector.fromArray(S, c, cOff + 3 * ldc)).intoArray(c, cOff + 3 * ldc);
            c3b.fma(alphaV, beta == 0f ? negZero : FloatVector.fromArray(S, c, cOff + 3 * ldc + L)).intoArray(c, cOff + 3 * ldc + L);
            c4a.fma(alphaV, beta == 0f ? negZero : FloatVector.fromArray(S, c, cOff + 4 * ldc)).intoArray(c, cOff + 4 * ldc);
            c4b.fma(alphaV, beta == 0f ? negZero : FloatVector.fromArray(S, c, cOff + 4 * ldc + L)).intoArray(c, cOff + 4 * ldc + L);
            c5a.fma(alphaV, beta == 0f ? negZero : FloatVector.fromArray(S, c, cOff + 5 * ldc)).intoArray(c, cOff + 5 * ldc);
            c5b.fma(alphaV, beta == 0f ? negZero : FloatVector.fromArray(S, c, cOff + 5 * ldc + L)).intoArray(c, cOff + 5 * ldc + L);
            c6a.fma(alphaV, beta == 0f ? negZero : FloatVector.fromArray(S, c, cOff + 6 * ldc)).intoArray(c, cOff + 6 * ldc);
            c6b.fma(alphaV, beta == 0f ? negZero : FloatVector.fromArray(S, c, cOff + 6 * ldc + L)).intoArray(c, cOff + 6 * ldc + L);
            c7a.fma(alphaV, beta == 0f ? negZero : FloatVector.fromArray(S, c, cOff + 7 * ldc)).intoArray(c, cOff + 7 * ldc);
            c7b.fma(alphaV, beta == 0f ? negZero : FloatVector.fromArray(S, c, cOff + 7 * ldc + L)).intoArray(c, cOff + 7 * ldc + L);
        } else {
            c0a.intoArray(scratch, 0 * L); c0b.intoArray(scratch, 1 * L);
            c1a.intoArray(scratch, 2 * L); c1b.intoArray(scratch, 3 * L);
            c2a.intoArray(scratch, 4 * L); c2b.intoArray(scratch, 5 * L);
            c3a.intoArray(scratch, 6 * L); c3b.intoArray(scratch, 7 * L);
            c4a.intoArray(scratch, 8 * L); c4b.intoArray(scratch, 9 * L);
            c5a.intoArray(scratch, 10 * L); c5b.intoArray(scratch, 11 * L);
            c6a.intoArray(scratch, 12 * L); c6b.intoArray(scratch, 13 * L);
            c7a.intoArray(scratch, 14 * L); c7b.intoArray(scratch, 15 * L);
            TileStore.store(scratch, MR, NR, m, n, alpha, beta, c, cOff, ldc, epilogue, row0, col0);
        }
    }
}
