package dev.lanewise.kernels.ref;

import dev.lanewise.kernels.Epilogue;

/**
 * The naive GEMM the fast ones are tested against: three loops, a {@code double} accumulator, the
 * same layouts and semantics as {@link dev.lanewise.kernels.Sgemm}.
 *
 * <p>For every {@code 0 <= i < m, 0 <= j < n}:
 * <pre>
 *   s       = sum_{p < k} (double) op(A)(i, p) * op(B)(p, j)        (exact products, double sum)
 *   t       = alpha == 0 ? 0 : alpha * s                             (A and B unread when alpha == 0)
 *   t      += beta == 0 ? 0 : beta * C(i, j)                         (C unread when beta == 0)
 *   C(i, j) = act((float) (t + bias(i, j) + R(i, j)))                (R(i, j) = r[rOffset + i * ldr + j], or 0)
 * </pre>
 * with {@code act} the epilogue's activation: the identity, {@code min(max(v, lo), hi)}, or
 * {@code v < 0 ? negativeSlope * v : v}.
 * Not optimised, not validated beyond what Java's array checks do; writes only the {@code m x n}
 * elements of C. Thread-safe (no state).
 */
public final class RefGemm {

    private RefGemm() {
    }

    /** See the class documentation, without R; argument meanings as in {@link dev.lanewise.kernels.Sgemm}. */
    public static void sgemm(boolean transA, boolean transB, int m, int n, int k, float alpha,
                             float[] a, int aOffset, int lda, float[] b, int bOffset, int ldb,
                             float beta, float[] c, int cOffset, int ldc, Epilogue epilogue) {
        sgemm(transA, transB, m, n, k, alpha, a, aOffset, lda, b, bOffset, ldb, beta, c, cOffset, ldc, epilogue, null, 0, 0);
    }

    /** See the class documentation; {@code r} is R, or {@code null} for none. */
    public static void sgemm(boolean transA, boolean transB, int m, int n, int k, float alpha,
                             float[] a, int aOffset, int lda, float[] b, int bOffset, int ldb,
                             float beta, float[] c, int cOffset, int ldc, Epilogue epilogue,
                             float[] r, int rOffset, int ldr) {
        for (int i = 0; i < m; i++) {
            for (int j = 0; j < n; j++) {
                double t = 0;
                if (alpha != 0f) {
                    double s = 0;
                    for (int p = 0; p < k; p++) {
                        float aip = transA ? a[aOffset + p * lda + i] : a[aOffset + i * lda + p];
                        float bpj = transB ? b[bOffset + j * ldb + p] : b[bOffset + p * ldb + j];
                        s += (double) aip * bpj;
                    }
                    t = alpha * s;
                }
                int ci = cOffset + i * ldc + j;
                if (beta != 0f) {
                    t += (double) beta * c[ci];
                }
                switch (epilogue.biasKind()) {
                    case ROW -> t += epilogue.bias()[epilogue.biasOffset() + i];
                    case COLUMN -> t += epilogue.bias()[epilogue.biasOffset() + j];
                    case NONE -> { }
                }
                if (r != null) {
                    t += r[rOffset + i * ldr + j];
                }
                float v = (float) t;
                c[ci] = switch (epilogue.activation()) {
                    case IDENTITY -> v;
                    case CLAMP -> Math.min(Math.max(v, epilogue.lo()), epilogue.hi());
                    case LEAKY_RELU -> v < 0 ? epilogue.negativeSlope() * v : v;
                };
            }
        }
    }
}
