package dev.lanewise.benchmarks;

import dev.lanewise.nn.PoolWindow;
import dev.lanewise.nn.ref.RefPool2d;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * A pooling benchmark layer from the resource {@code pool-layers.csv}: one ONNX pooling operator
 * over a batch-1 NCHW input of {@code channels x height x width}, with a square window of the same
 * stride and padding on both axes (no dilation, floor mode) for {@code MaxPool} and
 * {@code AveragePool}; the global operators have {@code kernel}, {@code stride} and {@code pad} 0.
 * ResNet-50, VGG-16, Inception-v3 and DenseNet-121 layers.
 *
 * @param countIncludePad ONNX {@code count_include_pad} of an {@code AveragePool}; false otherwise
 */
record PoolLayer(String name, Op op, int channels, int height, int width, int kernel, int stride, int pad,
                 boolean countIncludePad, String source) {

    /** The pooling operators, by their ONNX names. */
    enum Op {
        MAX_POOL("MaxPool"), AVERAGE_POOL("AveragePool"), GLOBAL_AVERAGE_POOL("GlobalAveragePool"),
        GLOBAL_MAX_POOL("GlobalMaxPool");

        private final String onnxName;

        Op(String onnxName) {
            this.onnxName = onnxName;
        }

        boolean global() {
            return this == GLOBAL_AVERAGE_POOL || this == GLOBAL_MAX_POOL;
        }

        boolean average() {
            return this == AVERAGE_POOL || this == GLOBAL_AVERAGE_POOL;
        }

        @Override
        public String toString() {
            return onnxName;
        }

        static Op named(String onnxName) {
            for (Op op : values()) {
                if (op.onnxName.equals(onnxName)) {
                    return op;
                }
            }
            throw new IllegalArgumentException("unknown pooling operator " + onnxName);
        }
    }

    private static final Map<String, PoolLayer> ALL = load();

    /** The layer called {@code name}; fails naming the known ones otherwise. */
    static PoolLayer named(String name) {
        PoolLayer layer = ALL.get(name);
        if (layer == null) {
            throw new IllegalArgumentException("unknown pooling layer " + name + "; pool-layers.csv has " + ALL.keySet());
        }
        return layer;
    }

    /** Every layer, in file order. */
    static Map<String, PoolLayer> all() {
        return ALL;
    }

    /**
     * Operator, window (kernel/stride, padding where there is any) and input, e.g.
     * {@code MaxPool 3x3/2 p1 64x112x112}: the layer in a table cell.
     */
    String description() {
        String window = op.global() ? "" : kernel + "x" + kernel + "/" + stride + (pad > 0 ? " p" + pad : "") + " ";
        return op + " " + window + channels + "x" + height + "x" + width;
    }

    /**
     * The window of a {@code MaxPool} or {@code AveragePool}.
     *
     * @throws IllegalStateException for a global operator, which has none
     */
    PoolWindow window() {
        if (op.global()) {
            throw new IllegalStateException(op + " has no window");
        }
        return PoolWindow.of(kernel, kernel).withStrides(stride, stride).withPads(pad, pad, pad, pad);
    }

    /** Output rows: 1 for a global operator. */
    int outputHeight() {
        return op.global() ? 1 : window().outputHeight(height);
    }

    /** Output columns: 1 for a global operator. */
    int outputWidth() {
        return op.global() ? 1 : window().outputWidth(width);
    }

    int inputFloats() {
        return channels * height * width;
    }

    int outputFloats() {
        return channels * outputHeight() * outputWidth();
    }

    /** Input cells per output: {@code kernel * kernel}, or {@code height * width} for a global operator. */
    int windowCells() {
        return op.global() ? height * width : kernel * kernel;
    }

    /**
     * Bytes one call moves at the least: the input read once and the output written once,
     * {@code 4 * (inputFloats + outputFloats)}.
     */
    double bytes() {
        return (double) Float.BYTES * (inputFloats() + outputFloats());
    }

    /** Pools {@code input} into {@code output} with {@link RefPool2d}, the definition. */
    void reference(float[] input, float[] output) {
        switch (op) {
            case MAX_POOL -> RefPool2d.maxPool(window(), 1, channels, height, width, input, 0, output, 0, null, 0);
            case AVERAGE_POOL -> RefPool2d.averagePool(window(), countIncludePad, 1, channels, height, width,
                    input, 0, output, 0);
            case GLOBAL_AVERAGE_POOL -> RefPool2d.globalAverage(1, channels, height, width, input, 0, output, 0);
            case GLOBAL_MAX_POOL -> RefPool2d.globalMax(1, channels, height, width, input, 0, output, 0);
        }
    }

    private static Map<String, PoolLayer> load() {
        Map<String, PoolLayer> layers = new LinkedHashMap<>();
        for (String[] f : ResourceCsv.rows("pool-layers.csv", 10)) {
            PoolLayer l = new PoolLayer(f[0], Op.named(f[1]), Integer.parseInt(f[2]), Integer.parseInt(f[3]),
                    Integer.parseInt(f[4]), orZero(f[5]), orZero(f[6]), orZero(f[7]), orZero(f[8]) == 1, f[9]);
            layers.put(l.name(), l);
        }
        return layers;
    }

    /** A window field: {@code "-"} where it does not apply, read as 0. */
    private static int orZero(String field) {
        return field.equals("-") ? 0 : Integer.parseInt(field);
    }
}
