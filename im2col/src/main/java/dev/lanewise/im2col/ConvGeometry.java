package dev.lanewise.im2col;

import dev.lanewise.kernels.internal.WindowShape;

/**
 * The geometry of one image's 2D convolution window: how a {@code kernelHeight x kernelWidth}
 * window with strides, dilations and padding walks over a {@code channels x height x width} image
 * (NCHW, one image). Immutable and validated on construction.
 *
 * <h2>Output size (ONNX Conv)</h2>
 * <pre>
 *   outputHeight = floor((height + padTop + padBottom - dilationHeight * (kernelHeight - 1) - 1) / strideHeight) + 1
 *   outputWidth  = floor((width + padLeft + padRight - dilationWidth * (kernelWidth - 1) - 1) / strideWidth) + 1
 * </pre>
 * (computed by the floor mode of {@code WindowShape.outputLength}, the one window rule that
 * convolution and pooling share). Output pixel {@code (oy, ox)} sees image row
 * {@code oy * strideHeight - padTop + r * dilationHeight} and column
 * {@code ox * strideWidth - padLeft + s * dilationWidth} through kernel cell {@code (r, s)}; cells
 * outside the image read zero.
 *
 * <h2>The column matrix</h2>
 * im2col turns the image into a {@link #rows()} x {@link #columns()} matrix: row
 * {@code (c * kernelHeight + r) * kernelWidth + s} (the OIHW weight order), column
 * {@code oy * outputWidth + ox} (the NCHW output order). A convolution is then
 * {@code weights (outChannels x rows) * columns (rows x columns)}.
 *
 * @throws IllegalArgumentException if a size, stride or dilation is below 1, a pad is negative, the
 *         dilated kernel is larger than the padded image, or a size does not fit an {@code int}
 */
public record ConvGeometry(int channels, int height, int width, int kernelHeight, int kernelWidth,
                           int strideHeight, int strideWidth, int dilationHeight, int dilationWidth,
                           int padTop, int padLeft, int padBottom, int padRight) {

    public ConvGeometry {
        positive("channels", channels);
        positive("height", height);
        positive("width", width);
        positive("kernelHeight", kernelHeight);
        positive("kernelWidth", kernelWidth);
        positive("strideHeight", strideHeight);
        positive("strideWidth", strideWidth);
        positive("dilationHeight", dilationHeight);
        positive("dilationWidth", dilationWidth);
        nonNegative("padTop", padTop);
        nonNegative("padLeft", padLeft);
        nonNegative("padBottom", padBottom);
        nonNegative("padRight", padRight);
        long outH = WindowShape.outputLength("height", height, kernelHeight, strideHeight, padTop, padBottom,
                dilationHeight, false);
        long outW = WindowShape.outputLength("width", width, kernelWidth, strideWidth, padLeft, padRight,
                dilationWidth, false);
        fitsInt("channels * height * width", (long) channels * height * width);
        fitsInt("channels * kernelHeight * kernelWidth (im2col rows)", (long) channels * kernelHeight * kernelWidth);
        fitsInt("outputHeight * outputWidth (im2col columns)", outH * outW);
    }

    /** A window with unit strides and dilations and symmetric padding {@code pad}. */
    public static ConvGeometry of(int channels, int height, int width, int kernelHeight, int kernelWidth,
                                  int stride, int pad) {
        return new ConvGeometry(channels, height, width, kernelHeight, kernelWidth, stride, stride, 1, 1,
                pad, pad, pad, pad);
    }

    /** Rows of the output image. */
    public int outputHeight() {
        return WindowShape.outputLength("height", height, kernelHeight, strideHeight, padTop, padBottom,
                dilationHeight, false);
    }

    /** Columns of the output image. */
    public int outputWidth() {
        return WindowShape.outputLength("width", width, kernelWidth, strideWidth, padLeft, padRight,
                dilationWidth, false);
    }

    /** Rows of the column matrix: {@code channels * kernelHeight * kernelWidth}. */
    public int rows() {
        return channels * kernelHeight * kernelWidth;
    }

    /** Columns of the column matrix: {@code outputHeight * outputWidth}. */
    public int columns() {
        return outputHeight() * outputWidth();
    }

    /** Floats of one image: {@code channels * height * width}. */
    public int imageSize() {
        return channels * height * width;
    }

    /** Whether the column matrix is the image itself: a 1x1 window, unit strides, no padding. */
    public boolean isPointwise() {
        return kernelHeight == 1 && kernelWidth == 1 && strideHeight == 1 && strideWidth == 1
                && padTop == 0 && padLeft == 0 && padBottom == 0 && padRight == 0;
    }

    /** The same window over {@code channels} channels (one group of a grouped convolution). */
    public ConvGeometry withChannels(int channels) {
        return new ConvGeometry(channels, height, width, kernelHeight, kernelWidth, strideHeight, strideWidth,
                dilationHeight, dilationWidth, padTop, padLeft, padBottom, padRight);
    }

    private static void positive(String name, int value) {
        if (value < 1) {
            throw new IllegalArgumentException(name + " = " + value + " must be >= 1");
        }
    }

    private static void nonNegative(String name, int value) {
        if (value < 0) {
            throw new IllegalArgumentException(name + " = " + value + " must be >= 0");
        }
    }

    private static void fitsInt(String what, long value) {
        if (value > Integer.MAX_VALUE) {
            throw new IllegalArgumentException(what + " = " + value + " exceeds Integer.MAX_VALUE");
        }
    }
}
