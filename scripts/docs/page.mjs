// The docs page: Redoc's standalone bundle from the `redoc` npm package, served next to the page,
// and the spec inlined, so the site works offline, from any static host and from file://.
// Redocly CLI's `build-docs` page loads Redoc from a CDN at run time (and, with
// --inlineBundle, still fetches a logo from cdn.redoc.ly), so the page is written here.

const SYSTEM_SANS = "system-ui, -apple-system, 'Segoe UI', Roboto, 'Helvetica Neue', Arial, 'Noto Sans', sans-serif";
const SYSTEM_MONO = "ui-monospace, SFMono-Regular, Menlo, Consolas, 'Liberation Mono', monospace";

/** Redoc's options: system fonts only (the default theme names Google Fonts), local download link. */
export function redocOptions({ downloadUrl }) {
  return {
    hideDownloadButton: false,
    downloadDefinitionUrl: downloadUrl,
    downloadFileName: downloadUrl,
    expandResponses: '200,201,202,204',
    // The TypeScript and curl samples first, the raw payload after them.
    payloadSampleIdx: 2,
    jsonSampleExpandLevel: 3,
    showWebhookVerb: true,
    hideHostname: false,
    theme: {
      colors: { primary: { main: '#2f4fb2' } },
      typography: {
        fontSize: '15px',
        fontFamily: SYSTEM_SANS,
        headings: { fontFamily: SYSTEM_SANS, fontWeight: '600' },
        code: { fontFamily: SYSTEM_MONO, fontSize: '13px' },
      },
      sidebar: { width: '280px' },
      rightPanel: { width: '48%' },
    },
  };
}

// Redoc's sidebar footer ("API docs by Redocly") shows a logo fetched from this URL, with no option
// to turn it off; the copy served with the docs points it at an inline image instead.
const CDN_LOGO = 'https://cdn.redoc.ly/redoc/logo-mini.svg';
const LOCAL_LOGO = "data:image/svg+xml,%3Csvg xmlns='http://www.w3.org/2000/svg' width='1' height='1'/%3E";

/** The Redoc standalone bundle to serve: the npm package's, with its one network fetch taken out. */
export function offlineRedocBundle(source) {
  const count = source.split(CDN_LOGO).length - 1;
  if (count !== 1) throw new Error(`expected the Redoc bundle to name ${CDN_LOGO} once, found ${count}: check the redoc upgrade`);
  return source.replace(CDN_LOGO, LOCAL_LOGO);
}

/** JSON that is safe inside a <script> element. */
function scriptJson(value) {
  return JSON.stringify(value).replace(/</g, '\\u003c').replace(/\u2028/g, '\\u2028').replace(/\u2029/g, '\\u2029');
}

function escapeHtml(text) {
  return text.replace(/[&<>"]/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;' })[c]);
}

export function renderPage({ spec, redocScript, downloadUrl }) {
  const title = `${spec.info.title} reference`;
  return `<!doctype html>
<html lang="en">
<head>
  <meta charset="utf-8">
  <meta name="viewport" content="width=device-width, initial-scale=1">
  <meta name="description" content="${escapeHtml(spec.info.summary ?? spec.info.title)}">
  <title>${escapeHtml(title)}</title>
  <link rel="icon" href="data:,">
  <style>body { margin: 0; padding: 0; }</style>
</head>
<body>
  <div id="redoc"><noscript>This reference needs JavaScript. The contract itself is <a href="${downloadUrl}">${downloadUrl}</a>.</noscript></div>
  <script id="spec" type="application/json">${scriptJson(spec)}</script>
  <script id="redoc-options" type="application/json">${scriptJson(redocOptions({ downloadUrl }))}</script>
  <script src="${redocScript}"></script>
  <script>
    const spec = JSON.parse(document.getElementById('spec').textContent);
    const options = JSON.parse(document.getElementById('redoc-options').textContent);
    Redoc.init(spec, options, document.getElementById('redoc'), () => document.body.setAttribute('data-redoc-ready', ''));
  </script>
</body>
</html>
`;
}
