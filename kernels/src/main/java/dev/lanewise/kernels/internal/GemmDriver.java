package dev.lanewise.kernels.internal;

import dev.lanewise.kernels.Epilogue;

/**
 * The loops around a GEMM micro-kernel: cache blocking, packing and the split across threads.
 * Computes {@code C = epilogue(alpha * op(A) * op(B) + beta * C)}, the epilogue with its residual
 * {@code R(i, j) = r[rOff + i * ldr + j]} (see {@link BoundEpilogue}), with arguments the facade has
 * already validated.
 *
 * <h2>Layouts</h2>
 * Row-major with leading dimensions, CBLAS meaning for transposes:
 * <pre>
 *   op(A)(i, p) = transA ? a[aOff + p * lda + i] : a[aOff + i * lda + p]     (m x k)
 *   op(B)(p, j) = transB ? b[bOff + j * ldb + p] : b[bOff + p * ldb + j]     (k x n)
 *   C(i, j)     = c[cOff + i * ldc + j]                                      (m x n)
 * </pre>
 * Packed A holds one {@code mc x kc} block as micro-panels of {@code MR} rows, row-major,
 * {@code packedA[(ir + i) * kc + p]}, or, for kernels that read them
 * ({@link GemmMicroKernel#readsInterleavedA}), MR-interleaved and zero-padded to MR rows,
 * {@code packedA[ir * kc + p * MR + i]}; packed B one {@code kc x nc} block as micro-panels of
 * {@code NR} columns, {@code packedB[jr * kc + p * NR + j]}, zero-padded to a whole panel.
 *
 * <h2>The five loops (BLIS names)</h2>
 * <pre>
 *   5th loop  jc over n in steps of NC
 *     4th loop  pc over k in kc-blocks of at most KC: pack B(pc:pc+kc, jc:jc+nc) (or its panels)
 *       3rd loop  ic over m in steps of MC: pack A(ic:ic+mc, pc:pc+kc) (or read it in place)
 *         2nd loop  jr over nc in steps of NR
 *           1st loop  ir over mc in steps of MR: micro-kernel on one MR x NR tile of C
 * </pre>
 * The k-blocks are balanced ({@code k} split into {@code ceil(k / KC)} nearly equal parts) and
 * depend on {@code k} alone. The first block applies {@code beta}, later blocks add to C, and only the
 * last applies the epilogue: between k-blocks C holds partial sums, which is why R must not overlap C.
 *
 * <h2>Packing</h2>
 * The kernel reads row-major A and B through row strides, so an operand is either read in place or
 * first copied into contiguous panels; {@link #packs} decides from the reuse the copies would get. A
 * transposed operand is always packed (the copy transposes it). Packed B comes as a whole
 * {@code kc x nc} block when several A blocks use it, else one panel at a time right before its
 * tiles use it, while it is still in L1. In place, a partial last B panel is still packed, since the
 * kernel reads whole panels.
 * B is also packed when its rows lie a multiple of {@value #ALIASING_STRIDE_FLOATS} floats (4 KiB)
 * apart and its k-blocks are longer than {@value #ALIASING_MIN_ROWS} rows ({@link #packsB}): a
 * micro-panel then reads one row per step of k at addresses that all fall into the same few sets of
 * L1 and L2, which hold only as many rows as they have ways, so its loads keep missing (in place, a
 * 120 x 1024 x 512 GEMM ran at 60 % of the speed of 120 x 1000 x 512; packed, at the same speed).
 *
 * <h2>Prepacked A and implicit B</h2>
 * A convolution multiplies the same weights by many images, so {@link #prepackA} copies A once into
 * the layout the micro-kernel streams (each k-block's rows contiguous, {@link #prepackA} gives the
 * index rule), and {@link #sgemmPrepackedA} reads it there without packing. Its B is either a
 * matrix read in place or a {@link PanelSource} that writes each packed micro-panel itself (an
 * implicit im2col), so the whole operand never exists in memory.
 *
 * <h2>Few rows times a transposed B</h2>
 * {@code A * B^T} with at most {@value #DOT_MAX_ROWS} rows (a dense layer at a small batch) skips all
 * of the above: each element is the dot product of two contiguous rows, which a
 * {@link GemmDotKernel} computes while streaming B once ({@link #usesDotKernel}).
 *
 * <h2>Threads</h2>
 * C is cut into a {@code tm x tn} grid of chunks aligned to MR and NR; each chunk runs the five
 * loops above with its thread's own {@link Workspace} (from the call's {@link Workspaces}: the
 * thread-local ones for {@link #sgemm}, the caller's for {@link #sgemmPrepackedA}). k is never split, and every element's sum is
 * the same FMA chain whichever chunk, tile or thread computes it, so results are bit-identical for
 * any thread count.
 */
