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
 * The suite end to end on tiny selections, {@code --smoke} (JMH in this JVM, one 5 ms measurement per
 * configuration; the machine probe and the sequence in a JVM of the configuration): SGEMM sq256 and
 * the ResNet-50 global average pool, with every implementation the plan gives them, the peak and the
 * sequence; then SGEMM sq64 in both ISA configurations. Checks the plumbing, not the figures, which
 * are unwarmed.
 */
class SuiteTest {

    @TempDir
    Path folder;

    /**
     * Runs the suite with {@code args}; returns what it printed, checking that it returned the results
     * folder {@code results} and gave {@code System.out} and {@code System.err} back.
     */
    private static String suite(Path results, String... args) throws Exception {
        // The suite's console output (progress lines, summary) goes here rather than into the build's.
        ByteArrayOutputStream console = new ByteArrayOutputStream();
        PrintStream out = new PrintStream(console, true, StandardCharsets.UTF_8);
        PrintStream err = new PrintStream(new ByteArrayOutputStream(), true, StandardCharsets.UTF_8);
        PrintStream terminalOut = System.out;
        PrintStream terminalErr = System.err;
        System.setOut(out);
        System.setErr(err);
        try {
            assertEquals(results, Suite.run(args));
            // Suite sends JMH's output to jmh.log while it runs, then gives the streams back.
            assertSame(out, System.out, "System.out restored");
            assertSame(err, System.err, "System.err restored");
        } finally {
            System.setOut(terminalOut);
            System.setErr(terminalErr);
        }
        return console.toString(StandardCharsets.UTF_8);
    }

