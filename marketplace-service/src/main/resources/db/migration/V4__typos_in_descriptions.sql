-- The typo fallback also finds words of the description: V2's fuzzy_text held name, summary and tags only, so a
-- misspelt word that appears only in the description found nothing. Rebuilt from the same columns plus the
-- description; search compares the query with it by word similarity, which looks at the best-matching words only,
-- so a long description does not dilute a close match.
DROP INDEX items_fuzzy_text;
ALTER TABLE items DROP COLUMN fuzzy_text;
ALTER TABLE items ADD COLUMN fuzzy_text text GENERATED ALWAYS AS (
    lower(name || ' ' || summary || ' ' || marketplace_words(tags) || coalesce(' ' || description, ''))) STORED;
CREATE INDEX items_fuzzy_text ON items USING gin (fuzzy_text gin_trgm_ops);
