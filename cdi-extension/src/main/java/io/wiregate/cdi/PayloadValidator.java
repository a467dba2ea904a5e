package io.wiregate.cdi;

import java.lang.reflect.Method;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeMap;

import jakarta.validation.ConstraintViolation;
import jakarta.validation.ElementKind;
import jakarta.validation.Path;
import jakarta.validation.Validator;

import io.wiregate.protocol.Violation;

/**
 * Checks a handler's arguments with Bean Validation and turns violations into the protocol's shape: one
 * violation per property, its path relative to the payload ({@code ""} for the payload itself). Thread-safe.
 */
final class PayloadValidator {

    private final Validator validator;

    public PayloadValidator(Validator validator) {
        this.validator = validator;
    }

    /** The violations of {@code args} for {@code method} on {@code target}; empty when valid. */
    public List<Violation> validate(Object target, Method method, Object[] args) {
        Set<ConstraintViolation<Object>> found = validator.forExecutables().validateParameters(target, method, args);
        return found.isEmpty() ? List.of() : toViolations(found);
    }

    /** Converts constraint violations of a method's parameters, keeping one per property path. */
    public static List<Violation> toViolations(Set<? extends ConstraintViolation<?>> found) {
        TreeMap<String, String> byPath = new TreeMap<>();
        for (ConstraintViolation<?> v : found) {
            byPath.merge(relativePath(v.getPropertyPath()), v.getMessage(), (a, b) -> a.compareTo(b) <= 0 ? a : b);
        }
        List<Violation> violations = new ArrayList<>(byPath.size());
        byPath.forEach((path, message) -> violations.add(new Violation(path, message)));
        return violations;
    }

    /** Drops the method and parameter nodes: {@code send.arg0.items[0].text} becomes {@code items[0].text}. */
    static String relativePath(Path path) {
        String text = path.toString();
        for (Path.Node node : path) {
            ElementKind kind = node.getKind();
            if (kind != ElementKind.METHOD && kind != ElementKind.PARAMETER && kind != ElementKind.CROSS_PARAMETER) {
                break;
            }
            int dot = text.indexOf('.');
            text = dot < 0 ? "" : text.substring(dot + 1);
        }
        return text;
    }
}
