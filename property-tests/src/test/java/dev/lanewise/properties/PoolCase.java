package dev.lanewise.properties;

import dev.lanewise.nn.AutoPad;
import dev.lanewise.nn.AveragePool2d;
import dev.lanewise.nn.MaxPool2d;
import dev.lanewise.nn.PoolWindow;
import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;

/**
 * One pooling call to test: a batch of {@code height x width} planes, the ONNX window attributes,
 * how the input is filled, and the layout: where input and output start, the gaps between their
 * planes (a plane stride larger than the plane) and how many floats follow the last plane.
 *
 * <p>The output size, the pads of an {@code auto_pad} and the validity of a window are worked out
 * here from the documented formulas (ONNX's for {@code auto_pad}), independently of {@link PoolWindow},
 * {@link AutoPad} and the kernels' {@code WindowShape}. Explicit pads are used when {@code autoPad}
 * is NOTSET; otherwise {@link #resolvedPads} derives them.
 */
record PoolCase(int batch, int channels, int height, int width, int kernelHeight, int kernelWidth,
                int strideHeight, int strideWidth, int dilationHeight, int dilationWidth, int[] pads,
                AutoPad autoPad, boolean ceilMode, boolean countIncludePad, FloatFill fill,
                int inOffset, int inGap, int inTail, int outOffset, int outGap, int outTail,
                boolean denseOverload, long seed) {

    /** What fills the input array outside the planes: a read of it would show up as NaN. */
    static final float INPUT_GUARD = Float.intBitsToFloat(0x7fbadbad);

    /** A fully specified case with dense layout (no offsets, gaps or tails) and the dense overloads. */
    static PoolCase dense(int batch, int channels, int height, int width, int kernelHeight, int kernelWidth,
                          int strideHeight, int strideWidth, int dilationHeight, int dilationWidth, int[] pads,
                          boolean ceilMode, boolean countIncludePad, FloatFill fill, long seed) {
        return new PoolCase(batch, channels, height, width, kernelHeight, kernelWidth, strideHeight, strideWidth,
                dilationHeight, dilationWidth, pads, AutoPad.NOTSET, ceilMode, countIncludePad, fill, 0, 0, 0, 0, 0, 0,
                true, seed);
    }

    /** This case's window and sizes with another layout. */
    PoolCase withLayout(int inOffset, int inGap, int inTail, int outOffset, int outGap, int outTail,
                        boolean denseOverload) {
        return new PoolCase(batch, channels, height, width, kernelHeight, kernelWidth, strideHeight, strideWidth,
                dilationHeight, dilationWidth, pads, autoPad, ceilMode, countIncludePad, fill, inOffset, inGap, inTail,
                outOffset, outGap, outTail, denseOverload, seed);
    }

    /** This case with {@code auto_pad} (explicit pads made 0; NOTSET keeps the explicit pads). */
    PoolCase withAutoPad(AutoPad autoPad) {
        return new PoolCase(batch, channels, height, width, kernelHeight, kernelWidth, strideHeight, strideWidth,
                dilationHeight, dilationWidth, autoPad == AutoPad.NOTSET ? pads : new int[4], autoPad, ceilMode,
                countIncludePad, fill, inOffset, inGap, inTail, outOffset, outGap, outTail, denseOverload, seed);
    }

    int planes() {
        return batch * channels;
    }

    /** The window under test: the explicit pads or the {@code auto_pad}. */
    PoolWindow window() {
        PoolWindow w = PoolWindow.of(kernelHeight, kernelWidth).withStrides(strideHeight, strideWidth)
                .withDilations(dilationHeight, dilationWidth).withCeilMode(ceilMode);
        return autoPad == AutoPad.NOTSET ? w.withPads(pads[0], pads[1], pads[2], pads[3]) : w.withAutoPad(autoPad);
    }

    /**
     * The window the reference is given: explicit {@link #resolvedPads}, and in floor mode under an
     * {@code auto_pad} (whose output sizes ONNX defines without ceil mode).
     */
    PoolWindow referenceWindow() {
        int[] p = resolvedPads();
        return PoolWindow.of(kernelHeight, kernelWidth).withStrides(strideHeight, strideWidth)
                .withPads(p[0], p[1], p[2], p[3]).withDilations(dilationHeight, dilationWidth)
                .withCeilMode(ceilForPads());
    }

    /** ONNX pads {@code [top, left, bottom, right]} for this input size ({@link OnnxPads}). */
    int[] resolvedPads() {
        return OnnxPads.resolve(autoPad, pads, height, width, kernelHeight, kernelWidth, strideHeight, strideWidth,
                dilationHeight, dilationWidth);
    }

    /** Whether ceil mode applies to the resolved pads: only without {@code auto_pad}. */
    private boolean ceilForPads() {
        return ceilMode && autoPad == AutoPad.NOTSET;
    }

    MaxPool2d maxPool() {
        return MaxPool2d.of(window());
    }

    AveragePool2d averagePool() {
        return AveragePool2d.of(window(), countIncludePad);
    }

    // ---- sizes, from the documented formulas ----

    /**
     * Output length along one axis: {@code floor((n + pb + pe - e) / s) + 1}, or in ceil mode the
     * ceiling, minus one if the last window would start at or after {@code n + pb}; {@code -1} if
     * the dilated kernel {@code e} exceeds the padded input.
     */
    static int outputLength(int n, int k, int s, int d, int pb, int pe, boolean ceil) {
        int extent = (k - 1) * d + 1;
        int span = n + pb + pe - extent;
        if (span < 0) {
            return -1;
        }
        int out = (ceil ? (span + s - 1) / s : span / s) + 1;
        if (ceil && (out - 1) * s >= n + pb) {
            out--;
        }
        return out;
    }

    /** Whether every window along the axis holds at least one input element. */
    static boolean windowsHoldInput(int n, int k, int s, int d, int pb, int pe, boolean ceil) {
        int out = outputLength(n, k, s, d, pb, pe, ceil);
        if (out < 1) {
            return false;
        }
        for (int o = 0; o < out; o++) {
            boolean any = false;
            for (int j = 0; j < k; j++) {
                int i = o * s - pb + j * d;
                any |= i >= 0 && i < n;
            }
            if (!any) {
                return false;
            }
        }
        return true;
    }

    /**
     * Output rows: without {@code auto_pad} the rule above over the explicit pads; with it ONNX's
     * {@code auto_pad} formulas, the same in both modes: {@code ceil(n / s)} for SAME and
     * {@code ceil((n - e + 1) / s)} for VALID ({@code -1} if the kernel exceeds the input).
     */
    int outputHeight() {
        return outputLength(height, kernelHeight, strideHeight, dilationHeight, pads[0], pads[2]);
    }

    int outputWidth() {
        return outputLength(width, kernelWidth, strideWidth, dilationWidth, pads[1], pads[3]);
    }

    private int outputLength(int n, int k, int s, int d, int pb, int pe) {
        int extent = (k - 1) * d + 1;
        return switch (autoPad) {
            case NOTSET -> outputLength(n, k, s, d, pb, pe, ceilMode);
            case SAME_UPPER, SAME_LOWER -> (n + s - 1) / s;
            case VALID -> n < extent ? -1 : (n - extent + 1 + s - 1) / s;
        };
    }

    /** Whether the operators must accept this case: no kernel larger than the padded input, no window of padding alone. */
    boolean valid() {
        int[] p = resolvedPads();
        return windowsHoldInput(height, kernelHeight, strideHeight, dilationHeight, p[0], p[2], ceilForPads())
                && windowsHoldInput(width, kernelWidth, strideWidth, dilationWidth, p[1], p[3], ceilForPads());
    }

    /** Whether ceil mode gives another output size than floor mode would (never under an {@code auto_pad}). */
    boolean ceilChangesSize() {
        return autoPad == AutoPad.NOTSET && (
                outputLength(height, kernelHeight, strideHeight, dilationHeight, pads[0], pads[2], true)
                != outputLength(height, kernelHeight, strideHeight, dilationHeight, pads[0], pads[2], false)
                || outputLength(width, kernelWidth, strideWidth, dilationWidth, pads[1], pads[3], true)
                != outputLength(width, kernelWidth, strideWidth, dilationWidth, pads[1], pads[3], false));
    }

    /** Output columns whose window lies wholly inside the input's columns (the vectorised run). */
    int interiorColumns() {
        int padLeft = resolvedPads()[1];
        int count = 0;
        for (int o = 0; o < outputWidth(); o++) {
            int first = o * strideWidth - padLeft;
            if (first >= 0 && first + (kernelWidth - 1) * dilationWidth < width) {
                count++;
            }
        }
        return count;
    }

    /**
     * How a vector max pool of {@code lanes} lanes takes an output row's column maxima (its first
     * pass): "vectors" of input columns at stride 1, "pairs" of vectors split into even and odd
     * columns at stride 2 (the first pair's first column even or odd, as the left pad is), else
     * "column by column". The columns are those the windows read, at most the input's.
     */
    String maxColumnPass(int lanes) {
        int padLeft = resolvedPads()[1];
        int span = (outputWidth() - 1) * strideWidth + (kernelWidth - 1) * dilationWidth + 1;
        int columns = Math.max(0, Math.min(width, span - padLeft));
        if (strideWidth == 1 && columns >= lanes) {
            return "vectors";
        }
        if (strideWidth == 2 && columns >= 2 * lanes) {
            return padLeft % 2 == 0 ? "pairs from an even column" : "pairs from an odd column";
        }
        return "column by column";
    }

    /** Whether some window has taps outside the input (in the padding or past the end in ceil mode). */
    boolean clipped() {
        int[] p = resolvedPads();
        int oh = outputHeight();
        int ow = outputWidth();
        return p[0] > 0 || (oh - 1) * strideHeight - p[0] + (kernelHeight - 1) * dilationHeight >= height
                || p[1] > 0 || (ow - 1) * strideWidth - p[1] + (kernelWidth - 1) * dilationWidth >= width;
    }

    // ---- layout ----

    int planeSize() {
        return height * width;
    }

    int outPlaneSize() {
        return outputHeight() * outputWidth();
    }

    int inPlaneStride() {
        return planeSize() + inGap;
    }

    int outPlaneStride() {
        return outPlaneSize() + outGap;
    }

    int inputLength() {
        return inOffset + (planes() - 1) * inPlaneStride() + planeSize() + inTail;
    }

    int outputLength() {
        return outOffset + (planes() - 1) * outPlaneStride() + outPlaneSize() + outTail;
    }

    /** The input array: the planes filled from the seed, everything else {@link #INPUT_GUARD}. */
    float[] input() {
        float[] in = new float[inputLength()];
        Arrays.fill(in, INPUT_GUARD);
        SplittableRandom random = new SplittableRandom(seed);
        for (int p = 0; p < planes(); p++) {
            fill.fill(in, inOffset + p * inPlaneStride(), planeSize(), random);
        }
        return in;
    }

    /** The planes of {@code input} copied to a dense NCHW tensor, as the references take it. */
    float[] dense(float[] input) {
        float[] d = new float[planes() * planeSize()];
        for (int p = 0; p < planes(); p++) {
            System.arraycopy(input, inOffset + p * inPlaneStride(), d, p * planeSize(), planeSize());
        }
        return d;
    }

    /**
     * Index of the dense reference output that array element {@code i} of the output (or indices)
     * array should hold, or {@code -1} if {@code i} lies outside every output plane.
     */
    int outputAt(int i) {
        int e = i - outOffset;
        if (e < 0) {
            return -1;
        }
        int p = e / outPlaneStride();
        int q = e % outPlaneStride();
        return p < planes() && q < outPlaneSize() ? p * outPlaneSize() + q : -1;
    }

    @Override
    public String toString() {
        return "PoolCase[batch " + batch + ", channels " + channels + ", " + height + "x" + width + ", kernel "
                + kernelHeight + "x" + kernelWidth + ", strides " + strideHeight + "x" + strideWidth + ", dilations "
                + dilationHeight + "x" + dilationWidth + ", pads " + Arrays.toString(pads)
                + (autoPad == AutoPad.NOTSET ? "" : ", auto_pad " + autoPad + " " + Arrays.toString(resolvedPads()))
                + (ceilMode ? ", ceil mode" : "") + (countIncludePad ? ", count_include_pad" : "") + ", " + fill
                + ", in offset " + inOffset + " gap " + inGap + " tail " + inTail + ", out offset " + outOffset
                + " gap " + outGap + " tail " + outTail + (denseOverload ? ", dense overload" : "") + ", seed " + seed + "]";
    }

    /**
     * Random pooling cases: kernels 1..7, strides and dilations 1..3, pads 0..kernel-1 per side (none
     * at all one time in four), ceil mode and count_include_pad both ways, every {@link FloatFill}.
     * Sides are enlarged to at least the dilated kernel minus the pads, so most cases are valid; the
     * rest (windows of padding alone) are left for {@link #valid()} to filter. Half the cases are
     * dense; the others have offsets, gaps between planes (small or of hundreds of floats) and tails
     * after the last plane (none, so that a vector load past the last plane would leave the array).
     */
    static Arbitrary<PoolCase> cases(int maxHeight, int maxWidth) {
        return cases(1, maxHeight, 1, maxWidth);
    }

    /** As {@link #cases(int, int)}, with sides of at least {@code minHeight x minWidth}. */
    static Arbitrary<PoolCase> cases(int minHeight, int maxHeight, int minWidth, int maxWidth) {
        Arbitrary<Integer> kernel = Arbitraries.integers().between(1, 7);
        Arbitrary<Integer> step = Arbitraries.integers().between(1, 3);
        Arbitrary<Integer> pad = Arbitraries.integers().between(0, 6);
        Arbitrary<Integer> bit = Arbitraries.integers().between(0, 1);
        List<Arbitrary<Integer>> parts = List.of(
                Arbitraries.integers().between(1, 2), Arbitraries.integers().between(1, 3),    // batch, channels
                Arbitraries.integers().between(minHeight, maxHeight), Arbitraries.integers().between(minWidth, maxWidth),
                kernel, kernel, step, step, step, step,                                           // kernel, strides, dilations
                pad, pad, pad, pad, bit, bit,                                                     // pads, ceil, count_include_pad
                Arbitraries.integers().between(0, FloatFill.values().length - 1));
        return Combinators.combine(Combinators.combine(parts).as(l -> l.stream().mapToInt(Integer::intValue).toArray()),
                        Arbitraries.longs())
                .as((v, seed) -> {
                    SplittableRandom random = new SplittableRandom(seed ^ 0x5DEECE66DL);
                    int kh = v[4];
                    int kw = v[5];
                    int[] pads = {v[10] % kh, v[11] % kw, v[12] % kh, v[13] % kw};
                    if (random.nextInt(4) == 0) {
                        pads = new int[4];
                    }
                    int height = Math.max(v[2], (kh - 1) * v[8] + 1 - pads[0] - pads[2]);
                    int width = Math.max(v[3], (kw - 1) * v[9] + 1 - pads[1] - pads[3]);
                    PoolCase pc = new PoolCase(v[0], v[1], height, width, kh, kw, v[6], v[7], v[8], v[9], pads,
                            AutoPad.NOTSET, v[14] == 1, v[15] == 1, FloatFill.values()[v[16]], 0, 0, 0, 0, 0, 0, true, seed);
                    if (random.nextBoolean()) {
                        return pc;
                    }
                    return pc.withLayout(random.nextInt(6), gap(random), tail(random), random.nextInt(6), gap(random),
                            tail(random), false);
                });
    }

    private static int gap(SplittableRandom random) {
        return switch (random.nextInt(4)) {
            case 0 -> 0;
            case 1, 2 -> 1 + random.nextInt(17);
            default -> 100 + random.nextInt(300);
        };
    }

    private static int tail(SplittableRandom random) {
        return switch (random.nextInt(3)) {
            case 0 -> 0;
            case 1 -> 1 + random.nextInt(3);
            default -> 29;
        };
    }
}
