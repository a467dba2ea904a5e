package io.wiregate.cdi.spi;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;

import org.junit.jupiter.api.Test;

class PathTemplateTest {

    @Test
    void aLiteralPathMatchesOnlyItselfWithNoParameters() {
        PathTemplate chat = new PathTemplate("/chat");
        assertThat(chat.match("/chat")).isEmpty();
        assertThat(chat.match("/chat/")).isNull();
        assertThat(chat.match("/chats")).isNull();
        assertThat(chat.match("/")).isNull();
    }

    @Test
    void aParameterMatchesOneNonEmptySegmentDecoded() {
        PathTemplate rooms = new PathTemplate("/rooms/{roomId}");
        assertThat(rooms.match("/rooms/lobby")).isEqualTo(Map.of("roomId", "lobby"));
        assertThat(rooms.match("/rooms/caf%C3%A9%20bar")).isEqualTo(Map.of("roomId", "café bar"));
        assertThat(rooms.match("/rooms/")).isNull();
        assertThat(rooms.match("/rooms/a/b")).isNull();
        assertThat(rooms.match("/rooms")).isNull();
    }

    @Test
    void theRootPathMatchesOnlyTheRoot() {
        assertThat(new PathTemplate("/").match("/")).isEmpty();
        assertThat(new PathTemplate("/").match("/x")).isNull();
    }

    @Test
    void aTemplateWhoseLiteralSegmentsComeFirstIsTheBetterMatch() {
        PathTemplate exact = new PathTemplate("/rooms/lobby");
        PathTemplate template = new PathTemplate("/rooms/{id}");
        PathTemplate leading = new PathTemplate("/{kind}/lobby");
        assertThat(exact.compareSpecificity(template)).isNegative();
        assertThat(template.compareSpecificity(exact)).isPositive();
        assertThat(template.compareSpecificity(leading)).isNegative();
        assertThat(template.compareSpecificity(new PathTemplate("/rooms/{other}"))).isZero();
    }
}
