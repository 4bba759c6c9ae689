package dev.lanewise.benchmarks;

import com.google.gson.Gson;
import com.google.gson.GsonBuilder;
import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import dev.lanewise.kernels.Lanewise;
import java.io.IOException;
import java.io.OutputStream;
import java.io.Reader;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.DoubleSummaryStatistics;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.function.Function;
import java.util.function.Predicate;
import java.util.stream.Stream;
import org.knowm.xchart.BitmapEncoder;
import org.knowm.xchart.CategoryChart;
import org.knowm.xchart.CategoryChartBuilder;
import org.knowm.xchart.XYChart;
import org.knowm.xchart.XYChartBuilder;
import org.knowm.xchart.XYSeries;
import org.knowm.xchart.internal.chartpart.Chart;
import org.knowm.xchart.style.markers.SeriesMarkers;

/**
 * The report of one suite run, written into its results folder: {@code report.md}, the PNG charts
 * it links ({@value #GEMM_CHART}, {@value #CONV_CHART}, {@value #MEMORY_CHART}, each
 * {@value #CHART_WIDTH} x {@value #CHART_HEIGHT} pixels, drawn headless with XChart) and
 * {@value #MACHINE_JSON}, the machine and the missing peers, from which {@link #load} reads the
 * folder back (with the suite's {@value #JMH_JSON} and, where the sequence ran, {@value SequenceBenchmark#JSON})
 * to draw the report again or to compare runs.
 *
 * <p>{@code report.md} opens with the machine (CPU, cores, JDK, the {@link Isa} configuration,
 * lanewise's vector species and GEMM configuration, the OpenBLAS and ONNX Runtime builds and their
 * kernels), then gives the {@link #summary}, which the suite also prints: the ISA configuration and
 * the peers' kernels, the peers that could not run with the reason, this machine's single-core FP32
 * peak and one table per {@link Family}, a row per workload and thread count with
 * <ul>
 *   <li>the rate of lanewise, of each peer and of each baseline: GFLOP/s (floating-point operations
 *       of a call over its time) for GEMM and convolution, GB/s (bytes a call must move over its
 *       time, see {@link Work}) for pooling and ReLU; "-" where not measured, "MISSING" where the
 *       peer's library could not run here. A figure of several forks carries their spread
 *       ({@link Measurement#spread}), and " !" marks a spread beyond {@link #SPREAD_LIMIT} (of the
 *       fork means, or of the iterations of a single fork), each listed under its table;</li>
 *   <li>"vs best peer": lanewise's rate over the highest peer's, naming that peer; baselines (the
 *       naive reference, the copy) are not peers;</li>
 *   <li>"of peak" (GFLOP/s tables): lanewise's GFLOP/s over the peak times the thread count;
 *       "of copy" (GB/s tables): lanewise's GB/s over the copy baseline's at the same thread count;</li>
 *   <li>"vs 1 thread" on rows of more threads: lanewise's rate over its own on one thread.</li>
 * </ul>
 * Where the {@link SequenceBenchmark} ran, a last table puts each shape's second pass next to its
 * standalone GEMM figure of the same run, marking and listing those below {@link #SEQUENCE_LIMIT}.
 * The charts show one thread: GEMM GFLOP/s against the size of the square shapes, one line per
 * implementation and the peak as a line; convolution GFLOP/s as bars per layer and implementation;
 * pooling and ReLU GB/s as bars per workload and implementation, the copy baseline among them.
 *
 * <p>Immutable.
 */
final class Report {

    static {
        // Before XChart or anything else touches AWT: the charts are drawn off screen.
        System.setProperty("java.awt.headless", "true");
    }

    static final String JMH_JSON = "jmh.json";
    static final String MACHINE_JSON = "machine.json";
    static final String MARKDOWN = "report.md";
    static final String GEMM_CHART = "gemm.png";
    static final String CONV_CHART = "conv.png";
    static final String MEMORY_CHART = "memory.png";
    static final int CHART_WIDTH = 1000;
    static final int CHART_HEIGHT = 600;

