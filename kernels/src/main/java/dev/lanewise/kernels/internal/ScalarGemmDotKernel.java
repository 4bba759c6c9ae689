package dev.lanewise.kernels.internal;

/** Plain-Java {@link GemmDotKernel}: one FMA chain over p per element. */
final class ScalarGemmDotKernel extends GemmDotKernel {

    @Override
    public void compute(int m, int n, int k, float alpha, float[] a, int aOff, int lda,
                        float[] b, int bOff, int ldb, float beta, float[] c, int cOff, int ldc,
                        BoundEpilogue epilogue, int row0, int col0, float[] scratch) {
        for (int i = 0; i < m; i++) {
            for (int j = 0; j < n; j++) {
                int ai = aOff + i * lda;
                int bj = bOff + j * ldb;
                float s = 0f;
                for (int p = 0; p < k; p++) {
                    s = Math.fma(a[ai + p], b[bj + p], s);
                }
                epilogue.store(s, alpha, beta, c, cOff + i * ldc + j, row0 + i, col0 + j);
            }
        }
    }
}
