package dev.lanewise.im2col;

import dev.lanewise.im2col.internal.Im2colKernel;
import dev.lanewise.kernels.internal.Checks;
import java.util.Objects;

/**
 * col2im: the adjoint of {@link Im2col}, which a convolution's backward pass (the gradient with
 * respect to its input) needs. Every image element receives the sum of the column-matrix entries
 * that im2col copies from it; entries that fall in the padding are dropped:
 * <pre>
 *   image[c][y][x] = sum over (r, s, oy, ox) with oy * strideH - padTop + r * dilationH == y
 *                                            and ox * strideW - padLeft + s * dilationW == x
 *                    of columns[(c * KH + r) * KW + s][oy * OW + ox]
 * </pre>
 * so that {@code <im2col(x), y> == <x, col2im(y)>} for all x and y (up to rounding). Each sum starts
 * from zero and adds its terms in the column matrix's row-major order, the same order as a naive
 * loop over rows and then columns, so results are reproducible bit for bit.
 *
 * <p>Arguments are checked before anything is written; the {@code g.imageSize()} image elements
 * are overwritten, nothing else. Thread-safe.
 */
public final class Col2im {

    private Col2im() {
    }

    /**
     * Overwrites the image at {@code image[imageOffset]} with the col2im of the
     * {@code g.rows() x g.columns()} row-major matrix at {@code columns[columnsOffset]}.
     *
     * @throws IllegalArgumentException  if the image overlaps the matrix in the same array
     * @throws IndexOutOfBoundsException if the matrix or the image does not fit its array
     */
    public static void col2im(ConvGeometry g, float[] columns, int columnsOffset, float[] image, int imageOffset) {
        Objects.requireNonNull(g, "g");
        long columnsEnd = Checks.matrix("columns", columns, columnsOffset, g.rows(), g.columns(), g.columns(),
                "g.columns()");
        long imageEnd = Checks.vector("image", image, imageOffset, g.imageSize());
        Checks.noOverlap("image", image, imageOffset, imageEnd, "columns", columns, columnsOffset, columnsEnd);
        Im2colKernel.col2im(g, columns, columnsOffset, g.columns(), image, imageOffset);
    }
}
