// The lint rule coveton/operation-rules (scripts/lint/) refuses an operation whose x- rules are
// missing or malformed: once through `redocly lint` on a broken copy of spec/, as
// `npm run lint:spec` runs it, and case by case through the checker it wraps.
import { execFileSync } from 'node:child_process';
import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
// @ts-expect-error: plain .mjs module without types
import { ruleProblems } from '../../scripts/lint/rules-format.mjs';
import { spec } from '../support/spec.js';

const root = fileURLToPath(new URL('../..', import.meta.url));
const redocly = join(dirname(createRequire(import.meta.url).resolve('@redocly/cli/package.json')), 'bin', 'cli.js');

const facts = {
  pathParams: ['id'],
  queryParams: [],
  bodyFields: ['name', 'organizationId'],
  statuses: ['200', '400', '401', '403', '404', '409', '429', '500'],
  security: 'default',
  reasons: spec.components.schemas.ErrorReason.enum,
  collections: ['teams', 'organizations'],
  hasResponseBody: true,
};
const good = {
  'x-access': { caller: 'any', scope: 'organizations:write', target: { collection: 'teams', id: 'path.id', visibleTo: ['members'] }, require: [{ roles: ['owner', 'admin'], reason: 'not_admin' }] },
  'x-invariants': [{ status: 409, reason: 'name_taken', when: 'another team has this name', unique: { collection: 'teams', match: { name: 'body.name' } } }],
  'x-audit': [{ action: 'team.updated', target: { type: 'team', id: 'path.id' }, metadata: { name: 'body.name' } }],
};
const messages = (op: object) => (ruleProblems(op, facts) as { message: string }[]).map((p) => p.message);

describe('coveton/operation-rules', () => {
  it('accepts well-formed rules', () => {
    expect(messages(good)).toEqual([]);
  });

  it.each([
    ['a missing block', { ...good, 'x-audit': undefined }, /x-audit is missing/],
    ['an unknown caller', { ...good, 'x-access': { caller: 'everyone' } }, /caller: must be equal to one of the allowed values/],
    ['an unknown audience', { ...good, 'x-access': { ...good['x-access'], target: { collection: 'teams', id: 'path.id', visibleTo: ['friends'] } } }, /visibleTo/],
    ['a reason ErrorReason lacks', { ...good, 'x-access': { ...good['x-access'], require: [{ roles: ['admin'], reason: 'not_cool' }] } }, /reason not_cool is not a value of ErrorReason/],
    ['a path parameter the path lacks', { ...good, 'x-access': { ...good['x-access'], target: { collection: 'teams', id: 'path.teamId', visibleTo: ['members'] } } }, /path.teamId: the path has no parameter teamId/],
    ['a body field the body lacks', { ...good, 'x-audit': [{ action: 'team.updated', target: { type: 'team', id: 'body.nope' } }] }, /body.nope: the request body has no field nope/],
    ['an undocumented status', { ...good, 'x-invariants': [{ status: 422, reason: 'name_taken', when: 'a bad name', check: 'nameOk' }] }, /answers 422, which the operation's responses do not document/],
    ['an invariant without a kind', { ...good, 'x-invariants': [{ status: 409, reason: 'name_taken', when: 'a duplicate' }] }, /x-invariants.0: must have required property 'check'/],
    ['an unknown collection', { ...good, 'x-access': { ...good['x-access'], target: { collection: 'widgets', id: 'path.id', visibleTo: ['members'] } } }, /collection widgets is not a resource/],
    ['a scope outside PermissionScope', { ...good, 'x-access': { ...good['x-access'], scope: 'teams:write' } }, /not a scope of PermissionScope/],
    ['a response read outside x-audit', { ...good, 'x-access': { ...good['x-access'], target: { collection: 'teams', id: 'response.id', visibleTo: ['members'] } } }, /only x-audit may read the answer/],
  ])('refuses %s', (_what, op, message) => {
    expect(messages(op).join('\n')).toMatch(message);
  });

  it('fails `redocly lint` (npm run lint:spec) on a spec copy with a missing and a malformed block', () => {
    const dir = mkdtempSync(join(tmpdir(), 'coveton-lint-'));
    try {
      cpSync(join(root, 'spec'), join(dir, 'spec'), { recursive: true });
      const teams = join(dir, 'spec', 'paths', 'teams_{id}.yaml');
      writeFileSync(teams, readFileSync(teams, 'utf8').replace('  x-audit: []\n', '').replace('    caller: any\n', '    caller: anybody\n'));
      let output = '';
      try {
        execFileSync(process.execPath, [redocly, 'lint', join(dir, 'spec', 'openapi.yaml'), '--config', join(root, 'redocly.yaml'), '--format=stylish'], {
          cwd: root,
          encoding: 'utf8',
          env: { ...process.env, REDOCLY_TELEMETRY: 'off', REDOCLY_SUPPRESS_UPDATE_NOTICE: 'true', NO_COLOR: '1' },
          stdio: 'pipe',
        });
      } catch (error) {
        output = `${(error as { stdout: string }).stdout}${(error as { stderr: string }).stderr}`;
      }
      expect(output).toContain('getTeam: x-audit is missing');
      expect(output).toMatch(/getTeam: x-access.caller: must be equal to one of the allowed values/);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  }, 60_000);
});
