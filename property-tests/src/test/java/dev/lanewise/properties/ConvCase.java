package dev.lanewise.properties;

import dev.lanewise.im2col.ConvGeometry;
import dev.lanewise.nn.AutoPad;
import dev.lanewise.nn.Conv2d;
import dev.lanewise.nn.conv.ConvProblem;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;

/**
 * One convolution to test: ONNX attributes, a batch of {@code height x width} images, the fused
 * activation and residual, and where input and output start in their arrays. Explicit pads are used when
 * {@code autoPad} is NOTSET; otherwise {@link #resolvedPads} derives them from the ONNX rule,
 * written out in {@link OnnxPads} independently of {@link Conv2d}.
 */
record ConvCase(int batch, int group, int channelsPerGroup, int outPerGroup, int height, int width,
                int kernelHeight, int kernelWidth, int strideHeight, int strideWidth,
                int dilationHeight, int dilationWidth, int[] pads, AutoPad autoPad,
                boolean bias, Activation activation, boolean residual, int inputOffset, int outputOffset, long seed) {

    /** The activation fused into the convolution. */
    enum Activation { NONE, RELU, CLAMP, LEAKY_RELU }

    /** LeakyReLU's slope in the cases. */
    static final float LEAKY_SLOPE = 0.1f;

    /** Where the residual (when there is one) starts in its array: 0 to 3, from the seed. */
    int residualOffset() {
        return (int) Math.floorMod(seed >> 24, 4L);
    }

    /** What the fused activation makes of {@code v}, written out. */
    float activate(float v) {
        return switch (activation) {
            case NONE -> v;
            case RELU -> Math.max(v, 0f);
            case CLAMP -> Math.min(Math.max(v, -0.25f), 0.5f);
            case LEAKY_RELU -> v < 0 ? LEAKY_SLOPE * v : v;
        };
    }

    int inChannels() {
        return group * channelsPerGroup;
    }

    int outChannels() {
        return group * outPerGroup;
    }

    /** Reduction length of each output: {@code C/group * KH * KW}. */
    int depth() {
        return channelsPerGroup * kernelHeight * kernelWidth;
    }

    boolean depthwise() {
        return group > 1 && channelsPerGroup == 1;
    }

    /** ONNX pads {@code [top, left, bottom, right]} for this input size. */
    int[] resolvedPads() {
        return OnnxPads.resolve(autoPad, pads, height, width, kernelHeight, kernelWidth, strideHeight, strideWidth,
                dilationHeight, dilationWidth);
    }

    /** The window over a whole image (all C channels), as {@link dev.lanewise.nn.ref.RefConv2d} takes it. */
    ConvGeometry geometry() {
        int[] p = resolvedPads();
        return new ConvGeometry(inChannels(), height, width, kernelHeight, kernelWidth, strideHeight, strideWidth,
                dilationHeight, dilationWidth, p[0], p[1], p[2], p[3]);
    }

    /** What a convolution algorithm is chosen for: the channels, groups and one group's window. */
    ConvProblem problem() {
        return new ConvProblem(inChannels(), outChannels(), group, geometry().withChannels(channelsPerGroup));
    }

    /**
     * Cases that the registry gives to every algorithm: the implicit im2col, the pointwise path, a
     * strided grouped layer on a batch and a strided first layer of several filter blocks (both
     * direct), and a strided depthwise layer with two filters per channel; with residuals and LeakyReLU.
     */
    static ConvCase[] everyAlgorithm() {
        return new ConvCase[] {
            new ConvCase(1, 1, 16, 16, 12, 12, 3, 3, 1, 1, 1, 1, new int[] {1, 1, 1, 1}, AutoPad.NOTSET,
                    true, ConvCase.Activation.RELU, false, 0, 0, 1),
            new ConvCase(1, 1, 16, 16, 12, 12, 3, 3, 1, 1, 1, 1, new int[] {1, 1, 1, 1}, AutoPad.NOTSET,
                    true, ConvCase.Activation.LEAKY_RELU, true, 0, 0, 5),
            new ConvCase(1, 1, 32, 8, 9, 9, 1, 1, 1, 1, 1, 1, new int[4], AutoPad.NOTSET,
                    false, ConvCase.Activation.NONE, false, 0, 0, 2),
            new ConvCase(1, 1, 32, 8, 9, 9, 1, 1, 1, 1, 1, 1, new int[4], AutoPad.NOTSET,
                    false, ConvCase.Activation.NONE, true, 0, 0, 6),
            new ConvCase(3, 2, 4, 3, 15, 11, 3, 5, 2, 1, 1, 2, new int[] {0, 1, 2, 3}, AutoPad.NOTSET,
                    true, ConvCase.Activation.CLAMP, false, 0, 0, 3),
            new ConvCase(2, 8, 1, 2, 40, 37, 3, 3, 2, 2, 1, 1, new int[] {1, 1, 1, 1}, AutoPad.NOTSET,
                    true, ConvCase.Activation.RELU, false, 0, 0, 4),
            new ConvCase(2, 8, 1, 2, 40, 37, 3, 3, 2, 2, 1, 1, new int[] {1, 1, 1, 1}, AutoPad.NOTSET,
                    true, ConvCase.Activation.CLAMP, true, 0, 0, 7),
            new ConvCase(1, 1, 3, 20, 45, 47, 7, 7, 2, 2, 1, 1, new int[] {3, 3, 3, 3}, AutoPad.NOTSET,
                    true, ConvCase.Activation.NONE, false, 0, 0, 5)};
    }

    /**
     * Cases whose work is split over the threads inside each item (one image, several k-blocks and
     * column panels), across images (a batch) and across groups.
     */
    static ConvCase[] splitOverThreads() {
        return new ConvCase[] {
            new ConvCase(1, 1, 64, 40, 30, 29, 3, 3, 1, 1, 1, 1, new int[] {1, 1, 1, 1}, AutoPad.NOTSET,
                    true, ConvCase.Activation.RELU, true, 3, 5, 1),
            new ConvCase(2, 1, 16, 24, 40, 41, 5, 3, 2, 1, 1, 2, new int[] {2, 0, 1, 3}, AutoPad.NOTSET,
                    true, ConvCase.Activation.NONE, false, 0, 0, 2),
            new ConvCase(3, 2, 12, 20, 30, 29, 3, 3, 1, 1, 1, 1, new int[] {1, 1, 1, 1}, AutoPad.NOTSET,
                    true, ConvCase.Activation.CLAMP, true, 1, 2, 3)};
    }

    /** This case made pointwise: a 1x1 kernel, unit strides and dilations, no padding. */
    ConvCase pointwise() {
        return new ConvCase(batch, group, channelsPerGroup, outPerGroup, height, width, 1, 1, 1, 1, 1, 1, new int[4],
                AutoPad.NOTSET, bias, activation, residual, inputOffset, outputOffset, seed);
    }

    /** This case made depthwise: {@code groups} groups (at least 2) of one input channel each. */
    ConvCase depthwise(int groups) {
        return new ConvCase(batch, Math.max(2, groups), 1, outPerGroup, height, width, kernelHeight, kernelWidth,
                strideHeight, strideWidth, dilationHeight, dilationWidth, pads, autoPad, bias, activation,
                residual, inputOffset, outputOffset, seed);
    }

    /** This case made grouped: {@code groups} groups (at least 2) of {@code channelsPerGroup} input channels each. */
    ConvCase grouped(int groups, int channelsPerGroup) {
        return new ConvCase(batch, Math.max(2, groups), channelsPerGroup, outPerGroup, height, width, kernelHeight,
                kernelWidth, strideHeight, strideWidth, dilationHeight, dilationWidth, pads, autoPad, bias, activation,
                residual, inputOffset, outputOffset, seed);
    }

    /** This case made a first layer: one group of {@code channels} input channels and {@code filters} filters. */
    ConvCase firstLayer(int channels, int filters) {
        return new ConvCase(batch, 1, channels, filters, height, width, kernelHeight, kernelWidth, strideHeight,
                strideWidth, dilationHeight, dilationWidth, pads, autoPad, bias, activation, residual, inputOffset,
                outputOffset, seed);
    }

    Conv2d.Builder builder() {
        Conv2d.Builder b = Conv2d.builder(inChannels(), outChannels(), kernelHeight, kernelWidth)
                .strides(strideHeight, strideWidth)
                .dilations(dilationHeight, dilationWidth)
                .group(group)
                .autoPad(autoPad);
        if (autoPad == AutoPad.NOTSET) {
            b.pads(pads[0], pads[1], pads[2], pads[3]);
        }
        return switch (activation) {
            case NONE -> b;
            case RELU -> b.relu();
            case CLAMP -> b.clamp(-0.25f, 0.5f);
            case LEAKY_RELU -> b.leakyRelu(LEAKY_SLOPE);
        };
    }

    @Override
    public String toString() {
        return "ConvCase[batch " + batch + ", " + inChannels() + " -> " + outChannels() + " group " + group
                + ", " + height + "x" + width + ", kernel " + kernelHeight + "x" + kernelWidth
                + ", strides " + strideHeight + "x" + strideWidth + ", dilations " + dilationHeight + "x" + dilationWidth
                + ", pads " + java.util.Arrays.toString(pads) + ", auto_pad " + autoPad + ", bias " + bias
                + ", " + activation + (residual ? ", residual at " + residualOffset() : "")
                + ", offsets " + inputOffset + "/" + outputOffset + ", seed " + seed + "]";
    }

    /**
     * Random convolutions with every option: kernels 1..7 (often non-square), strides and
     * dilations 1..3, asymmetric pads 0..3, groups 1..3 and depthwise, bias, activation and residual
     * on and off, an auto_pad one time in eight. The image is made at least as large as the dilated kernel
     * needs, so every case is valid.
     *
     * One case in eight is made pointwise (1x1 kernel, unit strides, no padding), the path that
     * reads the image in place.
     *
     * @param minChannels smallest channels per group
     * @param maxChannels largest channels per group (above {@code KC / 9} for 3x3 gives several k-blocks)
     * @param maxSize     largest image side
     */
    static Arbitrary<ConvCase> cases(int minChannels, int maxChannels, int maxSize) {
        Arbitrary<int[]> shape = Combinators.combine(
                Arbitraries.integers().between(1, 3),                  // batch
                Arbitraries.integers().between(1, 3),                  // group
                Arbitraries.integers().between(minChannels, maxChannels), // channels per group
                Arbitraries.integers().between(1, 5),                  // outputs per group
                Arbitraries.integers().between(1, maxSize),            // height
                Arbitraries.integers().between(1, maxSize),            // width
                Arbitraries.integers().between(1, 7),                  // kernel height
                Arbitraries.integers().between(1, 7))                  // kernel width
                .as((n, g, cpg, kpg, h, w, kh, kw) -> new int[] {n, g, cpg, kpg, h, w, kh, kw});
        Arbitrary<int[]> window = Combinators.combine(
                Arbitraries.integers().between(1, 3), Arbitraries.integers().between(1, 3),   // strides
                Arbitraries.integers().between(1, 3).edgeCases(e -> e.includeOnly(1)),
                Arbitraries.integers().between(1, 3),                                          // dilations
                Arbitraries.integers().between(0, 3), Arbitraries.integers().between(0, 3),
                Arbitraries.integers().between(0, 3), Arbitraries.integers().between(0, 3))  // pads
                .as((sh, sw, dh, dw, pt, pl, pb, pr) -> new int[] {sh, sw, dh, dw, pt, pl, pb, pr});
        Arbitrary<AutoPad> autoPad = Arbitraries.frequencyOf(
                net.jqwik.api.Tuple.of(14, Arbitraries.just(AutoPad.NOTSET)),
                net.jqwik.api.Tuple.of(2, Arbitraries.of(AutoPad.SAME_UPPER, AutoPad.SAME_LOWER, AutoPad.VALID)));
        Arbitrary<int[]> flags = Combinators.combine(Arbitraries.of(0, 1), Arbitraries.of(0, 1))
                .as((bias, residual) -> new int[] {bias, residual});
        return Combinators.combine(shape, window, autoPad, flags,
                        Arbitraries.of(Activation.class), Arbitraries.integers().between(0, 5),
                        Arbitraries.integers().between(0, 5), Arbitraries.longs())
                .as((s, win, ap, f, act, inOff, outOff, seed) -> {
                    int group = s[1];
                    int cpg = s[2];
                    boolean depthwise = group > 1 && seed % 4 == 0;
                    if (depthwise) {
                        group = 2 + (int) Math.floorMod(seed >> 8, 15L);   // up to 16 channels, one each
                        cpg = 1;
                    }
                    int[] pads = {win[4], win[5], win[6], win[7]};
                    if (Math.floorMod(seed >> 16, 8L) == 0) {
                        s[6] = 1;
                        s[7] = 1;
                        win[0] = 1;
                        win[1] = 1;
                        pads = new int[4];
                    }
                    int height = Math.max(s[4], win[2] * (s[6] - 1) + 1 - pads[0] - pads[2]);
                    int width = Math.max(s[5], win[3] * (s[7] - 1) + 1 - pads[1] - pads[3]);
                    if (ap != AutoPad.NOTSET) {
                        height = Math.max(s[4], win[2] * (s[6] - 1) + 1);   // VALID needs the kernel inside
                        width = Math.max(s[5], win[3] * (s[7] - 1) + 1);
                    }
                    return new ConvCase(s[0], group, cpg, s[3], height, width, s[6], s[7], win[0], win[1],
                            win[2], win[3], pads, ap, f[0] == 1, act, f[1] == 1, inOff, outOff, seed);
                });
    }
}
