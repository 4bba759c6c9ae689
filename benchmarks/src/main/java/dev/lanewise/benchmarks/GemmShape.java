package dev.lanewise.benchmarks;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * A GEMM benchmark shape, {@code C(m x n) = A(m x k) * op(B)}, from the resource
 * {@code gemm-shapes.csv}: square sizes, the GEMMs ResNet-50's convolutions become under im2col,
 * and odd sizes that expose tails.
 *
 * @param transB whether B is stored {@code n x k} (a dense layer's weights)
 */
record GemmShape(String name, int m, int n, int k, boolean transB, String source) {

    private static final Map<String, GemmShape> ALL = load();

    /** The shape called {@code name}; fails naming the known ones otherwise. */
    static GemmShape named(String name) {
        GemmShape shape = ALL.get(name);
        if (shape == null) {
            throw new IllegalArgumentException("unknown GEMM shape " + name + "; gemm-shapes.csv has " + ALL.keySet());
        }
        return shape;
    }

    /** Every shape, in file order. */
    static Map<String, GemmShape> all() {
        return ALL;
    }

    /** {@code m x n x k}, with {@code B^T} where B is stored {@code n x k}: the shape in a table cell. */
    String description() {
        return m + "x" + n + "x" + k + (transB ? " B^T" : "");
    }

    /** Floating-point operations of one call: {@code 2 m n k}. */
    double flops() {
        return 2.0 * m * n * k;
    }

    private static Map<String, GemmShape> load() {
        Map<String, GemmShape> shapes = new LinkedHashMap<>();
        for (String[] f : ResourceCsv.rows("gemm-shapes.csv", 6)) {
            GemmShape s = new GemmShape(f[0], Integer.parseInt(f[1]), Integer.parseInt(f[2]), Integer.parseInt(f[3]),
                    f[4].equals("T"), f[5]);
            shapes.put(s.name(), s);
        }
        return shapes;
    }
}
