package dev.lanewise.im2col.internal;

import dev.lanewise.im2col.ConvGeometry;
import dev.lanewise.kernels.internal.ArrayKernels;
import dev.lanewise.kernels.internal.Providers;
import java.util.Arrays;

/**
 * The unchecked im2col and col2im loops behind {@link dev.lanewise.im2col.Im2col} and
 * {@link dev.lanewise.im2col.Col2im}, and behind the convolution's implicit im2col, which calls
 * {@link #tile} once per packed GEMM panel. Arguments must have been validated.
 *
 * <p>Both walk a column-matrix row {@code (c, r, s)} as runs of columns that share an output row
 * {@code oy}: within a run the image row is fixed and the image column advances by the stride, so
 * each run is one zero-filled head, one strided (for stride 1: contiguous) copy, and one
 * zero-filled tail, done with the provider's {@link ArrayKernels} (vector moves on the vector
 * path). No per-element bounds tests; without padding, no bounds logic at all ({@link #pad}
 * makes a padded image into an unpadded one).
 */
public final class Im2colKernel {

    /** The moves of the provider in use; a constant, so the JIT inlines them. */
    private static final ArrayKernels ARRAYS = Providers.current().arrays();

    private Im2colKernel() {
    }

    /**
     * Writes the {@code rows x cols} tile of the column matrix starting at {@code (row0, col0)} to
     * {@code dst[dstOff + p * ldDst + q]}. Without padding every run lies inside the image
     * ({@link #tileInside}); with padding, run by run of columns sharing an output row, and within a
     * run row by row, so the division that locates a column happens once per run.
     */
    public static void tile(ConvGeometry g, float[] image, int imageOff,
                            int row0, int rows, int col0, int cols, float[] dst, int dstOff, int ldDst) {
        if (g.padTop() == 0 && g.padLeft() == 0 && g.padBottom() == 0 && g.padRight() == 0) {
            tileInside(g, image, imageOff, row0, rows, col0, cols, dst, dstOff, ldDst);
            return;
        }
        int outW = g.outputWidth();
        int oy = col0 / outW;
        int ox = col0 - oy * outW;
        for (int q = 0; q < cols; ) {
            int run = Math.min(cols - q, outW - ox);
            tileRun(g, image, imageOff, row0, rows, oy, ox, run, dst, dstOff + q, ldDst);
            q += run;
            ox = 0;
            oy++;
        }
    }

    /**
     * {@link #tile} of an unpadded window, where every tap lies inside the image: row by row, each
     * row one strided copy per output row its columns touch, with no bounds logic at all. A padded
     * convolution reaches this path by copying its image into a zero-bordered one first
     * ({@link #pad}).
     */
    private static void tileInside(ConvGeometry g, float[] image, int imageOff,
                                   int row0, int rows, int col0, int cols, float[] dst, int dstOff, int ldDst) {
        int kh = g.kernelHeight();
        int kw = g.kernelWidth();
        int width = g.width();
        int plane = g.height() * width;
        int strideW = g.strideWidth();
        int rowStep = g.strideHeight() * width;
        int outW = g.outputWidth();
        int oy0 = col0 / outW;
        int ox0 = col0 - oy0 * outW;
        int c = row0 / (kh * kw);
        int r = row0 / kw % kh;
        int s = row0 % kw;
        for (int p = 0, d = dstOff; p < rows; p++, d += ldDst) {
            // Image index of output pixel (oy0, 0) through kernel cell (r, s) of channel c.
            int rowStart = imageOff + c * plane + r * g.dilationHeight() * width + s * g.dilationWidth() + oy0 * rowStep;
            int src = rowStart + ox0 * strideW;
            int run = Math.min(cols, outW - ox0);
            for (int q = 0; q < cols; ) {
                ARRAYS.copyStrided(image, src, strideW, dst, d + q, run);
                q += run;
                rowStart += rowStep;
                src = rowStart;
                run = Math.min(cols - q, outW);
            }
            if (++s == kw) {
                s = 0;
                if (++r == kh) {
                    r = 0;
                    c++;
                }
            }
        }
    }

    /**
     * Copies the image into {@code dst} with its zero border made explicit: channel by channel, a
     * {@code (height + padTop + padBottom) x (width + padLeft + padRight)} plane holding the image at
     * {@code (padTop, padLeft)} and zeros around it. {@link #paddedGeometry} describes the same
     * window over the result, whose {@link #tile} then needs no bounds logic.
     */
    public static void pad(ConvGeometry g, float[] image, int imageOff, float[] dst) {
        int width = g.width();
        int paddedWidth = width + g.padLeft() + g.padRight();
        int paddedHeight = g.height() + g.padTop() + g.padBottom();
        for (int c = 0, d = 0; c < g.channels(); c++) {
            ARRAYS.zero(dst, d, g.padTop() * paddedWidth);
            d += g.padTop() * paddedWidth;
            for (int y = 0; y < g.height(); y++, d += paddedWidth) {
                ARRAYS.zero(dst, d, g.padLeft());
                ARRAYS.copy(image, imageOff + (c * g.height() + y) * width, dst, d + g.padLeft(), width);
                ARRAYS.zero(dst, d + g.padLeft() + width, g.padRight());
            }
            ARRAYS.zero(dst, d, g.padBottom() * paddedWidth);
            d += g.padBottom() * paddedWidth;
            assert d == (c + 1) * paddedHeight * paddedWidth;
        }
    }

