package dev.lanewise.benchmarks;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.awt.image.BufferedImage;
import java.io.IOException;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@link Report} on a small recorded JMH JSON ({@code report-fixture.json}), whose times were
 * chosen to give round rates: each expected figure below is the workload's work over the recorded
 * time, worked out by hand.
 */
class ReportTest {

    private static final String AVX512 = "AVX-512 (512-bit vectors, 32 registers)";
    private static final Report.Machine MACHINE = new Report.Machine("Test CPU 9000", 8, "Test VM 25", AVX512,
            "FloatVector 512 bits, GEMM test", "OpenBLAS test, core SkylakeX", "ONNX Runtime test");

    @TempDir
    Path folder;

    private static Report fixture(Map<String, String> missing) throws IOException, URISyntaxException {
        return Report.fromJmhJson(Path.of(ReportTest.class.getResource("report-fixture.json").toURI()), missing, MACHINE,
                null);
    }

    /** The fixture's peak: the species-dependent work of a {@link PeakBenchmark} call over its 7.86432 us. */
    private static double peak() {
        return PeakBenchmark.FLOPS / 7.86432 / 1e3;
    }

    private static String ofPeak(double gflops, int threads) {
        return String.format(Locale.ROOT, "%.0f%%", 100 * gflops / (peak() * threads));
    }

    /** The report written, its table cells' padding collapsed to single spaces. */
    private String writtenReport(Report report) throws IOException {
        report.write(folder);
        return Files.readString(folder.resolve(Report.MARKDOWN)).replaceAll(" {2,}", " ");
    }

    @Test
    void machineComesFirst() throws Exception {
        String md = writtenReport(fixture(Map.of()));
        assertTrue(md.startsWith("# lanewise performance report\n\n## Machine\n"), md);
        for (String row : List.of("| CPU | Test CPU 9000 |", "| Cores | 8 available processors |", "| JDK | Test VM 25 |",
                "| ISA configuration | " + AVX512 + " |", "| lanewise | FloatVector 512 bits, GEMM test |", "| OpenBLAS | OpenBLAS test, core SkylakeX |",
                "| ONNX Runtime | ONNX Runtime test |")) {
            assertTrue(md.contains(row + "\n"), row + " in\n" + md);
        }
        assertTrue(md.indexOf("## Machine") < md.indexOf("## Summary"), md);
        // The summary names the ISA configuration and the peers' kernels first.
        assertContains(md, "## Summary\n\nISA configuration: " + AVX512 + "\nOpenBLAS kernels: OpenBLAS test, core SkylakeX\n"
                + "ONNX Runtime: ONNX Runtime test\n\nFP32 peak, one core (" + PeakBenchmark.CHAINS + " FMA chains): "
                + String.format(Locale.ROOT, "%.1f", peak()) + " GFLOP/s\n");
    }

