package dev.lanewise.benchmarks;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;

/** Reads the benchmark tables shipped as CSV resources: {@code #} comments, blank lines skipped. */
final class ResourceCsv {

    private ResourceCsv() {
    }

    /**
     * The rows of resource {@code name} next to this class, each split into {@code fields} stripped
     * fields (the last one keeps any further commas).
     */
    static List<String[]> rows(String name, int fields) {
        List<String[]> rows = new ArrayList<>();
        try (BufferedReader in = new BufferedReader(new InputStreamReader(Objects.requireNonNull(
                ResourceCsv.class.getResourceAsStream(name), name), StandardCharsets.UTF_8))) {
            for (String line; (line = in.readLine()) != null; ) {
                line = line.strip();
                if (!line.isEmpty() && !line.startsWith("#")) {
                    rows.add(Arrays.stream(line.split(",", fields)).map(String::strip).toArray(String[]::new));
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return rows;
    }
}
