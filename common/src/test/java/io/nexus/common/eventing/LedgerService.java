package io.nexus.common.eventing;

import java.time.Instant;

import jakarta.enterprise.context.ApplicationScoped;

import io.nexus.common.outbox.OutboxWriter;
import io.nexus.events.workflow.WorkflowUpdated;
import io.quarkus.hibernate.reactive.panache.common.WithTransaction;
import io.smallrye.mutiny.Uni;

/** A transactional service as the real ones are written: the state change and its event in one transaction. */
@ApplicationScoped
public class LedgerService {

    static final String TENANT = "tenant-eventing";

    private final OutboxWriter outbox;

    public LedgerService(OutboxWriter outbox) {
        this.outbox = outbox;
    }

    /** Sets the balance of {@code account} and announces it; returns the event id. */
    @WithTransaction
    public Uni<String> setBalance(String account, int balance) {
        return change(account, balance);
    }

    /** The same change, then a failure before commit: neither the change nor its event may survive. */
    @WithTransaction
    public Uni<String> setBalanceThenFail(String account, int balance) {
        return change(account, balance).chain(id -> Uni.createFrom().failure(new IllegalStateException("rollback")));
    }

    private Uni<String> change(String account, int balance) {
        return LedgerEntry.<LedgerEntry> findById(account)
                .chain(existing -> {
                    LedgerEntry entry = existing != null ? existing : new LedgerEntry();
                    entry.id = account;
                    entry.balance = balance;
                    return existing != null ? Uni.createFrom().item(entry) : entry.persist();
                })
                .chain(entry -> outbox.append(new WorkflowUpdated(TENANT, account, balance, Instant.now())))
                .map(event -> event.id());
    }

    static String key(String account) {
        return TENANT + "/" + account;
    }
}
