package dev.lanewise.nn;

import dev.lanewise.im2col.ConvGeometry;
import dev.lanewise.im2col.internal.Im2colKernel;
import dev.lanewise.kernels.Epilogue;
import dev.lanewise.kernels.Sgemm;
import dev.lanewise.kernels.internal.Checks;
import dev.lanewise.kernels.internal.GemmConfig;
import dev.lanewise.kernels.internal.GemmDriver;
import dev.lanewise.kernels.internal.PanelSource;
import dev.lanewise.kernels.internal.Providers;
import dev.lanewise.kernels.internal.SharedPool;
import dev.lanewise.kernels.internal.WorkerPool;
import java.util.Arrays;
import java.util.Objects;

/**
 * A 2D convolution layer with ONNX {@code Conv} semantics: a reusable plan holding the weights,
 * applied to NCHW batches of any size and image size.
 *
 * <h2>What it computes</h2>
 * Input {@code x} is {@code N x C x H x W}, weights {@code w} are OIHW {@code K x (C / group) x KH x KW},
 * output {@code y} is {@code N x K x OH x OW} (sizes as in {@link ConvGeometry}). For output channel
 * {@code k} in group {@code g = k / (K / group)}:
 * <pre>
 *   y[n][k][oy][ox] = act( bias[k] + sum_{c < C/group, r < KH, s < KW}
 *                          w[k][c][r][s] * x[n][g * C/group + c][oy * strideH - padTop + r * dilationH]
 *                                                               [ox * strideW - padLeft + s * dilationW] )
 * </pre>
 * with zero outside the image, and {@code act} the identity, ReLU ({@code max(v, 0)}, so
 * {@code ReLU(NaN) = NaN} and {@code ReLU(-0.0) = +0.0}) or a clamp to {@code [min, max]}.
 * {@link #builder} takes the ONNX attributes (asymmetric pads {@code [top, left, bottom, right]},
 * {@code auto_pad}, strides, dilations, group; depthwise is {@code group == C}); {@link #pytorch}
 * starts from {@code torch.nn.Conv2d}'s (symmetric padding).
 *
 * <h2>How</h2>
 * Per image and group, the convolution is the GEMM {@code Y_g (K/group x OH*OW) = W_g (K/group x
 * C/group*KH*KW) * columns}, where {@code columns} is {@link dev.lanewise.im2col.Im2col}'s matrix. The
 * column matrix is never built: the GEMM's B panels are filled straight from the image as the GEMM
 * needs them (an implicit im2col, one {@code KC x NR} panel at a time), so the memory a call needs is
 * the GEMM's bounded per-thread workspace plus, for a padded image of at most 8 MB, a zero-bordered
 * copy of it that spares the panel copies any bounds logic: {@link #workspaceBytesPerThread()},
 * whatever the image size. A pointwise convolution (1x1, stride 1, no padding) reads the image as the matrix directly.
 * The weights are repacked once, when the plan is built, into the GEMM's A layout; bias and
 * activation are applied by the GEMM as it stores the output (no second pass).
 *
 * <h2>Accuracy, threads and memory</h2>
 * Each output is one FMA chain over {@code (c, r, s)} in order, blocked like
 * {@link Sgemm}, so the error bound is the GEMM's with {@code k = C/group * KH * KW}. Calls use the
 * shared pool ({@link dev.lanewise.kernels.Lanewise#setThreads}), split the output, never a sum, and
 * give bit-identical results for any thread count. Safe to call concurrently; after the first calls
 * a call allocates nothing (unless the image size changes between calls, which re-derives its
 * geometry once).
 *
 * <h2>Errors</h2>
 * {@link Builder#build} rejects channels not divisible by the group and weights or bias of the wrong
 * length; {@link #forward} rejects a kernel larger than the padded input, sizes whose product
 * overflows an {@code int}, arrays too short and an output overlapping the input, all before
 * anything is written, with {@link IllegalArgumentException} or {@link IndexOutOfBoundsException}
 * naming the argument.
 */
public final class Conv2d {

