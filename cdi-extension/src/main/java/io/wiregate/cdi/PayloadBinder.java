package io.wiregate.cdi;

import java.lang.reflect.Field;
import java.lang.reflect.Modifier;
import java.lang.reflect.ParameterizedType;
import java.lang.reflect.RecordComponent;
import java.lang.reflect.Type;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import jakarta.json.JsonArray;
import jakarta.json.JsonNumber;
import jakarta.json.JsonObject;
import jakarta.json.JsonString;
import jakarta.json.JsonValue;
import jakarta.json.bind.Jsonb;
import jakarta.json.bind.annotation.JsonbProperty;
import jakarta.json.bind.annotation.JsonbTransient;

import io.wiregate.protocol.Violation;

/**
 * Binds a frame's {@code data} to a handler's parameter type with JSON-B, and serializes return values.
 * JSON-P values pass through untouched. When binding fails, each property of the target type is tried on its
 * own, so the client learns which properties have the wrong type. Thread-safe.
 */
final class PayloadBinder {

    private final Jsonb jsonb;

    public PayloadBinder(Jsonb jsonb) {
        this.jsonb = jsonb;
    }

    /**
     * Binds {@code data} to {@code type}.
     *
     * @throws BindingException if it does not bind, with one violation per offending property
     */
    public Object bind(JsonValue data, Type type) throws BindingException {
        Class<?> raw = raw(type);
        if (JsonValue.class.isAssignableFrom(raw)) {
            if (raw.isInstance(data)) {
                return data;
            }
            if (data == JsonValue.NULL) {
                return null;
            }
            throw new BindingException(List.of(new Violation("", "must be " + describe(raw))));
        }
        if (raw == String.class && data instanceof JsonString s) {
            return s.getString();
        }
        if (raw.isPrimitive() && data == JsonValue.NULL) {
            throw new BindingException(List.of(new Violation("", "must be " + describe(raw))));
        }
        // JSON-B providers are lenient: they narrow numbers silently (2147483648 becomes an int's minimum) and read
        // "yes" as false. The client's value must not be lost: check simple types strictly first.
        if (!fitsSimpleType(data, raw)) {
            throw new BindingException(List.of(new Violation("", "must be " + describe(raw)
                    + (data instanceof JsonNumber && isIntegerType(raw) ? " in range" : ""))));
        }
        if (data instanceof JsonObject object && !simplePropertiesFit(object, raw)) {
            throw new BindingException(explain(data, type)); // names every offending property, not only these
        }
        try {
            return jsonb.fromJson(data.toString(), type);
        } catch (RuntimeException e) { // JsonbException, or a provider's own exception on odd input
            throw new BindingException(explain(data, type));
        }
    }

    /** Whether the boolean and number properties of a record or class hold values of their type. */
    private static boolean simplePropertiesFit(JsonObject object, Class<?> raw) {
        for (Map.Entry<String, Type> property : properties(raw).entrySet()) {
            JsonValue value = object.get(property.getKey());
            if (value != null && !fitsSimpleType(value, raw(property.getValue()))) {
                return false;
            }
        }
        return true;
    }

    /** Whether a JSON value may bind to {@code type}, for booleans and numbers; other types are JSON-B's to judge. */
    private static boolean fitsSimpleType(JsonValue value, Class<?> type) {
        if (type == boolean.class || type == Boolean.class) {
            return value == JsonValue.TRUE || value == JsonValue.FALSE || (value == JsonValue.NULL && type == Boolean.class);
        }
        if (isIntegerType(type)) {
            return value instanceof JsonNumber || value == JsonValue.NULL ? fitsInteger(value, type) : false;
        }
        if (type == double.class || type == Double.class || type == float.class || type == Float.class
                || type == java.math.BigDecimal.class || type == java.math.BigInteger.class) {
            return value instanceof JsonNumber || (value == JsonValue.NULL && !type.isPrimitive());
        }
        return true;
    }

    private static boolean isIntegerType(Class<?> c) {
        return c == int.class || c == Integer.class || c == long.class || c == Long.class
                || c == short.class || c == Short.class || c == byte.class || c == Byte.class;
    }

