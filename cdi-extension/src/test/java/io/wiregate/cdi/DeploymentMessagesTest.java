package io.wiregate.cdi;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.lang.reflect.Type;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.junit.jupiter.api.Test;

/**
 * The catalogue is the one home of the {@code WG-nnnn} ids: each message has a well-formed id of its own, no id is
 * written in the main code of any module outside {@link DeploymentMessages}, and {@code docs/deployment-errors.md}
 * lists exactly the catalogue's ids. A message added to the catalogue is covered without changing this test.
 */
class DeploymentMessagesTest {

    /** A message: an id, a space, then the text. */
    private static final Pattern MESSAGE = Pattern.compile("WG-\\d{4} \\S.*");
    /** An id at the start of a Java string literal. */
    private static final Pattern ID_LITERAL = Pattern.compile("\"(WG-\\d{4})");
    private static final Pattern ID = Pattern.compile("WG-\\d{4}");
    private static final Path CATALOGUE =
            Path.of("cdi-extension", "src", "main", "java", "io", "wiregate", "cdi", "DeploymentMessages.java");

    /** Sample gateway class and method the messages can name. */
    static final class SampleGateway {
        void onChat() {
        }
    }

    @Test
    void everyMessageHasAWellFormedIdOfItsOwn() throws Exception {
        Map<String, List<String>> methodsById = new TreeMap<>();
        for (Method m : messageMethods()) {
            Set<String> ids = new TreeSet<>();
            for (Object[] args : sampleArguments(m)) {
                String message = invoke(m, args);
                assertThat(message).as("%s%s", m.getName(), Arrays.toString(args)).matches(MESSAGE).endsWith(".")
                        .doesNotContain("\n");
                ids.add(message.substring(0, 7));
                assertThat(idsIn(message)).as("ids in the message of %s", m.getName()).containsExactly(message.substring(0, 7));
            }
            assertThat(ids).as("one id for every variant of %s", m.getName()).hasSize(1);
            methodsById.computeIfAbsent(ids.iterator().next(), k -> new ArrayList<>()).add(m.getName());
        }
        assertThat(methodsById).as("messages of the catalogue").hasSizeGreaterThanOrEqualTo(25);
        methodsById.forEach((id, methods) -> assertThat(methods).as("the messages with id %s", id).hasSize(1));
    }

    @Test
    void everyIdWrittenInTheCatalogueIsOneMessage() throws IOException {
        Path root = repositoryRoot();
        List<String> literals = new ArrayList<>();
        for (String line : Files.readAllLines(root.resolve(CATALOGUE), StandardCharsets.UTF_8)) {
            Matcher literal = ID_LITERAL.matcher(line);
            while (literal.find()) {
                literals.add(literal.group(1));
            }
        }
        assertThat(literals).as("ids written in %s", CATALOGUE).doesNotHaveDuplicates()
                .containsExactlyInAnyOrderElementsOf(catalogueIds());
    }

    @Test
    void noIdIsWrittenInMainCodeOutsideTheCatalogue() throws IOException {
        Path root = repositoryRoot();
        List<Path> sources = new ArrayList<>();
        Files.walkFileTree(root, new SimpleFileVisitor<>() {
            @Override
            public FileVisitResult preVisitDirectory(Path dir, BasicFileAttributes attributes) {
                String name = dir.getFileName() == null ? "" : dir.getFileName().toString();
                boolean skipped = !dir.equals(root) && (name.startsWith(".") || name.equals("target") || name.equals("node_modules"));
                return skipped ? FileVisitResult.SKIP_SUBTREE : FileVisitResult.CONTINUE;
            }

            @Override
            public FileVisitResult visitFile(Path file, BasicFileAttributes attributes) {
                String relative = root.relativize(file).toString().replace('\\', '/');
                if (relative.endsWith(".java") && relative.contains("src/main/java/")) {
                    sources.add(file);
                }
                return FileVisitResult.CONTINUE;
            }
        });
        sources.sort(Comparator.naturalOrder());
        assertThat(sources).as("main sources found from %s", root)
                .contains(root.resolve(CATALOGUE))
                .anyMatch(p -> root.relativize(p).startsWith("cluster-redisson"))
                .anyMatch(p -> root.relativize(p).startsWith("runtime-tyrus"));
        List<String> outside = new ArrayList<>();
        for (Path source : sources) {
            if (source.equals(root.resolve(CATALOGUE))) {
                continue;
            }
            List<String> lines = Files.readAllLines(source, StandardCharsets.UTF_8);
            for (int i = 0; i < lines.size(); i++) {
                Matcher literal = ID_LITERAL.matcher(lines.get(i));
                while (literal.find()) {
                    outside.add(root.relativize(source) + ":" + (i + 1) + " writes " + literal.group(1)
                            + ": add a message to DeploymentMessages and call it");
                }
            }
        }
        assertThat(outside).as("ids written outside %s", CATALOGUE).isEmpty();
    }