    /** Peers measured under another name than the library they need (key: implementation). */
    private static final Map<String, String> PEER_LIBRARIES = Map.of("onnxruntime-im2col", "onnxruntime");
    /** The results folder's JSON files: {@value #MACHINE_JSON}, {@value SequenceBenchmark#JSON}. */
    static final Gson GSON = new GsonBuilder().setPrettyPrinting().disableHtmlEscaping().create();
    /**
     * A result whose forks' means (or, in a single fork, whose measurement iterations) spread by more
     * than this fraction of their mean is flagged: its figure is not one number.
     */
    static final double SPREAD_LIMIT = 0.10;
    /** A sequence shape whose second pass runs below this fraction of its standalone speed is flagged. */
    static final double SEQUENCE_LIMIT = 0.9;

    /**
     * One measured configuration: JMH's time per call, the iterations it averages, and the rate it makes.
     *
     * @param benchmark  the benchmark class's simple name, e.g. {@code GemmBenchmark}
     * @param workload   the GEMM shape, layer or tensor ({@link Work#workloadParam}); empty for the peak
     * @param micros     time per call, microseconds: the mean of all {@code iterations}
     * @param iterations per fork, the time per call of each measurement iteration, microseconds
     * @param rate       the call's {@link Work} over {@code micros}, in {@code unit}
     * @param unit       {@code GFLOP/s} or {@code GB/s}
     */
    record Measurement(String benchmark, String workload, int threads, String impl, double micros,
                       List<List<Double>> iterations, double rate, String unit) {

        Measurement {
            iterations = iterations.stream().map(List::copyOf).toList();
        }

        /** The measurement of a call by {@code impl} taking {@code micros} in each of {@code iterations}, rated by its {@link Work}. */
        static Measurement of(String benchmark, String workload, int threads, String impl, double micros,
                              List<List<Double>> iterations) {
            Work work = Work.of(benchmark, workload, impl);
            return new Measurement(benchmark, workload, threads, impl, micros, iterations, work.rate(micros), work.unit());
        }

        /** A measurement of one iteration taking {@code micros}. */
        static Measurement of(String benchmark, String workload, int threads, String impl, double micros) {
            return of(benchmark, workload, threads, impl, micros, List.of(List.of(micros)));
        }

        /** {@code benchmark/workload/threads/impl}: what was measured, the same in every run of the suite. */
        String key() {
            return benchmark + "/" + workload + "/" + threads + "/" + impl;
        }

        /** The number of forks (JVMs) measured. */
        int forks() {
            return iterations.size();
        }

        /**
         * The samples of the time per call, microseconds: the forks' mean times where several forks ran
         * (iterations within one JVM are not independent of each other: JIT decisions and memory layout
         * hold for the whole fork), else the iterations of the one fork.
         */
        double[] samples() {
            if (forks() == 1) {
                return iterations.getFirst().stream().mapToDouble(Double::doubleValue).toArray();
            }
            return iterations.stream()
                    .mapToDouble(fork -> fork.stream().mapToDouble(Double::doubleValue).average().orElseThrow())
                    .toArray();
        }

        /**
         * How far the {@link #samples} spread: (largest - smallest) / their mean. Between forks it shows
         * what differs from JVM to JVM; within a single fork only the noise of one JVM. NaN for fewer than
         * two samples.
         */
        double spread() {
            double[] samples = samples();
            if (samples.length < 2) {
                return Double.NaN;
            }
            DoubleSummaryStatistics stats = Arrays.stream(samples).summaryStatistics();
            return (stats.getMax() - stats.getMin()) / stats.getAverage();
        }

        /** Whether the {@link #spread} exceeds {@link #SPREAD_LIMIT}. */
        boolean unsteady() {
            return spread() > SPREAD_LIMIT;
        }
    }

