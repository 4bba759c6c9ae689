package dev.lanewise.properties;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.lanewise.kernels.Lanewise;
import dev.lanewise.kernels.internal.Providers;
import org.junit.jupiter.api.Test;

/**
 * The implementation chosen at start-up is the one this test run was configured for (the build
 * runs the suite with the vector module at every width, with the AVX2 code generation on x86, and
 * once without the module), and the one log line says which and why.
 */
class ProviderSelectionTest {

    private static final String EXPECTED = System.getProperty("lanewise.test.expectedProvider", "vector");

    @Test
    void theExpectedProviderIsChosen() {
        if (EXPECTED.equals("scalar")) {
            assertSame(Providers.scalar(), Providers.current(), Providers.selection());
            assertEquals(1, Providers.current().floatLanes());
        } else {
            assertNotSame(Providers.scalar(), Providers.current(), Providers.selection());
            String bits = System.getProperty("lanewise.vectorBits");
            if (bits != null) {
                assertEquals(Integer.parseInt(bits) / Float.SIZE, Providers.current().floatLanes());
            }
            String gemm = System.getProperty("lanewise.test.expectedGemm");
            if (gemm != null) {
                assertEquals(gemm, Providers.current().gemm().kernel().name(), Providers.selection());
            }
            String direct = System.getProperty("lanewise.test.expectedDirectConv");
            if (direct != null) {
                assertEquals(direct, Providers.current().directConvChoices().get(0).name(), Providers.selection());
            }
        }
        assertTrue(Lanewise.implementation().startsWith(Providers.current().name()), Lanewise.implementation());
    }

    @Test
    void theLogLineSaysWhichAndWhy() {
        String line = Providers.selection();
        assertTrue(line.startsWith("lanewise: using the "), line);
        if (EXPECTED.equals("scalar")) {
            assertTrue(line.contains("jdk.incubator.vector is not loaded")
                    && line.contains("--add-modules jdk.incubator.vector"), line);
        } else {
            assertTrue(line.contains(Providers.current().name()) && line.contains("GEMM"), line);
        }
    }
}
