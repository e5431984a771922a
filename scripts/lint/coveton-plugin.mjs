// Redocly plugin `coveton`: the rule `coveton/operation-rules` requires `x-access`,
// `x-invariants` and `x-audit` on every operation of `paths` and checks them with
// rules-format.mjs (shape, references, reasons, documented statuses). Listed in redocly.yaml.
import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parse } from 'yaml';
import { ruleProblems } from './rules-format.mjs';

const specDir = join(dirname(fileURLToPath(import.meta.url)), '..', '..', 'spec');

/** The values of ErrorReason: the reasons a rule may give. */
function reasons() {
  return parse(readFileSync(join(specDir, 'components', 'schemas', 'ErrorReason.yaml'), 'utf8')).enum;
}

/** Top-level property names of a (resolved) schema, through allOf/oneOf/anyOf. */
function fields(schema, resolve, depth = 0) {
  const s = resolve(schema);
  if (!s || depth > 5) return [];
  const own = Object.keys(s.properties ?? {});
  const parts = [...(s.allOf ?? []), ...(s.oneOf ?? []), ...(s.anyOf ?? [])].flatMap((p) => fields(p, resolve, depth + 1));
  return [...new Set([...own, ...parts])];
}

function OperationRules() {
  let rootSecurity = [];
  let collections = [];
  let pathParams = [];
  const known = reasons();
  return {
    Root: {
      enter(root) {
        rootSecurity = root.security ?? [];
        collections = [...new Set(Object.keys(root.paths ?? {}).flatMap((p) => p.split('/').filter((s) => s && !s.startsWith('{'))))];
      },
    },
    Paths: {
      PathItem: {
        enter(item, ctx) {
          pathParams = (item.parameters ?? []).map((p) => ctx.resolve(p).node).filter((p) => p?.in === 'path').map((p) => p.name);
        },
        Operation: {
          enter(op, ctx) {
            const resolve = (node) => (node && node.$ref ? ctx.resolve(node).node : node);
            const params = (op.parameters ?? []).map(resolve).filter(Boolean);
            const body = resolve(op.requestBody);
            const media = body?.content?.['application/json'];
            const security = op.security ?? rootSecurity;
            const schemes = security.flatMap((s) => Object.keys(s));
            const success = Object.keys(op.responses ?? {}).find((s) => /^2/.test(s));
            const facts = {
              pathParams: [...pathParams, ...params.filter((p) => p.in === 'path').map((p) => p.name)],
              queryParams: params.filter((p) => p.in === 'query').map((p) => p.name),
              bodyFields: media ? fields(media.schema, resolve) : undefined,
              statuses: Object.keys(op.responses ?? {}),
              security: security.length === 0 ? 'public' : schemes.every((s) => /Signature$/.test(s)) ? 'signature' : 'default',
              reasons: known,
              collections,
              hasResponseBody: Boolean(success && resolve(op.responses[success])?.content),
            };
            for (const problem of ruleProblems(op, facts)) {
              ctx.report({
                message: `${op.operationId}: ${problem.message}`,
                location: op[problem.key] === undefined ? ctx.location.key() : ctx.location.child([problem.key]),
              });
            }
          },
        },
      },
    },
  };
}

export default function covetonPlugin() {
  return { id: 'coveton', rules: { oas3: { 'operation-rules': OperationRules } } };
}
