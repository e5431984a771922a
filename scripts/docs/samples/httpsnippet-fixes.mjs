// httpsnippet 3.0.10 writes three kinds of JSON body wrong, and the samples must be code a
// reader can paste. Its own literal printers for these targets are swapped for correct ones
// (they are called through the module object, so replacing the export takes effect), and
// one missing `try` is added. Each fix is asserted: if a later httpsnippet changes what is
// patched, the docs build fails here instead of shipping a broken sample.
//   Rust:  arrays become tuples: `["a"]` -> `("a")`, a plain string; `[]` -> `()`, JSON null.
//   Swift: `null` becomes nothing (`"key": ,`, a syntax error) and `{}` becomes `[]`.
//   Swift: `JSONSerialization.data(...)` throws, and is called without `try`.
//   Kotlin: `MediaType.parse` and `RequestBody.create(type, text)` are OkHttp 3; OkHttp 4 and
//   later reject them in Kotlin, and take the `toMediaType()`/`toRequestBody()` extensions.
import { createRequire } from 'node:module';

const require = createRequire(import.meta.url);
const rust = require('httpsnippet/dist/targets/rust/helpers.js');
const swift = require('httpsnippet/dist/targets/swift/helpers.js');

function indentLines(text, pad) {
  return text.split('\n').map((line, i) => (i === 0 ? line : pad + line)).join('\n');
}

/** A Swift literal for a JSON value: `[:]` for an empty object, `NSNull()` for null. */
export function swiftLiteral(value, indent = '  ', level = 1) {
  const pad = indent.repeat(level);
  const close = indent.repeat(level - 1);
  if (value === null || value === undefined) return 'NSNull()';
  if (typeof value === 'string') return JSON.stringify(value).replace(/\\u([0-9a-f]{4})/gi, '\\u{$1}');
  if (typeof value !== 'object') return String(value);
  if (Array.isArray(value)) {
    if (value.length === 0) return '[]';
    const items = value.map((v) => swiftLiteral(v, indent, level + 1));
    const flat = `[${items.join(', ')}]`;
    return flat.length <= 60 && !flat.includes('\n') ? flat : `[\n${pad}${items.join(`,\n${pad}`)}\n${close}]`;
  }
  const entries = Object.entries(value).map(([k, v]) => `${JSON.stringify(k)}: ${swiftLiteral(v, indent, level + 1)}`);
  if (entries.length === 0) return '[:]';
  if (entries.length === 1 && !entries[0].includes('\n')) return `[${entries[0]}]`;
  return `[\n${pad}${entries.join(`,\n${pad}`)}\n${close}]`;
}

let applied = false;

export function applyHttpsnippetFixes() {
  if (applied) return;
  if (typeof rust.literalRepresentation !== 'function' || typeof swift.literalRepresentation !== 'function') {
    throw new Error('httpsnippet: the Rust or Swift literal printer moved; review scripts/docs/samples/httpsnippet-fixes.mjs');
  }
  const rustOriginal = rust.literalRepresentation;
  // JSON text is valid input to serde_json's `json!` macro, arrays and null included.
  rust.literalRepresentation = (value, opts, indentLevel = 0) =>
    value !== null && typeof value === 'object' ? `json!(${indentLines(JSON.stringify(value, null, opts.indent), opts.indent.repeat(indentLevel))})` : rustOriginal(value, opts, indentLevel);
  swift.literalRepresentation = (value, opts, indentLevel) => swiftLiteral(value, opts.indent, indentLevel === undefined ? 1 : indentLevel + 1);
  applied = true;
}

const SWIFT_THROWING = 'let postData = JSONSerialization.data(';

const KOTLIN_BODY = /^val mediaType = MediaType\.parse\(("[^"]*")\)\nval body = RequestBody\.create\(mediaType, (".*")\)$/m;
const KOTLIN_IMPORTS = ['import okhttp3.MediaType.Companion.toMediaType', 'import okhttp3.OkHttpClient', 'import okhttp3.Request', 'import okhttp3.RequestBody.Companion.toRequestBody'];

function fail(what) {
  throw new Error(`httpsnippet: ${what} changed; review scripts/docs/samples/httpsnippet-fixes.mjs`);
}

/** Text fixes on a finished sample. */
export function fixSample(target, code) {
  if (target === 'swift' && code.includes('JSONSerialization.data(')) {
    if (!code.includes(SWIFT_THROWING)) fail('the Swift body line');
    return code.replace(SWIFT_THROWING, 'let postData = try! JSONSerialization.data(');
  }
  if (target === 'kotlin') {
    if (!code.startsWith('val client = OkHttpClient()')) fail('the Kotlin sample');
    let fixed = code;
    if (code.includes('RequestBody.create(')) {
      if (!KOTLIN_BODY.test(code)) fail('the Kotlin body lines');
      fixed = code.replace(KOTLIN_BODY, 'val mediaType = $1.toMediaType()\nval body = $2.toRequestBody(mediaType)');
    }
    const imports = KOTLIN_IMPORTS.filter((line) => !line.includes('Companion') || fixed.includes(line.split('.').pop()));
    return `${imports.join('\n')}\n\n${fixed}`;
  }
  return code;
}
