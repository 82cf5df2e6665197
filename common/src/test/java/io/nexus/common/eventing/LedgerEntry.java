package io.nexus.common.eventing;

import jakarta.persistence.Entity;
import jakarta.persistence.Id;

import io.quarkus.hibernate.reactive.panache.PanacheEntityBase;

/** The state change the eventing tests make alongside their events. */
@Entity(name = "ledger_entry")
public class LedgerEntry extends PanacheEntityBase {

    @Id
    public String id;

    public int balance;
}
