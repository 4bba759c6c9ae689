package dev.lanewise.nn.conv;

import dev.lanewise.im2col.ConvGeometry;
import dev.lanewise.kernels.Scratch;
import dev.lanewise.kernels.internal.Checks;
import dev.lanewise.kernels.internal.SharedPool;
import dev.lanewise.kernels.internal.WorkerPool;
import dev.lanewise.kernels.internal.Workspace;
import dev.lanewise.kernels.internal.Workspaces;
import java.util.Objects;

/**
 * A convolution layer made ready for one input size by one {@link ConvAlgorithm}: the geometry,
 * the weights in the algorithm's layout, and what a call needs, fixed once so that a call only
 * computes. Immutable and safe to use from many threads at once.
 *
 * <h2>Work and threads</h2>
 * A batch is cut into items, one per image and run of {@link #groupsPerItem()} groups (one group
 * unless the algorithm convolves several in one call), item {@code i} being image {@code i / blocks}
 * and groups from {@code (i % blocks) groupsPerItem} with {@code blocks = ceil(group / groupsPerItem)}.
 * The items are spread over the shared pool's threads when they divide
 * evenly among them or are each too small to split; otherwise they run in turn, each split inside
 * across the threads where the algorithm can ({@link #splitsItems}). No sum is ever split, so the
 * result is the same for any thread count.
 *
 * <h2>Memory</h2>
 * Each thread a call uses needs at most {@link #workspaceBytesPerThread()} bytes of scratch, whatever
 * the batch. The plain {@code forward}s keep it in each thread's own thread-local scratch, between
 * calls; the {@code forward}s taking a {@link Scratch} use the caller's instead (slot {@code t} on
 * thread {@code t} of the pool, see {@link Scratch}), so that a memory planner can size it from
 * {@code Lanewise.threads() * workspaceBytesPerThread()} and no thread-local scratch is kept. Either
 * way, after the first calls of a size a call allocates nothing.
 */
public abstract class ConvPlan {

    /** Per-item work ({@code m * n * k} of a GEMM) below which items are spread over threads even when uneven. */
    private static final long ITEM_PARALLEL_MIN_WORK = 1L << 22;

    private static final Workspace.Key<Call> CALL = new Workspace.Key<>(Call.class, Call::new);

    private final ConvAlgorithm algorithm;
    private final ConvProblem problem;

    ConvPlan(ConvAlgorithm algorithm, ConvProblem problem) {
        this.algorithm = algorithm;
        this.problem = problem;
    }

    /** The algorithm that made this plan. */
    public final ConvAlgorithm algorithm() {
        return algorithm;
    }

    /** The problem planned for. */
    public final ConvProblem problem() {
        return problem;
    }

    /** Output rows {@code OH}. */
    public final int outputHeight() {
        return problem.window().outputHeight();
    }

    /** Output columns {@code OW}. */
    public final int outputWidth() {
        return problem.window().outputWidth();
    }

    /**
     * Bytes of scratch a thread that runs this plan holds at most (the GEMM's packed blocks, a padded
     * image copy, a band of input rows, ...), whatever the batch: what each slot of a passed-in
     * {@link Scratch} grows to at most, and what each thread keeps between plain calls.
     */
    public abstract long workspaceBytesPerThread();

    /**
     * Convolves one item: group {@code group} of one image, whose first input channel starts at
     * {@code input[inputOffset]} ({@code C/group} planes of {@code H x W}) and whose first output
     * channel starts at {@code output[outputOffset]} ({@code K/group} planes of {@code OH x OW}),
     * adding the residual laid out as the output from {@code residual[residualOffset]} ({@code null}
     * for none) before the activation. May split its work over {@code pool} when {@link #splitsItem()};
     * each thread takes its scratch from {@code workspaces} ({@code forThread(pool.thread())}).
     */
    abstract void convolve(int group, float[] input, int inputOffset, float[] output, int outputOffset,
                           float[] residual, int residualOffset, WorkerPool pool, Workspaces workspaces);

    /** Whether {@link #convolve} spreads one item's work over the pool's threads. */
    abstract boolean splitsItem();

    /** Groups of one image convolved in one call ({@link #convolveGroups}): 1 unless the algorithm says otherwise. */
    int groupsPerItem() {
        return 1;
    }

