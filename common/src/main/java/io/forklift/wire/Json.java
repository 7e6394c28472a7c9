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

    private Json() {}
}
