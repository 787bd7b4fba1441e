package io.connectorgateway.gateway.admin;

import io.connectorgateway.contracts.Change;
import io.connectorgateway.contracts.Connector;
import io.connectorgateway.contracts.Ids;
import io.connectorgateway.contracts.settings.ConnectedMember;
import io.connectorgateway.contracts.settings.PermissionMode;
import io.connectorgateway.contracts.settings.SettingsRules;
import jakarta.inject.Singleton;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashSet;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/** The connected-members list of a tenant x connector: list, add/remove, reset friend-add URLs. */
@Singleton
public final class MembersService {
    private final SecureRandom random = new SecureRandom();
    private final ControlView view;
    private final TenantWrites writes;
    private final AdminWriter writer;
    private final AdminConfig config;

    public MembersService(ControlView view, TenantWrites writes, AdminWriter writer, AdminConfig config) {
        this.view = view;
        this.writes = writes;
        this.writer = writer;
        this.config = config;
    }

    /** What a members call did. */
    public record Outcome(List<MemberView> changed, List<String> unchanged) {
    }

    /**
     * The list; in ALL_MEMBERS also the members who are not on it but have a friend-add URL (their
     * LINE channel was registered, or their URL reset): everyone may chat there, so their URL is live.
     */
    public List<MemberView> list(String tenant, Connector connector, boolean includeRemoved) {
        boolean allMembers = view.settings(tenant, connector).permissionMode() == PermissionMode.ALL_MEMBERS;
        return view.members(tenant, connector).stream()
                .filter(m -> includeRemoved || m.granted() || (allMembers && m.urlToken() != null))
                .map(m -> MemberView.of(m, config.friendUrlBase())).toList();
    }

    /**
     * The members {@link #change} would accept to add: members of the tenant by the same rule it
     * checks (R3, {@link ControlView#knownMember}) who are not on the connector's list, by id.
     */
    public List<String> addable(String tenant, Connector connector) {
        return view.memberIds(tenant).stream().filter(id -> view.knownMember(tenant, id))
                .filter(id -> {
                    ConnectedMember m = view.member(tenant, connector, id);
                    return m == null || !m.granted();
                }).toList();
    }

    public Outcome change(AdminPrincipal who, String tenant, Connector connector, MembersChange request) {
        checkIds("add", request.add());
        checkIds("remove", request.remove());
        checkSize(request.add().size() + request.remove().size());
        if (request.add().isEmpty() && request.remove().isEmpty()) {
            throw ApiException.badRequest("name members to add or remove");
        }
        Set<String> both = new HashSet<>(request.add());
        both.retainAll(request.remove());
        if (!both.isEmpty()) {
            throw ApiException.badRequest("members both added and removed: " + both);
        }
        Change change = SettingsService.change(who, request.reason());
        return writes.serialised(tenant, () -> {
            checkExpected(tenant, connector, request.expectedVersions());
            List<SettingsRules.Violation> unknown = new ArrayList<>();
            for (int i = 0; i < request.add().size(); i++) {
                String id = request.add().get(i);
                if (!view.knownMember(tenant, id)) {
                    unknown.add(new SettingsRules.Violation("R3", "add[" + i + "]", "member " + id + " is not a member of tenant "
                            + tenant + " (never joined, or left, per the directory)"));
                }
            }
            if (!unknown.isEmpty()) {
                throw ApiException.invalid(unknown);
            }
            Map<String, ConnectedMember> before = new LinkedHashMap<>();
            List<ConnectedMember> after = new ArrayList<>();
            List<String> unchanged = new ArrayList<>();
            for (String id : new LinkedHashSet<>(request.add())) {
                ConnectedMember current = view.member(tenant, connector, id);
                if (current != null && current.granted()) {
                    unchanged.add(id);
                    continue;
                }
                before.put(id, current);
                // a member with a URL but not on the list (ALL_MEMBERS) keeps the URL already handed out
                String token = current != null && current.urlToken() != null ? current.urlToken() : newToken();
                after.add(new ConnectedMember(ConnectedMember.SCHEMA_VERSION, tenant, connector, id, true, token,
                        current == null ? 1 : current.version() + 1, ConnectedMember.Source.ADMIN, change));
            }
            for (String id : new LinkedHashSet<>(request.remove())) {
                ConnectedMember current = view.member(tenant, connector, id);
                if (current == null || !current.granted()) {
                    unchanged.add(id);
                    continue;
                }
                before.put(id, current);
                after.add(new ConnectedMember(ConnectedMember.SCHEMA_VERSION, tenant, connector, id, false, null,
                        current.version() + 1, ConnectedMember.Source.ADMIN, change));
            }
            Map<String, String> detail = new LinkedHashMap<>();
            detail.put("action", "add-remove");
            detail.put("added", String.join(",", after.stream().filter(ConnectedMember::granted).map(ConnectedMember::memberId).toList()));
            detail.put("removed", String.join(",", after.stream().filter(m -> !m.granted()).map(ConnectedMember::memberId).toList()));
            return write(tenant, connector, change, before, after, unchanged, detail);
        });
    }