    /** ONNX {@code auto_pad}: how pads are derived from the input size. */
    public enum AutoPad {
        /** Explicit pads ({@link Builder#pads}). */
        NOTSET,
        /** Output size {@code ceil(in / stride)}; an odd total pad puts the extra cell at the end. */
        SAME_UPPER,
        /** Output size {@code ceil(in / stride)}; an odd total pad puts the extra cell at the start. */
        SAME_LOWER,
        /** No padding. */
        VALID
    }

    /** Per-item GEMM work ({@code m * n * k}) below which items are spread over threads even when uneven. */
    private static final long GEMM_PARALLEL_MIN_WORK = 1L << 22;

    /**
     * Largest per-group image, in floats, that a padded convolution first copies into a
     * zero-bordered buffer, so that its implicit im2col runs without bounds logic (8 % faster
     * on ResNet's 3x3 layers, 40 % on 8x8 images, measured). Larger images use the bounds-checked im2col instead, which keeps the
     * workspace bounded whatever the image size.
     */
    private static final int PADDED_IMAGE_MAX_FLOATS = 1 << 21;

    /** Per-calling-thread call state, so that a call allocates nothing. */
    private static final ThreadLocal<Call> CALLS = ThreadLocal.withInitial(Call::new);
    /** Per-thread implicit im2col (callers and workers each convolve their own items). */
    private static final ThreadLocal<ImplicitIm2col> SOURCES = ThreadLocal.withInitial(ImplicitIm2col::new);

    private final int inChannels;
    private final int outChannels;
    private final int group;
    private final int kernelHeight;
    private final int kernelWidth;
    private final int strideHeight;
    private final int strideWidth;
    private final int dilationHeight;
    private final int dilationWidth;
    private final int[] pads;
    private final AutoPad autoPad;
    /** The OIHW weights as given (copied); the source of the prepacked copies. */
    private final float[] weights;
    /**
     * Per GEMM configuration the plan has used (indexed like {@code Providers.current().gemmChoices()}),
     * each group's {@code K/group x C/group*KH*KW} weight matrix in {@link GemmDriver#prepackA}'s layout
     * for that configuration; made on first use.
     */
    private final float[][] packedWeights;
    /** Per group, bias (if any) and activation. */
    private final Epilogue[] epilogues;
    /** Geometry and GEMM configuration of the last input size seen; replaced when the size changes. */
    private volatile Shape shape;

    /**
     * What an input size determines: the per-group window geometry, the GEMM configuration for it
     * with the weights prepacked for that configuration, and, for a padded window over an image of at most {@value #PADDED_IMAGE_MAX_FLOATS} floats, the
     * same window over the explicitly padded image (null otherwise).
     */
    private record Shape(ConvGeometry geometry, GemmConfig config, ConvGeometry padded, float[] packedWeights) {
    }

    private Conv2d(Builder b, float[] weights, float[] bias) {
        inChannels = b.inChannels;
        outChannels = b.outChannels;
        group = b.group;
        kernelHeight = b.kernelHeight;
        kernelWidth = b.kernelWidth;
        strideHeight = b.strideHeight;
        strideWidth = b.strideWidth;
        dilationHeight = b.dilationHeight;
        dilationWidth = b.dilationWidth;
        pads = b.pads.clone();
        autoPad = b.autoPad;
        this.weights = weights.clone();
        packedWeights = new float[Providers.current().gemmChoices().size()][];
        packedWeights(Providers.current().gemm());
        epilogues = new Epilogue[group];
        float[] biasCopy = bias == null ? null : bias.clone();
        int m = outChannels / group;
        for (int g = 0; g < group; g++) {
            Epilogue e = biasCopy == null ? Epilogue.NONE : Epilogue.rowBias(biasCopy, g * m);
            epilogues[g] = b.activation.clamps() ? e.withClamp(b.activation.lo(), b.activation.hi()) : e;
        }
    }

    /**
     * Starts a convolution from ONNX {@code Conv} attributes: {@code inChannels -> outChannels}
     * with a {@code kernelHeight x kernelWidth} kernel; strides and dilations 1, no padding, one
     * group and no activation until set.
     */
    public static Builder builder(int inChannels, int outChannels, int kernelHeight, int kernelWidth) {
        return new Builder(inChannels, outChannels, kernelHeight, kernelWidth);
    }

