package dev.lanewise.benchmarks;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;

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

    /** Floating-point operations of one call: {@code 2 m n k}. */
    double flops() {
        return 2.0 * m * n * k;
    }

    private static Map<String, GemmShape> load() {
        Map<String, GemmShape> shapes = new LinkedHashMap<>();
        try (BufferedReader in = new BufferedReader(new InputStreamReader(Objects.requireNonNull(
                GemmShape.class.getResourceAsStream("gemm-shapes.csv")), StandardCharsets.UTF_8))) {
            for (String line; (line = in.readLine()) != null; ) {
                line = line.strip();
                if (line.isEmpty() || line.startsWith("#")) {
                    continue;
                }
                String[] f = line.split(",", 6);
                GemmShape s = new GemmShape(f[0].strip(), Integer.parseInt(f[1].strip()), Integer.parseInt(f[2].strip()),
                        Integer.parseInt(f[3].strip()), f[4].strip().equals("T"), f[5].strip());
                shapes.put(s.name(), s);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return shapes;
    }
}
