package io.connectorgateway.contracts.json;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.StreamReadConstraints;
import com.fasterxml.jackson.core.StreamReadFeature;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.MapperFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.ObjectReader;
import com.fasterxml.jackson.databind.ObjectWriter;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.cfg.CoercionAction;
import com.fasterxml.jackson.databind.cfg.CoercionInputShape;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.type.LogicalType;
import com.fasterxml.jackson.datatype.jdk8.Jdk8Module;

/**
 * The one JSON mapper of the project, hardened for input that comes from outside.
 *
 * <ul>
 *   <li>Size limits ({@link StreamReadConstraints}): document length, nesting depth, string and
 *       number length; a document over a limit is refused before it is materialised.</li>
 *   <li>No default typing and no polymorphic type ids anywhere: a payload can never choose the
 *       class it is read into, which closes the gadget-chain family of attacks.</li>
 *   <li>Strictness: duplicate keys, trailing tokens, numbers for enums and
 *       strings coerced into numbers or booleans are refused. Malformed UTF-8 is refused by
 *       Jackson's byte parser.</li>
 * </ul>
 *
 * <p>Readers come in two flavours: {@link #lenientReader} ignores unknown fields (events and
 * commands, so that newer producers do not break older consumers), {@link #strictReader} refuses
 * them (settings, where an ignored misspelt field would silently change nothing).
 */
public final class Json {
    /** Largest JSON document accepted, in bytes (also the webhook body limit). */
    public static final int MAX_DOCUMENT_BYTES = 1024 * 1024;
    /** Deepest nesting of objects and arrays accepted. */
    public static final int MAX_DEPTH = 32;
    /** Longest string value accepted, in characters. */
    public static final int MAX_STRING_LENGTH = 256 * 1024;
    /** Longest number accepted, in characters. */
    public static final int MAX_NUMBER_LENGTH = 64;
    /** Longest property name accepted, in characters. */
    public static final int MAX_NAME_LENGTH = 256;

    private static final ObjectMapper MAPPER = build();

    private Json() {
    }

    private static ObjectMapper build() {
        JsonFactory factory = JsonFactory.builder()
                .streamReadConstraints(StreamReadConstraints.builder()
                        .maxDocumentLength(MAX_DOCUMENT_BYTES)
                        .maxNestingDepth(MAX_DEPTH)
                        .maxStringLength(MAX_STRING_LENGTH)
                        .maxNumberLength(MAX_NUMBER_LENGTH)
                        .maxNameLength(MAX_NAME_LENGTH)
                        .build())
                .enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION)
                .build();
        JsonMapper mapper = JsonMapper.builder(factory)
                .addModule(new Jdk8Module())
                .disable(MapperFeature.ALLOW_COERCION_OF_SCALARS)
                .disable(MapperFeature.DEFAULT_VIEW_INCLUSION)
                // Missing or null primitives read as 0 / false; the records' constructors refuse
                // the ones that matter (timestamp, version) with a message naming the field.
                .disable(DeserializationFeature.FAIL_ON_NULL_FOR_PRIMITIVES)
                .enable(DeserializationFeature.FAIL_ON_NUMBERS_FOR_ENUMS)
                .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
                .enable(DeserializationFeature.FAIL_ON_READING_DUP_TREE_KEY)
                .disable(DeserializationFeature.ACCEPT_FLOAT_AS_INT)
                .disable(DeserializationFeature.READ_UNKNOWN_ENUM_VALUES_AS_NULL)
                .disable(SerializationFeature.FAIL_ON_EMPTY_BEANS)
                .disable(SerializationFeature.WRITE_DATES_AS_TIMESTAMPS)
                .serializationInclusion(JsonInclude.Include.NON_NULL)
                .build();
        for (LogicalType type : new LogicalType[] {LogicalType.Integer, LogicalType.Float, LogicalType.Boolean}) {
            mapper.coercionConfigFor(type).setCoercion(CoercionInputShape.String, CoercionAction.Fail);
        }
        mapper.coercionConfigFor(LogicalType.Enum).setCoercion(CoercionInputShape.EmptyString, CoercionAction.Fail);
        return mapper;
    }

    /** The shared mapper. Do not reconfigure it; derive readers and writers instead. */
    public static ObjectMapper mapper() {
        return MAPPER;
    }

    /** A reader that refuses unknown fields. */
    public static ObjectReader strictReader(Class<?> type) {
        return MAPPER.readerFor(type).with(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES);
    }

    /** A reader that ignores unknown fields. */
    public static ObjectReader lenientReader(Class<?> type) {
        return MAPPER.readerFor(type).without(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES);
    }

    public static ObjectWriter writer() {
        return MAPPER.writer();
    }
}
