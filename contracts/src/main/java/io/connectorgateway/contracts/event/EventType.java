package io.connectorgateway.contracts.event;

import io.connectorgateway.contracts.Connector;

/** What happened, and on which connector it can happen. */
public enum EventType {
    /** LINE: the LINE user added the member as a friend through the member's friend-add URL. */
    FRIEND_ADD(Connector.LINE),
    /** LINE: the LINE user blocked the member; closes the room. */
    UNFOLLOW(Connector.LINE),
    /** LINE: the sender took a message back; its content leaves the searchable history. */
    UNSEND(Connector.LINE),
    /** WORKS: a permitted member added a user of another company's tenant as a contact. */
    CONTACT_ADD(Connector.WORKS),
    /** WORKS external group content: a note, calendar event, folder or board post. */
    GROUP_CONTENT(Connector.WORKS),
    /** Both: a chat message with text and/or attachments. */
    MESSAGE(null);

    private final Connector only;

    EventType(Connector only) {
        this.only = only;
    }

    public boolean appliesTo(Connector connector) {
        return only == null || only == connector;
    }
}
