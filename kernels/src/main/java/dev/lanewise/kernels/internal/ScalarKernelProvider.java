package dev.lanewise.kernels.internal;

import java.util.List;

/** The plain-Java implementation: correct everywhere, used when the Vector API cannot be. */
final class ScalarKernelProvider extends KernelProvider {

    /** Share of L1d for a micro-panel of A (see {@link GemmConfig}); not tuned, speed is not this provider's job. */
    private static final double A_PANEL_L1_SHARE = 0.5;

    private final GemmConfig gemm = GemmConfig.derive(new ScalarGemmKernel4x4(), new ScalarGemmDotKernel(),
            CacheSizes.detected(), A_PANEL_L1_SHARE);
    private final ArrayKernels arrays = new ScalarArrayKernels();
    private final PoolKernels pooling = new ScalarPoolKernels();
    private final ActivationKernels activations = new ScalarActivationKernels();
    private final DirectConvKernels directConv = new ScalarDirectConvKernels();
    private final DepthwiseKernels depthwise = new ScalarDepthwiseKernels();

    @Override
    public String name() {
        return "scalar (plain Java)";
    }

    @Override
    public int floatLanes() {
        return 1;
    }

    @Override
    public GemmConfig gemm() {
        return gemm;
    }

    @Override
    public List<GemmConfig> gemmChoices() {
        return List.of(gemm);
    }

    @Override
    public List<GemmConfig> gemmVariants() {
        return List.of(gemm);
    }

    @Override
    public ArrayKernels arrays() {
        return arrays;
    }

    @Override
    public PoolKernels pooling() {
        return pooling;
    }

    @Override
    public DepthwiseKernels depthwise() {
        return depthwise;
    }

    @Override
    public List<DirectConvKernels> directConvChoices() {
        return List.of(directConv);
    }

    @Override
    public List<DirectConvKernels> directConvVariants() {
        return List.of(directConv);
    }

    @Override
    public ActivationKernels activations() {
        return activations;
    }
}
