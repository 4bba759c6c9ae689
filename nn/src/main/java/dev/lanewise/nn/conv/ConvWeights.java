package dev.lanewise.nn.conv;

import dev.lanewise.kernels.Epilogue;
import java.util.HashMap;
import java.util.Map;
import java.util.function.Function;

/**
 * The fixed part of a convolution layer: its weights (OIHW, {@code (k, c, r, s)} at
 * {@code ((k * C/group + c) * KH + r) * KW + s}), its bias (one per output channel, or none) and
 * the activation fused into its output store, plus the copies of the weights that algorithms
 * repack into their own layouts.
 *
 * <p>A repacked copy is made once per layout key, when the first plan that needs it is made, and
 * shared by every later plan (an input size or thread count that changes does not repack). The
 * given arrays are copied; nothing here is modified after construction but the cache, which is
 * guarded. Safe to share between threads.
 */
public final class ConvWeights {

    private final float[] weights;
    private final float[] bias;
    private final Epilogue activation;
    private final Map<Object, float[]> repacked = new HashMap<>();

    /**
     * @param weights    OIHW weights; copied
     * @param bias       one value per output channel, or {@code null}; copied
     * @param activation the activation (none, a clamp or LeakyReLU) applied after the bias and the
     *                   residual; its own bias, if any, is ignored
     */
    public ConvWeights(float[] weights, float[] bias, Epilogue activation) {
        this.weights = weights.clone();
        this.bias = bias == null ? null : bias.clone();
        this.activation = activation;
    }

    /** The OIHW weights as given. Not to be modified. */
    public float[] weights() {
        return weights;
    }

    /** The bias, one value per output channel, or {@code null} without one. Not to be modified. */
    public float[] bias() {
        return bias;
    }

    /**
     * The epilogue of the group whose first output channel is {@code firstChannel}, its rows being the
     * group's output channels: that group's row bias (if any), then the activation.
     */
    public Epilogue epilogue(int firstChannel) {
        Epilogue e = bias == null ? Epilogue.NONE : Epilogue.rowBias(bias, firstChannel);
        return e.withActivationOf(activation);
    }

    /**
     * The weights repacked into the layout that {@code layout} names, made by {@code repack} from
     * {@link #weights()} on the first request for that key and returned as is afterwards.
     */
    public float[] repacked(Object layout, Function<float[], float[]> repack) {
        synchronized (repacked) {
            return repacked.computeIfAbsent(layout, key -> repack.apply(weights));
        }
    }

    /** A short description of the bias and activation, as in {@code Epilogue}'s. */
    public String epilogueDescription() {
        return epilogue(0).toString();
    }
}
