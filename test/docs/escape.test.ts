// Spec text on the docs site cannot become markup or a live Vue expression. The escaper is
// checked on its own, then whole generated pages carrying hostile spec text go through the two
// steps the build runs (VitePress's Markdown renderer, then Vue compiling and rendering the result
// as a template) and the rendered HTML holds the text as written, with no element from it.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { createMarkdownRenderer, type MarkdownRenderer } from 'vitepress';
import { createSSRApp } from 'vue';
import { renderToString } from 'vue/server-renderer';
import { beforeAll, describe, expect, it } from 'vitest';
// @ts-expect-error: plain .mjs modules without types
import { collect, readSdkTable } from '../../scripts/docs/contract.mjs';
// @ts-expect-error: plain .mjs modules without types
import { operationPage } from '../../scripts/docs/pages/operation.mjs';
// @ts-expect-error: plain .mjs modules without types
import { schemaPage } from '../../scripts/docs/pages/schema.mjs';
// @ts-expect-error: plain .mjs modules without types
import { cell, htmlText, inlineCode, safeMarkdown } from '../../scripts/docs/pages/text.mjs';
import { spec } from '../support/spec.js';
import { root } from './support/site.js';

// The bypasses: a backslash before a backtick (the "code span" is not one, so what follows is raw
// HTML), `{{ }}` in inline code and in prose, a script element, an image with an error handler.
const BACKSLASH = 'Backslash \\`<img src=x onerror=alert(1)>` here';
const MUSTACHE = 'Inline `{{ 7*7 }}` and prose {{ 6*7 }}';
const SCRIPT = '<script>alert(2)</script>';
const IMG = '<img src=x onerror=alert(3)>';
// The backslash case goes last: its unescaped backtick would otherwise open a code span that
// the next case's backtick closes, as CommonMark reads it.
const HOSTILE = [MUSTACHE, SCRIPT, IMG, BACKSLASH];

describe('the escaper', () => {
  it('writes the bypasses as text: entities for markup, braces and escaped characters', () => {
    expect(safeMarkdown(BACKSLASH)).toBe('Backslash &#96;&#60;img src=x onerror=alert(1)&#62;&#96; here');
    expect(safeMarkdown(MUSTACHE)).toBe('Inline <code>&#123;&#123; 7&#42;7 &#125;&#125;</code> and prose &#123;&#123; 6*7 &#125;&#125;');
    expect(safeMarkdown(SCRIPT)).toBe('&#60;script&#62;alert(2)&#60;/script&#62;');
    expect(safeMarkdown(IMG)).toBe('&#60;img src=x onerror=alert(3)&#62;');
  });

  it('reads code spans as CommonMark does: matching runs, a lone backtick stays text', () => {
    expect(safeMarkdown('``a ` b`` and `x`')).toBe('<code>a &#96; b</code> and <code>x</code>');
    expect(safeMarkdown('`open <b>')).toBe('&#96;open &#60;b&#62;');
    expect(safeMarkdown('`<i>` after \\\\')).toBe('<code>&#60;i&#62;</code> after &#92;');
    expect(cell('a | b `c|d`\nnext')).toBe('a \\| b <code>c&#124;d</code> next');
    expect(inlineCode('^[a-z]{2}`$')).toBe('<code>&#94;&#91;a-z&#93;&#123;2&#125;&#96;&#36;</code>');
    expect(htmlText('<b a="{{x}}">')).toBe('&#60;b a=&#34;&#123;&#123;x&#125;&#125;&#34;&#62;');
  });
});

describe('a generated page with hostile spec text, rendered as the build renders it', () => {
  let md: MarkdownRenderer;
  const hostile = structuredClone(spec);
  const text = HOSTILE.join(' ');

  beforeAll(async () => {
    md = await createMarkdownRenderer(join(root, 'docs'), { theme: { light: 'github-light', dark: 'github-dark' } });
    // Every kind of text the generator takes from the spec: summary, description, a parameter,
    // an enum value, a pattern, a schema's and a field's description, an invariant's condition.
    const op = hostile.paths['/messages'].post;
    Object.assign(op, { summary: text, description: text });
    op['x-invariants'] = [...(op['x-invariants'] ?? []), { status: 409, reason: 'hostile', when: text }];
    op.parameters = [...op.parameters, { name: 'X-Hostile', in: 'header', description: text, schema: { type: 'string' } }];
    const schema = hostile.components.schemas.MessageCreate;
    schema.description = text;
    const [field] = Object.keys(schema.properties);
    schema.properties[field!] = { ...schema.properties[field!], description: text };
    schema.properties.hostile = { type: 'string', enum: ['{{ 5*5 }}'], pattern: '^`<b>{{x}}$' };
  });

  async function render(markdown: string): Promise<string> {
    const body = markdown.replace(/^---\n[\s\S]*?\n---\n/, '');
    const app = createSSRApp({ template: `<div>${md.render(body)}</div>` });
    app.component('TryIt', { template: '<form class="try-it"></form>' });
    const warnings: string[] = [];
    app.config.warnHandler = (message) => void warnings.push(message);
    const html = await renderToString(app);
    expect(warnings).toEqual([]);
    return html;
  }

  function expectInert(html: string, copies: number) {
    expect(html).not.toMatch(/<(img|script)\b/i);
    // The text arrives as written, once per place it was put: not evaluated, not dropped.
    expect(html.split('{{ 7*7 }}').length - 1).toBe(copies);
    expect(html.split('{{ 6*7 }}').length - 1).toBe(copies);
    expect(html.split('&lt;img src=x onerror=alert(1)&gt;').length - 1).toBe(copies);
    expect(html.split('&lt;script&gt;alert(2)&lt;/script&gt;').length - 1).toBe(copies);
    expect(html).not.toMatch(/>\s*(49|42)\s*</);
  }

  it('shows the operation page\'s text as written, in the heading, prose, tables and rules', async () => {
    const entry = collect(hostile, readSdkTable(readFileSync(join(root, 'generated', 'resources.ts'), 'utf8'))).find((e: { operationId: string }) => e.operationId === 'sendMessage');
    // The samples are fenced code, which VitePress renders `v-pre`; what matters here is the prose.
    const html = await render(operationPage(hostile, entry, []));
    // Summary (heading), description, the header's description, the invariant's row, and the
    // request body schema's field table (its field).
    expectInert(html, 5);
    expect(html).toContain('{{ 5*5 }}');
    expect(html).toContain('^`&lt;b&gt;{{x}}$');
    expect(html).not.toMatch(/>\s*25\s*</);
  });

  it('shows a schema page\'s text as written', async () => {
    expectInert(await render(schemaPage(hostile, 'MessageCreate')), 2);
  });
});
