package dev.lanewise.kernels.internal.vector;

import dev.lanewise.kernels.internal.BoundEpilogue;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorSpecies;

/**
 * GEMM micro-kernel for a tile of 6 rows x 1 vector of C (6 x L floats, L = lanes of
 * {@link FloatSpecies#FLOAT}), held in 6 accumulator registers: the column tail of
 * {@link GemmKernel6x2v}, which takes the last column panel of a block when it holds at most
 * {@code L} columns (a 49-column GEMM is 3 panels of 16 and one of 1, whose 16-wide tile cost
 * the 512 x 49 x 4608 GEMM of ResNet-50's last 3x3 convolution a fifth of its speed under
 * {@code -XX:UseAVX=2}).
 *
 * <p>Per step {@code p}: 1 vector load of B's row, 6 broadcasts of A's column, 6 FMAs into
 * independent accumulators; A by rows ({@link #compute}) or as 6-interleaved panels
 * ({@link #computeInterleaved}), the layout {@link GemmKernel6x2v} packs, and B with any row stride
 * (a 2-vector packed panel is read with {@code ldb = 2L}). The contract, including edge tiles and
 * {@code beta == 0}, is {@link dev.lanewise.kernels.internal.GemmMicroKernel}'s, and every element is
 * the same FMA chain as in {@link GemmKernel6x2v}, so the two kernels' results are bit-identical.
 */
final class GemmKernel6x1v extends VectorGemmKernel {

    private static final VectorSpecies<Float> S = FloatSpecies.FLOAT;
    private static final int L = S.length();
    private static final int MR = 6;
    private static final int NR = L;

    GemmKernel6x1v() {
        super("6x1v", MR, NR);
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
        FloatVector c0 = FloatVector.zero(S);
        FloatVector c1 = c0, c2 = c0, c3 = c0, c4 = c0, c5 = c0;
        for (int p = 0, pb = bOff; p < k; p++, pb += ldb) {
            FloatVector b0 = FloatVector.fromArray(S, b, pb);
            c0 = FloatVector.broadcast(S, a[a0 + p]).fma(b0, c0);
            c1 = FloatVector.broadcast(S, a[a1 + p]).fma(b0, c1);
            c2 = FloatVector.broadcast(S, a[a2 + p]).fma(b0, c2);
            c3 = FloatVector.broadcast(S, a[a3 + p]).fma(b0, c3);
            c4 = FloatVector.broadcast(S, a[a4 + p]).fma(b0, c4);
            c5 = FloatVector.broadcast(S, a[a5 + p]).fma(b0, c5);
        }
        if (m == MR && n == NR && (beta == 0f || beta == 1f) && epilogue.isIdentity()) {
            // The hot cases store straight from registers, rounding as TileStore.store does
            // (beta == 0: fma(s, alpha, -0) is exactly alpha * s; see TileStore).
            FloatVector alphaV = FloatVector.broadcast(S, alpha);
            FloatVector negZero = FloatVector.broadcast(S, -0f);
            c0.fma(alphaV, beta == 0f ? negZero : FloatVector.fromArray(S, c, cOff)).intoArray(c, cOff);
            c1.fma(alphaV, beta == 0f ? negZero : FloatVector.fromArray(S, c, cOff + ldc)).intoArray(c, cOff + ldc);
            c2.fma(alphaV, beta == 0f ? negZero : FloatVector.fromArray(S, c, cOff + 2 * ldc)).intoArray(c, cOff + 2 * ldc);
            c3.fma(alphaV, beta == 0f ? negZero : FloatVector.fromArray(S, c, cOff + 3 * ldc)).intoArray(c, cOff + 3 * ldc);
            c4.fma(alphaV, beta == 0f ? negZero : FloatVector.fromArray(S, c, cOff + 4 * ldc)).intoArray(c, cOff + 4 * ldc);
            c5.fma(alphaV, beta == 0f ? negZero : FloatVector.fromArray(S, c, cOff + 5 * ldc)).intoArray(c, cOff + 5 * ldc);
        } else {
            c0.intoArray(scratch, 0);
            c1.intoArray(scratch, L);
            c2.intoArray(scratch, 2 * L);
            c3.intoArray(scratch, 3 * L);
            c4.intoArray(scratch, 4 * L);
            c5.intoArray(scratch, 5 * L);
            TileStore.store(scratch, MR, NR, m, n, alpha, beta, c, cOff, ldc, epilogue, row0, col0);
        }
    }

