package dev.lanewise.nn;

import dev.lanewise.im2col.ConvGeometry;
import dev.lanewise.im2col.internal.ImplicitIm2col;
import dev.lanewise.kernels.Epilogue;
import dev.lanewise.kernels.Sgemm;
import dev.lanewise.kernels.internal.Checks;
import dev.lanewise.kernels.internal.RowBand;
import dev.lanewise.kernels.internal.WindowShape;
import dev.lanewise.nn.conv.ConvAlgorithm;
import dev.lanewise.nn.conv.ConvAlgorithms;
import dev.lanewise.nn.conv.ConvPlan;
import dev.lanewise.nn.conv.ConvProblem;
import dev.lanewise.nn.conv.ConvWeights;
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
 *   y[n][k][oy][ox] = act( (bias[k] + sum_{c < C/group, r < KH, s < KW}
 *                           w[k][c][r][s] * x[n][g * C/group + c][oy * strideH - padTop + r * dilationH]
 *                                                                [ox * strideW - padLeft + s * dilationW])
 *                          + residual[n][k][oy][ox] )
 * </pre>
 * with zero outside the image; the residual (ResNet's skip connection, an ONNX {@code Add} fused into
 * the convolution) only when {@code forward} is given one, added after the bias, in {@code float},
 * as the output is stored; and {@code act} the identity, ReLU ({@code max(v, 0)}, so
 * {@code ReLU(NaN) = NaN} and {@code ReLU(-0.0) = +0.0}), a clamp to {@code [min, max]}, or
 * LeakyReLU ({@code v < 0 ? alpha * v : v}, NaN and {@code -0.0} unchanged); the order and rounding
 * are {@link Epilogue}'s.
 * {@link #builder} takes the ONNX attributes (asymmetric pads {@code [top, left, bottom, right]},
 * {@code auto_pad}, strides, dilations, group; depthwise is {@code group == C}); {@link #pytorch}
 * starts from {@code torch.nn.Conv2d}'s (symmetric padding).
 *
 * <h2>How</h2>
 * Per input size the layer makes a {@link ConvPlan} ({@link #plan}) with the first algorithm of
 * {@link ConvAlgorithms} that supports and suits the shape, or the one forced with
 * {@link Builder#algorithm}: a pointwise convolution (1x1, stride 1, no padding) is one GEMM per
 * group reading the image as its B matrix; depthwise layers, grouped layers with few channels per
 * group and first layers with few channels are computed directly (each output's FMA chain in vector
 * lanes along the output row, from a band of staged input rows); any other is lowered by implicit
 * im2col onto the GEMM, its B panels cut straight from the image as the GEMM needs them. The column
 * matrix is never built, and a call keeps at most {@link #workspaceBytesPerThread()} bytes per
 * thread whatever the image size. The weights are repacked once per layout an algorithm needs; bias,
 * residual and activation are applied as the output is stored. The last input size's plan is kept, so a steady stream
 * of one size plans once.
 *
 * <h2>Accuracy, threads and memory</h2>
 * Each output is one FMA chain over {@code (c, r, s)} in order (the GEMM paths block it like
 * {@link Sgemm}), so the error bound is the GEMM's with {@code k = C/group * KH * KW}. Calls use the
 * shared pool ({@link dev.lanewise.kernels.Lanewise#setThreads}), split the output, never a sum, and
 * give bit-identical results for any thread count. Safe to call concurrently; after the first calls
 * a call allocates nothing (unless the image size changes between calls, which plans once more).
 * {@link #outputHeight} and {@link #outputWidth} are pure and allocate nothing. Each thread keeps
 * scratch of at most {@link ConvPlan#workspaceBytesPerThread()} (for the plan of the size) in a
 * thread-local; {@code plan(height, width).forward(..., scratch)} takes the caller's
 * {@link dev.lanewise.kernels.Scratch} instead and keeps none.
 *
 * <h2>Errors</h2>
 * {@link Builder#build} rejects channels not divisible by the group and weights or bias of the wrong
 * length; {@link #forward} rejects a kernel larger than the padded input, sizes whose product
 * overflows an {@code int}, arrays too short and an output overlapping the input or the residual,
 * all before anything is written, with {@link IllegalArgumentException} or {@link IndexOutOfBoundsException}
 * naming the argument.
 */
public final class Conv2d {

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
    /** The algorithm every plan uses, or null to let {@link ConvAlgorithms#choose} pick per shape. */
    private final ConvAlgorithm algorithm;
    private final ConvWeights weights;
    /** The plan of the last input size seen; replaced when the size changes. */
    private volatile ConvPlan plan;

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
        algorithm = b.algorithm;
        this.weights = new ConvWeights(weights, bias, b.activation);
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

    /**
     * Rows of the output for an input of {@code inputHeight} rows. Pure: nothing is planned or
     * allocated.
     *
     * @throws IllegalArgumentException if {@code inputHeight < 1} or the dilated kernel exceeds the
     *                                  padded input
     */
    public int outputHeight(int inputHeight) {
        return outputSize("height", inputHeight, pads[0], pads[2], kernelHeight, strideHeight, dilationHeight);
    }

    /**
     * Columns of the output for an input of {@code inputWidth} columns. Pure: nothing is planned or
     * allocated.
     *
     * @throws IllegalArgumentException if {@code inputWidth < 1} or the dilated kernel exceeds the
     *                                  padded input
     */
    public int outputWidth(int inputWidth) {
        return outputSize("width", inputWidth, pads[1], pads[3], kernelWidth, strideWidth, dilationWidth);
    }

    /**
     * Upper bound of the per-thread workspace convolutions keep (the GEMM's packed blocks, a padded
     * copy of small padded images, a direct kernel's band of input rows), whatever the batch, image
     * size and algorithm: the column matrix is never materialised. The plans' own
     * {@link ConvPlan#workspaceBytesPerThread()} are at most this. (A thread that also pools keeps the
     * pooling operators' {@code workspaceBytesPerThread(height, width)} besides.)
     */
    public static long workspaceBytesPerThread() {
        return Sgemm.workspaceBytesPerThread()
                + (long) Float.BYTES * (ImplicitIm2col.PADDED_IMAGE_MAX_FLOATS + RowBand.FLOATS);
    }

    /**
     * The plan for an input of {@code height x width}: which algorithm computes it, with what
     * workspace. Made on the first call for a size and kept until the size changes.
     *
     * @throws IllegalArgumentException if a size is below 1, the dilated kernel exceeds the padded
     *                                  input, a size overflows an {@code int}, or the algorithm forced
     *                                  with {@link Builder#algorithm} does not support the shape
     */
    public ConvPlan plan(int height, int width) {
        ConvPlan p = plan;
        if (p != null && p.problem().window().height() == height && p.problem().window().width() == width) {
            return p;
        }
        Checks.positive("height", height);
        Checks.positive("width", width);
        int[] padding = resolvePads(height, width);
        ConvGeometry window = new ConvGeometry(inChannels / group, height, width, kernelHeight, kernelWidth,
                strideHeight, strideWidth, dilationHeight, dilationWidth, padding[0], padding[1], padding[2], padding[3]);
        ConvProblem problem = new ConvProblem(inChannels, outChannels, group, window);
        p = (algorithm != null ? algorithm : ConvAlgorithms.choose(problem)).plan(problem, weights);
        plan = p;
        return p;
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
        plan(height, width).forward(batch, input, inputOffset, output, outputOffset);
    }

    /**
     * {@link #forward(int, int, int, float[], int, float[], int)} with a residual added to each output
     * before the activation: {@code residual} holds {@code batch x K x outputHeight(height) x
     * outputWidth(width)} floats (NCHW, the output's shape) from {@code residualOffset}, so that
     * {@code y = act((conv + bias) + residual)} (ONNX {@code Conv} then {@code Add}, then the
     * activation, in one pass). The residual is only read: it may be, or overlap, the input, but it
     * must not overlap the output (which holds partial sums while it is computed).
     *
     * @throws IllegalArgumentException  as the overload without a residual, or if the residual
     *                                   overlaps the output in the same array
     * @throws IndexOutOfBoundsException if the input, output or residual does not fit its array
     * @throws NullPointerException      if {@code residual} is null
     */
    public void forward(int batch, int height, int width, float[] input, int inputOffset,
                        float[] output, int outputOffset, float[] residual, int residualOffset) {
        Checks.nonNegative("batch", batch);
        plan(height, width).forward(batch, input, inputOffset, output, outputOffset, residual, residualOffset);
    }

    /** The output length along one axis for this layer's pads (explicit or {@link AutoPad}). */
    private int outputSize(String axis, int size, int padBegin, int padEnd, int kernel, int stride, int dilation) {
        Checks.positive(axis, size);
        return WindowShape.outputLength(axis, size, kernel, stride,
                autoPad.padBegin(padBegin, size, kernel, stride, dilation),
                autoPad.padEnd(padEnd, size, kernel, stride, dilation), dilation, false);
    }

    /** Pads {@code [top, left, bottom, right]} for this input size, per {@link AutoPad}. */
    private int[] resolvePads(int height, int width) {
        return new int[] {
            autoPad.padBegin(pads[0], height, kernelHeight, strideHeight, dilationHeight),
            autoPad.padBegin(pads[1], width, kernelWidth, strideWidth, dilationWidth),
            autoPad.padEnd(pads[2], height, kernelHeight, strideHeight, dilationHeight),
            autoPad.padEnd(pads[3], width, kernelWidth, strideWidth, dilationWidth)};
    }

    @Override
    public String toString() {
        return "Conv2d[" + inChannels + " -> " + outChannels + ", kernel " + kernelHeight + "x" + kernelWidth
                + ", strides " + strideHeight + "x" + strideWidth + ", dilations " + dilationHeight + "x" + dilationWidth
                + (autoPad == AutoPad.NOTSET ? ", pads " + Arrays.toString(pads) : ", auto_pad " + autoPad)
                + ", group " + group + ", " + weights.epilogueDescription()
                + (algorithm == null ? "" : ", algorithm " + algorithm) + "]";
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
        private ConvAlgorithm algorithm;

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
         * Fuses ONNX {@code LeakyRelu(alpha)}, {@code v < 0 ? alpha * v : v}, into the output store
         * (ONNX's default alpha is 0.01).
         *
         * @throws IllegalArgumentException if {@code alpha} is not finite
         */
        public Builder leakyRelu(float alpha) {
            activation = Epilogue.leakyRelu(alpha);
            return this;
        }

        /**
         * Computes every input size with {@code algorithm} instead of the registry's choice (tests,
         * benchmarks, and callers who measured their own case); an input size the algorithm does
         * not support is then rejected when it is planned.
         */
        public Builder algorithm(ConvAlgorithm algorithm) {
            this.algorithm = Objects.requireNonNull(algorithm, "algorithm");
            return this;
        }

        /**
         * Makes the layer. {@code weights} is OIHW, exactly {@code outChannels * inChannels/group *
         * kernelHeight * kernelWidth} floats; {@code bias}, if not null, exactly {@code outChannels}.
         * Both are copied, so later changes to the arrays do not affect the layer; each algorithm's
         * layout of the weights is made from the copy once, by the first plan that needs it.
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
}
