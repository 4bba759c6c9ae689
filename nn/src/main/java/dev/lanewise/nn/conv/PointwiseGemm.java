package dev.lanewise.nn.conv;

import dev.lanewise.kernels.internal.GemmDriver;
import dev.lanewise.kernels.internal.WorkerPool;
import dev.lanewise.kernels.internal.Workspaces;

/**
 * A pointwise convolution (1x1 kernel, unit strides, no padding) as one GEMM per group, whose B is
 * the group's input planes read in place: {@code C/group} rows of {@code H * W} columns, row
 * stride {@code H * W}. Nothing is copied but the GEMM's own packing.
 */
final class PointwiseGemm extends ConvAlgorithm {

    static final PointwiseGemm INSTANCE = new PointwiseGemm();

    private PointwiseGemm() {
        super("pointwise-gemm");
    }

    @Override
    public boolean supports(ConvProblem p) {
        return p.window().isPointwise();
    }

    @Override
    ConvPlan newPlan(ConvProblem p, ConvWeights weights) {
        return new Plan(this, p, new GemmLowering(p, weights));
    }

    private static final class Plan extends ConvPlan {
        private final GemmLowering gemm;
        private final int plane;

        Plan(ConvAlgorithm algorithm, ConvProblem p, GemmLowering gemm) {
            super(algorithm, p);
            this.gemm = gemm;
            this.plane = p.window().height() * p.window().width();
        }

        @Override
        public long workspaceBytesPerThread() {
            return gemm.workspaceBytes();
        }

        @Override
        boolean splitsItem() {
            return true;
        }

        @Override
        void convolve(int group, float[] input, int inputOffset, float[] output, int outputOffset,
                      float[] residual, int residualOffset, WorkerPool pool, Workspaces workspaces) {
            GemmLowering l = gemm;
            GemmDriver.sgemmPrepackedA(l.config, pool, workspaces, l.m, l.n, l.k, l.packedWeights, group * l.groupFloats,
                    null, input, inputOffset, plane, output, outputOffset, l.n, l.epilogues[group],
                    residual, residualOffset, l.n);
        }
    }
}
