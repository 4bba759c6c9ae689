package dev.lanewise.benchmarks;

import dev.lanewise.kernels.Lanewise;
import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.Supplier;
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
 * time with a progress line each, and prints the comparison: GFLOP/s for GEMM and convolution, GB/s
 * (bytes a call must read and write over its time) for pooling and activations, which are
 * memory-bound.
 *
 * <p>Usage: {@code java --add-modules jdk.incubator.vector --enable-native-access=ALL-UNNAMED
 * -cp benchmarks.jar dev.lanewise.benchmarks.Suite [--quick | --full | --smoke] [--only TEXT]... [--out DIR]}
 * <ul>
 *   <li>{@code --quick} (default): one fork, 3 x 0.6 s warm-up and 3 x 0.5 s measurement per
 *       configuration; a few minutes in all. For a first look, not for publishing.</li>
 *   <li>{@code --full}: three forks, 3 x 1 s warm-up, 5 x 1 s measurement; for numbers to publish.</li>
 *   <li>{@code --smoke}: the same plan, code path and output files, but no fork (JMH runs in this
 *       JVM), no warm-up and one 5 ms measurement per configuration: milliseconds each, for testing
 *       the suite's plumbing ({@code SuiteTest}). Its figures are unwarmed and mean nothing.</li>
 *   <li>{@code --only TEXT}: only the configurations whose description contains TEXT, e.g.
 *       {@code shape=sq64}, {@code layer=r50_3x3_56}, {@code PoolBenchmark} or {@code tensor=dram}
 *       (the peak is always measured). May be repeated: a configuration runs if its description
 *       contains any of the texts.</li>
 *   <li>{@code --out DIR}: results folder (default {@code results/<timestamp>}), which receives
 *       the raw JMH JSON ({@code jmh.json}), JMH's own output ({@code jmh.log}), the printed
 *       summary ({@code summary.txt}) and the {@link Report} ({@code report.md} and its PNG charts).</li>
 * </ul>
 * {@link #run} does the same as {@link #main} without a process of its own: it never calls
 * {@code System.exit} and leaves {@code System.out} and {@code System.err} as it found them.
 */
public final class Suite {

    /** How long each configuration is measured: {@code --quick}, {@code --full} or {@code --smoke}. */
    private enum Mode { QUICK, FULL, SMOKE }

    /** The single-threaded GEMM comparison runs every shape; EJML and the reference only where they finish. */
    private static final List<String> EJML_SHAPES = List.of("sq64", "sq256", "sq1024", "r50_3x3_56", "odd207");
    private static final List<String> REF_SHAPES = List.of("sq64", "odd7", "odd207");
    /**
     * The convolution comparison runs every layer on one thread and the network layers on two; the
     * toy layers, too small to split, also run the reference (which would take seconds on the others).
     */
    private static final List<String> TOY_CONV_LAYERS = List.of("tiny", "small");
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
    private final List<RunResult> results = new ArrayList<>();
    /** JMH's own output and the forks' console output, kept out of the terminal. */
    private PrintStream jmhLog;
    /** Peers that cannot run here, with the reason; reported, never silently skipped. */
    private final Map<String, String> missing = new LinkedHashMap<>();

    private Suite(Mode mode, Path out, List<String> only) {
        this.mode = mode;
        this.out = out;
        this.only = List.copyOf(only);
    }

    public static void main(String[] args) throws RunnerException, IOException {
        run(args);
    }

    /**
     * Runs the suite with {@code args} (the options of {@link Suite}) and returns the results folder.
     *
     * @throws IllegalArgumentException on an unknown option or one missing its value
     */
    static Path run(String... args) throws RunnerException, IOException {
        Mode mode = Mode.QUICK;
        List<String> only = new ArrayList<>();
        Path out = Path.of("results", LocalDateTime.now().format(DateTimeFormatter.ofPattern("yyyyMMdd-HHmmss")));
        for (int i = 0; i < args.length; i++) {
            switch (args[i]) {
                case "--quick" -> mode = Mode.QUICK;
                case "--full" -> mode = Mode.FULL;
                case "--smoke" -> mode = Mode.SMOKE;
                case "--out" -> out = Path.of(value(args, ++i));
                case "--only" -> only.add(value(args, ++i));
                default -> throw new IllegalArgumentException(
                        "unknown option " + args[i] + "; use --quick, --full, --smoke, --out DIR, --only SUBSTRING");
            }
        }
        new Suite(mode, out, only).runSuite();
        return out;
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

    private void measureAndReport() throws RunnerException {
        String openBlas = loadPeer("openblas", OpenBlas::load);
        String onnxRuntime = loadPeer("onnxruntime", OnnxRuntime::load);
        List<Config> plan = plan();
        System.out.printf(Locale.ROOT, "lanewise performance suite (%s): %d configurations%n  lanewise: %s%n  openblas: %s%n"
                        + "  onnxruntime: %s%n",
                mode.name().toLowerCase(Locale.ROOT), plan.size(), Lanewise.implementation(), openBlas, onnxRuntime);
        Map<Config, Double> micros = new LinkedHashMap<>();
        for (int i = 0; i < plan.size(); i++) {
            Config c = plan.get(i);
            System.out.printf(Locale.ROOT, "[%d/%d] %s %s ... ", i + 1, plan.size(), c.benchmark(), c.params());
            System.out.flush();
            jmhLog.println("==== " + c);
            RunResult r = runOne(c);
            results.add(r);
            double us = r.getPrimaryResult().getScore();
            micros.put(c, us);
            System.out.printf(Locale.ROOT, "%s, %s%n", duration(us), c.work().rateText(us));
        }
        String summary = summary(micros);
        System.out.println();
        System.out.print(summary);
        write(summary, Report.Machine.current(missing.containsKey("openblas") ? null : openBlas,
                missing.containsKey("onnxruntime") ? null : onnxRuntime));
    }

    /**
     * Loads a native peer and describes it, or records it as missing and says why: the exception
     * and its causes, since a failed static initialiser hides the reason in them.
     */
    private String loadPeer(String peer, Supplier<String> load) {
        try {
            return load.get();
        } catch (RuntimeException | LinkageError e) {
            StringBuilder why = new StringBuilder(e.toString());
            for (Throwable cause = e.getCause(); cause != null; cause = cause.getCause()) {
                why.append(", caused by ").append(cause);
            }
            missing.put(peer, why.toString());
            return "MISSING, " + why;
        }
    }

    /** One JMH configuration: benchmark class, parameters, and the work of one call. */
    private record Config(String benchmark, Map<String, String> params, Work work) {

        /** This configuration's {@link Suite#key}. */
        String key() {
            return Suite.key(benchmark, params.get(Work.workloadParam(benchmark)), params.get("threads"),
                    params.get("impl"));
        }
    }

    /** Where the summary files a result: {@code benchmark/workload/threads/impl}. */
    private static String key(String benchmark, String workload, Object threads, String impl) {
        return benchmark + "/" + workload + "/" + threads + "/" + impl;
    }

    private List<Config> plan() {
        List<Config> plan = new ArrayList<>();
        plan.add(new Config("PeakBenchmark", Map.of(), Work.of("PeakBenchmark", "", "")));
        for (int threads : new int[] {1, 2}) {
            for (GemmShape s : GemmShape.all().values()) {
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
                List<String> impls = new ArrayList<>(List.of("lanewise"));
                if (!missing.containsKey("onnxruntime")) {
                    impls.addAll(List.of("onnxruntime-im2col", "onnxruntime"));
                }
                if (toy) {
                    impls.add("ref");
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
            if (only.isEmpty() || only.stream().anyMatch(c.toString()::contains)) {
                plan.add(c);
            }
        }
    }

    private RunResult runOne(Config c) throws RunnerException {
        ChainedOptionsBuilder options = new OptionsBuilder()
                .include("dev\\.lanewise\\.benchmarks\\." + c.benchmark() + "\\.")
                .verbosity(VerboseMode.SILENT)
                .shouldFailOnError(true);
        c.params().forEach(options::param);
        switch (mode) {
            // C2 finishes the kernels 1.5 - 2 s into a fork here: warm up past that.
            case QUICK -> options.forks(1)
                    .warmupIterations(3).warmupTime(TimeValue.milliseconds(600))
                    .measurementIterations(3).measurementTime(TimeValue.milliseconds(500));
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

    private String summary(Map<Config, Double> micros) {
        double peak = 0;
        Map<String, Double> gflops = new LinkedHashMap<>();
        Map<String, Double> gbps = new LinkedHashMap<>();
        for (var e : micros.entrySet()) {
            Config c = e.getKey();
            double rate = c.work().rate(e.getValue());
            if (c.benchmark().equals("PeakBenchmark")) {
                peak = rate;
            } else {
                (c.work().memoryBound() ? gbps : gflops).put(c.key(), rate);
            }
        }
        StringBuilder sb = new StringBuilder();
        missing.forEach((peer, why) -> sb.append("MISSING peer ").append(peer).append(": ").append(why).append('\n'));
        sb.append(String.format(Locale.ROOT, "FP32 peak, one core (%d FMA chains): %.1f GFLOP/s%n%n", PeakBenchmark.CHAINS, peak));
        appendGemmTables(sb, gflops, peak);
        appendConvTables(sb, gflops, peak);
        appendPoolTables(sb, gbps);
        appendActivationTables(sb, gbps);
        return sb.toString();
    }

    /** SGEMM GFLOP/s by shape and implementation, one table per thread count, from results filed by {@link #key}. */
    private static void appendGemmTables(StringBuilder sb, Map<String, Double> gflops, double peak) {
        for (int threads : new int[] {1, 2}) {
            sb.append(String.format(Locale.ROOT, "SGEMM, %d thread%s, GFLOP/s%n", threads, threads == 1 ? "" : "s"));
            sb.append(String.format(Locale.ROOT, "%-11s %5s %6s %5s %9s %9s %7s %7s %12s %8s%s%n", "shape", "m", "n", "k",
                    "lanewise", "openblas", "ejml", "ref", "vs openblas", "of peak", threads == 2 ? "  vs 1 thread" : ""));
            for (GemmShape s : GemmShape.all().values()) {
                Double lw = gflops.get(key("GemmBenchmark", s.name(), threads, "lanewise"));
                Double ob = gflops.get(key("GemmBenchmark", s.name(), threads, "openblas"));
                Double lw1 = gflops.get(key("GemmBenchmark", s.name(), 1, "lanewise"));
                sb.append(String.format(Locale.ROOT, "%-11s %5d %6d %5d %9s %9s %7s %7s %12s %8s%s%n",
                        s.name(), s.m(), s.n(), s.k(), fmt(lw), fmt(ob),
                        fmt(gflops.get(key("GemmBenchmark", s.name(), threads, "ejml"))),
                        fmt(gflops.get(key("GemmBenchmark", s.name(), threads, "ref"))),
                        ratio(lw, ob), ofPeak(lw, peak, threads),
                        threads == 2 && lw != null && lw1 != null ? "  " + ratio(lw, lw1) : ""));
            }
            sb.append('\n');
        }
    }

    /** Convolution GFLOP/s by layer and implementation, one table per thread count. */
    private static void appendConvTables(StringBuilder sb, Map<String, Double> gflops, double peak) {
        sb.append("Convolution: onnxruntime-im2col is ONNX Runtime without graph optimisations (im2col and SGEMM),\n"
                + "onnxruntime with all of them (its NCHWc blocked direct convolution).\n\n");
        for (int threads : new int[] {1, 2}) {
            sb.append(String.format(Locale.ROOT, "Convolution (NCHW, batch 1, with bias), %d thread%s, GFLOP/s%n",
                    threads, threads == 1 ? "" : "s"));
            sb.append(String.format(Locale.ROOT, "%-11s %8s %7s %8s %7s %9s %18s %11s %6s %13s %14s %8s%s%n", "layer",
                    "C->K", "kernel", "input", "MFLOP", "lanewise", "onnxruntime-im2col", "onnxruntime", "ref",
                    "vs ort-im2col", "vs onnxruntime", "of peak", threads == 2 ? "  vs 1 thread" : ""));
            for (ConvLayer l : ConvLayer.all().values()) {
                if (threads == 2 && TOY_CONV_LAYERS.contains(l.name())) {
                    continue;
                }
                Double lw = gflops.get(key("ConvBenchmark", l.name(), threads, "lanewise"));
                Double im2col = gflops.get(key("ConvBenchmark", l.name(), threads, "onnxruntime-im2col"));
                Double ort = gflops.get(key("ConvBenchmark", l.name(), threads, "onnxruntime"));
                Double lw1 = gflops.get(key("ConvBenchmark", l.name(), 1, "lanewise"));
                sb.append(String.format(Locale.ROOT, "%-11s %8s %7s %8s %7.1f %9s %18s %11s %6s %13s %14s %8s%s%n",
                        l.name(), l.inChannels() + "->" + l.outChannels(),
                        l.kernel() + "x" + l.kernel() + (l.stride() > 1 ? "/" + l.stride() : ""),
                        l.height() + "x" + l.width(), l.flops() / 1e6,
                        fmt(lw), fmt(im2col), fmt(ort), fmt(gflops.get(key("ConvBenchmark", l.name(), threads, "ref"))),
                        ratio(lw, im2col), ratio(lw, ort), ofPeak(lw, peak, threads),
                        threads == 2 && lw != null && lw1 != null ? "  " + ratio(lw, lw1) : ""));
            }
            sb.append('\n');
        }
    }

    /** Pooling GB/s by layer and implementation, one table per thread count. */
    private static void appendPoolTables(StringBuilder sb, Map<String, Double> gbps) {
        sb.append("Pooling and activations: GB/s = bytes a call must move (input read once, output written once)\n"
                + "over its time; copy is System.arraycopy of the input, one thread, its GB/s counting the input\n"
                + "bytes twice (read and written); ref and copy run on one thread only.\n\n");
        for (int threads : new int[] {1, 2}) {
            sb.append(String.format(Locale.ROOT, "Pooling (NCHW, batch 1), %d thread%s, GB/s%n",
                    threads, threads == 1 ? "" : "s"));
            sb.append(String.format(Locale.ROOT, "%-17s %-17s %-9s %12s %6s %9s %11s %6s %6s %14s %7s %8s%s%n",
                    "layer", "operator", "window", "input", "MB", "lanewise", "onnxruntime", "ref", "copy",
                    "vs onnxruntime", "vs ref", "vs copy", threads == 2 ? "  vs 1 thread" : ""));
            for (PoolLayer l : PoolLayer.all().values()) {
                if (threads == 2 && !TWO_THREAD_POOL_LAYERS.contains(l.name())) {
                    continue;
                }
                String window = l.op().global() ? "global"
                        : l.kernel() + "x" + l.kernel() + "/" + l.stride() + (l.pad() > 0 ? " p" + l.pad() : "");
                appendMemoryRow(sb, gbps, "PoolBenchmark", l.name(), threads,
                        String.format(Locale.ROOT, "%-17s %-17s %-9s %12s %6.1f", l.name(), l.op(), window,
                                l.channels() + "x" + l.height() + "x" + l.width(), l.bytes() / 1e6));
            }
            sb.append('\n');
        }
    }

    /** ReLU GB/s by tensor and implementation, one table per thread count. */
    private static void appendActivationTables(StringBuilder sb, Map<String, Double> gbps) {
        for (int threads : new int[] {1, 2}) {
            sb.append(String.format(Locale.ROOT, "ReLU out of place, %d thread%s, GB/s%n", threads, threads == 1 ? "" : "s"));
            sb.append(String.format(Locale.ROOT, "%-6s %-15s %6s %9s %11s %6s %6s %14s %7s %8s%s%n",
                    "tensor", "shape", "MB", "lanewise", "onnxruntime", "ref", "copy",
                    "vs onnxruntime", "vs ref", "vs copy", threads == 2 ? "  vs 1 thread" : ""));
            for (ActivationTensor t : ActivationTensor.all().values()) {
                if (threads == 2 && !TWO_THREAD_ACTIVATION_TENSORS.contains(t.name())) {
                    continue;
                }
                appendMemoryRow(sb, gbps, "ActivationBenchmark", t.name(), threads,
                        String.format(Locale.ROOT, "%-6s %-15s %6.1f", t.name(),
                                t.batch() + "x" + t.channels() + "x" + t.height() + "x" + t.width(), t.bytes() / 1e6));
            }
            sb.append('\n');
        }
    }

    /**
     * One row of a pooling or activation table: {@code head}, then the GB/s of lanewise, ONNX
     * Runtime, the reference and the copy, and lanewise's ratios to them (and to itself on one thread).
     */
    private static void appendMemoryRow(StringBuilder sb, Map<String, Double> gbps, String benchmark, String workload,
                                        int threads, String head) {
        Double lw = gbps.get(key(benchmark, workload, threads, "lanewise"));
        Double ort = gbps.get(key(benchmark, workload, threads, "onnxruntime"));
        Double ref = gbps.get(key(benchmark, workload, threads, "ref"));
        Double copy = gbps.get(key(benchmark, workload, threads, "copy"));
        Double lw1 = gbps.get(key(benchmark, workload, 1, "lanewise"));
        sb.append(head).append(String.format(Locale.ROOT, " %9s %11s %6s %6s %14s %7s %8s%s%n",
                fmt(lw), fmt(ort), fmt(ref), fmt(copy), ratio(lw, ort), ratio(lw, ref), ratio(lw, copy),
                threads == 2 && lw != null && lw1 != null ? "  " + ratio(lw, lw1) : ""));
    }

    /** {@code a / b} as {@code 1.23x}, or "-" where a figure is missing. */
    private static String ratio(Double a, Double b) {
        return a != null && b != null ? String.format(Locale.ROOT, "%.2fx", a / b) : "-";
    }

    /** GFLOP/s as a percentage of {@code threads} cores' peak, or "-" where a figure is missing. */
    private static String ofPeak(Double gflops, double peak, int threads) {
        return gflops != null && peak > 0 ? String.format(Locale.ROOT, "%.0f%%", 100 * gflops / (peak * threads)) : "-";
    }

    /** A time per call in microseconds, printed in the unit that keeps three digits. */
    private static String duration(double us) {
        return us < 1 ? String.format(Locale.ROOT, "%.0f ns", us * 1e3)
                : us < 1000 ? String.format(Locale.ROOT, "%.2f us", us)
                : String.format(Locale.ROOT, "%.2f ms", us / 1e3);
    }

    private static String fmt(Double v) {
        return v == null ? "-" : String.format(Locale.ROOT, "%.1f", v);
    }

    /** Writes the summary, the raw JMH JSON and the {@link Report} of it into the results folder. */
    private void write(String summary, Report.Machine machine) {
        try {
            jmhLog.close();
            Files.writeString(out.resolve("summary.txt"), summary);
            Path jmhJson = out.resolve("jmh.json");
            try (PrintStream json = new PrintStream(Files.newOutputStream(jmhJson), true, "UTF-8")) {
                ResultFormatFactory.getInstance(ResultFormatType.JSON, json).writeOut(results);
            }
            Report.fromJmhJson(jmhJson, missing, machine).write(out);
            System.out.println("Results written to " + out.toAbsolutePath());
            System.out.println("Report: " + out.resolve(Report.MARKDOWN).toAbsolutePath());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
