// Every operation page shows "Who can call this" and "Errors this operation returns", written
// from the operation's x-access and x-invariants: each reason the rules give is on the page, in
// the errors table with its status, and the audit actions are listed.
import { describe, expect, it } from 'vitest';
import { ruleReasons } from '../support/rules.js';
import { root } from './support/site.js';
import { createAjv, validatorAt, type Json } from '../support/spec.js';
// @ts-expect-error: plain .mjs modules without types
import { loadContract } from '../../scripts/docs/contract.mjs';
// @ts-expect-error: plain .mjs modules without types
import { operationPage } from '../../scripts/docs/pages/operation.mjs';
// @ts-expect-error: plain .mjs modules without types
import { errorExamples } from '../../scripts/docs/rules.mjs';
// @ts-expect-error: plain .mjs modules without types
import { inlineCode } from '../../scripts/docs/pages/text.mjs';

const { spec, operations } = loadContract(root) as { spec: Json; operations: Json[] };

describe('operation pages render the rules', () => {
  it('every operation page has both sections, every reason with its status, and every audit action', () => {
    const problems: string[] = [];
    for (const entry of operations.filter((e) => e.kind === 'operation')) {
      const op = spec.paths[entry.path][entry.method.toLowerCase()];
      const page: string = operationPage(spec, entry, []);
      for (const heading of ['## Who can call this {#access}', '## Errors this operation returns {#errors}', '### Audit log {#audit}']) {
        if (!page.includes(heading)) problems.push(`${entry.operationId}: no "${heading}"`);
      }
      for (const reason of ruleReasons(op)) if (!page.includes(`| ${inlineCode(reason)} |`)) problems.push(`${entry.operationId}: reason ${reason} not in the errors table`);
      for (const inv of op['x-invariants']) if (!page.includes(`| ${inlineCode(inv.status)} | `)) problems.push(`${entry.operationId}: status ${inv.status} not in the errors table`);
      for (const a of op['x-audit']) if (!page.includes(inlineCode(a.action))) problems.push(`${entry.operationId}: audit action ${a.action} not listed`);
    }
    expect(problems).toEqual([]);
  });

  it('every operation page shows an example body for each status of its errors, valid against the Error schema', () => {
    const validate = validatorAt(createAjv());
    const problems: string[] = [];
    let bodies = 0;
    for (const entry of operations.filter((e) => e.kind === 'operation')) {
      const page: string = operationPage(spec, entry, []);
      const table = page.slice(page.indexOf('## Errors this operation returns'), page.indexOf('### Audit log'));
      const statuses = [...new Set([...table.matchAll(/^\| <code>(\d{3})<\/code> \|/gm)].map((m) => m[1]))];
      const examples: { status: string; body: Json }[] = errorExamples(spec, entry);
      if (examples.map((e) => e.status).join() !== statuses.join()) problems.push(`${entry.operationId}: examples for ${examples.map((e) => e.status)}, errors ${statuses}`);
      for (const { status, body } of examples) {
        bodies++;
        const fenced = '```json [' + status + ']\n' + JSON.stringify(body, null, 2) + '\n```';
        if (!page.includes(fenced)) problems.push(`${entry.operationId}: ${status} example not on the page`);
        for (const e of validate('/components/schemas/Error', body)) problems.push(`${entry.operationId} ${status}: ${e}`);
        if (body.error.code !== { 400: 'BAD_REQUEST', 401: 'UNAUTHORIZED', 403: 'FORBIDDEN', 404: 'NOT_FOUND', 409: 'CONFLICT', 422: 'VALIDATION', 429: 'RATE_LIMITED' }[status]) problems.push(`${entry.operationId} ${status}: code ${body.error.code}`);
      }
    }
    expect(problems).toEqual([]);
    expect(bodies).toBeGreaterThan(200);
    // The operation's own rule decides the body: sendMessage's 409 names the removed device.
    const send = operations.find((e) => e.operationId === 'sendMessage');
    expect(errorExamples(spec, send).find((e: { status: string }) => e.status === '409').body.error).toMatchObject({ code: 'CONFLICT', reason: 'device_removed', message: 'senderDeviceId names a device that was removed.' });
  });
});

