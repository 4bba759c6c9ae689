package dev.lanewise.benchmarks;

import dev.lanewise.im2col.ConvGeometry;
import dev.lanewise.nn.PoolWindow;
import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;

/**
 * ONNX models of a single operator, written as protobuf bytes without an ONNX or protobuf library:
 * the graph has one input {@code X}, one output {@code Y} and one node computing {@code Y} from
 * {@code X}; a convolution's weights {@code W} and bias {@code B} are initializers, further
 * inputs of its node.
 *
 * <h2>Tensors (NCHW, OIHW)</h2>
 * <pre>
 *   X  batch x channels x height x width             X[n][c][y][x] = x[((n * C + c) * H + y) * W + x]
 *   W  outChannels x channels/group x kh x kw        W[k][c][r][s] = w[((k * C/group + c) * kh + r) * kw + s]
 *   B  outChannels
 *   Y  batch x outChannels x outputHeight x outputWidth   (Conv)
 *      batch x channels x outputHeight x outputWidth      (MaxPool, AveragePool)
 *      batch x channels x 1 x 1                           (GlobalAveragePool, GlobalMaxPool)
 *      the shape of X                                     (Relu)
 * </pre>
 * The node's attributes carry the window: {@code kernel_shape = [kh, kw]},
 * {@code strides = [strideH, strideW]}, {@code pads = [padTop, padLeft, padBottom, padRight]} (ONNX
 * orders pads as all begins, then all ends); {@code Conv} adds {@code dilations} and {@code group},
 * {@code MaxPool} {@code dilations} and {@code ceil_mode}, {@code AveragePool} {@code ceil_mode} and
 * {@code count_include_pad}. Weights and bias are stored as {@code raw_data}: IEEE 754 floats,
 * little-endian, as the ONNX spec requires.
 *
 * <h2>Encoding</h2>
 * Messages and field numbers are those of {@code onnx.proto} (ONNX IR); the model declares IR
 * version 8 and the default operator set, version 17, in which each operator is as last revised
 * at or before it: {@code Conv} in opset 11, {@code MaxPool} in 12, {@code AveragePool} in 11 (it
 * has no {@code dilations} before opset 19), {@code GlobalAveragePool} and {@code GlobalMaxPool} in
 * 1, {@code Relu} in 14, with the semantics above. The protobuf wire format needs two of its
 * encodings here: a varint (wire type 0: 7 bits a byte, least significant group first, the high bit
 * set on every byte but the last) for integers, and length-delimited fields (wire type 2: a varint
 * byte count, then the bytes) for strings, bytes and nested messages. Every field starts with the
 * varint key {@code fieldNumber << 3 | wireType}. Repeated integers are written one field each
 * (proto2's unpacked form, which every parser accepts).
 */
final class OnnxModel {

    /** Name of the model's input tensor. */
    static final String INPUT = "X";
    /** Name of the model's output tensor. */
    static final String OUTPUT = "Y";

    private static final long IR_VERSION = 8;
    private static final long ONNX_OPSET = 17;
    /** {@code TensorProto.DataType.FLOAT}, as tensor element type. */
    private static final int ELEMENT_TYPE_FLOAT = 1;
    /** {@code AttributeProto.AttributeType}: one integer, a list of integers. */
    private static final int INT_ATTRIBUTE = 2;
    private static final int INTS_ATTRIBUTE = 7;

    // Field numbers of onnx.proto, by message.
    private static final int MODEL_IR_VERSION = 1;
    private static final int MODEL_PRODUCER_NAME = 2;
    private static final int MODEL_GRAPH = 7;
    private static final int MODEL_OPSET_IMPORT = 8;
    private static final int OPSET_DOMAIN = 1;
    private static final int OPSET_VERSION = 2;
    private static final int GRAPH_NODE = 1;
    private static final int GRAPH_NAME = 2;
    private static final int GRAPH_INITIALIZER = 5;
    private static final int GRAPH_INPUT = 11;
    private static final int GRAPH_OUTPUT = 12;
    private static final int NODE_INPUT = 1;
    private static final int NODE_OUTPUT = 2;
    private static final int NODE_NAME = 3;
    private static final int NODE_OP_TYPE = 4;
    private static final int NODE_ATTRIBUTE = 5;
    private static final int ATTRIBUTE_NAME = 1;
    private static final int ATTRIBUTE_I = 3;
    private static final int ATTRIBUTE_INTS = 8;
    private static final int ATTRIBUTE_TYPE = 20;
    private static final int TENSOR_DIMS = 1;
    private static final int TENSOR_DATA_TYPE = 2;
    private static final int TENSOR_NAME = 8;
    private static final int TENSOR_RAW_DATA = 9;
    private static final int VALUE_INFO_NAME = 1;
    private static final int VALUE_INFO_TYPE = 2;
    private static final int TYPE_TENSOR_TYPE = 1;
    private static final int TENSOR_TYPE_ELEM_TYPE = 1;
    private static final int TENSOR_TYPE_SHAPE = 2;
    private static final int SHAPE_DIM = 1;
    private static final int DIMENSION_DIM_VALUE = 1;

