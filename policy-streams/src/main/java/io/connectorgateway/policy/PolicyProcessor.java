package io.connectorgateway.policy;

import com.fasterxml.jackson.core.JsonProcessingException;
import io.connectorgateway.contracts.Actor;
import io.connectorgateway.contracts.Change;
import io.connectorgateway.contracts.Connector;
import io.connectorgateway.contracts.Direction;
import io.connectorgateway.contracts.Ids;
import io.connectorgateway.contracts.audit.AuditChain;
import io.connectorgateway.contracts.audit.AuditCheckpoint;
import io.connectorgateway.contracts.audit.AuditKeys;
import io.connectorgateway.contracts.audit.AuditKind;
import io.connectorgateway.contracts.audit.AuditRecord;
import io.connectorgateway.contracts.audit.HistoryEntry;
import io.connectorgateway.contracts.command.Delivery;
import io.connectorgateway.contracts.command.GreetingCommand;
import io.connectorgateway.contracts.command.RoomCommand;
import io.connectorgateway.contracts.content.ContentKey;
import io.connectorgateway.contracts.content.SealedContent;
import io.connectorgateway.contracts.event.Attachment;
import io.connectorgateway.contracts.event.ConnectorEvent;
import io.connectorgateway.contracts.event.DirectoryEvent;
import io.connectorgateway.contracts.event.EventFreshness;
import io.connectorgateway.contracts.event.EventType;
import io.connectorgateway.contracts.json.Json;
import io.connectorgateway.contracts.json.JsonSerde;
import io.connectorgateway.contracts.settings.ConnectedMember;
import io.connectorgateway.contracts.settings.TenantSettings;
import io.connectorgateway.contracts.topic.TenantPartitioner;
import io.connectorgateway.policy.input.InvalidInputException;
import io.connectorgateway.policy.input.PolicyInput;
import io.connectorgateway.policy.rules.AttachmentRule;
import io.connectorgateway.policy.rules.AutoGrantRule;
import io.connectorgateway.policy.rules.ConnectorRule;
import io.connectorgateway.policy.rules.OpenRoomRule;
import io.connectorgateway.policy.rules.PermissionRule;
import io.connectorgateway.policy.rules.UrlTokenRule;
import io.connectorgateway.policy.rules.Verdict;
import io.connectorgateway.policy.state.ChainHead;
import io.connectorgateway.policy.state.OpenRoom;
import io.connectorgateway.policy.state.PolicyStores;
import io.connectorgateway.policy.state.ReadThroughCache;
import io.connectorgateway.policy.state.SeenEvent;
import io.connectorgateway.rules.Permission;
import io.connectorgateway.rules.RoomDrop;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.apache.kafka.common.serialization.StringSerializer;
import org.apache.kafka.streams.KeyValue;
import org.apache.kafka.streams.processor.PunctuationType;
import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.state.KeyValueIterator;
import org.apache.kafka.streams.state.KeyValueStore;
import org.apache.kafka.streams.state.WindowStore;
import org.apache.kafka.streams.state.WindowStoreIterator;

/**
 * The one processor of a partition: it owns the settings, members, directory rows, open rooms,
 * de-duplication memory and audit chain heads of the tenants of its partition (every input is
 * partitioned by tenant), and judges every input in stream-time order.
 *
 * <p>Each input leads to decisions made by the rules ({@code rules} package); each decision is a
 * {@link Verdict} and becomes exactly one audit record, built in {@link #audit} and linked into
 * its tenant's chain in {@link #forwardAudit}. State is changed after the decision is made, so an
 * exception while deciding leaves the stores untouched.
 */
final class PolicyProcessor implements Processor<String, PolicyInput, String, PolicyOutput> {
    private static final StringSerializer KEYS = new StringSerializer();
    private static final JsonSerde<ContentKey> KEY_SERDE = JsonSerde.strict(ContentKey.class);
    private static final JsonSerde<ConnectorEvent> EVENT_SERDE = JsonSerde.lenient(ConnectorEvent.class);

    /**
     * How long a sealed event waits for its key. The producer wrote the key first, but this task reads
     * the key topic read_committed, and while its own open transaction holds records on the same
     * partition (keys it minted, tombstones, roll markers) the key is not readable until that
     * transaction commits (the commit interval), while the event, on a partition nothing transactional
     * writes, already is.
     */
    static final Duration KEY_WAIT = Duration.ofSeconds(60);

    /** Key prefix of the roll markers on {@code connector.content.keys} (never a tenant: it has a ':' first). */
    static final String ROLL_MARKER = ":roll:";

    private final AutoGrantRule autoGrant;
    private final int partitions;
    private final EventFreshness freshness;
    private final AuditKeys auditKeys;
    private final int checkpointRecords;
    private final Duration checkpointInterval;
    /** Tenants whose chain has records that no checkpoint covers yet (checkpointed at the next punctuation). */
    private final Set<String> uncheckpointed = new LinkedHashSet<>();
    private final long keyRollIntervalMs;
    private ProcessorContext<String, PolicyOutput> context;
    private String chain;
    /** Read on every event: decoded values cached beside their stores (see {@link ReadThroughCache}). */
    private final ReadThroughCache<TenantSettings> settings = new ReadThroughCache<>(10_000);
    private final ReadThroughCache<ConnectedMember> members = new ReadThroughCache<>(20_000);
    private final ReadThroughCache<DirectoryEvent> directory = new ReadThroughCache<>(20_000);
    private KeyValueStore<String, OpenRoom> rooms;
    private WindowStore<String, SeenEvent> seen;
    private KeyValueStore<String, String> chainHeads;
    private KeyValueStore<String, String> contentKeys;
    private KeyValueStore<String, String> awaitingKeys;