    /**
     * The machine the suite ran on.
     *
     * @param cpu         the CPU model
     * @param cores       processors available to the JVM
     * @param jdk         the JVM's name and Java version
     * @param isa         the JVM's vector instruction set, {@link Isa#describeThisJvm()}; null in a
     *                    results folder written before it was recorded
     * @param lanewise    {@link Lanewise#implementation()}: vector species and GEMM configuration
     * @param openBlas    the OpenBLAS kernel set in use ({@link OpenBlas#load()}), or null where it could not run
     * @param onnxRuntime the ONNX Runtime version, providers and kernels ({@link OnnxRuntime#load()}), or
     *                    null where it could not run
     */
    record Machine(String cpu, int cores, String jdk, String isa, String lanewise, String openBlas,
                   String onnxRuntime) {

        /** This machine and JVM, with the peers' descriptions (null for a missing peer). */
        static Machine current(String openBlas, String onnxRuntime) {
            return new Machine(cpuModel(), Runtime.getRuntime().availableProcessors(),
                    System.getProperty("java.vm.name") + " " + System.getProperty("java.version"),
                    Isa.describeThisJvm(), Lanewise.implementation(), openBlas, onnxRuntime);
        }

        /** The first "model name" of {@code /proc/cpuinfo}, or the OS architecture where there is none. */
        private static String cpuModel() {
            Path cpuinfo = Path.of("/proc/cpuinfo");
            if (Files.isReadable(cpuinfo)) {
                try (Stream<String> lines = Files.lines(cpuinfo)) {
                    Optional<String> model = lines.filter(l -> l.startsWith("model name"))
                            .map(l -> l.substring(l.indexOf(':') + 1).strip()).findFirst();
                    if (model.isPresent()) {
                        return model.get();
                    }
                } catch (IOException | UncheckedIOException e) {
                    // fall through to the architecture
                }
            }
            return System.getProperty("os.arch");
        }
    }

    /** The content of {@value #MACHINE_JSON}: the machine and the peers that could not run, with the reason. */
    record MachineFile(Machine machine, Map<String, String> missingPeers) { }

    /**
     * A summary table: the benchmark it reports, its short label (for charts) and title, the peers
     * lanewise is compared with, the baselines shown beside them, and how a workload is described.
     */
    enum Family {
        GEMM("GemmBenchmark", "SGEMM", "SGEMM", List.of("openblas", "ejml"), List.of("ref"),
                "m x n x k", w -> GemmShape.named(w).description(), w -> true),
        CONVOLUTION("ConvBenchmark", "Convolution", "Convolution (NCHW, batch 1, with bias)",
                List.of("onnxruntime-im2col", "onnxruntime"), List.of("ref"),
                "C->K kernel input", w -> ConvLayer.named(w).description(), w -> !ConvLayer.named(w).grouped()),
        GROUPED_CONVOLUTION("ConvBenchmark", "Grouped convolution",
                "Grouped and depthwise convolution (NCHW, batch 1, with bias)",
                List.of("onnxruntime-im2col", "onnxruntime"), List.of("ref", "copy"),
                "C->K kernel input", w -> ConvLayer.named(w).description(), w -> ConvLayer.named(w).grouped()),
        POOLING("PoolBenchmark", "Pooling", "Pooling (NCHW, batch 1)", List.of("onnxruntime"), List.of("ref", "copy"),
                "operator window input", w -> PoolLayer.named(w).description(), w -> true),
        RELU("ActivationBenchmark", "ReLU", "ReLU out of place", List.of("onnxruntime"), List.of("ref", "copy"),
                "NxCxHxW", w -> ActivationTensor.named(w).description(), w -> true);

        final String benchmark;
        final String label;
        final String title;
        final List<String> peers;
        final List<String> baselines;
        final String descriptionHeader;
        final Function<String, String> description;
        /** Which of the benchmark's workloads this family reports (the convolution's are split in two). */
        final Predicate<String> includes;

        Family(String benchmark, String label, String title, List<String> peers, List<String> baselines,
               String descriptionHeader, Function<String, String> description, Predicate<String> includes) {
            this.benchmark = benchmark;
            this.label = label;
            this.title = title;
            this.peers = peers;
            this.baselines = baselines;
            this.descriptionHeader = descriptionHeader;
            this.description = description;
            this.includes = includes;
        }

        /** lanewise, the peers, the baselines: the table's columns and the charts' series, in order. */
        List<String> impls() {
            List<String> impls = new ArrayList<>(List.of("lanewise"));
            impls.addAll(peers);
            impls.addAll(baselines);
            return impls;
        }

        /** Whether the family is rated in GB/s against the copy baseline rather than in GFLOP/s against the peak. */
        boolean memoryBound() {
            return baselines.contains("copy");
        }
    }

    private final List<Measurement> measurements;
    private final Map<String, String> missing;
    private final Machine machine;
    private final SequenceBenchmark.Run sequence;

