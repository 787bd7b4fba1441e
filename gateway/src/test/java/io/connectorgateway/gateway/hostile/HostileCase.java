package io.connectorgateway.gateway.hostile;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * One hostile request of the corpus and the answer the gateway owes it.
 *
 * @param category the group it is reported under (one dynamic container per category)
 * @param name     what is hostile about it, readable in the test report
 */
record HostileCase(String category, String name, Request request, Expect expect) {

    /**
     * An HTTP request, kept as data so a case can be printed and replayed. {@code headers} may
     * name a header twice (duplicated-header cases); {@code chunked} sends the body without a
     * Content-Length, so the size limit must hold while the body streams in.
     */
    record Request(String method, String path, List<Map.Entry<String, String>> headers, byte[] body, boolean chunked) {
        static Request post(String path, byte[] body, String... headers) {
            return new Request("POST", path, pairs(headers), body, false);
        }

        static Request of(String method, String path, byte[] body, String... headers) {
            return new Request(method, path, pairs(headers), body, false);
        }

        Request chunkedBody() {
            return new Request(method, path, headers, body, true);
        }

        Request withHeader(String name, String value) {
            List<Map.Entry<String, String>> h = new ArrayList<>(headers);
            h.add(Map.entry(name, value));
            return new Request(method, path, h, body, chunked);
        }

        private static List<Map.Entry<String, String>> pairs(String... headers) {
            List<Map.Entry<String, String>> out = new ArrayList<>();
            for (int i = 0; i < headers.length; i += 2) {
                if (headers[i + 1] != null) {
                    out.add(Map.entry(headers[i], headers[i + 1]));
                }
            }
            return out;
        }

        @Override
        public String toString() {
            return method + " " + path + " " + headers.stream().map(e -> e.getKey() + ": " + abbreviate(e.getValue())).toList()
                    + " body=" + (body == null ? "none" : body.length + " bytes " + abbreviate(new String(body, StandardCharsets.UTF_8)));
        }

        private static String abbreviate(String s) {
            return s.length() <= 120 ? s : s.substring(0, 120) + "...(" + s.length() + ")";
        }
    }

    /** What the gateway must answer. */
    sealed interface Expect {
        int status();
    }

    /**
     * Refused as a whole: {@code status}, and in the JSON body {@code field} (webhooks: reason;
     * admin API: error) equal to {@code value}; {@code field == null} for answers of the HTTP
     * layer itself (404, 405, 415 of the admin routes), which must still carry a message.
     * {@code messageHint}, when given, must appear in the message (case-insensitive), and for
     * 422 {@code rule} must be the first violation's SPEC rule.
     */
    record Refused(int status, String field, String value, String messageHint, String rule) implements Expect {
    }

    /** A signed, well-formed webhook whose events have no product meaning: 200, all ignored and counted. */
    record Ignored(int events) implements Expect {
        @Override
        public int status() {
            return 200;
        }
    }

    /**
     * A signed, well-formed webhook whose events cannot become canonical events: 200, each on
     * {@code connector.dlq} with its reason (README "Signed but unmappable events go to connector.dlq").
     */
    record DeadLettered(int events, String reasonHint) implements Expect {
        @Override
        public int status() {
            return 200;
        }
    }

    /**
     * A friend-add URL that is not the tenant's current one: the HTML page saying it is no longer
     * valid, never a redirect, and one {@code REFUSED} (R5) audit record of the visit on
     * {@code connector.audit.intake} for {@code tenant}, naming {@code member} when the token was
     * theirs (null: a token the tenant never issued).
     */
    record FriendRefused(int status, String tenant, String member) implements Expect {
    }

    static Expect webhook(int status, String reason) {
        return new Refused(status, "reason", reason, null, null);
    }

    static Expect webhook(int status, String reason, String hint) {
        return new Refused(status, "reason", reason, hint, null);
    }

    static Expect admin(int status, String error) {
        return new Refused(status, "error", error, null, null);
    }

    static Expect admin(int status, String error, String hint) {
        return new Refused(status, "error", error, hint, null);
    }

    static Expect rule(String rule, String hint) {
        return new Refused(422, "error", "validation", hint, rule);
    }

    static Expect http(int status) {
        return new Refused(status, null, null, null, null);
    }
}
