package dev.lanewise.benchmarks;

import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.DoubleSummaryStatistics;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import org.openjdk.jmh.results.RunResult;
import org.openjdk.jmh.results.format.ResultFormatFactory;
import org.openjdk.jmh.results.format.ResultFormatType;
import org.openjdk.jmh.runner.format.OutputFormatFactory;
import org.openjdk.jmh.runner.Runner;
import org.openjdk.jmh.runner.RunnerException;
import org.openjdk.jmh.runner.options.ChainedOptionsBuilder;
import org.openjdk.jmh.runner.options.OptionsBuilder;
import org.openjdk.jmh.runner.options.TimeValue;
import org.openjdk.jmh.runner.options.VerboseMode;

/**
 * The performance suite: measures this machine's FP32 peak, then every GEMM shape, convolution
 * layer, pooling layer and activation tensor with lanewise and its peers, one JMH configuration at a
 * time with a progress line each (which configuration, how many, about how long is left), then the
 * {@link SequenceBenchmark} (the ResNet-50 GEMM shapes in turn in one JVM, twice), then prints the
 * {@link Report}'s summary and writes the results folder: GFLOP/s for GEMM and convolution, GB/s
 * (bytes a call must read and write over its time) for pooling and activations, which are
 * memory-bound.
 *
 * <p>Every benchmark JVM runs in the {@link Isa} configuration chosen with {@code --isa}: JMH's forks
 * get its JVM arguments appended ({@link BenchmarkJvm}), and so do the two JVMs the suite starts
 * itself: {@link MachineProbe}, which first describes the configuration (lanewise's vector species
 * and kernel, the kernels of OpenBLAS and ONNX Runtime) and finds the peers that cannot run, and the
 * sequence.
 *
 * <p>Usage: {@code java --add-modules jdk.incubator.vector --enable-native-access=ALL-UNNAMED
 * -cp benchmarks.jar dev.lanewise.benchmarks.Suite [OPTION]...}
 * <ul>
 *   <li>{@code --quick} (default): one fork, {@value #QUICK_WARMUP_ITERATIONS} x
 *       {@value #QUICK_ITERATION_MILLIS} ms warm-up ({@value #QUICK_NATIVE_WARMUP_ITERATIONS} x for
 *       the native peers, OpenBLAS and ONNX Runtime) and 3 x {@value #QUICK_ITERATION_MILLIS} ms
 *       measurement per configuration, the sequence {@value #QUICK_SEQUENCE_SECONDS} s a shape; about
 *       twelve minutes on two cores. For a first look, not for publishing.</li>
 *   <li>{@code --full}: three forks, 3 x 1 s warm-up, 5 x 1 s measurement, the sequence
 *       {@value #FULL_SEQUENCE_SECONDS} s a shape; for numbers to publish.</li>
 *   <li>{@code --smoke}: the same plan, code path and output files, but no JMH fork (JMH runs in this
 *       JVM, whatever the ISA configuration), no warm-up and one 5 ms measurement per configuration,
 *       one call a shape in the sequence: milliseconds each, for testing the suite's plumbing
 *       ({@code SuiteTest}). Its figures are unwarmed and mean nothing; the machine probe and the
 *       sequence still run in a JVM of the configuration.</li>
 *   <li>{@code --isa native|avx2|both}: the {@link Isa} configuration; {@code native} (default) lets
 *       the benchmark JVMs use all the CPU has; {@code avx2} limits them with {@code -XX:UseAVX=2}
 *       and loads OpenBLAS's AVX2 kernels (ONNX Runtime cannot be limited), and is the native one on
 *       a CPU without AVX-512; {@code both} runs native, then avx2, into the subfolders
 *       {@code native} and {@code avx2} of the results folder, then prints the {@link IsaSummary}
 *       of the two and writes it to the results folder's {@code summary.txt} and
 *       {@value Report#MARKDOWN}.</li>
 *   <li>{@code --only TEXT}: only the configurations whose description contains TEXT, e.g.
 *       {@code shape=sq64}, {@code layer=r50_3x3_56}, {@code PoolBenchmark} or {@code tensor=dram}
 *       (the peak is always measured), or {@code SequenceBenchmark}. May be repeated: a configuration
 *       runs if its description contains any of the texts.</li>
 *   <li>{@code --out DIR}: results folder (default {@code results/<timestamp>}), which receives
 *       the raw JMH JSON ({@value Report#JMH_JSON}), JMH's own output ({@code jmh.log}), the printed
 *       summary ({@code summary.txt}) and the {@link Report} ({@value Report#MARKDOWN}, its PNG
 *       charts and {@value Report#MACHINE_JSON}).</li>
 *   <li>{@code --report DIR}: measures nothing; draws the report of the results folder DIR again
 *       (after a change to the report, or from a folder copied off another machine); of an
 *       {@code --isa both} folder, both configurations' reports and the side-by-side summary.</li>
 *   <li>{@code --compare BEFORE AFTER}: measures nothing; prints what got faster or slower beyond
 *       noise from the results folder BEFORE to AFTER ({@link Comparison}). {@code --threshold PERCENT}
 *       sets the smallest change reported (default 5).</li>
 * </ul>
 * {@link #run} does the same as {@link #main} without a process of its own: it never calls
 * {@code System.exit} and leaves {@code System.out} and {@code System.err} as it found them.
 */