    /**
     * @param measurements the run's measurements, the peak's among them, in the order they ran
     * @param missing      the peer libraries ({@code openblas}, {@code onnxruntime}) that could not run, with the reason
     * @param sequence     the {@link SequenceBenchmark}'s run, or null where it did not run
     */
    Report(List<Measurement> measurements, Map<String, String> missing, Machine machine, SequenceBenchmark.Run sequence) {
        this.measurements = List.copyOf(measurements);
        this.missing = Map.copyOf(missing);
        this.machine = machine;
        this.sequence = sequence;
    }

    /**
     * The report of the results in {@code json}, in JMH's JSON result format as the suite writes it:
     * each entry's {@code benchmark} names the benchmark method, {@code params} holds {@code impl},
     * the workload and {@code threads} (none for the peak), and {@code primaryMetric} the score and
     * the raw iterations in {@code us/op}.
     *
     * @param sequence the {@link SequenceBenchmark}'s run, or null where it did not run
     */
    static Report fromJmhJson(Path json, Map<String, String> missing, Machine machine, SequenceBenchmark.Run sequence)
            throws IOException {
        List<Measurement> measurements = new ArrayList<>();
        try (Reader in = Files.newBufferedReader(json)) {
            for (JsonElement e : JsonParser.parseReader(in).getAsJsonArray()) {
                JsonObject entry = e.getAsJsonObject();
                String[] method = entry.get("benchmark").getAsString().split("\\.");
                String benchmark = method[method.length - 2];
                JsonObject params = entry.has("params") ? entry.getAsJsonObject("params") : new JsonObject();
                JsonObject metric = entry.getAsJsonObject("primaryMetric");
                String unit = metric.get("scoreUnit").getAsString();
                if (!unit.equals("us/op")) {
                    throw new IllegalArgumentException(json + ": " + benchmark + " scored in " + unit + ", not us/op");
                }
                List<List<Double>> iterations = new ArrayList<>();
                for (JsonElement fork : metric.getAsJsonArray("rawData")) {
                    List<Double> times = new ArrayList<>();
                    fork.getAsJsonArray().forEach(t -> times.add(t.getAsDouble()));
                    iterations.add(times);
                }
                String workloadParam = Work.workloadParam(benchmark);
                measurements.add(Measurement.of(benchmark,
                        workloadParam.isEmpty() ? "" : params.get(workloadParam).getAsString(),
                        params.has("threads") ? params.get("threads").getAsInt() : 1,
                        params.has("impl") ? params.get("impl").getAsString() : "",
                        metric.get("score").getAsDouble(), iterations));
            }
        }
        return new Report(measurements, missing, machine, sequence);
    }

    /**
     * The report of a results folder the suite wrote: its {@value #JMH_JSON}, {@value #MACHINE_JSON}
     * and, where the sequence ran, {@value SequenceBenchmark#JSON}.
     *
     * @throws IllegalArgumentException where it is no results folder ({@link #isResultsFolder})
     */
    static Report load(Path folder) throws IOException {
        if (!isResultsFolder(folder)) {
            throw new IllegalArgumentException(folder + " is no results folder of the suite: it needs " + JMH_JSON + " and "
                    + MACHINE_JSON);
        }
        MachineFile machineFile = GSON.fromJson(Files.readString(folder.resolve(MACHINE_JSON)), MachineFile.class);
        Path sequenceJson = folder.resolve(SequenceBenchmark.JSON);
        SequenceBenchmark.Run sequence = Files.isRegularFile(sequenceJson)
                ? GSON.fromJson(Files.readString(sequenceJson), SequenceBenchmark.Run.class) : null;
        return fromJmhJson(folder.resolve(JMH_JSON), machineFile.missingPeers(), machineFile.machine(), sequence);
    }

    /**
     * Whether {@code folder} holds a suite run's results ({@value #JMH_JSON} and {@value #MACHINE_JSON}),
     * which {@link #load} reads.
     */
    static boolean isResultsFolder(Path folder) {
        return Stream.of(JMH_JSON, MACHINE_JSON).allMatch(file -> Files.isRegularFile(folder.resolve(file)));
    }

    List<Measurement> measurements() {
        return measurements;
    }

    Machine machine() {
        return machine;
    }

    /** The {@link SequenceBenchmark}'s run, or null where it did not run. */
    SequenceBenchmark.Run sequence() {
        return sequence;
    }

    /** This machine's single-core FP32 peak in GFLOP/s ({@link PeakBenchmark}), NaN if not measured. */
    double peak() {
        return measurements.stream().filter(m -> m.benchmark().equals("PeakBenchmark"))
                .mapToDouble(Measurement::rate).findFirst().orElse(Double.NaN);
    }

