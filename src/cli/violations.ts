// Prism's `sl-violations` header: a JSON array of what in a request or response breaks the spec,
// each with a location (["request", "body", "name"], ["response", "body", "0", "createdAt"], ...).
export interface Violation {
  location: string[];
  severity: string;
  code?: string | number;
  message: string;
}

/** Parses the header; an absent or unreadable header is no violation. */
export function parseViolations(header: string | null): Violation[] {
  if (!header) return [];
  try {
    const parsed: unknown = JSON.parse(header);
    return Array.isArray(parsed)
      ? (parsed as Violation[]).filter((v) => typeof v?.message === 'string' && Array.isArray(v.location))
      : [];
  } catch {
    return [];
  }
}
