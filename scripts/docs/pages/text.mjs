// Spec text goes into VitePress Markdown, which is compiled as a Vue template: a bare `<` starts
// an element and `{{` an interpolation. Both are escaped outside code spans, and a table cell
// keeps to one line with its pipes escaped.

/** Markdown from the spec, safe to compile as a Vue template. */
export function safeMarkdown(text = '') {
  return String(text)
    .split(/(`[^`\n]*`)/)
    .map((part, i) => (i % 2 === 1 ? part : part.replace(/</g, '&lt;').replace(/\{\{/g, '&#123;&#123;')))
    .join('')
    .trim();
}

/** One Markdown table cell. */
export function cell(text = '') {
  return safeMarkdown(text).replace(/\s*\n\s*/g, ' ').replace(/\|/g, '\\|');
}

export function table(head, rows) {
  if (rows.length === 0) return '';
  return [`| ${head.join(' | ')} |`, `| ${head.map(() => '---').join(' | ')} |`, ...rows.map((r) => `| ${r.join(' | ')} |`)].join('\n');
}

/** A fenced code block whose fence cannot clash with the code. */
export function fence(lang, code, label) {
  const longest = Math.max(2, ...[...code.matchAll(/`+/g)].map((m) => m[0].length));
  const ticks = '`'.repeat(longest + 1);
  return `${ticks}${lang}${label ? ` [${label}]` : ''}\n${code}\n${ticks}`;
}

export function escapeHtml(text) {
  return String(text).replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');
}