public final class GemmDriver {

    /** Work {@code m * n * k} below which a call stays on the calling thread (about 10 us of work). */
    static final long PARALLEL_MIN_WORK = 1L << 21;
    /**
     * Weight of one row of A or column of B a chunk must stream (and, when packing, copy) against
     * one element of C it computes, in the cost of a chunk grid. Rows of A count twice: a chunk's
     * rows of A are re-read for each of its B panels. Splitting the dimension whose operand is
     * cheaper to duplicate wins; the exact value hardly matters for two to four threads.
     */
    private static final int PACK_WEIGHT = 16;

    /**
     * Row strides of B, in floats, whose multiples {@link #aliases} in cache: 4 KiB, the span over
     * which the set index of a 64-set L1 (and of L2, in its low bits) repeats.
     */
    static final int ALIASING_STRIDE_FLOATS = 1024;
    /** k-block length up to which an aliasing B is still read in place: the copy cost more than the misses (k = 64: 9 %). */
    static final int ALIASING_MIN_ROWS = 64;

    /** Most rows of C for which a transposed B is read by the dot-product kernel; see {@link #usesDotKernel}. */
    static final int DOT_MAX_ROWS = 32;

    /** Packed A blocks must serve at least this many B panels to pay for the copy. */
    static final int PACK_MIN_PANELS_PER_A_BLOCK = 16;
    /** Packed B blocks must serve at least this many A blocks to pay for the copy. */
    static final int PACK_MIN_A_BLOCKS_PER_B_BLOCK = 4;

    /** Rows of a row-major B that {@code packB} copies across all panels of a block in one pass. */
    private static final int PACK_B_ROWS = 16;

    private GemmDriver() {
    }

    /**
     * Runs one GEMM on {@code pool}. Arguments are in CBLAS row-major order and must be valid
     * (the facade checks them); {@code epilogue} is {@link Epilogue#NONE} for a plain GEMM, and
     * {@code r} the residual {@code R(i, j) = r[rOff + i * ldr + j]} or {@code null} for none.
     */
    public static void sgemm(GemmConfig config, WorkerPool pool,
                             boolean transA, boolean transB, int m, int n, int k, float alpha,
                             float[] a, int aOff, int lda, float[] b, int bOff, int ldb,
                             float beta, float[] c, int cOff, int ldc, Epilogue epilogue, float[] r, int rOff, int ldr) {
        if (m == 0 || n == 0) {
            return;
        }
        Job job = Workspaces.PER_THREAD.forThread(pool.thread()).job();
        job.set(config, pool, Workspaces.PER_THREAD, transA, transB, m, n, k, alpha, a, aOff, lda, b, bOff, ldb,
                beta, c, cOff, ldc, epilogue, r, rOff, ldr);
        if (k == 0 || alpha == 0f) {
            try {
                scaleC(m, n, beta, c, cOff, ldc, job.last);
            } finally {
                job.clear();
            }
            return;
        }
        run(job);
    }

