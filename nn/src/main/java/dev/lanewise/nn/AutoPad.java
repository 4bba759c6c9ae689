package dev.lanewise.nn;

import dev.lanewise.kernels.internal.Checks;

/**
 * ONNX {@code auto_pad}, the attribute of {@code Conv}, {@code MaxPool} and {@code AveragePool}
 * that derives the pads from the input size; used by {@link Conv2d} and {@link PoolWindow}.
 *
 * <p>Along one axis of input length {@code n}, with kernel {@code k}, stride {@code s}, dilation
 * {@code d} and dilated extent {@code e = (k - 1) d + 1}:
 * <pre>
 *   NOTSET:      the operator's explicit pads
 *   VALID:       begin = end = 0
 *   SAME_UPPER:  total = max(0, (ceil(n / s) - 1) s + e - n), begin = floor(total / 2), end = total - begin
 *   SAME_LOWER:  the same total, begin = ceil(total / 2), end = total - begin
 * </pre>
 * so SAME puts an odd cell at the end (UPPER) or at the start (LOWER), and gives {@code ceil(n / s)}
 * outputs in floor mode: with {@code total > 0} the windows span exactly the padded input, and with
 * {@code total = 0} (the kernel and stride already reach every input element)
 * {@code floor((n - e) / s) + 1 = ceil(n / s)}. The formula is ONNX's {@code pad_shape} with the
 * dilated kernel, as its {@code Conv}, {@code MaxPool} and {@code AveragePool} specifications and
 * its reference implementation compute it; the clamp at 0 keeps pads non-negative where that
 * formula would give {@code -1 .. -(s - 1)} (a kernel smaller than the stride), without changing
 * any output.
 *
 * <p>Pure, allocation-free and thread-safe.
 */
public enum AutoPad {
    /** The pads are the explicit ones ({@link Conv2d.Builder#pads}, {@link PoolWindow#withPads}). */
    NOTSET,
    /** Output size {@code ceil(n / s)}; an odd total pad puts the extra cell at the end. */
    SAME_UPPER,
    /** Output size {@code ceil(n / s)}; an odd total pad puts the extra cell at the start. */
    SAME_LOWER,
    /** No padding. */
    VALID;

    /**
     * The pad before the first element along one axis (top or left), by the rule in the class comment.
     *
     * @param explicitPad the operator's explicit pad, returned for {@link #NOTSET} and ignored otherwise
     * @param size        input length {@code n}
     * @throws IllegalArgumentException if {@code explicitPad < 0}, another argument is below 1, or
     *                                  the pad exceeds {@code Integer.MAX_VALUE}
     */
    public int padBegin(int explicitPad, int size, int kernel, int stride, int dilation) {
        return pad(false, explicitPad, size, kernel, stride, dilation);
    }

    /**
     * The pad after the last element along one axis (bottom or right), by the rule in the class comment.
     *
     * @param explicitPad the operator's explicit pad, returned for {@link #NOTSET} and ignored otherwise
     * @param size        input length {@code n}
     * @throws IllegalArgumentException as {@link #padBegin}
     */
    public int padEnd(int explicitPad, int size, int kernel, int stride, int dilation) {
        return pad(true, explicitPad, size, kernel, stride, dilation);
    }

    /** The begin or end pad: the rule of the class comment, written once. */
    private int pad(boolean atEnd, int explicitPad, int size, int kernel, int stride, int dilation) {
        Checks.nonNegative("explicitPad", explicitPad);
        Checks.positive("size", size);
        Checks.positive("kernel", kernel);
        Checks.positive("stride", stride);
        Checks.positive("dilation", dilation);
        return switch (this) {
            case NOTSET -> explicitPad;
            case VALID -> 0;
            case SAME_UPPER, SAME_LOWER -> {
                long out = ((long) size + stride - 1) / stride;
                long total = Math.max(0, (out - 1) * stride + (long) (kernel - 1) * dilation + 1 - size);
                if (total > Integer.MAX_VALUE) {
                    throw new IllegalArgumentException("the SAME pad " + total + " for size " + size + ", kernel "
                            + kernel + ", stride " + stride + ", dilation " + dilation + " exceeds Integer.MAX_VALUE");
                }
                // the larger half goes to the end for SAME_UPPER, to the start for SAME_LOWER
                yield (int) (atEnd == (this == SAME_UPPER) ? total - total / 2 : total / 2);
            }
        };
    }
}
