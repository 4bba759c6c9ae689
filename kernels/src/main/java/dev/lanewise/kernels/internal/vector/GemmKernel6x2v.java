package dev.lanewise.kernels.internal.vector;

import dev.lanewise.kernels.internal.BoundEpilogue;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorSpecies;

/**
 * GEMM micro-kernel for a tile of 6 rows x 2 vectors of C (6 x 2L floats, L = lanes of
 * {@link FloatSpecies#FLOAT}), held in 12 accumulator registers.
 *
 * <p>Per step {@code p}: 2 vector loads of B's row, 6 broadcasts of A's column, 12 FMAs
 * into independent accumulators. A is read by rows ({@link #compute}) or, packed, as interleaved
 * panels ({@link #computeInterleaved}). The contract, including edge tiles and {@code beta == 0}, is
 * {@link dev.lanewise.kernels.internal.GemmMicroKernel}'s.
 */
final class GemmKernel6x2v extends VectorGemmKernel {

    private static final VectorSpecies<Float> S = FloatSpecies.FLOAT;
    private static final int L = S.length();
    private static final int MR = 6;
    private static final int NR = 2 * L;

    GemmKernel6x2v(VectorGemmKernel... rowTails) {
        super("6x2v", MR, NR, rowTails);
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
        FloatVector c0a = FloatVector.zero(S), c0b = FloatVector.zero(S);
        FloatVector c1a = c0a, c1b = c0b;
        FloatVector c2a = c0a, c2b = c0b;
        FloatVector c3a = c0a, c3b = c0b;
        FloatVector c4a = c0a, c4b = c0b;
        FloatVector c5a = c0a, c5b = c0b;
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
        } else {
            c0a.intoArray(scratch, 0 * L); c0b.intoArray(scratch, 1 * L);
            c1a.intoArray(scratch, 2 * L); c1b.intoArray(scratch, 3 * L);
            c2a.intoArray(scratch, 4 * L); c2b.intoArray(scratch, 5 * L);
            c3a.intoArray(scratch, 6 * L); c3b.intoArray(scratch, 7 * L);
            c4a.intoArray(scratch, 8 * L); c4b.intoArray(scratch, 9 * L);
            c5a.intoArray(scratch, 10 * L); c5b.intoArray(scratch, 11 * L);
            TileStore.store(scratch, MR, NR, m, n, alpha, beta, c, cOff, ldc, epilogue, row0, col0);
        }
    }

    @Override
    public boolean readsInterleavedA() {
        return true;
    }

    /**
     * The loop of {@link #compute} reading A's column {@code p} as 6 consecutive floats of an
     * interleaved panel, two steps of {@code p} per iteration (then one odd step): with A at
     * constant offsets from one index, a step is 2 vector loads, 6 broadcasts and 12 FMAs, and C2
     * keeps the 12 accumulators, both B vectors and the broadcasts in the 16 registers of AVX2
     * (measured under {@code -XX:UseAVX=2}: 106-111 GFLOP/s in L1 against 78-108 for the row-read
     * loop of {@link #compute}, whose six row offsets and spilled array bases cost it twice the
     * instructions per FMA). Each element is still one FMA chain in the order of {@code p}, so the
     * result is bit for bit that of {@link #compute}. The store is the same code as {@link #compute}'s
     * (vectors cannot be passed to a shared method without boxing).
     */
    @Override
    public void computeInterleaved(int m, int n, int k, float alpha, float[] a, int aOff,
                                   float[] b, int bOff, int ldb, float beta, float[] c, int cOff, int ldc,
                                   BoundEpilogue epilogue, int row0, int col0, float[] scratch) {
        assert m >= 1 && m <= MR && n >= 1 && n <= NR && k >= 0;
        FloatVector c0a = FloatVector.zero(S), c0b = FloatVector.zero(S);
        FloatVector c1a = c0a, c1b = c0b;
        FloatVector c2a = c0a, c2b = c0b;
        FloatVector c3a = c0a, c3b = c0b;
        FloatVector c4a = c0a, c4b = c0b;
        FloatVector c5a = c0a, c5b = c0b;
        int p = 0;
        int pa = aOff;
        int pb = bOff;
        for (; p + 2 <= k; p += 2, pa += 2 * MR, pb += 2 * ldb) {
            FloatVector b0 = FloatVector.fromArray(S, b, pb);
            FloatVector b1 = FloatVector.fromArray(S, b, pb + L);
            FloatVector ai = FloatVector.broadcast(S, a[pa]);
            c0a = ai.fma(b0, c0a); c0b = ai.fma(b1, c0b);
            ai = FloatVector.broadcast(S, a[pa + 1]);
            c1a = ai.fma(b0, c1a); c1b = ai.fma(b1, c1b);
            ai = FloatVector.broadcast(S, a[pa + 2]);
            c2a = ai.fma(b0, c2a); c2b = ai.fma(b1, c2b);
            ai = FloatVector.broadcast(S, a[pa + 3]);
            c3a = ai.fma(b0, c3a); c3b = ai.fma(b1, c3b);
            ai = FloatVector.broadcast(S, a[pa + 4]);
            c4a = ai.fma(b0, c4a); c4b = ai.fma(b1, c4b);
            ai = FloatVector.broadcast(S, a[pa + 5]);
            c5a = ai.fma(b0, c5a); c5b = ai.fma(b1, c5b);
            b0 = FloatVector.fromArray(S, b, pb + ldb);
            b1 = FloatVector.fromArray(S, b, pb + ldb + L);
            ai = FloatVector.broadcast(S, a[pa + 6]);
            c0a = ai.fma(b0, c0a); c0b = ai.fma(b1, c0b);
            ai = FloatVector.broadcast(S, a[pa + 7]);
            c1a = ai.fma(b0, c1a); c1b = ai.fma(b1, c1b);
            ai = FloatVector.broadcast(S, a[pa + 8]);
            c2a = ai.fma(b0, c2a); c2b = ai.fma(b1, c2b);
            ai = FloatVector.broadcast(S, a[pa + 9]);
            c3a = ai.fma(b0, c3a); c3b = ai.fma(b1, c3b);
            ai = FloatVector.broadcast(S, a[pa + 10]);
            c4a = ai.fma(b0, c4a); c4b = ai.fma(b1, c4b);
            ai = FloatVector.broadcast(S, a[pa + 11]);
            c5a = ai.fma(b0, c5a); c5b = ai.fma(b1, c5b);
        }
        if (p < k) {
            FloatVector b0 = FloatVector.fromArray(S, b, pb);
            FloatVector b1 = FloatVector.fromArray(S, b, pb + L);
            FloatVector ai = FloatVector.broadcast(S, a[pa]);
            c0a = ai.fma(b0, c0a); c0b = ai.fma(b1, c0b);
            ai = FloatVector.broadcast(S, a[pa + 1]);
            c1a = ai.fma(b0, c1a); c1b = ai.fma(b1, c1b);
            ai = FloatVector.broadcast(S, a[pa + 2]);
            c2a = ai.fma(b0, c2a); c2b = ai.fma(b1, c2b);
            ai = FloatVector.broadcast(S, a[pa + 3]);
            c3a = ai.fma(b0, c3a); c3b = ai.fma(b1, c3b);
            ai = FloatVector.broadcast(S, a[pa + 4]);
            c4a = ai.fma(b0, c4a); c4b = ai.fma(b1, c4b);
            ai = FloatVector.broadcast(S, a[pa + 5]);
            c5a = ai.fma(b0, c5a); c5b = ai.fma(b1, c5b);
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
        } else {
            c0a.intoArray(scratch, 0 * L); c0b.intoArray(scratch, 1 * L);
            c1a.intoArray(scratch, 2 * L); c1b.intoArray(scratch, 3 * L);
            c2a.intoArray(scratch, 4 * L); c2b.intoArray(scratch, 5 * L);
            c3a.intoArray(scratch, 6 * L); c3b.intoArray(scratch, 7 * L);
            c4a.intoArray(scratch, 8 * L); c4b.intoArray(scratch, 9 * L);
            c5a.intoArray(scratch, 10 * L); c5b.intoArray(scratch, 11 * L);
            TileStore.store(scratch, MR, NR, m, n, alpha, beta, c, cOff, ldc, epilogue, row0, col0);
        }
    }
}
