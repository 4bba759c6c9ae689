package dev.lanewise.benchmarks;

import dev.lanewise.im2col.ConvGeometry;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * A convolution benchmark layer from the resource {@code conv-layers.csv}: batch 1, NCHW input
 * {@code inChannels x height x width}, OIHW weights {@code outChannels x inChannels/group x kernel x
 * kernel}, one bias per output channel, the same stride and padding on both axes, no dilation.
 * ResNet-50 and VGG-16 layers, MobileNetV2's and EfficientNet-B0's depthwise layers, and toy sizes
 * where the fixed cost of a call shows.
 */
record ConvLayer(String name, int inChannels, int outChannels, int kernel, int stride, int pad,
                 int height, int width, int group, String source) {

    private static final Map<String, ConvLayer> ALL = load();

    /** The layer called {@code name}; fails naming the known ones otherwise. */
    static ConvLayer named(String name) {
        ConvLayer layer = ALL.get(name);
        if (layer == null) {
            throw new IllegalArgumentException("unknown convolution layer " + name + "; conv-layers.csv has " + ALL.keySet());
        }
        return layer;
    }

    /** Every layer, in file order. */
    static Map<String, ConvLayer> all() {
        return ALL;
    }

    /**
     * Channels, kernel (and stride where not 1), groups where not 1 ({@code dw} for depthwise) and
     * input, e.g. {@code 3->64 7x7/2 224x224} or {@code 96->96 3x3/2 dw 112x112}: the layer in a table cell.
     */
    String description() {
        String groups = group == 1 ? "" : group == inChannels ? " dw" : " g" + group;
        return inChannels + "->" + outChannels + " " + kernel + "x" + kernel + (stride > 1 ? "/" + stride : "") + groups
                + " " + height + "x" + width;
    }

    /** The window over one input image, all input channels (the reference's view; lanewise's is per group). */
    ConvGeometry geometry() {
        return new ConvGeometry(inChannels, height, width, kernel, kernel, stride, stride, 1, 1, pad, pad, pad, pad);
    }

    /** Multiply-adds per output element: {@code inChannels/group * kernel * kernel}, the reduction length. */
    int reduction() {
        return inChannels / group * kernel * kernel;
    }

    /**
     * Floating-point operations of one call (batch 1):
     * {@code 2 * outChannels * outputHeight * outputWidth * inChannels/group * kernel * kernel}, a multiply
     * and an add per output element and term of its reduction; the bias additions are not counted.
     */
    double flops() {
        ConvGeometry g = geometry();
        return 2.0 * outChannels * g.outputHeight() * g.outputWidth() * reduction();
    }

    /**
     * Whether the layer is grouped ({@code group > 1}, depthwise included): little arithmetic per byte,
     * so it is rated in GB/s ({@link #bytes}) against a copy of its input rather than in GFLOP/s.
     */
    boolean grouped() {
        return group > 1;
    }

    /** Floats of one input image, {@code C * H * W}. */
    int inputFloats() {
        return inChannels * height * width;
    }

    /**
     * Bytes one call must move at least: input and output once, weights and bias once,
     * {@code 4 * (C H W + K OH OW + K C/group KH KW + K)}.
     */
    double bytes() {
        ConvGeometry g = geometry();
        return (double) Float.BYTES * (inputFloats() + (long) outChannels * g.outputHeight() * g.outputWidth()
                + (long) outChannels * reduction() + outChannels);
    }

    private static Map<String, ConvLayer> load() {
        Map<String, ConvLayer> layers = new LinkedHashMap<>();
        for (String[] f : ResourceCsv.rows("conv-layers.csv", 10)) {
            ConvLayer l = new ConvLayer(f[0], Integer.parseInt(f[1]), Integer.parseInt(f[2]), Integer.parseInt(f[3]),
                    Integer.parseInt(f[4]), Integer.parseInt(f[5]), Integer.parseInt(f[6]), Integer.parseInt(f[7]),
                    Integer.parseInt(f[8]), f[9]);
            layers.put(l.name(), l);
        }
        return layers;
    }
}
