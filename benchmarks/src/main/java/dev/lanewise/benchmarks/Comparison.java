package dev.lanewise.benchmarks;

import dev.lanewise.benchmarks.Report.Measurement;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.function.Function;
import org.apache.commons.math3.stat.inference.TTest;

/**
 * What got faster or slower between two suite runs, beyond noise: every configuration (benchmark,
 * workload, thread count, implementation) measured in both, its rate before and after, and a
 * verdict.
 *
 * <p>A change is <em>beyond noise</em> when both hold:
 * <ul>
 *   <li>Welch's two-sided t-test on the two runs' samples rejects "same mean time" at significance
 *       {@value #SIGNIFICANCE}. A run's samples are its forks' mean times where it has several forks
 *       (iterations within one JVM are not independent of each other: JIT decisions and memory
 *       layout hold for the whole fork), or else the iterations of its one fork;</li>
 *   <li>the rate changed by at least the threshold (default {@value #DEFAULT_THRESHOLD}, i.e. 5 %),
 *       so that a real but negligible difference is not reported.</li>
 * </ul>
 * A configuration with a single sample on either side (a {@code --smoke} run) is not judged. The
 * text says so where a run has one fork per configuration: its iterations show the noise within a
 * JVM, not between JVMs, which on a shared machine can be larger; publishable comparisons use
 * {@code --full} runs.
 *
 * <p>Immutable.
 */
final class Comparison {

    static final double DEFAULT_THRESHOLD = 0.05;
    static final double SIGNIFICANCE = 0.01;

    enum Verdict { FASTER, SLOWER, WITHIN_NOISE, NOT_JUDGED }

    /**
     * One configuration measured in both runs.
     *
     * @param ratio   the rate after over the rate before (above 1: faster)
     * @param pValue  Welch's t-test's p-value; NaN where not judged
     */
    record Change(Measurement before, Measurement after, double ratio, double pValue, Verdict verdict) { }

    private final String beforeName;
    private final String afterName;
    private final Report before;
    private final Report after;
    private final double threshold;
    private final List<Change> changes = new ArrayList<>();
    private final List<String> onlyBefore;
    private final List<String> onlyAfter;

    /**
     * Compares the run {@code before} (called {@code beforeName} in the text) with {@code after}.
     *
     * @param threshold the smallest relative change of a rate reported, e.g. 0.05
     */
    Comparison(String beforeName, Report before, String afterName, Report after, double threshold) {
        if (!(threshold >= 0)) {
            throw new IllegalArgumentException("threshold must be >= 0, got " + threshold);
        }
        this.beforeName = beforeName;
        this.afterName = afterName;
        this.before = before;
        this.after = after;
        this.threshold = threshold;
        Map<String, Measurement> beforeByKey = byKey(before);
        Map<String, Measurement> afterByKey = byKey(after);
        for (Measurement a : afterByKey.values()) {
            Measurement b = beforeByKey.get(a.key());
            if (b != null) {
                changes.add(change(b, a));
            }
        }
        onlyBefore = beforeByKey.keySet().stream().filter(k -> !afterByKey.containsKey(k)).toList();
        onlyAfter = afterByKey.keySet().stream().filter(k -> !beforeByKey.containsKey(k)).toList();
    }

    private static Map<String, Measurement> byKey(Report report) {
        Map<String, Measurement> byKey = new LinkedHashMap<>();
        report.measurements().forEach(m -> byKey.put(m.key(), m));
        return byKey;
    }

    private Change change(Measurement b, Measurement a) {
        double ratio = a.rate() / b.rate();
        double[] bs = b.samples();
        double[] as = a.samples();
        if (bs.length < 2 || as.length < 2) {
            return new Change(b, a, ratio, Double.NaN, Verdict.NOT_JUDGED);
        }
        double p = new TTest().tTest(bs, as);
        boolean beyondNoise = p < SIGNIFICANCE && Math.abs(ratio - 1) >= threshold;
        Verdict verdict = !beyondNoise ? Verdict.WITHIN_NOISE : ratio > 1 ? Verdict.FASTER : Verdict.SLOWER;
        return new Change(b, a, ratio, p, verdict);
    }

    List<Change> changes() {
        return changes;
    }

