-- Workflows created by a marketplace install remember which item version they came from (docs/api.md §4.6): an
-- install delivered again, or the same item version installed again under the same name, finds its own workflow and
-- completes instead of failing on the name. NULL for workflows registered through the API.
ALTER TABLE workflows ADD COLUMN installed_from text;
