-- The typo fallback corrects the query's words instead of comparing the query with every item's text. V2/V4 matched
-- the whole query against each item's fuzzy_text by trigram word similarity: with descriptions in it, a misspelt
-- common word made PostgreSQL recheck thousands of long texts (about 160 ms of CPU per search on 10,000 items,
-- benchmarks/marketplace.sh). Now, as the PostgreSQL documentation suggests for spelling suggestions (pg_trgm, "Text
-- Search Integration"), the catalog's distinct words are kept in a small table with a trigram index; each query word
-- is replaced by the catalog's words close to it, and the corrected query goes through the full-text index like any
-- other search.

-- The words of a text: lower case, split on anything but letters and digits, 3 to 40 characters.
CREATE FUNCTION marketplace_text_words(body text) RETURNS SETOF text
    LANGUAGE sql IMMUTABLE PARALLEL SAFE STRICT
    AS $$ SELECT DISTINCT w FROM regexp_split_to_table(lower(body), '[^[:alnum:]]+') AS w
          WHERE length(w) BETWEEN 3 AND 40 $$;

-- Every word of every item's name, summary, tags and description (fuzzy_text holds them). Words are only added: one
-- that no item uses any more suggests a correction that then finds nothing, which is harmless.
CREATE TABLE search_words (
    word                text PRIMARY KEY
);
CREATE INDEX search_words_trigrams ON search_words USING gin (word gin_trgm_ops);

CREATE FUNCTION items_search_words() RETURNS trigger
    LANGUAGE plpgsql
    AS $$
BEGIN
    INSERT INTO search_words (word) SELECT marketplace_text_words(NEW.fuzzy_text) ON CONFLICT DO NOTHING;
    RETURN NULL;
END
$$;

CREATE TRIGGER items_search_words AFTER INSERT OR UPDATE OF name, summary, description, tags ON items
    FOR EACH ROW EXECUTE FUNCTION items_search_words();

INSERT INTO search_words (word) SELECT DISTINCT marketplace_text_words(fuzzy_text) FROM items ON CONFLICT DO NOTHING;

-- A query word's alternatives are OR-ed, the words AND-ed: aggregates over the tsquery operators || and &&.
CREATE AGGREGATE tsquery_or_all(tsquery) (SFUNC = tsquery_or, STYPE = tsquery);
CREATE AGGREGATE tsquery_and_all(tsquery) (SFUNC = tsquery_and, STYPE = tsquery);

-- Search no longer compares with fuzzy_text directly.
DROP INDEX items_fuzzy_text;