    /** Whether a JSON value fits an integer type: null for a wrapper, or an integral number within range. */
    private static boolean fitsInteger(JsonValue value, Class<?> type) {
        if (value == JsonValue.NULL) {
            return !type.isPrimitive();
        }
        if (!(value instanceof JsonNumber n)) {
            return false;
        }
        java.math.BigDecimal d = n.bigDecimalValue();
        if (d.scale() > 0 && d.stripTrailingZeros().scale() > 0) {
            return false;
        }
        long min;
        long max;
        if (type == int.class || type == Integer.class) {
            min = Integer.MIN_VALUE;
            max = Integer.MAX_VALUE;
        } else if (type == short.class || type == Short.class) {
            min = Short.MIN_VALUE;
            max = Short.MAX_VALUE;
        } else if (type == byte.class || type == Byte.class) {
            min = Byte.MIN_VALUE;
            max = Byte.MAX_VALUE;
        } else {
            min = Long.MIN_VALUE;
            max = Long.MAX_VALUE;
        }
        // compareTo never expands the number, so 1e999999999 costs nothing
        return d.compareTo(java.math.BigDecimal.valueOf(min)) >= 0 && d.compareTo(java.math.BigDecimal.valueOf(max)) <= 0;
    }

    /** Serializes a value to JSON text; JSON-P values are written as they are. */
    public String toJson(Object value) {
        if (value == null) {
            return "null";
        }
        if (value instanceof JsonValue json) {
            return json.toString();
        }
        return jsonb.toJson(value);
    }

    private List<Violation> explain(JsonValue data, Type type) {
        Class<?> raw = raw(type);
        Map<String, Type> properties = properties(raw);
        if (properties.isEmpty()) {
            return List.of(new Violation("", "must be " + describe(raw)));
        }
        if (!(data instanceof JsonObject object)) {
            return List.of(new Violation("", "must be a JSON object"));
        }
        List<Violation> violations = new ArrayList<>();
        properties.forEach((name, propertyType) -> {
            JsonValue value = object.get(name);
            if (value == null) {
                return;
            }
            try {
                bind(value, propertyType);
            } catch (BindingException e) {
                violations.add(new Violation(name, "must be " + describe(raw(propertyType))));
            }
        });
        return violations.isEmpty() ? List.of(new Violation("", "does not match the expected shape")) : violations;
    }

    /** The JSON properties of a record or a class: names as JSON-B sees them, and their types. */
    private static Map<String, Type> properties(Class<?> type) {
        Map<String, Type> properties = new LinkedHashMap<>();
        if (type.isRecord()) {
            for (RecordComponent rc : type.getRecordComponents()) {
                // @JsonbProperty has no RECORD_COMPONENT target: it lands on the field (and the accessor)
                JsonbProperty p = rc.getAccessor().getAnnotation(JsonbProperty.class);
                try {
                    JsonbProperty onField = type.getDeclaredField(rc.getName()).getAnnotation(JsonbProperty.class);
                    p = onField != null ? onField : p;
                } catch (NoSuchFieldException e) {
                    // records always have the field
                }
                properties.put(p == null || p.value().isEmpty() ? rc.getName() : p.value(), rc.getGenericType());
            }
            return properties;
        }
        if (type.isPrimitive() || type.isArray() || type.isInterface() || type.getName().startsWith("java.")) {
            return properties;
        }
        for (Class<?> c = type; c != null && c != Object.class; c = c.getSuperclass()) {
            for (Field f : c.getDeclaredFields()) {
                int mod = f.getModifiers();
                if (Modifier.isStatic(mod) || Modifier.isTransient(mod) || f.isAnnotationPresent(JsonbTransient.class)) {
                    continue;
                }
                JsonbProperty p = f.getAnnotation(JsonbProperty.class);
                properties.putIfAbsent(p == null || p.value().isEmpty() ? f.getName() : p.value(), f.getGenericType());
            }
        }
        return properties;
    }

    private static Class<?> raw(Type type) {
        if (type instanceof Class<?> c) {
            return c;
        }
        if (type instanceof ParameterizedType p) {
            return (Class<?>) p.getRawType();
        }
        return Object.class;
    }

    private static String describe(Class<?> type) {
        if (type == String.class || type == char.class || type == Character.class || JsonString.class == type) {
            return "a string";
        }
        if (type == boolean.class || type == Boolean.class) {
            return "a boolean";
        }
        if (type == int.class || type == long.class || type == short.class || type == byte.class || type == Integer.class
                || type == Long.class || type == Short.class || type == Byte.class || type == java.math.BigInteger.class) {
            return "an integer";
        }
        if (type.isPrimitive() || Number.class.isAssignableFrom(type) || type == JsonNumber.class) {
            return "a number";
        }
        if (type.isArray() || java.util.Collection.class.isAssignableFrom(type) || type == JsonArray.class) {
            return "an array";
        }
        return "an object";
    }
}
