package dev.lanewise.kernels.internal;

/** {@link ActivationKernels} as plain loops, for the scalar provider. */
final class ScalarActivationKernels extends ActivationKernels {

    @Override
    public void clamp(float[] in, int inOff, float[] out, int outOff, int n, float lo, float hi) {
        for (int i = 0; i < n; i++) {
            out[outOff + i] = Math.min(Math.max(in[inOff + i], lo), hi);
        }
    }

    @Override
    public void leakyRelu(float[] in, int inOff, float[] out, int outOff, int n, float alpha) {
        for (int i = 0; i < n; i++) {
            float x = in[inOff + i];
            out[outOff + i] = x < 0 ? alpha * x : x;
        }
    }
}
