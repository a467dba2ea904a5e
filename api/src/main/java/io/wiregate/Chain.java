package io.wiregate;

/** The rest of an interceptor chain. */
@FunctionalInterface
public interface Chain {

    /**
     * Runs the next interceptor, or what the chain guards when this was the last one. An interceptor that
     * returns without calling it stops the chain (a refusal). Calling it more than once has no further effect.
     *
     * @throws Exception whatever a later interceptor threw
     */
    void proceed() throws Exception;
}