    /**
     * Convolves groups {@code [firstGroup, firstGroup + groups)} of one image, laid out from the
     * offsets as {@link #convolve} describes for one group: by default one {@link #convolve} per group.
     */
    void convolveGroups(int firstGroup, int groups, float[] input, int inputOffset, float[] output, int outputOffset,
                        float[] residual, int residualOffset, WorkerPool pool, Workspaces workspaces) {
        ConvGeometry g = problem.window();
        int inputStride = problem.channelsPerGroup() * g.height() * g.width();
        int outputStride = problem.filtersPerGroup() * g.columns();
        for (int k = 0; k < groups; k++) {
            convolve(firstGroup + k, input, inputOffset + k * inputStride, output, outputOffset + k * outputStride,
                    residual, residualOffset + k * outputStride, pool, workspaces);
        }
    }

    /**
     * Convolves a batch: {@code input} holds {@code batch x C x H x W} floats (NCHW) from
     * {@code inputOffset}; {@code batch x K x OH x OW} floats are written to {@code output} from
     * {@code outputOffset}, and nothing else. {@code batch == 0} does nothing.
     *
     * @throws IllegalArgumentException  if {@code batch < 0}, a size overflows an {@code int}, or the
     *                                   output overlaps the input in the same array
     * @throws IndexOutOfBoundsException if the input or output does not fit its array
     */
    public final void forward(int batch, float[] input, int inputOffset, float[] output, int outputOffset) {
        run(batch, input, inputOffset, output, outputOffset, null, 0, null);
    }

    /**
     * {@link #forward(int, float[], int, float[], int)} with the caller's {@code scratch} instead of
     * thread-local scratch: the thread with index {@code t} in the pool uses slot {@code t}, growing it
     * to at most {@link #workspaceBytesPerThread()} bytes, and no thread keeps scratch of this call.
     * One call at a time may use {@code scratch}.
     *
     * @throws NullPointerException      if {@code scratch} is null
     * @throws IllegalArgumentException  as {@link #forward(int, float[], int, float[], int)}, or if
     *                                   {@code scratch} has fewer slots than {@code Lanewise.threads()}
     *                                   or was not made by {@link Scratch#forThreads}
     * @throws IndexOutOfBoundsException if the input or output does not fit its array
     */
    public final void forward(int batch, float[] input, int inputOffset, float[] output, int outputOffset,
                              Scratch scratch) {
        Objects.requireNonNull(scratch, "scratch");
        run(batch, input, inputOffset, output, outputOffset, null, 0, scratch);
    }

    /**
     * {@link #forward(int, float[], int, float[], int)} with a residual added to every output before
     * the activation: {@code residual} holds {@code batch x K x OH x OW} floats (NCHW, the output's
     * shape) from {@code residualOffset}, and output element {@code e} is
     * {@code act((conv_e + bias) + residual[residualOffset + e])}. The residual is only read; it may
     * be, or overlap, the input, but not the output.
     *
     * @throws IllegalArgumentException  as {@link #forward(int, float[], int, float[], int)}, or if the
     *                                   residual overlaps the output in the same array
     * @throws IndexOutOfBoundsException if the input, output or residual does not fit its array
     */
    public final void forward(int batch, float[] input, int inputOffset, float[] output, int outputOffset,
                              float[] residual, int residualOffset) {
        Objects.requireNonNull(residual, "residual");
        run(batch, input, inputOffset, output, outputOffset, residual, residualOffset, null);
    }

    /**
     * {@link #forward(int, float[], int, float[], int, float[], int)} with the caller's {@code scratch}
     * instead of thread-local scratch, as {@link #forward(int, float[], int, float[], int, Scratch)}.
     *
     * @throws NullPointerException      if {@code residual} or {@code scratch} is null
     * @throws IllegalArgumentException  as {@link #forward(int, float[], int, float[], int, float[], int)},
     *                                   or if {@code scratch} has fewer slots than
     *                                   {@code Lanewise.threads()} or was not made by {@link Scratch#forThreads}
     * @throws IndexOutOfBoundsException if the input, output or residual does not fit its array
     */
    public final void forward(int batch, float[] input, int inputOffset, float[] output, int outputOffset,
                              float[] residual, int residualOffset, Scratch scratch) {
        Objects.requireNonNull(residual, "residual");
        Objects.requireNonNull(scratch, "scratch");
        run(batch, input, inputOffset, output, outputOffset, residual, residualOffset, scratch);
    }