    /**
     * Starts a convolution from {@code torch.nn.Conv2d(inChannels, outChannels, kernelSize, stride,
     * padding, dilation, groups)}: square kernel, the same stride, dilation and padding on both axes,
     * symmetric padding. Weights are PyTorch's {@code weight} tensor (OIHW), so models port unchanged.
     */
    public static Builder pytorch(int inChannels, int outChannels, int kernelSize, int stride, int padding,
                                  int dilation, int groups) {
        return builder(inChannels, outChannels, kernelSize, kernelSize)
                .strides(stride, stride)
                .pads(padding, padding, padding, padding)
                .dilations(dilation, dilation)
                .group(groups);
    }

    /** Input channels C. */
    public int inChannels() {
        return inChannels;
    }

    /** Output channels K. */
    public int outChannels() {
        return outChannels;
    }

    /** Rows of the output for an input of {@code inputHeight} rows. */
    public int outputHeight(int inputHeight) {
        return shape(inputHeight, 1 + (kernelWidth - 1) * dilationWidth).geometry().outputHeight();
    }

    /** Columns of the output for an input of {@code inputWidth} columns. */
    public int outputWidth(int inputWidth) {
        return shape(1 + (kernelHeight - 1) * dilationHeight, inputWidth).geometry().outputWidth();
    }

    /**
     * Upper bound of the per-thread workspace a call keeps (the GEMM's packed blocks, and a padded
     * copy of small padded images), whatever the batch and image size: the column matrix is never
     * materialised.
     */
    public static long workspaceBytesPerThread() {
        return Sgemm.workspaceBytesPerThread() + (long) Float.BYTES * PADDED_IMAGE_MAX_FLOATS;
    }

    /**
     * Convolves a batch: {@code input} holds {@code batch x C x height x width} floats (NCHW) from
     * {@code inputOffset}; {@code batch x K x outputHeight(height) x outputWidth(width)} floats are
     * written to {@code output} from {@code outputOffset}, and nothing else. {@code batch == 0} does
     * nothing.
     *
     * @throws IllegalArgumentException  if {@code batch < 0}, {@code height} or {@code width < 1}, the
     *                                   dilated kernel exceeds the padded input, a size overflows an
     *                                   {@code int}, or the output overlaps the input in the same array
     * @throws IndexOutOfBoundsException if the input or output does not fit its array
     */
    public void forward(int batch, int height, int width, float[] input, int inputOffset,
                        float[] output, int outputOffset) {
        Checks.nonNegative("batch", batch);
        Shape shape = shape(height, width);
        ConvGeometry g = shape.geometry();
        long inputSize = (long) inChannels * height * width;
        long outputSize = (long) outChannels * g.columns();
        long inputEnd = Checks.vector("input", input, inputOffset, checkedCount("input", batch, inputSize));
        long outputEnd = Checks.vector("output", output, outputOffset, checkedCount("output", batch, outputSize));
        Checks.noOverlap("output", output, outputOffset, outputEnd, "input", input, inputOffset, inputEnd);
        if (batch == 0) {
            return;
        }
        Call call = CALLS.get();
        WorkerPool pool = SharedPool.get();
        call.set(this, shape, input, inputOffset, output, outputOffset, batch * group, pool);
        try {
            if (splitsItems(call.items, (long) (outChannels / group) * g.columns() * g.rows(), pool.threads())) {
                pool.run(call, call.chunks);
            } else {
                for (int item = 0; item < call.items; item++) {
                    call.convolve(item, pool);
                }
            }
        } finally {
            call.clear();
        }
    }

    /**
     * Whether threads take whole (image, group) items rather than sharing each item's GEMM: when
     * the items divide evenly among the threads (no operand is then packed twice), or when each
     * GEMM is too small to split well (a depthwise layer, small images in a batch).
     */
    private static boolean splitsItems(int items, long gemmWork, int threads) {
        return threads > 1 && items > 1 && (items % threads == 0 || gemmWork < GEMM_PARALLEL_MIN_WORK);
    }


