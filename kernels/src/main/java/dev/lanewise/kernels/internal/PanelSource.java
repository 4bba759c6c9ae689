package dev.lanewise.kernels.internal;

/**
 * Operand B of a GEMM that is never stored as a matrix, only produced panel by panel straight
 * into the driver's packed-B layout: an implicit im2col, where B's columns are output pixels and
 * its rows are (channel, kernel row, kernel column) triples read from an image.
 *
 * <p>Implementations are used by one call at a time per instance and may be called from the pool's
 * workers during that call, each for different panels; they must not keep state between panels.
 */
public interface PanelSource {

    /**
     * Writes {@code B(row0 + p, col0 + q)} to {@code dst[dstOff + p * nr + q]} for {@code p < rows},
     * {@code q < cols}, and {@code 0} for {@code cols <= q < nr}: one {@code rows x nr} micro-panel,
     * zero-padded on the right as the micro-kernel reads whole panels.
     */
    void packPanel(int row0, int rows, int col0, int cols, int nr, float[] dst, int dstOff);
}