    /**
     * Writes {@value #MARKDOWN}, the charts that have data and {@value #MACHINE_JSON} into
     * {@code folder}, which must exist.
     */
    void write(Path folder) throws IOException {
        List<String> charts = new ArrayList<>();
        if (writeChart(gemmChart(), folder, GEMM_CHART)) {
            charts.add(GEMM_CHART);
        }
        if (writeChart(barChart("Convolution, one thread", "GFLOP/s", List.of(Family.CONVOLUTION)), folder, CONV_CHART)) {
            charts.add(CONV_CHART);
        }
        if (writeChart(barChart("Pooling, ReLU and grouped convolution against the copy, one thread", "GB/s",
                List.of(Family.POOLING, Family.RELU, Family.GROUPED_CONVOLUTION)), folder, MEMORY_CHART)) {
            charts.add(MEMORY_CHART);
        }
        Files.writeString(folder.resolve(MARKDOWN), markdown(charts));
        Files.writeString(folder.resolve(MACHINE_JSON), GSON.toJson(new MachineFile(machine, new TreeMap<>(missing))));
    }

    /** The text of {@value #MARKDOWN}, linking {@code charts}. */
    String markdown(List<String> charts) {
        TextTable machineTable = new TextTable(List.of("", ""), 2)
                .row(List.of("CPU", machine.cpu()))
                .row(List.of("Cores", machine.cores() + " available processors"))
                .row(List.of("JDK", machine.jdk()))
                .row(List.of("ISA configuration", isa()))
                .row(List.of("lanewise", machine.lanewise()))
                .row(List.of("OpenBLAS", described(machine.openBlas(), "openblas")))
                .row(List.of("ONNX Runtime", described(machine.onnxRuntime(), "onnxruntime")));
        StringBuilder md = new StringBuilder("# lanewise performance report\n\n## Machine\n\n").append(machineTable.render())
                .append("\n## Summary\n\n").append(summary());
        if (!charts.isEmpty()) {
            md.append("\n## Charts\n\n");
            charts.forEach(c -> md.append("![").append(c).append("](").append(c).append(")\n\n"));
        }
        return md.toString();
    }

    /** The machine's ISA configuration, or that the results folder did not record it. */
    String isa() {
        return machine.isa() != null ? machine.isa() : "not recorded";
    }

    /**
     * The summary the suite prints and {@value #MARKDOWN} holds: the ISA configuration and the peers'
     * kernels, the missing peers, the peak, what the columns mean, a table per family that was
     * measured, each followed by its results of too large a spread, and the sequence's table.
     */
    String summary() {
        StringBuilder sb = new StringBuilder();
        sb.append("ISA configuration: ").append(isa()).append('\n')
                .append("OpenBLAS kernels: ").append(machine.openBlas() != null ? machine.openBlas() : "MISSING").append('\n')
                .append("ONNX Runtime: ").append(machine.onnxRuntime() != null ? machine.onnxRuntime() : "MISSING")
                .append("\n\n");
        if (!missing.isEmpty()) {
            sb.append("Missing peers, which could not run here:\n\n");
            new TreeMap<>(missing).forEach((peer, why) -> sb.append("- ").append(peer).append(": MISSING, ").append(why)
                    .append('\n'));
            sb.append('\n');
        }
        sb.append(String.format(Locale.ROOT, "FP32 peak, one core (%d FMA chains): %s GFLOP/s%n", PeakBenchmark.CHAINS,
                format(peak())));
        sb.append(String.format(Locale.ROOT, """

                Rates: GFLOP/s for GEMM and convolution (floating-point operations of a call over its time),
                GB/s for pooling, ReLU and grouped or depthwise convolution (bytes a call must move over its
                time: input read once, output written once, and a convolution's weights and bias read once). "vs best peer" is lanewise's rate over the highest peer's; ref (the naive
                reference) and copy (System.arraycopy of the input, its bytes counted twice) are baselines,
                not peers. "of peak" is lanewise's GFLOP/s over the one-core peak times the thread count;
                "of copy" is lanewise's GB/s over the copy's. onnxruntime-im2col is ONNX Runtime without
                graph optimisations (im2col and SGEMM), onnxruntime with all of them (its NCHWc direct
                convolution). "-": not measured; "MISSING": the peer cannot run here. A percentage after a
                figure is the spread of its forks' means, (slowest - fastest) / mean; " !" marks a spread
                beyond %.0f %% (of the fork means, or of the measurement iterations where one fork ran),
                listed under the table.
                """, 100 * SPREAD_LIMIT));
        if (measurements.stream().anyMatch(m -> m.forks() == 1)) {
            sb.append("""
                    One fork ran per configuration: a single fork cannot show JVM-to-JVM differences (JIT
                    decisions, memory layout), only the noise within one JVM.
                    """);
        }
        for (Family family : Family.values()) {
            TextTable table = table(family);
            if (!table.isEmpty()) {
                String unit = family.memoryBound() ? "GB/s" : "GFLOP/s";
                sb.append("\n### ").append(family.title).append(", ").append(unit).append("\n\n").append(table.render());
                appendUnsteady(sb, family);
            }
        }
        if (sequence != null) {
            appendSequence(sb);
        }
        return sb.toString();
    }

