package dev.lanewise.benchmarks;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.Supplier;

/**
 * Describes the machine as a benchmark JVM sees it, from inside one: the {@link Report.Machine}
 * (its {@link Isa} configuration, lanewise's implementation, the OpenBLAS kernels and ONNX Runtime)
 * and the peers that cannot run there, with the reason. Only a JVM of the configuration can say this:
 * {@code -XX:UseAVX=2} changes lanewise's species and kernel, and OpenBLAS chooses its kernels once
 * per process. The suite runs it first in every configuration ({@link #inBenchmarkJvm}), and plans
 * without the missing peers.
 */
final class MachineProbe {

    private MachineProbe() {
    }

    /** Writes this JVM's description ({@link #describe}) as JSON to the file {@code args[0]}. */
    public static void main(String[] args) throws IOException {
        Files.writeString(Path.of(args[0]), Report.GSON.toJson(describe()));
    }

    /** This JVM's machine and missing peers, loading the peers (which loads their native libraries). */
    static Report.MachineFile describe() {
        Map<String, String> missing = new TreeMap<>();
        String openBlas = load("openblas", OpenBlas::load, missing);
        String onnxRuntime = load("onnxruntime", OnnxRuntime::load, missing);
        return new Report.MachineFile(Report.Machine.current(openBlas, onnxRuntime), missing);
    }

    /**
     * {@link #describe} run in a JVM started as the benchmark forks of configuration {@code isa}
     * ({@link BenchmarkJvm#run}), its console output into {@code log}.
     */
    static Report.MachineFile inBenchmarkJvm(Isa isa, PrintStream log) throws IOException {
        Path file = Files.createTempFile("lanewise-machine", ".json");
        try {
            BenchmarkJvm.run(isa, log, MachineProbe.class, file.toString());
            return Report.GSON.fromJson(Files.readString(file), Report.MachineFile.class);
        } finally {
            Files.deleteIfExists(file);
        }
    }

    /**
     * Loads a native peer and describes it, or records it in {@code missing} and returns null: the
     * exception and its causes, since a failed static initialiser hides the reason in them.
     */
    private static String load(String peer, Supplier<String> load, Map<String, String> missing) {
        try {
            return load.get();
        } catch (RuntimeException | LinkageError e) {
            StringBuilder why = new StringBuilder(e.toString());
            for (Throwable cause = e.getCause(); cause != null; cause = cause.getCause()) {
                why.append(", caused by ").append(cause);
            }
            missing.put(peer, why.toString());
            return null;
        }
    }
}
