package io.connectorgateway.contracts;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.connectorgateway.contracts.channel.ChannelBinding;
import io.connectorgateway.contracts.channel.ChannelSealer;
import io.connectorgateway.contracts.channel.ChannelSecrets;
import io.connectorgateway.contracts.channel.Sealed;
import io.connectorgateway.contracts.topic.Topics;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.List;
import org.junit.jupiter.api.Test;

class ChannelSealerTest {
    static String key(String id) {
        byte[] k = new byte[32];
        new SecureRandom().nextBytes(k);
        return id + ":" + Base64.getEncoder().encodeToString(k);
    }

    private static final byte[] AD = ChannelBinding.associatedData("acme", Connector.LINE, "alice", "1650000001");
    private static final ChannelSecrets SECRETS = new ChannelSecrets(List.of("secret-one-abcdef", "secret-two-abcdef"), "access-token-xyz");

    @Test
    void sealsAndOpensUnderTheKeyItNames() {
        ChannelSealer sealer = ChannelSealer.fromKeys(key("kek1"));
        Sealed sealed = sealer.seal(SECRETS, AD);
        assertEquals("kek1", sealed.keyId());
        String stored = new String(Base64.getDecoder().decode(sealed.ciphertext()), StandardCharsets.ISO_8859_1);
        assertFalse(stored.contains("secret-one"), "ciphertext must not carry the secret");
        assertFalse(stored.contains("access-token"), "ciphertext must not carry the token");
        assertEquals(SECRETS, sealer.open(sealed, AD));
        assertNotEquals(sealed.ciphertext(), sealer.seal(SECRETS, AD).ciphertext(), "a fresh data key and nonce each time");
    }

    @Test
    void aWrongKeyOrAnotherRecordDoesNotOpen() {
        Sealed sealed = ChannelSealer.fromKeys(key("kek1")).seal(SECRETS, AD);
        var wrong = assertThrows(ChannelSealer.SealException.class, () -> ChannelSealer.fromKeys(key("kek1")).open(sealed, AD));
        assertTrue(wrong.getMessage().contains("kek1"), wrong.getMessage());
        var missing = assertThrows(ChannelSealer.SealException.class, () -> ChannelSealer.fromKeys(key("kek2")).open(sealed, AD));
        assertTrue(missing.getMessage().contains("does not hold"), missing.getMessage());
        ChannelSealer sealer = ChannelSealer.fromKeys(key("kek1"));
        Sealed mine = sealer.seal(SECRETS, AD);
        byte[] otherTenant = ChannelBinding.associatedData("other", Connector.LINE, "alice", "1650000001");
        assertThrows(ChannelSealer.SealException.class, () -> sealer.open(mine, otherTenant));
    }

    @Test
    void rotationKeepsOldValuesReadableAndSealsUnderTheNewKey() {
        String old = key("kek1");
        Sealed before = ChannelSealer.fromKeys(old).seal(SECRETS, AD);
        ChannelSealer rotated = ChannelSealer.fromKeys(key("kek2") + "," + old);
        assertEquals(SECRETS, rotated.open(before, AD));
        assertEquals("kek2", rotated.seal(SECRETS, AD).keyId());
    }

    @Test
    void missingOrBrokenKeysAreRefusedNamingWhatIsWrong() {
        var none = assertThrows(IllegalStateException.class, () -> ChannelSealer.fromKeys(" "));
        assertTrue(none.getMessage().contains(ChannelSealer.ENV + " is not set"), none.getMessage());
        var shortKey = assertThrows(IllegalStateException.class, () -> ChannelSealer.fromKeys("k:" + Base64.getEncoder().encodeToString(new byte[16])));
        assertTrue(shortKey.getMessage().contains("32 bytes"), shortKey.getMessage());
        assertThrows(IllegalStateException.class, () -> ChannelSealer.fromKeys("no-id-here"));
        assertThrows(IllegalStateException.class, () -> ChannelSealer.fromKeys("k:not base64!"));
    }

    @Test
    void bindingsSerialiseWithFingerprintsOnly() {
        ChannelSealer sealer = ChannelSealer.fromKeys(key("kek1"));
        var channel = new ChannelBinding.Channel("1650000001", "U0123456789abcdef0123456789abcdef", "https://line.me/R/ti/p/@alice",
                sealer.seal(SECRETS, AD), SECRETS.fingerprints(), ChannelSecrets.fingerprint(SECRETS.accessToken()), 1L, null);
        var binding = new ChannelBinding(0, "acme", Connector.LINE, "alice", null, channel, List.of(), 1,
                new Change(new Actor("ops", Actor.Role.OPERATOR), "launch", 1L));
        Topics topics = new Topics("", 3, (short) 1);
        byte[] json = topics.channels.valueSerde().serializer().serialize(topics.channels.name(), binding);
        String text = new String(json, StandardCharsets.UTF_8);
        assertFalse(text.contains("secret-one") || text.contains("access-token-xyz"), text);
        assertTrue(text.contains(ChannelSecrets.fingerprint("secret-one-abcdef")), text);
        assertEquals(binding, topics.channels.valueSerde().deserializer().deserialize(topics.channels.name(), json));
        assertEquals(ChannelBinding.Status.ACTIVE, binding.status());
        assertFalse(SECRETS.toString().contains("secret-one"));
    }
}
