package dev.lanewise.kernels.internal;

/**
 * The band: input rows staged for the vector direct convolution kernels ({@link DepthwiseKernels},
 * {@link DirectConvKernels}), so that every tap of a window is one plain vector load at any stride,
 * dilation and padding. The one place where its layout is defined and filled.
 *
 * <h2>Layout</h2>
 * A band holds input rows {@code [y0, y1)} of {@code planes} input planes. Each row is padded with
 * zero columns and split into {@code sw} phases, phase {@code q} holding the padded columns
 * {@code q, q + sw, q + 2 sw, ...}:
 * <pre>
 *   band[p * planeFloats(s, planes, g) + (y - y0) * rowFloats(s, g) + q * phaseFloats(s, g) + i]
 *       = x_p(y, i sw + q - padLeft)        (+0.0f outside [0, W))
 * </pre>
 * for plane {@code p}, row {@code y}, phase {@code q < sw} and {@code i < phaseFloats(s, g)}. Tap
 * {@code s} of output columns {@code ox, ox + 1, ...} then reads consecutive floats of phase
 * {@code (s dw) mod sw} from index {@code ox + floor(s dw / sw)}. {@code g} is the granule of the
 * kernel's steps along a row: a kernel that computes the outputs of a row {@code g} at a time reads
 * past {@code OW} up to the next multiple of {@code g} (lanes it then discards), which the phase's
 * slack holds.
 *
 * <p>A band holds the input rows of as many output rows as fit {@link #FLOATS}; rows shared by two
 * bands are copied twice. Callers pass a band of at least {@link #FLOATS} floats (per-thread
 * scratch, {@link Workspace#band()}).
 */
public final class RowBand {

    /** Floats of a band: 128 KiB, so that a band of rows stays in L2 while its filters run over it. */
    public static final int FLOATS = 1 << 15;

    private RowBand() {
    }

    /**
     * Floats of one phase of a band row: every output column's taps, plus the slack the last step
     * of a row reads past {@code OW}: {@code roundUp(OW, g) + floor((KW - 1) dw / sw) + 1}.
     */
    public static int phaseFloats(WindowShape s, int granule) {
        int ow = s.outputWidth();
        return (ow + granule - 1) / granule * granule + (s.kernelWidth() - 1) * s.dilationWidth() / s.strideWidth() + 1;
    }

    /** Floats of one band row: {@code sw} phases. */
    public static int rowFloats(WindowShape s, int granule) {
        return s.strideWidth() * phaseFloats(s, granule);
    }

    /** Input rows one output row's window spans: {@code (KH - 1) dh + 1}. */
    public static int rowsOfOutputRow(WindowShape s) {
        return (s.kernelHeight() - 1) * s.dilationHeight() + 1;
    }

    /**
     * Whether a band holds the input rows of at least one output row of {@code s} over
     * {@code planes} planes: the domain of the banded kernels (windows too tall or rows too wide,
     * {@code planes} times kernel rows times padded width above {@link #FLOATS}, go elsewhere).
     */
    public static boolean fits(WindowShape s, int planes, int granule) {
        return (long) planes * rowFloats(s, granule) * rowsOfOutputRow(s) <= FLOATS;
    }

    /**
     * Floats between two planes' rows in a band: as many whole rows as a plane's share of
     * {@link #FLOATS} holds, the same for every band of {@code s}, so that a tap's offset from its
     * plane's row does not depend on the band.
     */
    public static int planeFloats(WindowShape s, int planes, int granule) {
        int rowFloats = rowFloats(s, granule);
        return FLOATS / planes / rowFloats * rowFloats;
    }

    /** Output rows whose input rows a band holds, at least 1 when {@link #fits}. */
    public static int outputRows(WindowShape s, int planes, int granule) {
        return (FLOATS / planes / rowFloats(s, granule) - rowsOfOutputRow(s)) / s.strideHeight() + 1;
    }

    /** First input row that output rows from {@code oy0} read: {@code y0} of their band. */
    public static int firstInputRow(WindowShape s, int oy0) {
        return Math.max(0, s.rowStart(oy0));
    }

    /** One past the last input row that output rows before {@code oy1} read: {@code y1} of their band. */
    public static int endInputRow(WindowShape s, int oy1) {
        return Math.min(s.height(), s.rowStart(oy1 - 1) + rowsOfOutputRow(s));
    }

