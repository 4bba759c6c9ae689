package dev.lanewise.nn;

import dev.lanewise.kernels.internal.ActivationKernels;
import dev.lanewise.kernels.internal.Checks;
import dev.lanewise.kernels.internal.PoolKernels;
import dev.lanewise.kernels.internal.PoolScratch;
import dev.lanewise.kernels.internal.WindowShape;
import dev.lanewise.kernels.internal.Providers;
import dev.lanewise.kernels.internal.SharedPool;
import dev.lanewise.kernels.internal.WorkerPool;
import dev.lanewise.kernels.internal.Workspace;
import dev.lanewise.kernels.internal.Workspaces;

/**
 * One call of a plane-by-plane operator (pooling, global pooling, activations), run on the shared
 * pool: plane {@code p} of the input starts at {@code inOff + p * inStride}, its result at
 * {@code outOff + p * outStride}. Large calls give each thread a contiguous run of planes; small
 * ones run on the caller. Every plane is computed the same way whichever thread takes it, so
 * results do not depend on the thread count. Kept in the calling thread's {@link Workspace}, whose
 * pooling buffers ({@link PoolScratch}) each thread's chunk uses: a call allocates nothing.
 */
final class PlaneTask implements WorkerPool.Task {

    /** What is computed per plane. */
    enum Op {
        MAX, MAX_WITH_INDICES, AVERAGE, AVERAGE_COUNT_PADDING, GLOBAL_MAX, GLOBAL_AVERAGE, CLAMP, LEAKY_RELU
    }

    /** Input floats from which a call is spread over the pool's threads (512 KiB: a thread hand-off costs microseconds). */
    static final long PARALLEL_MIN_FLOATS = 1 << 17;

    private static final Workspace.Key<PlaneTask> TASK = new Workspace.Key<>(PlaneTask.class, PlaneTask::new);

    private Op op;
    private WindowShape shape;
    private int planes;
    private int planeSize;
    private long total;
    private float[] in;
    private int inOff;
    private int inStride;
    private float[] out;
    private int outOff;
    private int outStride;
    private long[] indices;
    private int indicesOff;
    private float lo;
    private float hi;
    private int chunks;
    private WorkerPool pool;
    private Workspaces workspaces;

    private PlaneTask() {
    }

    /** The calling thread's task, in its workspace of {@code workspaces} for {@code pool}. */
    private static PlaneTask of(WorkerPool pool, Workspaces workspaces) {
        PlaneTask t = workspaces.forThread(pool.thread()).attachment(TASK);
        t.pool = pool;
        t.workspaces = workspaces;
        return t;
    }

    /**
     * A pooling call: {@code planes} planes of {@code shape}, with indices for {@link Op#MAX_WITH_INDICES},
     * on {@code pool} with the scratch of {@code workspaces}.
     */
    static void pool(Op op, WindowShape shape, int planes, float[] in, int inOff, int inStride,
                     float[] out, int outOff, int outStride, long[] indices, int indicesOff,
                     WorkerPool pool, Workspaces workspaces) {
        PlaneTask t = of(pool, workspaces);
        t.shape = shape;
        t.indices = indices;
        t.indicesOff = indicesOff;
        int planeSize = shape.height() * shape.width();
        t.execute(op, planes, planeSize, (long) planes * planeSize, in, inOff, inStride, out, outOff, outStride, 0, 0);
    }

    /**
     * A global pooling call: one result per plane of {@code planeSize} floats, at {@code outOff + p}, on
     * {@code pool} with the scratch of {@code workspaces}.
     */
    static void global(Op op, int planes, int planeSize, float[] in, int inOff, int inStride, float[] out, int outOff,
                       WorkerPool pool, Workspaces workspaces) {
        of(pool, workspaces).execute(op, planes, planeSize, (long) planes * planeSize, in, inOff,
                inStride, out, outOff, 1, 0, 0);
    }

    /**
     * An activation over {@code planes} planes of {@code planeSize} floats, the last one holding
     * {@code total - (planes - 1) * planeSize}; {@code a, b} are the clamp's bounds or LeakyReLU's alpha.
     */
    static void activation(Op op, int planes, int planeSize, long total, float[] in, int inOff, int inStride,
                           float[] out, int outOff, int outStride, float a, float b) {
        of(SharedPool.get(), Workspaces.PER_THREAD).execute(op, planes, planeSize, total, in, inOff, inStride, out, outOff,
                outStride, a, b);
    }