    private OnnxModel() {
    }

    /**
     * The serialized {@code ModelProto} of {@code Y = Conv(X, W, B)} over {@code batch} images.
     *
     * @param g        the window over one image; {@code channels} counts all input channels
     * @param weights  OIHW, {@code outChannels * channels / group * kh * kw} floats. Not modified.
     * @param bias     {@code outChannels} floats. Not modified.
     */
    static byte[] conv(int batch, ConvGeometry g, int group, int outChannels, float[] weights, float[] bias) {
        Message node = node("Conv", "W", "B")
                .message(NODE_ATTRIBUTE, ints("kernel_shape", g.kernelHeight(), g.kernelWidth()))
                .message(NODE_ATTRIBUTE, ints("strides", g.strideHeight(), g.strideWidth()))
                .message(NODE_ATTRIBUTE, ints("dilations", g.dilationHeight(), g.dilationWidth()))
                .message(NODE_ATTRIBUTE, ints("pads", g.padTop(), g.padLeft(), g.padBottom(), g.padRight()))
                .message(NODE_ATTRIBUTE, integer("group", group));
        return model(node,
                new int[] {batch, g.channels(), g.height(), g.width()},
                new int[] {batch, outChannels, g.outputHeight(), g.outputWidth()},
                tensor("W", weights, outChannels, g.channels() / group, g.kernelHeight(), g.kernelWidth()),
                tensor("B", bias, outChannels));
    }

    /** The serialized {@code ModelProto} of {@code Y = MaxPool(X)} over {@code window}, its one output. */
    static byte[] maxPool(int batch, int channels, int height, int width, PoolWindow window) {
        Message node = node("MaxPool")
                .message(NODE_ATTRIBUTE, ints("dilations", window.dilationHeight(), window.dilationWidth()));
        return pool(node, batch, channels, height, width, window);
    }

    /**
     * The serialized {@code ModelProto} of {@code Y = AveragePool(X)} over {@code window}.
     *
     * @throws IllegalArgumentException if the window is dilated: opset 17's {@code AveragePool} has no dilations
     */
    static byte[] averagePool(int batch, int channels, int height, int width, PoolWindow window,
                              boolean countIncludePad) {
        if (window.dilationHeight() != 1 || window.dilationWidth() != 1) {
            throw new IllegalArgumentException("AveragePool has no dilations in opset " + ONNX_OPSET + ": " + window);
        }
        Message node = node("AveragePool")
                .message(NODE_ATTRIBUTE, integer("count_include_pad", countIncludePad ? 1 : 0));
        return pool(node, batch, channels, height, width, window);
    }

    /** The serialized {@code ModelProto} of {@code Y = GlobalAveragePool(X)}. */
    static byte[] globalAveragePool(int batch, int channels, int height, int width) {
        return model(node("GlobalAveragePool"), new int[] {batch, channels, height, width},
                new int[] {batch, channels, 1, 1});
    }

    /** The serialized {@code ModelProto} of {@code Y = GlobalMaxPool(X)}. */
    static byte[] globalMaxPool(int batch, int channels, int height, int width) {
        return model(node("GlobalMaxPool"), new int[] {batch, channels, height, width},
                new int[] {batch, channels, 1, 1});
    }

    /** The serialized {@code ModelProto} of {@code Y = Relu(X)}, {@code X} and {@code Y} of shape {@code dims}. */
    static byte[] relu(int... dims) {
        return model(node("Relu"), dims, dims);
    }

    /** A pooling model: {@code node} with the window attributes the two pooling operators share added. */
    private static byte[] pool(Message node, int batch, int channels, int height, int width, PoolWindow window) {
        node.message(NODE_ATTRIBUTE, ints("kernel_shape", window.kernelHeight(), window.kernelWidth()))
                .message(NODE_ATTRIBUTE, ints("strides", window.strideHeight(), window.strideWidth()))
                .message(NODE_ATTRIBUTE, ints("pads",
                        window.padTop(), window.padLeft(), window.padBottom(), window.padRight()))
                .message(NODE_ATTRIBUTE, integer("ceil_mode", window.ceilMode() ? 1 : 0));
        return model(node, new int[] {batch, channels, height, width},
                new int[] {batch, channels, window.outputHeight(height), window.outputWidth(width)});
    }

    /** A {@code NodeProto} of operator {@code opType}, named after it, reading {@code X} and {@code inputs}, writing {@code Y}. */
    private static Message node(String opType, String... inputs) {
        Message node = new Message().string(NODE_INPUT, INPUT);
        for (String input : inputs) {
            node.string(NODE_INPUT, input);
        }
        return node.string(NODE_OUTPUT, OUTPUT)
                .string(NODE_NAME, opType)
                .string(NODE_OP_TYPE, opType);
    }