public final class Suite {

    /** How long each configuration is measured: {@code --quick}, {@code --full} or {@code --smoke}. */
    private enum Mode {
        QUICK, FULL, SMOKE;

        /** Seconds each shape of the sequence runs in a pass; 0 in {@code --smoke}: one call. */
        double sequenceSeconds() {
            return switch (this) {
                case QUICK -> QUICK_SEQUENCE_SECONDS;
                case FULL -> FULL_SEQUENCE_SECONDS;
                case SMOKE -> 0;
            };
        }
    }

    /**
     * Quick mode's iterations, warm-up and measurement alike, so that {@code jmh.log} shows the
     * trend. Code that C2 compiles (lanewise, EJML, the baselines) warms up for 3.2 s, twice the
     * slowest settling seen here; the native peers, at speed from their first iteration, for 0.8 s.
     *
     * <p>The data, lanewise under {@code --isa avx2} on this 2-core Zen 5 with the other engineer's
     * tests keeping a core busy (so compiling at about the pace of a slower machine): in a quick run
     * with 5 x 0.4 s warm-up, each warm-up iteration's speed over the best measured one was, for the
     * convolution r50_3x3_14 on two threads, 0.03, 0.37, 0.51, 0.84, 0.94: settled after 1.6 s (the
     * former 3 x 0.5 s warm-up measured it unsettled, as it measured 40 GFLOP/s for a kernel that
     * reaches 80 on a slow 2-core AVX2 machine); on one thread 0.09, 0.41, 1.01 (0.8 s); the GEMM
     * r50_3x3_7 0.12, then 1.00 (one thread), 0.12, 0.79, 1.01 (two). {@code -XX:+PrintCompilation}
     * shows why: a fork's setup (its first, unwarmed call) compiles the micro-kernels, but the driver
     * code around them (GemmDriver's block loops and B panel packing, TileStore, the implicit
     * im2col's copies) is compiled, deoptimised and recompiled up to 1.15 s into the warm-up. OpenBLAS
     * and both ONNX Runtime configurations ran their first iteration at 0.9 to 1.0 of their best.
     *
     * <p>The cost: 91 s more than the former warm-up over the quick suite's 155 configurations (83
     * compiled, 6.2 s each with their JVM; 72 native, 3.0 s each), measured in one run of the main job.
     */
    static final int QUICK_WARMUP_ITERATIONS = 8;
    static final int QUICK_NATIVE_WARMUP_ITERATIONS = 2;
    static final int QUICK_ITERATION_MILLIS = 400;
    /** The implementations that run native code compiled ahead of time: nothing for C2 to settle. */
    private static final Set<String> NATIVE_IMPLS = Set.of("openblas", "onnxruntime", "onnxruntime-im2col");
    /** Seconds a shape of the sequence runs in a pass: 7 shapes, two passes, about 24 s in all with its JVM. */
    static final double QUICK_SEQUENCE_SECONDS = 1;
    static final double FULL_SEQUENCE_SECONDS = 2;
    /**
     * The sequence's description, which {@code --only} matches: every shape it runs, one thread.
     */
    private static final String SEQUENCE = "SequenceBenchmark {shapes=" + String.join(",", SequenceBenchmark.SHAPES)
            + ", threads=1}";