    /**
     * @param partitions        the partition count of every input topic: a record whose tenant belongs on
     *                          another partition is refused before it touches any state
     * @param options           freshness window, audit keys and checkpoint cadence
     * @param keyRollIntervalMs how often (wall clock) a roll marker is appended to the task's partition
     *                          of {@code connector.content.keys}
     */
    PolicyProcessor(AutoGrantRule autoGrant, int partitions, PolicyOptions options, long keyRollIntervalMs) {
        this.autoGrant = autoGrant;
        this.partitions = partitions;
        this.freshness = options.freshness();
        this.auditKeys = options.auditKeys();
        this.checkpointRecords = options.checkpointRecords();
        this.checkpointInterval = options.checkpointInterval();
        this.keyRollIntervalMs = keyRollIntervalMs;
    }

    @Override
    public void init(ProcessorContext<String, PolicyOutput> context) {
        this.context = context;
        // One chain per tenant and writer: the application id names the writer, so a replay under a
        // new id writes a chain of its own next to the live one instead of forking it.
        this.chain = context.applicationId();
        this.settings.init(context.getStateStore(PolicyStores.SETTINGS));
        this.members.init(context.getStateStore(PolicyStores.MEMBERS));
        this.directory.init(context.getStateStore(PolicyStores.DIRECTORY));
        this.rooms = context.getStateStore(PolicyStores.ROOMS);
        this.seen = context.getStateStore(PolicyStores.SEEN_EVENTS);
        this.chainHeads = context.getStateStore(PolicyStores.AUDIT_CHAIN_HEADS);
        this.contentKeys = context.getStateStore(PolicyStores.CONTENT_KEYS);
        this.awaitingKeys = context.getStateStore(PolicyStores.AWAITING_KEYS);
        context.schedule(KEY_WAIT.dividedBy(6), PunctuationType.WALL_CLOCK_TIME, this::refuseKeylessAfterWaiting);
        // Chains left uncovered by an earlier run (a crash or rebalance between checkpoints) are
        // checkpointed at the first punctuation, as are those written from now on.
        uncheckpointed.clear();
        try (KeyValueIterator<String, String> it = chainHeads.all()) {
            it.forEachRemaining(kv -> {
                if (ChainHead.decode(kv.value).uncovered() > 0) {
                    uncheckpointed.add(kv.key);
                }
            });
        }
        context.schedule(checkpointInterval, PunctuationType.WALL_CLOCK_TIME, this::checkpointAll);
        // A deleted content key leaves its topic only once its segment has rolled, and a segment rolls
        // only on an append: a roll marker (a tombstone of a key no record has) every half bound keeps
        // a quiet partition rolling, so the bound holds without traffic.
        int partition = context.taskId().partition();
        // The keys store's changelog holds keys too: the marker is deleted there as well, which appends
        // a tombstone and rolls its segment the same way.
        context.schedule(Duration.ofMillis(Math.max(1, keyRollIntervalMs)), PunctuationType.WALL_CLOCK_TIME, now -> {
            context.forward(new Record<>(ROLL_MARKER + partition, new PolicyOutput.ToContentKeys(null, null, partition), now));
            contentKeys.delete(ROLL_MARKER + partition);
        });
    }

    @Override
    public void process(Record<String, PolicyInput> record) {
        PolicyInput in = record.value();
        requireOwnPartition(in);
        if (in instanceof PolicyInput.Event e) {
            onEvent(record, e.event());
        } else if (in instanceof PolicyInput.Settings s) {
            onSettings(record, s.settings());
        } else if (in instanceof PolicyInput.Member m) {
            onMember(record, m.member());
        } else if (in instanceof PolicyInput.Directory d) {
            onDirectory(record, d.event());
            if (d.event().type() == DirectoryEvent.Type.JOINED) {
                onJoined(record, d.event());
            }
        } else if (in instanceof PolicyInput.Intake i) {
            forwardAudit(record, i.record());
        } else if (in instanceof PolicyInput.Key k) {
            onContentKey(record, k);
        }
    }

    /**
     * A record of a tenant whose inputs are on another partition would be judged against state
     * this task does not have (and could fork the tenant's audit chain): it is poison, and the
     * dead-letter record says where it belongs. Correctly placed records pay one murmur2 of the
     * tenant id.
     */
    private void requireOwnPartition(PolicyInput in) {
        var meta = context.recordMetadata();
        if (meta.isEmpty() || in instanceof PolicyInput.Key) {
            // punctuation (no input record); or a content key: it is only ever looked up by the id of an
            // event on its tenant's partition, and is never dead-lettered (no key material on the DLQ)
            return;
        }
        String tenant = tenantOf(in);
        int owner = TenantPartitioner.partition(tenant, partitions);
        if (meta.get().partition() != owner) {
            throw new InvalidInputException("record of tenant " + tenant + " arrived on partition " + meta.get().partition()
                    + " of " + meta.get().topic() + ", but tenant " + tenant + " belongs on partition " + owner
                    + " (murmur2 of the tenant id mod " + partitions + ", SPEC \"Partitioning\"); it was not judged: "
                    + "produce it again to partition " + owner + " (a producer with TenantPartitioner does)");
        }
    }

