package dev.lanewise.kernels.internal;

/** {@link PoolKernels} as plain loops over the per-output rules, for the scalar provider. */
final class ScalarPoolKernels extends PoolKernels {

    /** Per-thread partial sums of {@link #sum}. */
    private static final ThreadLocal<float[]> PARTIALS = ThreadLocal.withInitial(() -> new float[SUM_PARTIALS]);

    @Override
    public void max(PoolShape s, int planes, float[] in, int inOff, int inStride, float[] out, int outOff, int outStride) {
        maxByOutput(s, planes, in, inOff, inStride, out, outOff, outStride);
    }

    @Override
    public void maxWithIndices(PoolShape s, float[] in, int inOff, float[] out, int outOff,
                               long[] indices, int indicesOff, long indexBase) {
        maxWithIndicesByOutput(s, in, inOff, out, outOff, indices, indicesOff, indexBase);
    }

    @Override
    public void average(PoolShape s, boolean countPadding, int planes, float[] in, int inOff, int inStride,
                        float[] out, int outOff, int outStride) {
        averageByOutput(s, countPadding, planes, in, inOff, inStride, out, outOff, outStride);
    }

    @Override
    public float max(float[] in, int off, int n) {
        float m = Float.NEGATIVE_INFINITY;
        for (int i = 0; i < n; i++) {
            m = Math.max(m, in[off + i]);
        }
        return m;
    }

    @Override
    public float sum(float[] in, int off, int n) {
        float[] partials = PARTIALS.get();
        java.util.Arrays.fill(partials, -0.0f);
        for (int i = 0; i < n; i++) {
            partials[i % SUM_PARTIALS] += in[off + i];
        }
        return combinePartials(partials);
    }
}