    @Test
    void theDocumentationListsEveryIdOnce() throws IOException {
        Path doc = repositoryRoot().resolve(Path.of("docs", "deployment-errors.md"));
        List<String> rows = new ArrayList<>();
        for (String line : Files.readAllLines(doc, StandardCharsets.UTF_8)) {
            Matcher row = Pattern.compile("^\\|\\s*`?(WG-\\d{4})`?\\s*\\|").matcher(line);
            if (row.find()) {
                rows.add(row.group(1));
            }
        }
        assertThat(rows).as("table rows of %s", doc).doesNotHaveDuplicates()
                .containsExactlyInAnyOrderElementsOf(catalogueIds());
    }

    /** Every non-private static method of the catalogue returning a String: its messages. */
    private static List<Method> messageMethods() {
        List<Method> methods = Arrays.stream(DeploymentMessages.class.getDeclaredMethods())
                .filter(m -> Modifier.isStatic(m.getModifiers()) && !Modifier.isPrivate(m.getModifiers()))
                .filter(m -> m.getReturnType() == String.class && !m.isSynthetic())
                .sorted(Comparator.comparing(Method::getName)).toList();
        methods.forEach(m -> m.setAccessible(true));
        return methods;
    }

    private static Set<String> catalogueIds() {
        Set<String> ids = new TreeSet<>();
        for (Method m : messageMethods()) {
            for (Object[] args : sampleArguments(m)) {
                ids.add(invoke(m, args).substring(0, 7));
            }
        }
        return ids;
    }

    private static String invoke(Method m, Object[] args) {
        try {
            return (String) m.invoke(null, args);
        } catch (IllegalAccessException e) {
            throw new AssertionError(e);
        } catch (InvocationTargetException e) {
            throw new AssertionError(m.getName() + " failed with sample arguments " + Arrays.toString(args), e.getCause());
        }
    }

    /** Arguments to call a message with: one set, or one per constant of its enum parameter (each variant). */
    private static List<Object[]> sampleArguments(Method m) {
        Class<?>[] types = m.getParameterTypes();
        List<Object[]> variants = new ArrayList<>();
        variants.add(new Object[types.length]);
        for (int i = 0; i < types.length; i++) {
            if (types[i].isEnum()) {
                List<Object[]> expanded = new ArrayList<>();
                for (Object constant : types[i].getEnumConstants()) {
                    for (Object[] v : variants) {
                        Object[] copy = v.clone();
                        copy[i] = constant;
                        expanded.add(copy);
                    }
                }
                variants = expanded;
            } else {
                Object sample = sample(types[i], m);
                for (Object[] v : variants) {
                    v[i] = sample;
                }
            }
        }
        return variants;
    }

    private static Object sample(Class<?> type, Method message) {
        Map<Class<?>, Object> samples = new LinkedHashMap<>();
        samples.put(String.class, "sample");
        samples.put(Class.class, SampleGateway.class);
        samples.put(Method.class, sampleMethod());
        samples.put(Type.class, SampleGateway.class);
        samples.put(Collection.class, List.of("com.example.OneBus", "com.example.OtherBus"));
        samples.put(List.class, List.of("com.example.OneBus", "com.example.OtherBus"));
        samples.put(Throwable.class, new IllegalStateException("sample cause"));
        samples.put(Exception.class, new IllegalStateException("sample cause"));
        Object sample = samples.get(type);
        if (sample == null) {
            throw new AssertionError("No sample argument of type " + type.getName() + " for DeploymentMessages."
                    + message.getName() + ": add one to DeploymentMessagesTest.sample");
        }
        return sample;
    }

    private static Method sampleMethod() {
        try {
            return SampleGateway.class.getDeclaredMethod("onChat");
        } catch (NoSuchMethodException e) {
            throw new AssertionError(e);
        }
    }

    private static List<String> idsIn(String message) {
        List<String> ids = new ArrayList<>();
        Matcher id = ID.matcher(message);
        while (id.find()) {
            ids.add(id.group());
        }
        return ids;
    }

    /** The reactor root: the parent of this module's directory, the working directory of the tests. */
    private static Path repositoryRoot() {
        Path module = Path.of("").toAbsolutePath();
        Path root = module.getParent();
        if (root == null || !Files.isRegularFile(root.resolve(CATALOGUE))) {
            throw new UncheckedIOException(new IOException("Run with the cdi-extension module as working directory:"
                    + " no " + CATALOGUE + " under the parent of " + module));
        }
        return root;
    }
}