    @Override
    public boolean readsInterleavedA() {
        return true;
    }

    /**
     * The loop of {@link #compute} reading A's column {@code p} as 6 consecutive floats of an
     * interleaved panel; the store is the same code as {@link #compute}'s (vectors cannot be passed
     * to a shared method without boxing).
     */
    @Override
    public void computeInterleaved(int m, int n, int k, float alpha, float[] a, int aOff,
                                   float[] b, int bOff, int ldb, float beta, float[] c, int cOff, int ldc,
                                   BoundEpilogue epilogue, int row0, int col0, float[] scratch) {
        assert m >= 1 && m <= MR && n >= 1 && n <= NR && k >= 0;
        FloatVector c0 = FloatVector.zero(S);
        FloatVector c1 = c0, c2 = c0, c3 = c0, c4 = c0, c5 = c0;
        for (int p = 0, pa = aOff, pb = bOff; p < k; p++, pa += MR, pb += ldb) {
            FloatVector b0 = FloatVector.fromArray(S, b, pb);
            c0 = FloatVector.broadcast(S, a[pa]).fma(b0, c0);
            c1 = FloatVector.broadcast(S, a[pa + 1]).fma(b0, c1);
            c2 = FloatVector.broadcast(S, a[pa + 2]).fma(b0, c2);
            c3 = FloatVector.broadcast(S, a[pa + 3]).fma(b0, c3);
            c4 = FloatVector.broadcast(S, a[pa + 4]).fma(b0, c4);
            c5 = FloatVector.broadcast(S, a[pa + 5]).fma(b0, c5);
        }
        if (m == MR && n == NR && (beta == 0f || beta == 1f) && epilogue.isIdentity()) {
            // The hot cases store straight from registers, rounding as TileStore.store does
            // (beta == 0: fma(s, alpha, -0) is exactly alpha * s; see TileStore).
            FloatVector alphaV = FloatVector.broadcast(S, alpha);
            FloatVector negZero = FloatVector.broadcast(S, -0f);
            c0.fma(alphaV, beta == 0f ? negZero : FloatVector.fromArray(S, c, cOff)).intoArray(c, cOff);
            c1.fma(alphaV, beta == 0f ? negZero : FloatVector.fromArray(S, c, cOff + ldc)).intoArray(c, cOff + ldc);
            c2.fma(alphaV, beta == 0f ? negZero : FloatVector.fromArray(S, c, cOff + 2 * ldc)).intoArray(c, cOff + 2 * ldc);
            c3.fma(alphaV, beta == 0f ? negZero : FloatVector.fromArray(S, c, cOff + 3 * ldc)).intoArray(c, cOff + 3 * ldc);
            c4.fma(alphaV, beta == 0f ? negZero : FloatVector.fromArray(S, c, cOff + 4 * ldc)).intoArray(c, cOff + 4 * ldc);
            c5.fma(alphaV, beta == 0f ? negZero : FloatVector.fromArray(S, c, cOff + 5 * ldc)).intoArray(c, cOff + 5 * ldc);
        } else {
            c0.intoArray(scratch, 0);
            c1.intoArray(scratch, L);
            c2.intoArray(scratch, 2 * L);
            c3.intoArray(scratch, 3 * L);
            c4.intoArray(scratch, 4 * L);
            c5.intoArray(scratch, 5 * L);
            TileStore.store(scratch, MR, NR, m, n, alpha, beta, c, cOff, ldc, epilogue, row0, col0);
        }
    }
}
