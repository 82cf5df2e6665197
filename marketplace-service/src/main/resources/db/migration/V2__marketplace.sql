-- The marketplace (docs/api.md §4.6): published items, their immutable versions, reviews, and each item's statistics.

-- Trigram matching for the typo fallback of search. A trusted extension: the database's owner (nexus) may create it.
CREATE EXTENSION IF NOT EXISTS pg_trgm;

-- array_to_string is only STABLE (it calls element output functions); for text[] it is immutable in fact, which the
-- generated columns below need.
CREATE FUNCTION marketplace_words(words text[]) RETURNS text
    LANGUAGE sql IMMUTABLE PARALLEL SAFE STRICT
    AS $$ SELECT array_to_string(words, ' ') $$;

CREATE TABLE items (
    id                  uuid PRIMARY KEY,
    tenant_id           uuid NOT NULL,                 -- the publisher
    name                text NOT NULL,
    summary             text NOT NULL,
    description         text,
    categories          text[] NOT NULL,
    tags                text[] NOT NULL,
    license             text NOT NULL,                 -- an SPDX id, as the list spells it
    workflow            text NOT NULL,                 -- the publisher's workflow the versions were taken from
    latest_version      text,                          -- the highest version not yanked; null: all yanked (not listed)
    created_at          timestamptz NOT NULL,
    updated_at          timestamptz NOT NULL,
    -- Full-text search: name weighs most, then summary and tags, then the description (english stemming).
    search              tsvector GENERATED ALWAYS AS (
                            setweight(to_tsvector('english', name), 'A')
                            || setweight(to_tsvector('english', summary || ' ' || marketplace_words(tags)), 'B')
                            || setweight(to_tsvector('english', coalesce(description, '')), 'C')) STORED,
    -- What the typo fallback compares the query with (trigrams).
    fuzzy_text          text GENERATED ALWAYS AS (
                            lower(name || ' ' || summary || ' ' || marketplace_words(tags))) STORED
);

-- A publisher's item names are unique, ignoring case.
CREATE UNIQUE INDEX items_publisher_name ON items (tenant_id, lower(name));
CREATE INDEX items_search ON items USING gin (search);
CREATE INDEX items_fuzzy_text ON items USING gin (fuzzy_text gin_trgm_ops);
CREATE INDEX items_categories ON items USING gin (categories);
CREATE INDEX items_tags ON items USING gin (tags);
CREATE INDEX items_newest ON items (created_at DESC, id DESC) WHERE latest_version IS NOT NULL;

CREATE TABLE item_versions (
    item_id             uuid NOT NULL REFERENCES items (id),
    version             text NOT NULL,                 -- semver
    workflow_version    integer NOT NULL,
    definition          jsonb NOT NULL,                -- the snapshot, http header values stripped
    published_at        timestamptz NOT NULL,
    yanked_at           timestamptz,
    PRIMARY KEY (item_id, version)
);

-- A version is immutable once published; only yanking (yanked_at) changes it.
CREATE FUNCTION item_versions_immutable() RETURNS trigger
    LANGUAGE plpgsql
    AS $$
BEGIN
    IF NEW.item_id <> OLD.item_id OR NEW.version <> OLD.version OR NEW.workflow_version <> OLD.workflow_version
            OR NEW.definition IS DISTINCT FROM OLD.definition OR NEW.published_at <> OLD.published_at THEN
        RAISE EXCEPTION 'item versions are immutable: only yanked_at may change';
    END IF;
    RETURN NEW;
END
$$;

CREATE TRIGGER item_versions_immutable BEFORE UPDATE ON item_versions
    FOR EACH ROW EXECUTE FUNCTION item_versions_immutable();

CREATE TABLE reviews (
    id                  uuid PRIMARY KEY,
    item_id             uuid NOT NULL REFERENCES items (id),
    tenant_id           uuid NOT NULL,                 -- the reviewer
    rating              smallint NOT NULL CHECK (rating BETWEEN 1 AND 5),
    comment             text,
    verified            boolean NOT NULL DEFAULT false, -- the reviewer's tenant installed the item (installs: next)
    created_at          timestamptz NOT NULL,
    updated_at          timestamptz NOT NULL,
    CONSTRAINT reviews_one_per_tenant UNIQUE (item_id, tenant_id)
);

CREATE INDEX reviews_item_newest ON reviews (item_id, created_at DESC, id DESC);

-- One row per item, locked by every review of the item so that the statistics stay exact under concurrent writes.
CREATE TABLE item_stats (
    item_id             uuid PRIMARY KEY REFERENCES items (id),
    rating_count        integer NOT NULL DEFAULT 0,
    rating_sum          integer NOT NULL DEFAULT 0,
    rating_1            integer NOT NULL DEFAULT 0,
    rating_2            integer NOT NULL DEFAULT 0,
    rating_3            integer NOT NULL DEFAULT 0,
    rating_4            integer NOT NULL DEFAULT 0,
    rating_5            integer NOT NULL DEFAULT 0,
    rating_avg          numeric GENERATED ALWAYS AS (
                            CASE WHEN rating_count = 0 THEN NULL ELSE rating_sum::numeric / rating_count END) STORED,
    installs            bigint NOT NULL DEFAULT 0,
    -- Trending: ln of the item's activity score, every event's weight decayed from its time, kept relative to a fixed
    -- epoch so that the order never needs recomputing (see marketplace-service/README.md). Null: no activity yet.
    trend_log           double precision,
    updated_at          timestamptz NOT NULL
);

CREATE INDEX item_stats_rating ON item_stats (rating_avg DESC NULLS LAST);
CREATE INDEX item_stats_installs ON item_stats (installs DESC);
CREATE INDEX item_stats_trending ON item_stats (trend_log DESC NULLS LAST);