    /**
     * {@code C = epilogue(A * B)} with A prepacked by {@link #prepackA} (same {@code config}, {@code m}
     * and {@code k}) at {@code aPacked[aOff]}, and B either produced by {@code bSource} or, when that is
     * null, read in place as the row-major {@code k x n} matrix {@code b[bOff + p * ldb + j]}; the
     * residual {@code r} as in {@link #sgemm}. Each thread of {@code pool} packs into its workspace of
     * {@code workspaces}. Arguments must be valid; {@code m}, {@code n} and {@code k} must be positive.
     */
    public static void sgemmPrepackedA(GemmConfig config, WorkerPool pool, Workspaces workspaces, int m, int n, int k,
                                       float[] aPacked, int aOff, PanelSource bSource, float[] b, int bOff, int ldb,
                                       float[] c, int cOff, int ldc, Epilogue epilogue, float[] r, int rOff, int ldr) {
        Job job = workspaces.forThread(pool.thread()).job();
        job.set(config, pool, workspaces, false, false, m, n, k, 1f, aPacked, aOff, 0, b, bOff, ldb, 0f, c, cOff, ldc,
                epilogue, r, rOff, ldr);
        job.aPrepacked = true;
        job.bSource = bSource;
        run(job);
    }

    /**
     * Copies the row-major {@code m x k} matrix {@code a[aOff + i * lda + p]} into the layout
     * {@link #sgemmPrepackedA} reads with {@code config}: k-block by k-block (the blocks of
     * {@code config} for this {@code k}), each block holding the MR-row micro-panels the kernel
     * streams. With {@code M = prepackedRows(config, m)}, element {@code (i, p)} of the block
     * {@code [pc, pc + kc)} lands at
     * <pre>
     *   dst[dstOff + M * pc + (i - i % MR) * kc + (p - pc) * MR + i % MR]   interleaved (readsInterleavedA)
     *   dst[dstOff + M * pc + i * kc + (p - pc)]                            row-major otherwise
     * </pre>
     * Writes {@code M * k} floats, rows past {@code m} zero.
     */
    public static void prepackA(GemmConfig config, int m, int k, float[] a, int aOff, int lda, float[] dst, int dstOff) {
        GemmMicroKernel kernel = config.kernel();
        int rows = prepackedRows(config, m);
        int mr = kernel.mr();
        int kBlocks = kBlocks(config, k);
        for (int kb = 0, pc = 0; kb < kBlocks; pc += kBlock(k, kBlocks, kb), kb++) {
            int kc = kBlock(k, kBlocks, kb);
            int block = dstOff + rows * pc;
            if (kernel.readsInterleavedA()) {
                for (int i = 0; i < m; i += mr) {
                    kernel.packAInterleaved(false, a, aOff + i * lda + pc, lda, Math.min(mr, m - i), kc, dst, block + i * kc);
                }
            } else {
                kernel.packA(false, a, aOff + pc, lda, m, kc, dst, block);
            }
        }
    }

    /** Rows {@link #prepackA} stores for an {@code m}-row A: {@code m} rounded up to MR when interleaved. */
    public static int prepackedRows(GemmConfig config, int m) {
        int mr = config.kernel().mr();
        return config.kernel().readsInterleavedA() ? (m + mr - 1) / mr * mr : m;
    }

    private static void run(Job job) {
        try {
            job.plan(job.pool.threads());
            job.pool.run(job, job.tm * job.tn);
        } finally {
            job.clear();
        }
    }

    /** Number of k-blocks: {@code k} is cut into {@code ceil(k / KC)} nearly equal parts. */
    private static int kBlocks(GemmConfig config, int k) {
        return (k + config.kc() - 1) / config.kc();
    }

    /** Size of k-block {@code kb}: {@code k} split into {@code kBlocks} parts differing by at most one. */
    private static int kBlock(int k, int kBlocks, int kb) {
        return k / kBlocks + (kb < k % kBlocks ? 1 : 0);
    }

    /**
     * Whether {@code C = A * B^T} goes to the {@link GemmDotKernel}: B transposed, A not, and at most
     * {@value #DOT_MAX_ROWS} rows, where transposing B into panels would cost more than the
     * arithmetic it serves (a dense layer at a small batch).
     */
    public static boolean usesDotKernel(boolean transA, boolean transB, int m) {
        return transB && !transA && m <= DOT_MAX_ROWS;
    }