    private static int checkedCount(String name, int batch, long perImage) {
        long count = batch * perImage;
        if (count > Integer.MAX_VALUE) {
            throw new IllegalArgumentException(name + " size batch * " + perImage + " = " + count
                    + " exceeds Integer.MAX_VALUE");
        }
        return (int) count;
    }

    /**
     * The weights prepacked for {@code config}, group after group ({@link #packedGroupFloats} apart);
     * made once per configuration, on first use.
     */
    private float[] packedWeights(GemmConfig config) {
        int index = Providers.current().gemmChoices().indexOf(config);
        synchronized (packedWeights) {
            if (packedWeights[index] == null) {
                int m = outChannels / group;
                int k = weightsPerFilter();
                int groupFloats = packedGroupFloats(config);
                float[] packed = new float[group * groupFloats];
                for (int g = 0; g < group; g++) {
                    GemmDriver.prepackA(config, m, k, weights, g * m * k, k, packed, g * groupFloats);
                }
                packedWeights[index] = packed;
            }
            return packedWeights[index];
        }
    }

    /** Floats of one group's prepacked weights for {@code config}. */
    private int packedGroupFloats(GemmConfig config) {
        return GemmDriver.prepackedRows(config, outChannels / group) * weightsPerFilter();
    }

    /** Weights of one output channel: {@code C/group * KH * KW}. */
    private int weightsPerFilter() {
        return inChannels / group * kernelHeight * kernelWidth;
    }

    /** Geometry and GEMM configuration for an input of {@code height x width}, cached for the last size. */
    private Shape shape(int height, int width) {
        Shape s = shape;
        if (s != null && s.geometry().height() == height && s.geometry().width() == width) {
            return s;
        }
        int[] p = resolvePads(height, width);
        ConvGeometry g = new ConvGeometry(inChannels / group, height, width, kernelHeight, kernelWidth,
                strideHeight, strideWidth, dilationHeight, dilationWidth, p[0], p[1], p[2], p[3]);
        ConvGeometry padded = null;
        if (!g.isPointwise() && (p[0] | p[1] | p[2] | p[3]) != 0) {
            ConvGeometry candidate = Im2colKernel.paddedGeometry(g);
            padded = candidate.imageSize() <= PADDED_IMAGE_MAX_FLOATS ? candidate : null;
        }
        GemmConfig config = Providers.current().gemmFor(outChannels / group, g.columns());
        s = new Shape(g, config, padded, packedWeights(config));
        shape = s;
        return s;
    }

    /** Pads {@code [top, left, bottom, right]} for this input size, per {@link AutoPad}. */
    private int[] resolvePads(int height, int width) {
        return switch (autoPad) {
            case NOTSET -> pads;
            case VALID -> new int[4];
            case SAME_UPPER, SAME_LOWER -> {
                int totalH = samePadTotal(height, kernelHeight, strideHeight, dilationHeight);
                int totalW = samePadTotal(width, kernelWidth, strideWidth, dilationWidth);
                boolean upper = autoPad == AutoPad.SAME_UPPER;
                int top = upper ? totalH / 2 : totalH - totalH / 2;
                int left = upper ? totalW / 2 : totalW - totalW / 2;
                yield new int[] {top, left, totalH - top, totalW - left};
            }
        };
    }

    /** ONNX SAME padding: the total pad giving {@code ceil(size / stride)} outputs. */
    private static int samePadTotal(int size, int kernel, int stride, int dilation) {
        long out = ((long) size + stride - 1) / stride;
        long total = (out - 1) * stride + (long) (kernel - 1) * dilation + 1 - size;
        return (int) Math.max(0, total);
    }

    @Override
    public String toString() {
        return "Conv2d[" + inChannels + " -> " + outChannels + ", kernel " + kernelHeight + "x" + kernelWidth
                + ", strides " + strideHeight + "x" + strideWidth + ", dilations " + dilationHeight + "x" + dilationWidth
                + (autoPad == AutoPad.NOTSET ? ", pads " + Arrays.toString(pads) : ", auto_pad " + autoPad)
                + ", group " + group + ", " + epilogues[0] + "]";
    }

