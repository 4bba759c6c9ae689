package dev.lanewise.kernels.internal;

/**
 * A 2D window (pooling's or a direct convolution's) over one {@code height x width} plane, resolved
 * into what the kernels read: the output size and, per output row and column, which window taps fall
 * inside the input. The one place where the window arithmetic of the direct kernels lives.
 *
 * <p>Along one axis of input length {@code n}, with kernel {@code k}, stride {@code s}, dilation
 * {@code d}, pads {@code pb} (begin) and {@code pe} (end), and dilated extent {@code e = (k - 1) d + 1}:
 * <pre>
 *   out = floor((n + pb + pe - e) / s) + 1                     (floor mode; ONNX Conv's rule)
 *   out = ceil((n + pb + pe - e) / s) + 1, minus 1 if (out - 1) s >= n + pb   (ceil mode, pooling only)
 * </pre>
 * The ceil-mode correction drops a last window that would start inside the end padding, as
 * ONNX Runtime and PyTorch do. Output {@code o}'s window has taps {@code j = 0 .. k-1} at input
 * index {@code o s - pb + j d}; the taps inside {@code [0, n)} are {@code j} in
 * {@code [first(o), end(o))}, a contiguous range. A pooling window must hold at least one input
 * element (padding alone has no maximum and no average), so {@link #pool} rejects such a shape; a
 * convolution window may hold padding alone ({@link #convolution}: its output is the bias), and
 * then {@code first(o) >= end(o)}.
 *
 * <p>{@code padded(o)} counts the taps inside the padded extent {@code [-pb, n + pe)}: the
 * divisor of an average pool that counts padding ({@code count_include_pad = 1}).
 *
 * <p>Immutable; built once per (window, input size) and cached by the operators.
 */
public final class WindowShape {

    private final int height;
    private final int width;
    private final int kernelHeight;
    private final int kernelWidth;
    private final int strideHeight;
    private final int strideWidth;
    private final int dilationHeight;
    private final int dilationWidth;
    private final int padTop;
    private final int padLeft;
    private final Axis rows;
    private final Axis columns;

    private WindowShape(int height, int width, int kernelHeight, int kernelWidth, int strideHeight, int strideWidth,
                        int padTop, int padLeft, int padBottom, int padRight, int dilationHeight, int dilationWidth,
                        boolean ceilMode, boolean emptyWindows) {
        if (height < 1 || width < 1) {
            throw new IllegalArgumentException("height = " + height + " and width = " + width + " must be >= 1");
        }
        this.height = height;
        this.width = width;
        this.kernelHeight = kernelHeight;
        this.kernelWidth = kernelWidth;
        this.strideHeight = strideHeight;
        this.strideWidth = strideWidth;
        this.dilationHeight = dilationHeight;
        this.dilationWidth = dilationWidth;
        this.padTop = padTop;
        this.padLeft = padLeft;
        this.rows = new Axis("height", height, kernelHeight, strideHeight, padTop, padBottom, dilationHeight, ceilMode,
                emptyWindows);
        this.columns = new Axis("width", width, kernelWidth, strideWidth, padLeft, padRight, dilationWidth, ceilMode,
                emptyWindows);
        if ((long) rows.out * columns.out > Integer.MAX_VALUE) {
            throw new IllegalArgumentException("output plane " + rows.out + " x " + columns.out + " exceeds Integer.MAX_VALUE");
        }
    }

    /**
     * A pooling window over a {@code height x width} plane.
     *
     * @throws IllegalArgumentException if a size is out of range, the dilated kernel exceeds the
     *                                  padded input, or some window holds no input element
     */
    public static WindowShape pool(int height, int width, int kernelHeight, int kernelWidth, int strideHeight,
                                   int strideWidth, int padTop, int padLeft, int padBottom, int padRight,
                                   int dilationHeight, int dilationWidth, boolean ceilMode) {
        return new WindowShape(height, width, kernelHeight, kernelWidth, strideHeight, strideWidth, padTop, padLeft,
                padBottom, padRight, dilationHeight, dilationWidth, ceilMode, false);
    }

    /**
     * A convolution window over a {@code height x width} plane (floor mode; windows of padding alone
     * allowed).
     *
     * @throws IllegalArgumentException if a size is out of range or the dilated kernel exceeds the
     *                                  padded input
     */
    public static WindowShape convolution(int height, int width, int kernelHeight, int kernelWidth, int strideHeight,
                                          int strideWidth, int padTop, int padLeft, int padBottom, int padRight,
                                          int dilationHeight, int dilationWidth) {
        return new WindowShape(height, width, kernelHeight, kernelWidth, strideHeight, strideWidth, padTop, padLeft,
                padBottom, padRight, dilationHeight, dilationWidth, false, true);
    }

