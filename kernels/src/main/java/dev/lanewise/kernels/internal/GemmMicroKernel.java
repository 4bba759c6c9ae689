package dev.lanewise.kernels.internal;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;

/**
 * A register-tiled GEMM micro-kernel: the only code that does the arithmetic of a GEMM. The
 * {@link GemmDriver} cuts a problem into {@code MR x NR} tiles of C and calls one of these per tile.
 *
 * <h2>Contract</h2>
 * For {@code 0 <= i < m} and {@code 0 <= j < n} a call computes
 * <pre>
 *   s       = sum_{p = 0}^{k-1} A(i, p) * B(p, j)                  (an FMA chain in the order of p)
 *   t       = beta == 0 ? alpha * s : fma(s, alpha, beta' * C(i, j))  (beta' * C = C when beta == 1)
 *   C(i, j) = epilogue.apply(t, row0 + i, col0 + j)               (bias, residual, activation)
 *   A(i, p) = a[aOff + min(i, m - 1) * lda + p]
 *   B(p, j) = b[bOff + p * ldb + j]
 *   C(i, j) = c[cOff + i * ldc + j]
 * </pre>
 * A and B are row-major with a row stride: either the caller's matrices read in place, or
 * micro-panels packed by {@link #packA} ({@code lda = kc}) and {@link #packB} ({@code ldb = NR}).
 * The kernel cannot tell the two apart.
 * <ul>
 *   <li>{@code 1 <= m <= mr()}, {@code 1 <= n <= nr()}, {@code k >= 0}. Rows {@code i >= m} of a tile
 *       are computed from row {@code m - 1} and discarded, so A needs only its {@code m} real rows.</li>
 *   <li>B is always read {@code nr()} columns wide: {@code B(p, nr() - 1)} must exist for every
 *       {@code p < k} (packed panels are zero-padded; in-place B is only used for full-width tiles).</li>
 *   <li>{@code beta == 0} means C is write-only: it is never read and may hold NaN.</li>
 *   <li>Only the {@code m x n} tile of C is written; edge tiles are the kernel's job.</li>
 *   <li>The epilogue sees tile element {@code (i, j)} as {@code (row0 + i, col0 + j)}: its bias and
 *       residual are indexed by C's coordinates, not the tile's.</li>
 *   <li>{@code scratch} holds at least {@link #SCRATCH_FLOATS} floats of per-thread scratch space.</li>
 * </ul>
 * The arithmetic of one element of C never depends on where the element lies in a tile, on
 * {@code m} or {@code n}, on packing, or on which kernel of one provider computes it; this is what
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
    private final GemmMicroKernel[] rowTails;
    private final GemmMicroKernel[] columnTails;

    /**
     * @param tails smaller kernels for the edges of a block. A row tail has the same {@code nr} and
     *              fewer rows: {@link #forRows} picks the smallest that covers the last row panel,
     *              so a 4-row remainder does not cost a 12-row tile. A column tail has the same
     *              {@code mr}, fewer columns and the same A layout ({@link #readsInterleavedA}):
     *              {@link #forColumns} picks the smallest that covers the last column panel.
     */
    protected GemmMicroKernel(String name, int mr, int nr, GemmMicroKernel... tails) {
        if (mr * nr > SCRATCH_FLOATS) {
            throw new IllegalArgumentException(name + ": tile larger than the scratch space");
        }
        List<GemmMicroKernel> rows = new ArrayList<>();
        List<GemmMicroKernel> columns = new ArrayList<>();
        for (GemmMicroKernel tail : tails) {
            if (tail.nr() == nr && tail.mr() < mr) {
                rows.add(tail);
            } else if (tail.mr() == mr && tail.nr() < nr && tail.readsInterleavedA() == readsInterleavedA()) {
                // (readsInterleavedA is a constant of each kernel class, so calling it here is safe)
                columns.add(tail);
            } else {
                throw new IllegalArgumentException(name + ": tail " + tail.name() + " must have NR = " + nr
                        + " and fewer rows, or MR = " + mr + ", fewer columns and the same A layout");
            }
        }
        rows.sort(Comparator.comparingInt(GemmMicroKernel::mr));
        columns.sort(Comparator.comparingInt(GemmMicroKernel::nr));
        this.name = name;
        this.mr = mr;
        this.nr = nr;
        this.rowTails = rows.toArray(GemmMicroKernel[]::new);
        this.columnTails = columns.toArray(GemmMicroKernel[]::new);
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

    /**
     * The kernel for a panel of {@code rows <= mr()} rows: the smallest row tail that covers it,
     * else this kernel. All of them round identically (see the contract).
     */
    public final GemmMicroKernel forRows(int rows) {
        for (GemmMicroKernel tail : rowTails) {
            if (rows <= tail.mr()) {
                return tail;
            }
        }
        return this;
    }

    /**
     * The kernel for a panel of {@code cols <= nr()} columns: the narrowest column tail that covers
     * it, else this kernel. A column tail reads this kernel's packed A and any B panel (with this
     * kernel's {@code ldb}) and rounds identically.
     */
    public final GemmMicroKernel forColumns(int cols) {
        for (GemmMicroKernel tail : columnTails) {
            if (cols <= tail.nr()) {
                return tail;
            }
        }
        return this;
    }

    /** Computes one tile of C; see the class documentation. */
    public abstract void compute(int m, int n, int k, float alpha, float[] a, int aOff, int lda,
                                 float[] b, int bOff, int ldb, float beta, float[] c, int cOff, int ldc,
                                 BoundEpilogue epilogue, int row0, int col0, float[] scratch);

    /**
     * Packs the {@code rows x kc} block of op(A) whose element (0, 0) is {@code a[aOff]} into one
     * row-major micro-panel, {@code dst[dstOff + i * kc + p] = op(A)(i, p)} for {@code i < rows}; the
     * kernel never reads rows past {@code rows}. op(A)(i, p) is {@code a[aOff + p * lda + i]} when
     * {@code transA} (a transpose), else {@code a[aOff + i * lda + p]} (a copy of each row).
     */
    public void packA(boolean transA, float[] a, int aOff, int lda, int rows, int kc, float[] dst, int dstOff) {
        for (int i = 0; i < rows; i++) {
            if (transA) {
                for (int p = 0, d = dstOff + i * kc; p < kc; p++) {
                    dst[d + p] = a[aOff + p * lda + i];
                }
            } else {
                System.arraycopy(a, aOff + i * lda, dst, dstOff + i * kc, kc);
            }
        }
    }

    /**
     * Whether this kernel also reads packed A as MR-interleaved panels ({@link #packAInterleaved},
     * {@link #computeInterleaved}): one contiguous stream of {@code MR} floats per step instead of
     * {@code MR} row streams, 14 % faster in the 12x2v loop (measured on the benchmark machine). The driver then uses
     * it whenever it packs A; in-place A keeps {@link #compute}.
     */
    public boolean readsInterleavedA() {
        return false;
    }

    /**
     * Packs the {@code rows x kc} block of op(A) whose element (0, 0) is {@code a[aOff]} into one
     * MR-interleaved micro-panel, {@code dst[dstOff + p * MR + i] = op(A)(i, p)}, zero for
     * {@code rows <= i < MR}; op(A) as in {@link #packA}.
     *
     * <p>A transposed A already holds each step's column contiguously. Otherwise the copy is a
     * transpose: it reads four rows at a time, sequentially, and writes them four floats per step,
     * which keeps four read streams and one write stream (2.2 times faster than writing each step's
     * {@code MR} floats from {@code MR} rows, which is bound by the loads of twelve streams).
     */
    public void packAInterleaved(boolean transA, float[] a, int aOff, int lda, int rows, int kc, float[] dst, int dstOff) {
        if (transA) {
            for (int p = 0, s = aOff, d = dstOff; p < kc; p++, s += lda, d += mr) {
                System.arraycopy(a, s, dst, d, rows);
                Arrays.fill(dst, d + rows, d + mr, 0f);
            }
            return;
        }
        int i = 0;
        for (; i + 4 <= rows; i += 4) {
            int s0 = aOff + i * lda;
            int s1 = s0 + lda;
            int s2 = s1 + lda;
            int s3 = s2 + lda;
            for (int p = 0, d = dstOff + i; p < kc; p++, d += mr) {
                dst[d] = a[s0 + p];
                dst[d + 1] = a[s1 + p];
                dst[d + 2] = a[s2 + p];
                dst[d + 3] = a[s3 + p];
            }
        }
        for (; i < rows; i++) {
            int s = aOff + i * lda;
            for (int p = 0, d = dstOff + i; p < kc; p++, d += mr) {
                dst[d] = a[s + p];
            }
        }
        for (; i < mr; i++) {
            for (int p = 0, d = dstOff + i; p < kc; p++, d += mr) {
                dst[d] = 0f;
            }
        }
    }

    /**
     * {@link #compute} with A read from an MR-interleaved panel, {@code A(i, p) = a[aOff + p * MR + i]}
     * (rows past {@code m} are the panel's zero padding), with the same arithmetic bit for bit. Only
     * kernels whose {@link #readsInterleavedA} is true implement it.
     */
    public void computeInterleaved(int m, int n, int k, float alpha, float[] a, int aOff,
                                   float[] b, int bOff, int ldb, float beta, float[] c, int cOff, int ldc,
                                   BoundEpilogue epilogue, int row0, int col0, float[] scratch) {
        throw new UnsupportedOperationException(name + " reads A by rows only");
    }

    /**
     * Packs the {@code kc x cols} block of op(B) whose element (0, 0) is {@code b[bOff]} into one
     * micro-panel, {@code dst[dstOff + p * NR + j] = op(B)(p, j)}, zero-padding columns
     * {@code cols .. NR-1}. op(B)(p, j) is {@code b[bOff + j * ldb + p]} when {@code transB}, else
     * {@code b[bOff + p * ldb + j]}. {@code gather} is scratch of {@link Workspace#GATHER_INTS} ints
     * for a vector kernel's gather offsets. Plain Java; vector kernels override it.
     */
    public void packB(boolean transB, float[] b, int bOff, int ldb, int cols, int kc, float[] dst, int dstOff,
                      int[] gather) {
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
