package dev.lanewise.benchmarks;

import dev.lanewise.benchmarks.Report.Family;
import dev.lanewise.benchmarks.Report.Measurement;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * The two ISA configurations of an {@code --isa both} run side by side, from the reports of its
 * {@code native} and {@code avx2} results folders: each configuration's ISA, peer kernels and peak,
 * then per {@link Family} a row per workload and thread count with, in each configuration,
 * lanewise's rate (marked as in the {@link Report}) and its ratio to the best peer of that
 * configuration, and lanewise's AVX2 rate over its native one; then, where the sequence ran, each
 * shape's second pass over its standalone figure in each configuration.
 *
 * <p>Immutable.
 */
final class IsaSummary {

    private final Report nativeRun;
    private final Report avx2Run;

    IsaSummary(Report nativeRun, Report avx2Run) {
        this.nativeRun = nativeRun;
        this.avx2Run = avx2Run;
    }

    /** The combined report: a title, links to the two configurations' reports, and the {@link #text}. */
    String markdown() {
        return "# lanewise performance report: native and AVX2\n\n"
                + "The reports of the two configurations: [native](native/" + Report.MARKDOWN + "), [avx2](avx2/"
                + Report.MARKDOWN + ").\n\n## Side by side\n\n" + text();
    }

    /** The side-by-side summary, which the suite prints and writes to {@code summary.txt}. */
    String text() {
        StringBuilder sb = new StringBuilder("Configurations:\n");
        appendConfiguration(sb, Isa.NATIVE, nativeRun);
        appendConfiguration(sb, Isa.AVX2, avx2Run);
        sb.append("""

                "lanewise": its rate in the configuration, marked as in that configuration's report; "vs best
                peer": its ratio to the fastest peer of the same configuration, named; "avx2 / native":
                lanewise's AVX2 rate over its native one.
                """);
        for (Family family : Family.values()) {
            TextTable table = table(family);
            if (!table.isEmpty()) {
                sb.append("\n### ").append(family.title).append(", ")
                        .append(family.memoryBound() ? "GB/s" : "GFLOP/s").append("\n\n").append(table.render());
            }
        }
        if (nativeRun.sequence() != null || avx2Run.sequence() != null) {
            appendSequence(sb);
        }
        return sb.toString();
    }

    private static void appendConfiguration(StringBuilder sb, Isa isa, Report run) {
        Report.Machine m = run.machine();
        sb.append(String.format(Locale.ROOT, "- %s: %s; FP32 peak, one core, %s GFLOP/s; OpenBLAS %s; %s%n", isa.label(),
                run.isa(), Report.format(run.peak()), m.openBlas() != null ? m.openBlas() : "MISSING",
                m.onnxRuntime() != null ? m.onnxRuntime() : "ONNX Runtime MISSING"));
    }

    private TextTable table(Family family) {
        List<String> header = new ArrayList<>(List.of(Work.workloadParam(family.benchmark), family.descriptionHeader,
                "threads"));
        for (Isa isa : Isa.values()) {
            header.addAll(List.of(isa.label() + " lanewise", isa.label() + " vs best peer"));
        }
        header.add("avx2 / native");
        TextTable table = new TextTable(header, 2);
        Map<String, Map<String, Measurement>> nativeRows = nativeRun.rows(family);
        Map<String, Map<String, Measurement>> avx2Rows = avx2Run.rows(family);
        Set<String> keys = new LinkedHashSet<>(nativeRows.keySet());
        keys.addAll(avx2Rows.keySet());
        for (String key : keys) {
            Map<String, Measurement> nativeRow = nativeRows.getOrDefault(key, Map.of());
            Map<String, Measurement> avx2Row = avx2Rows.getOrDefault(key, Map.of());
            Measurement first = (nativeRow.isEmpty() ? avx2Row : nativeRow).values().iterator().next();
            List<String> cells = new ArrayList<>(List.of(first.workload(), family.description.apply(first.workload()),
                    Integer.toString(first.threads())));
            for (Map<String, Measurement> row : List.of(nativeRow, avx2Row)) {
                Measurement lanewise = row.get("lanewise");
                cells.add(lanewise != null ? Report.figure(lanewise) : "-");
                cells.add(Report.bestPeer(family, row).filter(p -> lanewise != null)
                        .map(p -> Report.ratio(lanewise.rate(), Report.rate(row, p)) + " (" + p + ")").orElse("-"));
            }
            cells.add(Report.ratio(Report.rate(avx2Row, "lanewise"), Report.rate(nativeRow, "lanewise")));
            table.row(cells);
        }
        return table;
    }

    /** Each sequence shape's second pass over its standalone figure, in each configuration. */
    private void appendSequence(StringBuilder sb) {
        sb.append(String.format(Locale.ROOT, "%n### Sequence: second pass over standalone, one thread%n%n"));
        TextTable table = new TextTable(List.of("shape", "m x n x k", "native", "avx2"), 2);
        for (String shape : SequenceBenchmark.SHAPES) {
            List<String> cells = new ArrayList<>(List.of(shape, GemmShape.named(shape).description()));
            for (Report run : List.of(nativeRun, avx2Run)) {
                cells.add(Report.sequenceCell(run.sequenceRatio(shape)));
            }
            table.row(cells);
        }
        sb.append(table.render());
    }
}