    private static String tenantOf(PolicyInput in) {
        if (in instanceof PolicyInput.Event e) {
            return e.event().tenant();
        } else if (in instanceof PolicyInput.Settings s) {
            return s.settings().tenant();
        } else if (in instanceof PolicyInput.Member m) {
            return m.member().tenant();
        } else if (in instanceof PolicyInput.Directory d) {
            return d.event().tenant();
        } else if (in instanceof PolicyInput.Intake i) {
            return i.record().tenant();
        }
        throw new IllegalStateException("unhandled input " + in.getClass().getSimpleName());
    }

    // ---------------------------------------------------------------- events

    private void onEvent(Record<String, PolicyInput> record, ConnectorEvent received) {
        // Sealed by its producer under a key it wrote (and had acknowledged) before the event: opened
        // with that key, which the message then keeps for every copy (history, delivery). A copy that
        // does not open stays sealed here: enough for a stale or duplicate copy, not for a decision.
        ContentKey key = received.sealed() == null ? null : heldKey(received.contentKeyId());
        ConnectorEvent e = key == null ? received : openedOrSealed(received, key);
        TenantSettings s = settingsFor(e.tenant(), e.connector());
        // Freshness before anything else: a copy of an event older than the window may come after its
        // id was forgotten (a replay of a captured webhook, or an event the platform wrote again);
        // judged against the record timestamp, never the wall clock, so a replay of the topics
        // decides the same (R11). Nothing is remembered: every stale copy is refused and audited.
        Optional<EventFreshness.Stale> stale = freshness.check(e.timestamp(), record.timestamp());
        if (stale.isPresent()) {
            Verdict v = new Verdict(AuditKind.STALE, EventFreshness.RULE, stale.get().message(), s.version());
            forwardAudit(record, audit(AuditKind.STALE + ":" + e.eventId() + "@" + where(), v, e, null,
                    Map.of("staleness", stale.get().why().tag(), "recordTimestamp", Long.toString(record.timestamp()))));
            return;
        }
        SeenEvent prior = seen(e.tenant(), e.connector(), e.eventId());
        if (prior != null) {
            Verdict v = new Verdict(AuditKind.DUPLICATE, ruleOf(e.type()), "event " + e.eventId()
                    + " was already decided (" + prior.decision() + "): redelivery absorbed, nothing changes", s.version());
            forwardAudit(record, audit("DUPLICATE:" + e.eventId() + "@" + where(), v, e, prior.roomId(), Map.of()));
            return;
        }
        if (e.sealed() != null && !PolicyStores.UNSENT.equals(contentKeys.get(e.contentKeyId()))) {
            // its key is on its way (see KEY_WAIT): judged when it arrives. Every copy waits, each
            // on a line of its own (a gateway's in-flight copy and its spool's replay can both come
            // before the key): one is decided, the others are audited as duplicates, none vanishes.
            // Also when a key is held that does not open it: an earlier attempt's key (a webhook
            // answered 503 whose key landed but whose event did not, then redelivered under a new
            // key that this task has not read yet; found by the fault suite's network partition).
            String entry = context.currentSystemTimeMs() + "|" + record.timestamp() + "|"
                    + new String(EVENT_SERDE.serialize(null, received), java.nio.charset.StandardCharsets.UTF_8);
            String already = awaitingKeys.get(e.contentKeyId());
            awaitingKeys.put(e.contentKeyId(), already == null ? entry : already + "\n" + entry);
            return;
        }
        if (e.sealed() != null) {
            throw new InvalidInputException("the content of " + e.contentKeyId() + " is sealed and its key was deleted "
                    + "by an unsend (a copy that came after the unsend): it was not judged");
        }
        switch (e.type()) {
            case FRIEND_ADD, CONTACT_ADD -> onRoomRequest(record, e, s);
            case UNFOLLOW -> onUnfollow(record, e, s);
            case MESSAGE, GROUP_CONTENT -> onMessage(record, e, s, key);
            case UNSEND -> onUnsend(record, e, s);
            default -> throw new IllegalStateException("unhandled event type " + e.type());
        }
    }

    private void onRoomRequest(Record<String, PolicyInput> record, ConnectorEvent e, TenantSettings s) {
        String rule = ruleOf(e.type());
        ConnectedMember member = members.get(e.memberKey());
        DirectoryEvent dir = directory.get(Ids.directoryKey(e.tenant(), e.memberId()));
        OpenRoom existing = rooms.get(e.pairKey());
        Optional<Verdict> refusal = ConnectorRule.refusal(s)
                .or(() -> PermissionRule.refusal(s, member, dir))
                .or(() -> e.type() == EventType.FRIEND_ADD ? UrlTokenRule.refusal(s, e, member) : Optional.empty())
                .or(() -> existing == null ? Optional.empty() : Optional.of(new Verdict(AuditKind.DUPLICATE, rule,
                        "a room is already open for this pair (" + existing.roomId() + "): nothing changes", s.version())));
        if (refusal.isPresent()) {
            Verdict v = refusal.get();
            forwardAudit(record, audit(v.kind() + ":" + e.eventId(), v, e, existing == null ? null : existing.roomId(), Map.of()));
            remember(record, e, existing == null ? null : existing.roomId(), v.kind());
            return;
        }
        String roomId = Ids.roomId(e.pairKey(), e.eventId());
        RoomCommand.Reason reason = e.type() == EventType.FRIEND_ADD
                ? RoomCommand.Reason.FRIEND_ADDED : RoomCommand.Reason.CONTACT_ADDED;
        Verdict v = new Verdict(AuditKind.ROOM_OPENED, rule, (e.type() == EventType.FRIEND_ADD ? "friend-add" : "contact-add")
                + " accepted: room opened", s.version());
        GreetingCommand greeting = null;
        if (e.connector() == Connector.LINE && s.greeting().enabled()) {
            greeting = new GreetingCommand(GreetingCommand.SCHEMA_VERSION, DerivedIds.of("greet-", e.tenant(), e.connector(), e.eventId()), e.tenant(),
                    roomId, e.memberId(), e.externalUserId(), s.greeting().text(), s.greeting().salesInfo(), s.version(),
                    e.eventId(), e.timestamp(), e.channelId()); // the channel the user followed: the greeting goes out through it
        }
        rooms.put(e.pairKey(), new OpenRoom(roomId, e.tenant(), e.connector(), e.memberId(), e.externalUserId(),
                e.eventId(), e.timestamp(), s.version()));
        remember(record, e, roomId, AuditKind.ROOM_OPENED);
        forward(record, roomId, new PolicyOutput.ToRooms(new RoomCommand(RoomCommand.SCHEMA_VERSION, "open-" + roomId,
                RoomCommand.Action.OPENED, e.tenant(), e.connector(), roomId, e.memberId(), e.externalUserId(), reason,
                s.version(), e.eventId(), e.timestamp())));
        Map<String, String> detail = greeting == null ? Map.of() : Map.of("greetingCommandId", greeting.commandId());
        forwardAudit(record, audit("ROOM_OPENED:" + roomId, v, e, roomId, detail));
        if (greeting != null) {
            forward(record, roomId, new PolicyOutput.ToGreetings(greeting));
        }
    }

