package dev.lanewise.kernels.internal;

/**
 * Element-wise activations, {@code out[outOff + i] = f(in[inOff + i])} for {@code i < n}; the
 * ranges are identical (in place) or disjoint. Arguments are not checked.
 *
 * <p>Every path computes the same bits:
 * <ul>
 *   <li>{@link #clamp}: {@code Math.min(Math.max(x, lo), hi)}: NaN stays NaN, and {@code -0.0}
 *       clamped at {@code lo = +0.0} becomes {@code +0.0} ({@code Math.max} orders {@code -0.0}
 *       below {@code +0.0}). ReLU is {@code clamp(x, +0.0, +inf)}, ReLU6 {@code clamp(x, +0.0, 6)}.</li>
 *   <li>{@link #leakyRelu}: {@code x < 0 ? alpha * x : x}: NaN and {@code -0.0} pass unchanged.</li>
 * </ul>
 */
public abstract class ActivationKernels {

    /** {@code Math.min(Math.max(x, lo), hi)}; an infinite bound is skipped (it changes nothing). */
    public abstract void clamp(float[] in, int inOff, float[] out, int outOff, int n, float lo, float hi);

    /** {@code x < 0 ? alpha * x : x}. */
    public abstract void leakyRelu(float[] in, int inOff, float[] out, int outOff, int n, float alpha);
}
