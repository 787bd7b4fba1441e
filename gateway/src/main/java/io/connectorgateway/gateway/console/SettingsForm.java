package io.connectorgateway.gateway.console;

import io.connectorgateway.contracts.Connector;
import io.connectorgateway.contracts.event.AttachmentKind;
import io.connectorgateway.contracts.settings.AttachmentAction;
import io.connectorgateway.contracts.settings.PermissionMode;
import io.connectorgateway.contracts.settings.TenantSettings;
import io.connectorgateway.gateway.admin.ImpactRequest;
import io.connectorgateway.gateway.admin.SettingsPatch;
import java.util.Arrays;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The connector settings form as the admin filled it in: the guide's controls, the reason, and the
 * version the admin edited. It decides nothing: {@link #patchAgainst} turns what the admin changed
 * into the admin API's {@link SettingsPatch}, which {@code SettingsService} validates and writes.
 *
 * <p>Form fields: {@code enabled} (true/false), {@code permissionMode}, {@code autoGrantNewMembers},
 * {@code greetingEnabled}, {@code greetingText}, {@code salesInfo}, {@code attachmentsEnabled},
 * {@code attachmentAction}, {@code kind.<KIND>} (one checkbox each), {@code reason},
 * {@code expectedVersion}. A field that is absent keeps the current value (WORKS has no greeting).
 */
public record SettingsForm(boolean enabled, PermissionMode permissionMode, boolean autoGrantNewMembers,
                           boolean greetingEnabled, String greetingText, String salesInfo,
                           boolean attachmentsEnabled, AttachmentAction attachmentAction, Set<AttachmentKind> kinds,
                           String reason, long expectedVersion) {
    /** The kinds an admin may restrict, in the order the form lists them (stickers always pass, R8). */
    public static final List<AttachmentKind> RESTRICTABLE = Arrays.stream(AttachmentKind.values())
            .filter(AttachmentKind::restrictable).toList();

    /** A form value that is not one of the offered choices (a hand-made post): 400 with the field named. */
    public static final class BadField extends RuntimeException {
        public BadField(String message) {
            super(message);
        }
    }

    public SettingsForm {
        kinds = Set.copyOf(kinds);
        greetingText = greetingText == null ? "" : greetingText;
        salesInfo = salesInfo == null ? "" : salesInfo;
        reason = reason == null ? "" : reason;
    }

    /** The form showing a settings row as it is. */
    public static SettingsForm of(TenantSettings s) {
        return new SettingsForm(s.enabled(), s.permissionMode(), s.autoGrantNewMembers(),
                s.greeting() != null && s.greeting().enabled(), s.greeting() == null ? "" : s.greeting().text(),
                s.greeting() == null ? "" : s.greeting().salesInfo(),
                s.attachments() != null && s.attachments().enabled(),
                s.attachments() == null ? AttachmentAction.STRIP : s.attachments().action(),
                s.attachments() == null ? AttachmentKind.guideDefaults() : s.attachments().kinds(), "", s.version());
    }

    /**
     * The posted form; fields absent keep {@code current}'s values.
     *
     * @throws BadField naming the field when a value is not one the form offers
     */
    public static SettingsForm parse(Map<String, String> form, TenantSettings current) {
        SettingsForm now = of(current);
        Set<AttachmentKind> kinds = EnumSet.noneOf(AttachmentKind.class);
        boolean anyKind = form.containsKey("kinds");
        for (AttachmentKind k : RESTRICTABLE) {
            if (form.containsKey("kind." + k.name())) {
                kinds.add(k);
            }
        }
        String version = form.get("expectedVersion");
        long expected;
        try {
            expected = Long.parseLong(version == null ? "" : version.trim());
        } catch (NumberFormatException e) {
            throw new BadField("expectedVersion must be the version number the form was loaded with");
        }
        return new SettingsForm(
                bool(form, "enabled", now.enabled()),
                choice(form, "permissionMode", PermissionMode.class, now.permissionMode()),
                bool(form, "autoGrantNewMembers", now.autoGrantNewMembers()),
                bool(form, "greetingEnabled", now.greetingEnabled()),
                form.getOrDefault("greetingText", now.greetingText()),
                form.getOrDefault("salesInfo", now.salesInfo()),
                bool(form, "attachmentsEnabled", now.attachmentsEnabled()),
                choice(form, "attachmentAction", AttachmentAction.class, now.attachmentAction()),
                anyKind ? kinds : now.kinds(),
                form.get("reason"), expected);
    }

    /**
     * What the admin changed compared with {@code current}, as the admin API's patch (only the
     * fields that differ: switching on what is already on must not count as switching it on, R1).
     */
    public SettingsPatch patchAgainst(TenantSettings current) {
        SettingsForm now = of(current);
        SettingsPatch.GreetingPatch greeting = null;
        if (current.connector() == Connector.LINE && (greetingEnabled != now.greetingEnabled
                || !greetingText.equals(now.greetingText) || !salesInfo.equals(now.salesInfo))) {
            greeting = new SettingsPatch.GreetingPatch(greetingEnabled != now.greetingEnabled ? greetingEnabled : null,
                    greetingText.equals(now.greetingText) ? null : greetingText,
                    salesInfo.equals(now.salesInfo) ? null : salesInfo);
        }
        SettingsPatch.AttachmentsPatch attachments = null;
        if (attachmentsEnabled != now.attachmentsEnabled || attachmentAction != now.attachmentAction
                || !kinds.equals(now.kinds)) {
            attachments = new SettingsPatch.AttachmentsPatch(
                    attachmentsEnabled != now.attachmentsEnabled ? attachmentsEnabled : null,
                    attachmentAction != now.attachmentAction ? attachmentAction : null,
                    kinds.equals(now.kinds) ? null : kinds);
        }
        return new SettingsPatch(
                enabled != now.enabled ? enabled : null,
                permissionMode != now.permissionMode ? permissionMode : null,
                autoGrantNewMembers != now.autoGrantNewMembers ? autoGrantNewMembers : null,
                greeting, attachments, reason, expectedVersion);
    }

    /** The impact preview of a patch: what it does to the connector switch and the permission mode. */
    public static ImpactRequest impactOf(SettingsPatch patch) {
        return new ImpactRequest(patch.enabled(), patch.permissionMode(), null, List.of());
    }

    /** The form again as hidden fields (the confirmation step posts exactly what was previewed). */
    public Map<String, String> fields() {
        Map<String, String> f = new LinkedHashMap<>();
        f.put("enabled", Boolean.toString(enabled));
        f.put("permissionMode", permissionMode.name());
        f.put("autoGrantNewMembers", Boolean.toString(autoGrantNewMembers));
        f.put("greetingEnabled", Boolean.toString(greetingEnabled));
        f.put("greetingText", greetingText);
        f.put("salesInfo", salesInfo);
        f.put("attachmentsEnabled", Boolean.toString(attachmentsEnabled));
        f.put("attachmentAction", attachmentAction.name());
        f.put("kinds", "");
        kinds.stream().sorted().forEach(k -> f.put("kind." + k.name(), "on"));
        f.put("reason", reason);
        f.put("expectedVersion", Long.toString(expectedVersion));
        return f;
    }

    public boolean restricts(AttachmentKind kind) {
        return kinds.contains(kind);
    }

    private static boolean bool(Map<String, String> form, String name, boolean otherwise) {
        String v = form.get(name);
        if (v == null) {
            return otherwise;
        }
        if (v.equals("true") || v.equals("false")) {
            return Boolean.parseBoolean(v);
        }
        throw new BadField(name + " must be true or false");
    }

    private static <E extends Enum<E>> E choice(Map<String, String> form, String name, Class<E> type, E otherwise) {
        String v = form.get(name);
        if (v == null) {
            return otherwise;
        }
        for (E e : type.getEnumConstants()) {
            if (e.name().equals(v)) {
                return e;
            }
        }
        throw new BadField(name + " must be one of " + Arrays.toString(type.getEnumConstants()));
    }
}