    private void onUnfollow(Record<String, PolicyInput> record, ConnectorEvent e, TenantSettings s) {
        OpenRoom room = rooms.get(e.pairKey());
        if (room == null) {
            Verdict v = Verdict.refused("R5b", "unfollow without an open room: nothing to close", s.version());
            forwardAudit(record, audit("REFUSED:" + e.eventId(), v, e, null, Map.of()));
            remember(record, e, null, v.kind());
            return;
        }
        Verdict v = new Verdict(AuditKind.ROOM_CLOSED, "R5b", "the LINE user unfollowed (blocked) the member: room closed",
                s.version());
        rooms.delete(e.pairKey());
        remember(record, e, room.roomId(), v.kind());
        forward(record, room.roomId(), new PolicyOutput.ToRooms(new RoomCommand(RoomCommand.SCHEMA_VERSION,
                "close-" + room.roomId(), RoomCommand.Action.CLOSED, e.tenant(), e.connector(), room.roomId(), e.memberId(),
                e.externalUserId(), RoomCommand.Reason.UNFOLLOWED, s.version(), e.eventId(), e.timestamp())));
        forwardAudit(record, audit("ROOM_CLOSED:" + room.roomId(), v, e, room.roomId(), Map.of()));
    }

    /**
     * @param key the key the event came sealed under; null for an event in clear (a producer that does
     *            not seal yet): the stream then makes the message's key itself
     */
    private void onMessage(Record<String, PolicyInput> record, ConnectorEvent e, TenantSettings s, ContentKey key) {
        ConnectedMember member = members.get(e.memberKey());
        DirectoryEvent dir = directory.get(Ids.directoryKey(e.tenant(), e.memberId()));
        OpenRoom room = rooms.get(e.pairKey());
        String roomId = room == null ? null : room.roomId();
        Optional<Verdict> refusal = ConnectorRule.refusal(s)
                .or(() -> PermissionRule.refusal(s, member, dir))
                .or(() -> OpenRoomRule.refusal(s, room));
        Verdict v;
        Delivery.Builder delivery = null;
        Map<String, String> detail = new LinkedHashMap<>();
        if (refusal.isPresent()) {
            v = refusal.get();
        } else {
            AttachmentRule.Outcome outcome = AttachmentRule.apply(s.attachments(), e);
            switch (outcome.action()) {
                case PASS -> v = new Verdict(AuditKind.DELIVERED, "R5b", "delivered inside open room " + roomId, s.version());
                case STRIP -> {
                    v = new Verdict(AuditKind.STRIPPED, "R8", "restricted attachments removed ("
                            + String.join(", ", outcome.removedKinds()) + "); the rest delivered", s.version());
                    detail.put("strippedKinds", String.join(",", outcome.removedKinds()));
                }
                case BLOCK -> {
                    v = new Verdict(AuditKind.BLOCKED, "R8", "message refused: it carries restricted attachments ("
                            + String.join(", ", outcome.removedKinds()) + ")", s.version());
                    detail.put("blockedKinds", String.join(",", outcome.removedKinds()));
                }
                default -> throw new IllegalStateException("unhandled attachment action " + outcome.action());
            }
            if (outcome.action() != AttachmentRule.Action.BLOCK) {
                boolean stripped = outcome.action() == AttachmentRule.Action.STRIP;
                delivery = Delivery.of(DerivedIds.of("dlv-", e.tenant(), e.connector(), e.eventId()), e.tenant(), e.connector(),
                                e.eventId(), e.direction())
                        .room(roomId, e.memberId(), e.externalUserId())
                        .content(e.text(), outcome.kept())
                        .groupContentType(e.groupContentType())
                        .decidedUnder(s.version(), e.timestamp());
                if (stripped) {
                    delivery.stripped(outcome.removed(), outcome.senderNotice());
                }
            }
        }
        // The content is kept only sealed, under the message's own key: the unsend deletes the key, and
        // with it every sealed copy: the event, the delivery, the history (crypto-shredding; README "Unsend").
        if (key == null) {
            key = SealedContent.newKey(e.tenant(), e.connector(), e.eventId());
            forward(record, key.id(), new PolicyOutput.ToContentKeys(key));
        }
        contentKeys.put(key.id(), encode(key));
        remember(record, e, roomId, v.kind());
        if (delivery != null) {
            forward(record, roomId, new PolicyOutput.ToDeliveries(delivery.sealedUnder(key)));
        }
        forwardAudit(record, audit(v.kind() + ":" + e.eventId(), v, e, roomId, detail));
        SealedContent sealed = SealedContent.seal(key, new SealedContent.Content(e.text(), e.attachments()));
        forward(record, key.id(), new PolicyOutput.ToHistory(new HistoryEntry(HistoryEntry.SCHEMA_VERSION, e.eventId(),
                e.tenant(), e.connector(), e.direction(), roomId, e.memberId(), e.externalUserId(), e.timestamp(), null,
                List.of(), v.kind(), false, sealed)));
    }

