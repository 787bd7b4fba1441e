package io.connectorgateway.greeting.consume;

import io.connectorgateway.contracts.command.GreetingCommand;
import io.connectorgateway.contracts.command.GreetingResult;
import io.connectorgateway.contracts.topic.Topics;
import io.connectorgateway.greeting.channel.ChannelRegistry;
import io.connectorgateway.greeting.line.RetryKey;
import io.connectorgateway.greeting.send.GreetingSender;
import io.connectorgateway.greeting.send.SendReport;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentLinkedQueue;
import org.apache.kafka.clients.consumer.CloseOptions;
import org.apache.kafka.clients.consumer.Consumer;
import org.apache.kafka.clients.consumer.ConsumerRebalanceListener;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.AuthorizationException;
import org.apache.kafka.common.errors.InvalidProducerEpochException;
import org.apache.kafka.common.errors.OutOfOrderSequenceException;
import org.apache.kafka.common.errors.ProducerFencedException;
import org.apache.kafka.common.errors.UnsupportedVersionException;
import org.apache.kafka.common.errors.WakeupException;
import org.apache.kafka.common.serialization.Deserializer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The consume-send-record loop of the greeting bot.
 *
 * <p>One thread owns the consumer and the transactional producer. It polls greeting commands
 * (read_committed), hands each to its tenant's lane ({@link TenantLanes}), and records finished
 * outcomes: audit record (and dead letter on failure) plus the consumer offsets, in one Kafka
 * transaction. So an outcome is recorded exactly when the command's progress is committed; a
 * crash before that leaves the command uncommitted, and the next owner sends it again with the
 * same {@code X-Line-Retry-Key}, which LINE answers {@code 409}: still one greeting, one record.
 *
 * <p>Commands finish out of order (tenants are independent); {@link PartitionLedger} keeps the
 * committed offset at the lowest unfinished one and carries the finished ones above it in the
 * offset metadata.
 */
public final class GreetingConsumer implements Runnable {
    private static final Logger LOG = LoggerFactory.getLogger(GreetingConsumer.class);
    private static final Duration POLL = Duration.ofMillis(100);

    /** Lifecycle as seen by health checks. */
    public enum State { STARTING, RUNNING, STOPPING, STOPPED, FAILED }

    private final Topics topics;
    private final Consumer<byte[], byte[]> consumer;
    private final Producer<byte[], byte[]> producer;
    private final GreetingSender sender;
    private final ChannelRegistry registry;
    private final TenantLanes lanes;
    private final OutcomeRecords records;
    private final int maxBuffered;
    private final Duration shutdownGrace;
    private final Deserializer<GreetingCommand> commands;

    private final Map<TopicPartition, PartitionLedger> ledgers = new HashMap<>();
    private final Map<TopicPartition, List<Completion>> ready = new HashMap<>();
    private final ConcurrentLinkedQueue<Completion> completions = new ConcurrentLinkedQueue<>();
    /** Assigned greetings partitions kept paused until the registry has read their channel partition. */
    private final Set<TopicPartition> awaitingChannels = new HashSet<>();

    private volatile State state = State.STARTING;
    private volatile String failure;
    private volatile boolean stopRequested;
    private volatile boolean killed;
    private volatile long transactions;
    private boolean paused;

    public GreetingConsumer(Topics topics, Consumer<byte[], byte[]> consumer, Producer<byte[], byte[]> producer,
                            GreetingSender sender, ChannelRegistry registry, int workerThreads, int perTenantInFlight, int maxBuffered,
                            Duration shutdownGrace, String service) {
        this.topics = topics;
        this.consumer = consumer;
        this.producer = producer;
        this.sender = sender;
        this.registry = registry;
        this.lanes = new TenantLanes(workerThreads, perTenantInFlight, service + "-worker");
        this.records = new OutcomeRecords(topics, service);
        this.maxBuffered = maxBuffered;
        this.shutdownGrace = shutdownGrace;
        this.commands = topics.greetings.valueSerde().deserializer();
    }

