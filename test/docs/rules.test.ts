// Every operation page shows "Who can call this" and "Errors this operation returns", written
// from the operation's x-access and x-invariants: each reason the rules give is on the page, in
// the errors table with its status, and the audit actions are listed.
import { describe, expect, it } from 'vitest';
import { ruleReasons } from '../support/rules.js';
import { root } from './support/site.js';
import type { Json } from '../support/spec.js';
// @ts-expect-error: plain .mjs modules without types
import { loadContract } from '../../scripts/docs/contract.mjs';
// @ts-expect-error: plain .mjs modules without types
import { operationPage } from '../../scripts/docs/pages/operation.mjs';
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
});
