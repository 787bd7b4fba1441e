package io.connectorgateway.gateway.console;

import io.connectorgateway.contracts.Connector;
import io.connectorgateway.contracts.audit.AuditKind;
import io.connectorgateway.contracts.audit.AuditRecord;
import io.connectorgateway.contracts.audit.HistoryEntry;
import io.connectorgateway.gateway.audit.AuditIndex;
import io.connectorgateway.gateway.audit.AuditSearch;
import io.micronaut.core.annotation.Nullable;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * The Admin Audit search page: the filter form as the auditor filled it, one page of results newest
 * first, the link to the next (older) page and the export links of the same search.
 *
 * @param form       the filter fields as entered (empty strings when not given)
 * @param rows       this page's results
 * @param nextUrl    the next page's URL (the search's cursor), null on the last page
 * @param error      why the search was refused (a bad filter value), null when it ran
 * @param exhausted  the page stopped at the scan budget before it was full (the next page goes on)
 */
public record AuditPage(Chrome c, Map<String, String> form, List<Row> rows, @Nullable String nextUrl,
                        @Nullable String error, boolean exhausted, boolean firstPage) {
    /** The filter fields of the form, in order; the names are the admin API's query parameters. */
    public static final List<String> FIELDS = List.of("member", "externalUser", "room", "kind", "connector", "from", "to");
    public static final List<AuditKind> KINDS = Arrays.asList(AuditKind.values());
    public static final List<Connector> CONNECTORS = Arrays.asList(Connector.values());
    private static final DateTimeFormatter SHOWN = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss").withZone(ZoneOffset.UTC);
    private static final Pattern LOCAL = Pattern.compile("\\d{4}-\\d{2}-\\d{2}T\\d{2}:\\d{2}(:\\d{2})?");

    /**
     * One result: the audit record and, for a message, what the history says of it.
     *
     * @param message the message as the conversation history has it, null when the record is no message
     */
    public record Row(AuditRecord record, @Nullable Message message) {
        public String time() {
            return shown(record.timestamp());
        }

        public String iso() {
            return shownIso(record.timestamp());
        }
    }

    /**
     * A message as the history and the audit record say: its text (null once unsent or when the
     * content is gone), and each attachment's kind with what the decision did to it.
     */
    public record Message(boolean unsent, @Nullable String text, List<Marker> attachments, @Nullable AuditKind decision) {
        public boolean blocked() {
            return decision == AuditKind.BLOCKED;
        }

        public boolean contentGone() {
            return !unsent && text == null && attachments.isEmpty();
        }
    }

    /** One attachment: its kind, name if any, and whether the decision removed it (stripped) or refused the message for it (blocked). */
    public record Marker(String kind, @Nullable String name, String fate) {
    }

    /** The row for a hit: the history joined, attachments marked as the record's decision treated them. */
    public static Row row(AuditIndex.Hit hit) {
        return new Row(hit.record(), message(hit.record(), hit.history()));
    }

    @Nullable
    static Message message(AuditRecord r, @Nullable HistoryEntry h) {
        if (h == null) {
            return null;
        }
        List<String> stripped = listed(r.detail().get("strippedKinds"));
        List<String> blocked = listed(r.detail().get("blockedKinds"));
        List<Marker> markers = new ArrayList<>();
        h.attachments().forEach(a -> markers.add(new Marker(a.kind().name(), a.name(),
                blocked.contains(a.kind().name()) ? "blocked" : stripped.contains(a.kind().name()) ? "stripped" : "kept")));
        if (markers.isEmpty() && !h.unsent()) {
            // the content is gone (or never joined): the record's metadata still says which kinds were concerned
            r.attachmentKinds().forEach(k -> markers.add(new Marker(k, null,
                    blocked.contains(k) ? "blocked" : stripped.contains(k) ? "stripped" : "kept")));
        }
        AuditKind decision = h.decision() != null ? h.decision() : r.kind();
        return new Message(h.unsent(), h.unsent() ? null : h.text(), List.copyOf(markers), decision);
    }

    private static List<String> listed(@Nullable String csv) {
        return csv == null || csv.isBlank() ? List.of() : Arrays.asList(csv.split(","));
    }

    public static String shownIso(long millis) {
        return Instant.ofEpochMilli(millis).toString();
    }

    public static String shown(long millis) {
        return SHOWN.format(Instant.ofEpochMilli(millis));
    }

    /** The form's values (blank ones left out) as the service's filter; times entered as UTC date and time. */
    public static AuditSearch.Filter filter(Map<String, String> form) {
        return new AuditSearch.Filter(value(form, "room"), value(form, "member"), value(form, "externalUser"),
                value(form, "kind"), value(form, "connector"), instant(value(form, "from"), false),
                instant(value(form, "to"), true));
    }

    /**
     * A date and time from the form's {@code datetime-local} field (no zone: read as UTC) as an
     * ISO instant; the end of a range takes in its whole minute. Anything else is passed on as it
     * is, for the service to accept (epoch ms, ISO instant) or name as wrong.
     */
    @Nullable
    static String instant(@Nullable String value, boolean end) {
        if (value == null || !LOCAL.matcher(value).matches()) {
            return value;
        }
        LocalDateTime t = LocalDateTime.parse(value.length() == 16 ? value + ":00" : value);
        Instant i = t.toInstant(ZoneOffset.UTC);
        return (end ? i.plusMillis(value.length() == 16 ? 59_999 : 999) : i).toString();
    }

    @Nullable
    private static String value(Map<String, String> form, String name) {
        String v = form.get(name);
        return v == null || v.isBlank() ? null : v.trim();
    }

    /** The form's fields as entered, each present (empty when not given). */
    public static Map<String, String> entered(Map<String, String> query) {
        Map<String, String> out = new LinkedHashMap<>();
        for (String f : FIELDS) {
            String v = query.get(f);
            out.put(f, v == null ? "" : v.trim());
        }
        return out;
    }

    /** The query string of the search as entered (blank fields left out), plus {@code extra} pairs. */
    public static String query(Map<String, String> form, String... extra) {
        StringBuilder q = new StringBuilder();
        form.forEach((k, v) -> {
            if (!v.isEmpty()) {
                q.append(q.isEmpty() ? "" : "&").append(k).append('=').append(URLEncoder.encode(v, StandardCharsets.UTF_8));
            }
        });
        for (int i = 0; i + 1 < extra.length; i += 2) {
            q.append(q.isEmpty() ? "" : "&").append(extra[i]).append('=')
                    .append(URLEncoder.encode(extra[i + 1], StandardCharsets.UTF_8));
        }
        return q.toString();
    }

    public String value(String field) {
        return form.getOrDefault(field, "");
    }

    public String base() {
        return "/console/tenants/" + c.tenant() + "/audit";
    }

    public String exportUrl(String format) {
        return base() + "/export?" + query(form, "format", format);
    }

    public String roomUrl(String room) {
        return base() + "/rooms/" + room;
    }

    public boolean filtered() {
        return form.values().stream().anyMatch(v -> !v.isEmpty());
    }
}
