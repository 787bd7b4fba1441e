package io.connectorgateway.gateway.input;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.exc.MismatchedInputException;
import com.fasterxml.jackson.databind.exc.UnrecognizedPropertyException;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CharsetDecoder;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.Collection;
import java.util.Map;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

/**
 * Checks and error messages for JSON that comes from outside.
 *
 * <p>Why a UTF-8 check of our own: Jackson's byte parser refuses many malformed sequences but lets
 * overlong forms (C0 AF for '/'), lead bytes F5..FF and code points above U+10FFFF through inside
 * strings and names, turning them into characters; those would then travel as event text or
 * settings. The JDK decoder (REPORT) refuses every ill-formed sequence of RFC 3629, surrogates
 * included.
 *
 * <p>Why our own messages: Jackson's messages name Java types ({@code `java.lang.Long`}, the
 * request classes) and parser features; the answer says what is wrong in the client's terms.
 */
public final class UntrustedJson {
    private static final Pattern FEATURE_HINT = Pattern.compile(":?\\s*(enable|disable) `[^`]*`( to allow)?|\\s*\\(?,?\\s*from `[^`]*`\\)?");
    private static final Pattern SOURCE = Pattern.compile("Source: [^;\\]]*;\\s*");
    private static final Pattern BACKTICKED = Pattern.compile("`[^`]*`");
    /**
     * Jackson quotes the text of a token it does not recognise: an unquoted string value, which may be
     * a secret the client forgot to quote ({@code "addSecret": s3cr3t}). The answer names no input.
     */
    private static final Pattern UNRECOGNIZED_TOKEN = Pattern.compile("Unrecognized token '.*'(?=: was expecting)", Pattern.DOTALL);

    private UntrustedJson() {
    }

    /** Null when {@code body} is well-formed UTF-8, else what is wrong and where. */
    public static String utf8Problem(byte[] body) {
        CharsetDecoder decoder = StandardCharsets.UTF_8.newDecoder()
                .onMalformedInput(CodingErrorAction.REPORT)
                .onUnmappableCharacter(CodingErrorAction.REPORT);
        ByteBuffer in = ByteBuffer.wrap(body);
        try {
            decoder.decode(in);
            return null;
        } catch (CharacterCodingException e) {
            // the decoder stops at the first bad sequence: its position is the buffer's
            int at = in.position();
            return "invalid UTF-8 at byte " + at + " (0x" + String.format("%02X", body[Math.min(at, body.length - 1)] & 0xFF)
                    + "): the body must be well-formed UTF-8";
        }
    }

    /** A client-safe description of why {@code e}'s JSON was refused. */
    public static String describe(JsonProcessingException e) {
        if (e instanceof UnrecognizedPropertyException u) {
            Collection<Object> known = u.getKnownPropertyIds();
            return "unknown field '" + path(u) + "'" + (known == null || known.isEmpty() ? ""
                    : " (known: " + known.stream().map(String::valueOf).sorted().collect(Collectors.joining(", ")) + ")");
        }
        if (e instanceof MismatchedInputException m && m.getTargetType() != null) {
            String where = path(m);
            return (where.isEmpty() ? "the body" : "field '" + where + "'") + " must be " + expected(m.getTargetType());
        }
        return clean(e.getOriginalMessage());
    }

    /** Jackson's message without type names, feature names, source excerpts and the text of unrecognised tokens. */
    static String clean(String message) {
        if (message == null || message.isBlank()) {
            return "malformed JSON";
        }
        String m = UNRECOGNIZED_TOKEN.matcher(message).replaceAll("Unrecognized token (an unquoted value?)");
        m = SOURCE.matcher(m).replaceAll("");
        m = FEATURE_HINT.matcher(m).replaceAll("");
        m = BACKTICKED.matcher(m).replaceAll("value");
        m = m.replaceAll("\\s+", " ").trim();
        return m.length() <= 300 ? m : m.substring(0, 300) + "...";
    }

    private static String path(JsonMappingException e) {
        StringBuilder sb = new StringBuilder();
        for (JsonMappingException.Reference r : e.getPath()) {
            if (r.getFieldName() != null) {
                if (!sb.isEmpty()) {
                    sb.append('.');
                }
                sb.append(r.getFieldName());
            } else if (r.getIndex() >= 0) {
                sb.append('[').append(r.getIndex()).append(']');
            }
        }
        return sb.toString();
    }

    private static String expected(Class<?> type) {
        if (type.isEnum()) {
            StringBuilder values = new StringBuilder();
            for (Object c : type.getEnumConstants()) {
                values.append(values.isEmpty() ? "" : ", ").append(((Enum<?>) c).name());
            }
            return "one of " + values;
        }
        if (type == Boolean.class || type == boolean.class) {
            return "true or false";
        }
        if (type == Long.class || type == long.class || type == Integer.class || type == int.class) {
            return "a whole number";
        }
        if (Number.class.isAssignableFrom(type)) {
            return "a number";
        }
        if (type == String.class) {
            return "a string";
        }
        if (Collection.class.isAssignableFrom(type) || type.isArray()) {
            return "an array";
        }
        if (Map.class.isAssignableFrom(type)) {
            return "an object of names to values";
        }
        return "an object";
    }
}