    public Outcome resetUrls(AdminPrincipal who, String tenant, Connector connector, UrlReset request) {
        if (request.everyone() && !request.members().isEmpty()) {
            throw ApiException.badRequest("either list members or say all=true, not both");
        }
        if (!request.everyone() && request.members().isEmpty()) {
            throw ApiException.badRequest("name the members whose URL to reset, or all=true");
        }
        checkIds("members", request.members());
        checkSize(request.members().size());
        Change change = SettingsService.change(who, request.reason());
        return writes.serialised(tenant, () -> {
            // ALL_MEMBERS: every active member has a URL without being listed (SPEC settings table),
            // so any known member's URL can be reset; BY_MEMBER: only the list's.
            boolean allMembers = view.settings(tenant, connector).permissionMode() == PermissionMode.ALL_MEMBERS;
            List<String> ids = request.everyone()
                    ? view.members(tenant, connector).stream().filter(m -> m.granted() || (allMembers && m.urlToken() != null))
                    .map(ConnectedMember::memberId).toList()
                    : List.copyOf(new LinkedHashSet<>(request.members()));
            List<SettingsRules.Violation> notListed = new ArrayList<>();
            for (int i = 0; i < ids.size(); i++) {
                ConnectedMember current = view.member(tenant, connector, ids.get(i));
                boolean hasUrl = current != null && current.granted() || allMembers && view.knownMember(tenant, ids.get(i));
                if (!hasUrl) {
                    notListed.add(new SettingsRules.Violation("R5", "members[" + i + "]", "member " + ids.get(i)
                            + (allMembers ? " is not a member of tenant " + tenant
                            : " is not on the connected-members list, so has no friend-add URL")));
                }
            }
            if (!notListed.isEmpty()) {
                throw ApiException.invalid(notListed);
            }
            Map<String, ConnectedMember> before = new LinkedHashMap<>();
            List<ConnectedMember> after = new ArrayList<>();
            for (String id : ids) {
                ConnectedMember current = view.member(tenant, connector, id);
                before.put(id, current);
                // a member who is not on the list keeps not being on it: the row only carries the URL
                after.add(new ConnectedMember(ConnectedMember.SCHEMA_VERSION, tenant, connector, id, current != null && current.granted(),
                        newToken(), current == null ? 1 : current.version() + 1,
                        current == null ? ConnectedMember.Source.ADMIN : current.source(), change));
            }
            return write(tenant, connector, change, before, after, List.of(), Map.of("action", "reset-urls"));
        });
    }

    private Outcome write(String tenant, Connector connector, Change change, Map<String, ConnectedMember> before,
                          List<ConnectedMember> after, List<String> unchanged, Map<String, String> detail) {
        if (after.isEmpty()) {
            return new Outcome(List.of(), unchanged);
        }
        List<String> ids = after.stream().map(ConnectedMember::memberId).toList();
        Map<String, String> d = new LinkedHashMap<>(detail);
        d.put("members", String.join(",", ids));
        d.put("count", Integer.toString(ids.size()));
        AdminWriter.Batch batch = writer.batch();
        after.forEach(batch::member);
        batch.audit(ChangeAudit.membersChanged(ChangeAudit.newChangeId(), tenant, connector,
                view.settings(tenant, connector).version(), change, ids,
                before.entrySet().stream().map(e -> summary(e.getKey(), e.getValue())).toList(),
                after.stream().map(m -> summary(m.memberId(), m)).toList(), d));
        writes.commit(tenant, batch);
        return new Outcome(after.stream().map(m -> MemberView.of(m, config.friendUrlBase())).toList(), unchanged);
    }

    /** Audit shape of a row: the token itself stays out of the audit trail, only a fingerprint shows it changed. */
    private static Map<String, Object> summary(String memberId, ConnectedMember m) {
        Map<String, Object> s = new LinkedHashMap<>();
        s.put("memberId", memberId);
        s.put("granted", m != null && m.granted());
        s.put("version", m == null ? 0 : m.version());
        if (m != null && m.urlToken() != null) {
            s.put("urlTokenFingerprint", HexFormat.of().formatHex(AdminCredentials.sha256(m.urlToken()), 0, 8));
        }
        return s;
    }

    private void checkExpected(String tenant, Connector connector, Map<String, Long> expected) {
        for (var e : expected.entrySet()) {
            ConnectedMember current = view.member(tenant, connector, e.getKey());
            long version = current == null ? 0 : current.version();
            if (version != e.getValue()) {
                throw ApiException.conflict("member " + e.getKey() + " is at version " + version + ", not " + e.getValue(),
                        version);
            }
        }
    }

    private void checkIds(String field, List<String> ids) {
        for (int i = 0; i < ids.size(); i++) {
            if (!Ids.isValid(ids.get(i))) {
                throw ApiException.badRequest(field + "[" + i + "] is not a valid member id");
            }
        }
    }

    private void checkSize(int n) {
        if (n > config.maxBatch()) {
            throw ApiException.badRequest(n + " members in one call; at most " + config.maxBatch()
                    + " (the CLI splits bigger lists into batches)");
        }
    }

    /** 192 random bits, URL-safe: unguessable, and valid as an id (letters, digits, '-' and '_'). */
    private String newToken() {
        return newToken(random);
    }

    /** A new friend-add URL token: 192 random bits, Base64url (never contains '.', unlike the gateway's placeholders). */
    static String newToken(SecureRandom random) {
        byte[] b = new byte[24];
        random.nextBytes(b);
        return Base64.getUrlEncoder().withoutPadding().encodeToString(b);
    }
}
