// The reference's code samples are generated, so they are checked like code: twelve per operation
// and event, in the switcher's order; every one parses with its language's tree-sitter grammar
// (tree-sitter-wasms, run by web-tree-sitter: no native build) with no error or missing node;
// every TypeScript sample calls the resource method the SDK binds for the operation; every HTTP
// sample calls the operation's method and URL. That every TypeScript sample, and the landing
// page's code, compiles strict against the SDK's own types is checked by the project's type check
// (test/support/typecheck-setup.ts, read by test/types/project.test.ts), which has those types
// checked already.
import { createRequire } from 'node:module';
import { Language, Parser, type Node } from 'web-tree-sitter';
import { beforeAll, describe, expect, it } from 'vitest';
import * as generated from '../../generated/resources.js';
import { spec } from '../support/spec.js';
import { root } from './support/site.js';
// @ts-expect-error: plain .mjs modules without types
import { loadContract } from '../../scripts/docs/contract.mjs';
// @ts-expect-error: plain .mjs modules without types
import { LANGUAGES } from '../../scripts/docs/languages.mjs';
// @ts-expect-error: plain .mjs modules without types
import { samplesFor } from '../../scripts/docs/samples/index.mjs';

type Lang = { id: string; label: string; grammar: string };
type Sample = { lang: string; label: string; code: string };
type Entry = { kind: 'operation' | 'event'; operationId: string; method: string; path: string };

const require = createRequire(import.meta.url);
const contract = loadContract(root) as { spec: unknown; operations: Entry[] };
const all = contract.operations.map((entry) => ({ entry, samples: samplesFor(contract.spec, entry) as Sample[] }));
const languages = LANGUAGES as Lang[];

// The oracle: the spec's own operationIds and events, and the SDK's runtime table.
const specIds = [spec.paths, spec.webhooks].flatMap((group) =>
  Object.values(group as Record<string, Record<string, { operationId?: string }>>).flatMap((item) => Object.values(item).flatMap((op) => (op?.operationId ? [op.operationId] : []))),
);
// The SDK's own tables, as it binds them: `operations` (resource methods) and, where the codegen
// writes it, `sessionOperations` (sent by the session layer). A row is an object with `method`
// and `path`, or a string that starts `METHOD /path`.
type Row = string | { method: string; path: string };
const tables = generated as unknown as Record<string, Record<string, Record<string, Row>> | undefined>;
const sdkCalls = new Map<string, { call: string; session: boolean }>();
for (const [table, session] of [['operations', false], ['sessionOperations', true]] as const) {
  for (const [resource, methods] of Object.entries(tables[table] ?? {})) {
    for (const [name, row] of Object.entries(methods)) {
      const [method, path] = typeof row === 'string' ? row.split(' ') : [row.method, row.path];
      sdkCalls.set(`${method} ${path}`, { call: `coveton.${resource}.${name}(`, session });
    }
  }
}

/** Error and missing nodes of a parse, with their line, for the failure message. */
function problems(node: Node, out: string[] = []): string[] {
  if (node.isError || node.isMissing) out.push(`${node.isMissing ? 'missing' : 'error'} ${node.type} at line ${node.startPosition.row + 1}: ${node.text.slice(0, 60)}`);
  for (const child of node.children) if (child && (child.hasError || child.isMissing)) problems(child, out);
  return out;
}

