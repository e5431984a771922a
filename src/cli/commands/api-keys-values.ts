// Parsers for the api-keys option values: they turn a bad value into a usage error (exit 2)
// before anything is sent.
import { InvalidArgumentError } from '@commander-js/extra-typings';
import { loadSpec } from '../../tools/spec-files.js';

/** --page-size: a whole number from 1 to 100 (the spec's `limit`). */
export function pageSize(value: string): number {
  const n = Number(value);
  if (!/^\d+$/.test(value) || n < 1 || n > 100) throw new InvalidArgumentError('must be a whole number from 1 to 100.');
  return n;
}

/** --limit: a whole number from 1. */
export function positiveCount(value: string): number {
  const n = Number(value);
  if (!/^\d+$/.test(value) || n < 1 || !Number.isSafeInteger(n)) throw new InvalidArgumentError('must be a whole number from 1.');
  return n;
}

/** A comma-separated list without empty entries or duplicates. */
export function commaList(flag: string) {
  return (value: string): string[] => {
    const items = value.split(',').map((s) => s.trim()).filter((s) => s !== '');
    if (items.length === 0) throw new InvalidArgumentError(`${flag} needs at least one value.`);
    return [...new Set(items)];
  };
}

/** --permissions: scopes checked against the spec's PermissionScope pattern. */
export function scopeList(value: string): string[] {
  const scopes = commaList('--permissions')(value);
  const pattern = loadSpec().components.schemas?.PermissionScope?.pattern;
  if (pattern !== undefined) {
    const re = new RegExp(pattern);
    const bad = scopes.filter((s) => !re.test(s));
    if (bad.length > 0) {
      throw new InvalidArgumentError(
        `not a scope: ${bad.join(', ')}. Use *, keys:manage, audit:read, or <resource>:<read|write|delete> where resource is messages, chats, files, organizations, members, devices, sessions, billing, api-keys, audit or notifications.`,
      );
    }
  }
  return scopes;
}

/**
 * --name: 1 to 200 characters, counted as the spec's maxLength counts them (JSON Schema: code
 * points), so "🔑" is one character, not two UTF-16 units.
 */
export function displayName(value: string): string {
  const length = [...value].length;
  if (length < 1 || length > 200) throw new InvalidArgumentError(`must be 1 to 200 characters (got ${length}).`);
  return value;
}

// RFC 3339 section 5.6 date-time, with the "T" JSON Schema's `date-time` format requires.
const DATE_TIME = /^(\d{4})-(\d{2})-(\d{2})[Tt]([01]\d|2[0-3]):[0-5]\d:([0-5]\d|60)(\.\d+)?([Zz]|[+-]([01]\d|2[0-3]):[0-5]\d)$/;

/** An RFC 3339 date-time (`--expires-at`, the mock's `--clock`): not whatever Date.parse takes ("2027"). */
export function dateTime(value: string): string {
  const parts = DATE_TIME.exec(value);
  const [year, month, day] = parts ? [Number(parts[1]), Number(parts[2]), Number(parts[3])] : [0, 0, 0];
  // Date.UTC(year, month, 0) is the last day of `month` (1-based): no 30 February.
  if (!parts || month < 1 || month > 12 || day < 1 || day > new Date(Date.UTC(year, month, 0)).getUTCDate()) {
    throw new InvalidArgumentError('must be an RFC 3339 date-time such as 2027-01-01T00:00:00Z.');
  }
  return value;
}