    /**
     * The output length along one axis under the rules above, or an exception naming {@code axis}.
     */
    public static int outputLength(String axis, int n, int k, int s, int padBegin, int padEnd, int d, boolean ceilMode) {
        long extent = (long) (k - 1) * d + 1;
        long span = (long) n + padBegin + padEnd - extent;
        if (span < 0) {
            throw new IllegalArgumentException("the dilated kernel " + axis + " " + extent + " exceeds the padded input "
                    + axis + " " + n + " + " + padBegin + " + " + padEnd);
        }
        long out = (ceilMode ? (span + s - 1) / s : span / s) + 1;
        if (ceilMode && (out - 1) * s >= (long) n + padBegin) {
            out--;
        }
        if (out > Integer.MAX_VALUE) {
            throw new IllegalArgumentException("output " + axis + " " + out + " exceeds Integer.MAX_VALUE");
        }
        return (int) out;
    }

    public int height() {
        return height;
    }

    public int width() {
        return width;
    }

    public int outputHeight() {
        return rows.out;
    }

    public int outputWidth() {
        return columns.out;
    }

    public int kernelHeight() {
        return kernelHeight;
    }

    public int kernelWidth() {
        return kernelWidth;
    }

    public int strideHeight() {
        return strideHeight;
    }

    public int strideWidth() {
        return strideWidth;
    }

    public int dilationHeight() {
        return dilationHeight;
    }

    public int dilationWidth() {
        return dilationWidth;
    }

    public int padTop() {
        return padTop;
    }

    public int padLeft() {
        return padLeft;
    }

    /** Whether some window has columns outside the input: in the padding, or past it in ceil mode. */
    public boolean columnsClipped() {
        return columns.clipped;
    }

    /**
     * Columns that the windows' taps span together, from input column {@code -padLeft}:
     * {@code (outputWidth - 1) * strideWidth + (kernelWidth - 1) * dilationWidth + 1}.
     */
    public int spanWidth() {
        return columns.span;
    }

    /** Input row of output row {@code oy}'s tap 0 (negative inside the top padding). */
    public int rowStart(int oy) {
        return oy * strideHeight - padTop;
    }

    /** Input column of output column {@code ox}'s tap 0 (negative inside the left padding). */
    public int columnStart(int ox) {
        return ox * strideWidth - padLeft;
    }

    /** First kernel row of output row {@code oy} inside the input. */
    public int firstRow(int oy) {
        return rows.first[oy];
    }

    /** One past the last kernel row of output row {@code oy} inside the input. */
    public int endRow(int oy) {
        return rows.end[oy];
    }

    /** First kernel column of output column {@code ox} inside the input. */
    public int firstColumn(int ox) {
        return columns.first[ox];
    }

    /** One past the last kernel column of output column {@code ox} inside the input. */
    public int endColumn(int ox) {
        return columns.end[ox];
    }

    /** Kernel rows of output row {@code oy} inside the padded extent {@code [-padTop, height + padBottom)}. */
    public int paddedRows(int oy) {
        return rows.padded[oy];
    }

    /** Kernel columns of output column {@code ox} inside the padded extent {@code [-padLeft, width + padRight)}. */
    public int paddedColumns(int ox) {
        return columns.padded[ox];
    }

    @Override
    public String toString() {
        return "WindowShape[" + height + "x" + width + " -> " + rows.out + "x" + columns.out + ", kernel " + kernelHeight
                + "x" + kernelWidth + ", strides " + strideHeight + "x" + strideWidth + ", dilations " + dilationHeight
                + "x" + dilationWidth + "]";
    }

    /** One axis: output length and, per output, the range of taps inside the input. */
    private static final class Axis {
        final int out;
        final int[] first;
        final int[] end;
        final int[] padded;
        final boolean clipped;
        final int span;

        Axis(String name, int n, int k, int s, int padBegin, int padEnd, int d, boolean ceilMode, boolean emptyWindows) {
            out = outputLength(name, n, k, s, padBegin, padEnd, d, ceilMode);
            first = new int[out];
            end = new int[out];
            padded = new int[out];
            boolean anyClipped = false;
            for (int o = 0; o < out; o++) {
                long start = (long) o * s - padBegin;
                first[o] = taps(-start, d, k);            // taps with start + j d < 0 come first
                end[o] = taps(n - start, d, k);           // taps with start + j d < n
                padded[o] = taps(n + padEnd - start, d, k) - taps(-padBegin - start, d, k);
                if (first[o] >= end[o] && !emptyWindows) {
                    throw new IllegalArgumentException("the window of output " + name + " index " + o + " covers input "
                            + name + " indices " + start + ", " + (start + d) + ", ... " + (start + (long) (k - 1) * d)
                            + ", none inside [0, " + n + "): padding " + padBegin + " + " + padEnd
                            + " is too large for this kernel and dilation");
                }
                anyClipped |= first[o] > 0 || end[o] < k;
            }
            clipped = anyClipped;
            long spanLong = (long) (out - 1) * s + (long) (k - 1) * d + 1;
            if (spanLong > Integer.MAX_VALUE) {
                throw new IllegalArgumentException("the windows along " + name + " span " + spanLong
                        + " cells, more than Integer.MAX_VALUE");
            }
            span = (int) spanLong;
        }

        /** The number of taps {@code j} in {@code [0, k)} with {@code j d < limit}. */
        private static int taps(long limit, int d, int k) {
            if (limit <= 0) {
                return 0;
            }
            return (int) Math.min(k, (limit + d - 1) / d);
        }
    }
}
