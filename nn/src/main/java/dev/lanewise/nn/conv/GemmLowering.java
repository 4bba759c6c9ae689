package dev.lanewise.nn.conv;

import dev.lanewise.kernels.Epilogue;
import dev.lanewise.kernels.internal.GemmConfig;
import dev.lanewise.kernels.internal.GemmDriver;
import dev.lanewise.kernels.internal.GemmMicroKernel;
import dev.lanewise.kernels.internal.Providers;

/**
 * What the GEMM-lowered algorithms share: per group, the GEMM {@code Y_g (K/group x OH*OW) = W_g
 * (K/group x C/group*KH*KW) * B_g}, with the weights prepacked once per layer and GEMM configuration
 * into {@link GemmDriver#prepackA}'s layout (group after group, {@link #groupFloats} apart), and each
 * group's bias and activation as the GEMM's epilogue, applied with the residual (if any) as it stores
 * the output.
 *
 * <p>Each output is one FMA chain over {@code (c, r, s)} in order, blocked like {@code Sgemm}; the
 * configuration depends on the problem's shape alone ({@code KernelProvider.gemmFor}).
 */
final class GemmLowering {

    final GemmConfig config;
    final float[] packedWeights;
    final int groupFloats;
    final Epilogue[] epilogues;
    final int m;
    final int k;
    final int n;

    GemmLowering(ConvProblem p, ConvWeights weights) {
        m = p.filtersPerGroup();
        k = p.weightsPerFilter();
        n = p.window().columns();
        config = Providers.current().gemmFor(m, n);
        groupFloats = GemmDriver.prepackedRows(config, m) * k;
        int groups = p.group();
        packedWeights = weights.repacked(config, w -> {
            float[] packed = new float[groups * groupFloats];
            for (int g = 0; g < groups; g++) {
                GemmDriver.prepackA(config, m, k, w, g * m * k, k, packed, g * groupFloats);
            }
            return packed;
        });
        epilogues = new Epilogue[groups];
        for (int g = 0; g < groups; g++) {
            epilogues[g] = weights.epilogue(g * m);
        }
    }

    /** The GEMM workspace a thread keeps for this configuration: packed blocks and kernel scratch. */
    long workspaceBytes() {
        return (long) Float.BYTES * ((long) config.packedAFloats() + config.packedBFloats() + GemmMicroKernel.SCRATCH_FLOATS);
    }
}
