/** Naive im2col and col2im, the references the fast kernels are tested against. */
package dev.lanewise.im2col.ref;