    /** The comparison as text (Markdown, readable in a terminal): the changes beyond noise, then the counts of the rest. */
    String text() {
        StringBuilder sb = new StringBuilder("# lanewise performance comparison\n\n")
                .append("before: ").append(beforeName).append('\n')
                .append("after:  ").append(afterName).append("\n\n");
        appendMachineDifferences(sb);
        sb.append(String.format(Locale.ROOT, "Beyond noise: Welch's t-test at %.0f %% significance on the samples (fork"
                + " means, or the iterations of a single fork) and a rate changed by at least %.0f %%.%n",
                100 * SIGNIFICANCE, 100 * threshold));
        if (singleFork(before) || singleFork(after)) {
            sb.append("Caution: a run here measured one fork per configuration; its samples show the noise within a JVM,\n"
                    + "not between JVMs, which can be larger. Compare --full runs before trusting a change.\n");
        }
        appendChanges(sb, "Faster beyond noise", Verdict.FASTER, Comparator.comparingDouble(c -> -c.ratio()));
        appendChanges(sb, "Slower beyond noise", Verdict.SLOWER, Comparator.comparingDouble(Change::ratio));
        sb.append(String.format(Locale.ROOT, "%nWithin noise: %d configurations.%n", count(Verdict.WITHIN_NOISE)));
        long notJudged = count(Verdict.NOT_JUDGED);
        if (notJudged > 0) {
            sb.append(String.format(Locale.ROOT, "Not judged (a single sample on one side): %d configurations.%n",
                    notJudged));
        }
        appendOnly(sb, beforeName, onlyBefore);
        appendOnly(sb, afterName, onlyAfter);
        return sb.toString();
    }

    private static boolean singleFork(Report report) {
        return report.measurements().stream().anyMatch(m -> m.forks() == 1);
    }

    private long count(Verdict verdict) {
        return changes.stream().filter(c -> c.verdict() == verdict).count();
    }

    /**
     * The machine's fields that differ between the runs, which may explain a change as well as the code
     * can: another CPU, JDK or ISA configuration, other kernels in a peer.
     */
    private void appendMachineDifferences(StringBuilder sb) {
        Report.Machine b = before.machine();
        Report.Machine a = after.machine();
        Map<String, Function<Report.Machine, Object>> fields = new LinkedHashMap<>();
        fields.put("CPU", Report.Machine::cpu);
        fields.put("cores", Report.Machine::cores);
        fields.put("JDK", Report.Machine::jdk);
        fields.put("ISA configuration", Report.Machine::isa);
        fields.put("lanewise", Report.Machine::lanewise);
        fields.put("OpenBLAS", Report.Machine::openBlas);
        fields.put("ONNX Runtime", Report.Machine::onnxRuntime);
        boolean any = false;
        for (var field : fields.entrySet()) {
            Object was = field.getValue().apply(b);
            Object is = field.getValue().apply(a);
            if (!Objects.equals(was, is)) {
                if (!any) {
                    sb.append("The runs differ in more than the code:\n");
                    any = true;
                }
                sb.append("- ").append(field.getKey()).append(": before ").append(was).append(", after ").append(is)
                        .append('\n');
            }
        }
        if (any) {
            sb.append('\n');
        }
    }

    private void appendChanges(StringBuilder sb, String title, Verdict verdict, Comparator<Change> order) {
        List<Change> selected = changes.stream().filter(c -> c.verdict() == verdict).sorted(order).toList();
        sb.append(String.format(Locale.ROOT, "%n## %s: %d%n", title, selected.size()));
        if (selected.isEmpty()) {
            return;
        }
        TextTable table = new TextTable(List.of("benchmark", "workload", "impl", "threads", "before", "after", "unit",
                "change", "p"), 3);
        for (Change c : selected) {
            Measurement a = c.after();
            table.row(List.of(a.benchmark(), a.workload(), a.impl(), Integer.toString(a.threads()),
                    String.format(Locale.ROOT, "%.1f", c.before().rate()), String.format(Locale.ROOT, "%.1f", a.rate()),
                    a.unit(), String.format(Locale.ROOT, "%+.1f%%", 100 * (c.ratio() - 1)),
                    String.format(Locale.ROOT, "%.1g", c.pValue())));
        }
        sb.append('\n').append(table.render());
    }

    private static void appendOnly(StringBuilder sb, String run, List<String> keys) {
        if (!keys.isEmpty()) {
            sb.append(String.format(Locale.ROOT, "Only in %s (%d): %s%n", run, keys.size(), String.join(", ", keys)));
        }
    }
}