    private void execute(Op op, int planes, int planeSize, long total, float[] in, int inOff, int inStride,
                         float[] out, int outOff, int outStride, float lo, float hi) {
        if (planes == 0) {
            clear();
            return;
        }
        this.op = op;
        this.planes = planes;
        this.planeSize = planeSize;
        this.total = total;
        this.in = in;
        this.inOff = inOff;
        this.inStride = inStride;
        this.out = out;
        this.outOff = outOff;
        this.outStride = outStride;
        this.lo = lo;
        this.hi = hi;
        try {
            if (planes > 1 && pool.threads() > 1 && total >= PARALLEL_MIN_FLOATS) {
                chunks = Math.min(planes, pool.threads());
                pool.run(this, chunks);
            } else {
                chunks = 1;
                run(0);
            }
        } finally {
            clear();
        }
    }

    private void clear() {
        shape = null;
        in = null;
        out = null;
        indices = null;
        pool = null;
        workspaces = null;
    }

    /** Chunk {@code c} of {@code chunks}: planes {@code [c * planes / chunks, (c + 1) * planes / chunks)}. */
    @Override
    public void run(int chunk) {
        int from = (int) ((long) chunk * planes / chunks);
        int to = (int) ((long) (chunk + 1) * planes / chunks);
        PoolKernels pooling = Providers.current().pooling();
        PoolScratch scratch = workspaces.forThread(pool.thread()).pool();
        int src = inOff + from * inStride;
        int dst = outOff + from * outStride;
        switch (op) {
            case MAX -> pooling.max(shape, to - from, in, src, inStride, out, dst, outStride, scratch);
            case AVERAGE -> pooling.average(shape, false, to - from, in, src, inStride, out, dst, outStride, scratch);
            case AVERAGE_COUNT_PADDING -> pooling.average(shape, true, to - from, in, src, inStride, out, dst, outStride,
                    scratch);
            case GLOBAL_MAX -> pooling.globalMax(to - from, planeSize, in, src, inStride, out, dst);
            case GLOBAL_AVERAGE -> pooling.globalAverage(to - from, planeSize, in, src, inStride, out, dst, scratch);
            default -> {
                ActivationKernels activations = Providers.current().activations();
                for (int p = from; p < to; p++) {
                    runPlane(p, pooling, activations, scratch);
                }
            }
        }
    }

    /** The ops computed one plane at a time. */
    private void runPlane(int p, PoolKernels pooling, ActivationKernels activations, PoolScratch scratch) {
        int src = inOff + p * inStride;
        int dst = outOff + p * outStride;
        switch (op) {
            case MAX_WITH_INDICES -> pooling.maxWithIndices(shape, in, src, out, dst,
                    indices, indicesOff + p * outStride, (long) p * planeSize, scratch);
            case CLAMP -> activations.clamp(in, src, out, dst, size(p), lo, hi);
            case LEAKY_RELU -> activations.leakyRelu(in, src, out, dst, size(p), lo);
            default -> throw new AssertionError(op);
        }
    }

    private int size(int p) {
        return (int) Math.min(planeSize, total - (long) p * planeSize);
    }

    /**
     * Checks that {@code planes} planes of {@code planeSize} floats, {@code stride} apart from
     * {@code offset}, lie inside {@code array}, and returns one past the last index read or written
     * ({@code offset} when there are none).
     *
     * @throws IllegalArgumentException  if {@code stride < planeSize}
     * @throws IndexOutOfBoundsException if {@code offset < 0} or the last plane ends past the array
     */
    static long checkPlanes(String name, int length, int offset, int planes, int planeSize, int stride) {
        if (stride < planeSize) {
            throw new IllegalArgumentException(name + " plane stride = " + stride + " must be >= the plane size " + planeSize);
        }
        long end = planes == 0 ? offset : offset + (long) (planes - 1) * stride + planeSize;
        if (offset < 0 || end > length) {
            throw new IndexOutOfBoundsException(name + ": " + planes + " planes of " + planeSize + " values, " + stride
                    + " apart, at offset " + offset + " do not fit in " + name + ".length = " + length);
        }
        return end;
    }

    /** {@code batch * channels} planes, checked. */
    static int planes(int batch, int channels) {
        Checks.nonNegative("batch", batch);
        Checks.nonNegative("channels", channels);
        long planes = (long) batch * channels;
        if (planes > Integer.MAX_VALUE) {
            throw new IllegalArgumentException("batch * channels = " + planes + " exceeds Integer.MAX_VALUE");
        }
        return (int) planes;
    }
}