    /**
     * The single-threaded GEMM comparison runs every shape, EJML and the reference only where they
     * finish; the two-threaded one leaves out the shapes lanewise does not split (under 2^21
     * multiply-adds) and the one that checks a cache effect ({@code rows4k}).
     */
    private static final List<String> ONE_THREAD_GEMM_SHAPES = List.of("sq64", "odd7", "r50_fc", "rows4k");
    private static final List<String> EJML_SHAPES = List.of("sq64", "sq256", "sq1024", "r50_3x3_56", "odd207");
    private static final List<String> REF_SHAPES = List.of("sq64", "odd7", "odd207");
    /**
     * The convolution comparison runs every layer on one thread and the network layers on two; the
     * toy layers, too small to split, also run the reference (which would take seconds on the
     * ResNet layers), as do the grouped layers, whose reference takes milliseconds, and which are
     * rated in GB/s next to a copy of their input. Quick mode
     * leaves four depthwise layers out (their neighbours stand for them) and runs six layers on one
     * thread only, about two minutes less than all of them on both.
     */
    private static final List<String> TOY_CONV_LAYERS = List.of("tiny", "small");
    private static final List<String> FULL_ONLY_CONV_LAYERS =
            List.of("mbv2_dw_56", "mbv2_dw_28", "mbv2_dw_7", "effb0_dw5_56s2");
    private static final List<String> QUICK_ONE_THREAD_CONV_LAYERS =
            List.of("mbv2_dw_112s2", "mbv2_dw_14", "effb0_dw5_14", "rx50_g32_56", "alexnet_conv1", "effb0_stem");
    /**
     * Pooling and activations run every implementation on one thread (the reference and the copy
     * baseline are single-threaded), and lanewise and ONNX Runtime on two threads only where a call
     * is large enough to split: the largest pooling layer and the tensor beyond the caches.
     */
    private static final List<String> TWO_THREAD_POOL_LAYERS = List.of("vgg_maxpool");
    private static final List<String> TWO_THREAD_ACTIVATION_TENSORS = List.of("dram");

    private final Mode mode;
    private final Path out;
    /** The {@code --only} texts; empty: every configuration. */
    private final List<String> only;
    private final Isa isa;
    private final List<RunResult> results = new ArrayList<>();
    /** JMH's own output and the console output of the benchmark JVMs, kept out of the terminal. */
    private PrintStream jmhLog;
    /** Peers that cannot run in the configuration, with the reason; reported, never silently skipped. */
    private final Map<String, String> missing = new LinkedHashMap<>();

    private Suite(Mode mode, Path out, List<String> only, Isa isa) {
        this.mode = mode;
        this.out = out;
        this.only = List.copyOf(only);
        this.isa = isa;
    }

    public static void main(String[] args) throws RunnerException, IOException {
        run(args);
    }

