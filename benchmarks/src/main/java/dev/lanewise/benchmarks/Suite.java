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
import org.openjdk.jmh.results.RunResult;
import org.openjdk.jmh.results.format.ResultFormatFactory;
import org.openjdk.jmh.results.format.ResultFormatType;
import org.openjdk.jmh.runner.Runner;
import org.openjdk.jmh.runner.RunnerException;
import org.openjdk.jmh.runner.options.ChainedOptionsBuilder;
import org.openjdk.jmh.runner.options.OptionsBuilder;
import org.openjdk.jmh.runner.options.TimeValue;
import org.openjdk.jmh.runner.options.VerboseMode;

/**
 * The performance suite: measures this machine's FP32 peak, then every GEMM shape with lanewise and
 * its peers, one JMH configuration at a time with a progress line each, and prints the comparison.
 *
 * <p>Usage: {@code java --add-modules jdk.incubator.vector --enable-native-access=ALL-UNNAMED
 * -cp benchmarks.jar dev.lanewise.benchmarks.Suite [--quick | --full] [--out DIR]}
 * <ul>
 *   <li>{@code --quick} (default): one fork, 2 x 0.5 s warm-up and 3 x 0.5 s measurement per
 *       configuration; a few minutes in all. For a first look, not for publishing.</li>
 *   <li>{@code --full}: three forks, 3 x 1 s warm-up, 5 x 1 s measurement; for numbers to publish.</li>
 *   <li>{@code --out DIR}: results folder (default {@code results/<timestamp>}), which receives
 *       the raw JMH JSON ({@code jmh.json}) and the printed summary ({@code summary.txt}).</li>
 * </ul>
 */
public final class Suite {

    /** The single-threaded GEMM comparison runs every shape; EJML and the reference only where they finish. */
    private static final List<String> EJML_SHAPES = List.of("sq64", "sq256", "sq1024", "r50_3x3_56", "odd207");
    private static final List<String> REF_SHAPES = List.of("sq64", "odd7", "odd207");

    private final boolean full;
    private final Path out;
    private final List<RunResult> results = new ArrayList<>();

    private Suite(boolean full, Path out) {
        this.full = full;
        this.out = out;
    }

    public static void main(String[] args) throws RunnerException {
        boolean full = false;
        Path out = Path.of("results", LocalDateTime.now().format(DateTimeFormatter.ofPattern("yyyyMMdd-HHmmss")));
        for (int i = 0; i < args.length; i++) {
            switch (args[i]) {
                case "--quick" -> full = false;
                case "--full" -> full = true;
                case "--out" -> out = Path.of(args[++i]);
                default -> throw new IllegalArgumentException("unknown option " + args[i] + "; use --quick, --full, --out DIR");
            }
        }
        new Suite(full, out).run();
    }

    private void run() throws RunnerException {
        List<Config> plan = plan();
        System.out.printf(Locale.ROOT, "lanewise performance suite (%s): %d configurations; lanewise uses %s; OpenBLAS kernels: %s%n",
                full ? "full" : "quick", plan.size(), Lanewise.implementation(), OpenBlas.load());
        Map<Config, Double> micros = new LinkedHashMap<>();
        for (int i = 0; i < plan.size(); i++) {
            Config c = plan.get(i);
            System.out.printf(Locale.ROOT, "[%d/%d] %s %s ... ", i + 1, plan.size(), c.benchmark(), c.params());
            System.out.flush();
            RunResult r = runOne(c);
            results.add(r);
            double us = r.getPrimaryResult().getScore();
            micros.put(c, us);
            System.out.printf(Locale.ROOT, "%.1f us, %.1f GFLOP/s%n", us, c.flops() / us / 1e3);
        }
        String summary = summary(micros);
        System.out.println();
        System.out.print(summary);
        write(summary);
    }

    /** One JMH configuration: benchmark class, parameters, floating-point work per call. */
    private record Config(String benchmark, Map<String, String> params, double flops) {
    }

