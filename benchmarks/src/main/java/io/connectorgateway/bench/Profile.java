package io.connectorgateway.bench;

/**
 * Sizes of one run. {@code quick} ends within about 10 minutes on the shared 2-core machine;
 * {@code full} uses the sizes the issue names (100,000 rooms, 1,000,000 audit records).
 *
 * @param messages         messages pre-loaded for the throughput drain (1), after the friend-adds
 * @param tenants          tenants of the traffic mix
 * @param membersPerTenant members per tenant
 * @param usersPerMember   LINE users (rooms) per member
 * @param latencySeconds   measured seconds per rate and subject (2), after a warm-up
 * @param rooms            open rooms before the disable (3); the measured tenant holds half
 * @param webhooks         signed webhooks (and as many health requests) per ingress run (4)
 * @param greetings        greeting commands per greeting run (5); 10,000 in both profiles: at 3,000 the
 *                         measured window was about 3 s, mostly JIT warm-up
 * @param auditRecords     audit records in the searched store (6)
 */
record Profile(String name, int messages, int tenants, int membersPerTenant, int usersPerMember, int latencySeconds,
               int rooms, int webhooks, int greetings, int auditRecords) {
    static Profile of(String name) {
        return switch (name) {
            case "quick" -> new Profile("quick", 150_000, 50, 10, 4, 15, 100_000, 5_000, 10_000, 1_000_000);
            case "full" -> new Profile("full", 400_000, 200, 20, 5, 30, 100_000, 20_000, 10_000, 1_000_000);
            default -> throw new IllegalArgumentException("unknown profile '" + name + "' (quick or full)");
        };
    }

    Profile withMessages(int n) {
        return new Profile(name + "/" + n, n, tenants, membersPerTenant, usersPerMember, latencySeconds, rooms, webhooks,
                greetings, auditRecords);
    }
}
