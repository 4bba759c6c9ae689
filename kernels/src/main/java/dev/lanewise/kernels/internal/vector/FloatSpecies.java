package dev.lanewise.kernels.internal.vector;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorSpecies;

/**
 * The one float species every vector kernel uses, fixed at class initialisation so that C2 sees a
 * constant (a species that is not a compile-time constant costs an order of magnitude).
 *
 * <p>It is {@link FloatVector#SPECIES_PREFERRED} unless the system property
 * {@code lanewise.vectorBits} (128, 256 or 512) asks for a narrower one, which the test suite uses
 * to run every kernel at every width the CPU supports.
 */
final class FloatSpecies {

    static final VectorSpecies<Float> FLOAT = select(System.getProperty("lanewise.vectorBits"));

    private FloatSpecies() {
    }

    private static VectorSpecies<Float> select(String bits) {
        VectorSpecies<Float> preferred = FloatVector.SPECIES_PREFERRED;
        if (bits == null || bits.isBlank()) {
            return preferred;
        }
        VectorSpecies<Float> forced = switch (bits.trim()) {
            case "128" -> FloatVector.SPECIES_128;
            case "256" -> FloatVector.SPECIES_256;
            case "512" -> FloatVector.SPECIES_512;
            default -> throw new IllegalArgumentException(
                    "lanewise.vectorBits = " + bits + " must be 128, 256 or 512");
        };
        if (forced.vectorBitSize() > preferred.vectorBitSize()) {
            throw new IllegalArgumentException("lanewise.vectorBits = " + bits
                    + " is wider than this CPU's " + preferred.vectorBitSize() + "-bit vectors");
        }
        return forced;
    }
}
