package dev.lanewise.properties;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import dev.lanewise.im2col.Col2im;
import dev.lanewise.im2col.ConvGeometry;
import dev.lanewise.im2col.Im2col;
import dev.lanewise.im2col.ref.RefIm2col;
import java.util.Arrays;
import java.util.SplittableRandom;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.Example;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.statistics.Statistics;

/**
 * {@link Im2col} and {@link Col2im} bit-exactly against the naive {@link RefIm2col}: whole matrices
 * and arbitrary tiles, guard zones and the gaps between tile rows untouched; col2im is im2col's
 * adjoint; bad arguments are rejected before anything is written.
 */
class Im2colTest {

    private static final int GUARD_ELEMENTS = 23;

    @Provide
    Arbitrary<ConvGeometry> geometries() {
        Arbitrary<int[]> sizes = Combinators.combine(
                Arbitraries.integers().between(1, 4), Arbitraries.integers().between(1, 13),
                Arbitraries.integers().between(1, 13), Arbitraries.integers().between(1, 7),
                Arbitraries.integers().between(1, 7), Arbitraries.integers().between(1, 3),
                Arbitraries.integers().between(1, 3), Arbitraries.integers().between(1, 3))
                .as((c, h, w, kh, kw, sh, sw, dh) -> new int[] {c, h, w, kh, kw, sh, sw, dh});
        Arbitrary<int[]> pads = Combinators.combine(Arbitraries.integers().between(1, 3),
                        Arbitraries.integers().between(0, 3), Arbitraries.integers().between(0, 3),
                        Arbitraries.integers().between(0, 3), Arbitraries.integers().between(0, 3))
                .as((dw, pt, pl, pb, pr) -> new int[] {dw, pt, pl, pb, pr});
        return Combinators.combine(sizes, pads).as((s, p) -> {
            int height = Math.max(s[1], s[7] * (s[3] - 1) + 1 - p[1] - p[3]);
            int width = Math.max(s[2], p[0] * (s[4] - 1) + 1 - p[2] - p[4]);
            return new ConvGeometry(s[0], height, width, s[3], s[4], s[5], s[6], s[7], p[0], p[1], p[2], p[3], p[4]);
        });
    }

    @Property(tries = 400)
    void wholeMatrixMatchesReferenceBitForBit(@ForAll("geometries") ConvGeometry g, @ForAll long seed) {
        collectCoverage(g);
        SplittableRandom random = new SplittableRandom(seed);
        int imageOffset = random.nextInt(4);
        int columnsOffset = random.nextInt(4);
        float[] image = TestArrays.filled(imageOffset + g.imageSize(), random);
        int size = g.rows() * g.columns();
        float[] expected = new float[size];
        RefIm2col.im2col(g, image, imageOffset, expected, 0);
        float[] got = guarded(columnsOffset + size);
        Im2col.im2col(g, image, imageOffset, got, columnsOffset);
        for (int i = 0; i < got.length; i++) {
            int e = i - columnsOffset;
            float want = e >= 0 && e < size ? expected[e] : GemmChecker.GUARD;
            if (Float.floatToRawIntBits(got[i]) != Float.floatToRawIntBits(want)) {
                fail("element " + i + " = " + got[i] + ", expected " + want + " for " + g);
            }
        }
    }

