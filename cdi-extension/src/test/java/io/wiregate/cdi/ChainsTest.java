package io.wiregate.cdi;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.Test;

class ChainsTest {

    /** An interceptor of the test: records entering and leaving, and may refuse. */
    private record Step(String name, boolean proceeds) {
    }

    private static boolean run(List<Step> steps, List<String> trace) throws Exception {
        return Chains.run(steps, trace, (step, log, rest) -> {
            log.add(step.name() + ">");
            if (step.proceeds()) {
                rest.proceed();
            }
            log.add("<" + step.name());
        });
    }

    @Test
    void interceptorsRunInOrderAroundTheRestOfTheChain() throws Exception {
        List<String> trace = new ArrayList<>();
        assertThat(run(List.of(new Step("a", true), new Step("b", true)), trace)).isTrue();
        assertThat(trace).containsExactly("a>", "b>", "<b", "<a");
    }

    @Test
    void anInterceptorThatDoesNotProceedRefusesAndStopsTheChain() throws Exception {
        List<String> trace = new ArrayList<>();
        assertThat(run(List.of(new Step("a", true), new Step("b", false), new Step("c", true)), trace)).isFalse();
        assertThat(trace).containsExactly("a>", "b>", "<b", "<a");
    }

    @Test
    void anEmptyChainAccepts() throws Exception {
        assertThat(run(List.of(), new ArrayList<>())).isTrue();
    }

    @Test
    void proceedingTwiceRunsTheRestOnce() throws Exception {
        List<String> trace = new ArrayList<>();
        boolean through = Chains.run(List.of("a", "b"), trace, (name, log, rest) -> {
            log.add(name);
            rest.proceed();
            rest.proceed();
        });
        assertThat(through).isTrue();
        assertThat(trace).containsExactly("a", "b");
    }

    @Test
    void anExceptionOfAnInterceptorReachesTheCaller() {
        assertThatThrownBy(() -> Chains.run(List.of("a"), null, (name, ctx, rest) -> {
            throw new IllegalStateException("boom");
        })).isInstanceOf(IllegalStateException.class).hasMessage("boom");
    }
}
