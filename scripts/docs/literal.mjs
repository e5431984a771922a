// Small printers for the TypeScript samples: a JSON value as a TypeScript literal, and the
// naming helpers the samples' variable names come from.

const IDENTIFIER = /^[A-Za-z_$][A-Za-z0-9_$]*$/;
const WIDTH = 72;

function quote(text) {
  return `'${text.replace(/\\/g, '\\\\').replace(/'/g, "\\'").replace(/\n/g, '\\n')}'`;
}

function key(name) {
  return IDENTIFIER.test(name) ? name : quote(name);
}

/** A JSON value as a TypeScript literal: single quotes, bare keys, one line when it fits. */
export function literal(value, indent = '') {
  if (value === null || typeof value !== 'object') return typeof value === 'string' ? quote(value) : JSON.stringify(value);
  const inner = `${indent}  `;
  const entries = Array.isArray(value)
    ? value.map((v) => literal(v, inner))
    : Object.entries(value).map(([k, v]) => `${key(k)}: ${literal(v, inner)}`);
  const [open, close] = Array.isArray(value) ? ['[', ']'] : ['{ ', ' }'];
  if (entries.length === 0) return Array.isArray(value) ? '[]' : '{}';
  const flat = Array.isArray(value) ? `[${entries.join(', ')}]` : `${open}${entries.join(', ')}${close}`;
  if (flat.length + indent.length <= WIDTH && !flat.includes('\n')) return flat;
  return `${open.trim()}\n${entries.map((e) => `${inner}${e},`).join('\n')}\n${indent}${close.trim()}`;
}

export function lowerFirst(word) {
  return word ? word[0].toLowerCase() + word.slice(1) : word;
}

/** `apiKeys` -> `apiKey`, `auditLogs` -> `auditLog`, `policies` -> `policy`. */
export function singular(word) {
  if (/ies$/.test(word)) return `${word.slice(0, -3)}y`;
  if (/(ss|us)$/.test(word)) return word;
  if (/s$/.test(word)) return word.slice(0, -1);
  return word;
}
