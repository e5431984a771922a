// Runs the reference's samples against a mock, one language at a time, in as few processes as
// the language allows (2 shared cores): JavaScript, TypeScript, Python, PHP, Ruby, Java, Kotlin
// and C# run every sample in one process, a launcher that resets the mock before each sample and
// catches its exit (cURL: one shell, a subshell per sample); Go builds one binary of all samples
// and runs it once per sample. Each sample's exit code and output are returned by operation id.
// The launchers are test glue: the samples inside are the site's text, changed only where a
// batch needs it (a renamed entry point, an exit turned into an exception).
import { execFile, spawn } from 'node:child_process';
import { createHash } from 'node:crypto';
import { copyFileSync, existsSync, mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { promisify } from 'node:util';

export interface Sample {
  id: string;
  code: string;
}
export interface Outcome {
  code: number;
  out: string;
}
export interface RunContext {
  dir: string;
  env: Record<string, string>;
  mockUrl: string;
  reset(): Promise<void>;
  /** The SDK's entry, for the TypeScript samples' `@coveton/sdk` import, and its repo. */
  sdkEntry: string;
  sdkRoot: string;
  /** Where compiled launchers are kept between runs (test-output/). */
  cacheDir: string;
}

const run = promisify(execFile);
const MARK = '@@SAMPLE';
const RESET_HEADER = 'X-Coveton-Mock';

function spawnOnce(cmd: string, args: string[], ctx: RunContext, cwd = ctx.dir): Promise<Outcome> {
  return new Promise((done) => {
    const child = spawn(cmd, args, { cwd, env: { ...process.env, ...ctx.env } });
    let out = '';
    child.stdout.on('data', (d) => void (out += d));
    child.stderr.on('data', (d) => void (out += d));
    child.on('close', (code) => done({ code: code ?? -1, out }));
  });
}

/** Output of a launcher: `@@SAMPLE <id> <code>` closes each sample's output. */
function parseMarked(text: string): Map<string, Outcome> {
  const results = new Map<string, Outcome>();
  let out = '';
  for (const line of text.split('\n')) {
    const m = new RegExp(`^${MARK} (\\S+) (-?\\d+)$`).exec(line);
    if (m) {
      results.set(m[1]!, { code: Number(m[2]), out });
      out = '';
    } else out += `${line}\n`;
  }
  return results;
}

async function launcher(cmd: string, args: string[], ctx: RunContext, cwd = ctx.dir): Promise<Map<string, Outcome>> {
  const { code, out } = await spawnOnce(cmd, args, ctx, cwd);
  const results = parseMarked(out);
  if (results.size === 0) throw new Error(`${cmd} ${args.join(' ')} exited with ${code} and ran nothing:\n${out.slice(0, 4000)}`);
  return results;
}


/**
 * The mock's reset from bash itself (/dev/tcp): a curl process for each of the 71 resets was
 * 2.5 s of CPU, as much as the samples' own runs. Waits for the mock's answer, and stops the
 * batch if it is not a 2xx.
 */
const BASH_RESET = [
  'reset() {',
  '  local at=${COVETON_BASE_URL#http://} status line',
  '  exec 3<>"/dev/tcp/${at%%:*}/${at##*:}" || exit 97',
  `  printf 'POST /__mock/reset HTTP/1.1\\r\\nHost: %s\\r\\n${RESET_HEADER}: 1\\r\\nContent-Length: 0\\r\\nConnection: close\\r\\n\\r\\n' "$at" >&3`,
  '  IFS= read -r status <&3',
  '  while IFS= read -r line <&3; do :; done',
  '  exec 3<&-',
  '  [[ $status == "HTTP/1.1 2"* ]] || { echo "reset: $status"; exit 98; }',
  '}',
];

async function curl(samples: Sample[], ctx: RunContext) {
  // One shell runs each sample in a subshell (its own `exit`), resetting the mock before each.
  const lines = ['#!/usr/bin/env bash', ...BASH_RESET];
  for (const s of samples) {
    const file = join(ctx.dir, `${s.id}.sh`);
    writeFileSync(file, s.code);
    lines.push('reset', `( . ${JSON.stringify(file)} ) 2>&1`, `code=$?; echo; echo "${MARK} ${s.id} $code"`);
  }
  writeFileSync(join(ctx.dir, 'launcher.sh'), lines.join('\n'));
  return launcher('bash', ['launcher.sh'], ctx);
}

/** A Node launcher: imports each module in turn; `process.exit` in a sample throws instead. */
function nodeLauncher(files: string[][]): string {
  return [
    "import { pathToFileURL } from 'node:url';",
    'class SampleExit extends Error {}',
    'process.exit = (code) => { throw Object.assign(new SampleExit(), { code }); };',
    `for (const [id, file] of ${JSON.stringify(files)}) {`,
    `  await fetch(process.env.COVETON_BASE_URL + '/__mock/reset', { method: 'POST', headers: { '${RESET_HEADER}': '1' } });`,
    '  let code = 0;',
    '  try {',
    '    await import(pathToFileURL(file).href);',
    '  } catch (error) {',
    '    if (error instanceof SampleExit) code = error.code ?? 0;',
    '    else {',
    '      console.log(String(error));',
    '      code = 1;',
    '    }',
    '  }',
    `  console.log('\\n${MARK} ' + id + ' ' + code);`,
    '}',
  ].join('\n');
}

async function javascript(samples: Sample[], ctx: RunContext) {
  const files = samples.map((s) => [s.id, join(ctx.dir, `${s.id}.mjs`)]);
  samples.forEach((s, i) => writeFileSync(files[i]![1]!, s.code));
  writeFileSync(join(ctx.dir, 'launcher.mjs'), nodeLauncher(files));
  return launcher(process.execPath, ['launcher.mjs'], ctx);
}

async function php(samples: Sample[], ctx: RunContext) {
  // `exit` cannot be caught in PHP: the batch copy throws instead, with the same code.
  const files = samples.map((s) => [s.id, join(ctx.dir, `${s.id}.php`)]);
  samples.forEach((s, i) => writeFileSync(files[i]![1]!, s.code.replace(/\bexit\(/g, 'throw new SampleExit(')));
  writeFileSync(
    join(ctx.dir, 'launcher.php'),
    [
      '<?php',
      'class SampleExit extends Exception { public function __construct(public int $status) { parent::__construct(); } }',
      'function run_sample(string $path): int {',
      '    try { include $path; } catch (SampleExit $done) { return $done->status; }',
      '    return 0;',
      '}',
      `foreach (${JSON.stringify(files)} as [$id, $path]) {`,
      `    file_get_contents(getenv('COVETON_BASE_URL') . '/__mock/reset', false, stream_context_create(['http' => ['method' => 'POST', 'header' => '${RESET_HEADER}: 1']]));`,
      '    $code = run_sample($path);',
      `    echo "\n${MARK} $id $code\n";`,
      '}',
    ].join('\n'),
  );
  return launcher('php', ['launcher.php'], ctx);
}

async function python(samples: Sample[], ctx: RunContext) {
  const files = samples.map((s) => [s.id, join(ctx.dir, `${s.id}.py`)]);
  samples.forEach((s, i) => writeFileSync(files[i]![1]!, s.code));
  writeFileSync(
    join(ctx.dir, 'launcher.py'),
    [
      'import os, sys, urllib.request',
      `samples = ${JSON.stringify(files)}`,
      'for sample_id, path in samples:',
      `    urllib.request.urlopen(urllib.request.Request(os.environ["COVETON_BASE_URL"] + "/__mock/reset", method="POST", headers={"${RESET_HEADER}": "1"})).read()`,
      '    code = 0',
      '    try:',
      '        exec(compile(open(path).read(), path, "exec"), {"__name__": "__main__"})',
      '    except SystemExit as done:',
      '        code = done.code if isinstance(done.code, int) else 1',
      '    except Exception as error:',
      '        print(repr(error))',
      '        code = 99',
      `    print("\\n${MARK}", sample_id, code, flush=True)`,
    ].join('\n'),
  );
  return launcher('python3', ['launcher.py'], ctx);
}

async function ruby(samples: Sample[], ctx: RunContext) {
  const files = samples.map((s) => [s.id, join(ctx.dir, `${s.id}.rb`)]);
  samples.forEach((s, i) => writeFileSync(files[i]![1]!, s.code));
  writeFileSync(
    join(ctx.dir, 'launcher.rb'),
    [
      "require 'net/http'",
      '$stdout.sync = true',
      `${JSON.stringify(files)}.each do |id, path|`,
      "  reset = URI(ENV['COVETON_BASE_URL'] + '/__mock/reset')",
      `  Net::HTTP.start(reset.host, reset.port) { |http| http.request(Net::HTTP::Post.new(reset, '${RESET_HEADER}' => '1')) }`,
      '  code = 0',
      '  begin',
      '    load(path, true)',
      '  rescue SystemExit => done',
      '    code = done.status',
      '  rescue StandardError => error',
      '    puts error.inspect',
      '    code = 99',
      '  end',
      `  puts "\\n${MARK} #{id} #{code}"`,
      'end',
    ].join('\n'),
  );
  return launcher('ruby', ['launcher.rb'], ctx);
}

async function typescript(samples: Sample[], ctx: RunContext) {
  const files = samples.map((s) => {
    const file = join(ctx.dir, `${s.id}.ts`);
    writeFileSync(file, `${s.code.replace(/from '@coveton\/sdk'/g, `from ${JSON.stringify(ctx.sdkEntry)}`)}\nexport {};\n`);
    return [s.id, file];
  });
  writeFileSync(join(ctx.dir, 'launcher.mjs'), nodeLauncher(files));
  // ES modules (top-level await), as in a project with "type": "module"; tsx comes from the repo.
  writeFileSync(join(ctx.dir, 'package.json'), '{ "type": "module" }\n');
  return launcher(process.execPath, ['--import', 'tsx', join(ctx.dir, 'launcher.mjs')], ctx, ctx.sdkRoot);
}

async function go(samples: Sample[], ctx: RunContext) {
  // One package: each sample's main and helpers get the sample's index as a suffix.
  const imports = new Set<string>();
  const bodies = samples.map((s, i) => {
    const [, block, rest] = /^[\s\S]*?import \(\n([\s\S]*?)\n\)\n([\s\S]*)$/.exec(s.code)!;
    for (const line of block!.split('\n')) imports.add(line.trim());
    return rest!.replace(/\bfunc main\(\)/, `func main${i}()`).replace(/\bnewKey\(/g, `newKey${i}(`);
  });
  const cases = samples.map((_, i) => `\tcase "${i}":\n\t\tmain${i}()`).join('\n');
  writeFileSync(join(ctx.dir, 'main.go'), `package main\n\nimport (\n\t${[...imports].join('\n\t')}\n)\n\n${bodies.join('\n')}\nfunc main() {\n\tswitch os.Args[1] {\n${cases}\n\t}\n}\n`);
  writeFileSync(join(ctx.dir, 'go.mod'), 'module samples\n\ngo 1.16\n');
  await run('go', ['build', '-o', 'samples', '.'], { cwd: ctx.dir });
  const results = new Map<string, Outcome>();
  for (const [i, s] of samples.entries()) {
    await ctx.reset();
    results.set(s.id, await spawnOnce(join(ctx.dir, 'samples'), [String(i)], ctx));
  }
  return results;
}

/**
 * Short-lived JVMs (javac in source-file mode, kotlinc, the launchers) spend most of their CPU in
 * the optimising JIT and the parallel collector, neither of which pays off in seconds: C1 only
 * and the serial collector halved kotlinc's CPU time here (13.3 s to 5.6 s of user time).
 */
const JVM_FLAGS = ['-XX:TieredStopAtLevel=1', '-XX:+UseSerialGC'];

/** Java and Kotlin launchers reset the mock with the JDK's client. */
const JVM_RESET = `HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create(System.getenv("COVETON_BASE_URL") + "/__mock/reset")).POST(HttpRequest.BodyPublishers.noBody()).header("${RESET_HEADER}", "1").build(), HttpResponse.BodyHandlers.discarding())`;

async function java(samples: Sample[], ctx: RunContext) {
  const imports = new Set<string>(['import java.net.URI;', 'import java.net.http.HttpClient;', 'import java.net.http.HttpRequest;', 'import java.net.http.HttpResponse;']);
  const classes = samples.map((s) => {
    const lines = s.code.split('\n').filter((line) => !(line.startsWith('import ') && imports.add(line)));
    return lines.join('\n').replace(/^public class /m, 'class ').replace(/System\.exit\(1\);/g, 'throw new SampleExit();');
  });
  const calls = samples.map((s, i) => `    run("${s.id}", () -> ${/^class (\w+)/m.exec(classes[i]!)![1]}.main(args));`);
  const source = [
    ...imports,
    '',
    'public class Launcher {',
    '  interface Body { void call() throws Exception; }',
    '  static void run(String id, Body body) throws Exception {',
    `    ${JVM_RESET};`,
    '    int code = 0;',
    '    try { body.call(); } catch (SampleExit e) { code = 1; } catch (Exception e) { System.out.println(e); code = 99; }',
    `    System.out.println("\\n${MARK} " + id + " " + code);`,
    '  }',
    '  public static void main(String[] args) throws Exception {',
    ...calls,
    '  }',
    '}',
    'class SampleExit extends RuntimeException {}',
    ...classes,
  ].join('\n');
  writeFileSync(join(ctx.dir, 'Launcher.java'), source);
  return launcher('java', [...JVM_FLAGS, 'Launcher.java'], ctx);
}

async function kotlin(samples: Sample[], ctx: RunContext) {
  // One file (kotlinc's start-up is the cost): imports hoisted, each `main` numbered.
  const imports = new Set<string>(['import java.net.URI', 'import java.net.http.HttpClient', 'import java.net.http.HttpRequest', 'import java.net.http.HttpResponse']);
  const bodies = samples.map((s, i) =>
    s.code
      .split('\n')
      .filter((line) => !(line.startsWith('import ') && imports.add(line)))
      .join('\n')
      .replace(/^fun main\(\)/m, `fun main${i}()`)
      .replace(/exitProcess\(1\)/g, 'throw SampleExit()'),
  );
  const calls = samples.map((s, i) => `    run("${s.id}") { main${i}() }`);
  writeFileSync(
    join(ctx.dir, 'Samples.kt'),
    [
      ...imports,
      'class SampleExit : RuntimeException()',
      'fun run(id: String, body: () -> Unit) {',
      `    ${JVM_RESET}`,
      '    var code = 0',
      '    try { body() } catch (e: SampleExit) { code = 1 } catch (e: Exception) { println(e); code = 99 }',
      `    println("\\n${MARK} " + id + " " + code)`,
      '}',
      'fun main() {',
      ...calls,
      '}',
      ...bodies,
    ].join('\n'),
  );
  // kotlinc takes seconds of CPU even so: the jar is kept, keyed on the source, for the next run.
  const source = readFileSync(join(ctx.dir, 'Samples.kt'));
  const jar = join(ctx.cacheDir, `kotlin-${createHash('sha256').update(source).digest('hex').slice(0, 16)}.jar`);
  if (!existsSync(jar)) {
    mkdirSync(ctx.cacheDir, { recursive: true });
    await run('kotlinc', [...JVM_FLAGS.map((flag) => `-J${flag}`), join(ctx.dir, 'Samples.kt'), '-d', join(ctx.dir, 'kotlin.jar')], { cwd: ctx.dir, maxBuffer: 16 << 20 });
    for (const old of readdirSync(ctx.cacheDir)) if (old.startsWith('kotlin-')) rmSync(join(ctx.cacheDir, old));
    copyFileSync(join(ctx.dir, 'kotlin.jar'), jar);
  }
  return launcher('java', [...JVM_FLAGS, '-cp', `${jar}:/usr/share/java/kotlin-stdlib.jar`, 'SamplesKt'], ctx);
}

async function csharp(samples: Sample[], ctx: RunContext) {
  const files = samples.map((s, i) => {
    const file = join(ctx.dir, `S${i}.cs`);
    writeFileSync(file, s.code);
    return file;
  });
  const calls = samples.map((s) => `        Run("${s.id}", ${/^public class (\w+)/m.exec(s.code)![1]}.Main);`);
  writeFileSync(
    join(ctx.dir, 'Launcher.cs'),
    [
      'using System;',
      'using System.Net.Http;',
      'public static class Launcher',
      '{',
      '    static void Run(string id, Func<int> body)',
      '    {',
      '        var reset = new HttpRequestMessage(HttpMethod.Post, Environment.GetEnvironmentVariable("COVETON_BASE_URL") + "/__mock/reset");',
      `        reset.Headers.Add("${RESET_HEADER}", "1");`,
      '        new HttpClient().SendAsync(reset).GetAwaiter().GetResult();',
      '        int code;',
      '        try { code = body(); } catch (Exception e) { Console.WriteLine(e.Message); code = 99; }',
      `        Console.WriteLine("\\n${MARK} " + id + " " + code);`,
      '    }',
      '    public static int Main()',
      '    {',
      ...calls,
      '        return 0;',
      '    }',
      '}',
    ].join('\n'),
  );
  await run('mcs', ['-r:System.Net.Http', '-main:Launcher', `-out:${join(ctx.dir, 'samples.exe')}`, join(ctx.dir, 'Launcher.cs'), ...files], { cwd: ctx.dir, maxBuffer: 16 << 20 });
  return launcher('mono', [join(ctx.dir, 'samples.exe')], ctx);
}

/** The languages run here, with the command whose presence decides whether they can be. */
export const RUNNERS: Record<string, { tool: string; run: (samples: Sample[], ctx: RunContext) => Promise<Map<string, Outcome>> }> = {
  curl: { tool: 'curl', run: curl },
  javascript: { tool: 'node', run: javascript },
  typescript: { tool: 'node', run: typescript },
  python: { tool: 'python3', run: python },
  php: { tool: 'php', run: php },
  ruby: { tool: 'ruby', run: ruby },
  go: { tool: 'go', run: go },
  java: { tool: 'java', run: java },
  csharp: { tool: 'mcs', run: csharp },
  kotlin: { tool: 'kotlinc', run: kotlin },
};
