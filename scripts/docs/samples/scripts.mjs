// The samples in scripting languages, each a complete file that runs as pasted with the
// language's standard library only: cURL, JavaScript (Node's fetch), Python (urllib), PHP
// (streams, no Composer), Ruby (net/http). Each prints the response body and exits non-zero when
// the status is an error (400 and up); redirects are reported, not followed.
import { ENV, headerList, needsLine } from './request.mjs';

const sq = (text) => `'${text.replace(/\\/g, '\\\\').replace(/'/g, "\\'")}'`;

/** A JSON value as a Python or Ruby literal. */
function scriptLiteral(value, nil, indent = '') {
  if (value === null) return nil;
  if (typeof value === 'boolean') return nil === 'None' ? (value ? 'True' : 'False') : String(value);
  if (typeof value !== 'object') return JSON.stringify(value);
  const inner = `${indent}${nil === 'None' ? '    ' : '  '}`;
  const items = Array.isArray(value) ? value.map((v) => scriptLiteral(v, nil, inner)) : Object.entries(value).map(([k, v]) => `${JSON.stringify(k)}${nil === 'None' ? ':' : ' =>'} ${scriptLiteral(v, nil, inner)}`);
  const [open, close] = Array.isArray(value) ? ['[', ']'] : ['{', '}'];
  if (items.length === 0) return `${open}${close}`;
  return `${open}\n${items.map((i) => `${inner}${i},`).join('\n')}\n${indent}${close}`;
}

export function curl(req) {
  const lines = [`curl --fail-with-body --silent --show-error --request ${req.method} "\${${req.baseEnv}:-${req.baseDefault}}${req.target}"`];
  for (const [name, kind, value] of headerList(req)) {
    if (kind === 'key') lines.push(`--header "Authorization: Bearer $${ENV.key}"`);
    else if (kind === 'uuid') lines.push('--header "Idempotency-Key: $(uuidgen 2>/dev/null || cat /proc/sys/kernel/random/uuid)"');
    else lines.push(`--header '${`${name}: ${value}`.replace(/'/g, "'\\''")}'`);
  }
  if (req.json !== undefined) lines.push(`--data-raw '${req.json.replace(/'/g, "'\\''")}'`);
  return [needsLine('#', 'curl 7.76 or later (for --fail-with-body)', req), '# A status of 400 or more makes curl exit with 22.', lines.join(' \\\n  ')].join('\n');
}

export function javascript(req) {
  const headers = headerList(req).map(([name, kind, value]) => {
    const key = /^[A-Za-z_$][\w$]*$/.test(name) ? name : sq(name);
    if (kind === 'key') return `    ${key}: \`Bearer \${process.env.${ENV.key}}\`,`;
    if (kind === 'uuid') return `    ${key}: randomUUID(),`;
    return `    ${key}: ${sq(value)},`;
  });
  const options = [`  method: '${req.method}',`];
  if (headers.length > 0) options.push('  headers: {', ...headers, '  },');
  if (req.json !== undefined) options.push(`  body: JSON.stringify(${req.json.replace(/\n/g, '\n  ')}),`);
  if (req.redirect) options.push("  redirect: 'manual',");
  return [
    needsLine('//', 'Node.js 18 or later (its built-in fetch); no packages. Save as sample.mjs, run `node sample.mjs`', req),
    ...(req.idempotent ? ["import { randomUUID } from 'node:crypto';", ''] : []),
    `const base = process.env.${req.baseEnv} ?? '${req.baseDefault}';`,
    `const response = await fetch(\`\${base}${req.target.replace(/[`$\\]/g, '\\$&')}\`, {`,
    ...options,
    '});',
    ...(req.redirect ? ["console.log(response.status, response.headers.get('location'));"] : ['console.log(await response.text());']),
    'if (response.status >= 400) process.exit(1);',
  ].join('\n');
}