    private void onUnsend(Record<String, PolicyInput> record, ConnectorEvent e, TenantSettings s) {
        SeenEvent target = seen(e.tenant(), e.connector(), e.targetEventId());
        Optional<Verdict> refusal = Optional.empty();
        if (target != null && !target.pairKey().equals(e.pairKey())) {
            refusal = Optional.of(Verdict.refused("R10", "unsend of " + e.targetEventId()
                    + ", a message of another conversation", s.version()));
        } else if (target != null && target.direction() != e.direction()) {
            refusal = Optional.of(Verdict.refused("R10", "only the sender may unsend " + e.targetEventId(), s.version()));
        }
        Map<String, String> detail = Map.of("targetEventId", e.targetEventId());
        if (refusal.isPresent()) {
            forwardAudit(record, audit("REFUSED:" + e.eventId(), refusal.get(), e, null, detail));
            remember(record, e, null, AuditKind.REFUSED);
            return;
        }
        // Unknown target (never seen, or older than the de-duplication memory): the content is still
        // removed, because the history is keyed by tenant:connector:eventId and compaction keeps only
        // this entry. The key carries this tenant, so whatever id it names, no other tenant's entry
        // is touched.
        Verdict v = new Verdict(AuditKind.UNSENT, "R10", "the sender unsent " + e.targetEventId()
                + ": its content is removed from the searchable history", s.version());
        String roomId = target == null ? null : target.roomId();
        remember(record, e, roomId, v.kind());
        forwardAudit(record, audit("UNSENT:" + e.eventId(), v, e, roomId, detail));
        String targetKey = Ids.messageKey(e.tenant(), e.connector(), e.targetEventId());
        forward(record, targetKey, PolicyOutput.ToContentKeys.tombstone(e.tenant()));
        contentKeys.put(targetKey, PolicyStores.UNSENT);
        forward(record, targetKey, new PolicyOutput.ToHistory(
                new HistoryEntry(HistoryEntry.SCHEMA_VERSION, e.targetEventId(), e.tenant(), e.connector(),
                        target == null ? e.direction() : target.direction(), roomId, e.memberId(), e.externalUserId(),
                        target == null ? e.timestamp() : target.timestamp(), null, List.of(),
                        target == null ? AuditKind.UNSENT : target.decision(), true, null)));
        if (target != null && lastWrittenUnderLegacyKeyBy(e.tenant(), e.connector(), e.targetEventId())) {
            // Written by an earlier release under the event id alone, and the de-duplication memory
            // shows this tenant wrote that key last: the old key is tombstoned too.
            forward(record, e.targetEventId(), new PolicyOutput.ToHistory(null, e.tenant()));
        }
    }

    // ---------------------------------------------------------------- content keys

    /**
     * A record of {@code connector.content.keys}. Until its message is decided the latest key wins (a
     * producer's retry wrote a new key and a new sealed copy). Once it is decided, the key the decision
     * sealed its copies under stays: a redelivered webhook's new key is overwritten with it at once, so
     * the delivery and history stay readable; and a key for a message that was unsent is deleted again,
     * so a redelivered copy does not bring the content back.
     */
    private void onContentKey(Record<String, PolicyInput> record, PolicyInput.Key in) {
        String id = in.id();
        if (id.startsWith(ROLL_MARKER)) {
            return;
        }
        String held = contentKeys.get(id);
        if (in.key() == null) {
            if (!PolicyStores.UNSENT.equals(held)) {
                contentKeys.delete(id);
            }
            return;
        }
        ContentKey arrived = in.key();
        boolean decided = seen(arrived.tenant(), arrived.connector(), arrived.eventId()) != null;
        if (PolicyStores.UNSENT.equals(held)) {
            forward(record, id, PolicyOutput.ToContentKeys.tombstone(arrived.tenant()));
        } else if (!decided || held == null) {
            contentKeys.put(id, encode(arrived));
            String waiting = awaitingKeys.get(id);
            if (waiting != null && !decided) {
                // the copies this key opens are judged in their order (the first decides, the others
                // are duplicates of it); a copy sealed under another key waits on for its own
                List<String> stillWaiting = new ArrayList<>();
                List<Record<String, PolicyInput>> opened = new ArrayList<>();
                for (String line : waiting.split("\n")) {
                    String[] parts = line.split("\\|", 3);
                    ConnectorEvent e = EVENT_SERDE.deserialize(null, parts[2].getBytes(java.nio.charset.StandardCharsets.UTF_8));
                    if (openedOrSealed(e, arrived).sealed() == null) {
                        opened.add(new Record<>(e.pairKey(), new PolicyInput.Event(e), Long.parseLong(parts[1])));
                    } else {
                        stillWaiting.add(line);
                    }
                }
                if (stillWaiting.isEmpty()) {
                    awaitingKeys.delete(id);
                } else {
                    awaitingKeys.put(id, String.join("\n", stillWaiting));
                }
                for (Record<String, PolicyInput> copy : opened) {
                    onEvent(copy, ((PolicyInput.Event) copy.value()).event());
                }
            }
        } else if (!held.equals(encode(arrived))) {
            forward(record, id, new PolicyOutput.ToContentKeys(decode(held)));
        }
    }

