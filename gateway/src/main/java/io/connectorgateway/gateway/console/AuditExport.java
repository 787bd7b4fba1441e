package io.connectorgateway.gateway.console;

import com.fasterxml.jackson.core.JsonProcessingException;
import io.connectorgateway.contracts.audit.AuditRecord;
import io.connectorgateway.contracts.json.Json;
import io.connectorgateway.gateway.admin.AdminPrincipal;
import io.connectorgateway.gateway.audit.AuditIndex;
import io.connectorgateway.gateway.audit.AuditQuery;
import io.connectorgateway.gateway.audit.AuditSearch;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Locale;

/**
 * The export of a search as CSV or JSON Lines, streamed: an {@link InputStream} that reads the next
 * page of the search ({@link AuditSearch}, pages of the largest size) only when the previous one was
 * sent, so an export of any length holds one page in memory. Every page is a read of content and is
 * audited by the service before its rows are written, as each page of the API's search is (surface
 * {@code console-export:csv} / {@code console-export:jsonl}); when Kafka refuses that record, the
 * stream ends with an error and the download breaks off, without the page.
 *
 * <p>CSV: RFC 4180 (quoted when needed, quotes doubled, CRLF), UTF-8 with a byte-order mark (so
 * spreadsheet programs read Japanese text right), and a cell that a spreadsheet would take for a
 * formula (starting with {@code = + - @}, tab or carriage return) is prefixed with {@code '}.
 * JSON Lines: each line the item exactly as the API's search answers it.
 */
final class AuditExport extends InputStream {
    enum Format {
        CSV("text/csv;charset=utf-8", "csv"), JSONL("application/x-ndjson;charset=utf-8", "jsonl");

        final String contentType;
        final String extension;

        Format(String contentType, String extension) {
            this.contentType = contentType;
            this.extension = extension;
        }

        static Format of(String name) {
            return name == null ? null : switch (name.toLowerCase(Locale.ROOT)) {
                case "csv" -> CSV;
                case "jsonl", "ndjson" -> JSONL;
                default -> null;
            };
        }
    }

    static final List<String> COLUMNS = List.of("time", "auditId", "kind", "connector", "roomId", "memberId",
            "externalUserId", "direction", "actor", "rule", "reason", "eventId", "attachmentKinds", "unsent", "text",
            "attachments", "decision");

    private final AuditSearch search;
    private final AdminPrincipal who;
    private final AuditQuery query;
    private final AuditSearch.Filter filter;
    private final Format format;
    private final int pageSize;
    private String cursor;
    private boolean last;
    private byte[] buffer;
    private int position;

    /** Reads the first page at once, so a refused search (bad cursor, audit record refused) is an error page, not a broken download. */
    AuditExport(AuditSearch search, AdminPrincipal who, AuditQuery query, AuditSearch.Filter filter, Format format) {
        this.search = search;
        this.who = who;
        this.query = query;
        this.filter = filter;
        this.format = format;
        this.pageSize = search.maxLimit();
        StringBuilder head = new StringBuilder();
        if (format == Format.CSV) {
            head.append('\uFEFF');
            for (int i = 0; i < COLUMNS.size(); i++) {
                head.append(i == 0 ? "" : ",").append(COLUMNS.get(i));
            }
            head.append("\r\n");
        }
        buffer = (head + page()).getBytes(StandardCharsets.UTF_8);
    }

    /** The next page's rows (possibly none, when a page ended at the scan budget); marks the last page. */
    private String page() {
        AuditSearch.Result result = search.search(who, "console-export:" + format.extension, query, filter, pageSize, cursor);
        StringBuilder out = new StringBuilder();
        for (AuditIndex.Hit hit : result.page().hits()) {
            out.append(format == Format.CSV ? csv(hit) : json(hit)).append(format == Format.CSV ? "\r\n" : "\n");
        }
        cursor = result.page().cursor();
        last = cursor == null;
        return out.toString();
    }

    /** False at the end; an IOException (the download breaks off) when a page cannot be read or its read not audited. */
    private boolean fill() throws IOException {
        while (position >= buffer.length) {
            if (last) {
                return false;
            }
            try {
                buffer = page().getBytes(StandardCharsets.UTF_8);
            } catch (RuntimeException e) {
                last = true;
                buffer = new byte[0];
                throw new IOException("the export stopped: " + e.getMessage(), e);
            }
            position = 0;
        }
        return true;
    }

    @Override
    public int read() throws IOException {
        return fill() ? buffer[position++] & 0xff : -1;
    }

    @Override
    public int read(byte[] b, int off, int len) throws IOException {
        if (len == 0) {
            return 0;
        }
        if (!fill()) {
            return -1;
        }
        int n = Math.min(len, buffer.length - position);
        System.arraycopy(buffer, position, b, off, n);
        position += n;
        return n;
    }

    private static String json(AuditIndex.Hit hit) {
        try {
            return Json.mapper().writeValueAsString(AuditSearch.json(hit));
        } catch (JsonProcessingException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static String csv(AuditIndex.Hit hit) {
        AuditRecord r = hit.record();
        AuditPage.Message m = AuditPage.message(r, hit.history());
        String attachments = m == null ? "" : String.join(" ", m.attachments().stream()
                .map(a -> a.kind() + (a.fate().equals("kept") ? "" : "(" + a.fate() + ")")).toList());
        List<String> cells = List.of(AuditPage.shownIso(r.timestamp()), r.auditId(), r.kind().name(), text(r.connector()),
                text(r.roomId()), text(r.memberId()), text(r.externalUserId()), text(r.direction()),
                r.actor() == null ? "" : r.actor().id() + " (" + r.actor().role() + ")", text(r.rule()), text(r.reason()),
                text(r.eventId()), String.join(" ", r.attachmentKinds()), m == null ? "" : Boolean.toString(m.unsent()),
                m == null ? "" : text(m.text()), attachments, m == null || m.decision() == null ? "" : m.decision().name());
        StringBuilder line = new StringBuilder();
        for (int i = 0; i < cells.size(); i++) {
            line.append(i == 0 ? "" : ",").append(cell(cells.get(i)));
        }
        return line.toString();
    }

    private static String text(Object value) {
        return value == null ? "" : value.toString();
    }

    /** One CSV cell: a would-be formula defused with a leading {@code '}, then quoted when it holds , " CR or LF. */
    static String cell(String value) {
        String v = value;
        if (!v.isEmpty() && "=+-@\t\r".indexOf(v.charAt(0)) >= 0) {
            v = "'" + v;
        }
        if (v.indexOf(',') >= 0 || v.indexOf('"') >= 0 || v.indexOf('\n') >= 0 || v.indexOf('\r') >= 0) {
            v = '"' + v.replace("\"", "\"\"") + '"';
        }
        return v;
    }
}
