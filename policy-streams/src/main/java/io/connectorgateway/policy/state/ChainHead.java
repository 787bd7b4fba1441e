package io.connectorgateway.policy.state;

import io.connectorgateway.contracts.audit.AuditChain;

/**
 * The head of a tenant's audit chain as this task keeps it ({@code policy-audit-chain-heads}):
 * the last record's hash, and what checkpoints need, i.e. how many records follow {@code base}
 * and how many of them the last checkpoint covered.
 *
 * <p>Stored as {@code 2;hash;records;base;checkpointed}. A value of an earlier release is the bare
 * hash of an unkeyed chain: this release continues that chain keyed and counts from it (its base).
 *
 * @param hash         hash of the chain's last record
 * @param records      records after {@code base}, up to and including the last
 * @param base         where counting starts: {@link AuditChain#GENESIS}, or the head of an earlier release's chain
 * @param checkpointed records covered by the last checkpoint written
 */
public record ChainHead(String hash, long records, String base, long checkpointed) {
    private static final String V2 = "2;";

    /** The head of a chain not started yet. */
    public static final ChainHead EMPTY = new ChainHead(AuditChain.GENESIS, 0, AuditChain.GENESIS, 0);

    public static ChainHead decode(String value) {
        if (value == null) {
            return EMPTY;
        }
        if (!value.startsWith(V2)) {
            return new ChainHead(value, 0, value, 0); // an earlier release's unkeyed head
        }
        String[] p = value.split(";", -1);
        if (p.length != 5) {
            throw new IllegalStateException("unreadable audit chain head: " + value);
        }
        return new ChainHead(p[1], Long.parseLong(p[2]), p[3], Long.parseLong(p[4]));
    }

    public String encode() {
        return V2 + hash + ';' + records + ';' + base + ';' + checkpointed;
    }

    /** The head after one more record. */
    public ChainHead next(String newHash) {
        return new ChainHead(newHash, records + 1, base, checkpointed);
    }

    /** Records not covered by a checkpoint yet. */
    public long uncovered() {
        return records - checkpointed;
    }

    public ChainHead checkpointedNow() {
        return new ChainHead(hash, records, base, records);
    }
}
