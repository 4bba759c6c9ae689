package dev.lanewise.im2col.ref;

import dev.lanewise.im2col.ConvGeometry;
import java.util.Arrays;

/**
 * The naive im2col and col2im that {@link dev.lanewise.im2col.Im2col} and
 * {@link dev.lanewise.im2col.Col2im} are tested against: one loop per index of the column matrix and
 * a bounds test per element, straight from the formulas in those classes. Not validated, not fast.
 */
public final class RefIm2col {

    private RefIm2col() {
    }

    /** The whole column matrix, row-major with leading dimension {@code g.columns()}. */
    public static void im2col(ConvGeometry g, float[] image, int imageOffset, float[] columns, int columnsOffset) {
        int outH = g.outputHeight();
        int outW = g.outputWidth();
        for (int c = 0; c < g.channels(); c++) {
            for (int r = 0; r < g.kernelHeight(); r++) {
                for (int s = 0; s < g.kernelWidth(); s++) {
                    int row = (c * g.kernelHeight() + r) * g.kernelWidth() + s;
                    for (int oy = 0; oy < outH; oy++) {
                        for (int ox = 0; ox < outW; ox++) {
                            int y = oy * g.strideHeight() - g.padTop() + r * g.dilationHeight();
                            int x = ox * g.strideWidth() - g.padLeft() + s * g.dilationWidth();
                            boolean inside = y >= 0 && y < g.height() && x >= 0 && x < g.width();
                            columns[columnsOffset + row * g.columns() + oy * outW + ox] =
                                    inside ? image[imageOffset + (c * g.height() + y) * g.width() + x] : 0f;
                        }
                    }
                }
            }
        }
    }

    /** The image as the sums of its column-matrix entries, added in row-major order of the matrix. */
    public static void col2im(ConvGeometry g, float[] columns, int columnsOffset, float[] image, int imageOffset) {
        Arrays.fill(image, imageOffset, imageOffset + g.imageSize(), 0f);
        int outW = g.outputWidth();
        for (int row = 0; row < g.rows(); row++) {
            int c = row / (g.kernelHeight() * g.kernelWidth());
            int r = row / g.kernelWidth() % g.kernelHeight();
            int s = row % g.kernelWidth();
            for (int col = 0; col < g.columns(); col++) {
                int y = col / outW * g.strideHeight() - g.padTop() + r * g.dilationHeight();
                int x = col % outW * g.strideWidth() - g.padLeft() + s * g.dilationWidth();
                if (y >= 0 && y < g.height() && x >= 0 && x < g.width()) {
                    image[imageOffset + (c * g.height() + y) * g.width() + x] += columns[columnsOffset + row * g.columns() + col];
                }
            }
        }
    }
}
