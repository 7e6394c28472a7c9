package io.forklift.wire;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.StreamReadConstraints;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.MapperFeature;
import com.fasterxml.jackson.databind.Module;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.json.JsonMapper;
import java.util.ArrayList;
import java.util.List;

/**
 * The one configured Jackson mapper every part of Forklift uses. No default typing, so a type hint
 * such as {@code "@class"} inside a payload is plain data; nesting and string sizes are bounded, so a
 * hostile document fails to parse instead of exhausting the stack or the heap.
 */
public final class Json {
    /** Deeper documents are rejected by the parser (a 100,000-deep array must not reach the stack). */
    public static final int MAX_NESTING_DEPTH = 256;

    /**
     * A JVM property naming the Jackson modules to register, as class names separated by commas (none if
     * empty): a child's worker sends the ones it found, so the child skips the class-path search, which
     * opens every jar on it (~35 ms of a child's start). Unset, the modules are found as Jackson's
     * {@code findAndAddModules} finds them.
     */
    public static final String MODULES_PROPERTY = "forklift.jacksonModules";

    private static final List<Module> MODULES = modules(System.getProperty(MODULES_PROPERTY));

    public static final ObjectMapper MAPPER = JsonMapper.builder(JsonFactory.builder()
                    .streamReadConstraints(StreamReadConstraints.builder()
                            .maxNestingDepth(MAX_NESTING_DEPTH)
                            .maxStringLength(64 * 1024 * 1024)
                            .build())
                    .build())
            .enable(MapperFeature.BLOCK_UNSAFE_POLYMORPHIC_BASE_TYPES)
            .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
            .disable(SerializationFeature.FAIL_ON_EMPTY_BEANS)
            .addModules(MODULES)
            .build();

    /** The class names of the modules {@link #MAPPER} registered, for {@link #MODULES_PROPERTY}. */
    public static List<String> moduleClasses() {
        return MODULES.stream().map(m -> m.getClass().getName()).toList();
    }

    /**
     * The modules {@code names} lists (see {@link #MODULES_PROPERTY}), each made with its no-argument
     * constructor as a service would be; for null, those the class path's service lists name.
     */
    static List<Module> modules(String names) {
        if (names == null) return ObjectMapper.findModules();
        List<Module> modules = new ArrayList<>();
        for (String name : names.split(",")) {
            if (name.isBlank()) continue;
            try {
                modules.add((Module)
                        Class.forName(name.strip()).getDeclaredConstructor().newInstance());
            } catch (ReflectiveOperationException | ClassCastException e) {
                throw new IllegalStateException("the Jackson module " + name + " in -D" + MODULES_PROPERTY
                        + " could not be made (" + e + "); name modules that are on the class path");
            }
        }
        return modules;
    }

    /**
     * Throws {@link IllegalArgumentException} if {@code node} nests deeper than a reader of this
     * mapper accepts ({@link #MAX_NESTING_DEPTH}): a sender checks before writing what no one could read.
     */
    public static void checkDepth(com.fasterxml.jackson.databind.JsonNode node, String what) {
        java.util.ArrayDeque<com.fasterxml.jackson.databind.JsonNode> level = new java.util.ArrayDeque<>();
        level.add(node);
        int depth = 0;
        while (!level.isEmpty()) {
            if (++depth > MAX_NESTING_DEPTH - 4) { // the message's own envelope takes a few levels
                throw new IllegalArgumentException(what + " nest deeper than " + (MAX_NESTING_DEPTH - 4)
                        + " levels, more than a worker reads; flatten them");
            }
            java.util.ArrayDeque<com.fasterxml.jackson.databind.JsonNode> next = new java.util.ArrayDeque<>();
            for (com.fasterxml.jackson.databind.JsonNode n : level) {
                if (n.isContainerNode()) n.forEach(next::add);
            }
            level = next;
        }
    }

    private Json() {}
}