    private TextTable table(Family family) {
        List<String> header = new ArrayList<>(List.of(Work.workloadParam(family.benchmark), family.descriptionHeader,
                "threads"));
        header.addAll(family.impls());
        header.addAll(List.of("vs best peer", family.memoryBound() ? "of copy" : "of peak", "vs 1 thread"));
        TextTable table = new TextTable(header, 2);
        Map<String, Map<String, Measurement>> rows = rows(family);
        for (Map<String, Measurement> row : rows.values()) {
            Measurement first = row.values().iterator().next();
            Double lanewise = rate(row, "lanewise");
            List<String> cells = new ArrayList<>(List.of(first.workload(), family.description.apply(first.workload()),
                    Integer.toString(first.threads())));
            for (String impl : family.impls()) {
                Measurement m = row.get(impl);
                cells.add(m != null ? figure(m) : missing.containsKey(library(impl)) ? "MISSING" : "-");
            }
            cells.add(bestPeer(family, row).filter(p -> lanewise != null)
                    .map(p -> ratio(lanewise, rate(row, p)) + " (" + p + ")").orElse("-"));
            cells.add(family.memoryBound() ? percent(lanewise, rate(row, "copy"))
                    : percent(lanewise, peak() * first.threads()));
            Map<String, Measurement> oneThread = rows.get(first.workload() + "/1");
            cells.add(first.threads() > 1 && oneThread != null ? ratio(lanewise, rate(oneThread, "lanewise")) : "-");
            table.row(cells);
        }
        return table;
    }

    /** A table cell: the rate, the spread of several forks, " !" where the spread is too large. */
    static String figure(Measurement m) {
        String cell = format(m.rate());
        if (m.forks() > 1) {
            cell += String.format(Locale.ROOT, " (%.0f%%)", 100 * m.spread());
        }
        return m.unsteady() ? cell + " !" : cell;
    }

    /** Lists the family's results whose spread is too large ({@link Measurement#unsteady}), if any. */
    private void appendUnsteady(StringBuilder sb, Family family) {
        List<Measurement> unsteady = rows(family).values().stream().flatMap(row -> row.values().stream())
                .filter(Measurement::unsteady).toList();
        if (unsteady.isEmpty()) {
            return;
        }
        sb.append(String.format(Locale.ROOT, "%n! Spread beyond %.0f %%:%n", 100 * SPREAD_LIMIT));
        for (Measurement m : unsteady) {
            DoubleSummaryStatistics times = Arrays.stream(m.samples()).summaryStatistics();
            Work work = Work.of(m.benchmark(), m.workload(), m.impl());
            sb.append(String.format(Locale.ROOT, "- %s, %d thread%s, %s: %s %.0f %% apart (%.1f to %.1f %s)%n",
                    m.workload(), m.threads(), m.threads() == 1 ? "" : "s", m.impl(),
                    m.forks() > 1 ? "the means of its " + m.forks() + " forks"
                            : "the measurement iterations of its one fork", 100 * m.spread(),
                    work.rate(times.getMax()), work.rate(times.getMin()), m.unit()));
        }
    }

