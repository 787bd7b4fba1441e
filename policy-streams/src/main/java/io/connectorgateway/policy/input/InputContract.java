package io.connectorgateway.policy.input;

import io.connectorgateway.contracts.Connector;
import io.connectorgateway.contracts.audit.AuditRecord;
import io.connectorgateway.contracts.content.ContentKey;
import io.connectorgateway.contracts.event.ConnectorEvent;
import io.connectorgateway.contracts.event.DirectoryEvent;
import io.connectorgateway.contracts.settings.ConnectedMember;
import io.connectorgateway.contracts.settings.SettingsRules;
import io.connectorgateway.contracts.settings.TenantSettings;
import io.connectorgateway.contracts.topic.Topic;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Checks each input record against the topic contract before it reaches the rules. A record
 * failing a check is poison: it throws {@link InvalidInputException} and lands on the DLQ.
 *
 * <p>The key checks matter for correctness, not tidiness: rooms are found by key, so an event
 * keyed by anything but its pair key would be judged on a partition that does not hold its room.
 */
public final class InputContract {
    private static final Logger LOG = LoggerFactory.getLogger(InputContract.class);
    private InputContract() {
    }

    public static ConnectorEvent event(Connector topicConnector, String key, ConnectorEvent event) {
        if (event.connector() != topicConnector) {
            throw new InvalidInputException("a " + event.connector() + " event (" + event.eventId() + ") on the "
                    + topicConnector + " events topic");
        }
        if (!event.pairKey().equals(key)) {
            throw new InvalidInputException("event " + event.eventId() + " is keyed '" + key
                    + "' but event topics are keyed by tenant:connector:member:externalUser = '" + event.pairKey() + "'");
        }
        return event;
    }

    /**
     * Settings must satisfy the product rules, except R1: a row whose plan is below LITE is still
     * applied and treated as disabled (SPEC R1), because that is how a plan downgrade reaches rooms.
     */
    public static TenantSettings settings(String key, TenantSettings settings) {
        if (!settings.key().equals(key)) {
            throw new InvalidInputException("settings for " + settings.key() + " are keyed '" + key + "'");
        }
        List<SettingsRules.Violation> broken = SettingsRules.violations(settings).stream()
                .filter(v -> !v.rule().equals("R1"))
                .toList();
        if (!broken.isEmpty()) {
            throw new InvalidInputException("settings " + settings.key() + " v" + settings.version() + " break "
                    + broken.stream().map(SettingsRules.Violation::toString).toList());
        }
        return settings;
    }

    public static ConnectedMember member(String key, ConnectedMember member) {
        if (!member.key().equals(key)) {
            throw new InvalidInputException("connected member " + member.key() + " is keyed '" + key + "'");
        }
        return member;
    }

    public static DirectoryEvent directory(String key, DirectoryEvent event) {
        if (!event.key().equals(key)) {
            throw new InvalidInputException("directory event " + event.eventId() + " for " + event.key()
                    + " is keyed '" + key + "'");
        }
        return event;
    }

    /**
     * Intake records are keyed by their tenant: the task that owns the tenant's partition is the
     * only writer of its chain, so a record keyed otherwise could fork the chain over two tasks.
     */
    public static AuditRecord intake(String key, AuditRecord record) {
        if (!record.tenant().equals(key)) {
            throw new InvalidInputException("audit record " + record.auditId() + " of tenant " + record.tenant()
                    + " arrived keyed '" + key + "'; connector.audit.intake must be keyed by tenant");
        }
        return record;
    }

    /**
     * A record of {@code connector.content.keys} as an input: the key, or (value null) its tombstone;
     * null for a record that is not a key of the id it is written under. Such a record cannot open
     * anything; it is logged and skipped, not dead-lettered, so that no key material is copied to the
     * DLQ (an event that needed it is dead-lettered with the reason instead).
     */
    public static PolicyInput.Key contentKey(Topic<String, ContentKey> topic, String id, byte[] value) {
        if (value == null) {
            return new PolicyInput.Key(id, null);
        }
        try {
            ContentKey key = topic.valueSerde().deserializer().deserialize(topic.name(), value);
            if (!key.id().equals(id)) {
                LOG.warn("content key record under {} holds the key of {}: skipped", id, key.id());
                return null;
            }
            return new PolicyInput.Key(id, key);
        } catch (RuntimeException e) {
            LOG.warn("content key record under {} is not a content key ({}): skipped", id, e.getMessage());
            return null;
        }
    }
}
