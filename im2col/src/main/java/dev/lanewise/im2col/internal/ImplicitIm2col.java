package dev.lanewise.im2col.internal;

import dev.lanewise.im2col.ConvGeometry;
import dev.lanewise.kernels.internal.PanelSource;
import dev.lanewise.kernels.internal.Workspace;
import java.util.Arrays;

/**
 * Operand B of a convolution's GEMM, the column matrix of one image and group
 * ({@link ConvGeometry}: row {@code (c * KH + r) * KW + s}, column {@code oy * OW + ox}), produced
 * panel by panel by {@link Im2colKernel#tile} straight into the GEMM's packed-B layout and never
 * stored whole. A padded window over an image of at most {@link #PADDED_IMAGE_MAX_FLOATS} floats is
 * first copied into a zero-bordered image ({@link Im2colKernel#pad}), so that the panels are cut
 * without any bounds logic.
 *
 * <p>One instance per {@link Workspace} of a thread that convolves (image, group) items; the pool's
 * workers only read it while that item's GEMM runs. The padded copy goes into the workspace's image
 * buffer ({@link Workspace#image}), grown to at most {@link #PADDED_IMAGE_MAX_FLOATS} floats, so
 * steady-state calls allocate nothing.
 */
public final class ImplicitIm2col implements PanelSource {

    /**
     * Largest per-group image, in floats, that is first copied into a zero-bordered buffer (8 % faster
     * on ResNet's 3x3 layers, 40 % on 8x8 images, measured). Larger images are read through the
     * bounds-checked {@link Im2colKernel#tile} instead, which keeps the buffer bounded whatever the
     * image size.
     */
    public static final int PADDED_IMAGE_MAX_FLOATS = 1 << 21;

    private static final Workspace.Key<ImplicitIm2col> KEY = new Workspace.Key<>(ImplicitIm2col.class, ImplicitIm2col::new);

    private ConvGeometry geometry;
    private float[] image;
    private int imageOffset;

    private ImplicitIm2col() {
    }

    /** The instance of {@code workspace}, which the calling thread is using. */
    public static ImplicitIm2col of(Workspace workspace) {
        return workspace.attachment(KEY);
    }

    /**
     * The window over the zero-bordered copy of the image that a padded, non-pointwise window is
     * read through when that copy has at most {@link #PADDED_IMAGE_MAX_FLOATS} floats; {@code null}
     * when the image is read as it is. Pure; made once per input size by the convolution's plan.
     */
    public static ConvGeometry paddedWindow(ConvGeometry g) {
        if (g.isPointwise() || (g.padTop() | g.padLeft() | g.padBottom() | g.padRight()) == 0) {
            return null;
        }
        ConvGeometry padded = Im2colKernel.paddedGeometry(g);
        return padded.imageSize() <= PADDED_IMAGE_MAX_FLOATS ? padded : null;
    }

    /**
     * Reads the image at {@code image[imageOffset]} through {@code geometry}; when {@code padded} (from
     * {@link #paddedWindow}) is not null, first copies it into {@code workspace}'s image buffer (this
     * instance's workspace), zero-bordered, and reads that through {@code padded}.
     */
    public void set(ConvGeometry geometry, ConvGeometry padded, float[] image, int imageOffset, Workspace workspace) {
        if (padded == null) {
            this.geometry = geometry;
            this.image = image;
            this.imageOffset = imageOffset;
            return;
        }
        float[] paddedImage = workspace.image(padded.imageSize());
        Im2colKernel.pad(geometry, image, imageOffset, paddedImage);
        this.geometry = padded;
        this.image = paddedImage;
        this.imageOffset = 0;
    }

    /** Drops the references to the caller's image after its GEMM. */
    public void clear() {
        geometry = null;
        image = null;
    }

    @Override
    public void packPanel(int row0, int rows, int col0, int cols, int nr, float[] dst, int dstOff) {
        Im2colKernel.tile(geometry, image, imageOffset, row0, rows, col0, cols, dst, dstOff, nr);
        if (cols < nr) {
            for (int p = 0; p < rows; p++) {
                Arrays.fill(dst, dstOff + p * nr + cols, dstOff + (p + 1) * nr, 0f);
            }
        }
    }
}
