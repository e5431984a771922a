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
