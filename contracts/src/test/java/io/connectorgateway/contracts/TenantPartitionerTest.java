package io.connectorgateway.contracts;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.connectorgateway.contracts.topic.TenantPartitioner;
import java.nio.charset.StandardCharsets;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.apache.kafka.clients.producer.internals.BuiltInPartitioner;
import org.apache.kafka.common.Cluster;
import org.apache.kafka.common.Node;
import org.apache.kafka.common.PartitionInfo;
import org.junit.jupiter.api.Test;

class TenantPartitionerTest {

    @Test
    void aTenantGoesWhereKafkasDefaultPartitionerPutsARecordKeyedByTheTenantAlone() {
        for (int partitions : new int[] {1, 4, 8, 32, 97}) {
            for (int i = 0; i < 500; i++) {
                String tenant = "tenant-" + i;
                int kafka = BuiltInPartitioner.partitionForKey(tenant.getBytes(StandardCharsets.UTF_8), partitions);
                assertEquals(kafka, TenantPartitioner.partition(tenant, partitions), tenant + " on " + partitions);
            }
        }
    }

    @Test
    void everyInputKeyOfATenantLandsOnTheTenantsPartition() {
        int partitions = 8;
        int expected = TenantPartitioner.partition("acme", partitions);
        for (String key : List.of("acme", "acme:LINE", "acme:LINE:m1", "acme:m1", "acme:LINE:m1:U123", "acme:WORKS:m2:x@y")) {
            assertEquals(expected, TenantPartitioner.partitionOfKey(key, partitions), key);
        }
        assertEquals("acme", TenantPartitioner.tenantOf("acme:LINE:m1:U123"));
        assertEquals("acme", TenantPartitioner.tenantOf("acme"));
    }

    @Test
    void asAProducerPartitionerItFollowsTheSameRule() {
        Node node = new Node(0, "localhost", 9092);
        List<PartitionInfo> infos = new java.util.ArrayList<>();
        for (int p = 0; p < 8; p++) {
            infos.add(new PartitionInfo("t", p, node, new Node[] {node}, new Node[] {node}));
        }
        Cluster cluster = new Cluster("c", List.of(node), infos, Set.of(), Set.of());
        try (TenantPartitioner partitioner = new TenantPartitioner()) {
            Set<Integer> used = new HashSet<>();
            for (int i = 0; i < 200; i++) {
                String tenant = "t" + i;
                byte[] key = (tenant + ":LINE:m1:U1").getBytes(StandardCharsets.UTF_8);
                int p = partitioner.partition("t", null, key, null, null, cluster);
                assertEquals(TenantPartitioner.partition(tenant, 8), p);
                used.add(p);
            }
            assertEquals(8, used.size(), "200 tenants spread over all 8 partitions");
            assertThrows(IllegalArgumentException.class, () -> partitioner.partition("t", null, null, null, null, cluster));
            assertThrows(IllegalArgumentException.class,
                    () -> partitioner.partition("t", null, ":LINE".getBytes(StandardCharsets.UTF_8), null, null, cluster));
        }
    }

    @Test
    void publishedVectorsForImplementationsInOtherLanguages() {
        // The README's topic contract lists these so a platform team in another language can check its murmur2.
        assertEquals(865835268, org.apache.kafka.common.utils.Utils.toPositive(
                org.apache.kafka.common.utils.Utils.murmur2("acme".getBytes(StandardCharsets.UTF_8))));
        assertEquals(4, TenantPartitioner.partition("acme", 8));
        assertEquals(7, TenantPartitioner.partition("globex", 8));
        assertEquals(31, TenantPartitioner.partition("globex", 32));
        assertEquals(2, TenantPartitioner.partition("initech", 8));
        assertEquals(18, TenantPartitioner.partition("initech", 32));
    }
}