    @Test
    void summaryTablesHoldTheFiguresAndRatios() throws Exception {
        String md = writtenReport(fixture(Map.of()));
        // SGEMM: sq64 does 2 * 64^3 = 524288 flops, sq256 2 * 256^3 = 33554432.
        assertContains(md, "| shape | m x n x k | threads | lanewise | openblas | ejml | ref | vs best peer | of peak"
                + " | vs 1 thread |");
        // lanewise 524288 / 5.24288 us = 100, openblas / 10.48576 us = 50, ejml / 52.4288 us = 10: openblas is best.
        assertContains(md, "| sq64 | 64x64x64 | 1 | 100.0 | 50.0 | 10.0 | - | 2.00x (openblas) | " + ofPeak(100, 1)
                + " | - |");
        // lanewise 33554432 / 335.54432 us = 100, openblas / 167.77216 us = 200.
        assertContains(md, "| sq256 | 256x256x256 | 1 | 100.0 | 200.0 | - | - | 0.50x (openblas) | " + ofPeak(100, 1)
                + " | - |");
        // Two threads: lanewise alone, 200 GFLOP/s against twice the one-core peak and its 100 on one thread.
        assertContains(md, "| sq256 | 256x256x256 | 2 | 200.0 | - | - | - | - | " + ofPeak(200, 2) + " | 2.00x |");
        // Convolution tiny (16->16 3x3 at 8x8): 2 * 16 * 64 * 16 * 9 = 294912 flops; 100, 50 and 80 GFLOP/s.
        assertContains(md, "| layer | C->K kernel input | threads | lanewise | onnxruntime-im2col | onnxruntime | ref"
                + " | vs best peer | of peak | vs 1 thread |");
        assertContains(md, "| tiny | 16->16 3x3 8x8 | 1 | 100.0 | 50.0 | 80.0 | - | 1.25x (onnxruntime) | "
                + ofPeak(100, 1) + " | - |");
        // vgg_maxpool (64x224x224, 2x2/2): 4 * (3211264 + 802816) = 16056320 bytes: 10, 5 and 1 GB/s;
        // the copy moves 8 * 3211264 = 25690112 bytes in 1284.5056 us: 20 GB/s.
        assertContains(md, "| layer | operator window input | threads | lanewise | onnxruntime | ref | copy"
                + " | vs best peer | of copy | vs 1 thread |");
        assertContains(md, "| vgg_maxpool | MaxPool 2x2/2 64x224x224 | 1 | 10.0 | 5.0 | 1.0 | 20.0 | 2.00x (onnxruntime)"
                + " | 50% | - |");
        // ReLU l2 (512x14x14): 8 * 100352 = 802816 bytes: 20, 10 and (copy) 25 GB/s.
        assertContains(md, "| tensor | NxCxHxW | threads | lanewise | onnxruntime | ref | copy | vs best peer | of copy"
                + " | vs 1 thread |");
        assertContains(md, "| l2 | 1x512x14x14 | 1 | 20.0 | 10.0 | - | 25.0 | 2.00x (onnxruntime) | 80% | - |");
        assertTrue(!md.contains("| MISSING |") && !md.contains("Missing peers"), md);
    }

    @Test
    void missingPeerIsReported() throws Exception {
        String why = "java.lang.UnsatisfiedLinkError: no jniopenblas_nolapack";
        Report.Machine machine = new Report.Machine("Test CPU 9000", 8, "Test VM 25", AVX512,
                "FloatVector 512 bits, GEMM test", null, "ONNX Runtime test");
        Report report = new Report(List.of(Report.Measurement.of("GemmBenchmark", "sq64", 1, "lanewise", 5.24288),
                Report.Measurement.of("GemmBenchmark", "sq64", 1, "ejml", 52.4288)), Map.of("openblas", why), machine, null);
        String md = writtenReport(report);
        assertContains(md, "| OpenBLAS | MISSING, " + why + " |");
        assertContains(md, "## Summary\n\nISA configuration: " + AVX512 + "\nOpenBLAS kernels: MISSING\n"
                + "ONNX Runtime: ONNX Runtime test\n\nMissing peers, which could not run here:\n\n- openblas: MISSING, " + why
                + "\n");
        // The best peer that ran is EJML; OpenBLAS's column says it is missing. No peak: no fraction of it.
        assertContains(md, "| sq64 | 64x64x64 | 1 | 100.0 | MISSING | 10.0 | - | 10.00x (ejml) | - | - |");
    }

    @Test
    void missingOnnxRuntimeMarksBothOfItsConvolutionColumns() throws Exception {
        Report.Machine machine = new Report.Machine("Test CPU 9000", 8, "Test VM 25", AVX512,
                "FloatVector 512 bits, GEMM test", "OpenBLAS test, core SkylakeX", null);
        Report report = new Report(List.of(Report.Measurement.of("ConvBenchmark", "tiny", 1, "lanewise", 2.94912)),
                Map.of("onnxruntime", "ai.onnxruntime.OrtException: no native library"), machine, null);
        String md = writtenReport(report);
        assertContains(md, "| ONNX Runtime | MISSING, ai.onnxruntime.OrtException: no native library |");
        assertContains(md, "| tiny | 16->16 3x3 8x8 | 1 | 100.0 | MISSING | MISSING | - | - | - | - |");
    }