    /**
     * Wall-clock punctuation: a sealed event whose key has not arrived within {@link #KEY_WAIT} is
     * refused (its content cannot be read here) with an audit record that says why; it is not kept.
     */
    private void refuseKeylessAfterWaiting(long now) {
        List<String[]> expired = new ArrayList<>();
        Map<String, List<String>> kept = new LinkedHashMap<>();
        try (KeyValueIterator<String, String> it = awaitingKeys.all()) {
            it.forEachRemaining(kv -> {
                List<String> left = new ArrayList<>();
                boolean any = false;
                for (String line : kv.value.split("\n")) {
                    if (now - Long.parseLong(line.substring(0, line.indexOf('|'))) >= KEY_WAIT.toMillis()) {
                        expired.add(line.split("\\|", 3));
                        any = true;
                    } else {
                        left.add(line);
                    }
                }
                if (any) {
                    kept.put(kv.key, left); // only what changed is written back
                }
            });
        }
        kept.forEach((id, left) -> {
            if (left.isEmpty()) {
                awaitingKeys.delete(id);
            } else {
                awaitingKeys.put(id, String.join("\n", left));
            }
        });
        Map<String, Integer> refusedNow = new HashMap<>();
        for (String[] parts : expired) {
            ConnectorEvent e = EVENT_SERDE.deserialize(null, parts[2].getBytes(java.nio.charset.StandardCharsets.UTF_8));
            Record<String, PolicyInput> record = new Record<>(e.pairKey(), new PolicyInput.Event(e), Long.parseLong(parts[1]));
            int copiesBefore = refusedNow.merge(e.contentKeyId(), 1, Integer::sum) - 1;
            if (copiesBefore > 0) {
                // another copy of the same message waited with it and was just refused: a duplicate of that
                TenantSettings s = settingsFor(e.tenant(), e.connector());
                Verdict v = new Verdict(AuditKind.DUPLICATE, ruleOf(e.type()), "event " + e.eventId() + " came again while "
                        + "its key was awaited; the first copy was refused (key missing): nothing changes", s.version());
                forwardAudit(record, audit("DUPLICATE:" + e.eventId() + "@no-key-" + copiesBefore, v, e, null, Map.of()));
                continue;
            }
            if (seen(e.tenant(), e.connector(), e.eventId()) != null) {
                // another copy (the first of those that waited, or a redelivery sealed under the key
                // that came) was judged meanwhile: this one is a duplicate of it, audited as such
                onEvent(record, e);
                continue;
            }
            TenantSettings s = settingsFor(e.tenant(), e.connector());
            Verdict v = Verdict.refused(ruleOf(e.type()), "the content of " + e.contentKeyId() + " is sealed, but its key did not "
                    + "arrive on connector.content.keys within " + KEY_WAIT.toSeconds() + " s: not judged; the producer must "
                    + "write the key, acknowledged, before the event", s.version());
            forwardAudit(record, audit("REFUSED:" + e.eventId() + "@no-key", v, e, null, Map.of("reason", "content-key-missing")));
        }
    }

    /** The key held for {@code id}, or null (none, or deleted by an unsend). */
    private ContentKey heldKey(String id) {
        String held = contentKeys.get(id);
        return held == null || PolicyStores.UNSENT.equals(held) ? null : decode(held);
    }

    /** The event opened with {@code key}; the event as it came (sealed) when the key does not open it. */
    private static ConnectorEvent openedOrSealed(ConnectorEvent e, ContentKey key) {
        try {
            return e.opened(key);
        } catch (IllegalArgumentException notThisKey) {
            return e;
        }
    }

    private static String encode(ContentKey key) {
        return new String(KEY_SERDE.serialize(null, key), java.nio.charset.StandardCharsets.UTF_8);
    }

    private static ContentKey decode(String json) {
        return KEY_SERDE.deserialize(null, json.getBytes(java.nio.charset.StandardCharsets.UTF_8));
    }

    // ---------------------------------------------------------------- control changes

    private void onSettings(Record<String, PolicyInput> record, TenantSettings now) {
        TenantSettings before = settings.get(now.key());
        if (before != null && now.version() < before.version()) {
            // An older version after a newer one (a reset replay re-appends the control history):
            // versions only grow, so it is stale and changes nothing. Equal versions still apply,
            // as the compacted topic would keep the later row.
            return;
        }
        settings.put(now.key(), now);
        String cause = "settings:" + now.key() + ":v" + now.version();
        dropWhereNeeded(record, now.key() + ':', now, before == null ? now : before, cause, actorOf(now.change()));
    }

    private void onMember(Record<String, PolicyInput> record, ConnectedMember member) {
        ConnectedMember current = members.get(member.key());
        if (current != null && member.version() < current.version()) {
            return; // stale, as for settings
        }
        members.put(member.key(), member);
        TenantSettings s = settingsFor(member.tenant(), member.connector());
        String cause = "members:" + member.key() + ":v" + member.version();
        dropWhereNeeded(record, member.key() + ':', s, s, cause, actorOf(member.change()));
    }

