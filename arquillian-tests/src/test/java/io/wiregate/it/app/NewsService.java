package io.wiregate.it.app;

import java.util.Map;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import io.wiregate.Broadcaster;

/** An ordinary application-scoped service that pushes through an injected {@link Broadcaster}. */
@ApplicationScoped
public class NewsService {

    @Inject
    Broadcaster<NewsGateway> news;

    public void publish(String headline) {
        news.toAll().emit("headline", Map.of("text", headline));
    }
}
