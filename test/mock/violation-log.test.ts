// The log of answers that broke the contract is bounded (src/mock/violation-log.ts): it grows
// only on a bug of the mock, but such a bug hit by every request of a long CI run grew it for the
// whole run. The first 100 are kept, the rest counted, and both readers (`mock.violations` and
// `GET /__mock/violations`) say "and K more" instead of passing the dropped ones over in silence.
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { startMock, type ViolationRecord } from '../../src/mock/index.js';
import { MAX_MESSAGE, MAX_MESSAGES, MAX_VIOLATIONS, createViolationLog } from '../../src/mock/violation-log.js';
import { bundledSpecPath } from '../../src/tools/spec-files.js';
import { httpClient } from './http.js';
import { ADA } from './support.js';

describe('a mock whose every sign-in answer breaks the contract', () => {
  it('keeps the first 100 violations and says how many more there were; reset empties the log', async () => {
    // A spec where User requires a field the mock never sets: every sign-in answer breaks it.
    const dir = mkdtempSync(join(tmpdir(), 'coveton-mock-violations-'));
    const spec = JSON.parse(readFileSync(bundledSpecPath('openapi.json'), 'utf8'));
    spec.components.schemas.User.required.push('nickname');
    writeFileSync(join(dir, 'broken.json'), JSON.stringify(spec));
    const mock = await startMock({ specPath: join(dir, 'broken.json'), rateLimit: false });
    try {
      const { call, control } = httpClient(() => mock.url);
      const statuses: number[] = [];
      for (let i = 0; i < MAX_VIOLATIONS + 5; i++) statuses.push((await call('POST', '/auth/login', { body: ADA })).status);
      expect(statuses).toEqual(Array(MAX_VIOLATIONS + 5).fill(500));
      const one: ViolationRecord = { operation: 'POST /auth/login', status: 200, violations: ["response.body.user: must have required property 'nickname' (rule: required)"] };
      const more: ViolationRecord = {
        operation: 'and 5 more',
        status: 500,
        violations: ['5 more answers broke the contract and were not kept: the mock keeps the first 100 (each was sent as a 500; POST /__mock/reset clears the log)'],
      };
      expect(mock.violations).toEqual([...Array<ViolationRecord>(MAX_VIOLATIONS).fill(one), more]);
      expect((await control('/violations')).body).toEqual([...Array<ViolationRecord>(MAX_VIOLATIONS).fill(one), more]);
      expect((await control('/reset')).status).toBe(204);
      expect(mock.violations).toEqual([]);
      expect((await control('/violations')).body).toEqual([]);
    } finally {
      await mock.close();
    }
  });
});

describe('one record', () => {
  it('keeps at most 20 messages of at most 1000 characters', () => {
    const log = createViolationLog(1);
    log.record({ operation: 'GET /teams', status: 200, violations: Array.from({ length: 25 }, (_, i) => `${i}:${'x'.repeat(5000)}`) });
    const [kept] = log.list();
    expect(kept!.violations).toHaveLength(MAX_MESSAGES + 1);
    expect(kept!.violations.slice(0, MAX_MESSAGES).map((m) => m.length)).toEqual(Array(MAX_MESSAGES).fill(MAX_MESSAGE));
    expect(kept!.violations[MAX_MESSAGES]).toBe('and 5 more broken rules in this answer');
  });
});