    /** A finished command: the records to write for it, for the partition ledger it came from. */
    private record Completion(TopicPartition partition, PartitionLedger ledger, long offset,
                              List<ProducerRecord<byte[], byte[]>> records) {
    }

    private final class SendJob extends TenantLanes.Job {
        final TopicPartition partition;
        final PartitionLedger ledger;
        final GreetingCommand command;
        final ConsumerRecord<byte[], byte[]> source;

        SendJob(TopicPartition partition, PartitionLedger ledger, GreetingCommand command,
                ConsumerRecord<byte[], byte[]> source) {
            this.partition = partition;
            this.ledger = ledger;
            this.command = command;
            this.source = source;
        }

        @Override
        public void run() {
            SendReport report;
            try {
                report = sender.send(command, () -> cancelled() || killed);
            } catch (GreetingSender.Abandoned abandoned) {
                LOG.info("greeting {} abandoned without an outcome; it will be sent again (same retry key)",
                        command.commandId());
                return;
            } catch (RuntimeException bug) {
                // A defect, not a LINE answer: record it as failed rather than block the partition.
                LOG.error("greeting {} failed unexpectedly", command.commandId(), bug);
                report = new SendReport(new GreetingResult(GreetingResult.SCHEMA_VERSION, command.commandId(),
                        command.tenant(), command.roomId(), command.lineUserId(), GreetingResult.Outcome.FAILED,
                        "internal error: " + bug, 0, 0, System.currentTimeMillis()),
                        RetryKey.forCommand(command.commandId()), 0, null, null);
            }
            completions.add(new Completion(partition, ledger, source.offset(), records.forOutcome(command, report, source)));
        }
    }

    @Override
    public void run() {
        try {
            producer.initTransactions();
            consumer.subscribe(List.of(topics.greetings.name()), new Rebalance());
            state = State.RUNNING;
            LOG.info("greeting bot consuming {}", topics.greetings.name());
            while (!stopRequested && !killed) {
                for (ConsumerRecord<byte[], byte[]> record : consumer.poll(POLL)) {
                    admit(record);
                }
                resumeWhereChannelsAreRead();
                flowControl();
                recordOutcomes();
            }
            if (!killed) {
                drainGracefully();
            }
            state = State.STOPPED;
        } catch (WakeupException e) {
            state = killed || stopRequested ? State.STOPPED : State.FAILED;
        } catch (RuntimeException e) {
            failure = e.toString();
            state = State.FAILED;
            LOG.error("greeting bot stopped on an unrecoverable error", e);
        } finally {
            lanes.cancel(j -> true);
            lanes.shutdown(true);
            closeClients();
        }
    }

    private void admit(ConsumerRecord<byte[], byte[]> record) {
        TopicPartition tp = new TopicPartition(record.topic(), record.partition());
        PartitionLedger ledger = ledgers.get(tp);
        if (ledger == null || !ledger.admit(record.offset())) {
            return;
        }
        GreetingCommand command;
        try {
            command = commands.deserialize(record.topic(), record.headers(), record.value());
            if (command == null) {
                throw new IllegalArgumentException("empty greeting command (null value)");
            }
        } catch (RuntimeException e) {
            LOG.warn("dead-lettering unreadable greeting command at {}@{}: {}", tp, record.offset(), e.getMessage());
            completions.add(new Completion(tp, ledger, record.offset(), records.forPoison(record, e)));
            return;
        }
        lanes.submit(command.tenant(), new SendJob(tp, ledger, command, record));
    }

    /** A greetings partition is fetched once the registry holds its tenants' channels. */
    private void resumeWhereChannelsAreRead() {
        List<TopicPartition> readNow = awaitingChannels.stream().filter(tp -> registry.ready(tp.partition())).toList();
        if (readNow.isEmpty()) {
            return;
        }
        readNow.forEach(awaitingChannels::remove);
        if (!paused) {
            consumer.resume(readNow);
        }
        LOG.info("channels of {} read; fetching greetings there", readNow);
    }