    /**
     * Grouped layers are rated in GB/s (input, output, weights and bias once) in their own table, next
     * to the copy of their input; the convolution table keeps the others, in GFLOP/s.
     */
    @Test
    void groupedLayersAreRatedInBytesNextToTheCopy() throws Exception {
        Report.Machine machine = new Report.Machine("Test CPU 9000", 8, "Test VM 25", AVX512,
                "FloatVector 512 bits, GEMM test", "OpenBLAS test, core SkylakeX", "ONNX Runtime test");
        // mbv2_dw_112: 4 * (32*112*112 in + 32*112*112 out + 32*9 weights + 32 bias) = 3212544 bytes; the copy
        // moves the input twice, 3211264 bytes.
        Report report = new Report(List.of(Report.Measurement.of("ConvBenchmark", "mbv2_dw_112", 1, "lanewise", 3212.544),
                Report.Measurement.of("ConvBenchmark", "mbv2_dw_112", 1, "onnxruntime", 1606.272),
                Report.Measurement.of("ConvBenchmark", "mbv2_dw_112", 1, "copy", 321.1264),
                Report.Measurement.of("ConvBenchmark", "tiny", 1, "lanewise", 2.94912)), Map.of(), machine, null);
        String md = writtenReport(report);
        assertContains(md, "### Grouped and depthwise convolution (NCHW, batch 1, with bias), GB/s");
        assertContains(md, "| mbv2_dw_112 | 32->32 3x3 dw 112x112 | 1 | 1.0 | - | 2.0 | - | 10.0 | 0.50x (onnxruntime) | 10% | - |");
        assertContains(md, "| tiny | 16->16 3x3 8x8 | 1 | 100.0 | - | - | - | - | - | - |");
        assertEquals(1, md.split("\\| mbv2_dw_112 \\|", -1).length - 1, "the grouped layer is in one table only");
    }

    @Test
    void writtenFolderLoadsBackToTheSameReport() throws Exception {
        Path fixture = Path.of(ReportTest.class.getResource("report-fixture.json").toURI());
        Report report = Report.fromJmhJson(fixture, Map.of("openblas", "java.lang.UnsatisfiedLinkError: no jniopenblas_nolapack"),
                MACHINE, SEQUENCE);
        report.write(folder);
        // The suite writes the measurements: JMH's JSON, and the sequence's.
        Files.copy(fixture, folder.resolve(Report.JMH_JSON));
        Files.writeString(folder.resolve(SequenceBenchmark.JSON), Report.GSON.toJson(SEQUENCE));
        Report loaded = Report.load(folder);
        assertEquals(report.machine(), loaded.machine());
        assertEquals(report.measurements(), loaded.measurements());
        assertEquals(SEQUENCE, loaded.sequence());
        assertEquals(report.markdown(List.of()), loaded.markdown(List.of()));
    }

    /** A sequence run of three shapes: r50_conv1 and r50_3x3_7 have standalone figures in {@link #sequenceReport}. */
    private static final SequenceBenchmark.Run SEQUENCE = new SequenceBenchmark.Run(1.5, List.of(
            new SequenceBenchmark.ShapeRates("r50_conv1", 80, 95),
            new SequenceBenchmark.ShapeRates("r50_3x3_56", 70, 72),
            new SequenceBenchmark.ShapeRates("r50_3x3_7", 60, 85)));

    /**
     * A report of {@link #SEQUENCE} and lanewise's one-thread SGEMM at 100 GFLOP/s on r50_conv1
     * (2 * 64 * 12544 * 147 = 236027904 flops) and r50_3x3_7 (2 * 512 * 49 * 4608 = 231211008 flops).
     */
    private static Report sequenceReport(Report.Machine machine) {
        return new Report(List.of(Report.Measurement.of("GemmBenchmark", "r50_conv1", 1, "lanewise", 2360.27904),
                Report.Measurement.of("GemmBenchmark", "r50_3x3_7", 1, "lanewise", 2312.11008)), Map.of(), machine, SEQUENCE);
    }

