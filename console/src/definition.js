// Fields a stored version carries besides the definition (docs/api.md §4.3); a PUT must not send them back.
const VERSION_FIELDS = ['version', 'latestVersion', 'createdAt', 'versionCreatedAt'];

export function definitionOf(version) {
  const definition = {};
  for (const [field, value] of Object.entries(version)) {
    if (!VERSION_FIELDS.includes(field)) definition[field] = value;
  }
  return definition;
}

export const pretty = (value) => JSON.stringify(value, null, 2);