    /**
     * The ONNX attributes of a convolution; {@link #build} checks them against the weights and
     * makes the plan. Setters return this builder.
     */
    public static final class Builder {
        private final int inChannels;
        private final int outChannels;
        private final int kernelHeight;
        private final int kernelWidth;
        private int strideHeight = 1;
        private int strideWidth = 1;
        private int dilationHeight = 1;
        private int dilationWidth = 1;
        private int group = 1;
        private int[] pads = new int[4];
        private AutoPad autoPad = AutoPad.NOTSET;
        private Epilogue activation = Epilogue.NONE;

        private Builder(int inChannels, int outChannels, int kernelHeight, int kernelWidth) {
            Checks.positive("inChannels", inChannels);
            Checks.positive("outChannels", outChannels);
            Checks.positive("kernelHeight", kernelHeight);
            Checks.positive("kernelWidth", kernelWidth);
            this.inChannels = inChannels;
            this.outChannels = outChannels;
            this.kernelHeight = kernelHeight;
            this.kernelWidth = kernelWidth;
        }

        /** ONNX {@code strides}, each {@code >= 1} (default 1). */
        public Builder strides(int height, int width) {
            strideHeight = Checks.positive("stride height", height);
            strideWidth = Checks.positive("stride width", width);
            return this;
        }

        /** ONNX {@code dilations}, each {@code >= 1} (default 1). */
        public Builder dilations(int height, int width) {
            dilationHeight = Checks.positive("dilation height", height);
            dilationWidth = Checks.positive("dilation width", width);
            return this;
        }

        /** ONNX {@code pads} in its order {@code [top, left, bottom, right]}, each {@code >= 0} (default 0). */
        public Builder pads(int top, int left, int bottom, int right) {
            pads = new int[] {Checks.nonNegative("pad top", top), Checks.nonNegative("pad left", left),
                    Checks.nonNegative("pad bottom", bottom), Checks.nonNegative("pad right", right)};
            return this;
        }

        /** ONNX {@code auto_pad} (default {@link AutoPad#NOTSET}); other than NOTSET, pads must stay 0. */
        public Builder autoPad(AutoPad autoPad) {
            this.autoPad = Objects.requireNonNull(autoPad, "autoPad");
            return this;
        }

        /** ONNX {@code group} (default 1); {@code group == inChannels} is a depthwise convolution. */
        public Builder group(int group) {
            this.group = Checks.positive("group", group);
            return this;
        }

        /** Fuses ReLU, {@code max(v, 0)}, into the output store. */
        public Builder relu() {
            activation = Epilogue.relu();
            return this;
        }

        /** Fuses a clamp to {@code [min, max]} into the output store ({@code clamp(0, 6)} is ReLU6). */
        public Builder clamp(float min, float max) {
            activation = Epilogue.clamp(min, max);
            return this;
        }

        /**
         * Makes the plan. {@code weights} is OIHW, exactly {@code outChannels * inChannels/group *
         * kernelHeight * kernelWidth} floats; {@code bias}, if not null, exactly {@code outChannels}.
         * Both are copied (the weights into the GEMM's layout), so later changes to the arrays do not
         * affect the plan.
         *
         * @throws IllegalArgumentException if the channels are not divisible by the group, the
         *         lengths do not match, pads were given with an auto_pad, or a size overflows an int
         */
        public Conv2d build(float[] weights, float[] bias) {
            Objects.requireNonNull(weights, "weights");
            if (inChannels % group != 0 || outChannels % group != 0) {
                throw new IllegalArgumentException("inChannels = " + inChannels + " and outChannels = " + outChannels
                        + " must both be divisible by group = " + group);
            }
            if (autoPad != AutoPad.NOTSET && Arrays.stream(pads).anyMatch(p -> p != 0)) {
                throw new IllegalArgumentException("pads " + Arrays.toString(pads) + " must be 0 with auto_pad "
                        + autoPad + " (ONNX: pads and auto_pad exclude each other)");
            }
            long expected = (long) outChannels * (inChannels / group) * kernelHeight * kernelWidth;
            if (weights.length != expected) {
                throw new IllegalArgumentException("weights.length = " + weights.length + " must be outChannels * "
                        + "inChannels/group * kernelHeight * kernelWidth = " + outChannels + " * "
                        + inChannels / group + " * " + kernelHeight + " * " + kernelWidth + " = " + expected + " (OIHW)");
            }
            if (bias != null && bias.length != outChannels) {
                throw new IllegalArgumentException("bias.length = " + bias.length + " must be outChannels = " + outChannels);
            }
            return new Conv2d(this, weights, bias);
        }

    }