    @Test
    void sequenceSecondPassStandsNextToStandaloneAndSlowShapesAreFlagged() throws Exception {
        String md = writtenReport(sequenceReport(MACHINE));
        assertContains(md, "### Sequence: the ResNet-50 GEMM shapes in turn in one JVM, twice, one thread, GFLOP/s\n");
        assertContains(md, "Each shape ran 1.5 s a pass;");
        assertContains(md, "| shape | m x n x k | pass 1 | pass 2 | standalone | pass 2 / standalone |\n");
        assertContains(md, "| r50_conv1 | 64x12544x147 | 80.0 | 95.0 | 100.0 | 0.95x |\n");
        // No standalone figure in this run: no ratio, not judged.
        assertContains(md, "| r50_3x3_56 | 64x3136x576 | 70.0 | 72.0 | - | - |\n");
        assertContains(md, "| r50_3x3_7 | 512x49x4608 | 60.0 | 85.0 | 100.0 | 0.85x ! |\n");
        assertContains(md, "! Second pass below 0.90 of standalone:\n- r50_3x3_7: 0.85x\n");
        assertTrue(!md.contains("- r50_conv1: "), md);
    }

    @Test
    void forkSpreadIsShownAndBeyondTenPercentFlagged() throws Exception {
        // sq64 (524288 flops): lanewise 100 GFLOP/s over forks whose means spread by 0.05 / (3.05 / 3) = 4.9 %;
        // openblas 45.5 GFLOP/s over fork means of 50, 41.7 and 45.5 GFLOP/s: 0.2 / 1.1 = 18 %.
        double t = 5.24288;
        double u = 10.48576;
        Report report = new Report(List.of(
                Report.Measurement.of("GemmBenchmark", "sq64", 1, "lanewise", t,
                        List.of(List.of(t, t), List.of(t, t), List.of(1.05 * t, 1.05 * t))),
                Report.Measurement.of("GemmBenchmark", "sq64", 1, "openblas", 1.1 * u,
                        List.of(List.of(u, u), List.of(1.2 * u, 1.2 * u), List.of(1.1 * u, 1.1 * u)))),
                Map.of(), MACHINE, null);
        String md = writtenReport(report);
        assertContains(md, "| sq64 | 64x64x64 | 1 | 100.0 (5%) | 45.5 (18%) ! | - | - | 2.20x (openblas) |");
        assertContains(md, "\n! Spread beyond 10 %:\n- sq64, 1 thread, openblas: the means of its 3 forks 18 % apart"
                + " (41.7 to 50.0 GFLOP/s)\n");
        assertTrue(!md.contains("- sq64, 1 thread, lanewise") && !md.contains("a single fork cannot"), md);
    }

    @Test
    void singleForkIterationSpreadBeyondTenPercentIsFlagged() throws Exception {
        // sq256 (33554432 flops): lanewise's iterations at 100, 83.3 and 90.9 GFLOP/s spread by 18 %; openblas's by 0.
        double t = 335.54432;
        Report report = new Report(List.of(
                Report.Measurement.of("GemmBenchmark", "sq256", 1, "lanewise", t, List.of(List.of(t, 1.2 * t, 1.1 * t))),
                Report.Measurement.of("GemmBenchmark", "sq256", 1, "openblas", t / 2, List.of(List.of(t / 2, t / 2)))),
                Map.of(), MACHINE, null);
        String md = writtenReport(report);
        // A single fork shows no spread of forks: the figure alone, marked where its iterations spread too far.
        assertContains(md, "| sq256 | 256x256x256 | 1 | 100.0 ! | 200.0 | - | - | 0.50x (openblas) |");
        assertContains(md, "\n! Spread beyond 10 %:\n- sq256, 1 thread, lanewise: the measurement iterations of its one"
                + " fork 18 % apart (83.3 to 100.0 GFLOP/s)\n");
        assertContains(md, "a single fork cannot show JVM-to-JVM differences");
    }

