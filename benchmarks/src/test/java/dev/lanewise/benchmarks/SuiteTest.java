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
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The suite end to end on a tiny selection, {@code --smoke} (in this JVM, one 5 ms measurement per
 * configuration): SGEMM sq64 and the ResNet-50 global average pool, with every implementation the
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
            results = Suite.run("--smoke", "--out", folder.toString(), "--only", "shape=sq64", "--only", "layer=r50_gap");
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
        String summary = Files.readString(results.resolve("summary.txt"));
        String md = Files.readString(results.resolve(Report.MARKDOWN));
        boolean openBlas = !summary.contains("MISSING peer openblas");
        boolean onnxRuntime = !summary.contains("MISSING peer onnxruntime");

        // The plan's implementations for sq64 (one and two threads) and r50_gap (one thread), and the peak.
        Set<String> expected = new TreeSet<>(List.of("PeakBenchmark///", "GemmBenchmark/sq64/1/lanewise",
                "GemmBenchmark/sq64/1/ejml", "GemmBenchmark/sq64/1/ref", "GemmBenchmark/sq64/2/lanewise",
                "PoolBenchmark/r50_gap/1/lanewise", "PoolBenchmark/r50_gap/1/ref", "PoolBenchmark/r50_gap/1/copy"));
        if (openBlas) {
            expected.addAll(List.of("GemmBenchmark/sq64/1/openblas", "GemmBenchmark/sq64/2/openblas"));
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
        // Every figure measured appears in the summary and in the report.
        for (String rate : rates) {
            assertTrue(summary.contains(" " + rate + " ") || summary.contains(" " + rate + "\n"), rate + " in\n" + summary);
            assertTrue(md.contains(" " + rate + " |") || md.contains(" " + rate + " GFLOP/s |"), rate + " in\n" + md);
        }
        assertTrue(summary.startsWith("MISSING") || summary.startsWith("FP32 peak, one core"), summary);
        assertTrue(summary.lines().anyMatch(l -> l.matches("sq64 .*\\d+\\.\\d .*")), summary);
        assertTrue(summary.lines().anyMatch(l -> l.matches("r50_gap .*\\d+\\.\\d .*")), summary);

        assertTrue(md.startsWith("# lanewise performance report\n\n## Machine\n"), md);
        for (String row : List.of("| CPU | ", "| Cores | ", "| JDK | ", "| lanewise | ", "| OpenBLAS | ",
                "| ONNX Runtime | ", "| FP32 peak, one core | ")) {
            assertTrue(md.contains("\n" + row), row + " in\n" + md);
        }
        // A table row per workload and thread count, peers that could not load marked MISSING.
        assertRow(md, "| sq64 | 1 | ", !openBlas);
        assertRow(md, "| sq64 | 2 | ", !openBlas);
        assertRow(md, "| r50_gap | 1 | ", !onnxRuntime);
        assertEquals(3, md.lines().filter(l -> l.matches("\\| (sq64|r50_gap) \\| \\d \\|.*")).count(), md);
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
    }
}
