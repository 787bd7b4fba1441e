package io.connectorgateway.policy.input;

import java.nio.charset.StandardCharsets;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.apache.kafka.common.utils.Utils;
import org.apache.kafka.streams.processor.StreamPartitioner;

/**
 * Partitioner of the control topic. Settings, members and directory changes go to EVERY
 * partition (KIP-837 multicast), so that each partition's processor holds its own copy and sees
 * each change in stream-time order with its own events. A {@link PolicyInput.Joined} goes to one
 * partition chosen by its key, because the auto-grant it may cause must be written once.
 */
public final class BroadcastPartitioner implements StreamPartitioner<String, PolicyInput> {

    @Override
    public Optional<Set<Integer>> partitions(String topic, String key, PolicyInput value, int numPartitions) {
        if (value instanceof PolicyInput.Joined) {
            int owner = Utils.toPositive(Utils.murmur2(key.getBytes(StandardCharsets.UTF_8))) % numPartitions;
            return Optional.of(Set.of(owner));
        }
        return Optional.of(IntStream.range(0, numPartitions).boxed().collect(Collectors.toUnmodifiableSet()));
    }
}