export function python(req) {
  const headers = headerList(req).map(([name, kind, value]) => {
    if (kind === 'key') return `    ${JSON.stringify(name)}: "Bearer " + os.environ.get("${ENV.key}", ""),`;
    if (kind === 'uuid') return `    ${JSON.stringify(name)}: str(uuid.uuid4()),`;
    return `    ${JSON.stringify(name)}: ${JSON.stringify(value)},`;
  });
  const imports = ['json', 'os', 'sys', 'urllib.error', 'urllib.request', ...(req.idempotent ? ['uuid'] : [])].filter((m) => m !== 'json' || req.json !== undefined);
  const lines = [
    needsLine('#', 'Python 3.8 or later; standard library only. Run `python3 sample.py`', req),
    ...imports.map((m) => `import ${m}`),
    '',
    `base = os.environ.get("${req.baseEnv}", "${req.baseDefault}")`,
  ];
  if (req.json !== undefined) lines.push(`payload = ${scriptLiteral(JSON.parse(req.json), 'None')}`);
  lines.push(`headers = {${headers.length ? `\n${headers.join('\n')}\n` : ''}}`);
  const data = req.json !== undefined ? ', data=json.dumps(payload).encode()' : '';
  lines.push(`request = urllib.request.Request(base + ${JSON.stringify(req.target)}, method="${req.method}", headers=headers${data})`, '');
  // urllib follows redirects unless a handler says no; an unfollowed redirect arrives as HTTPError.
  lines.push(
    'class KeepRedirects(urllib.request.HTTPRedirectHandler):',
    '    def redirect_request(self, *args):',
    '        return None',
    '',
    'opener = urllib.request.build_opener(KeepRedirects)',
    'try:',
    '    with opener.open(request) as response:',
    '        print(response.read().decode())',
    'except urllib.error.HTTPError as error:',
    '    if error.code >= 400:',
    '        print(error.read().decode())',
    '        sys.exit(1)',
    '    print(error.code, error.headers.get("Location"))',
  );
  return lines.join('\n');
}

export function php(req) {
  const headers = headerList(req).map(([name, kind, value]) => {
    if (kind === 'key') return `        'Authorization: Bearer ' . getenv('${ENV.key}'),`;
    if (kind === 'uuid') return "        'Idempotency-Key: ' . bin2hex(random_bytes(16)),";
    return `        ${sq(`${name}: ${value}`)},`;
  });
  const http = [`    'method' => '${req.method}',`, "    'header' => implode(\"\\r\\n\", [", ...headers, '    ]),'];
  if (req.json !== undefined) http.push("    'content' => $body,");
  http.push("    'ignore_errors' => true, // an error status still returns its body", "    'follow_location' => 0,");
  return [
    '<?php',
    needsLine('//', 'PHP 7.4 or later with openssl (for https); no Composer packages. Run `php sample.php`', req),
    `$base = getenv('${req.baseEnv}') ?: '${req.baseDefault}';`,
    ...(req.json !== undefined ? ["$body = <<<'JSON'", req.json, 'JSON;'] : []),
    "$context = stream_context_create(['http' => [",
    ...http,
    ']]);',
    `$answer = file_get_contents($base . ${sq(req.target)}, false, $context);`,
    'if ($answer === false) {',
    '    fwrite(STDERR, "No answer from $base\\n");',
    '    exit(1);',
    '}',
    "preg_match('{^HTTP/\\S+ (\\d{3})}', $http_response_header[0], $status);",
    'echo $answer, PHP_EOL;',
    'exit((int) $status[1] >= 400 ? 1 : 0);',
  ].join('\n');
}

export function ruby(req) {
  const klass = req.method[0] + req.method.slice(1).toLowerCase();
  const lines = [
    needsLine('#', 'Ruby 2.7 or later; standard library only. Run `ruby sample.rb`', req),
    ...(req.json !== undefined ? ["require 'json'"] : []),
    "require 'net/http'",
    ...(req.idempotent ? ["require 'securerandom'"] : []),
    '',
    `base = ENV.fetch('${req.baseEnv}', '${req.baseDefault}')`,
    `uri = URI(base + ${sq(req.target)})`,
    `request = Net::HTTP::${klass}.new(uri)`,
  ];
  for (const [name, kind, value] of headerList(req)) {
    if (kind === 'key') lines.push(`request['Authorization'] = "Bearer #{ENV['${ENV.key}']}"`);
    else if (kind === 'uuid') lines.push("request['Idempotency-Key'] = SecureRandom.uuid");
    else lines.push(`request[${sq(name)}] = ${sq(value)}`);
  }
  if (req.json !== undefined) lines.push(`request.body = JSON.generate(${scriptLiteral(JSON.parse(req.json), 'nil')})`);
  lines.push(
    '',
    "response = Net::HTTP.start(uri.host, uri.port, use_ssl: uri.scheme == 'https') { |http| http.request(request) }",
    ...(req.redirect ? ["puts \"#{response.code} #{response['location']}\""] : ['puts response.body']),
    'exit(1) if response.code.to_i >= 400',
  );
  return lines.join('\n');
}
