package dev.lanewise.kernels;

import java.util.Objects;

/**
 * What a GEMM does to each element of C as it stores it: add a bias, then clamp.
 *
 * <p>With an epilogue, {@link Sgemm} computes, for every {@code 0 <= i < m, 0 <= j < n}:
 * <pre>
 *   C[i][j] = min(max(alpha * sum_p op(A)[i][p] * op(B)[p][j] + beta * C[i][j] + bias(i, j), lo), hi)
 * </pre>
 * where {@code bias(i, j)} is {@code bias[offset + i]} for a {@linkplain #rowBias row bias},
 * {@code bias[offset + j]} for a {@linkplain #columnBias column bias}, and 0 without one;
 * {@code lo} and {@code hi} are the activation's bounds ({@code -inf, +inf} without one).
 * The epilogue is applied exactly once, after the whole sum over {@code p}, never to a partial sum.
 *
 * <p>{@code max} and {@code min} follow {@link Math#max(float, float)}: NaN propagates (a NaN sum
 * stays NaN after ReLU), and {@code -0.0 < +0.0}, so ReLU maps {@code -0.0} to {@code +0.0} on every
 * implementation path.
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

    /** Stores C unchanged: no bias, no activation. */
    public static final Epilogue NONE =
            new Epilogue(Bias.NONE, null, 0, Float.NEGATIVE_INFINITY, Float.POSITIVE_INFINITY);

    private final Bias biasKind;
    private final float[] bias;
    private final int biasOffset;
    private final float lo;
    private final float hi;

    private Epilogue(Bias biasKind, float[] bias, int biasOffset, float lo, float hi) {
        this.biasKind = biasKind;
        this.bias = bias;
        this.biasOffset = biasOffset;
        this.lo = lo;
        this.hi = hi;
    }

    /** ReLU without a bias: {@code max(x, 0)}. */
    public static Epilogue relu() {
        return NONE.withRelu();
    }

    /** A clamp to {@code [min, max]} without a bias; see {@link #withClamp(float, float)}. */
    public static Epilogue clamp(float min, float max) {
        return NONE.withClamp(min, max);
    }

    /**
     * Adds {@code bias[offset + i]} to row {@code i} of C.
     *
     * @param bias   the bias values; not copied, not modified. The GEMM checks that it holds
     *               {@code m} values from {@code offset}.
     * @param offset index of row 0's bias value, {@code >= 0}
     */
    public static Epilogue rowBias(float[] bias, int offset) {
        return new Epilogue(Bias.ROW, checkBias(bias, offset), offset,
                Float.NEGATIVE_INFINITY, Float.POSITIVE_INFINITY);
    }

    /**
     * Adds {@code bias[offset + j]} to column {@code j} of C.
     *
     * @param bias   the bias values; not copied, not modified. The GEMM checks that it holds
     *               {@code n} values from {@code offset}.
     * @param offset index of column 0's bias value, {@code >= 0}
     */
    public static Epilogue columnBias(float[] bias, int offset) {
        return new Epilogue(Bias.COLUMN, checkBias(bias, offset), offset,
                Float.NEGATIVE_INFINITY, Float.POSITIVE_INFINITY);
    }

    /** This epilogue followed by ReLU, {@code max(x, 0)} (a clamp to {@code [0, +inf]}). */
    public Epilogue withRelu() {
        return withClamp(0f, Float.POSITIVE_INFINITY);
    }

    /**
     * This epilogue followed by a clamp to {@code [min, max]}: {@code min(max(x, min), max)}.
     * {@code clamp(0, 6)} is ReLU6. Replaces any activation this epilogue had.
     *
     * @throws IllegalArgumentException if a bound is NaN or {@code min > max}
     */
    public Epilogue withClamp(float min, float max) {
        if (Float.isNaN(min) || Float.isNaN(max) || min > max) {
            throw new IllegalArgumentException(
                    "clamp bounds [min, max] = [" + min + ", " + max + "] must be numbers with min <= max");
        }
        return new Epilogue(biasKind, bias, biasOffset, min, max);
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

    /** Lower clamp bound, {@code -inf} when there is none. */
    public float lo() {
        return lo;
    }

    /** Upper clamp bound, {@code +inf} when there is none. */
    public float hi() {
        return hi;
    }

    /** Whether the epilogue clamps at all (a finite bound). */
    public boolean clamps() {
        return lo != Float.NEGATIVE_INFINITY || hi != Float.POSITIVE_INFINITY;
    }

    /** Whether this epilogue leaves every value unchanged. */
    public boolean isIdentity() {
        return biasKind == Bias.NONE && !clamps();
    }

    @Override
    public String toString() {
        String act = !clamps() ? "" : lo == 0f && hi == Float.POSITIVE_INFINITY ? "relu" : "clamp[" + lo + ", " + hi + "]";
        String b = biasKind == Bias.NONE ? "" : biasKind.name().toLowerCase(java.util.Locale.ROOT) + "Bias@" + biasOffset;
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
