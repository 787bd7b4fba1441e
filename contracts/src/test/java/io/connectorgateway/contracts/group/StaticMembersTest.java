package io.connectorgateway.contracts.group;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** Which member ids belong to which stream thread (the broker side: policy-streams' StreamThreadReplacementBrokerTest). */
class StaticMembersTest {
    private final StaticMembers members = new StaticMembers(Map.of(), "app", "policy-a", Duration.ofSeconds(1));

    @Test
    void aStreamThreadsMemberIsTheInstanceIdAndTheThreadIndex() {
        assertEquals(Optional.of("policy-a-1"), members.memberOf("app-0b8f-4c1e-StreamThread-1"));
        assertEquals(Optional.of("policy-a-12"), members.memberOf("client-StreamThread-12"));
        assertEquals(Optional.empty(), members.memberOf("main"));
        assertEquals(Optional.empty(), members.memberOf("app-GlobalStreamThread"));
    }

    @Test
    void onlyThisInstancesMembersHaveAnIndex() {
        assertEquals(2, members.indexOf("policy-a-2"));
        assertEquals(-1, members.indexOf("policy-a-2-1"), "instance policy-a-2's first thread");
        assertEquals(-1, members.indexOf("policy-b-2"));
        assertEquals(-1, members.indexOf("policy-a-"));
        assertEquals(-1, members.indexOf("policy-a-x"));
        assertEquals(-1, members.indexOf(null));
    }

    @Test
    void aStaticMemberNeedsAnInstanceId() {
        assertThrows(IllegalArgumentException.class, () -> new StaticMembers(Map.of(), "app", " ", Duration.ZERO));
    }
}
