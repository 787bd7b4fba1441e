package io.connectorgateway.contracts.event;

/**
 * One piece of non-text content. Only metadata travels through Kafka; the bytes stay with the
 * platform and are referred to by {@code contentRef}.
 *
 * @param kind       what it is
 * @param name       file name or title, if any
 * @param sizeBytes  size in bytes, if known
 * @param contentRef the platform's reference to the content (LINE message id, Drive id, ...), if any
 */
public record Attachment(AttachmentKind kind, String name, Long sizeBytes, String contentRef) {
    public Attachment {
        if (kind == null) {
            throw new IllegalArgumentException("attachment.kind is required");
        }
        if (name != null && name.length() > 1024) {
            throw new IllegalArgumentException("attachment.name is longer than 1024 characters");
        }
        if (sizeBytes != null && sizeBytes < 0) {
            throw new IllegalArgumentException("attachment.sizeBytes must not be negative");
        }
        if (contentRef != null && contentRef.length() > 2048) {
            throw new IllegalArgumentException("attachment.contentRef is longer than 2048 characters");
        }
    }

    public static Attachment of(AttachmentKind kind) {
        return new Attachment(kind, null, null, null);
    }
}
