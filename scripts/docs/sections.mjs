// The docs' sidebar: the API's tags, the outbound events (webhooks), and one entry per schema of
// `components.schemas`. Redoc lists a schema when a tag's description holds a
// `<SchemaDefinition>`; `x-tagGroups` groups the three. Applied to the docs copy only.

export const SCHEMA_TAG_PREFIX = 'schema-';

function tagsOf(items) {
  const tags = new Set();
  for (const item of Object.values(items ?? {})) {
    for (const op of Object.values(item)) if (op && typeof op === 'object') for (const tag of op.tags ?? []) tags.add(tag);
  }
  return tags;
}

export function withSchemaSections(spec) {
  const out = structuredClone(spec);
  const eventTags = tagsOf(out.webhooks);
  const pathTags = tagsOf(out.paths);
  const apiTags = (out.tags ?? []).map((t) => t.name).filter((name) => pathTags.has(name) || !eventTags.has(name));
  const schemaTags = Object.keys(out.components?.schemas ?? {}).map((name) => ({
    name: `${SCHEMA_TAG_PREFIX}${name}`,
    'x-displayName': name,
    description: `<SchemaDefinition schemaRef="#/components/schemas/${name}" />`,
  }));
  out.tags = [...(out.tags ?? []), ...schemaTags];
  out['x-tagGroups'] = [
    { name: 'API', tags: apiTags },
    ...(eventTags.size > 0 ? [{ name: 'Webhooks', tags: [...eventTags] }] : []),
    { name: 'Schemas', tags: schemaTags.map((t) => t.name) },
  ];
  return out;
}