    /**
     * One forward call's arguments; reused by its calling thread. As a pool task, chunk {@code t}
     * convolves items {@code t, t + chunks, ...}, an item being one (image, group) pair.
     */
    private static final class Call implements WorkerPool.Task {
        private Conv2d conv;
        private ConvGeometry geometry;
        private ConvGeometry padded;
        private GemmConfig config;
        private float[] packedWeights;
        private float[] input;
        private int inputOffset;
        private float[] output;
        private int outputOffset;
        private int items;
        private int chunks;
        private WorkerPool pool;

        void set(Conv2d conv, Shape shape, float[] input, int inputOffset, float[] output, int outputOffset,
                 int items, WorkerPool pool) {
            this.conv = conv;
            this.geometry = shape.geometry();
            this.padded = shape.padded();
            this.config = shape.config();
            this.packedWeights = shape.packedWeights();
            this.input = input;
            this.inputOffset = inputOffset;
            this.output = output;
            this.outputOffset = outputOffset;
            this.items = items;
            this.chunks = Math.min(items, pool.threads());
            this.pool = pool;
        }

        void clear() {
            conv = null;
            geometry = null;
            padded = null;
            config = null;
            packedWeights = null;
            input = null;
            output = null;
            pool = null;
        }

        @Override
        public void run(int chunk) {
            for (int item = chunk; item < items; item += chunks) {
                convolve(item, pool);   // nested in a pool task, the GEMM runs on this thread
            }
        }

        /** Convolves image {@code item / group}, group {@code item % group}, on {@code pool}. */
        void convolve(int item, WorkerPool pool) {
            Conv2d c = conv;
            ConvGeometry g = geometry;
            int n = item / c.group;
            int gi = item % c.group;
            int m = c.outChannels / c.group;
            int k = g.rows();
            int cols = g.columns();
            int plane = g.height() * g.width();
            int in = inputOffset + (n * c.inChannels + gi * g.channels()) * plane;
            int out = outputOffset + (n * c.outChannels + gi * m) * cols;
            if (g.isPointwise()) {
                GemmDriver.sgemmPrepackedA(config, pool, m, cols, k, packedWeights, gi * c.packedGroupFloats(config),
                        null, input, in, plane, output, out, cols, c.epilogues[gi]);
            } else {
                ImplicitIm2col source = SOURCES.get();
                source.set(g, padded, input, in);
                try {
                    GemmDriver.sgemmPrepackedA(config, pool, m, cols, k, packedWeights, gi * c.packedGroupFloats(config),
                            source, null, 0, 0, output, out, cols, c.epilogues[gi]);
                } finally {
                    source.clear();
                }
            }
        }
    }

    /**
     * B of one image and group's GEMM: panels of the column matrix, produced by
     * {@link Im2colKernel#tile}, from a zero-bordered copy of the image when the shape has one.
     * Owned by the thread that convolves the item; the pool's workers only read it.
     */
    private static final class ImplicitIm2col implements PanelSource {
        private ConvGeometry geometry;
        private float[] image;
        private int imageOffset;
        /** This thread's padded-image buffer, grown to at most {@link #PADDED_IMAGE_MAX_FLOATS}. */
        private float[] paddedImage = new float[0];

        /** Reads {@code image} through {@code geometry}, or first pads it when {@code padded} is not null. */
        void set(ConvGeometry geometry, ConvGeometry padded, float[] image, int imageOffset) {
            if (padded == null) {
                this.geometry = geometry;
                this.image = image;
                this.imageOffset = imageOffset;
                return;
            }
            if (paddedImage.length < padded.imageSize()) {
                paddedImage = new float[padded.imageSize()];
            }
            Im2colKernel.pad(geometry, image, imageOffset, paddedImage);
            this.geometry = padded;
            this.image = paddedImage;
            this.imageOffset = 0;
        }

        void clear() {
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
}
