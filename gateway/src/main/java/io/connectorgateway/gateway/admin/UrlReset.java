package io.connectorgateway.gateway.admin;

import java.util.List;

/** New friend-add URL tokens for the listed members, or for every connected member when {@code all}. */
public record UrlReset(List<String> members, Boolean all, String reason) {
    public UrlReset {
        members = members == null ? List.of() : List.copyOf(members);
    }

    public boolean everyone() {
        return Boolean.TRUE.equals(all);
    }
}
