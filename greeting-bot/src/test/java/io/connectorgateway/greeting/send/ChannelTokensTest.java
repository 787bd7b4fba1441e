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
        assertEquals(Optional.of("t-acme"), tokens.tokenFor("acme"));
        assertEquals(Optional.of("t-globex"), tokens.tokenFor("globex-jp"));
        assertFalse(tokens.tokenFor("initech").isPresent());
        assertFalse(tokens.toString().contains("t-acme"), "tokens are never printed");
    }

    @Test
    void theDefaultTokenServesTenantsWithoutTheirOwn() {
        ChannelTokens tokens = ChannelTokens.fromEnvironment(Map.of(
                "GREETING_LINE_TOKEN_ACME", "t-acme", "GREETING_LINE_TOKEN_DEFAULT", "t-shared"));
        assertEquals(Optional.of("t-acme"), tokens.tokenFor("acme"));
        assertEquals(Optional.of("t-shared"), tokens.tokenFor("initech"));
    }

    @Test
    void memberDirectoryFallsBackToTheMemberId() {
        MemberDirectory names = MemberDirectory.of(Map.of("acme.m-1", "Aiko"));
        assertEquals("Aiko", names.nameOrId("acme", "m-1"));
        assertEquals("m-2", names.nameOrId("acme", "m-2"));
        assertTrue(MemberDirectory.empty().displayName("acme", "m-1").isEmpty());
    }
}
