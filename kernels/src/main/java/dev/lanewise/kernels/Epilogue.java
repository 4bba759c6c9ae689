package dev.lanewise.kernels;

import java.util.Locale;
import java.util.Objects;

/**
 * What a GEMM does to each element of C as it stores it: add a bias, add a residual, then apply an
 * activation.
 *
 * <p>With an epilogue, {@link Sgemm} computes, for every {@code 0 <= i < m, 0 <= j < n}, in this
 * order, each step one {@code float} operation rounded to {@code float}:
 * <pre>
 *   t = alpha * sum_p op(A)[i][p] * op(B)[p][j] + beta * C[i][j]   (the GEMM's own rounding, see Sgemm)
 *   t = t + bias(i, j)                                           (only with a bias)
 *   t = t + R[i][j]                                              (only when the call passes a residual R)
 *   C[i][j] = act(t)
 * </pre>
 * where {@code bias(i, j)} is {@code bias[offset + i]} for a {@linkplain #rowBias row bias} and
 * {@code bias[offset + j]} for a {@linkplain #columnBias column bias}; R, a residual addend with C's
 * shape (ResNet's skip connection, ONNX {@code Add} fused into the convolution before it), is not
 * part of the epilogue but an argument of the call (see
 * {@link Sgemm#sgemm(boolean, boolean, int, int, int, float, float[], int, int, float[], int, int, float, float[], int, int, Epilogue, float[], int, int)}),
 * so that one epilogue serves every call without allocating. A missing step is skipped, not
 * replaced by adding zero (which would turn {@code -0.0} into {@code +0.0}). {@code act} is
 * <ul>
 *   <li>{@link Activation#IDENTITY}: {@code t};</li>
 *   <li>{@link Activation#CLAMP}: {@code min(max(t, lo), hi)} with {@link Math#max(float, float)} and
 *       {@link Math#min(float, float)}: NaN propagates, and {@code -0.0 < +0.0}, so ReLU (a clamp to
 *       {@code [0, +inf]}) maps {@code -0.0} to {@code +0.0};</li>
 *   <li>{@link Activation#LEAKY_RELU}: {@code t < 0 ? negativeSlope * t : t} (ONNX {@code LeakyRelu}):
 *       NaN and {@code -0.0} pass unchanged, as in {@code nn.Activation}.</li>
 * </ul>
 * The epilogue is applied exactly once, after the whole sum over {@code p}, never to a partial sum,
 * and every implementation path (vector and scalar kernels, the dot-product kernel, the
 * {@code k == 0} or {@code alpha == 0} scaling, any thread count) performs these same operations.
 *
 * <p>Convolution uses a row bias (one value per output channel, which is a row of the lowered
 * GEMM); a dense layer computed as {@code X * W^T} uses a column bias.
 *
 * <p>Instances are immutable and safe to share between threads. The bias array is referenced,
 * not copied, and read (never written) by every GEMM call that uses the epilogue.
 */
public final class Epilogue {

    /** Where the bias vector is indexed from. */
    public enum Bias {
        /** No bias. */
        NONE,
        /** {@code bias[offset + i]}: one value per row of C (per output channel of a convolution). */
        ROW,
        /** {@code bias[offset + j]}: one value per column of C (per output feature of a dense layer). */
        COLUMN
    }

    /** The function applied last, to the sum with its bias and residual. */
    public enum Activation {
        /** {@code t}: no activation. */
        IDENTITY,
        /** {@code min(max(t, lo), hi)}; ReLU is the clamp to {@code [0, +inf]}. */
        CLAMP,
        /** {@code t < 0 ? negativeSlope * t : t}; NaN and {@code -0.0} pass unchanged. */
        LEAKY_RELU
    }

    /** Stores C unchanged: no bias, no activation. */
    public static final Epilogue NONE = new Epilogue(Bias.NONE, null, 0, Activation.IDENTITY,
            Float.NEGATIVE_INFINITY, Float.POSITIVE_INFINITY, 0f);

    private final Bias biasKind;
    private final float[] bias;
    private final int biasOffset;
    private final Activation activation;
    private final float lo;
    private final float hi;
    private final float negativeSlope;

    private Epilogue(Bias biasKind, float[] bias, int biasOffset, Activation activation, float lo, float hi,
                     float negativeSlope) {
        this.biasKind = biasKind;
        this.bias = bias;
        this.biasOffset = biasOffset;
        this.activation = activation;
        this.lo = lo;
        this.hi = hi;
        this.negativeSlope = negativeSlope;
    }

    /** ReLU without a bias: {@code max(x, 0)}. */
    public static Epilogue relu() {
        return NONE.withRelu();
    }

    /** A clamp to {@code [min, max]} without a bias; see {@link #withClamp(float, float)}. */
    public static Epilogue clamp(float min, float max) {
        return NONE.withClamp(min, max);
    }

    /** LeakyReLU without a bias; see {@link #withLeakyRelu(float)}. */
    public static Epilogue leakyRelu(float negativeSlope) {
        return NONE.withLeakyRelu(negativeSlope);
    }

