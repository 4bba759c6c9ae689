package dev.lanewise.properties;

import dev.lanewise.kernels.internal.GemmConfig;
import dev.lanewise.kernels.internal.Providers;
import dev.lanewise.kernels.internal.WorkerPool;
import java.util.List;
import java.util.stream.Stream;

/** The kernel variants of the running providers, looked up by name, and shared worker pools. */
final class Variants {

    static final WorkerPool POOL_1 = new WorkerPool(1);
    static final WorkerPool POOL_2 = new WorkerPool(2);
    static final WorkerPool POOL_3 = new WorkerPool(3);
    static final WorkerPool POOL_4 = new WorkerPool(4);

    private Variants() {
    }

    /** Every GEMM configuration of every available provider. */
    static List<GemmConfig> allGemm() {
        return Providers.available().stream().flatMap(p -> p.gemmVariants().stream()).toList();
    }

    /** The GEMM variant called {@code name}, or {@code null} if no available provider has it. */
    static GemmConfig gemm(String name) {
        return allGemm().stream().filter(c -> c.kernel().name().equals(name)).findFirst().orElse(null);
    }

    /** Float lanes of the current provider's vectors (1 for the scalar provider). */
    static int lanes() {
        return Providers.current().floatLanes();
    }

    static Stream<WorkerPool> pools() {
        return Stream.of(POOL_1, POOL_2, POOL_3, POOL_4);
    }
}
