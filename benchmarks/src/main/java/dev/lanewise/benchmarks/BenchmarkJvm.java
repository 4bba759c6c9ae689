package dev.lanewise.benchmarks;

import java.io.IOException;
import java.io.InputStream;
import java.io.PrintStream;
import java.lang.management.ManagementFactory;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.openjdk.jmh.annotations.Fork;

/**
 * The JVMs the suite measures in: JMH's forks of the benchmarks, and the two programs the suite
 * starts itself in a JVM of their own, {@link MachineProbe} and {@link SequenceBenchmark}.
 *
 * <p>JMH starts a fork with this JVM's {@code java}, class path and JVM arguments, then the
 * benchmark's {@code @Fork(jvmArgsAppend)}, which the suite replaces by {@link #appendedArgs}: those
 * same arguments followed by the {@link Isa} configuration's. {@link #run} starts a program the same
 * way, with {@link GemmBenchmark}'s arguments, so that it sees what the GEMM forks see.
 */
final class BenchmarkJvm {

    private BenchmarkJvm() {
    }

    /**
     * The JVM arguments appended for a fork of {@code benchmark} (a benchmark class) in configuration
     * {@code isa}: its {@code @Fork(jvmArgsAppend)}, then {@link Isa#jvmArgs}.
     */
    static List<String> appendedArgs(Class<?> benchmark, Isa isa) {
        Fork fork = benchmark.getAnnotation(Fork.class);
        List<String> args = new ArrayList<>(fork == null ? List.of() : List.of(fork.jvmArgsAppend()));
        args.addAll(isa.jvmArgs());
        return args;
    }

    /**
     * Runs {@code main}'s {@code main(args)} in a JVM started as a {@link GemmBenchmark} fork of
     * configuration {@code isa}, its console output (standard output and error) copied to {@code log},
     * and waits for it.
     *
     * @throws IllegalStateException where it exits with another status than 0
     */
    static void run(Isa isa, PrintStream log, Class<?> main, String... args) throws IOException {
        List<String> command = new ArrayList<>();
        command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        command.addAll(ManagementFactory.getRuntimeMXBean().getInputArguments());
        command.addAll(appendedArgs(GemmBenchmark.class, isa));
        command.addAll(List.of("-cp", System.getProperty("java.class.path"), main.getName()));
        command.addAll(List.of(args));
        log.println("==== " + String.join(" ", command));
        Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
        try (InputStream output = process.getInputStream()) {
            output.transferTo(log);
        }
        int status;
        try {
            status = process.waitFor();
        } catch (InterruptedException e) {
            process.destroy();
            Thread.currentThread().interrupt();
            throw new IllegalStateException(main.getSimpleName() + " interrupted", e);
        }
        if (status != 0) {
            throw new IllegalStateException(main.getSimpleName() + " exited with status " + status
                    + " (its output is in the log)");
        }
    }
}