    /**
     * Stages rows {@code [y0, y1)} of {@code planes} planes of {@code H x W} (plane {@code p} at
     * {@code in[inOff + p * H * W]}) into {@code band} in the layout above: {@link #clear}, then
     * {@link #copyRows}.
     */
    public static void stage(ArrayKernels arrays, WindowShape s, int granule, int planes, float[] in, int inOff,
                             int y0, int y1, float[] band) {
        clear(arrays, s, granule, planes, y1 - y0, band);
        copyRows(arrays, s, granule, planes, in, inOff, y0, y1, band, 0);
    }

    /**
     * Sets the first {@code rows} band rows of each of {@code planes} planes to {@code +0.0f}: the
     * padding columns, which {@link #copyRows} leaves alone, so that a kernel staging many planes in
     * the same layout clears the band once.
     */
    public static void clear(ArrayKernels arrays, WindowShape s, int granule, int planes, int rows, float[] band) {
        int rowFloats = rowFloats(s, granule);
        int planeFloats = planeFloats(s, planes, granule);
        for (int p = 0; p < planes; p++) {
            arrays.zero(band, p * planeFloats, rows * rowFloats);
        }
    }

    /**
     * Copies the inside columns of rows {@code [y0, y1)} of {@code planes} planes (as in {@link #stage})
     * into the band, row {@code y0} at {@code band[bandOff]}, phase by phase; the padding columns keep
     * what they hold ({@link #clear}). A phase's first and last inside columns are computed once for
     * all rows (a division per row cost more than a 14-wide row's arithmetic); at stride 2 both phases
     * come from one read of each row ({@link ArrayKernels#deinterleaveRows}).
     */
    public static void copyRows(ArrayKernels arrays, WindowShape s, int granule, int planes, float[] in, int inOff,
                                int y0, int y1, float[] band, int bandOff) {
        int rowFloats = rowFloats(s, granule);
        int planeFloats = planeFloats(s, planes, granule);
        int plane = s.height() * s.width();
        int sw = s.strideWidth();
        int pl = s.padLeft();
        int width = s.width();
        int phase = phaseFloats(s, granule);
        if (sw == 2) {
            // Both phases from one read of each row when they interleave: one starts a column after the other.
            int first0 = firstInside(s, phase, 0);
            int first1 = firstInside(s, phase, 1);
            int n0 = endInside(s, phase, 0) - first0;
            int n1 = endInside(s, phase, 1) - first1;
            int column0 = 2 * first0 - pl;
            int column1 = 2 * first1 + 1 - pl;
            boolean zeroFirst = column0 < column1;
            int nEven = zeroFirst ? n0 : n1;
            int nOdd = zeroFirst ? n1 : n0;
            if (Math.abs(column1 - column0) == 1 && nOdd <= nEven && nEven <= nOdd + 1) {
                for (int p = 0; p < planes; p++) {
                    int base = bandOff + p * planeFloats;
                    int evenBase = base + (zeroFirst ? first0 : phase + first1);
                    int oddBase = base + (zeroFirst ? phase + first1 : first0);
                    arrays.deinterleaveRows(in, inOff + p * plane + y0 * width + Math.min(column0, column1), width,
                            band, evenBase, nEven, oddBase, nOdd, rowFloats, y1 - y0);
                }
                return;
            }
        }
        for (int q = 0; q < sw; q++) {
            int first = firstInside(s, phase, q);
            int end = endInside(s, phase, q);
            int column = first * sw + q - pl;
            for (int p = 0; p < planes; p++) {
                int base = bandOff + p * planeFloats + q * phase + first;
                int row = inOff + p * plane + y0 * width + column;
                arrays.copyRows(in, row, width, sw, band, base, rowFloats, y1 - y0, end - first);
            }
        }
    }

    /** The first index of phase {@code q} that holds an input column (not padding). */
    private static int firstInside(WindowShape s, int phase, int q) {
        return Math.min(phase, Math.max(0, ceilDiv(s.padLeft() - q, s.strideWidth())));
    }

    /** One past the last index of phase {@code q} that holds an input column. */
    private static int endInside(WindowShape s, int phase, int q) {
        return Math.max(firstInside(s, phase, q),
                Math.min(phase, ceilDiv(s.width() + s.padLeft() - q, s.strideWidth())));
    }

    private static int ceilDiv(int a, int b) {
        return Math.floorDiv(a + b - 1, b);
    }
}
