package io.wiregate.cdi;

import java.util.List;

import io.wiregate.Chain;

/** Runs an interceptor chain ("onion"): each interceptor decides whether the rest runs. */
final class Chains {

    /** What one interceptor does with the context and the rest of the chain. */
    @FunctionalInterface
    public interface Step<I, C> {
        void apply(I interceptor, C context, Chain rest) throws Exception;
    }

    private Chains() {
    }

    /**
     * Runs {@code interceptors} in order.
     *
     * @return true if the last interceptor proceeded (or there are none): nobody refused
     * @throws Exception whatever an interceptor threw
     */
    public static <I, C> boolean run(List<I> interceptors, C context, Step<I, C> step) throws Exception {
        boolean[] reachedEnd = {false};
        new Object() {
            void at(int index) throws Exception {
                if (index == interceptors.size()) {
                    reachedEnd[0] = true;
                    return;
                }
                boolean[] proceeded = {false};
                step.apply(interceptors.get(index), context, () -> {
                    if (!proceeded[0]) {
                        proceeded[0] = true;
                        at(index + 1);
                    }
                });
            }
        }.at(0);
        return reachedEnd[0];
    }
}
