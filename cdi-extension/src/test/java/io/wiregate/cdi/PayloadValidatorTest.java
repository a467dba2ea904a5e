package io.wiregate.cdi;

import static org.assertj.core.api.Assertions.assertThat;

import java.lang.reflect.Method;
import java.util.List;
import java.util.Set;

import jakarta.validation.ConstraintViolation;
import jakarta.validation.Valid;
import jakarta.validation.Validation;
import jakarta.validation.Validator;
import jakarta.validation.ValidatorFactory;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Size;

import io.wiregate.Peer;
import io.wiregate.protocol.Violation;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

class PayloadValidatorTest {

    public record Item(@NotBlank String text) {
    }

    public record Order(@NotBlank @Size(min = 3) String name, @Min(1) @Max(10) int quantity, @Valid List<Item> items,
                        @Valid Item main) {
    }

    public static class Handlers {
        public void send(@Valid Order order, Peer peer) {
        }

        public void text(@NotBlank @Size(max = 3) String text) {
        }

        public void required(@NotNull @Valid Order order) {
        }
    }

    private static ValidatorFactory factory;
    private static Validator validator;
    private PayloadValidator payloadValidator;
    private final Handlers target = new Handlers();

    @BeforeAll
    static void createValidator() {
        factory = Validation.buildDefaultValidatorFactory();
        validator = factory.getValidator();
    }

    @AfterAll
    static void closeFactory() {
        factory.close();
    }

    private List<Violation> validate(String methodName, Object... args) {
        payloadValidator = new PayloadValidator(validator);
        Method method = java.util.Arrays.stream(Handlers.class.getMethods())
                .filter(m -> m.getName().equals(methodName)).findFirst().orElseThrow();
        return payloadValidator.validate(target, method, args);
    }

    private static Order validOrder() {
        return new Order("abcd", 2, List.of(new Item("x")), new Item("y"));
    }

    @Test
    void validPayloadHasNoViolation() {
        assertThat(validate("send", validOrder(), null)).isEmpty();
    }

    @Test
    void badPropertyYieldsAViolationWithThePropertyPathOnly() {
        Order order = new Order("abcd", 0, List.of(), new Item("y"));

        List<Violation> violations = validate("send", order, null);

        assertThat(violations).hasSize(1);
        assertThat(violations.get(0).path()).isEqualTo("quantity");
        assertThat(violations.get(0).message()).isNotBlank();
    }

    @Test
    void pathCarriesNoMethodOrParameterPrefix() {
        Order order = new Order("abcd", 2, List.of(new Item("ok"), new Item(" ")), new Item(""));

        assertThat(validate("send", order, null)).extracting(Violation::path)
                .containsExactly("items[1].text", "main.text")
                .allSatisfy(p -> assertThat(p).doesNotContain("send").doesNotContain("order").doesNotContain("arg"));
    }

    @Test
    void propertyBreakingTwoConstraintsYieldsOneViolation() {
        Order order = new Order("", 2, List.of(), new Item("y"));

        List<Violation> violations = validate("send", order, null);

        assertThat(violations).hasSize(1);
        assertThat(violations.get(0).path()).isEqualTo("name");
    }

    @Test
    void oneViolationPerBadPropertySortedByPath() {
        Order order = new Order("", 11, List.of(new Item("")), new Item(null));

        assertThat(validate("send", order, null)).extracting(Violation::path)
                .containsExactly("items[0].text", "main.text", "name", "quantity");
    }

    @Test
    void violationsAreTheSameOnEveryRun() {
        Order order = new Order("", 11, List.of(new Item(""), new Item("")), new Item(null));

        assertThat(validate("send", order, null)).isEqualTo(validate("send", order, null));
    }

    @Test
    void constraintOnTheParameterItselfHasEmptyPath() {
        List<Violation> violations = validate("text", "toolong");

        assertThat(violations).hasSize(1);
        assertThat(violations.get(0).path()).isEmpty();
    }

    @Test
    void nullPayloadForANotNullParameterHasEmptyPath() {
        assertThat(validate("required", (Object) null)).extracting(Violation::path).containsExactly("");
    }

    @Test
    void toViolationsKeepsTheSmallestMessagePerPath() {
        Order order = new Order("", 2, List.of(), new Item("y"));
        Method send = java.util.Arrays.stream(Handlers.class.getMethods()).filter(m -> m.getName().equals("send"))
                .findFirst().orElseThrow();
        Set<ConstraintViolation<Object>> found = validator.forExecutables().validateParameters(target, send,
                new Object[] {order, null});
        String smallest = found.stream().map(ConstraintViolation::getMessage).sorted().findFirst().orElseThrow();

        assertThat(found).hasSize(2);
        assertThat(PayloadValidator.toViolations(found)).containsExactly(new Violation("name", smallest));
    }

    @Test
    void toViolationsOfNothingIsEmpty() {
        assertThat(PayloadValidator.toViolations(Set.of())).isEmpty();
    }
}
