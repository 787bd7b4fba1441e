package io.connectorgateway.gateway.audit;

import io.connectorgateway.contracts.audit.AuditKind;
import io.connectorgateway.contracts.audit.AuditRecord;
import io.connectorgateway.gateway.admin.AdminPrincipal;
import io.connectorgateway.gateway.admin.AdminWriter;
import jakarta.inject.Singleton;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.UUID;

/**
 * Every read of conversation content is itself audited (SPEC "Admin roles"): one
 * {@link AuditKind#CONTENT_READ} record per read, written to {@code connector.audit.intake} like the
 * other admin audit records, before the content is answered. The filter is kept in {@code detail}
 * ({@code filter.room}, ...), not in the record's room/member/user fields, so a search for a
 * conversation finds the conversation and not the reads of it. When Kafka does not take the record,
 * the read is refused (503): no content leaves without its audit record.
 */
@Singleton
public final class ContentReads {
    private final AdminWriter writer;

    public ContentReads(AdminWriter writer) {
        this.writer = writer;
    }

    /**
     * @param who         the caller
     * @param tenant      whose content
     * @param surface     what was read (e.g. {@code audit-search})
     * @param filter      the filter as given (null values are left out)
     * @param results     how many results were answered
     * @param withContent how many of them carried message content
     */
    public void record(AdminPrincipal who, String tenant, String surface, Map<String, String> filter, int results,
                       int withContent) {
        Map<String, String> detail = new LinkedHashMap<>();
        filter.forEach((k, v) -> {
            if (v != null) {
                detail.put("filter." + k, v.length() > 200 ? v.substring(0, 200) + "..." : v);
            }
        });
        detail.put("surface", surface);
        detail.put("results", Integer.toString(results));
        detail.put("withContent", Integer.toString(withContent));
        String id = "content-read:" + UUID.randomUUID();
        AuditRecord record = AuditRecord.builder(id, tenant, AuditKind.CONTENT_READ, "R10")
                .reason(who.id() + " (" + who.role() + ") read " + results + " result(s), " + withContent + " with content, by "
                        + surface)
                .at(System.currentTimeMillis()).cause(id).actor(who.actor()).detail(detail)
                .build();
        writer.write(writer.batch().audit(record));
    }
}
