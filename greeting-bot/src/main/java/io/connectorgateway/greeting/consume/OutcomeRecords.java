package io.connectorgateway.greeting.consume;

import io.connectorgateway.contracts.Actor;
import io.connectorgateway.contracts.Connector;
import io.connectorgateway.contracts.Direction;
import io.connectorgateway.contracts.audit.AuditKind;
import io.connectorgateway.contracts.audit.AuditRecord;
import io.connectorgateway.contracts.command.GreetingCommand;
import io.connectorgateway.contracts.command.GreetingResult;
import io.connectorgateway.contracts.dlq.DeadLetter;
import io.connectorgateway.contracts.topic.Topics;
import io.connectorgateway.greeting.send.SendReport;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.ProducerRecord;

/**
 * The records that record a command's outcome, written in one transaction with the consumer's
 * offsets: one audit record per command (SPEC R7, R10) on {@code connector.audit.intake} (the
 * single chaining stage appends it to {@code connector.audit}; chain fields are left empty here),
 * plus the command on the dead-letter topic when it failed.
 */
final class OutcomeRecords {
    static final String RULE = "R7";

    private final Topics topics;
    private final String service;
    private final Actor actor;

    OutcomeRecords(Topics topics, String service) {
        this.topics = topics;
        this.service = service;
        this.actor = Actor.system(service);
    }

    List<ProducerRecord<byte[], byte[]>> forOutcome(GreetingCommand command, SendReport report,
                                                    ConsumerRecord<byte[], byte[]> source) {
        List<ProducerRecord<byte[], byte[]>> out = new ArrayList<>(2);
        out.add(audit(auditRecord(command, report)));
        if (!report.sent()) {
            out.add(deadLetter(source, new GreetingFailedException(report.result().reason())));
        }
        return out;
    }

    /** A record that is not a greeting command at all: dead-lettered, nothing to audit. */
    List<ProducerRecord<byte[], byte[]>> forPoison(ConsumerRecord<byte[], byte[]> source, Exception error) {
        return List.of(deadLetter(source, error));
    }

    AuditRecord auditRecord(GreetingCommand c, SendReport report) {
        GreetingResult r = report.result();
        boolean sent = r.outcome() == GreetingResult.Outcome.SENT;
        AuditKind kind = sent ? AuditKind.GREETING_SENT : AuditKind.GREETING_FAILED;
        Map<String, String> detail = new LinkedHashMap<>();
        detail.put("commandId", c.commandId());
        detail.put("outcome", r.outcome().name());
        detail.put("attempts", Integer.toString(r.attempts()));
        detail.put("latencyMs", Long.toString(r.latencyMs()));
        detail.put("reason", r.reason() == null ? "" : r.reason());
        detail.put("retryKey", report.retryKey());
        detail.put("httpStatus", Integer.toString(report.lastStatus()));
        detail.put("completedAt", Long.toString(r.timestamp()));
        if (report.lineRequestId() != null) {
            detail.put("lineRequestId", report.lineRequestId());
        }
        return AuditRecord.builder(kind.name() + ":" + c.commandId(), c.tenant(), kind, RULE)
                .connector(Connector.LINE)
                .reason(sent ? "greeting sent" : "greeting failed: " + r.reason())
                .settingsVersion(c.settingsVersion())
                .at(c.timestamp())
                .cause(c.friendAddEventId())
                .room(c.roomId()).member(c.memberId()).externalUser(c.lineUserId())
                .direction(Direction.OUTBOUND)
                .actor(actor)
                .contentDigest(report.contentDigest())
                .detail(detail)
                .build();
    }

    private ProducerRecord<byte[], byte[]> audit(AuditRecord record) {
        String topic = topics.auditIntake.name();
        return new ProducerRecord<>(topic,
                topics.auditIntake.keySerde().serializer().serialize(topic, record.tenant()),
                topics.auditIntake.valueSerde().serializer().serialize(topic, record));
    }

    private ProducerRecord<byte[], byte[]> deadLetter(ConsumerRecord<byte[], byte[]> source, Exception error) {
        return DeadLetter.of(source.topic(), source.partition(), source.offset(), source.key(), source.value(), error,
                service).toRecord(topics.dlq.name());
    }
}
