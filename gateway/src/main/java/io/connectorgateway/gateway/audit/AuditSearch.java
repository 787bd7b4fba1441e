package io.connectorgateway.gateway.audit;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.connectorgateway.contracts.Connector;
import io.connectorgateway.contracts.Ids;
import io.connectorgateway.contracts.audit.AuditKind;
import io.connectorgateway.contracts.json.Json;
import io.connectorgateway.gateway.admin.AdminPrincipal;
import io.connectorgateway.gateway.admin.ApiException;
import io.connectorgateway.gateway.admin.RequestJson;
import io.micronaut.core.annotation.Nullable;
import jakarta.inject.Singleton;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

/**
 * Audit search as a service: the one implementation behind the admin API's {@code GET .../audit}
 * and every console page that reads the trail (search, conversation view, export). It checks the
 * filter, reads a page from the tenant's index ({@link AuditView}) and, before the page is handed
 * back, audits the read of content ({@link ContentReads}): a read whose record Kafka refuses is
 * refused (503) and nothing is answered. The caller routes the request to the tenant's owner first.
 */
@Singleton
public final class AuditSearch {
    /** The filter as the caller gave it (each value null when not given); checked by {@link #query}. */
    public record Filter(@Nullable String room, @Nullable String member, @Nullable String externalUser,
                         @Nullable String kind, @Nullable String connector, @Nullable String from, @Nullable String to) {
        public static final Filter NONE = new Filter(null, null, null, null, null, null, null);

        public Filter withRoom(String newRoom) {
            return new Filter(newRoom, member, externalUser, kind, connector, from, to);
        }
    }

    /** A page read for someone: the hits, the cursor to the next page (null on the last), how many carried content. */
    public record Result(AuditIndex.Page page, int withContent) {
    }

    private final AuditView view;
    private final AuditConfig config;
    private final ContentReads reads;

    public AuditSearch(AuditView view, AuditConfig config, ContentReads reads) {
        this.view = view;
        this.config = config;
        this.reads = reads;
    }

    /** The page size for {@code limit} (the default when null). @throws ApiException 400 outside 1..max */
    public int limit(@Nullable Integer limit) {
        int n = limit == null ? config.defaultLimit() : limit;
        if (n < 1 || n > config.maxLimit()) {
            throw ApiException.badRequest("limit must be 1.." + config.maxLimit());
        }
        return n;
    }

    public int maxLimit() {
        return config.maxLimit();
    }

    /** The checked query for {@code tenant}. @throws ApiException 400 naming the bad value */
    public AuditQuery query(String tenant, Filter f) {
        String t = RequestJson.tenant(tenant);
        AuditKind k = null;
        if (f.kind() != null) {
            try {
                k = AuditKind.valueOf(f.kind().toUpperCase(Locale.ROOT));
            } catch (IllegalArgumentException e) {
                throw ApiException.badRequest("unknown kind '" + f.kind() + "'");
            }
        }
        Connector c = f.connector() == null ? null : RequestJson.connector(f.connector());
        return new AuditQuery(t, id("room", f.room()), id("member", f.member()), id("externalUser", f.externalUser()), k, c,
                time("from", f.from()), time("to", f.to()));
    }

    /**
     * One page, newest first, after {@code cursor}; the read is audited as {@code who} through
     * {@code surface} (the filter, limit and cursor as given, how many results, how many with content)
     * before it is returned.
     *
     * @throws ApiException 400 for a cursor this index did not make, 503 when the audit record is refused
     */
    public Result search(AdminPrincipal who, String surface, AuditQuery q, Filter given, int limit, @Nullable String cursor) {
        AuditIndex.Page page;
        try {
            page = view.search(q, limit, cursor, config.scanBudget());
        } catch (IllegalArgumentException e) {
            throw ApiException.badRequest(e.getMessage());
        }
        int withContent = 0;
        for (AuditIndex.Hit hit : page.hits()) {
            if (hit.history() != null && (hit.history().text() != null || !hit.history().attachments().isEmpty())) {
                withContent++;
            }
        }
        Map<String, String> filter = new LinkedHashMap<>();
        filter.put("room", given.room());
        filter.put("member", given.member());
        filter.put("externalUser", given.externalUser());
        filter.put("kind", given.kind());
        filter.put("connector", given.connector());
        filter.put("from", given.from());
        filter.put("to", given.to());
        filter.put("limit", Integer.toString(limit));
        filter.put("cursor", cursor);
        reads.record(who, q.tenant(), surface, filter, page.hits().size(), withContent);
        return new Result(page, withContent);
    }

    /** A hit as the API answers it: the audit record plus {@code message: {unsent, text, attachments, decision}}. */
    public static ObjectNode json(AuditIndex.Hit hit) {
        ObjectNode item = Json.mapper().valueToTree(hit.record());
        if (hit.history() != null) {
            ObjectNode message = item.putObject("message");
            message.put("unsent", hit.history().unsent());
            if (hit.history().text() != null) {
                message.put("text", hit.history().text());
            }
            message.set("attachments", Json.mapper().valueToTree(hit.history().attachments()));
            if (hit.history().decision() != null) {
                message.put("decision", hit.history().decision().name());
            }
        }
        return item;
    }

    private static String id(String name, String value) {
        if (value != null && !Ids.isValid(value)) {
            throw ApiException.badRequest(name + " '" + value + "' is not a valid id");
        }
        return value;
    }

    /** Epoch milliseconds or an ISO-8601 instant. */
    static Long time(String name, String value) {
        if (value == null || value.isBlank()) {
            return null;
        }
        try {
            return value.chars().allMatch(Character::isDigit) ? Long.parseLong(value) : Instant.parse(value).toEpochMilli();
        } catch (NumberFormatException | DateTimeParseException e) {
            throw ApiException.badRequest(name + " must be epoch milliseconds or an ISO-8601 instant, got '" + value + "'");
        }
    }
}
