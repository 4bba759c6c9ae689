package dev.lanewise.kernels.internal;

import dev.lanewise.kernels.Scratch;

/** {@link Scratch}'s implementation: one {@link Workspace} per thread index. */
public final class ScratchSlots extends Workspaces implements Scratch {

    private final Workspace[] slots;

    /** Scratch of {@code threads} empty slots; {@code threads >= 1} (the facade checks it). */
    public ScratchSlots(int threads) {
        slots = new Workspace[threads];
        for (int t = 0; t < threads; t++) {
            slots[t] = new Workspace();
        }
    }

    @Override
    public Workspace forThread(int thread) {
        return slots[thread];
    }

    @Override
    public int threads() {
        return slots.length;
    }

    @Override
    public long retainedBytes() {
        long bytes = 0;
        for (Workspace w : slots) {
            bytes += w.retainedBytes();
        }
        return bytes;
    }

    @Override
    public String toString() {
        return "Scratch[" + slots.length + " threads, " + retainedBytes() + " bytes]";
    }
}
