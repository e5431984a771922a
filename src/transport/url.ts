// URLs for resource methods: path parameters percent-encoded, query parameters in the
// OpenAPI default style (form, exploded arrays), undefined ones left out.

// Templates split once into literal parts and parameter names: this runs on every call.
const compiled = new Map<string, string[]>();

export function buildUrl(
  baseUrl: string,
  template: string,
  path: Record<string, string>,
  query: Record<string, unknown> | undefined,
): string {
  let segments = compiled.get(template);
  if (!segments) compiled.set(template, (segments = template.split(/\{([^}]+)\}/)));
  let url = baseUrl;
  for (let i = 0; i < segments.length; i++) url += i % 2 === 0 ? segments[i] : encodeURIComponent(path[segments[i]!] ?? '');
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
