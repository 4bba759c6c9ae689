package dev.lanewise.kernels.internal;

import java.util.Arrays;
import java.util.Objects;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;

/**
 * The scratch memory and per-call records of one thread's lanewise work: packed GEMM operands, a
 * micro-kernel's tile scratch and gather offsets, a copy of an input image (implicit im2col's zero-bordered image), the
 * band of input rows a direct convolution kernel stages, the pooling kernels' buffers, an epilogue
 * bound to a call's residual, the GEMM's job record, and the records of higher modules
 * ({@link #attachment}: a convolution's call and split, im2col's panel source, a pooling call).
 *
 * <p>A workspace starts empty and each part is made on its first use and grown, never shrunk, to
 * what the largest call needed: a steady stream of calls allocates nothing. {@link #retainedBytes}
 * reports its arrays (the records hold no arrays of their own). A thread uses either its own
 * {@linkplain #current() thread-local workspace} or, when the caller passed scratch in, the slot of
 * that scratch for its index in the pool ({@link Workspaces}).
 *
 * <p>Not thread-safe by design: a workspace is used by one thread at a time. Other threads of the
 * same call may read what its owner staged in it (an image copy) while the owner waits for them.
 */
public final class Workspace {

    private static final ThreadLocal<Workspace> PER_THREAD = ThreadLocal.withInitial(Workspace::new);

    private float[] packedA = new float[0];
    private float[] packedB = new float[0];
    /** The most float lanes of any vector shape (2048 bits): gather offsets per lane. */
    public static final int GATHER_INTS = 64;

    private float[] tile = new float[0];
    private int[] gather = new int[0];
    private float[] image = new float[0];
    private float[] band = new float[0];
    private PoolScratch pool;
    private BoundEpilogue epilogue;
    private GemmDriver.Job job;
    private Object[] attachments = new Object[0];

    /** An empty workspace; it holds nothing until a call uses it. */
    Workspace() {
    }

    /** The calling thread's own workspace, made on its first call: what calls without passed-in scratch use. */
    public static Workspace current() {
        return PER_THREAD.get();
    }

    /** Packed-A space of at least {@code floats} floats; contents are undefined. */
    public float[] packedA(int floats) {
        packedA = atLeast(packedA, floats);
        return packedA;
    }

    /** Packed-B space of at least {@code floats} floats; contents are undefined. */
    public float[] packedB(int floats) {
        packedB = atLeast(packedB, floats);
        return packedB;
    }

    /** Micro-kernel scratch of {@link GemmMicroKernel#SCRATCH_FLOATS} floats; contents are undefined. */
    public float[] tile() {
        tile = atLeast(tile, GemmMicroKernel.SCRATCH_FLOATS);
        return tile;
    }

    /** {@link #GATHER_INTS} ints for a micro-kernel's gather offsets; contents are undefined. */
    public int[] gather() {
        gather = atLeast(gather, GATHER_INTS);
        return gather;
    }

    /** Space for a copy of one input image, at least {@code floats} floats; contents are undefined. */
    public float[] image(int floats) {
        image = atLeast(image, floats);
        return image;
    }

    /** A direct kernel's band, {@link RowBand#FLOATS} floats; contents are undefined. */
    public float[] band() {
        band = atLeast(band, RowBand.FLOATS);
        return band;
    }

    /** The pooling kernels' buffers. */
    public PoolScratch pool() {
        if (pool == null) {
            pool = new PoolScratch();
        }
        return pool;
    }

    /** An epilogue to {@linkplain BoundEpilogue#bind bind} to one call's residual and clear after it. */
    public BoundEpilogue epilogue() {
        if (epilogue == null) {
            epilogue = new BoundEpilogue();
        }
        return epilogue;
    }

    /** The GEMM's record of the call this thread is making. */
    GemmDriver.Job job() {
        if (job == null) {
            job = new GemmDriver.Job();
        }
        return job;
    }

    /** This workspace's record for {@code key}, made by the key's factory on first use. */
    public <T> T attachment(Key<T> key) {
        if (attachments.length <= key.index) {
            attachments = Arrays.copyOf(attachments, key.index + 1);
        }
        Object a = attachments[key.index];
        if (a == null) {
            a = key.factory.get();
            attachments[key.index] = a;
        }
        return key.type.cast(a);
    }

    /** {@code a}, or a new array of {@code floats} floats when {@code a} is shorter: how every buffer grows. */
    static float[] atLeast(float[] a, int floats) {
        return a.length < floats ? new float[floats] : a;
    }

    /** {@code a}, or a new array of {@code ints} ints when {@code a} is shorter. */
    static int[] atLeast(int[] a, int ints) {
        return a.length < ints ? new int[ints] : a;
    }

    /** Bytes of the arrays this workspace holds now. */
    public long retainedBytes() {
        long floats = (long) packedA.length + packedB.length + tile.length + image.length + band.length;
        return Float.BYTES * floats + Integer.BYTES * (long) gather.length + (pool == null ? 0 : pool.retainedBytes());
    }

    /**
     * A kind of per-thread record a higher module keeps in every workspace (a call's arguments, a
     * panel source), one per key: what would otherwise be a {@code ThreadLocal} of its own. Records
     * hold references and sizes only; their arrays come from the workspace's parts above.
     *
     * @param <T> the record's type
     */
    public static final class Key<T> {
        private static final AtomicInteger KEYS = new AtomicInteger();

        private final int index = KEYS.getAndIncrement();
        private final Class<T> type;
        private final Supplier<? extends T> factory;

        /** A key for records of {@code type}, each made by {@code factory}; keys are {@code static final} constants. */
        public Key(Class<T> type, Supplier<? extends T> factory) {
            this.type = Objects.requireNonNull(type, "type");
            this.factory = Objects.requireNonNull(factory, "factory");
        }
    }
}
