/**
 * How a convolution is computed: the algorithms ({@link dev.lanewise.nn.conv.ConvAlgorithm}), their
 * ordered registry ({@link dev.lanewise.nn.conv.ConvAlgorithms}), and the plans they make per input
 * size ({@link dev.lanewise.nn.conv.ConvPlan}), which report their workspace.
 * {@link dev.lanewise.nn.Conv2d} is the operator over them; this package is what a caller uses to
 * see, or force, the choice.
 */
package dev.lanewise.nn.conv;