    /**
     * Whether both operands are copied into packed blocks rather than read in place. Packing turns
     * scattered rows into contiguous panels, which pays when each copy is re-read many times:
     * every packed A block by {@value #PACK_MIN_PANELS_PER_A_BLOCK} B panels or more, every packed B
     * block by {@value #PACK_MIN_A_BLOCKS_PER_B_BLOCK} A blocks or more. In GemmBenchmark the
     * crossover lies between 512 and 1000 for square problems; every ResNet-50 convolution GEMM is
     * faster in place. A transposed operand is packed whatever this says, since the kernel reads
     * rows. A configuration may fix the answer instead ({@link GemmConfig.Packing}).
     */
    public static boolean packs(GemmConfig config, int m, int n) {
        if (config.packing() != GemmConfig.Packing.AUTO) {
            return config.packing() == GemmConfig.Packing.ALWAYS;
        }
        int panelsPerABlock = (Math.min(n, config.nc()) + config.kernel().nr() - 1) / config.kernel().nr();
        int aBlocksPerBBlock = (m + config.mc() - 1) / config.mc();
        return panelsPerABlock >= PACK_MIN_PANELS_PER_A_BLOCK && aBlocksPerBBlock >= PACK_MIN_A_BLOCKS_PER_B_BLOCK;
    }

    /** Whether a GEMM copies its matrix A into packed panels: A is transposed, or {@link #packs} says so. */
    public static boolean packsA(GemmConfig config, boolean transA, int m, int n) {
        return transA || packs(config, m, n);
    }

    /**
     * Whether a GEMM copies its matrix B (row stride {@code ldb}) into packed panels: B is
     * transposed, {@link #packs} says so, or its panels read in place would {@link #aliases alias}.
     */
    public static boolean packsB(GemmConfig config, boolean transB, int m, int n, int k, int ldb) {
        return transB || packs(config, m, n) || aliases(ldb, kBlock(k, kBlocks(config, k), 0));
    }

    /**
     * Whether a micro-panel of {@code rows} rows {@code ld} floats apart, read in place, keeps
     * evicting itself from cache: {@code ld} is a multiple of {@value #ALIASING_STRIDE_FLOATS}, so
     * its rows map to the same cache sets, and there are more than {@value #ALIASING_MIN_ROWS} of them.
     */
    public static boolean aliases(int ld, int rows) {
        return ld % ALIASING_STRIDE_FLOATS == 0 && rows > ALIASING_MIN_ROWS;
    }

    /** {@code C = epilogue(beta * C)}, what a GEMM with {@code k == 0} or {@code alpha == 0} computes. */
    private static void scaleC(int m, int n, float beta, float[] c, int cOff, int ldc, BoundEpilogue epilogue) {
        for (int i = 0; i < m; i++) {
            for (int j = 0; j < n; j++) {
                int ci = cOff + i * ldc + j;
                c[ci] = epilogue.apply(beta == 0f ? 0f : beta == 1f ? c[ci] : beta * c[ci], i, j);
            }
        }
    }

    /**
     * One call's arguments and plan, kept in the calling thread's {@link Workspace} (so a call
     * allocates nothing) and read by the pool's workers while the call runs.
     */
    static final class Job implements WorkerPool.Task {
        private GemmConfig config;
        private boolean transA;
        private boolean transB;
        private WorkerPool pool;
        /** Where each thread of the call finds its packing space. */
        private Workspaces workspaces;
        private int m;
        private int n;
        private int k;
        private float alpha;
        private float[] a;
        private int aOff;
        private int lda;
        private float[] b;
        private int bOff;
        private int ldb;
        private float beta;
        private float[] c;
        private int cOff;
        private int ldc;
        /** The epilogue with the call's residual, which the last k-block stores with. */
        private final BoundEpilogue last = new BoundEpilogue();
        /** The identity, which earlier k-blocks store with. */
        private final BoundEpilogue partial = new BoundEpilogue();
        /** A is laid out by {@link #prepackA}; set after {@link #set}, reset by {@link #clear}. */
        private boolean aPrepacked;
        /** Produces B's packed panels instead of reading {@code b}; null for a matrix B. */
        private PanelSource bSource;