    /**
     * Runs the suite with {@code args} (the options of {@link Suite}) and returns the results folder
     * written (for {@code --compare}, the folder AFTER; for {@code --isa both}, the folder holding the
     * two configurations' folders).
     *
     * @throws IllegalArgumentException on an unknown option, one missing its value, or both
     *                                  {@code --report} and {@code --compare}
     */
    static Path run(String... args) throws RunnerException, IOException {
        Mode mode = Mode.QUICK;
        List<String> only = new ArrayList<>();
        Path out = Path.of("results", LocalDateTime.now().format(DateTimeFormatter.ofPattern("yyyyMMdd-HHmmss")));
        Path report = null;
        List<Path> compare = List.of();
        double threshold = Comparison.DEFAULT_THRESHOLD;
        List<Isa> isas = List.of(Isa.NATIVE);
        for (int i = 0; i < args.length; i++) {
            switch (args[i]) {
                case "--quick" -> mode = Mode.QUICK;
                case "--full" -> mode = Mode.FULL;
                case "--smoke" -> mode = Mode.SMOKE;
                case "--out" -> out = Path.of(value(args, ++i));
                case "--only" -> only.add(value(args, ++i));
                case "--report" -> report = Path.of(value(args, ++i));
                case "--compare" -> compare = List.of(Path.of(value(args, ++i)), Path.of(value(args, ++i)));
                case "--threshold" -> threshold = percent(value(args, ++i));
                case "--isa" -> isas = Isa.parse(value(args, ++i));
                default -> throw new IllegalArgumentException("unknown option " + args[i]
                        + "; use --quick, --full, --smoke, --isa native|avx2|both, --out DIR, --only TEXT,"
                        + " --report DIR, --compare BEFORE AFTER, --threshold PERCENT");
            }
        }
        if (report != null && !compare.isEmpty()) {
            throw new IllegalArgumentException("--report and --compare each do a job of their own: give one");
        }
        if (report != null) {
            redraw(report);
            System.out.println("Report written to " + report.resolve(Report.MARKDOWN).toAbsolutePath());
            return report;
        }
        if (!compare.isEmpty()) {
            System.out.print(new Comparison(compare.get(0).toString(), Report.load(compare.get(0)),
                    compare.get(1).toString(), Report.load(compare.get(1)), threshold).text());
            return compare.get(1);
        }
        List<Isa> configurations = isas.stream().map(Isa::forThisCpu).distinct().toList();
        if (!configurations.containsAll(isas)) {
            System.out.println("This CPU has no AVX-512: the avx2 configuration is the native one, measured once.");
        }
        if (configurations.size() == 1) {
            new Suite(mode, out, only, configurations.getFirst()).runSuite();
            return out;
        }
        for (Isa isa : configurations) {
            new Suite(mode, out.resolve(isa.label()), only, isa).runSuite();
            System.out.println();
        }
        String summary = writeSideBySide(out);
        System.out.println("Both ISA configurations side by side:");
        System.out.println();
        System.out.print(summary);
        System.out.println();
        System.out.println("Results written to " + out.toAbsolutePath());
        System.out.println("Report: " + out.resolve(Report.MARKDOWN).toAbsolutePath());
        return out;
    }

    /**
     * Draws the report of the results folder {@code folder} again; of an {@code --isa both} folder
     * (no results of its own, a results folder per configuration), both reports and the side by side.
     */
    private static void redraw(Path folder) throws IOException {
        if (!Report.isResultsFolder(folder) && Arrays.stream(Isa.values())
                .allMatch(isa -> Report.isResultsFolder(folder.resolve(isa.label())))) {
            for (Isa isa : Isa.values()) {
                Path configuration = folder.resolve(isa.label());
                Report.load(configuration).write(configuration);
            }
            writeSideBySide(folder);
        } else {
            Report.load(folder).write(folder);
        }
    }

    /**
     * Writes the {@link IsaSummary} of the {@code --isa both} folder {@code folder} (its {@code native}
     * and {@code avx2} results folders) into {@code summary.txt} and {@value Report#MARKDOWN}, and
     * returns its text.
     */
    private static String writeSideBySide(Path folder) throws IOException {
        IsaSummary sideBySide = new IsaSummary(Report.load(folder.resolve(Isa.NATIVE.label())),
                Report.load(folder.resolve(Isa.AVX2.label())));
        String text = sideBySide.text();
        Files.writeString(folder.resolve("summary.txt"), text);
        Files.writeString(folder.resolve(Report.MARKDOWN), sideBySide.markdown());
        return text;
    }

