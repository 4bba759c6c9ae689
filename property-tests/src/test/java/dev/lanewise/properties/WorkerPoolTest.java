package dev.lanewise.properties;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.lanewise.kernels.internal.WorkerPool;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicIntegerArray;
import org.junit.jupiter.api.Test;

/**
 * {@link WorkerPool}: every chunk runs exactly once, whatever the timing of the workers; no call can
 * hang; failures reach the caller; closed pools stop their threads.
 */
class WorkerPoolTest {

    private static final Duration NO_HANG = Duration.ofSeconds(60);

    /** A task run on a pool that has just been created: its workers may not have started yet. */
    @Test
    void freshPoolsRunEveryChunkOnce() {
        assertTimeoutPreemptively(NO_HANG, () -> {
            for (int round = 0; round < 2_000; round++) {
                int threads = 2 + round % 3;
                try (WorkerPool pool = new WorkerPool(threads)) {
                    runAndCheck(pool, 1 + round % (2 * threads + 1));
                    runAndCheck(pool, 2 * threads);
                }
            }
        });
    }

    @Test
    void closedPoolsStopTheirThreads() throws InterruptedException {
        for (int i = 0; i < 200; i++) {
            new WorkerPool(3).close();
        }
        long deadline = System.nanoTime() + 10_000_000_000L;
        while (liveWorkers() > 16 && System.nanoTime() < deadline) {
            Thread.sleep(10);
        }
        // The shared pool and the test's own pools may hold a few live workers; 400 closed ones may not.
        assertTrue(liveWorkers() <= 16, liveWorkers() + " lanewise workers still alive");
        try (WorkerPool closed = new WorkerPool(2)) {
            closed.close();
            runAndCheck(closed, 5); // a closed pool still runs tasks, on the caller
        }
    }

    @Test
    void aFailingChunkReachesTheCallerAfterTheOthersFinish() {
        assertTimeoutPreemptively(NO_HANG, () -> {
            try (WorkerPool pool = new WorkerPool(3)) {
                AtomicIntegerArray runs = new AtomicIntegerArray(12);
                IllegalStateException failure = new IllegalStateException("chunk 7");
                IllegalStateException thrown = assertThrows(IllegalStateException.class, () -> pool.run(chunk -> {
                    runs.incrementAndGet(chunk);
                    if (chunk == 7) {
                        throw failure;
                    }
                }, 12));
                assertSame(failure, thrown);
                for (int c = 0; c < 12; c++) {
                    assertEquals(1, runs.get(c), "chunk " + c);
                }
                runAndCheck(pool, 6); // the pool still works afterwards
            }
        });
    }

    @Test
    void callsFromInsideATaskRunInline() {
        assertTimeoutPreemptively(NO_HANG, () -> {
            try (WorkerPool pool = new WorkerPool(2)) {
                // Repeated so that both the caller and the worker run outer chunks many times.
                for (int round = 0; round < 500; round++) {
                    AtomicIntegerArray inner = new AtomicIntegerArray(4 * 3);
                    pool.run(outer -> pool.run(i -> inner.incrementAndGet(outer * 3 + i), 3), 4);
                    for (int i = 0; i < inner.length(); i++) {
                        assertEquals(1, inner.get(i));
                    }
                }
            }
        });
    }

    @Test
    void concurrentCallersShareABusyPool() {
        assertTimeoutPreemptively(NO_HANG, () -> {
            try (WorkerPool pool = new WorkerPool(2)) {
                CountDownLatch start = new CountDownLatch(1);
                List<Thread> callers = new ArrayList<>();
                List<Throwable> failures = java.util.Collections.synchronizedList(new ArrayList<>());
                for (int t = 0; t < 6; t++) {
                    Thread caller = new Thread(() -> {
                        try {
                            start.await();
                            for (int i = 0; i < 300; i++) {
                                runAndCheck(pool, 1 + i % 7);
                            }
                        } catch (Throwable e) {
                            failures.add(e);
                        }
                    });
                    caller.start();
                    callers.add(caller);
                }
                start.countDown();
                for (Thread caller : callers) {
                    caller.join();
                }
                assertEquals(List.of(), failures);
            }
        });
    }

    private static void runAndCheck(WorkerPool pool, int chunks) {
        AtomicIntegerArray runs = new AtomicIntegerArray(chunks);
        pool.run(runs::incrementAndGet, chunks);
        for (int c = 0; c < chunks; c++) {
            assertEquals(1, runs.get(c), "chunk " + c + " of " + chunks);
        }
    }

    private static long liveWorkers() {
        return Thread.getAllStackTraces().keySet().stream()
                .filter(t -> t.getName().startsWith("lanewise-worker-") && t.isAlive()).count();
    }
}