    /** Any tile, written with a leading dimension wider than the tile: the gaps stay untouched. */
    @Property(tries = 400)
    void tilesMatchTheReferenceMatrixBitForBit(@ForAll("geometries") ConvGeometry g, @ForAll long seed) {
        SplittableRandom random = new SplittableRandom(seed);
        int row0 = random.nextInt(g.rows());
        int rows = 1 + random.nextInt(g.rows() - row0);
        int col0 = random.nextInt(g.columns());
        int cols = 1 + random.nextInt(g.columns() - col0);
        int ld = cols + random.nextInt(3);
        int dstOffset = random.nextInt(4);
        float[] image = TestArrays.filled(g.imageSize(), random);
        float[] full = new float[g.rows() * g.columns()];
        RefIm2col.im2col(g, image, 0, full, 0);
        float[] got = guarded(dstOffset + rows * ld);
        Im2col.im2col(g, image, 0, row0, rows, col0, cols, got, dstOffset, ld);
        for (int i = 0; i < got.length; i++) {
            int p = (i - dstOffset) / ld;
            int q = (i - dstOffset) % ld;
            boolean inTile = i >= dstOffset && p < rows && q < cols;
            float want = inTile ? full[(row0 + p) * g.columns() + col0 + q] : GemmChecker.GUARD;
            if (Float.floatToRawIntBits(got[i]) != Float.floatToRawIntBits(want)) {
                fail("element " + i + " = " + got[i] + ", expected " + want + " for tile (" + row0 + ", " + col0
                        + ") " + rows + "x" + cols + " ld " + ld + " of " + g);
            }
        }
        Statistics.label("tile").collect(cols < g.columns() && g.outputWidth() < g.columns() ? "crosses rows" : "other");
    }

    @Property(tries = 400)
    void col2imMatchesReferenceBitForBit(@ForAll("geometries") ConvGeometry g, @ForAll long seed) {
        SplittableRandom random = new SplittableRandom(seed);
        int imageOffset = random.nextInt(4);
        float[] columns = TestArrays.filled(g.rows() * g.columns(), random);
        float[] expected = new float[g.imageSize()];
        RefIm2col.col2im(g, columns, 0, expected, 0);
        float[] got = guarded(imageOffset + g.imageSize());
        Col2im.col2im(g, columns, 0, got, imageOffset);
        float[] want = guarded(imageOffset + g.imageSize());
        System.arraycopy(expected, 0, want, imageOffset, expected.length);
        assertArrayEquals(TestArrays.bits(want), TestArrays.bits(got), "col2im of " + g);
    }

    /** {@code <im2col(x), y> == <x, col2im(y)>}: col2im is the adjoint (transpose) of im2col. */
    @Property(tries = 200)
    void col2imIsTheAdjointOfIm2col(@ForAll("geometries") ConvGeometry g, @ForAll long seed) {
        SplittableRandom random = new SplittableRandom(seed);
        float[] x = TestArrays.filled(g.imageSize(), random);
        float[] y = TestArrays.filled(g.rows() * g.columns(), random);
        float[] ax = new float[y.length];
        float[] aty = new float[x.length];
        Im2col.im2col(g, x, 0, ax, 0);
        Col2im.col2im(g, y, 0, aty, 0);
        double left = 0;
        double scale = 0;
        for (int i = 0; i < y.length; i++) {
            left += (double) ax[i] * y[i];
            scale += Math.abs((double) ax[i] * y[i]);
        }
        double right = 0;
        for (int i = 0; i < x.length; i++) {
            right += (double) x[i] * aty[i];
        }
        // col2im sums in float: allow its rounding, at most KH * KW terms per element.
        assertTrue(Math.abs(left - right) <= 1e-5 * (scale + 1), left + " != " + right + " for " + g);
    }

    @Example
    void handComputedPaddedStridedMatrix() {
        // One 3x3 channel, 2x2 kernel, stride 2, pad 1 on every side: output 2x2.
        ConvGeometry g = new ConvGeometry(1, 3, 3, 2, 2, 2, 2, 1, 1, 1, 1, 1, 1);
        float[] image = {1, 2, 3, 4, 5, 6, 7, 8, 9};
        float[] columns = new float[4 * 4];
        Im2col.im2col(g, image, 0, columns, 0);
        float[] expected = {
            0, 0, 0, 5,   // kernel cell (0, 0) sees (-1, -1), (-1, 1), (1, -1), (1, 1)
            0, 0, 4, 6,   // (0, 1): (-1, 0), (-1, 2), (1, 0), (1, 2)
            0, 2, 0, 8,   // (1, 0): (0, -1), (0, 1), (2, -1), (2, 1)
            1, 3, 7, 9};  // (1, 1): (0, 0), (0, 2), (2, 0), (2, 2)
        assertArrayEquals(expected, columns);
        float[] back = new float[9];
        Col2im.col2im(g, columns, 0, back, 0);
        assertArrayEquals(image, back, "each pixel is seen exactly once here, so col2im inverts im2col");
    }

