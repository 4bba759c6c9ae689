package dev.lanewise.kernels;

import dev.lanewise.kernels.internal.Checks;
import dev.lanewise.kernels.internal.GemmConfig;
import dev.lanewise.kernels.internal.GemmDriver;
import dev.lanewise.kernels.internal.GemmMicroKernel;
import dev.lanewise.kernels.internal.Providers;
import dev.lanewise.kernels.internal.Workspace;
import dev.lanewise.kernels.internal.SharedPool;
import java.util.Objects;

/**
 * Single-precision general matrix multiply, {@code C = alpha * op(A) * op(B) + beta * C}, with the
 * argument order of CBLAS {@code cblas_sgemm(CblasRowMajor, ...)}.
 *
 * <h2>Layout</h2>
 * All matrices are row-major with a leading dimension (elements between the starts of two rows):
 * <pre>
 *   op(A)(i, p) = transA ? a[aOffset + p * lda + i] : a[aOffset + i * lda + p]   op(A) is m x k
 *   op(B)(p, j) = transB ? b[bOffset + j * ldb + p] : b[bOffset + p * ldb + j]   op(B) is k x n
 *   C(i, j)     = c[cOffset + i * ldc + j]                                       C is m x n
 *   R(i, j)     = r[rOffset + i * ldr + j]                                       R is m x n (residual)
 * </pre>
 * so {@code lda >= max(1, transA ? m : k)}, {@code ldb >= max(1, transB ? k : n)},
 * {@code ldc >= max(1, n)} and {@code ldr >= max(1, n)}.
 *
 * <h2>Semantics</h2>
 * <ul>
 *   <li>{@code beta == 0}: C is write-only; it is never read, so NaN or infinity in C does not
 *       leak into the result (as BLAS specifies).</li>
 *   <li>{@code alpha == 0} or {@code k == 0}: A and B are not read and {@code C = beta * C}.</li>
 *   <li>{@code m == 0} or {@code n == 0}: nothing is read or written.</li>
 *   <li>With an {@link Epilogue}, a bias, a residual addend R (when the call passes one) and an
 *       activation are applied to each element as it is stored, after the whole sum, in that order
 *       (see {@link Epilogue}). R is read as each tile of C is stored, never in a second pass.</li>
 * </ul>
 * Only the {@code m x n} elements of C are written; A, B, the bias and R are not modified.
 *
 * <h2>Accuracy and determinism</h2>
 * Each element is a chain of fused multiply-adds over {@code p} in blocks of the configured depth,
 * so {@code |C - exact| <= ~k * 2^-23 * sum_p |a_ip * b_pj|} (times {@code |alpha|}, plus the rounding
 * of the beta term). Results are bit-identical for any thread count and between calls; they may
 * differ in the last bits between the vector and the scalar implementation, or when the block sizes
 * are changed.
 *
 * <h2>Threads and memory</h2>
 * Uses up to {@link Lanewise#threads()} threads. Safe to call concurrently from many threads. After
 * the first calls, a call allocates nothing: packed operands live in a per-thread workspace of at
 * most {@link #workspaceBytesPerThread()} bytes.
 *
 * <h2>Errors</h2>
 * Arguments are checked before anything is written: negative sizes and leading dimensions shorter
 * than a row throw {@link IllegalArgumentException}; offsets or matrix extents outside the arrays
 * throw {@link IndexOutOfBoundsException}; a null array throws {@link NullPointerException}; C
 * overlapping A, B, the bias or R in the same array throws {@link IllegalArgumentException}. Ranges
 * are compared from first to last element, so C and R interleaved row by row in one array count as
 * overlapping. R may overlap A, B or the bias: all four are only read.
 */
public final class Sgemm {

    private Sgemm() {
    }

    /**
     * {@code C = alpha * op(A) * op(B) + beta * C}; see the class documentation.
     *
     * @param transA  read A as {@code k x m} (its transpose is op(A))
     * @param transB  read B as {@code n x k} (its transpose is op(B))
     * @param m       rows of op(A) and C, {@code >= 0}
     * @param n       columns of op(B) and C, {@code >= 0}
     * @param k       columns of op(A) and rows of op(B), {@code >= 0}
     * @param alpha   scale of the product
     * @param a       A; not modified
     * @param aOffset index of A's first element
     * @param lda     leading dimension of A
     * @param b       B; not modified
     * @param bOffset index of B's first element
     * @param ldb     leading dimension of B
     * @param beta    scale of C's old value; 0 means C is not read
     * @param c       C; its {@code m x n} elements are overwritten, nothing else
     * @param cOffset index of C's first element
     * @param ldc     leading dimension of C
     */
    public static void sgemm(boolean transA, boolean transB, int m, int n, int k, float alpha,
                             float[] a, int aOffset, int lda, float[] b, int bOffset, int ldb,
                             float beta, float[] c, int cOffset, int ldc) {
        sgemm(transA, transB, m, n, k, alpha, a, aOffset, lda, b, bOffset, ldb, beta, c, cOffset, ldc, Epilogue.NONE);
    }