    /**
     * Adds {@code bias[offset + i]} to row {@code i} of C.
     *
     * @param bias   the bias values; not copied, not modified. The GEMM checks that it holds
     *               {@code m} values from {@code offset}.
     * @param offset index of row 0's bias value, {@code >= 0}
     */
    public static Epilogue rowBias(float[] bias, int offset) {
        return NONE.withBias(Bias.ROW, checkBias(bias, offset), offset);
    }

    /**
     * Adds {@code bias[offset + j]} to column {@code j} of C.
     *
     * @param bias   the bias values; not copied, not modified. The GEMM checks that it holds
     *               {@code n} values from {@code offset}.
     * @param offset index of column 0's bias value, {@code >= 0}
     */
    public static Epilogue columnBias(float[] bias, int offset) {
        return NONE.withBias(Bias.COLUMN, checkBias(bias, offset), offset);
    }

    /** This epilogue followed by ReLU, {@code max(x, 0)} (a clamp to {@code [0, +inf]}). */
    public Epilogue withRelu() {
        return withClamp(0f, Float.POSITIVE_INFINITY);
    }

    /**
     * This epilogue followed by a clamp to {@code [min, max]}: {@code min(max(x, min), max)}.
     * {@code clamp(0, 6)} is ReLU6. Replaces any activation this epilogue had; the clamp to
     * {@code [-inf, +inf]} is no activation.
     *
     * @throws IllegalArgumentException if a bound is NaN or {@code min > max}
     */
    public Epilogue withClamp(float min, float max) {
        if (Float.isNaN(min) || Float.isNaN(max) || min > max) {
            throw new IllegalArgumentException(
                    "clamp bounds [min, max] = [" + min + ", " + max + "] must be numbers with min <= max");
        }
        boolean none = min == Float.NEGATIVE_INFINITY && max == Float.POSITIVE_INFINITY;
        return new Epilogue(biasKind, bias, biasOffset, none ? Activation.IDENTITY : Activation.CLAMP, min, max, 0f);
    }

    /**
     * This epilogue followed by ONNX {@code LeakyRelu}: {@code t < 0 ? negativeSlope * t : t}, so NaN
     * and {@code -0.0} pass unchanged (ONNX's default slope is 0.01). Replaces any activation this
     * epilogue had.
     *
     * @throws IllegalArgumentException if {@code negativeSlope} is not finite
     */
    public Epilogue withLeakyRelu(float negativeSlope) {
        if (!Float.isFinite(negativeSlope)) {
            throw new IllegalArgumentException("negativeSlope = " + negativeSlope + " must be finite");
        }
        return new Epilogue(biasKind, bias, biasOffset, Activation.LEAKY_RELU,
                Float.NEGATIVE_INFINITY, Float.POSITIVE_INFINITY, negativeSlope);
    }

    /**
     * This epilogue's bias followed by {@code other}'s activation (its bias is ignored): how a layer
     * that keeps its activation as an epilogue combines it with each group's bias.
     */
    public Epilogue withActivationOf(Epilogue other) {
        return new Epilogue(biasKind, bias, biasOffset, other.activation, other.lo, other.hi, other.negativeSlope);
    }

    private Epilogue withBias(Bias kind, float[] values, int offset) {
        return new Epilogue(kind, values, offset, activation, lo, hi, negativeSlope);
    }

    /** Where the bias is indexed from, or {@link Bias#NONE}. */
    public Bias biasKind() {
        return biasKind;
    }

    /** The bias array (not a copy), or {@code null} without a bias. */
    public float[] bias() {
        return bias;
    }

    /** Index in {@link #bias()} of row 0's (or column 0's) value. */
    public int biasOffset() {
        return biasOffset;
    }

    /** The activation. */
    public Activation activation() {
        return activation;
    }

    /** Lower clamp bound, {@code -inf} when there is none. */
    public float lo() {
        return lo;
    }

    /** Upper clamp bound, {@code +inf} when there is none. */
    public float hi() {
        return hi;
    }

    /** The slope of {@link Activation#LEAKY_RELU} for negative values (0 for other activations). */
    public float negativeSlope() {
        return negativeSlope;
    }

    /** Whether the activation is a clamp (a finite bound). */
    public boolean clamps() {
        return activation == Activation.CLAMP;
    }

    /** Whether this epilogue leaves every value unchanged: no bias, no activation. */
    public boolean isIdentity() {
        return biasKind == Bias.NONE && activation == Activation.IDENTITY;
    }

    @Override
    public String toString() {
        String act = switch (activation) {
            case IDENTITY -> "";
            case CLAMP -> lo == 0f && hi == Float.POSITIVE_INFINITY ? "relu" : "clamp[" + lo + ", " + hi + "]";
            case LEAKY_RELU -> "leakyRelu[" + negativeSlope + "]";
        };
        String b = biasKind == Bias.NONE ? "" : biasKind.name().toLowerCase(Locale.ROOT) + "Bias@" + biasOffset;
        return "Epilogue[" + b + (b.isEmpty() || act.isEmpty() ? "" : " + ") + act + "]";
    }

    private static float[] checkBias(float[] bias, int offset) {
        Objects.requireNonNull(bias, "bias");
        if (offset < 0 || offset > bias.length) {
            throw new IndexOutOfBoundsException(
                    "bias offset = " + offset + " must be in [0, bias.length = " + bias.length + "]");
        }
        return bias;
    }
}