        private boolean dot;
        private boolean aInPlace;
        private boolean bInPlace;
        private int kBlocks;
        private int tm;
        private int tn;

        void set(GemmConfig config, WorkerPool pool, Workspaces workspaces, boolean transA, boolean transB,
                 int m, int n, int k, float alpha, float[] a, int aOff, int lda, float[] b, int bOff, int ldb,
                 float beta, float[] c, int cOff, int ldc, Epilogue epilogue, float[] r, int rOff, int ldr) {
            this.config = config;
            this.pool = pool;
            this.workspaces = workspaces;
            this.transA = transA;
            this.transB = transB;
            this.m = m;
            this.n = n;
            this.k = k;
            this.alpha = alpha;
            this.a = a;
            this.aOff = aOff;
            this.lda = lda;
            this.b = b;
            this.bOff = bOff;
            this.ldb = ldb;
            this.beta = beta;
            this.c = c;
            this.cOff = cOff;
            this.ldc = ldc;
            last.bind(epilogue, r, rOff, ldr);
        }

        /** Drops the references to the caller's arrays, so an idle thread keeps none alive. */
        void clear() {
            a = null;
            b = null;
            c = null;
            last.clear();
            config = null;
            pool = null;
            workspaces = null;
            bSource = null;
            aPrepacked = false;
        }

        /** Chooses in-place reading, the k-blocks and the chunk grid; depends on the shape, never on timing. */
        void plan(int threads) {
            dot = !aPrepacked && usesDotKernel(transA, transB, m);
            kBlocks = kBlocks(config, k);
            aInPlace = !packsA(config, transA, m, n);
            bInPlace = bSource == null && !packsB(config, transB, m, n, k, ldb);
            int mr = dot ? GemmDotKernel.ROWS : config.kernel().mr();
            int nr = dot ? GemmDotKernel.COLS : config.kernel().nr();
            int rowPanels = (m + mr - 1) / mr;
            int colPanels = (n + nr - 1) / nr;
            tm = 1;
            tn = 1;
            if (threads == 1 || (long) m * n * k < PARALLEL_MIN_WORK) {
                return;
            }
            long best = Long.MAX_VALUE;
            for (int rows = 1; rows <= threads; rows++) {
                if (threads % rows != 0) {
                    continue;
                }
                int cols = threads / rows;
                if (rows > rowPanels || cols > colPanels) {
                    continue;
                }
                long chunkRows = (long) ((rowPanels + rows - 1) / rows) * mr;
                long chunkCols = (long) ((colPanels + cols - 1) / cols) * nr;
                long cost = chunkRows * chunkCols + PACK_WEIGHT * (2 * chunkRows + chunkCols);
                if (cost < best) {
                    best = cost;
                    tm = rows;
                    tn = cols;
                }
            }
        }

        /** Start of the {@code part}-th of {@code parts} near-equal runs of {@code panels} panels of {@code width}. */
        private static int split(int part, int parts, int panels, int width, int limit) {
            return Math.min(limit, (int) ((long) panels * part / parts) * width);
        }

        private int kBlock(int kb) {
            return GemmDriver.kBlock(k, kBlocks, kb);
        }

        @Override
        public void run(int chunk) {
            int mr = dot ? GemmDotKernel.ROWS : config.kernel().mr();
            int nr = dot ? GemmDotKernel.COLS : config.kernel().nr();
            int ti = chunk / tn;
            int tj = chunk % tn;
            int rowPanels = (m + mr - 1) / mr;
            int colPanels = (n + nr - 1) / nr;
            int i0 = split(ti, tm, rowPanels, mr, m);
            int i1 = split(ti + 1, tm, rowPanels, mr, m);
            int j0 = split(tj, tn, colPanels, nr, n);
            int j1 = split(tj + 1, tn, colPanels, nr, n);
            if (i0 >= i1 || j0 >= j1) {
                return;
            }
            Workspace ws = workspaces.forThread(pool.thread());
            if (dot) {
                dotLoops(i0, i1, j0, j1, ws.tile());
            } else {
                blockLoops(i0, i1, j0, j1, ws);
            }
        }