    private void onDirectory(Record<String, PolicyInput> record, DirectoryEvent event) {
        directory.put(event.key(), event);
        if (event.type() == DirectoryEvent.Type.LEFT) {
            for (Connector c : Connector.values()) {
                TenantSettings s = settingsFor(event.tenant(), c);
                dropWhereNeeded(record, Ids.memberKey(event.tenant(), c, event.memberId()) + ':', s, s, event.eventId(),
                        new Actor(event.memberId(), Actor.Role.MEMBER));
            }
        }
    }

    private void onJoined(Record<String, PolicyInput> record, DirectoryEvent joined) {
        for (Connector c : Connector.values()) {
            TenantSettings s = settingsFor(joined.tenant(), c);
            Optional<ConnectedMember> grant = autoGrant.grant(s, joined, members.get(Ids.memberKey(joined.tenant(), c,
                    joined.memberId())));
            if (grant.isEmpty()) {
                continue;
            }
            ConnectedMember row = grant.get();
            Verdict v = new Verdict(AuditKind.AUTO_GRANTED, "R9", "member " + joined.memberId()
                    + " joined the tenant: added to the " + c + " connected-members list (BY_MEMBER, auto-grant on)", s.version());
            forward(record, row.key(), new PolicyOutput.ToMembers(row));
            forwardAudit(record, verdictAudit("AUTO_GRANTED:" + joined.eventId() + ":" + c, joined.tenant(), v)
                    .connector(c).at(joined.timestamp()).cause(joined.eventId()).member(joined.memberId())
                    .actor(AutoGrantRule.ACTOR).detail(Map.of("memberVersion", Long.toString(row.version())))
                    .build());
        }
    }

    /**
     * R4: visits the open rooms under {@code prefix} (a tenant's connector, or one member on it) and
     * drops each whose member is no longer permitted. Dropping deletes the room, so it happens once;
     * the RocksDB prefix scan touches no other tenant's rooms.
     */
    private void dropWhereNeeded(Record<String, PolicyInput> record, String prefix, TenantSettings now,
                                 TenantSettings before, String causeId, Actor actor) {
        List<KeyValue<String, OpenRoom>> candidates = new ArrayList<>();
        try (KeyValueIterator<String, OpenRoom> it = rooms.prefixScan(prefix, KEYS)) {
            it.forEachRemaining(candidates::add);
        }
        Map<String, DirectoryEvent> dirs = new HashMap<>();
        for (KeyValue<String, OpenRoom> kv : candidates) {
            OpenRoom room = kv.value;
            ConnectedMember member = members.get(Ids.memberKey(room.tenant(), room.connector(), room.memberId()));
            DirectoryEvent dir = dirs.computeIfAbsent(room.memberId(),
                    m -> directory.get(Ids.directoryKey(room.tenant(), m)));
            Optional<RoomCommand.Reason> reason = RoomDrop.reason(now, before, Permission.granted(member), Permission.hasLeft(dir));
            if (reason.isEmpty()) {
                continue;
            }
            rooms.delete(kv.key);
            long ts = record.timestamp();
            forward(record, room.roomId(), new PolicyOutput.ToRooms(new RoomCommand(RoomCommand.SCHEMA_VERSION,
                    "drop-" + room.roomId(), RoomCommand.Action.DROPPED, room.tenant(), room.connector(), room.roomId(),
                    room.memberId(), room.externalUserId(), reason.get(), now.version(), causeId, ts)));
            Verdict v = new Verdict(AuditKind.ROOM_DROPPED, "R4", "room dropped: " + reason.get()
                    + "; the member is shown to the external user as unknown", now.version());
            forwardAudit(record, verdictAudit("ROOM_DROPPED:" + room.roomId(), room.tenant(), v)
                    .connector(room.connector()).at(ts).cause(causeId).room(room.roomId()).member(room.memberId())
                    .externalUser(room.externalUserId()).actor(actor)
                    .detail(Map.of("dropReason", reason.get().name(), "openedBy", room.openedBy()))
                    .build());
        }
    }

    // ---------------------------------------------------------------- helpers

    private TenantSettings settingsFor(String tenant, Connector connector) {
        TenantSettings s = settings.get(Ids.settingsKey(tenant, connector));
        return s == null ? TenantSettings.absent(tenant, connector) : s;
    }

    /**
     * What this task remembers of an event id, scoped by tenant: ids are chosen by each tenant's
     * sources, so one tenant's id must never mark another tenant's event as seen (or let its unsend
     * touch it). Entries written before the key carried the tenant ({@code connector:eventId}, an
     * upgrade within the de-duplication memory) still count, but only for the tenant whose
     * conversation they name.
     */
    private SeenEvent seen(String tenant, Connector connector, String eventId) {
        SeenEvent scoped = fetchSeen(seenKey(tenant, connector, eventId));
        if (scoped != null) {
            return scoped;
        }
        SeenEvent legacy = fetchSeen(connector + ":" + eventId);
        return legacy != null && legacy.pairKey().startsWith(tenant + ":") ? legacy : null;
    }

    /**
     * Whether an earlier release wrote this tenant's message to {@code connector.history} under the
     * event id alone, and this tenant's was the last entry written there: that release remembered
     * events under {@code connector:eventId}, one entry per decision, in the order it wrote their
     * history, so the latest entry names the tenant that wrote that history key last. Only then may
     * an unsend of this tenant tombstone the old key: had another tenant reused the id after it, the
     * key holds that tenant's message, which is left alone.
     */
    private boolean lastWrittenUnderLegacyKeyBy(String tenant, Connector connector, String eventId) {
        if (fetchSeen(seenKey(tenant, connector, eventId)) != null) {
            return false;
        }
        SeenEvent last = null;
        try (WindowStoreIterator<SeenEvent> it = seen.fetch(connector + ":" + eventId, 0L, Long.MAX_VALUE)) {
            while (it.hasNext()) {
                last = it.next().value;
            }
        }
        return last != null && last.pairKey().startsWith(tenant + ":");
    }