    @Test
    void isaSummaryPutsBothConfigurationsSideBySide() {
        Report.Machine avx2Machine = new Report.Machine("Test CPU 9000", 8, "Test VM 25",
                "AVX2 (-XX:UseAVX=2: 256-bit vectors, 16 registers)", "FloatVector 256 bits, GEMM test", "Haswell",
                "ONNX Runtime test, AVX-512 code");
        // sq64: natively lanewise 100 and OpenBLAS 50 GFLOP/s, under AVX2 50 and 25.
        Report nativeRun = new Report(List.of(Report.Measurement.of("GemmBenchmark", "sq64", 1, "lanewise", 5.24288),
                Report.Measurement.of("GemmBenchmark", "sq64", 1, "openblas", 10.48576),
                Report.Measurement.of("GemmBenchmark", "r50_conv1", 1, "lanewise", 2360.27904)), Map.of(), MACHINE, SEQUENCE);
        Report avx2Run = new Report(List.of(Report.Measurement.of("GemmBenchmark", "sq64", 1, "lanewise", 10.48576),
                Report.Measurement.of("GemmBenchmark", "sq64", 1, "openblas", 20.97152)), Map.of(), avx2Machine, null);
        String text = new IsaSummary(nativeRun, avx2Run).text().replaceAll(" {2,}", " ");
        assertContains(text, "- native: " + AVX512 + "; FP32 peak, one core, - GFLOP/s; OpenBLAS OpenBLAS test, core"
                + " SkylakeX; ONNX Runtime test\n");
        assertContains(text, "- avx2: AVX2 (-XX:UseAVX=2: 256-bit vectors, 16 registers); FP32 peak, one core, - GFLOP/s;"
                + " OpenBLAS Haswell; ONNX Runtime test, AVX-512 code\n");
        assertContains(text, "| shape | m x n x k | threads | native lanewise | native vs best peer | avx2 lanewise"
                + " | avx2 vs best peer | avx2 / native |\n");
        assertContains(text, "| sq64 | 64x64x64 | 1 | 100.0 | 2.00x (openblas) | 50.0 | 2.00x (openblas) | 0.50x |\n");
        // Measured in one configuration only.
        assertContains(text, "| r50_conv1 | 64x12544x147 | 1 | 100.0 | - | - | - | - |\n");
        assertContains(text, "### Sequence: second pass over standalone, one thread\n");
        assertContains(text, "| r50_conv1 | 64x12544x147 | 0.95x | - |\n");
    }

    @Test
    void folderWithoutMachineIsRejected() throws Exception {
        Files.copy(Path.of(ReportTest.class.getResource("report-fixture.json").toURI()), folder.resolve(Report.JMH_JSON));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Report.load(folder));
        assertTrue(e.getMessage().contains(Report.MACHINE_JSON), e.getMessage());
    }

    @Test
    void chartsArePngsOfTheExpectedSize() throws Exception {
        String md = writtenReport(fixture(Map.of()));
        for (String chart : List.of(Report.GEMM_CHART, Report.CONV_CHART, Report.MEMORY_CHART)) {
            BufferedImage image = ImageIO.read(folder.resolve(chart).toFile());
            assertNotNull(image, chart + " is no image ImageIO reads");
            assertEquals(Report.CHART_WIDTH, image.getWidth(), chart);
            assertEquals(Report.CHART_HEIGHT, image.getHeight(), chart);
            assertContains(md, "![" + chart + "](" + chart + ")");
        }
    }

    private static void assertContains(String md, String text) {
        assertTrue(md.contains(text), () -> "expected\n" + text + "\nin\n" + md);
    }
}
