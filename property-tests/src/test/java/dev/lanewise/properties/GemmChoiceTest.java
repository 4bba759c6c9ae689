package dev.lanewise.properties;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.lanewise.kernels.internal.GemmConfig;
import dev.lanewise.kernels.internal.KernelProvider;
import dev.lanewise.kernels.internal.Providers;
import org.junit.jupiter.api.Test;

/** {@link KernelProvider#gemmFor}: the configuration with the least tile waste (column tails counted), sharing the default's KC. */
class GemmChoiceTest {

    private final KernelProvider provider = Providers.current();

    @Test
    void choicesShareTheDefaultsKBlocks() {
        assertEquals(provider.gemm(), provider.gemmChoices().get(0));
        for (GemmConfig c : provider.gemmChoices()) {
            assertEquals(provider.gemm().kc(), c.kc(), c.toString());
        }
    }

    /** The chosen tiles cover the result with no more elements than any other choice; ties keep the default. */
    @Test
    void choosesTheLeastWastefulTiles() {
        for (int m : new int[] {1, 7, 16, 64, 100, 512}) {
            for (int n : new int[] {1, 49, 64, 196, 3136}) {
                GemmConfig chosen = provider.gemmFor(m, n);
                for (GemmConfig c : provider.gemmChoices()) {
                    assertTrue(area(chosen, m, n) <= area(c, m, n), m + "x" + n + ": chose " + chosen + " over " + c);
                }
                if (area(provider.gemm(), m, n) == area(chosen, m, n)) {
                    assertEquals(provider.gemm(), chosen, m + "x" + n + ": a tie keeps the default");
                }
            }
        }
    }

    /** On AVX-512 the 64-row GEMM of ResNet's 56x56 3x3 layer takes 8-row tiles; the 7x7 layer's keeps 12x2v. */
    @Test
    void resNetShapesOnTheDefaultVectorWidth() {
        if (!provider.gemm().kernel().name().equals("12x2v") || provider.floatLanes() != 16) {
            return;
        }
        assertEquals("8x3v", provider.gemmFor(64, 3136).kernel().name());
        assertEquals("12x2v", provider.gemmFor(512, 49).kernel().name());
    }

    /** Rows rounded up to MR, times the full panels' columns plus the width of the column tail taking the rest. */
    private static long area(GemmConfig c, int m, int n) {
        long mr = c.kernel().mr();
        int nr = c.kernel().nr();
        long lastPanel = n % nr == 0 ? 0 : c.kernel().forColumns(n % nr).nr();
        return (m + mr - 1) / mr * mr * (n / nr * nr + lastPanel);
    }
}