        /**
         * The dot-product kernel over rows {@code [i0, i1)} and columns {@code [j0, j1)}: for each group
         * of B rows, every group of A rows, so that the B rows stay in cache while A is re-read.
         */
        private void dotLoops(int i0, int i1, int j0, int j1, float[] tile) {
            GemmDotKernel kernel = config.dot();
            for (int j = j0; j < j1; j += GemmDotKernel.COLS) {
                int nHere = Math.min(GemmDotKernel.COLS, j1 - j);
                for (int i = i0; i < i1; i += GemmDotKernel.ROWS) {
                    kernel.compute(Math.min(GemmDotKernel.ROWS, i1 - i), nHere, k, alpha, a, aOff + i * lda, lda,
                            b, bOff + j * ldb, ldb, beta, c, cOff + i * ldc + j, ldc, last, i, j, tile);
                }
            }
        }

        /** The five loops over rows {@code [i0, i1)} and columns {@code [j0, j1)} of C. */
        private void blockLoops(int i0, int i1, int j0, int j1, Workspace ws) {
            GemmMicroKernel kernel = config.kernel();
            int mr = kernel.mr();
            int nr = kernel.nr();
            float[] tile = ws.tile();
            for (int jc = j0; jc < j1; jc += config.nc()) {                       // 5th loop
                int nc = Math.min(config.nc(), j1 - jc);
                int fullPanels = nc / nr;
                for (int kb = 0, pc = 0; kb < kBlocks; pc += kBlock(kb), kb++) {  // 4th loop
                    int kc = kBlock(kb);
                    float betaBlock = kb == 0 ? beta : 1f;
                    BoundEpilogue epilogueBlock = kb == kBlocks - 1 ? last : partial;
                    // B: read in place (a partial last panel is still packed: the kernel reads NR
                    // columns), packed a panel at a time right before use when one ic block uses it
                    // (it is then still in cache), or packed as a whole block for several ic blocks.
                    boolean panelAtATime = !bInPlace && i1 - i0 <= config.mc();
                    float[] packedB;
                    if (bInPlace || panelAtATime) {
                        packedB = ws.packedB(nr * kc);
                        if (bInPlace && nc % nr != 0) {
                            packBPanel(pc, kc, jc + fullPanels * nr, nc % nr, packedB, 0, ws);
                        }
                    } else {
                        packedB = ws.packedB((nc + nr - 1) / nr * nr * kc);   // at most kc x NC: NC is a multiple of NR
                        packB(pc, kc, jc, nc, packedB, ws);
                    }
                    for (int ic = i0; ic < i1; ic += config.mc()) {                  // 3rd loop
                        int mc = Math.min(config.mc(), i1 - ic);
                        float[] aSrc;
                        int aBlock;
                        int aLd;
                        boolean interleaved = false;
                        if (aPrepacked) {
                            aSrc = a;
                            aBlock = aOff + prepackedRows(config, m) * pc + ic * kc;
                            aLd = kc;
                            interleaved = kernel.readsInterleavedA();
                        } else if (aInPlace) {
                            aSrc = a;
                            aBlock = aOff + ic * lda + pc;
                            aLd = lda;
                        } else {
                            aSrc = ws.packedA(((mc + mr - 1) / mr) * mr * kc);
                            interleaved = kernel.readsInterleavedA();
                            packA(ic, mc, pc, kc, aSrc, interleaved);
                            aBlock = 0;
                            aLd = kc;
                        }
                        for (int jr = 0; jr < nc; jr += nr) {                        // 2nd loop
                            int nHere = Math.min(nr, nc - jr);
                            boolean bPanelInPlace = bInPlace && nHere == nr;
                            if (panelAtATime) {
                                packBPanel(pc, kc, jc + jr, nHere, packedB, 0, ws);
                            }
                            float[] bSrc = bPanelInPlace ? b : packedB;
                            int bPanel = bPanelInPlace ? bOff + pc * ldb + jc + jr : bInPlace || panelAtATime ? 0 : jr * kc;
                            int bLd = bPanelInPlace ? ldb : nr;
                            // A partial last panel goes to the narrowest column tail that covers it.
                            GemmMicroKernel panelKernel = kernel.forColumns(nHere);
                            for (int ir = 0; ir < mc; ir += mr) {                    // 1st loop
                                int row = ic + ir;
                                int col = jc + jr;
                                int mHere = Math.min(mr, mc - ir);
                                if (interleaved) {
                                    panelKernel.computeInterleaved(mHere, nHere, kc, alpha, aSrc, aBlock + ir * kc,
                                            bSrc, bPanel, bLd, betaBlock, c, cOff + row * ldc + col, ldc,
                                            epilogueBlock, row, col, tile);
                                } else {
                                    (panelKernel == kernel ? kernel.forRows(mHere) : panelKernel).compute(mHere, nHere, kc,
                                            alpha, aSrc, aBlock + ir * aLd, aLd, bSrc, bPanel, bLd, betaBlock,
                                            c, cOff + row * ldc + col, ldc, epilogueBlock, row, col, tile);
                                }
                            }
                        }
                    }
                }
            }
        }

