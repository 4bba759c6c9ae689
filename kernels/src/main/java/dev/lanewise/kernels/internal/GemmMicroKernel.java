package dev.lanewise.kernels.internal;

import dev.lanewise.kernels.Epilogue;

/**
 * A register-tiled GEMM micro-kernel: the only code that does the arithmetic of a GEMM. The
 * {@link GemmDriver} cuts a problem into {@code MR x NR} tiles of C and calls one of these per tile.
 *
 * <h2>Contract</h2>
 * For {@code 0 <= i < m} and {@code 0 <= j < n} a call computes
 * <pre>
 *   s       = sum_{p = 0}^{k-1} A(i, p) * B(p, j)                  (an FMA chain in the order of p)
 *   t       = beta == 0 ? alpha * s : fma(s, alpha, beta' * C(i, j))  (beta' * C = C when beta == 1)
 *   C(i, j) = epilogue(t)                                           (bias, then clamp)
 *   C(i, j) = c[cOff + i * ldc + j]
 * </pre>
 * with A and B read in one of two layouts:
 * <ul>
 *   <li>{@link #computePacked}: micro-panels packed by the driver,
 *       {@code A(i, p) = a[aOff + p * MR + i]}, {@code B(p, j) = b[bOff + p * NR + j]}. The
 *       strides are constants, which lets the JIT drop the range checks from the loop.</li>
 *   <li>{@link #computeStrided}: A read in place row by row and B through a row stride,
 *       {@code A(i, p) = a[aOff + min(i, m - 1) * lda + p]}, {@code B(p, j) = b[bOff + p * ldb + j]}:
 *       small problems, where packing would cost more than it saves.</li>
 * </ul>
 * <ul>
 *   <li>{@code 1 <= m <= mr()}, {@code 1 <= n <= nr()}, {@code k >= 0}. Rows {@code i >= m} of a tile
 *       are computed from row {@code m - 1} (strided) or from padding (packed) and discarded.</li>
 *   <li>B is always read {@code nr()} columns wide: {@code B(p, nr() - 1)} must exist for every
 *       {@code p < k} (packed panels are zero-padded; in-place B is only used for full-width tiles).</li>
 *   <li>{@code beta == 0} means C is write-only: it is never read and may hold NaN.</li>
 *   <li>Only the {@code m x n} tile of C is written; edge tiles are the kernel's job.</li>
 *   <li>The bias index of tile row {@code i} is {@code row0 + i}, of tile column {@code j} is
 *       {@code col0 + j}.</li>
 *   <li>{@code scratch} holds at least {@link #SCRATCH_FLOATS} floats of per-thread scratch space.</li>
 * </ul>
 * The arithmetic of one element of C never depends on where the element lies in a tile, on
 * {@code m} or {@code n}, on the layout, or on which kernel of one provider computes it; this is what
 * makes results bit-identical for any thread count and any partition of the work.
 *
 * <p>Kernels are stateless, allocation-free and thread-safe. Preconditions are checked with
 * {@code assert} only: the public facades validate arguments once.
 */
public abstract class GemmMicroKernel {

    /** Scratch floats a kernel may use per call: enough for the largest tile, 16 x 64. */
    public static final int SCRATCH_FLOATS = 16 * 64;

    private final String name;
    private final int mr;
    private final int nr;

    protected GemmMicroKernel(String name, int mr, int nr) {
        assert mr * nr <= SCRATCH_FLOATS;
        this.name = name;
        this.mr = mr;
        this.nr = nr;
    }

    /** A name that says what the kernel is: rows x vectors, e.g. {@code "12x2v"}. */
    public final String name() {
        return name;
    }

    /** Rows of C per tile. */
    public final int mr() {
        return mr;
    }

    /** Columns of C per tile. */
    public final int nr() {
        return nr;
    }

    /** One tile from packed micro-panels; see the class documentation. */
    public abstract void computePacked(int m, int n, int k, float alpha, float[] a, int aOff, float[] b, int bOff,
                                       float beta, float[] c, int cOff, int ldc,
                                       Epilogue epilogue, int row0, int col0, float[] scratch);

    /** One tile from row-major A and B read in place; see the class documentation. */
    public abstract void computeStrided(int m, int n, int k, float alpha, float[] a, int aOff, int lda,
                                        float[] b, int bOff, int ldb, float beta, float[] c, int cOff, int ldc,
                                        Epilogue epilogue, int row0, int col0, float[] scratch);

    /**
     * Packs the {@code rows x kc} block of op(A) whose element (0, 0) is {@code a[aOff]} into one
     * micro-panel, {@code dst[dstOff + p * MR + i] = op(A)(i, p)}, zero-padding rows {@code rows .. MR-1}.
     * op(A)(i, p) is {@code a[aOff + p * lda + i]} when {@code transA}, else {@code a[aOff + i * lda + p]}.
     * This plain-Java version serves every kernel; vector kernels override it with faster copies.
     */
    public void packA(boolean transA, float[] a, int aOff, int lda, int rows, int kc, float[] dst, int dstOff) {
        for (int p = 0; p < kc; p++) {
            int d = dstOff + p * mr;
            for (int i = 0; i < mr; i++) {
                dst[d + i] = i >= rows ? 0f : transA ? a[aOff + p * lda + i] : a[aOff + i * lda + p];
            }
        }
    }

    /**
     * Packs the {@code kc x cols} block of op(B) whose element (0, 0) is {@code b[bOff]} into one
     * micro-panel, {@code dst[dstOff + p * NR + j] = op(B)(p, j)}, zero-padding columns
     * {@code cols .. NR-1}. op(B)(p, j) is {@code b[bOff + j * ldb + p]} when {@code transB}, else
     * {@code b[bOff + p * ldb + j]}. Plain Java; vector kernels override it.
     */
    public void packB(boolean transB, float[] b, int bOff, int ldb, int cols, int kc, float[] dst, int dstOff) {
        for (int p = 0; p < kc; p++) {
            int d = dstOff + p * nr;
            for (int j = 0; j < nr; j++) {
                dst[d + j] = j >= cols ? 0f : transB ? b[bOff + j * ldb + p] : b[bOff + p * ldb + j];
            }
        }
    }

    @Override
    public String toString() {
        return name;
    }
}
