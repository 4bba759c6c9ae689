package dev.lanewise.kernels.internal;

/**
 * The kernel for GEMMs with few rows and a transposed B, {@code C = A * B^T} with A {@code m x k}
 * and B stored {@code n x k}: a dense layer at a small batch. Every element of C is then a dot
 * product of two contiguous rows, so the kernel streams B once, where the register-tiled kernel
 * would first have to transpose B into panels, a copy that costs more than the arithmetic.
 *
 * <h2>Contract</h2>
 * For {@code 0 <= i < m <= ROWS} and {@code 0 <= j < n <= COLS}:
 * <pre>
 *   s       = dot(A row i, B row j), partial sums in a fixed order (see the implementation)
 *   t       = beta == 0 ? alpha * s : fma(s, alpha, beta' * C(i, j))   (beta' * C = C when beta == 1)
 *   C(i, j) = epilogue.apply(t, row0 + i, col0 + j)   (BoundEpilogue#store)
 *   A row i = a[aOff + i * lda .. + k),  B row j = b[bOff + j * ldb .. + k),  C(i, j) = c[cOff + i * ldc + j]
 * </pre>
 * {@code beta == 0} means C is not read. Only the {@code m x n} block of C is written. The summation order depends on {@code k} only,
 * so results do not depend on the block a value is computed in. Stateless and thread-safe.
 */
public abstract class GemmDotKernel {

    /** Rows of A (and C) per call. */
    public static final int ROWS = 4;
    /** Rows of B (columns of C) per call. */
    public static final int COLS = 4;

    /**
     * Computes one block of at most {@code ROWS x COLS} elements of C; see the class documentation.
     * {@code scratch} holds {@link GemmMicroKernel#SCRATCH_FLOATS} floats of undefined contents (a
     * vector kernel's lane sums), which the kernel may overwrite.
     */
    public abstract void compute(int m, int n, int k, float alpha, float[] a, int aOff, int lda,
                                 float[] b, int bOff, int ldb, float beta, float[] c, int cOff, int ldc,
                                 BoundEpilogue epilogue, int row0, int col0, float[] scratch);
}
