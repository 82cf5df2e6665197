package io.nexus.common.identity;

/** The columns of docs/api.md §2's role table. */
public enum Permission {
    /** Read workflows, executions, sessions, marketplace, own tenant: viewer, developer, admin. */
    READ,
    /** Create, change, delete, start, cancel, signal, publish, install, review: developer, admin. */
    WRITE,
    /** Manage the tenant's API keys, read usage: admin. */
    MANAGE
}
