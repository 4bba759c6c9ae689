/**
 * Neural-network operators with ONNX semantics on NCHW tensors. (Its operators arrive with the
 * convolution and pooling issues.)
 */
package dev.lanewise.nn;