    /** All {@code forward}s: {@code residual} is {@code null} for none, {@code scratch} for thread-local scratch. */
    private void run(int batch, float[] input, int inputOffset, float[] output, int outputOffset,
                     float[] residual, int residualOffset, Scratch scratch) {
        WorkerPool pool = SharedPool.get();
        Workspaces workspaces = scratch == null ? Workspaces.PER_THREAD : Workspaces.of(scratch, pool);
        Checks.nonNegative("batch", batch);
        ConvGeometry g = problem.window();
        long inputSize = (long) problem.inChannels() * g.height() * g.width();
        long outputSize = (long) problem.outChannels() * g.columns();
        long inputEnd = Checks.vector("input", input, inputOffset, checkedCount("input", batch, inputSize));
        int outputCount = checkedCount("output", batch, outputSize);
        long outputEnd = Checks.vector("output", output, outputOffset, outputCount);
        Checks.noOverlap("output", output, outputOffset, outputEnd, "input", input, inputOffset, inputEnd);
        if (residual != null) {
            long residualEnd = Checks.vector("residual", residual, residualOffset, outputCount);
            Checks.noOverlap("output", output, outputOffset, outputEnd, "residual", residual, residualOffset, residualEnd);
        }
        if (batch == 0) {
            return;
        }
        Call call = workspaces.forThread(pool.thread()).attachment(CALL);
        int groupsPerItem = groupsPerItem();
        int items = batch * ((problem.group() + groupsPerItem - 1) / groupsPerItem);
        call.set(this, input, inputOffset, output, outputOffset, residual, residualOffset, items, pool, workspaces);
        try {
            if (splitsItems(items, problem.multiplyAdds() / problem.group() * groupsPerItem, pool.threads())) {
                pool.run(call, call.chunks);
            } else {
                for (int item = 0; item < items; item++) {
                    call.convolve(item, pool);
                }
            }
        } finally {
            call.clear();
        }
    }

    /**
     * Whether threads take whole items rather than sharing each item's work: when the items divide
     * evenly among the threads (no operand is then packed twice), when each item is too small to split
     * well (a depthwise layer, small images in a batch), or when the algorithm cannot split an item.
     */
    private boolean splitsItems(int items, long itemWork, int threads) {
        return threads > 1 && items > 1
                && (!splitsItem() || items % threads == 0 || itemWork < ITEM_PARALLEL_MIN_WORK);
    }

    private static int checkedCount(String name, int batch, long perImage) {
        long count = batch * perImage;
        if (count > Integer.MAX_VALUE) {
            throw new IllegalArgumentException(name + " size batch * " + perImage + " = " + count
                    + " exceeds Integer.MAX_VALUE");
        }
        return (int) count;
    }

    @Override
    public String toString() {
        return algorithm.name() + " for " + problem;
    }

    /**
     * One forward call's arguments, kept in the calling thread's workspace. As a pool task, chunk
     * {@code t} convolves items {@code t, t + chunks, ...}.
     */
    private static final class Call implements WorkerPool.Task {
        private ConvPlan plan;
        private float[] input;
        private int inputOffset;
        private float[] output;
        private int outputOffset;
        /** The residual, laid out as the output, or null. */
        private float[] residual;
        private int residualOffset;
        private int items;
        private int chunks;
        private WorkerPool pool;
        private Workspaces workspaces;

        void set(ConvPlan plan, float[] input, int inputOffset, float[] output, int outputOffset,
                 float[] residual, int residualOffset, int items, WorkerPool pool, Workspaces workspaces) {
            this.plan = plan;
            this.input = input;
            this.inputOffset = inputOffset;
            this.output = output;
            this.outputOffset = outputOffset;
            this.residual = residual;
            this.residualOffset = residualOffset;
            this.items = items;
            this.chunks = Math.min(items, pool.threads());
            this.pool = pool;
            this.workspaces = workspaces;
        }

        void clear() {
            plan = null;
            input = null;
            output = null;
            residual = null;
            pool = null;
            workspaces = null;
        }

        @Override
        public void run(int chunk) {
            for (int item = chunk; item < items; item += chunks) {
                convolve(item, pool);   // nested in a pool task, an item's own split runs on this thread
            }
        }

        /** Convolves item {@code item}: its image's run of groups (see the class comment). */
        void convolve(int item, WorkerPool pool) {
            ConvProblem p = plan.problem();
            ConvGeometry g = p.window();
            int groupsPerItem = plan.groupsPerItem();
            int blocks = (p.group() + groupsPerItem - 1) / groupsPerItem;
            int n = item / blocks;
            int gi = item % blocks * groupsPerItem;
            int in = inputOffset + (n * p.inChannels() + gi * p.channelsPerGroup()) * g.height() * g.width();
            int outFrom = (n * p.outChannels() + gi * p.filtersPerGroup()) * g.columns();
            plan.convolveGroups(gi, Math.min(groupsPerItem, p.group() - gi), input, in, output, outputOffset + outFrom,
                    residual, residualOffset + outFrom, pool, workspaces);
        }
    }
}
