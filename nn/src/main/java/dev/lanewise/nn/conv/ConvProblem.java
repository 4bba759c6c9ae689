package dev.lanewise.nn.conv;

import dev.lanewise.im2col.ConvGeometry;
import dev.lanewise.kernels.internal.WindowShape;

/**
 * What a convolution algorithm is chosen for: a layer's channels and groups and its window over one
 * input size, pads resolved. Input {@code N x C x H x W}, weights OIHW {@code K x C/group x KH x KW},
 * output {@code N x K x OH x OW} (NCHW); {@code window} is one group's: {@code C/group} channels of
 * {@code H x W}, its kernel, strides, dilations and pads, and so {@code OH x OW}.
 *
 * @param inChannels  C
 * @param outChannels K
 * @param group       the ONNX {@code group}: {@code C} and {@code K} are both multiples of it
 * @param window      one group's window; {@code window.channels() == C / group}
 */
public record ConvProblem(int inChannels, int outChannels, int group, ConvGeometry window) {

    /**
     * @throws IllegalArgumentException if the channels are not multiples of the group, or the
     *         window's channels are not {@code C / group}
     */
    public ConvProblem {
        if (group < 1 || inChannels % group != 0 || outChannels % group != 0) {
            throw new IllegalArgumentException("inChannels = " + inChannels + " and outChannels = " + outChannels
                    + " must both be divisible by group = " + group);
        }
        if (window.channels() != inChannels / group) {
            throw new IllegalArgumentException("window channels = " + window.channels() + " must be inChannels / group = "
                    + inChannels / group);
        }
    }

    /** Input channels per group, {@code C / group}. */
    public int channelsPerGroup() {
        return inChannels / group;
    }

    /** Output channels per group, {@code K / group}: the rows of each group's GEMM. */
    public int filtersPerGroup() {
        return outChannels / group;
    }

    /** Weights of one output channel, {@code C/group * KH * KW}: each output's reduction length. */
    public int weightsPerFilter() {
        return window.rows();
    }

    /** Whether every group has one input channel: a depthwise convolution (multiplier {@code K / C}). */
    public boolean isDepthwise() {
        return channelsPerGroup() == 1 && group > 1;
    }

    /** One group's window as the direct kernels read it: per output row and column, the taps inside the input. */
    WindowShape windowShape() {
        ConvGeometry g = window;
        return WindowShape.convolution(g.height(), g.width(), g.kernelHeight(), g.kernelWidth(), g.strideHeight(),
                g.strideWidth(), g.padTop(), g.padLeft(), g.padBottom(), g.padRight(), g.dilationHeight(),
                g.dilationWidth());
    }

    /** Multiply-adds of one image: {@code K * OH * OW * C/group * KH * KW}. */
    public long multiplyAdds() {
        return (long) outChannels * window.columns() * window.rows();
    }

    @Override
    public String toString() {
        ConvGeometry g = window;
        return inChannels + "x" + g.height() + "x" + g.width() + " -> " + outChannels + "x" + g.outputHeight() + "x"
                + g.outputWidth() + ", kernel " + g.kernelHeight() + "x" + g.kernelWidth() + ", strides "
                + g.strideHeight() + "x" + g.strideWidth() + ", dilations " + g.dilationHeight() + "x" + g.dilationWidth()
                + ", pads [" + g.padTop() + ", " + g.padLeft() + ", " + g.padBottom() + ", " + g.padRight() + "], group "
                + group;
    }
}