    private List<Config> plan() {
        List<Config> plan = new ArrayList<>();
        plan.add(new Config("PeakBenchmark", Map.of(), PeakBenchmark.FLOPS));
        for (int threads : new int[] {1, 2}) {
            for (GemmShape s : GemmShape.all().values()) {
                List<String> impls = new ArrayList<>(List.of("lanewise", "openblas"));
                if (threads == 1 && EJML_SHAPES.contains(s.name())) {
                    impls.add("ejml");
                }
                if (threads == 1 && REF_SHAPES.contains(s.name())) {
                    impls.add("ref");
                }
                for (String impl : impls) {
                    Map<String, String> params = new LinkedHashMap<>();
                    params.put("impl", impl);
                    params.put("shape", s.name());
                    params.put("threads", Integer.toString(threads));
                    plan.add(new Config("GemmBenchmark", params, s.flops()));
                }
            }
        }
        return plan;
    }

    private RunResult runOne(Config c) throws RunnerException {
        ChainedOptionsBuilder options = new OptionsBuilder()
                .include("dev\\.lanewise\\.benchmarks\\." + c.benchmark() + "\\.")
                .verbosity(VerboseMode.SILENT)
                .shouldFailOnError(true);
        c.params().forEach(options::param);
        if (!full) {
            options.forks(1)
                    .warmupIterations(2).warmupTime(TimeValue.milliseconds(500))
                    .measurementIterations(3).measurementTime(TimeValue.milliseconds(500));
        }
        var run = new Runner(options.build()).run();
        if (run.size() != 1) {
            throw new IllegalStateException(c + " produced " + run.size() + " results");
        }
        return run.iterator().next();
    }

    private String summary(Map<Config, Double> micros) {
        double peak = 0;
        Map<String, Double> gflops = new LinkedHashMap<>();
        for (var e : micros.entrySet()) {
            double g = e.getKey().flops() / e.getValue() / 1e3;
            if (e.getKey().benchmark().equals("PeakBenchmark")) {
                peak = g;
            } else {
                Map<String, String> p = e.getKey().params();
                gflops.put(p.get("shape") + "/" + p.get("threads") + "/" + p.get("impl"), g);
            }
        }
        StringBuilder sb = new StringBuilder();
        sb.append(String.format(Locale.ROOT, "FP32 peak, one core (%d FMA chains): %.1f GFLOP/s%n%n", PeakBenchmark.CHAINS, peak));
        for (int threads : new int[] {1, 2}) {
            sb.append(String.format(Locale.ROOT, "SGEMM, %d thread%s, GFLOP/s%n", threads, threads == 1 ? "" : "s"));
            sb.append(String.format(Locale.ROOT, "%-11s %5s %6s %5s %9s %9s %7s %7s %12s %8s%s%n", "shape", "m", "n", "k",
                    "lanewise", "openblas", "ejml", "ref", "vs openblas", "of peak", threads == 2 ? "  vs 1 thread" : ""));
            for (GemmShape s : GemmShape.all().values()) {
                String key = s.name() + "/" + threads + "/";
                Double lw = gflops.get(key + "lanewise");
                Double ob = gflops.get(key + "openblas");
                Double lw1 = gflops.get(s.name() + "/1/lanewise");
                sb.append(String.format(Locale.ROOT, "%-11s %5d %6d %5d %9s %9s %7s %7s %12s %8s%s%n",
                        s.name(), s.m(), s.n(), s.k(), fmt(lw), fmt(ob), fmt(gflops.get(key + "ejml")), fmt(gflops.get(key + "ref")),
                        lw != null && ob != null ? String.format(Locale.ROOT, "%.2fx", lw / ob) : "-",
                        lw != null && peak > 0 ? String.format(Locale.ROOT, "%.0f%%", 100 * lw / (peak * threads)) : "-",
                        threads == 2 && lw != null && lw1 != null ? String.format(Locale.ROOT, "  %.2fx", lw / lw1) : ""));
            }
            sb.append('\n');
        }
        return sb.toString();
    }

    private static String fmt(Double v) {
        return v == null ? "-" : String.format(Locale.ROOT, "%.1f", v);
    }

    private void write(String summary) {
        try {
            Files.createDirectories(out);
            Files.writeString(out.resolve("summary.txt"), summary);
            try (PrintStream json = new PrintStream(Files.newOutputStream(out.resolve("jmh.json")), true, "UTF-8")) {
                ResultFormatFactory.getInstance(ResultFormatType.JSON, json).writeOut(results);
            }
            System.out.println("Results written to " + out.toAbsolutePath());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