    private static String seenKey(String tenant, Connector connector, String eventId) {
        return tenant + ':' + connector + ':' + eventId;
    }

    private SeenEvent fetchSeen(String key) {
        try (WindowStoreIterator<SeenEvent> it = seen.fetch(key, 0L, Long.MAX_VALUE)) {
            return it.hasNext() ? it.next().value : null;
        }
    }

    private void remember(Record<String, PolicyInput> record, ConnectorEvent e, String roomId, AuditKind decision) {
        seen.put(seenKey(e.tenant(), e.connector(), e.eventId()), new SeenEvent(e.pairKey(), e.type(), e.direction(), roomId, decision,
                e.timestamp()), record.timestamp());
    }

    /** Where the record being processed is, for audit ids of records that may repeat (duplicates, stale copies). */
    private String where() {
        return context.recordMetadata().map(m -> m.partition() + ":" + m.offset()).orElse("?");
    }

    private static String ruleOf(EventType type) {
        return switch (type) {
            case FRIEND_ADD -> "R5";
            case CONTACT_ADD -> "R6";
            case UNFOLLOW, MESSAGE, GROUP_CONTENT -> "R5b";
            case UNSEND -> "R10";
        };
    }

    private static Actor actorOf(Change change) {
        return change == null ? AutoGrantRule.ACTOR : change.actor();
    }

    /** The one place an event's decision becomes its audit record. */
    private static AuditRecord audit(String auditId, Verdict v, ConnectorEvent e, String roomId, Map<String, String> detail) {
        Actor actor = e.direction() == Direction.INBOUND
                ? new Actor(e.externalUserId(), Actor.Role.EXTERNAL_USER)
                : new Actor(e.memberId(), Actor.Role.MEMBER);
        // a copy that stayed sealed (no key opens it) has no digest: its content is not known here
        boolean hasContent = e.carriesContent() && e.sealed() == null;
        List<String> kinds = e.attachments().stream().map(a -> a.kind().name()).toList();
        Map<String, String> d = new LinkedHashMap<>(detail);
        d.put("eventType", e.type().name());
        return verdictAudit(auditId, e.tenant(), v)
                .connector(e.connector()).at(e.timestamp()).cause(e.eventId()).room(roomId).member(e.memberId())
                .externalUser(e.externalUserId()).direction(e.direction()).actor(actor)
                .contentDigest(hasContent ? contentDigest(e.text(), e.attachments()) : null).attachmentKinds(kinds).detail(d)
                .build();
    }

    /** An audit record of a verdict: its kind, rule, reason and settings version. */
    private static AuditRecord.Builder verdictAudit(String auditId, String tenant, Verdict v) {
        return AuditRecord.builder(auditId, tenant, v.kind(), v.rule()).reason(v.reason()).settingsVersion(v.settingsVersion());
    }

    /** SHA-256 of what was said; the audit trail keeps this, never the content (R10). */
    static String contentDigest(String text, List<Attachment> attachments) {
        Map<String, Object> content = new LinkedHashMap<>();
        content.put("text", text);
        content.put("attachments", attachments);
        try {
            return DerivedIds.sha256(Json.writer().writeValueAsString(content));
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot digest message content", e);
        }
    }

    /**
     * Links the record after its tenant's chain head (HMAC under the active audit chain key) and
     * emits it (the task is the chain's only writer); every {@code checkpointRecords} records the
     * chain is checkpointed at once, otherwise at the next punctuation. Head, record and checkpoint
     * commit in one transaction.
     */
    private void forwardAudit(Record<String, PolicyInput> record, AuditRecord audit) {
        ChainHead head = ChainHead.decode(chainHeads.get(audit.tenant()));
        AuditRecord linked = AuditChain.link(chain, head.hash(), audit, auditKeys);
        ChainHead next = head.next(linked.hash());
        forward(record, audit.tenant(), new PolicyOutput.ToAudit(linked));
        if (next.uncovered() >= checkpointRecords) {
            next = checkpoint(audit.tenant(), next, record.timestamp());
            uncheckpointed.remove(audit.tenant());
        } else {
            uncheckpointed.add(audit.tenant());
        }
        chainHeads.put(audit.tenant(), next.encode());
    }

    /** Wall-clock punctuation: checkpoints every chain with records no checkpoint covers yet. */
    private void checkpointAll(long now) {
        for (String tenant : uncheckpointed) {
            ChainHead head = ChainHead.decode(chainHeads.get(tenant));
            if (head.uncovered() > 0) {
                chainHeads.put(tenant, checkpoint(tenant, head, now).encode());
            }
        }
        uncheckpointed.clear();
    }

    private ChainHead checkpoint(String tenant, ChainHead head, long timestamp) {
        AuditCheckpoint cp = AuditCheckpoint.sign(tenant, chain, head.base(), head.hash(), head.records(),
                context.currentSystemTimeMs(), auditKeys);
        context.forward(new Record<>(cp.key(), new PolicyOutput.ToCheckpoints(cp), timestamp));
        return head.checkpointedNow();
    }

    private void forward(Record<String, PolicyInput> record, String key, PolicyOutput out) {
        context.forward(new Record<>(key, out, record.timestamp()));
    }
}
