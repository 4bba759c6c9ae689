package dev.lanewise.benchmarks;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.Callable;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The suite end to end on a tiny selection, {@code --smoke} (in this JVM, one 5 ms measurement per
 * configuration): SGEMM sq256 and the ResNet-50 global average pool, with every implementation the
 * plan gives them, and the peak. Checks the plumbing, not the figures, which are unwarmed.
 */
class SuiteTest {

    @TempDir
    Path folder;

    @Test
    void smokeRunWritesResultsSummaryAndReport() throws Exception {
        // The suite's console output (progress lines, summary) goes here rather than into the build's.
        ByteArrayOutputStream console = new ByteArrayOutputStream();
        PrintStream out = new PrintStream(console, true, StandardCharsets.UTF_8);
        PrintStream err = new PrintStream(new ByteArrayOutputStream(), true, StandardCharsets.UTF_8);
        PrintStream terminalOut = System.out;
        PrintStream terminalErr = System.err;
        Path results;
        System.setOut(out);
        System.setErr(err);
        try {
            results = Suite.run("--smoke", "--out", folder.toString(), "--only", "shape=sq256", "--only", "layer=r50_gap");
            // Suite sends JMH's output to jmh.log while it runs, then gives the streams back.
            assertSame(out, System.out, "System.out restored");
            assertSame(err, System.err, "System.err restored");
        } finally {
            System.setOut(terminalOut);
            System.setErr(terminalErr);
        }
        String printed = console.toString(StandardCharsets.UTF_8);
        assertTrue(printed.startsWith("lanewise performance suite (smoke): "), printed);
        assertTrue(printed.contains("Results written to " + folder.toAbsolutePath()), printed);
        assertEquals(folder, results);
        for (String file : List.of("jmh.json", "jmh.log", "summary.txt", Report.MARKDOWN, Report.GEMM_CHART,
                Report.MEMORY_CHART)) {
            assertTrue(Files.size(results.resolve(file)) > 0, file);
        }
        assertTrue(Files.notExists(results.resolve(Report.CONV_CHART)), "no convolution ran, no chart of it");
        // Table cells are padded to align in a terminal: compare with single spaces.
        String summary = Files.readString(results.resolve("summary.txt")).replaceAll(" {2,}", " ");
        String md = Files.readString(results.resolve(Report.MARKDOWN)).replaceAll(" {2,}", " ");
        assertTrue(printed.replaceAll(" {2,}", " ").contains(summary), "the summary is printed:\n" + printed);
        boolean openBlas = !summary.contains("- openblas: MISSING");
        boolean onnxRuntime = !summary.contains("- onnxruntime: MISSING");

        // The plan's implementations for sq256 (one and two threads) and r50_gap (one thread), and the peak.
        Set<String> expected = new TreeSet<>(List.of("PeakBenchmark///", "GemmBenchmark/sq256/1/lanewise",
                "GemmBenchmark/sq256/1/ejml", "GemmBenchmark/sq256/2/lanewise",
                "PoolBenchmark/r50_gap/1/lanewise", "PoolBenchmark/r50_gap/1/ref", "PoolBenchmark/r50_gap/1/copy"));
        if (openBlas) {
            expected.addAll(List.of("GemmBenchmark/sq256/1/openblas", "GemmBenchmark/sq256/2/openblas"));
        }
        if (onnxRuntime) {
            expected.add("PoolBenchmark/r50_gap/1/onnxruntime");
        }
        Set<String> measured = new TreeSet<>();
        List<String> rates = new ArrayList<>();
        for (JsonElement e : JsonParser.parseString(Files.readString(results.resolve("jmh.json"))).getAsJsonArray()) {
            JsonObject entry = e.getAsJsonObject();
            String[] method = entry.get("benchmark").getAsString().split("\\.");
            String benchmark = method[method.length - 2];
            JsonObject params = entry.has("params") ? entry.getAsJsonObject("params") : new JsonObject();
            String workload = benchmark.equals("PeakBenchmark") ? "" : params.get(Work.workloadParam(benchmark)).getAsString();
            String threads = params.has("threads") ? params.get("threads").getAsString() : "";
            String impl = params.has("impl") ? params.get("impl").getAsString() : "";
            measured.add(benchmark + "/" + workload + "/" + threads + "/" + impl);
            JsonObject metric = entry.getAsJsonObject("primaryMetric");
            assertEquals("us/op", metric.get("scoreUnit").getAsString());
            double micros = metric.get("score").getAsDouble();
            assertTrue(micros > 0 && Double.isFinite(micros), entry.toString());
            rates.add(String.format(Locale.ROOT, "%.1f", Work.of(benchmark, workload, impl).rate(micros)));
        }
        assertEquals(expected, measured);
        assertTrue(printed.startsWith("lanewise performance suite (smoke): " + expected.size() + " configurations"), printed);
        // Every figure measured appears in the summary, which the report holds.
        for (String rate : rates) {
            assertTrue(summary.contains(" " + rate + " |") || summary.contains(" " + rate + " GFLOP/s\n"),
                    rate + " in\n" + summary);
        }
        assertTrue(md.contains(summary), "the summary in the report:\n" + md);
        assertTrue(summary.startsWith("Missing peers") || summary.startsWith("FP32 peak, one core"), summary);

        assertTrue(md.startsWith("# lanewise performance report\n\n## Machine\n"), md);
        for (String row : List.of("| CPU | ", "| Cores | ", "| JDK | ", "| lanewise | ", "| OpenBLAS | ",
                "| ONNX Runtime | ")) {
            assertTrue(md.contains("\n" + row), row + " in\n" + md);
        }
        // A table row per workload and thread count, peers that could not load marked MISSING.
        assertRow(md, "| sq256 | 256x256x256 | 1 | ", !openBlas);
        assertRow(md, "| sq256 | 256x256x256 | 2 | ", !openBlas);
        assertRow(md, "| r50_gap | GlobalAveragePool 2048x7x7 | 1 | ", !onnxRuntime);
        assertEquals(3, md.lines().filter(l -> l.matches("\\| (sq256|r50_gap) \\| [^|]+ \\| \\d \\|.*")).count(), md);

        // The folder can be read back: the report drawn again is the same, and a run compared with itself
        // (one unwarmed iteration a configuration) is not judged.
        String written = Files.readString(results.resolve(Report.MARKDOWN));
        Files.delete(results.resolve(Report.MARKDOWN));
        printedBy(() -> Suite.run("--report", results.toString()));
        assertEquals(written, Files.readString(results.resolve(Report.MARKDOWN)));
        String comparison = printedBy(() -> Suite.run("--compare", results.toString(), results.toString()));
        assertTrue(comparison.contains("## Faster beyond noise: 0\n") && comparison.contains("## Slower beyond noise: 0\n"),
                comparison);
        assertTrue(comparison.contains("Not judged (a single sample on one side): " + expected.size() + " configurations."),
                comparison);
    }

