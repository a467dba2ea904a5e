package io.wiregate.it.cluster;

import java.io.IOException;

import jakarta.inject.Inject;
import jakarta.servlet.annotation.WebServlet;
import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;

import io.wiregate.redisson.BusMetrics;
import io.wiregate.redisson.RedissonClusterBus;

/**
 * {@code GET /status}: the node's Redis bus as JSON: its {@code serverId}, whether it is started with a Redis
 * address ({@code active}: Wiregate started this bean, and the bean found {@code wiregate.redis.address}), and its
 * counters.
 */
@WebServlet("/status")
public class ClusterStatusServlet extends HttpServlet {

    private static final long serialVersionUID = 1L;

    @Inject
    RedissonClusterBus bus;

    @Override
    protected void doGet(HttpServletRequest request, HttpServletResponse response) throws IOException {
        BusMetrics m = bus.metrics();
        response.setContentType("application/json");
        response.getWriter().write("{\"serverId\":\"" + bus.serverId() + "\",\"active\":" + m.active()
                + ",\"published\":" + m.published() + ",\"publishFailures\":" + m.publishFailures()
                + ",\"received\":" + m.received() + ",\"malformed\":" + m.malformed() + "}");
    }
}