describe('reference samples', () => {
  const parsers = new Map<string, Parser>();

  beforeAll(async () => {
    await Parser.init();
    for (const lang of languages) {
      const parser = new Parser();
      parser.setLanguage(await Language.load(require.resolve(`tree-sitter-wasms/out/tree-sitter-${lang.grammar}.wasm`)));
      parsers.set(lang.id, parser);
    }
  });

  it('gives every operation and event of the spec twelve samples, in the switcher order', () => {
    expect(languages.map((l) => l.label)).toEqual(['cURL', 'JavaScript', 'TypeScript', 'Python', 'PHP', 'Ruby', 'Go', 'Java', 'C#', 'Rust', 'Swift', 'Kotlin']);
    expect(all.map(({ entry }) => entry.operationId).sort()).toEqual([...specIds].sort());
    for (const { entry, samples } of all) {
      expect(samples.map((s) => s.label), entry.operationId).toEqual(languages.map((l) => l.label));
      for (const s of samples) expect(s.code.trim().length, `${entry.operationId} ${s.label}`).toBeGreaterThan(40);
    }
  });

  it('parses every sample with its language grammar, without an error node', () => {
    const failures: string[] = [];
    for (const { entry, samples } of all) {
      for (const s of samples) {
        const tree = parsers.get(s.lang)!.parse(s.code)!;
        if (tree.rootNode.hasError) failures.push(`${entry.operationId} ${s.label}: ${problems(tree.rootNode).join('; ')}`);
        tree.delete();
      }
    }
    expect(failures).toEqual([]);
    expect(all.length * languages.length).toBeGreaterThan(900);
  });

  it('would catch a broken sample: the grammars report a missing value or an unclosed call', () => {
    const broken: Record<string, string> = {
      swift: 'let parameters = [\n  "statusReason": ,\n  "ok": true\n] as [String : Any]\n',
      python: 'payload = {"a": None,\n',
      go: 'func main() {\n\treq, _ := http.NewRequest("POST", url\n}\n',
      kotlin: 'val request = Request.Builder(\n  .url("x")\n',
    };
    for (const [lang, code] of Object.entries(broken)) expect(parsers.get(lang)!.parse(code)!.rootNode.hasError, lang).toBe(true);
  });

  it('calls the method the SDK binds for the operation in every TypeScript sample, or its session helper', () => {
    expect(sdkCalls.size).toBeGreaterThan(50);
    for (const { entry, samples } of all.filter((a) => a.entry.kind === 'operation')) {
      const code = samples.find((s) => s.lang === 'typescript')!.code;
      const sdk = sdkCalls.get(`${entry.method} ${entry.path}`);
      if (!sdk) {
        // Not in the SDK (a payment processor's endpoint): the sample says so and calls nothing.
        expect(code.split('\n').every((line) => line.startsWith('//')), entry.operationId).toBe(true);
      } else if (code.includes('coveton.session.')) {
        expect(code, entry.operationId).toMatch(/coveton\.session\.(register|login|completeOAuth|logout)\(/);
      } else if (sdk.session) {
        expect(code.split('\n').every((line) => line.startsWith('//')), entry.operationId).toBe(true);
      } else {
        expect(code, entry.operationId).toContain(sdk.call);
      }
    }
  });

  it("sends the operation's method to its path, on the sandbox unless COVETON_BASE_URL says otherwise, in every HTTP sample", () => {
    for (const { entry, samples } of all.filter((a) => a.entry.kind === 'operation')) {
      const path = entry.path.replace(/\{[^}]+\}/g, '[^/?\\s\'"]+').replace(/[.]/g, '\\.');
      for (const s of samples.filter((x) => x.lang !== 'typescript')) {
        const where = `${entry.operationId} ${s.label}`;
        expect(s.code, where).toMatch(new RegExp(`(^|["'{}])${path}(\\?|'|"|\`|\\s|$)`, 'm'));
        expect(s.code, where).toContain('https://sandbox.api.coveton.com/v1');
        expect(s.code, where).toContain('COVETON_BASE_URL');
        expect(s.code.toUpperCase(), where).toContain(entry.method);
      }
    }
  });

  it('opens every sample with the one line that says what it needs, and reads the key from the environment', () => {
    for (const { entry, samples } of all) {
      // A TypeScript sample of what the SDK does not call is a comment saying so.
      for (const s of samples.filter((x) => !x.code.split('\n').every((line) => line.startsWith('//')))) {
        const first = s.code.split('\n').find((line) => line !== '<?php')!;
        expect(first, `${entry.operationId} ${s.label}`).toMatch(/^(\/\/|#) Needs: /);
        if (entry.kind === 'operation' && s.code.includes('Bearer')) expect(s.code, `${entry.operationId} ${s.label}`).toContain('COVETON_API_KEY');
      }
    }
  });

  it('makes a fresh Idempotency-Key in every sample that sends one, never a fixed value', () => {
    const fixed = /Idempotency-Key['"]?\s*[:,=]\s*['"]?[0-9a-f]{8}-/i;
    let sending = 0;
    for (const { entry, samples } of all.filter((a) => (a.entry as { idempotent?: boolean }).idempotent)) {
      for (const s of samples.filter((x) => x.lang !== 'typescript')) {
        sending++;
        expect(s.code, `${entry.operationId} ${s.label}`).toMatch(/uuid|UUID|Uuid|Guid|randomUUID|random_bytes|rand\.Read/);
        expect(s.code, `${entry.operationId} ${s.label}`).not.toMatch(fixed);
      }
    }
    expect(sending).toBeGreaterThan(100);
  });

  it('sends no future date in any example request: once it passes, the sample would become a 422', () => {
    const dated: string[] = [];
    const walk = (value: unknown, where: string) => {
      if (typeof value === 'string' && /^\d{4}-\d{2}-\d{2}T/.test(value) && Date.parse(value) > Date.now()) dated.push(`${where}: ${value}`);
      else if (value && typeof value === 'object') for (const [k, v] of Object.entries(value)) walk(v, `${where}.${k}`);
    };
    for (const { entry } of all.filter((a) => a.entry.kind === 'operation')) {
      const e = entry as unknown as { body?: unknown; query: Record<string, unknown> };
      walk(e.body, `${entry.operationId} body`);
      walk(e.query, `${entry.operationId} query`);
    }
    expect(dated).toEqual([]);
  });
});