    /** Bounded memory: stop fetching while too many commands wait for a worker or a commit. */
    private void flowControl() {
        int buffered = lanes.size() + completions.size() + ready.values().stream().mapToInt(List::size).sum();
        if (!paused && buffered >= maxBuffered) {
            consumer.pause(consumer.assignment());
            paused = true;
        } else if (paused && buffered <= maxBuffered / 2) {
            Set<TopicPartition> resumable = new HashSet<>(consumer.paused());
            resumable.removeAll(awaitingChannels);
            consumer.resume(resumable);
            paused = false;
        }
    }

    /** Writes every recordable outcome and the offsets they allow, in one transaction. */
    private void recordOutcomes() {
        Completion c;
        while ((c = completions.poll()) != null) {
            if (ledgers.get(c.partition()) == c.ledger()) {
                ready.computeIfAbsent(c.partition(), p -> new ArrayList<>()).add(c);
            }
            // else: the partition was revoked meanwhile; its new owner sends it again.
        }
        Map<TopicPartition, PartitionLedger.Plan> plans = new HashMap<>();
        for (Map.Entry<TopicPartition, PartitionLedger> e : ledgers.entrySet()) {
            List<Completion> r = ready.getOrDefault(e.getKey(), List.of());
            PartitionLedger.Plan plan = e.getValue().plan(r.stream().map(Completion::offset).toList());
            if (plan != null) {
                plans.put(e.getKey(), plan);
            }
        }
        if (plans.isEmpty() || killed) {
            return;
        }
        Map<TopicPartition, OffsetAndMetadata> offsets = new HashMap<>();
        try {
            producer.beginTransaction();
            for (Map.Entry<TopicPartition, PartitionLedger.Plan> e : plans.entrySet()) {
                Set<Long> taken = new HashSet<>(e.getValue().offsets());
                for (Completion done : ready.getOrDefault(e.getKey(), List.of())) {
                    if (taken.contains(done.offset())) {
                        done.records().forEach(producer::send);
                    }
                }
                offsets.put(e.getKey(), new OffsetAndMetadata(e.getValue().newBase(), e.getValue().metadata()));
            }
            producer.sendOffsetsToTransaction(offsets, consumer.groupMetadata());
            if (killed) {
                // A simulated crash between writing and committing: the transaction never commits.
                return;
            }
            producer.commitTransaction();
            transactions++;
        } catch (ProducerFencedException | OutOfOrderSequenceException | AuthorizationException
                 | UnsupportedVersionException | InvalidProducerEpochException fatal) {
            throw new IllegalStateException("transactional producer cannot continue: " + fatal, fatal);
        } catch (KafkaException e) {
            LOG.warn("recording greeting outcomes failed, aborting and retrying: {}", e.toString());
            try {
                producer.abortTransaction();
            } catch (KafkaException abortFailed) {
                throw new IllegalStateException("cannot abort a failed transaction: " + abortFailed, abortFailed);
            }
            return;
        }
        for (Map.Entry<TopicPartition, PartitionLedger.Plan> e : plans.entrySet()) {
            PartitionLedger ledger = ledgers.get(e.getKey());
            ledger.apply(e.getValue());
            Set<Long> taken = new HashSet<>(e.getValue().offsets());
            List<Completion> left = ready.getOrDefault(e.getKey(), new ArrayList<>());
            left.removeIf(done -> taken.contains(done.offset()));
            if (left.isEmpty()) {
                ready.remove(e.getKey());
            }
        }
    }

    /**
     * SIGTERM: fetch nothing more, give running commands the grace period to finish, record what
     * finished, abandon the rest (uncommitted, so the next owner sends them, same retry key).
     */
    private void drainGracefully() {
        state = State.STOPPING;
        lanes.cancelQueued();
        long until = System.nanoTime() + shutdownGrace.toNanos();
        while (lanes.size() > 0 && System.nanoTime() < until && !killed) {
            try {
                lanes.awaitIdle(Duration.ofMillis(100));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                break;
            }
            recordOutcomes();
        }
        lanes.cancel(job -> true);
        recordOutcomes();
    }

