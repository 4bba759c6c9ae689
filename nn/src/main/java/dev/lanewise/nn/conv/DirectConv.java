package dev.lanewise.nn.conv;

import dev.lanewise.kernels.Epilogue;
import dev.lanewise.kernels.internal.BoundEpilogue;
import dev.lanewise.kernels.internal.DirectConvKernels;
import dev.lanewise.kernels.internal.Providers;
import dev.lanewise.kernels.internal.RowBand;
import dev.lanewise.kernels.internal.WindowShape;
import dev.lanewise.kernels.internal.WorkerPool;
import dev.lanewise.kernels.internal.Workspace;
import dev.lanewise.kernels.internal.Workspaces;

/**
 * A convolution by the direct kernel of {@link DirectConvKernels}: each output is its window's FMA
 * chain over the group's channels, computed in vector lanes along the output row for a block of
 * filters and output rows at once, from a band of staged input rows, with the register block that
 * suits the group's filters ({@code KernelProvider.directConvFor}). For the layers whose GEMM lowering multiplies
 * small matrices: grouped layers with few channels per group (ResNeXt's 32 groups of 4 channels:
 * one {@code 4 x 36} by {@code 36 x 3136} GEMM per group) and first layers on a 3-channel image
 * (a short, wide GEMM, {@code k = 27 .. 363}).
 *
 * <p>Supports any kernel, stride, dilation, padding and group whose window rows over the group's
 * channels fit the kernel's band ({@link DirectConvKernels#fits}). An item is one image's group;
 * an item of several filter blocks is split over the threads by filter blocks (each thread stages
 * its own band), otherwise items are spread over the threads. The weights are repacked once into
 * the kernel's blocks of filters ({@link DirectConvKernels#pack}).
 */
final class DirectConv extends ConvAlgorithm {

    static final DirectConv INSTANCE = new DirectConv();

    /** Largest channels per group of a grouped layer this algorithm suits. */
    static final int MAX_GROUP_CHANNELS = 16;
    /** Largest input channels of an ungrouped layer (a first layer) this algorithm suits. */
    static final int MAX_FIRST_LAYER_CHANNELS = 4;

    private DirectConv() {
        super("direct");
    }

    @Override
    public boolean supports(ConvProblem p) {
        return kernels(p).fits(p.windowShape(), p.channelsPerGroup());
    }

    /**
     * Grouped layers of at most {@value #MAX_GROUP_CHANNELS} channels per group, and ungrouped ones
     * of at most {@value #MAX_FIRST_LAYER_CHANNELS} channels. Measured against {@code im2col-gemm},
     * one thread, alternating in one JVM on an AVX-512 machine shared with other jobs (ratios
     * repeatable to about 10 %), time of im2col-gemm over this algorithm's:
     * <ul>
     *   <li>grouped 3x3, 128 -> 128 at 56x56 with 4, 8, 16, 32 channels per group: 2.8, 2.1, 1.6,
     *       1.4; 32 groups of 8 channels at 28x28: 2.1, of 16 at 14x14: 1.7, of 32 at 7x7: 0.86 (the
     *       GEMM of a deep group wins on small images, hence 16);</li>
     *   <li>first layers at 224x224: 3 -> 64 7x7/2 (ResNet) 1.7, 3 -> 64 11x11/4 (AlexNet) 1.5,
     *       3 -> 32 3x3/2 (EfficientNet) 1.1-1.3, 3 -> 64 3x3 (VGG) 0.97; 4 -> 32 3x3 at 112x112 1.35.</li>
     * </ul>
     * Under {@code -XX:UseAVX=2} (16 registers, 4x2 blocks): ResNeXt's 3.3, the three stems 1.3-1.5.
     */
    @Override
    public boolean suits(ConvProblem p) {
        return p.group() > 1 ? p.channelsPerGroup() <= MAX_GROUP_CHANNELS : p.inChannels() <= MAX_FIRST_LAYER_CHANNELS;
    }

    @Override
    ConvPlan newPlan(ConvProblem p, ConvWeights weights) {
        return new Plan(this, p, p.windowShape(), kernels(p), weights);
    }

    /** The register block for the group's filters. */
    private static DirectConvKernels kernels(ConvProblem p) {
        return Providers.current().directConvFor(p.filtersPerGroup());
    }

    private static final class Plan extends ConvPlan {
        private static final Workspace.Key<Split> SPLIT = new Workspace.Key<>(Split.class, Split::new);

        private final WindowShape shape;
        private final DirectConvKernels kernels;
        private final ConvWeights layer;
        /** The weights in the kernel's blocks, group {@code g} from {@code g * groupFloats}. */
        private final float[] packed;
        private final int groupFloats;
        private final int[] taps;
        private final int channels;
        private final int filters;
        private final int filterFloats;
        private final int outputPlane;
        /** Blocks of {@link DirectConvKernels#filtersPerBlock()} filters per group: the units of a split. */
        private final int blocks;
        /** Per group: its filters' bias (if any) and the activation. */
        private final Epilogue[] epilogues;

