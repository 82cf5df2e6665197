-- Sessions created before this fix had their initial data bound as a text value and stored as a JSON *string*
-- holding the object's text (json_typeof 'string'); the write-behind stored objects. A session restored from such a
-- row (created, then never used before Redis lost it) failed with a 500. Turn those strings back into the objects
-- they hold; the insert now casts through text, so no new ones appear.
UPDATE sessions SET data = (data #>> '{}')::json WHERE json_typeof(data) = 'string';
