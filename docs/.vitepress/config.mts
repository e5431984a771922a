// The docs site: VitePress, pre-rendered to static HTML. Guides are the Markdown files of
// docs/guides/ (read in place); the reference under docs/reference/ is generated from the spec by
// scripts/docs/reference.mjs before the build (`npm run docs` does both).
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { defineConfig, type DefaultTheme } from 'vitepress';

const docsDir = join(dirname(fileURLToPath(import.meta.url)), '..');

// The reading order of the guides; a guide not listed here follows, by file name.
const GUIDE_ORDER = [
  'getting-started',
  'authentication',
  'sessions',
  'zero-knowledge',
  'e2e-wire-format',
  'errors',
  'retries-and-idempotency',
  'hooks-and-tracing',
  'pagination',
  'rate-limits',
  'fleets',
  'webhooks',
  'files',
  'cli',
  'testing-with-the-mock',
  'runtimes',
  'benchmarks',
  'package',
  'contributing',
];

function guides(): DefaultTheme.SidebarItem[] {
  const dir = join(docsDir, 'guides');
  if (!existsSync(dir)) throw new Error('docs/guides/ is missing: the site is built around the guides there');
  const names = readdirSync(dir)
    .filter((f) => f.endsWith('.md'))
    .map((f) => f.slice(0, -3));
  const rank = (name: string) => (GUIDE_ORDER.includes(name) ? GUIDE_ORDER.indexOf(name) : GUIDE_ORDER.length);
  names.sort((a, b) => rank(a) - rank(b) || a.localeCompare(b));
  return names.map((name) => {
    const title = /^#\s+(.+)$/m.exec(readFileSync(join(dir, `${name}.md`), 'utf8'))?.[1]?.trim() ?? name;
    // Sidebar text is HTML: a title's `code` is shown as code, and nothing else is markup.
    const html = title.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/`([^`]+)`/g, '<code>$1</code>');
    return { text: html, link: `/guides/${name}` };
  });
}

function reference(): DefaultTheme.SidebarItem[] {
  const file = join(docsDir, 'reference', 'sidebar.json');
  if (!existsSync(file)) throw new Error('docs/reference/ has not been generated: run `npm run docs`');
  return JSON.parse(readFileSync(file, 'utf8'));
}

const guideSidebar: DefaultTheme.SidebarItem[] = [
  { text: 'Guides', items: guides() },
  { text: 'More', items: [{ text: 'API reference', link: '/reference/' }, { text: 'Changelog', link: '/changelog' }] },
];

// Search covers prose, not the twelve copies of every sample: code groups are left out of the
// index, which keeps it small (it is downloaded when the search box first opens).
const CODE_GROUP = /^::: code-group\n[\s\S]*?^:::$/gm;

export default defineConfig({
  title: 'Coveton API',
  description: 'Guides and API reference for the Coveton API and its TypeScript SDK.',
  lang: 'en',
  srcExclude: ['**/README.md'],
  lastUpdated: false,
  head: [
    ['link', { rel: 'icon', href: '/favicon.svg', type: 'image/svg+xml' }],
    ['meta', { name: 'theme-color', content: '#2f4fb2' }],
  ],
  markdown: {
    theme: { light: 'github-light', dark: 'github-dark' },
  },
  themeConfig: {
    nav: [
      { text: 'Guides', link: '/guides/getting-started', activeMatch: '^/guides/' },
      { text: 'Reference', link: '/reference/', activeMatch: '^/reference/' },
      { text: 'Changelog', link: '/changelog' },
    ],
    sidebar: {
      '/guides/': guideSidebar,
      '/changelog': guideSidebar,
      '/reference/': reference(),
    },
    outline: { level: [2, 3] },
    search: {
      provider: 'local',
      options: {
        _render(src, env, md) {
          if (env.frontmatter?.search === false) return '';
          return md.render(src.replace(CODE_GROUP, ''), env);
        },
      },
    },
    footer: { message: 'Generated from the Coveton OpenAPI contract and the guides in docs/guides/.' },
  },
});