    @Example
    void badArgumentsAreRejectedBeforeAnythingIsWritten() {
        ConvGeometry g = ConvGeometry.of(2, 5, 5, 3, 3, 1, 1);
        float[] image = new float[g.imageSize()];
        float[] dst = new float[g.rows() * g.columns()];
        Arrays.fill(dst, GemmChecker.GUARD);
        float[] before = dst.clone();
        assertThrows(IndexOutOfBoundsException.class, () -> Im2col.im2col(g, new float[49], 0, dst, 0));
        assertThrows(IndexOutOfBoundsException.class, () -> Im2col.im2col(g, image, 0, dst, 1));
        assertThrows(IllegalArgumentException.class, () -> Im2col.im2col(g, image, 0, 17, 2, 0, 5, dst, 0, 5));
        assertThrows(IllegalArgumentException.class, () -> Im2col.im2col(g, image, 0, 0, 2, 20, 6, dst, 0, 6));
        assertThrows(IllegalArgumentException.class, () -> Im2col.im2col(g, image, 0, 0, 2, 0, 6, dst, 0, 5));
        assertThrows(IllegalArgumentException.class, () -> Im2col.im2col(g, dst, 0, dst, 0));
        assertThrows(IndexOutOfBoundsException.class, () -> Col2im.col2im(g, dst, 1, image, 0));
        assertThrows(IllegalArgumentException.class, () -> Col2im.col2im(g, dst, 0, dst, 0));
        assertArrayEquals(TestArrays.bits(before), TestArrays.bits(dst), "nothing written");
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> new ConvGeometry(1, 2, 9, 5, 3, 1, 1, 1, 1, 1, 0, 1, 0));
        assertTrue(e.getMessage().contains("kernel height"), e.getMessage());
        assertEquals(2, assertThrows(IllegalArgumentException.class,
                () -> new ConvGeometry(1, 4, 4, 3, 3, 0, 1, 1, 1, 0, 0, 0, 0)).getMessage().split("strideHeight").length);
    }

    private static void collectCoverage(ConvGeometry g) {
        Statistics.label("stride").collect(g.strideHeight() == 1 && g.strideWidth() == 1 ? "1" : "> 1");
        Statistics.label("dilation").collect(g.dilationHeight() == 1 && g.dilationWidth() == 1 ? "1" : "> 1");
        boolean padded = g.padTop() + g.padLeft() + g.padBottom() + g.padRight() > 0;
        boolean symmetric = g.padTop() == g.padBottom() && g.padLeft() == g.padRight();
        Statistics.label("pads").collect(!padded ? "none" : symmetric ? "symmetric" : "asymmetric");
        Statistics.label("kernel").collect(g.kernelHeight() == g.kernelWidth() ? "square" : "non-square");
        Statistics.label("stride").coverage(c -> c.check("> 1").count(x -> x > 0));
        Statistics.label("dilation").coverage(c -> c.check("> 1").count(x -> x > 0));
        Statistics.label("pads").coverage(c -> {
            c.check("none").count(x -> x > 0);
            c.check("asymmetric").count(x -> x > 0);
        });
        Statistics.label("kernel").coverage(c -> c.check("non-square").count(x -> x > 0));
    }

    private static float[] guarded(int length) {
        float[] x = new float[length + GUARD_ELEMENTS];
        Arrays.fill(x, GemmChecker.GUARD);
        return x;
    }

}
