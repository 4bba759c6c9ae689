package dev.lanewise.kernels.internal;

/** {@link PoolKernels} as plain loops over the per-output rules, for the scalar provider. */
final class ScalarPoolKernels extends PoolKernels {

    /** The per-output rules need no buffers. */
    @Override
    public long scratchBytes(WindowShape s) {
        return 0;
    }

    @Override
    public void max(WindowShape s, int planes, float[] in, int inOff, int inStride, float[] out, int outOff, int outStride,
                    PoolScratch scratch) {
        maxByOutput(s, planes, in, inOff, inStride, out, outOff, outStride);
    }

    @Override
    public void maxWithIndices(WindowShape s, float[] in, int inOff, float[] out, int outOff,
                               long[] indices, int indicesOff, long indexBase, PoolScratch scratch) {
        maxWithIndicesByOutput(s, in, inOff, out, outOff, indices, indicesOff, indexBase);
    }

    @Override
    public void average(WindowShape s, boolean countPadding, int planes, float[] in, int inOff, int inStride,
                        float[] out, int outOff, int outStride, PoolScratch scratch) {
        averageByOutput(s, countPadding, planes, in, inOff, inStride, out, outOff, outStride);
    }

    @Override
    public void globalMax(int planes, int n, float[] in, int inOff, int inStride, float[] out, int outOff) {
        for (int p = 0; p < planes; p++) {
            float m = Float.NEGATIVE_INFINITY;
            for (int i = 0; i < n; i++) {
                m = Math.max(m, in[inOff + p * inStride + i]);
            }
            out[outOff + p] = m;
        }
    }

    @Override
    public void globalAverage(int planes, int n, float[] in, int inOff, int inStride, float[] out, int outOff,
                              PoolScratch scratch) {
        float[] partials = scratch.partials();
        for (int p = 0; p < planes; p++) {
            out[outOff + p] = sumByElement(in, inOff + p * inStride, n, partials) / n;
        }
    }
}
