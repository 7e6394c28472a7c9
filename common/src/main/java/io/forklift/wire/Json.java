package io.forklift.wire;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.StreamReadConstraints;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.MapperFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.json.JsonMapper;

/**
 * The one configured Jackson mapper every part of Forklift uses. No default typing, so a type hint
 * such as {@code "@class"} inside a payload is plain data; nesting and string sizes are bounded, so a
 * hostile document fails to parse instead of exhausting the stack or the heap.
 */
public final class Json {
    /** Deeper documents are rejected by the parser (a 100,000-deep array must not reach the stack). */
    public static final int MAX_NESTING_DEPTH = 256;

    public static final ObjectMapper MAPPER = JsonMapper.builder(JsonFactory.builder()
                    .streamReadConstraints(StreamReadConstraints.builder()
                            .maxNestingDepth(MAX_NESTING_DEPTH)
                            .maxStringLength(64 * 1024 * 1024)
                            .build())
                    .build())
            .enable(MapperFeature.BLOCK_UNSAFE_POLYMORPHIC_BASE_TYPES)
            .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
            .disable(SerializationFeature.FAIL_ON_EMPTY_BEANS)
            .findAndAddModules()
            .build();

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
