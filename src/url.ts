// URLs for resource methods: path parameters percent-encoded, query parameters in the
// OpenAPI default style (form, exploded arrays), undefined ones left out.

export function buildUrl(
  baseUrl: string,
  template: string,
  path: Record<string, string>,
  query: Record<string, unknown> | undefined,
): string {
  let url = baseUrl + template.replace(/\{([^}]+)\}/g, (_, name: string) => encodeURIComponent(path[name] ?? ''));
  if (!query) return url;
  const parts: string[] = [];
  for (const [name, value] of Object.entries(query)) {
    if (value === undefined || value === null) continue;
    for (const item of Array.isArray(value) ? value : [value]) {
      parts.push(`${encodeURIComponent(name)}=${encodeURIComponent(String(item))}`);
    }
  }
  if (parts.length > 0) url += `?${parts.join('&')}`;
  return url;
}