    @Test
    void smokeRunWritesResultsSummaryAndReport() throws Exception {
        Path results = folder;
        String printed = suite(results, "--smoke", "--out", folder.toString(), "--only", "shape=sq256", "--only",
                "layer=r50_gap", "--only", "SequenceBenchmark");
        assertTrue(printed.startsWith("lanewise performance suite (smoke, native): "), printed);
        assertTrue(printed.contains("Results written to " + folder.toAbsolutePath()), printed);
        for (String file : List.of("jmh.json", "jmh.log", "summary.txt", Report.MARKDOWN, Report.GEMM_CHART,
                Report.MEMORY_CHART, Report.MACHINE_JSON, SequenceBenchmark.JSON)) {
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
        assertTrue(printed.startsWith("lanewise performance suite (smoke, native): " + expected.size()
                + " configurations and the sequence"), printed);
        // Every figure measured appears in the summary, which the report holds.
        for (String rate : rates) {
            assertTrue(summary.contains(" " + rate + " |") || summary.contains(" " + rate + " GFLOP/s\n"),
                    rate + " in\n" + summary);
        }
        assertTrue(md.contains(summary), "the summary in the report:\n" + md);
        assertTrue(summary.startsWith("ISA configuration: AVX"), summary);

        assertTrue(md.startsWith("# lanewise performance report\n\n## Machine\n"), md);
        for (String row : List.of("| CPU | ", "| Cores | ", "| JDK | ", "| ISA configuration | ", "| lanewise | ",
                "| OpenBLAS | ", "| ONNX Runtime | ")) {
            assertTrue(md.contains("\n" + row), row + " in\n" + md);
        }
        // A table row per workload and thread count, peers that could not load marked MISSING.
        assertRow(md, "| sq256 | 256x256x256 | 1 | ", !openBlas);
        assertRow(md, "| sq256 | 256x256x256 | 2 | ", !openBlas);
        assertRow(md, "| r50_gap | GlobalAveragePool 2048x7x7 | 1 | ", !onnxRuntime);
        assertEquals(3, md.lines().filter(l -> l.matches("\\| (sq256|r50_gap) \\| [^|]+ \\| \\d \\|.*")).count(), md);
        // The sequence: a row per shape, each with its two passes.
        assertTrue(summary.contains("### Sequence: the ResNet-50 GEMM shapes in turn in one JVM, twice"), summary);
        SequenceBenchmark.Run sequence = Report.GSON.fromJson(Files.readString(results.resolve(SequenceBenchmark.JSON)),
                SequenceBenchmark.Run.class);
        assertEquals(SequenceBenchmark.SHAPES, sequence.shapes().stream().map(SequenceBenchmark.ShapeRates::shape).toList());
        for (String shape : SequenceBenchmark.SHAPES) {
            assertTrue(summary.contains("| " + shape + " | " + GemmShape.named(shape).description() + " | "), shape);
        }

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

    @Test
    void bothIsasRunIntoTwoFoldersSideBySide() throws Exception {
        String printed = suite(folder, "--smoke", "--isa", "both", "--out", folder.toString(), "--only", "shape=sq64");
        if (!Isa.cpuHasAvx512()) {
            // One configuration here, in the folder itself.
            assertTrue(printed.startsWith("This CPU has no AVX-512: the avx2 configuration is the native one"), printed);
            assertTrue(Report.isResultsFolder(folder), "results in " + folder);
            return;
        }
        assertTrue(printed.startsWith("lanewise performance suite (smoke, native): "), printed);
        assertTrue(printed.contains("lanewise performance suite (smoke, avx2): "), printed);
        // Each configuration described by a JVM of its own: the vector width, lanewise's kernel, OpenBLAS's kernels.
        Report nativeRun = Report.load(folder.resolve("native"));
        Report avx2Run = Report.load(folder.resolve("avx2"));
        assertTrue(nativeRun.machine().isa().startsWith("AVX-512 (512-bit vectors, 32 registers)"), nativeRun.machine().isa());
        assertTrue(nativeRun.machine().openBlas().startsWith("SkylakeX"), nativeRun.machine().openBlas());
        assertEquals("AVX2 (-XX:UseAVX=2: 256-bit vectors, 16 registers)", avx2Run.machine().isa());
        assertTrue(avx2Run.machine().lanewise().contains("256-bit"), avx2Run.machine().lanewise());
        assertTrue(avx2Run.machine().openBlas().matches("(Haswell|Zen)\\b.*"), avx2Run.machine().openBlas());
        if (avx2Run.machine().onnxRuntime() != null) {
            assertTrue(avx2Run.machine().onnxRuntime().contains("runs its AVX-512 code in the avx2 configuration"),
                    avx2Run.machine().onnxRuntime());
        }
        // The side by side, printed and written.
        String sideBySide = Files.readString(folder.resolve("summary.txt"));
        assertTrue(printed.contains(sideBySide), printed);
        String collapsed = sideBySide.replaceAll(" {2,}", " ");
        assertTrue(collapsed.contains("- native: AVX-512 (512-bit vectors, 32 registers); ")
                && collapsed.contains("- avx2: AVX2 (-XX:UseAVX=2: 256-bit vectors, 16 registers); "), sideBySide);
        assertTrue(collapsed.contains("| sq64 | 64x64x64 | 1 | "), sideBySide);
        String md = Files.readString(folder.resolve(Report.MARKDOWN));
        assertTrue(md.contains("[avx2](avx2/" + Report.MARKDOWN + ")") && md.contains(sideBySide), md);

        // Drawn again from the folders; and the configurations compared, the ISA named among the differences.
        Files.delete(folder.resolve(Report.MARKDOWN));
        Files.delete(folder.resolve("avx2").resolve(Report.MARKDOWN));
        printedBy(() -> Suite.run("--report", folder.toString()));
        assertEquals(md, Files.readString(folder.resolve(Report.MARKDOWN)));
        assertTrue(Files.exists(folder.resolve("avx2").resolve(Report.MARKDOWN)));
        String comparison = printedBy(() -> Suite.run("--compare", folder.resolve("native").toString(),
                folder.resolve("avx2").toString()));
        assertTrue(comparison.contains("- ISA configuration: before AVX-512 (512-bit vectors, 32 registers), after AVX2"
                + " (-XX:UseAVX=2: 256-bit vectors, 16 registers)\n"), comparison);
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
        assertThrows(IllegalArgumentException.class, () -> Suite.run("--isa", "sse"));
        assertThrows(IllegalArgumentException.class, () -> Suite.run("--report", folder.toString()));
        assertThrows(IllegalArgumentException.class,
                () -> Suite.run("--report", folder.toString(), "--compare", folder.toString(), folder.toString()));
    }
}