    /** A percentage such as {@code 5} as a fraction (0.05). */
    private static double percent(String text) {
        try {
            return Double.parseDouble(text) / 100;
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("--threshold needs a percentage, got " + text, e);
        }
    }

    /** {@code args[i]}, the value of the option before it. */
    private static String value(String[] args, int i) {
        if (i >= args.length) {
            throw new IllegalArgumentException(args[i - 1] + " needs a value");
        }
        return args[i];
    }

    private void runSuite() throws RunnerException, IOException {
        Files.createDirectories(out);
        jmhLog = new PrintStream(Files.newOutputStream(out.resolve("jmh.log")), true, java.nio.charset.StandardCharsets.UTF_8);
        try {
            measureAndReport();
        } finally {
            jmhLog.close();
        }
    }

    private void measureAndReport() throws RunnerException, IOException {
        Report.MachineFile probe = MachineProbe.inBenchmarkJvm(isa, jmhLog);
        Report.Machine machine = probe.machine();
        missing.putAll(probe.missingPeers());
        List<Config> plan = plan();
        boolean sequence = selected(SEQUENCE);
        int steps = plan.size() + (sequence ? 1 : 0);
        System.out.printf(Locale.ROOT, "lanewise performance suite (%s, %s): %d configurations%s%n  ISA: %s%n"
                        + "  lanewise: %s%n  openblas: %s%n  onnxruntime: %s%n",
                mode.name().toLowerCase(Locale.ROOT), isa.label(), plan.size(), sequence ? " and the sequence" : "",
                machine.isa(), machine.lanewise(), described(machine.openBlas(), "openblas"),
                described(machine.onnxRuntime(), "onnxruntime"));
        // The sequence runs last, one JVM for about two passes of its shapes' time.
        double sequenceSeconds = sequence ? 2 * SequenceBenchmark.SHAPES.size() * mode.sequenceSeconds() : 0;
        long start = System.nanoTime();
        for (int i = 0; i < plan.size(); i++) {
            Config c = plan.get(i);
            System.out.printf(Locale.ROOT, "[%d/%d%s] %s %s ... ", i + 1, steps,
                    i == 0 ? "" : timeLeft((System.nanoTime() - start) / 1e9 / i * (plan.size() - i) + sequenceSeconds),
                    c.benchmark(), c.params());
            System.out.flush();
            jmhLog.println("==== " + c);
            RunResult r = runOne(c);
            results.add(r);
            double us = r.getPrimaryResult().getScore();
            System.out.printf(Locale.ROOT, "%s, %s%n", duration(us), c.work().rateText(us));
        }
        SequenceBenchmark.Run sequenceRun = null;
        if (sequence) {
            System.out.printf(Locale.ROOT, "[%d/%d%s] %s ... ", steps, steps, timeLeft(sequenceSeconds), SEQUENCE);
            System.out.flush();
            sequenceRun = runSequence();
            DoubleSummaryStatistics ratios = sequenceRun.shapes().stream()
                    .mapToDouble(s -> s.pass2() / s.pass1()).summaryStatistics();
            System.out.printf(Locale.ROOT, "second pass %.2fx to %.2fx of the first%n", ratios.getMin(), ratios.getMax());
        }
        write(machine, sequenceRun);
    }

    /** {@code , about m:ss left}, of {@code seconds}. */
    private static String timeLeft(double seconds) {
        long s = Math.round(seconds);
        return String.format(Locale.ROOT, ", about %d:%02d left", s / 60, s % 60);
    }

    /** A peer's description, or MISSING with the reason where it cannot run. */
    private String described(String description, String peer) {
        return description != null ? description : "MISSING, " + missing.get(peer);
    }

    /**
     * Runs the {@link SequenceBenchmark} in a JVM of the configuration, which writes
     * {@value SequenceBenchmark#JSON} into the results folder, and reads it.
     */
    private SequenceBenchmark.Run runSequence() throws IOException {
        jmhLog.println("==== " + SEQUENCE);
        Path json = out.resolve(SequenceBenchmark.JSON);
        BenchmarkJvm.run(isa, jmhLog, SequenceBenchmark.class, Double.toString(mode.sequenceSeconds()), json.toString());
        return Report.GSON.fromJson(Files.readString(json), SequenceBenchmark.Run.class);
    }