    /** The sequence's table: each shape's passes next to its standalone figure, and the shapes below the limit. */
    private void appendSequence(StringBuilder sb) {
        sb.append(String.format(Locale.ROOT, """

                ### Sequence: the ResNet-50 GEMM shapes in turn in one JVM, twice, one thread, GFLOP/s

                Each shape ran %.1f s a pass; its figure is the median call over the second half. "standalone"
                is lanewise's figure in the SGEMM table (one thread, a JVM per shape); " !" marks a second
                pass below %.2f of it.

                """, sequence.secondsPerShape(), SEQUENCE_LIMIT));
        TextTable table = new TextTable(List.of("shape", "m x n x k", "pass 1", "pass 2", "standalone",
                "pass 2 / standalone"), 2);
        List<String> slow = new ArrayList<>();
        for (SequenceBenchmark.ShapeRates s : sequence.shapes()) {
            Double ratio = sequenceRatio(s.shape());
            if (ratio != null && ratio < SEQUENCE_LIMIT) {
                slow.add(String.format(Locale.ROOT, "- %s: %.2fx%n", s.shape(), ratio));
            }
            table.row(List.of(s.shape(), GemmShape.named(s.shape()).description(), format(s.pass1()), format(s.pass2()),
                    format(standalone(s.shape())), sequenceCell(ratio)));
        }
        sb.append(table.render());
        if (!slow.isEmpty()) {
            sb.append(String.format(Locale.ROOT, "%n! Second pass below %.2f of standalone:%n", SEQUENCE_LIMIT));
            slow.forEach(sb::append);
        }
    }

    /**
     * {@code shape}'s second-pass rate in the sequence over its {@link #standalone} rate; null where
     * either was not measured.
     */
    Double sequenceRatio(String shape) {
        Double standalone = standalone(shape);
        if (sequence == null || standalone == null) {
            return null;
        }
        return sequence.shapes().stream().filter(s -> s.shape().equals(shape)).findFirst()
                .map(s -> s.pass2() / standalone).orElse(null);
    }

    /** A {@link #sequenceRatio} as a table cell: {@code 0.95x}, " !" below {@link #SEQUENCE_LIMIT}, "-" where null. */
    static String sequenceCell(Double ratio) {
        if (ratio == null) {
            return "-";
        }
        String cell = String.format(Locale.ROOT, "%.2fx", ratio);
        return ratio < SEQUENCE_LIMIT ? cell + " !" : cell;
    }

    /** lanewise's one-thread SGEMM rate on {@code shape} in this run, or null where not measured. */
    Double standalone(String shape) {
        Map<String, Measurement> row = rows(Family.GEMM).get(shape + "/1");
        return row == null ? null : rate(row, "lanewise");
    }

    /** The peer of {@code family} with the highest rate in {@code row}, if any ran. */
    static Optional<String> bestPeer(Family family, Map<String, Measurement> row) {
        return family.peers.stream().filter(row::containsKey).max(Comparator.comparingDouble(p -> row.get(p).rate()));
    }

    /**
     * The family's measurements by row (workload and thread count, keyed {@code workload/threads};
     * one thread first, then in the order they ran) and implementation.
     */
    Map<String, Map<String, Measurement>> rows(Family family) {
        Map<String, Map<String, Measurement>> rows = new LinkedHashMap<>();
        measurements.stream().filter(m -> m.benchmark().equals(family.benchmark) && family.includes.test(m.workload()))
                .sorted(Comparator.comparingInt(Measurement::threads))
                .forEach(m -> rows.computeIfAbsent(m.workload() + "/" + m.threads(), k -> new LinkedHashMap<>())
                        .put(m.impl(), m));
        return rows;
    }

