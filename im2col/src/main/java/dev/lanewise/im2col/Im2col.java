package dev.lanewise.im2col;

import dev.lanewise.im2col.internal.Im2colKernel;
import dev.lanewise.kernels.internal.Checks;
import java.util.Objects;

/**
 * im2col: unrolls the convolution windows of one NCHW image into the columns of a matrix, so that a
 * convolution becomes a GEMM. With {@code g} a {@link ConvGeometry}:
 * <pre>
 *   columns[(c * KH + r) * KW + s][oy * OW + ox]
 *       = image[(c * H + oy * strideH - padTop + r * dilationH) * W + ox * strideW - padLeft + s * dilationW]
 *         (zero where that position lies in the padding)
 * </pre>
 * The whole matrix has {@code g.rows() x g.columns()} elements, {@code KH * KW} times the image
 * for stride 1; {@link #im2col(ConvGeometry, float[], int, int, int, int, int, float[], int, int)}
 * produces any tile of it instead, which is how {@code dev.lanewise.nn.Conv2d} lowers a convolution
 * without ever holding the whole matrix.
 *
 * <p>Pure copies: results are exact. Arguments are checked before anything is written (as
 * {@link dev.lanewise.kernels.Sgemm} does); only the destination elements are written. Thread-safe.
 */
public final class Im2col {

    private Im2col() {
    }

    /**
     * Writes the whole column matrix, row-major with leading dimension {@code g.columns()}, at
     * {@code columns[columnsOffset]}.
     */
    public static void im2col(ConvGeometry g, float[] image, int imageOffset, float[] columns, int columnsOffset) {
        im2col(g, image, imageOffset, 0, g.rows(), 0, g.columns(), columns, columnsOffset, g.columns());
    }

    /**
     * Writes the {@code rows x cols} tile of the column matrix whose top-left element is
     * {@code (row0, col0)} to {@code dst[dstOffset + p * ldDst + q]}.
     *
     * @throws IllegalArgumentException  if the tile is not inside the column matrix, {@code ldDst < cols},
     *                                   or the destination overlaps the image in the same array
     * @throws IndexOutOfBoundsException if the image or the destination does not fit its array
     */
    public static void im2col(ConvGeometry g, float[] image, int imageOffset, int row0, int rows, int col0, int cols,
                              float[] dst, int dstOffset, int ldDst) {
        Objects.requireNonNull(g, "g");
        long imageEnd = Checks.vector("image", image, imageOffset, g.imageSize());
        Checks.range("row0", row0, "rows", rows, g.rows());
        Checks.range("col0", col0, "cols", cols, g.columns());
        long dstEnd = Checks.matrix("dst", dst, dstOffset, rows, cols, ldDst, "ldDst");
        Checks.noOverlap("dst", dst, dstOffset, dstEnd, "image", image, imageOffset, imageEnd);
        if (rows > 0 && cols > 0) {
            Im2colKernel.tile(g, image, imageOffset, row0, rows, col0, cols, dst, dstOffset, ldDst);
        }
    }
}
