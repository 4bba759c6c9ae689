package dev.lanewise.nn.conv;

import dev.lanewise.kernels.Epilogue;
import dev.lanewise.kernels.internal.BoundEpilogue;
import dev.lanewise.kernels.internal.DepthwiseKernels;
import dev.lanewise.kernels.internal.Providers;
import dev.lanewise.kernels.internal.RowBand;
import dev.lanewise.kernels.internal.WindowShape;
import dev.lanewise.kernels.internal.WorkerPool;
import dev.lanewise.kernels.internal.Workspace;
import dev.lanewise.kernels.internal.Workspaces;

/**
 * A convolution with one input channel per group (depthwise, with any multiplier {@code K / C}) by
 * the direct kernel of {@link DepthwiseKernels}: each output is its window's FMA chain computed in
 * vector lanes along the output row, from a band of staged input rows. Lowered onto the GEMM such
 * a layer is one GEMM per channel with {@code K / C} rows (usually one), all packing and no reuse.
 *
 * <p>Supports any kernel, stride, dilation and padding whose window rows and a row of sums fit
 * the kernel's band ({@link DepthwiseKernels#fits}: rows up to about 16 Ki floats wide for a 1-row
 * kernel). An item is one image's run of channels (about 2048 outputs' worth, at least one channel)
 * and their {@code K / C} filters each; items are spread over the threads.
 * The weights are read as given (OIHW with one input channel is each filter's {@code KH x KW} in a
 * row), so nothing is repacked.
 */
final class DepthwiseDirect extends ConvAlgorithm {

    static final DepthwiseDirect INSTANCE = new DepthwiseDirect();

    private DepthwiseDirect() {
        super("depthwise-direct");
    }

    @Override
    public boolean supports(ConvProblem p) {
        return p.channelsPerGroup() == 1 && DepthwiseKernels.fits(p.windowShape(), Providers.current().floatLanes());
    }

    @Override
    ConvPlan newPlan(ConvProblem p, ConvWeights weights) {
        return new Plan(this, p, p.windowShape(), weights);
    }

    private static final class Plan extends ConvPlan {
        private static final DepthwiseKernels KERNELS = Providers.current().depthwise();
        /**
         * Outputs a kernel call aims at: MobileNet's 7 x 7 planes then go 41 to a call, which pays a
         * call's set-up (clearing the band's padding, masks, the epilogue's fields) once for them.
         */
        private static final int ITEM_OUTPUTS = 2048;

        private final WindowShape shape;
        private final float[] weights;
        /** Per group: its filters' bias (if any) and the activation. */
        private final Epilogue[] epilogues;
        private final int filters;
        private final int filterFloats;
        /** Planes per kernel call: about {@value #ITEM_OUTPUTS} outputs, so that small planes share a call's set-up. */
        private final int groupsPerItem;

        Plan(ConvAlgorithm algorithm, ConvProblem p, WindowShape shape, ConvWeights weights) {
            super(algorithm, p);
            this.shape = shape;
            this.weights = weights.weights();
            this.filters = p.filtersPerGroup();
            this.filterFloats = p.window().kernelHeight() * p.window().kernelWidth();
            int planeOutputs = shape.outputHeight() * shape.outputWidth() * filters;
            this.groupsPerItem = Math.max(1, Math.min(p.group(), ITEM_OUTPUTS / planeOutputs));
            this.epilogues = new Epilogue[p.group()];
            for (int g = 0; g < epilogues.length; g++) {
                epilogues[g] = weights.epilogue(g * filters);
            }
        }

        @Override
        public long workspaceBytesPerThread() {
            return (long) Float.BYTES * RowBand.FLOATS;
        }

        @Override
        boolean splitsItem() {
            return false;
        }

        @Override
        int groupsPerItem() {
            return groupsPerItem;
        }

        @Override
        void convolve(int group, float[] input, int inputOffset, float[] output, int outputOffset,
                      float[] residual, int residualOffset, WorkerPool pool, Workspaces workspaces) {
            convolveGroups(group, 1, input, inputOffset, output, outputOffset, residual, residualOffset, pool, workspaces);
        }

        @Override
        void convolveGroups(int firstGroup, int groups, float[] input, int inputOffset, float[] output,
                            int outputOffset, float[] residual, int residualOffset, WorkerPool pool,
                            Workspaces workspaces) {
            Workspace workspace = workspaces.forThread(pool.thread());
            BoundEpilogue epilogue = workspace.epilogue().bind(epilogues[firstGroup], residual, residualOffset,
                    shape.outputHeight() * shape.outputWidth());
            try {
                KERNELS.convolve(shape, groups, input, inputOffset, filters, weights, firstGroup * filters * filterFloats,
                        epilogue, output, outputOffset, workspace.band());
            } finally {
                epilogue.clear();
            }
        }
    }
}
