package dev.lanewise.kernels.internal;

/**
 * Per-thread scratch memory: packed GEMM operands, a micro-kernel's tile scratch, and the band of
 * input rows a direct convolution kernel stages.
 *
 * <p>Each thread that runs lanewise work (a caller or a {@link WorkerPool} worker) owns one
 * workspace, created on its first call and grown, never shrunk, to what its largest call needed,
 * up to the bound of the configuration ({@link GemmConfig#packedAFloats()} plus
 * {@link GemmConfig#packedBFloats()}) plus, once a direct kernel has run on the thread,
 * {@link RowBand#FLOATS}. Steady-state calls therefore allocate nothing.
 *
 * <p>Not thread-safe by design: a workspace is only ever used by its own thread.
 */
public final class Workspace {

    private static final ThreadLocal<Workspace> PER_THREAD = ThreadLocal.withInitial(Workspace::new);

    private float[] packedA = new float[0];
    private float[] packedB = new float[0];
    private final float[] tile = new float[GemmMicroKernel.SCRATCH_FLOATS];
    private float[] band = new float[0];

    private Workspace() {
    }

    /** The calling thread's workspace. */
    public static Workspace current() {
        return PER_THREAD.get();
    }

    /** Packed-A space of at least {@code floats} floats; contents are undefined. */
    public float[] packedA(int floats) {
        if (packedA.length < floats) {
            packedA = new float[floats];
        }
        return packedA;
    }

    /** Packed-B space of at least {@code floats} floats; contents are undefined. */
    public float[] packedB(int floats) {
        if (packedB.length < floats) {
            packedB = new float[floats];
        }
        return packedB;
    }

    /** Bytes this workspace holds now; never more than the bound of the configuration in use. */
    public long retainedBytes() {
        return (long) Float.BYTES * (packedA.length + packedB.length + tile.length + band.length);
    }

    /** A direct kernel's band, {@link RowBand#FLOATS} floats; contents are undefined. */
    public float[] band() {
        if (band.length == 0) {
            band = new float[RowBand.FLOATS];
        }
        return band;
    }

    /** Micro-kernel scratch of {@link GemmMicroKernel#SCRATCH_FLOATS} floats. */
    public float[] tile() {
        return tile;
    }
}
