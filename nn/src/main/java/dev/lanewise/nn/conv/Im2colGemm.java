package dev.lanewise.nn.conv;

import dev.lanewise.im2col.ConvGeometry;
import dev.lanewise.im2col.internal.ImplicitIm2col;
import dev.lanewise.kernels.internal.GemmDriver;
import dev.lanewise.kernels.internal.WorkerPool;
import dev.lanewise.kernels.internal.Workspace;
import dev.lanewise.kernels.internal.Workspaces;

/**
 * Any convolution as one GEMM per group over the column matrix of {@link ConvGeometry}, which is
 * never built: the GEMM's B panels are cut straight from the image as the GEMM needs them
 * ({@link ImplicitIm2col}, one {@code KC x NR} panel at a time), after copying a padded image of at
 * most {@value ImplicitIm2col#PADDED_IMAGE_MAX_FLOATS} floats into a zero-bordered one. The memory a
 * call keeps is the GEMM's bounded workspace plus that copy, whatever the image size. The algorithm
 * of last resort: it supports every problem.
 */
final class Im2colGemm extends ConvAlgorithm {

    static final Im2colGemm INSTANCE = new Im2colGemm();

    private Im2colGemm() {
        super("im2col-gemm");
    }

    @Override
    public boolean supports(ConvProblem p) {
        return true;
    }

    @Override
    ConvPlan newPlan(ConvProblem p, ConvWeights weights) {
        return new Plan(this, p, new GemmLowering(p, weights));
    }

    private static final class Plan extends ConvPlan {
        private final GemmLowering gemm;
        private final ConvGeometry window;
        private final ConvGeometry padded;

        Plan(ConvAlgorithm algorithm, ConvProblem p, GemmLowering gemm) {
            super(algorithm, p);
            this.gemm = gemm;
            this.window = p.window();
            this.padded = ImplicitIm2col.paddedWindow(window);
        }

        @Override
        public long workspaceBytesPerThread() {
            return gemm.workspaceBytes() + (padded == null ? 0 : (long) Float.BYTES * padded.imageSize());
        }

        @Override
        boolean splitsItem() {
            return true;
        }

        @Override
        void convolve(int group, float[] input, int inputOffset, float[] output, int outputOffset,
                      float[] residual, int residualOffset, WorkerPool pool, Workspaces workspaces) {
            GemmLowering l = gemm;
            Workspace workspace = workspaces.forThread(pool.thread());
            ImplicitIm2col source = ImplicitIm2col.of(workspace);
            source.set(window, padded, input, inputOffset, workspace);
            try {
                GemmDriver.sgemmPrepackedA(l.config, pool, workspaces, l.m, l.n, l.k, l.packedWeights, group * l.groupFloats,
                        source, null, 0, 0, output, outputOffset, l.n, l.epilogues[group], residual, residualOffset, l.n);
            } finally {
                source.clear();
            }
        }
    }
}