    private void closeClients() {
        // Even a simulated crash lets the consumer say goodbye to its group (nothing is committed:
        // auto-commit is off), so a restart does not wait for the session timeout. LEAVE_GROUP:
        // a static member (group.instance.id) would otherwise stay in the group until it expires.
        Duration timeout = killed ? Duration.ZERO : Duration.ofSeconds(10);
        try {
            consumer.close(CloseOptions.groupMembershipOperation(CloseOptions.GroupMembershipOperation.LEAVE_GROUP)
                    .withTimeout(killed ? Duration.ofSeconds(3) : timeout));
        } catch (RuntimeException e) {
            LOG.debug("consumer close", e);
        }
        try {
            producer.close(timeout);
        } catch (RuntimeException e) {
            LOG.debug("producer close", e);
        }
    }

    private final class Rebalance implements ConsumerRebalanceListener {
        @Override
        public void onPartitionsAssigned(Collection<TopicPartition> partitions) {
            if (partitions.isEmpty()) {
                return;
            }
            Map<TopicPartition, OffsetAndMetadata> committed = consumer.committed(new HashSet<>(partitions));
            for (TopicPartition tp : partitions) {
                OffsetAndMetadata c = committed.get(tp);
                PartitionLedger ledger = c == null
                        ? new PartitionLedger(consumer.position(tp), null)
                        : new PartitionLedger(c.offset(), c.metadata());
                ledgers.put(tp, ledger);
            }
            registry.follow(owned());
            for (TopicPartition tp : partitions) {
                if (!registry.ready(tp.partition())) {
                    awaitingChannels.add(tp);
                }
            }
            if (paused) {
                consumer.pause(partitions);
            } else {
                consumer.pause(awaitingChannels);
            }
            LOG.info("assigned {}", partitions);
        }

        @Override
        public void onPartitionsRevoked(Collection<TopicPartition> partitions) {
            if (!killed) {
                try {
                    recordOutcomes();
                } catch (RuntimeException e) {
                    LOG.warn("could not record outcomes before giving up partitions {}: {}", partitions, e.toString());
                }
            }
            forget(partitions);
        }

        @Override
        public void onPartitionsLost(Collection<TopicPartition> partitions) {
            forget(partitions);
        }

        private void forget(Collection<TopicPartition> partitions) {
            Set<TopicPartition> gone = new HashSet<>(partitions);
            gone.forEach(ledgers::remove);
            gone.forEach(ready::remove);
            awaitingChannels.removeAll(gone);
            registry.follow(owned());
            lanes.cancel(job -> gone.contains(((SendJob) job).partition));
            if (!gone.isEmpty()) {
                LOG.info("revoked {}; unfinished greetings there are left to the next owner", gone);
            }
        }
    }

    private Set<Integer> owned() {
        Set<Integer> numbers = new HashSet<>();
        ledgers.keySet().forEach(tp -> numbers.add(tp.partition()));
        return numbers;
    }

    /** Greetings partitions waiting for their channel partition to be read. */
    public int awaitingChannels() {
        return awaitingChannels.size();
    }

    /** Asks the loop to stop: finish or abandon in-flight commands, record, close. */
    public void stop() {
        stopRequested = true;
    }

    /**
     * Stops at once without recording anything more, as a crash would (tests; also the last
     * resort when a clean stop hangs): in-flight commands are abandoned uncommitted.
     */
    public void kill() {
        killed = true;
        lanes.cancel(job -> true);
        lanes.shutdown(true);
        consumer.wakeup();
    }

    public State state() {
        return state;
    }

    public String failure() {
        return failure;
    }

    public int inFlight() {
        return lanes.size();
    }

    public int assignedPartitions() {
        return ledgers.size();
    }

    public long transactions() {
        return transactions;
    }
}