    /** One JMH configuration: benchmark class, parameters, and the work of one call. */
    private record Config(String benchmark, Map<String, String> params, Work work) { }

    private List<Config> plan() {
        List<Config> plan = new ArrayList<>();
        plan.add(new Config("PeakBenchmark", Map.of(), Work.of("PeakBenchmark", "", "")));
        for (int threads : new int[] {1, 2}) {
            for (GemmShape s : GemmShape.all().values()) {
                if (threads == 2 && ONE_THREAD_GEMM_SHAPES.contains(s.name())) {
                    continue;
                }
                List<String> impls = new ArrayList<>(List.of("lanewise"));
                if (!missing.containsKey("openblas")) {
                    impls.add("openblas");
                }
                if (threads == 1 && EJML_SHAPES.contains(s.name())) {
                    impls.add("ejml");
                }
                if (threads == 1 && REF_SHAPES.contains(s.name())) {
                    impls.add("ref");
                }
                addSelected(plan, "GemmBenchmark", impls, s.name(), threads);
            }
        }
        for (int threads : new int[] {1, 2}) {
            for (ConvLayer l : ConvLayer.all().values()) {
                boolean toy = TOY_CONV_LAYERS.contains(l.name());
                if (threads == 2 && toy) {
                    continue;
                }
                if (mode == Mode.QUICK && (FULL_ONLY_CONV_LAYERS.contains(l.name())
                        || threads == 2 && QUICK_ONE_THREAD_CONV_LAYERS.contains(l.name()))) {
                    continue;
                }
                List<String> impls = new ArrayList<>(List.of("lanewise"));
                if (!missing.containsKey("onnxruntime")) {
                    impls.addAll(List.of("onnxruntime-im2col", "onnxruntime"));
                }
                if (threads == 1 && (toy || l.grouped())) {
                    impls.add("ref");
                }
                if (threads == 1 && l.grouped()) {
                    impls.add("copy");
                }
                addSelected(plan, "ConvBenchmark", impls, l.name(), threads);
            }
        }
        for (int threads : new int[] {1, 2}) {
            for (PoolLayer l : PoolLayer.all().values()) {
                if (threads == 2 && !TWO_THREAD_POOL_LAYERS.contains(l.name())) {
                    continue;
                }
                List<String> impls = new ArrayList<>(memoryBoundImpls(threads));
                if (threads == 1) {
                    impls.add("copy");
                }
                addSelected(plan, "PoolBenchmark", impls, l.name(), threads);
            }
        }
        for (int threads : new int[] {1, 2}) {
            for (ActivationTensor t : ActivationTensor.all().values()) {
                if (threads == 2 && !TWO_THREAD_ACTIVATION_TENSORS.contains(t.name())) {
                    continue;
                }
                List<String> impls = new ArrayList<>(memoryBoundImpls(threads));
                if (threads == 1) {
                    impls.add("copy");
                }
                addSelected(plan, "ActivationBenchmark", impls, t.name(), threads);
            }
        }
        return plan;
    }

    /** Pooling's and activations' implementations but the copy baseline: the reference on one thread only. */
    private List<String> memoryBoundImpls(int threads) {
        List<String> impls = new ArrayList<>(List.of("lanewise"));
        if (!missing.containsKey("onnxruntime")) {
            impls.add("onnxruntime");
        }
        if (threads == 1) {
            impls.add("ref");
        }
        return impls;
    }

    /** Adds one configuration per implementation, those that {@code --only} selects. */
    private void addSelected(List<Config> plan, String benchmark, List<String> impls, String workload, int threads) {
        for (String impl : impls) {
            Map<String, String> params = new LinkedHashMap<>();
            params.put("impl", impl);
            params.put(Work.workloadParam(benchmark), workload);
            params.put("threads", Integer.toString(threads));
            Config c = new Config(benchmark, params, Work.of(benchmark, workload, impl));
            if (selected(c.toString())) {
                plan.add(c);
            }
        }
    }