    /**
     * GEMM GFLOP/s against the size of the square shapes on one thread, and the peak as a line. The
     * sizes are powers of two: the x axis is their logarithm, labelled with the sizes.
     */
    private Optional<Chart<?, ?>> gemmChart() {
        List<Measurement> square = measurements.stream()
                .filter(m -> m.benchmark().equals("GemmBenchmark") && m.threads() == 1
                        && GemmShape.named(m.workload()).source().equals("square"))
                .sorted(Comparator.comparingInt(m -> GemmShape.named(m.workload()).n()))
                .toList();
        if (square.isEmpty()) {
            return Optional.empty();
        }
        XYChart chart = new XYChartBuilder().width(CHART_WIDTH).height(CHART_HEIGHT)
                .title("SGEMM, square matrices, one thread").xAxisTitle("matrix size n (n x n x n)")
                .yAxisTitle("GFLOP/s").build();
        chart.getStyler().setYAxisMin(0.0)
                .setxAxisTickLabelsFormattingFunction(x -> x == Math.rint(x) ? Long.toString(Math.round(Math.pow(2, x))) : "");
        for (String impl : Family.GEMM.impls()) {
            List<Measurement> series = square.stream().filter(m -> m.impl().equals(impl)).toList();
            if (!series.isEmpty()) {
                chart.addSeries(impl, series.stream().map(m -> log2Size(m.workload())).toList(),
                        series.stream().map(Measurement::rate).toList());
            }
        }
        double peak = peak();
        if (!Double.isNaN(peak)) {
            XYSeries line = chart.addSeries("FP32 peak, one core",
                    List.of(log2Size(square.getFirst().workload()), log2Size(square.getLast().workload())),
                    List.of(peak, peak));
            line.setMarker(SeriesMarkers.NONE);
        }
        return Optional.of(chart);
    }

    /** The base-2 logarithm of a GEMM shape's size n. */
    private static double log2Size(String shape) {
        return Math.log(GemmShape.named(shape).n()) / Math.log(2);
    }

    /**
     * Grouped bars on one thread: a group per workload of {@code families} (prefixed with the
     * family's label where there are several), a bar per implementation.
     */
    private Optional<Chart<?, ?>> barChart(String title, String unit, List<Family> families) {
        List<String> categories = new ArrayList<>();
        Map<String, List<Double>> series = new LinkedHashMap<>();
        Set<String> impls = new LinkedHashSet<>();
        families.forEach(f -> impls.addAll(f.impls()));
        for (Family family : families) {
            for (Map<String, Measurement> row : rows(family).values()) {
                Measurement first = row.values().iterator().next();
                if (first.threads() != 1) {
                    continue;
                }
                categories.add(families.size() > 1 ? family.label + " " + first.workload() : first.workload());
                impls.forEach(impl -> series.computeIfAbsent(impl, k -> new ArrayList<>()).add(rate(row, impl)));
            }
        }
        if (categories.isEmpty()) {
            return Optional.empty();
        }
        CategoryChart chart = new CategoryChartBuilder().width(CHART_WIDTH).height(CHART_HEIGHT).title(title)
                .yAxisTitle(unit).build();
        // Workload names are long next to the width of a group: slant them so they do not overlap.
        chart.getStyler().setXAxisLabelRotation(30);
        series.forEach((impl, rates) -> {
            if (rates.stream().anyMatch(r -> r != null)) {
                chart.addSeries(impl, categories, rates);
            }
        });
        return Optional.of(chart);
    }

    /** Writes {@code chart} as PNG to {@code folder/name}; false, writing nothing, where there is none. */
    private static boolean writeChart(Optional<Chart<?, ?>> chart, Path folder, String name) throws IOException {
        if (chart.isEmpty()) {
            return false;
        }
        try (OutputStream out = Files.newOutputStream(folder.resolve(name))) {
            BitmapEncoder.saveBitmap(chart.get(), out, BitmapEncoder.BitmapFormat.PNG);
        }
        return true;
    }

    /** A peer's description, or MISSING with the reason where it could not run. */
    private String described(String description, String library) {
        return description != null ? description : "MISSING, " + missing.getOrDefault(library, "reason not recorded");
    }

    /** The library a peer needs: its own name, but for ONNX Runtime's im2col configuration. */
    private static String library(String impl) {
        return PEER_LIBRARIES.getOrDefault(impl, impl);
    }

    static Double rate(Map<String, Measurement> row, String impl) {
        Measurement m = row.get(impl);
        return m == null ? null : m.rate();
    }

    static String format(Double rate) {
        return rate == null || rate.isNaN() ? "-" : String.format(Locale.ROOT, "%.1f", rate);
    }

    /** {@code a / b} as {@code 1.23x}, or "-" where a figure is missing. */
    static String ratio(Double a, Double b) {
        return a != null && b != null ? String.format(Locale.ROOT, "%.2fx", a / b) : "-";
    }

    /** {@code a / b} as a percentage, or "-" where a figure is missing. */
    private static String percent(Double a, Double b) {
        return a != null && b != null && !b.isNaN() ? String.format(Locale.ROOT, "%.0f%%", 100 * a / b) : "-";
    }
}
