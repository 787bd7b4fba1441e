package io.connectorgateway.greeting.send;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class ChannelTokensTest {

    @Test
    void readsOneTokenPerTenantFromTheEnvironment() {
        ChannelTokens tokens = ChannelTokens.fromEnvironment(Map.of(
                "GREETING_LINE_TOKEN_ACME", "t-acme",
                "GREETING_LINE_TOKEN_GLOBEX_JP", "t-globex",
                "UNRELATED", "x"));
        assertEquals(Optional.of("t-acme"), tokens.tokenFor("acme", "m-1"));
        assertEquals(Optional.of("t-globex"), tokens.tokenFor("globex-jp", "m-1"));
        assertFalse(tokens.tokenFor("initech", "m-1").isPresent());
        assertFalse(tokens.toString().contains("t-acme"), "tokens are never printed");
    }

    @Test
    void theDefaultTokenServesTenantsWithoutTheirOwn() {
        ChannelTokens tokens = ChannelTokens.fromEnvironment(Map.of(
                "GREETING_LINE_TOKEN_ACME", "t-acme", "GREETING_LINE_TOKEN_DEFAULT", "t-shared"));
        assertEquals(Optional.of("t-acme"), tokens.tokenFor("acme", "m-1"));
        assertEquals(Optional.of("t-shared"), tokens.tokenFor("initech", "m-1"));
    }

    @Test
    void aMembersOwnChannelComesFirstAndNamesTheRateLimitBucket() {
        ChannelTokens tokens = ChannelTokens.fromEnvironment(Map.of(
                "GREETING_LINE_MEMBER_TOKEN_ACME__SATO", "t-sato", "GREETING_LINE_TOKEN_ACME", "t-acme",
                "GREETING_LINE_TOKEN_DEFAULT", "t-shared", "GREETING_LINE_TOKEN_ACME__SATO", "t-tenant-acme__sato"));
        assertEquals(new ChannelTokens.Channel("MEMBER:ACME__SATO", "t-sato"), tokens.channelFor("acme", "sato").orElseThrow());
        assertEquals("t-tenant-acme__sato", tokens.tokenFor("acme__sato", "sato").orElseThrow(),
                "a tenant whose id looks like tenant__member keeps its own channel");
        assertEquals(new ChannelTokens.Channel("ACME", "t-acme"), tokens.channelFor("acme", "suzuki").orElseThrow(),
                "members without their own channel share the tenant's, and its budget");
        assertEquals("DEFAULT", tokens.channelFor("initech", "sato").orElseThrow().name());
        assertFalse(tokens.channelFor("acme", "sato").orElseThrow().toString().contains("t-sato"), "never printed");
    }

    @Test
    void memberDirectoryFallsBackToTheMemberId() {
        MemberDirectory names = MemberDirectory.of(Map.of("acme.m-1", "Aiko"));
        assertEquals("Aiko", names.nameOrId("acme", "m-1"));
        assertEquals("m-2", names.nameOrId("acme", "m-2"));
        assertTrue(MemberDirectory.empty().displayName("acme", "m-1").isEmpty());
    }
}
