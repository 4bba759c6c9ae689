package dev.lanewise.benchmarks;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.List;
import org.junit.jupiter.api.Test;

/** {@link Isa}: the {@code --isa} values, the JVM arguments of each configuration, and how a JVM's ISA is named. */
class IsaTest {

    @Test
    void optionValuesNameTheConfigurations() {
        assertEquals(List.of(Isa.NATIVE), Isa.parse("native"));
        assertEquals(List.of(Isa.AVX2), Isa.parse("avx2"));
        assertEquals(List.of(Isa.NATIVE, Isa.AVX2), Isa.parse("both"));
        assertThrows(IllegalArgumentException.class, () -> Isa.parse("avx512"));
    }

    @Test
    void avx2LimitsTheJvmAndTellsTheBenchmarks() {
        assertEquals(List.of(), Isa.NATIVE.jvmArgs());
        assertEquals(List.of("-XX:UseAVX=2", "-Dlanewise.bench.isa=avx2"), Isa.AVX2.jvmArgs());
        // This JVM (the test's) was given neither: it is native.
        assertEquals(Isa.NATIVE, Isa.ofThisJvm());
    }

    @Test
    void avx2IsNativeWithoutAvx512() {
        assertEquals(Isa.cpuHasAvx512() ? Isa.AVX2 : Isa.NATIVE, Isa.AVX2.forThisCpu());
        assertEquals(Isa.NATIVE, Isa.NATIVE.forThisCpu());
    }

    @Test
    void descriptionNamesInstructionSetWidthAndRegisters() {
        assertEquals("AVX-512 (512-bit vectors, 32 registers)", Isa.describe(3, false, 512));
        assertEquals("AVX2 (-XX:UseAVX=2: 256-bit vectors, 16 registers)", Isa.describe(2, true, 256));
        // An AVX2 CPU, or a JVM that chose AVX2 itself.
        assertEquals("AVX2 (256-bit vectors, 16 registers)", Isa.describe(2, false, 256));
        // AVX-512's 32 registers stay where a narrower species is preferred.
        assertEquals("AVX-512 (-XX:UseAVX=3: 256-bit vectors, 32 registers)", Isa.describe(3, true, 256));
    }
}
