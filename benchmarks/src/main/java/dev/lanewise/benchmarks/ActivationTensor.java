package dev.lanewise.benchmarks;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * An activation benchmark tensor from the resource {@code activation-tensors.csv}: NCHW floats,
 * {@code batch x channels x height x width}, named for the memory level it lives in on the
 * project's machine kind ({@code l2}: input and output fit the 1 MiB L2 together; {@code dram}: they
 * exceed the 32 MiB L3).
 */
record ActivationTensor(String name, int batch, int channels, int height, int width, String source) {

    private static final Map<String, ActivationTensor> ALL = load();

    /** The tensor called {@code name}; fails naming the known ones otherwise. */
    static ActivationTensor named(String name) {
        ActivationTensor tensor = ALL.get(name);
        if (tensor == null) {
            throw new IllegalArgumentException(
                    "unknown activation tensor " + name + "; activation-tensors.csv has " + ALL.keySet());
        }
        return tensor;
    }

    /** Every tensor, in file order. */
    static Map<String, ActivationTensor> all() {
        return ALL;
    }

    /** {@code NxCxHxW}: the tensor in a table cell. */
    String description() {
        return batch + "x" + channels + "x" + height + "x" + width;
    }

    int elements() {
        return Math.multiplyExact(Math.multiplyExact(batch, channels), height * width);
    }

    /** Bytes one out-of-place call moves: every element read once and written once, {@code 8 * elements}. */
    double bytes() {
        return 2.0 * Float.BYTES * elements();
    }

    private static Map<String, ActivationTensor> load() {
        Map<String, ActivationTensor> tensors = new LinkedHashMap<>();
        for (String[] f : ResourceCsv.rows("activation-tensors.csv", 6)) {
            ActivationTensor t = new ActivationTensor(f[0], Integer.parseInt(f[1]), Integer.parseInt(f[2]),
                    Integer.parseInt(f[3]), Integer.parseInt(f[4]), f[5]);
            tensors.put(t.name(), t);
        }
        return tensors;
    }
}
