package io.wiregate.cdi;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.stream.Stream;

import io.wiregate.Gateway;
import io.wiregate.OnEvent;

import org.junit.jupiter.api.Test;

class DeploymentValidatorTest {

    @Gateway("/chat")
    public static class ChatA {
        @OnEvent("a") void a() { }
    }

    @Gateway("/chat")
    public static class ChatB {
    }

    @Gateway("/chat")
    public static class ChatC {
    }

    @Gateway("/rooms/{roomId}")
    public static class RoomsById {
    }

    @Gateway(value = "/rooms/{name}", name = "other")
    public static class RoomsByName {
    }

    @Gateway("/api/chat")
    public static class ApiChat {
    }

    @Gateway("/api.chat")
    public static class DottedApiChat {
    }

    @Gateway(value = "/one", name = "shared")
    public static class NamedOne {
    }

    @Gateway(value = "/two", name = "shared")
    public static class NamedTwo {
    }

    @Gateway("/notifications")
    public static class Notifications {
    }

    private static List<GatewayModel> models(Class<?>... types) {
        return Stream.of(types).map(t -> {
            GatewayModelBuilder.Result r = new GatewayModelBuilder().build(t);
            assertThat(r.problems()).isEmpty();
            return r.model();
        }).toList();
    }

    @Test
    void distinctPathsAndNamesHaveNoProblem() {
        assertThat(DeploymentValidator.validate(models(ChatA.class, RoomsById.class, ApiChat.class, Notifications.class)))
                .isEmpty();
    }

    @Test
    void noGatewaysHaveNoProblem() {
        assertThat(DeploymentValidator.validate(List.of())).isEmpty();
    }

    @Test
    void twoGatewaysOnOnePathAreReportedOnceNamingBoth() {
        List<String> problems = DeploymentValidator.validate(models(ChatA.class, ChatB.class));

        assertThat(problems).singleElement().asString().startsWith("WG-0002 ").contains("ChatA", "ChatB", "'/chat'");
    }

    @Test
    void threeGatewaysOnOnePathAreReportedTwice() {
        List<String> problems = DeploymentValidator.validate(models(ChatA.class, ChatB.class, ChatC.class));

        assertThat(problems).hasSize(2).allSatisfy(p -> assertThat(p).startsWith("WG-0002 ").contains("ChatA"));
        assertThat(problems).anySatisfy(p -> assertThat(p).contains("ChatB"));
        assertThat(problems).anySatisfy(p -> assertThat(p).contains("ChatC"));
    }

    @Test
    void pathsDifferingOnlyInParameterNamesAreDuplicates() {
        List<String> problems = DeploymentValidator.validate(models(RoomsById.class, RoomsByName.class));

        assertThat(problems).singleElement().asString().startsWith("WG-0002 ").contains("RoomsById", "RoomsByName");
    }

    @Test
    void pathsResolvingToOneDefaultNameAreReported() {
        List<String> problems = DeploymentValidator.validate(models(ApiChat.class, DottedApiChat.class));

        assertThat(problems).singleElement().asString().startsWith("WG-0020 ").contains("ApiChat", "DottedApiChat", "'api.chat'");
    }

    @Test
    void explicitNamesSharedByTwoGatewaysAreReported() {
        List<String> problems = DeploymentValidator.validate(models(NamedOne.class, NamedTwo.class));

        assertThat(problems).singleElement().asString().startsWith("WG-0020 ").contains("NamedOne", "NamedTwo", "'shared'");
    }

    @Test
    void sharedPathIsNotAlsoReportedAsSharedName() {
        List<String> problems = DeploymentValidator.validate(models(ChatA.class, ChatB.class));

        assertThat(problems).noneSatisfy(p -> assertThat(p).startsWith("WG-0020"));
    }

    @Test
    void problemsComeInTheOrderOfTheGateways() {
        List<GatewayModel> gateways = models(ChatA.class, NamedOne.class, ChatB.class, NamedTwo.class);

        assertThat(DeploymentValidator.validate(gateways)).extracting(p -> p.substring(0, 7))
                .containsExactly("WG-0002", "WG-0020");
    }
}