        /**
         * Packs op(A)(ic:ic+mc, pc:pc+kc) into MR-row micro-panels at {@code dst[ir * kc]}: row-major,
         * or MR-interleaved and zero-padded to MR rows when {@code interleaved}.
         */
        private void packA(int ic, int mc, int pc, int kc, float[] dst, boolean interleaved) {
            GemmMicroKernel kernel = config.kernel();
            int mr = kernel.mr();
            for (int ir = 0; ir < mc; ir += mr) {
                int row = ic + ir;
                int src = transA ? aOff + pc * lda + row : aOff + row * lda + pc;
                if (interleaved) {
                    kernel.packAInterleaved(transA, a, src, lda, Math.min(mr, mc - ir), kc, dst, ir * kc);
                } else {
                    kernel.packA(transA, a, src, lda, Math.min(mr, mc - ir), kc, dst, ir * kc);
                }
            }
        }

        /**
         * Packs op(B)(pc:pc+kc, jc:jc+nc) into NR-column micro-panels at {@code dst[jr * kc]}. A
         * row-major B is copied {@value #PACK_B_ROWS} rows of every panel at a time, so that its rows
         * are read from start to end rather than NR floats per row down each panel (which reads them
         * with a stride the prefetcher follows badly: 1.3 times the time at n = 1024, 1.7 at 2048).
         */
        private void packB(int pc, int kc, int jc, int nc, float[] dst, Workspace ws) {
            int nr = config.kernel().nr();
            int step = bSource == null && !transB ? PACK_B_ROWS : kc;
            for (int p = 0; p < kc; p += step) {
                int rows = Math.min(step, kc - p);
                for (int jr = 0; jr < nc; jr += nr) {
                    packBPanel(pc + p, rows, jc + jr, Math.min(nr, nc - jr), dst, jr * kc + p * nr, ws);
                }
            }
        }

        /** Packs the {@code kc x cols} panel of op(B) at (pc, j) into {@code dst[base + p * NR + j]}. */
        private void packBPanel(int pc, int kc, int j, int cols, float[] dst, int base, Workspace ws) {
            if (bSource != null) {
                bSource.packPanel(pc, kc, j, cols, config.kernel().nr(), dst, base);
                return;
            }
            config.kernel().packB(transB, b, transB ? bOff + j * ldb + pc : bOff + pc * ldb + j, ldb,
                    cols, kc, dst, base, ws.gather());
        }
    }
}
