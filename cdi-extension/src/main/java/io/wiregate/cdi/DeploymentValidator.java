package io.wiregate.cdi;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Checks what no single gateway can see: paths and configuration names shared by two gateways.
 * A function from models to problems.
 */
final class DeploymentValidator {

    private DeploymentValidator() {
    }

    /** Every cross-gateway problem of a deployment, in a stable order. */
    public static List<String> validate(List<GatewayModel> gateways) {
        List<String> problems = new ArrayList<>();
        Map<String, GatewayModel> byPath = new HashMap<>();
        Map<String, GatewayModel> byName = new HashMap<>();
        for (GatewayModel g : gateways) {
            GatewayModel samePath = byPath.putIfAbsent(normalizedPath(g.path()), g);
            if (samePath != null) {
                problems.add(DeploymentMessages.duplicatePath(samePath.beanClass(), g.beanClass(), g.path()));
            }
            GatewayModel sameName = byName.putIfAbsent(g.name(), g);
            if (sameName != null && samePath == null) {
                problems.add(DeploymentMessages.duplicateName(sameName.beanClass(), g.beanClass(), g.name()));
            }
        }
        return problems;
    }

    /** {@code /rooms/{a}} and {@code /rooms/{b}} match the same requests. */
    private static String normalizedPath(String path) {
        return path.replaceAll("\\{[^}]*}", "{}");
    }
}