    /**
     * {@code C = epilogue(alpha * op(A) * op(B) + beta * C)}: as
     * {@link #sgemm(boolean, boolean, int, int, int, float, float[], int, int, float[], int, int, float, float[], int, int)},
     * with a bias and activation fused into the store of C. A row bias needs {@code m} values, a
     * column bias {@code n}.
     */
    public static void sgemm(boolean transA, boolean transB, int m, int n, int k, float alpha,
                             float[] a, int aOffset, int lda, float[] b, int bOffset, int ldb,
                             float beta, float[] c, int cOffset, int ldc, Epilogue epilogue) {
        check(transA, transB, m, n, k, a, aOffset, lda, b, bOffset, ldb, c, cOffset, ldc, epilogue);
        GemmDriver.sgemm(Providers.current().gemmFor(m, n), SharedPool.get(), transA, transB, m, n, k, alpha,
                a, aOffset, lda, b, bOffset, ldb, beta, c, cOffset, ldc, epilogue, null, 0, 0);
    }

    /**
     * {@code C = act(alpha * op(A) * op(B) + beta * C + bias + R)}: as
     * {@link #sgemm(boolean, boolean, int, int, int, float, float[], int, int, float[], int, int, float, float[], int, int, Epilogue)},
     * with the residual {@code R(i, j) = r[rOffset + i * ldr + j]} added after the bias and before the
     * activation (the order and rounding of {@link Epilogue}), as C is stored.
     *
     * <p>R must not overlap C, not even as exactly C's range: C holds partial sums between the
     * k-blocks of a long sum, and R is read only when the last one is stored. To accumulate into C
     * in place, pass {@code beta = 1} without R (a different rounding order: {@code fma(s, alpha, C)},
     * then the bias).
     *
     * @param r       R, {@code m x n}; not modified
     * @param rOffset index of R's first element
     * @param ldr     leading dimension of R, {@code >= max(1, n)}
     * @throws IllegalArgumentException if R overlaps C, or {@code ldr < max(1, n)}
     */
    public static void sgemm(boolean transA, boolean transB, int m, int n, int k, float alpha,
                             float[] a, int aOffset, int lda, float[] b, int bOffset, int ldb,
                             float beta, float[] c, int cOffset, int ldc, Epilogue epilogue,
                             float[] r, int rOffset, int ldr) {
        long cEnd = check(transA, transB, m, n, k, a, aOffset, lda, b, bOffset, ldb, c, cOffset, ldc, epilogue);
        long rEnd = Checks.matrix("r", r, rOffset, m, n, ldr, "ldr");
        Checks.noOverlap("c", c, cOffset, cEnd, "r", r, rOffset, rEnd);
        GemmDriver.sgemm(Providers.current().gemmFor(m, n), SharedPool.get(), transA, transB, m, n, k, alpha,
                a, aOffset, lda, b, bOffset, ldb, beta, c, cOffset, ldc, epilogue, r, rOffset, ldr);
    }

    /**
     * Upper bound of the workspace one thread keeps for GEMM calls (packed blocks of A and B plus
     * kernel scratch), whatever the problem size.
     */
    public static long workspaceBytesPerThread() {
        long floats = 0;
        for (GemmConfig config : Providers.current().gemmChoices()) {
            floats = Math.max(floats, (long) config.packedAFloats() + config.packedBFloats());
        }
        return Float.BYTES * (floats + GemmMicroKernel.SCRATCH_FLOATS) + Integer.BYTES * Workspace.GATHER_INTS;
    }

    /** The argument checks of the class documentation but R's; returns the end of C's range. */
    private static long check(boolean transA, boolean transB, int m, int n, int k,
                      float[] a, int aOffset, int lda, float[] b, int bOffset, int ldb,
                      float[] c, int cOffset, int ldc, Epilogue epilogue) {
        Checks.nonNegative("m", m);
        Checks.nonNegative("n", n);
        Checks.nonNegative("k", k);
        Objects.requireNonNull(epilogue, "epilogue");
        long aEnd = transA ? Checks.matrix("a", a, aOffset, k, m, lda, "lda")
                : Checks.matrix("a", a, aOffset, m, k, lda, "lda");
        long bEnd = transB ? Checks.matrix("b", b, bOffset, n, k, ldb, "ldb")
                : Checks.matrix("b", b, bOffset, k, n, ldb, "ldb");
        long cEnd = Checks.matrix("c", c, cOffset, m, n, ldc, "ldc");
        Checks.noOverlap("c", c, cOffset, cEnd, "a", a, aOffset, aEnd);
        Checks.noOverlap("c", c, cOffset, cEnd, "b", b, bOffset, bEnd);
        if (epilogue.biasKind() != Epilogue.Bias.NONE) {
            int count = epilogue.biasKind() == Epilogue.Bias.ROW ? m : n;
            long biasEnd = Checks.vector("bias", epilogue.bias(), epilogue.biasOffset(), count);
            Checks.noOverlap("c", c, cOffset, cEnd, "bias", epilogue.bias(), epilogue.biasOffset(), biasEnd);
        }
        return cEnd;
    }
}
