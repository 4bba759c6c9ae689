package dev.lanewise.kernels.internal;

import dev.lanewise.kernels.Epilogue;

/**
 * An {@link Epilogue} bound to one call's residual: what every kernel applies to a value it stores
 * at element {@code (i, j)} of its output, and the one scalar form of that arithmetic
 * ({@code TileStore.storeRows} in the vector package is the one vector form, which rounds the same):
 * <pre>
 *   t = t + bias(i, j)                       bias[biasOffset + i] (row bias) or bias[biasOffset + j] (column bias)
 *   t = t + R(i, j)                          R(i, j) = residual[residualOffset + i * ldr + j]
 *   result = act(t)                          identity, min(max(t, lo), hi), or t &lt; 0 ? negativeSlope * t : t
 * </pre>
 * each step only when it is present (no bias, no residual or the identity skip it; adding zero instead
 * would turn {@code -0.0} into {@code +0.0}). For a GEMM {@code (i, j)} is the element of C; a direct
 * convolution kernel writing {@code filters} output planes of {@code OH x OW} uses
 * {@code i = filter}, {@code j = oy * OW + ox}, and {@code ldr = OH * OW}.
 *
 * <p>Mutable, so that binding a residual to a call allocates nothing: each instance belongs to one
 * call at a time (a GEMM's per-thread job, a convolution's per-thread state), which binds it before
 * the call's work starts and clears it after; the kernels only read it. A new instance is the
 * identity.
 */
public final class BoundEpilogue {

    private Epilogue epilogue = Epilogue.NONE;
    private float[] residual;
    private int residualOffset;
    private int ldr;
    private boolean identity = true;

    /**
     * Binds {@code epilogue} and the residual {@code R(i, j) = residual[residualOffset + i * ldr + j]}
     * ({@code residual == null} for none) and returns this. The caller has checked the ranges.
     */
    public BoundEpilogue bind(Epilogue epilogue, float[] residual, int residualOffset, int ldr) {
        this.epilogue = epilogue;
        this.residual = residual;
        this.residualOffset = residualOffset;
        this.ldr = ldr;
        this.identity = epilogue.isIdentity() && residual == null;
        return this;
    }

    /** Binds the identity, dropping the references to the caller's arrays. */
    public void clear() {
        bind(Epilogue.NONE, null, 0, 0);
    }

    /** Whether every value is stored unchanged: no bias, no residual, no activation. */
    public boolean isIdentity() {
        return identity;
    }

    /** See the class documentation. */
    public float apply(float t, int i, int j) {
        Epilogue e = epilogue;
        if (e.biasKind() == Epilogue.Bias.ROW) {
            t += e.bias()[e.biasOffset() + i];
        } else if (e.biasKind() == Epilogue.Bias.COLUMN) {
            t += e.bias()[e.biasOffset() + j];
        }
        if (residual != null) {
            t += residual[residualOffset + i * ldr + j];
        }
        return switch (e.activation()) {
            case IDENTITY -> t;
            case CLAMP -> Math.min(Math.max(t, e.lo()), e.hi());
            case LEAKY_RELU -> t < 0 ? e.negativeSlope() * t : t;
        };
    }

    /**
     * Stores one element of a GEMM from its sum {@code s}: {@code c[ci] = apply(t, i, j)} with
     * {@code t = beta == 0 ? alpha * s : fma(s, alpha, beta == 1 ? c[ci] : beta * c[ci])}, the rounding
     * of {@link GemmMicroKernel}'s contract ({@code c[ci]} is not read when {@code beta == 0}).
     */
    public void store(float s, float alpha, float beta, float[] c, int ci, int i, int j) {
        float t = beta == 0f ? s * alpha : Math.fma(s, alpha, beta == 1f ? c[ci] : beta * c[ci]);
        c[ci] = apply(t, i, j);
    }

    /** The bound epilogue: bias and activation. */
    public Epilogue epilogue() {
        return epilogue;
    }

    /** The residual array, or {@code null} without a residual. */
    public float[] residual() {
        return residual;
    }

    /** Index in {@link #residual()} of {@code R(0, 0)}. */
    public int residualOffset() {
        return residualOffset;
    }

    /** Elements between the starts of two rows of R. */
    public int ldr() {
        return ldr;
    }
}
