// Writes the reference part of the docs site as Markdown under docs/reference/ (generated, not
// committed): a page per operation and per outbound event, an index per tag, a page per schema
// and their index,
// the reference overview, and the sidebar the VitePress config reads.
import { mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { loadContract } from './contract.mjs';
import { LANGUAGES, proofSentence } from './languages.mjs';
import { operationPage, pagePath } from './pages/operation.mjs';
import { schemaPage, schemasIndex, SCHEMAS_PAGE } from './pages/schema.mjs';
import { cell, htmlText, inlineCode, safeMarkdown, table } from './pages/text.mjs';
import { samplesFor } from './samples/index.mjs';

function tagsInOrder(spec, entries) {
  const used = [...new Set(entries.map((e) => e.tag))];
  const declared = (spec.tags ?? []).map((t) => t.name).filter((name) => used.includes(name));
  return [...declared, ...used.filter((name) => !declared.includes(name))].map((name) => {
    const tag = (spec.tags ?? []).find((t) => t.name === name) ?? { name };
    return { name, title: tag['x-displayName'] ?? name, description: tag.description ?? '', entries: entries.filter((e) => e.tag === name) };
  });
}

const methodCell = (e) => inlineCode(e.kind === 'event' ? 'event' : e.method);

function tagPage(tag) {
  const rows = tag.entries.map((e) => [methodCell(e), `[${inlineCode(e.path)}](${pagePath(e)})`, cell(e.summary)]);
  return ['---', `title: ${JSON.stringify(tag.title)}`, '---', '', `# ${safeMarkdown(tag.title)}`, '', safeMarkdown(tag.description), '', table(['', tag.entries[0]?.kind === 'event' ? 'Event' : 'Path', 'What it does'], rows), ''].join('\n');
}

function overviewPage(spec, tags) {
  const servers = spec.servers.map((s) => [inlineCode(s.url), cell(s.description ?? '')]);
  const rows = tags.map((t) => [`[${safeMarkdown(t.title)}](/reference/${t.name}/)`, String(t.entries.length), cell(t.description.split('\n\n')[0] ?? '')]);
  return [
    '---',
    'title: API reference',
    '---',
    '',
    `# ${safeMarkdown(spec.info.title)} reference`,
    '',
    safeMarkdown(spec.info.description?.split('\n\n')[0] ?? ''),
    '',
    table(['Base URL', ''], servers),
    '',
    `Every operation has a page with samples in ${LANGUAGES.length} languages (${LANGUAGES.map((l) => l.label).join(', ')}): pick one on any sample and every page follows. Operations also have a **Try it** console that sends the example request to a base URL you choose, by default a local \`coveton mock\` on \`http://127.0.0.1:4010\`.`,
    '',
    proofSentence(),
    '',
    table(['Section', 'Entries', ''], rows),
    '',
    `Every object the API reads or writes: [Schemas](${SCHEMAS_PAGE}). The contract itself: [openapi.json](/openapi.json).`,
    '',
  ].join('\n');
}

/** A sidebar entry (HTML): the method as a badge, then the title. */
function sidebarText(e) {
  const method = e.kind === 'event' ? 'event' : e.method.toLowerCase();
  const badge = e.kind === 'event' ? 'EVT' : e.method === 'DELETE' ? 'DEL' : e.method;
  return `<span class="sb-method op-${method}">${badge}</span><span class="sb-title">${htmlText(e.kind === 'event' ? e.path : e.summary)}</span>`;
}

/** The reference's sidebar: one collapsed group per tag. */
function sidebar(tags) {
  return [
    { text: 'Overview', link: '/reference/' },
    ...tags.map((t) => ({
      text: htmlText(t.title),
      collapsed: true,
      items: [{ text: 'Overview', link: `/reference/${t.name}/` }, ...t.entries.map((e) => ({ text: sidebarText(e), link: pagePath(e) }))],
    })),
    { text: 'Schemas', link: SCHEMAS_PAGE },
  ];
}

function write(file, text) {
  mkdirSync(dirname(file), { recursive: true });
  writeFileSync(file, text);
}

/** Writes docs/reference/ and docs/public/openapi.json from the repo at `root`. */
export function writeReference(root, docsDir = join(root, 'docs')) {
  const { spec, operations } = loadContract(root);
  const out = join(docsDir, 'reference');
  rmSync(out, { recursive: true, force: true });
  const tags = tagsInOrder(spec, operations);
  for (const entry of operations) write(join(out, entry.tag, `${entry.operationId}.md`), operationPage(spec, entry, samplesFor(spec, entry)));
  for (const tag of tags) write(join(out, tag.name, 'index.md'), tagPage(tag));
  write(join(out, 'index.md'), overviewPage(spec, tags));
  write(join(out, 'schemas', 'index.md'), schemasIndex(spec));
  for (const name of Object.keys(spec.components.schemas ?? {})) write(join(out, 'schemas', `${name}.md`), schemaPage(spec, name));
  write(join(out, 'sidebar.json'), `${JSON.stringify(sidebar(tags), null, 2)}\n`);
  write(join(docsDir, 'public', 'openapi.json'), `${JSON.stringify(spec)}\n`);
  return { operations: operations.length, pages: operations.length + tags.length + 2 + Object.keys(spec.components.schemas ?? {}).length };
}