    /** Whether {@code --only} selects the configuration described so: it names none, or a part of it. */
    private boolean selected(String description) {
        return only.isEmpty() || only.stream().anyMatch(description::contains);
    }

    private RunResult runOne(Config c) throws RunnerException {
        Class<?> benchmark;
        try {
            benchmark = Class.forName(Suite.class.getPackageName() + "." + c.benchmark());
        } catch (ClassNotFoundException e) {
            throw new IllegalStateException("no benchmark class " + c.benchmark(), e);
        }
        ChainedOptionsBuilder options = new OptionsBuilder()
                .include("dev\\.lanewise\\.benchmarks\\." + c.benchmark() + "\\.")
                .jvmArgsAppend(BenchmarkJvm.appendedArgs(benchmark, isa).toArray(String[]::new))
                .verbosity(VerboseMode.SILENT)
                .shouldFailOnError(true);
        c.params().forEach(options::param);
        switch (mode) {
            case QUICK -> options.forks(1)
                    .warmupIterations(NATIVE_IMPLS.contains(c.params().getOrDefault("impl", ""))
                            ? QUICK_NATIVE_WARMUP_ITERATIONS : QUICK_WARMUP_ITERATIONS)
                    .warmupTime(TimeValue.milliseconds(QUICK_ITERATION_MILLIS))
                    .measurementIterations(3).measurementTime(TimeValue.milliseconds(QUICK_ITERATION_MILLIS));
            // In this JVM (so the benchmarks' jvmArgsAppend do not apply), unwarmed: plumbing only.
            case SMOKE -> options.forks(0)
                    .warmupIterations(0)
                    .measurementIterations(1).measurementTime(TimeValue.milliseconds(5));
            case FULL -> { } // the benchmarks' own annotations
        }
        // Forks' console output (JVM warnings, log lines) reaches the host's System.out/err
        // directly, bypassing the output format: send it to the log too while JMH runs.
        PrintStream terminalOut = System.out;
        PrintStream terminalErr = System.err;
        System.setOut(jmhLog);
        System.setErr(jmhLog);
        java.util.Collection<RunResult> run;
        try {
            run = new Runner(options.build(), OutputFormatFactory.createFormatInstance(jmhLog, VerboseMode.NORMAL)).run();
        } finally {
            System.setOut(terminalOut);
            System.setErr(terminalErr);
        }
        if (run.size() != 1) {
            throw new IllegalStateException(c + " produced " + run.size() + " results");
        }
        return run.iterator().next();
    }

    /** A time per call in microseconds, printed in the unit that keeps three digits. */
    private static String duration(double us) {
        return us < 1 ? String.format(Locale.ROOT, "%.0f ns", us * 1e3)
                : us < 1000 ? String.format(Locale.ROOT, "%.2f us", us)
                : String.format(Locale.ROOT, "%.2f ms", us / 1e3);
    }

    /**
     * Writes the raw JMH JSON and the {@link Report} of it and of the sequence's run (null where it did
     * not run) into the results folder, and prints the report's summary (also written to
     * {@code summary.txt}).
     */
    private void write(Report.Machine machine, SequenceBenchmark.Run sequence) {
        try {
            jmhLog.close();
            Path jmhJson = out.resolve(Report.JMH_JSON);
            try (PrintStream json = new PrintStream(Files.newOutputStream(jmhJson), true, "UTF-8")) {
                ResultFormatFactory.getInstance(ResultFormatType.JSON, json).writeOut(results);
            }
            Report report = Report.fromJmhJson(jmhJson, missing, machine, sequence);
            report.write(out);
            String summary = report.summary();
            Files.writeString(out.resolve("summary.txt"), summary);
            System.out.println();
            System.out.print(summary);
            System.out.println();
            System.out.println("Results written to " + out.toAbsolutePath());
            System.out.println("Report: " + out.resolve(Report.MARKDOWN).toAbsolutePath());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
