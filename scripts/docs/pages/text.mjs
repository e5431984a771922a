// The one way spec text reaches the site. VitePress compiles each Markdown page as a Vue
// template, so besides Markdown's own raw HTML, `{{` starts a live interpolation, in prose and in
// inline code alike (only fenced blocks get `v-pre`). Spec text is therefore read the way
// CommonMark reads it (backslash escapes, then code spans of matching backtick runs) and written
// back with nothing left for Markdown or Vue to interpret: `<`, `>`, `{`, `}` and every escaped
// character become HTML entities, which both leave alone and the browser shows as written; a
// code span becomes a `<code>` element whose text is all entities.

/** Characters CommonMark lets a backslash escape. */
const PUNCTUATION = /[!-/:-@[-`{-~]/;
const entity = (ch) => `&#${ch.codePointAt(0)};`;

/** A value shown as inline code (a name, a pattern, an example value): HTML, never interpreted. */
export function inlineCode(value) {
  return `<code>${String(value).replace(/[^\w \-.,:/]/g, entity)}</code>`;
}

/** Text for an HTML context (an element's text or an attribute): markup and `{{` escaped. */
export function htmlText(value) {
  return String(value).replace(/[&<>"'{}]/g, entity);
}

/** Prose outside code: no tags, no autolinks, no interpolation. */
const prose = (text) => text.replace(/[<>{}]/g, entity);

/** Markdown from the spec, safe to compile as a Vue template. */
export function safeMarkdown(text = '') {
  const src = String(text);
  let out = '';
  let plain = '';
  const flush = () => {
    out += prose(plain);
    plain = '';
  };
  for (let i = 0; i < src.length; ) {
    const ch = src[i];
    if (ch === '\\' && i + 1 < src.length && PUNCTUATION.test(src[i + 1])) {
      // An escaped character is shown as itself, whatever it is.
      plain += entity(src[i + 1]);
      i += 2;
      continue;
    }
    if (ch === '`') {
      const run = /^`+/.exec(src.slice(i))[0];
      // A code span closes at the next run of exactly as many backticks.
      const close = new RegExp(`(?<!\`)${run}(?!\`)`, 'g');
      close.lastIndex = i + run.length;
      const end = close.exec(src);
      if (end) {
        flush();
        let code = src.slice(i + run.length, end.index).replace(/\r?\n/g, ' ');
        if (/^ .*[^ ].* $/.test(code)) code = code.slice(1, -1);
        out += inlineCode(code);
        i = end.index + run.length;
      } else {
        plain += run.replace(/`/g, entity);
        i += run.length;
      }
      continue;
    }
    plain += ch;
    i++;
  }
  flush();
  return out.trim();
}

/** Generated Markdown as one table cell: one line, its pipes escaped. */
export function oneLine(markdown) {
  return markdown.replace(/\s*\n\s*/g, ' ').replace(/\|/g, '\\|');
}

/** Spec text as one Markdown table cell. */
export function cell(text = '') {
  return oneLine(safeMarkdown(text));
}

export function table(head, rows) {
  if (rows.length === 0) return '';
  return [`| ${head.join(' | ')} |`, `| ${head.map(() => '---').join(' | ')} |`, ...rows.map((r) => `| ${r.join(' | ')} |`)].join('\n');
}

/** A fenced code block whose fence cannot clash with the code (VitePress renders it `v-pre`). */
export function fence(lang, code, label) {
  const longest = Math.max(2, ...[...code.matchAll(/`+/g)].map((m) => m[0].length));
  const ticks = '`'.repeat(longest + 1);
  return `${ticks}${lang}${label ? ` [${label}]` : ''}\n${code}\n${ticks}`;
}