    /** What {@code call} prints to {@code System.out}. */
    private static String printedBy(Callable<?> call) throws Exception {
        ByteArrayOutputStream printed = new ByteArrayOutputStream();
        PrintStream terminal = System.out;
        System.setOut(new PrintStream(printed, true, StandardCharsets.UTF_8));
        try {
            call.call();
        } finally {
            System.setOut(terminal);
        }
        return printed.toString(StandardCharsets.UTF_8);
    }

    /** The report's row that starts with {@code start}; where a peer is missing, it says so. */
    private static void assertRow(String md, String start, boolean peerMissing) {
        String row = md.lines().filter(l -> l.startsWith(start)).findFirst().orElse(null);
        assertTrue(row != null, () -> start + " in\n" + md);
        if (peerMissing) {
            assertTrue(row.contains("| MISSING |"), row);
        }
    }

    @Test
    void unknownOptionOrMissingValueIsRejected() {
        assertThrows(IllegalArgumentException.class, () -> Suite.run("--fast"));
        assertThrows(IllegalArgumentException.class, () -> Suite.run("--smoke", "--out"));
        assertThrows(IllegalArgumentException.class, () -> Suite.run("--compare", "results/a"));
        assertThrows(IllegalArgumentException.class, () -> Suite.run("--threshold", "five"));
        assertThrows(IllegalArgumentException.class, () -> Suite.run("--report", folder.toString()));
        assertThrows(IllegalArgumentException.class,
                () -> Suite.run("--report", folder.toString(), "--compare", folder.toString(), folder.toString()));
    }
}