        Plan(ConvAlgorithm algorithm, ConvProblem p, WindowShape shape, DirectConvKernels kernels, ConvWeights layer) {
            super(algorithm, p);
            this.shape = shape;
            this.kernels = kernels;
            this.layer = layer;
            this.channels = p.channelsPerGroup();
            this.filters = p.filtersPerGroup();
            this.filterFloats = p.weightsPerFilter();
            this.packed = layer.repacked(kernels, w -> kernels.pack(w, p.group(), filters, filterFloats));
            this.groupFloats = kernels.packedFloats(filters, filterFloats);
            this.taps = kernels.taps(shape, channels);
            this.outputPlane = shape.outputHeight() * shape.outputWidth();
            int fb = kernels.filtersPerBlock();
            this.blocks = (filters + fb - 1) / fb;
            this.epilogues = new Epilogue[p.group()];
            for (int g = 0; g < epilogues.length; g++) {
                epilogues[g] = layer.epilogue(g * filters);
            }
        }

        @Override
        public long workspaceBytesPerThread() {
            return (long) Float.BYTES * (RowBand.FLOATS + DirectConvKernels.TILE_FLOATS);
        }

        @Override
        boolean splitsItem() {
            return blocks > 1;
        }

        @Override
        void convolve(int group, float[] input, int inputOffset, float[] output, int outputOffset,
                      float[] residual, int residualOffset, WorkerPool pool, Workspaces workspaces) {
            int chunks = Math.min(blocks, pool.threads());
            Workspace workspace = workspaces.forThread(pool.thread());
            if (chunks <= 1) {
                convolveFilters(group, 0, filters, input, inputOffset, output, outputOffset, residual, residualOffset,
                        workspace);
                return;
            }
            Split split = workspace.attachment(SPLIT);
            split.set(this, group, input, inputOffset, output, outputOffset, residual, residualOffset, chunks, pool,
                    workspaces);
            try {
                pool.run(split, chunks);
            } finally {
                split.clear();
            }
        }

        /**
         * Filters {@code [f0, f1)} of group {@code group}, on the calling thread, whose scratch is
         * {@code workspace}. The kernel stores bias
         * and clamp itself; a residual or a LeakyReLU is applied afterwards, in place, by the scalar
         * form of the epilogue (direct layers with a residual are rare: ResNeXt adds it after the
         * pointwise convolution).
         */
        void convolveFilters(int group, int f0, int f1, float[] input, int inputOffset, float[] output,
                             int outputOffset, float[] residual, int residualOffset, Workspace ws) {
            Epilogue e = epilogues[group];
            boolean inKernel = residual == null && e.activation() != Epilogue.Activation.LEAKY_RELU;
            int out = outputOffset + f0 * outputPlane;
            kernels.convolve(shape, channels, taps, input, inputOffset, f1 - f0, packed,
                    group * groupFloats + f0 * filterFloats, inKernel ? layer.bias() : null, group * filters + f0,
                    inKernel ? e.lo() : Float.NEGATIVE_INFINITY, inKernel ? e.hi() : Float.POSITIVE_INFINITY,
                    output, out, ws.band(), ws.tile());
            if (!inKernel) {
                BoundEpilogue bound = ws.epilogue().bind(e, residual, residualOffset, outputPlane);
                try {
                    for (int f = f0; f < f1; f++) {
                        for (int j = 0, o = outputOffset + f * outputPlane; j < outputPlane; j++, o++) {
                            output[o] = bound.apply(output[o], f, j);
                        }
                    }
                } finally {
                    bound.clear();
                }
            }
        }

        /** Chunk {@code t} of {@code chunks}: its share of the filter blocks, in filters. */
        int chunkStart(int t, int chunks) {
            return Math.min(filters, blocks * t / chunks * kernels.filtersPerBlock());
        }
    }

    /**
     * One item's split over the threads, kept in its calling thread's workspace: chunk {@code t} takes
     * filters {@code [chunkStart(t), chunkStart(t + 1))}, with the scratch of the thread that runs it.
     */
    private static final class Split implements WorkerPool.Task {
        private Plan plan;
        private int group;
        private float[] input;
        private int inputOffset;
        private float[] output;
        private int outputOffset;
        private float[] residual;
        private int residualOffset;
        private int chunks;
        private WorkerPool pool;
        private Workspaces workspaces;

        void set(Plan plan, int group, float[] input, int inputOffset, float[] output, int outputOffset,
                 float[] residual, int residualOffset, int chunks, WorkerPool pool, Workspaces workspaces) {
            this.plan = plan;
            this.group = group;
            this.input = input;
            this.inputOffset = inputOffset;
            this.output = output;
            this.outputOffset = outputOffset;
            this.residual = residual;
            this.residualOffset = residualOffset;
            this.chunks = chunks;
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
            plan.convolveFilters(group, plan.chunkStart(chunk, chunks), plan.chunkStart(chunk + 1, chunks), input,
                    inputOffset, output, outputOffset, residual, residualOffset, workspaces.forThread(pool.thread()));
        }
    }
}