    /** The window of {@code g} over the image {@link #pad} makes: same kernel, strides and output, no pads. */
    public static ConvGeometry paddedGeometry(ConvGeometry g) {
        return new ConvGeometry(g.channels(), g.height() + g.padTop() + g.padBottom(), g.width() + g.padLeft() + g.padRight(),
                g.kernelHeight(), g.kernelWidth(), g.strideHeight(), g.strideWidth(),
                g.dilationHeight(), g.dilationWidth(), 0, 0, 0, 0);
    }

    /**
     * Rows {@code [row0, row0 + rows)} of the {@code run} columns starting at output pixel
     * {@code (oy, ox)}, all in output row {@code oy}: each is one image row segment (strided by the
     * stride), zero where it lies in the padding.
     */
    private static void tileRun(ConvGeometry g, float[] image, int imageOff, int row0, int rows,
                                int oy, int ox, int run, float[] dst, int dstOff, int ldDst) {
        int kh = g.kernelHeight();
        int kw = g.kernelWidth();
        int height = g.height();
        int width = g.width();
        int strideW = g.strideWidth();
        int c = row0 / (kh * kw);
        int r = row0 / kw % kh;
        int s = row0 % kw;
        int iyBase = oy * g.strideHeight() - g.padTop();
        int ixBase = ox * strideW - g.padLeft();
        for (int p = 0, d = dstOff; p < rows; p++, d += ldDst) {
            int iy = iyBase + r * g.dilationHeight();
            if (iy < 0 || iy >= height) {
                ARRAYS.zero(dst, d, run);
            } else {
                int ix0 = ixBase + s * g.dilationWidth();
                int lo = firstInside(ix0, strideW, run);
                int hi = Math.max(lo, firstPast(ix0, strideW, width, run));
                int src = imageOff + (c * height + iy) * width + ix0;
                ARRAYS.zero(dst, d, lo);
                ARRAYS.copyStrided(image, src + lo * strideW, strideW, dst, d + lo, hi - lo);
                ARRAYS.zero(dst, d + hi, run - hi);
            }
            if (++s == kw) {
                s = 0;
                if (++r == kh) {
                    r = 0;
                    c++;
                }
            }
        }
    }

    /**
     * {@code image = col2im(col)}: each image element becomes the sum of the column-matrix entries
     * that im2col would copy from it, added in row-major order of the column matrix (row by row,
     * column by column), starting from zero. The column matrix is {@code col[colOff + p * ldCol + q]}.
     */
    public static void col2im(ConvGeometry g, float[] col, int colOff, int ldCol, float[] image, int imageOff) {
        Arrays.fill(image, imageOff, imageOff + g.imageSize(), 0f);
        int kh = g.kernelHeight();
        int kw = g.kernelWidth();
        int columns = g.columns();
        for (int c = 0, p = 0; c < g.channels(); c++) {
            int plane = imageOff + c * g.height() * g.width();
            for (int r = 0; r < kh; r++) {
                for (int s = 0; s < kw; s++, p++) {
                    accumulateRow(g, col, colOff + p * ldCol, columns, image, plane, r, s);
                }
            }
        }
    }

    /** Adds all columns of row {@code (c, r, s)} at {@code col[src...]} into channel c starting at {@code plane}. */
    private static void accumulateRow(ConvGeometry g, float[] col, int src, int cols, float[] image, int plane,
                                      int r, int s) {
        int outW = g.outputWidth();
        int strideW = g.strideWidth();
        int rowShift = r * g.dilationHeight() - g.padTop();
        int colShift = s * g.dilationWidth() - g.padLeft();
        for (int oy = 0, q0 = 0; q0 < cols; oy++, q0 += outW) {
            int iy = oy * g.strideHeight() + rowShift;
            if (iy < 0 || iy >= g.height()) {
                continue;
            }
            int ix0 = colShift;
            int lo = firstInside(ix0, strideW, outW);
            int hi = Math.max(lo, firstPast(ix0, strideW, g.width(), outW));
            int dst = plane + iy * g.width() + ix0;
            for (int q = lo; q < hi; q++) {
                image[dst + q * strideW] += col[src + q0 + q];
            }
        }
    }

    /** Smallest {@code q} in {@code [0, run]} with {@code ix0 + q * stride >= 0}. */
    private static int firstInside(int ix0, int stride, int run) {
        return ix0 >= 0 ? 0 : Math.min(run, ceilDiv(-ix0, stride));
    }

    /** Smallest {@code q} in {@code [0, run]} with {@code ix0 + q * stride >= width}. */
    private static int firstPast(int ix0, int stride, int width, int run) {
        return ix0 >= width ? 0 : Math.min(run, ceilDiv(width - ix0, stride));
    }

    /** {@code ceil(a / stride)} for {@code a > 0}, without a division in the common stride 1. */
    private static int ceilDiv(int a, int stride) {
        return stride == 1 ? a : (a + stride - 1) / stride;
    }
}
