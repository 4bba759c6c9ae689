/**
 * im2col and col2im for NCHW tensors, and the convolution lowered through them onto
 * {@link dev.lanewise.kernels.Sgemm}. (Its kernels arrive with the convolution issue.)
 */
package dev.lanewise.im2col;