    /**
     * The serialized {@code ModelProto} whose graph is {@code node} alone, from input {@code X} of
     * shape {@code inputDims} to output {@code Y} of shape {@code outputDims}, with {@code initializers}.
     */
    private static byte[] model(Message node, int[] inputDims, int[] outputDims, Message... initializers) {
        Message graph = new Message()
                .message(GRAPH_NODE, node)
                .string(GRAPH_NAME, "lanewise-benchmark");
        for (Message initializer : initializers) {
            graph.message(GRAPH_INITIALIZER, initializer);
        }
        graph.message(GRAPH_INPUT, valueInfo(INPUT, inputDims))
                .message(GRAPH_OUTPUT, valueInfo(OUTPUT, outputDims));
        return new Message()
                .varint(MODEL_IR_VERSION, IR_VERSION)
                .message(MODEL_OPSET_IMPORT, new Message().string(OPSET_DOMAIN, "").varint(OPSET_VERSION, ONNX_OPSET))
                .string(MODEL_PRODUCER_NAME, "lanewise-benchmarks")
                .message(MODEL_GRAPH, graph)
                .toByteArray();
    }

    /** An {@code AttributeProto} holding one integer. */
    private static Message integer(String name, int value) {
        return new Message().string(ATTRIBUTE_NAME, name).varint(ATTRIBUTE_TYPE, INT_ATTRIBUTE).varint(ATTRIBUTE_I, value);
    }

    /** An {@code AttributeProto} holding a list of integers. */
    private static Message ints(String name, int... values) {
        Message attribute = new Message().string(ATTRIBUTE_NAME, name).varint(ATTRIBUTE_TYPE, INTS_ATTRIBUTE);
        for (int v : values) {
            attribute.varint(ATTRIBUTE_INTS, v);
        }
        return attribute;
    }

    /** A float {@code TensorProto} of shape {@code dims}, its elements as little-endian {@code raw_data}. */
    private static Message tensor(String name, float[] values, int... dims) {
        Message tensor = new Message();
        for (int d : dims) {
            tensor.varint(TENSOR_DIMS, d);
        }
        ByteBuffer raw = ByteBuffer.allocate(Float.BYTES * values.length).order(ByteOrder.LITTLE_ENDIAN);
        raw.asFloatBuffer().put(values);
        return tensor.varint(TENSOR_DATA_TYPE, ELEMENT_TYPE_FLOAT)
                .string(TENSOR_NAME, name)
                .bytes(TENSOR_RAW_DATA, raw.array());
    }

    /** A {@code ValueInfoProto}: a graph input or output, a float tensor of fixed shape {@code dims}. */
    private static Message valueInfo(String name, int... dims) {
        Message shape = new Message();
        for (int d : dims) {
            shape.message(SHAPE_DIM, new Message().varint(DIMENSION_DIM_VALUE, d));
        }
        Message tensorType = new Message()
                .varint(TENSOR_TYPE_ELEM_TYPE, ELEMENT_TYPE_FLOAT)
                .message(TENSOR_TYPE_SHAPE, shape);
        return new Message()
                .string(VALUE_INFO_NAME, name)
                .message(VALUE_INFO_TYPE, new Message().message(TYPE_TENSOR_TYPE, tensorType));
    }

    /** One protobuf message being written: its fields in call order, in the wire format. */
    private static final class Message {

        private static final int VARINT = 0;
        private static final int LENGTH_DELIMITED = 2;

        private final ByteArrayOutputStream out = new ByteArrayOutputStream();

        /** An integer field ({@code int32}, {@code int64} or an enum). */
        Message varint(int field, long value) {
            key(field, VARINT);
            writeVarint(value);
            return this;
        }

        /** A {@code bytes} field. */
        Message bytes(int field, byte[] value) {
            key(field, LENGTH_DELIMITED);
            writeVarint(value.length);
            out.writeBytes(value);
            return this;
        }

        /** A {@code string} field, UTF-8. */
        Message string(int field, String value) {
            return bytes(field, value.getBytes(StandardCharsets.UTF_8));
        }

        /** A nested message field. */
        Message message(int field, Message value) {
            return bytes(field, value.toByteArray());
        }

        byte[] toByteArray() {
            return out.toByteArray();
        }

        private void key(int field, int wireType) {
            writeVarint((long) field << 3 | wireType);
        }

        /** A negative value takes ten bytes: its 64-bit two's complement, as protobuf encodes {@code int64}. */
        private void writeVarint(long value) {
            long rest = value;
            while ((rest & ~0x7FL) != 0) {
                out.write((int) (rest & 0x7F) | 0x80);
                rest >>>= 7;
            }
            out.write((int) rest);
        }
    }
}
