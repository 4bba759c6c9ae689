package dev.lanewise.kernels.internal;

/**
 * Plain-Java GEMM micro-kernel for a 4 x 4 tile of C in 16 scalar accumulators: the fallback when
 * the Vector API is unavailable. Same contract as every {@link GemmMicroKernel}; it rounds like the
 * vector kernels ({@code fma} chains, the same store formula), though the two providers are not
 * promised to agree bit for bit.
 */
final class ScalarGemmKernel4x4 extends GemmMicroKernel {

    private static final int MR = 4;
    private static final int NR = 4;

    ScalarGemmKernel4x4() {
        super("scalar4x4", MR, NR);
    }

    @Override
    public void compute(int m, int n, int k, float alpha, float[] a, int aOff, int lda,
                        float[] b, int bOff, int ldb, float beta, float[] c, int cOff, int ldc,
                        BoundEpilogue epilogue, int row0, int col0, float[] scratch) {
        assert m >= 1 && m <= MR && n >= 1 && n <= NR && k >= 0;
        final int a0 = aOff;
        final int a1 = aOff + Math.min(1, m - 1) * lda;
        final int a2 = aOff + Math.min(2, m - 1) * lda;
        final int a3 = aOff + Math.min(3, m - 1) * lda;
        float c00 = 0, c01 = 0, c02 = 0, c03 = 0;
        float c10 = 0, c11 = 0, c12 = 0, c13 = 0;
        float c20 = 0, c21 = 0, c22 = 0, c23 = 0;
        float c30 = 0, c31 = 0, c32 = 0, c33 = 0;
        for (int p = 0, pb = bOff; p < k; p++, pb += ldb) {
            float b0 = b[pb];
            float b1 = b[pb + 1];
            float b2 = b[pb + 2];
            float b3 = b[pb + 3];
            float ai = a[a0 + p];
            c00 = Math.fma(ai, b0, c00); c01 = Math.fma(ai, b1, c01); c02 = Math.fma(ai, b2, c02); c03 = Math.fma(ai, b3, c03);
            ai = a[a1 + p];
            c10 = Math.fma(ai, b0, c10); c11 = Math.fma(ai, b1, c11); c12 = Math.fma(ai, b2, c12); c13 = Math.fma(ai, b3, c13);
            ai = a[a2 + p];
            c20 = Math.fma(ai, b0, c20); c21 = Math.fma(ai, b1, c21); c22 = Math.fma(ai, b2, c22); c23 = Math.fma(ai, b3, c23);
            ai = a[a3 + p];
            c30 = Math.fma(ai, b0, c30); c31 = Math.fma(ai, b1, c31); c32 = Math.fma(ai, b2, c32); c33 = Math.fma(ai, b3, c33);
        }
        scratch[0] = c00; scratch[1] = c01; scratch[2] = c02; scratch[3] = c03;
        scratch[4] = c10; scratch[5] = c11; scratch[6] = c12; scratch[7] = c13;
        scratch[8] = c20; scratch[9] = c21; scratch[10] = c22; scratch[11] = c23;
        scratch[12] = c30; scratch[13] = c31; scratch[14] = c32; scratch[15] = c33;
        for (int i = 0; i < m; i++) {
            for (int j = 0; j < n; j++) {
                epilogue.store(scratch[i * NR + j], alpha, beta, c, cOff + i * ldc + j, row0 + i, col0 + j);
            }
        }
    }
}
