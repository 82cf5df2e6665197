package io.nexus.gateway.session;

import io.nexus.common.session.SessionKeys;

/** What Redis said when a request touched its session ({@link SessionKeys#TOUCH_SCRIPT}). */
public enum SessionTouch {
    /** The tenant's session: its channel is recorded and its expiry slid. */
    TOUCHED,
    /** Not in Redis: expired, closed, never existed, or lost in a flush or restart. */
    NOT_IN_REDIS,
    /** Another tenant's session, left untouched. */
    OTHER_TENANT;

    static SessionTouch of(long answer) {
        if (answer == SessionKeys.TOUCHED) {
            return TOUCHED;
        }
        if (answer == SessionKeys.NOT_IN_REDIS) {
            return NOT_IN_REDIS;
        }
        if (answer == SessionKeys.OTHER_TENANT) {
            return OTHER_TENANT;
        }
        throw new IllegalStateException("the session touch answered " + answer);
    }
}
