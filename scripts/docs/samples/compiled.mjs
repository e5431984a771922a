// The samples in compiled languages, each a complete program with its entry point: Go and Java
// (standard library only), C# (HttpClient), Kotlin (the JDK's java.net.http), Rust (reqwest's
// blocking client) and Swift (URLSession with async/await). Each prints the response body and
// exits with 1 when the status is 400 or more; redirects are not followed.
import { ENV, headerList, indentRest, needsLine } from './request.mjs';

const dq = (text) => JSON.stringify(text);
/** A Kotlin string literal: `$` would start a template. */
const kq = (text) => dq(text).replace(/\$/g, () => '\\$');

/** Go: a raw string where it can be one, else a quoted one. */
const goString = (text) => (text.includes('`') ? dq(text) : `\`${text}\``);

export function go(req) {
  const sets = headerList(req).map(([name, kind, value]) => {
    if (kind === 'key') return `\treq.Header.Set("Authorization", "Bearer "+os.Getenv("${ENV.key}"))`;
    if (kind === 'uuid') return '\treq.Header.Set("Idempotency-Key", newKey())';
    return `\treq.Header.Set(${dq(name)}, ${dq(value)})`;
  });
  const imports = [...(req.idempotent ? ['crypto/rand'] : []), 'fmt', 'io', 'net/http', 'os', ...(req.json !== undefined ? ['strings'] : [])];
  const lines = [
    needsLine('//', 'Go 1.16 or later; standard library only. Save as main.go, run `go run main.go`', req),
    'package main',
    '',
    'import (',
    ...imports.map((i) => `\t"${i}"`),
    ')',
    '',
    'func main() {',
    `\tbase := os.Getenv("${req.baseEnv}")`,
    '\tif base == "" {',
    `\t\tbase = "${req.baseDefault}"`,
    '\t}',
    `\treq, err := http.NewRequest("${req.method}", base+${dq(req.target)}, ${req.json !== undefined ? `strings.NewReader(${indentRest(goString(req.json), '')})` : 'nil'})`,
    '\tif err != nil {',
    '\t\tfmt.Fprintln(os.Stderr, err)',
    '\t\tos.Exit(1)',
    '\t}',
    ...sets,
    '\t// Report a redirect instead of following it.',
    '\tclient := &http.Client{CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}',
    '\tres, err := client.Do(req)',
    '\tif err != nil {',
    '\t\tfmt.Fprintln(os.Stderr, err)',
    '\t\tos.Exit(1)',
    '\t}',
    '\tdefer res.Body.Close()',
    '\tbody, err := io.ReadAll(res.Body)',
    '\tif err != nil {',
    '\t\tfmt.Fprintln(os.Stderr, err)',
    '\t\tos.Exit(1)',
    '\t}',
    '\tfmt.Println(string(body))',
    '\tif res.StatusCode >= 400 {',
    '\t\tos.Exit(1)',
    '\t}',
    '}',
  ];
  if (req.idempotent) {
    lines.push(
      '',
      '// newKey returns a random UUID v4 for the Idempotency-Key header.',
      'func newKey() string {',
      '\tb := make([]byte, 16)',
      '\tif _, err := rand.Read(b); err != nil {',
      '\t\tpanic(err)',
      '\t}',
      '\tb[6], b[8] = b[6]&0x0f|0x40, b[8]&0x3f|0x80',
      '\treturn fmt.Sprintf("%x-%x-%x-%x-%x", b[0:4], b[4:6], b[6:8], b[8:10], b[10:])',
      '}',
    );
  }
  return lines.join('\n');
}

/** A Java text block / Kotlin raw string body of JSON text. */
const javaTextBlock = (json) => `"""\n${json.replace(/\\/g, '\\\\').replace(/"""/g, '\\"""')}"""`;

/** The JDK client's builder calls (Java and Kotlin share java.net.http): headers, then the body. */
function jdkCalls(req, quote) {
  const headers = headerList(req).map(([name, kind, value]) => {
    if (kind === 'key') return `        .header("Authorization", "Bearer " + System.getenv("${ENV.key}"))`;
    if (kind === 'uuid') return '        .header("Idempotency-Key", UUID.randomUUID().toString())';
    return `        .header(${quote(name)}, ${quote(value)})`;
  });
  const publisher = req.json !== undefined ? 'HttpRequest.BodyPublishers.ofString(body)' : 'HttpRequest.BodyPublishers.noBody()';
  return { headers, publisher };
}

export function java(req) {
  const { headers, publisher } = jdkCalls(req, dq);
  return [
    needsLine('//', `Java 17 or later; standard library only. Save as ${req.name}.java, run \`java ${req.name}.java\``, req),
    'import java.net.URI;',
    'import java.net.http.HttpClient;',
    'import java.net.http.HttpRequest;',
    'import java.net.http.HttpResponse;',
    ...(req.idempotent ? ['import java.util.UUID;'] : []),
    '',
    `public class ${req.name} {`,
    '  public static void main(String[] args) throws Exception {',
    `    String base = System.getenv().getOrDefault("${req.baseEnv}", "${req.baseDefault}");`,
    ...(req.json !== undefined ? [`    String body = ${indentRest(javaTextBlock(req.json), '        ')};`] : []),
    `    HttpRequest request = HttpRequest.newBuilder(URI.create(base + ${dq(req.target)}))`,
    `        .method("${req.method}", ${publisher})`,
    ...headers,
    '        .build();',
    '    // HttpClient does not follow redirects unless told to.',
    '    HttpResponse<String> response = HttpClient.newHttpClient().send(request, HttpResponse.BodyHandlers.ofString());',
    '    System.out.println(response.body());',
    '    if (response.statusCode() >= 400) System.exit(1);',
    '  }',
    '}',
  ].join('\n');
}

export function kotlin(req) {
  const { headers, publisher } = jdkCalls(req, kq);
  return [
    needsLine('//', 'Kotlin 1.3 or later on Java 11 or later (java.net.http); no libraries. Run `kotlinc sample.kt -include-runtime -d sample.jar && java -jar sample.jar`', req),
    'import java.net.URI',
    'import java.net.http.HttpClient',
    'import java.net.http.HttpRequest',
    'import java.net.http.HttpResponse',
    ...(req.idempotent ? ['import java.util.UUID'] : []),
    'import kotlin.system.exitProcess',
    '',
    'fun main() {',
    `    val base = System.getenv("${req.baseEnv}") ?: "${req.baseDefault}"`,
    ...(req.json !== undefined ? [`    val body = """\n${req.json.replace(/\$/g, () => "${'$'}")}\n"""`] : []),
    `    val request = HttpRequest.newBuilder(URI.create(base + ${kq(req.target)}))`,
    `        .method("${req.method}", ${publisher})`,
    ...headers,
    '        .build()',
    '    val response = HttpClient.newHttpClient().send(request, HttpResponse.BodyHandlers.ofString())',
    '    println(response.body())',
    '    if (response.statusCode() >= 400) exitProcess(1)',
    '}',
  ].join('\n');
}

export function csharp(req) {
  const headers = headerList(req).flatMap(([name, kind, value]) => {
    if (name === 'Content-Type') return [];
    if (kind === 'key') return [`        request.Headers.TryAddWithoutValidation("Authorization", "Bearer " + Environment.GetEnvironmentVariable("${ENV.key}"));`];
    if (kind === 'uuid') return ['        request.Headers.Add("Idempotency-Key", Guid.NewGuid().ToString());'];
    return [`        request.Headers.TryAddWithoutValidation(${dq(name)}, ${dq(value)});`];
  });
  const body = req.json !== undefined ? [`        request.Content = new StringContent(@"${req.json.replace(/"/g, '""')}", Encoding.UTF8, "application/json");`] : [];
  return [
    needsLine('//', '.NET 6 or later (`dotnet run`) or Mono (`mcs sample.cs && mono sample.exe`); no packages', req),
    'using System;',
    'using System.Net.Http;',
    ...(req.json !== undefined ? ['using System.Text;'] : []),
    '',
    `public class ${req.name}`,
    '{',
    // A synchronous Main: it runs on .NET and on Mono's compiler alike.
    '    public static int Main()',
    '    {',
    `        var baseUrl = Environment.GetEnvironmentVariable("${req.baseEnv}") ?? "${req.baseDefault}";`,
    '        var client = new HttpClient(new HttpClientHandler { AllowAutoRedirect = false });',
    `        var request = new HttpRequestMessage(new HttpMethod("${req.method}"), baseUrl + ${dq(req.target)});`,
    ...headers,
    ...body.map((line) => indentRest(line, '')),
    '        var response = client.SendAsync(request).GetAwaiter().GetResult();',
    '        Console.WriteLine(response.Content.ReadAsStringAsync().GetAwaiter().GetResult());',
    '        return (int)response.StatusCode >= 400 ? 1 : 0;',
    '    }',
    '}',
  ].join('\n');
}

export function rust(req) {
  const hashes = '#'.repeat(1 + Math.max(0, ...[...(req.json ?? '').matchAll(/"(#*)/g)].map((m) => m[1].length)));
  const calls = headerList(req).map(([name, kind, value]) => {
    if (kind === 'key') return `        .bearer_auth(env::var("${ENV.key}").unwrap_or_default())`;
    if (kind === 'uuid') return '        .header("Idempotency-Key", Uuid::new_v4().to_string())';
    return `        .header(${dq(name)}, ${dq(value)})`;
  });
  if (req.json !== undefined) calls.push(`        .body(r${hashes}"${req.json}"${hashes})`);
  return [
    needsLine('//', 'Rust 2021 and, in Cargo.toml, reqwest = { version = "0.12", features = ["blocking"] }' + (req.idempotent ? ' and uuid = { version = "1", features = ["v4"] }' : '') + '. Run `cargo run`', req),
    'use std::env;',
    'use std::process::exit;',
    ...(req.idempotent ? ['use uuid::Uuid;'] : []),
    '',
    'fn main() -> Result<(), Box<dyn std::error::Error>> {',
    `    let base = env::var("${req.baseEnv}").unwrap_or_else(|_| "${req.baseDefault}".to_string());`,
    '    let client = reqwest::blocking::Client::builder()',
    '        .redirect(reqwest::redirect::Policy::none())',
    '        .build()?;',
    '    let response = client',
    `        .request(reqwest::Method::${req.method}, format!("{}${req.target.replace(/[{}]/g, '$&$&')}", base))`,
    ...calls,
    '        .send()?;',
    '    let status = response.status();',
    '    println!("{}", response.text()?);',
    '    if status.as_u16() >= 400 {',
    '        exit(1);',
    '    }',
    '    Ok(())',
    '}',
  ].join('\n');
}

export function swift(req) {
  const sets = headerList(req).map(([name, kind, value]) => {
    if (kind === 'key') return `request.setValue("Bearer " + (environment["${ENV.key}"] ?? ""), forHTTPHeaderField: "Authorization")`;
    if (kind === 'uuid') return 'request.setValue(UUID().uuidString, forHTTPHeaderField: "Idempotency-Key")';
    return `request.setValue(${dq(value)}, forHTTPHeaderField: ${dq(name)})`;
  });
  return [
    needsLine('//', 'Swift 5.7 or later with Foundation (macOS 12 or later, or Linux); no packages. Save as main.swift, run `swift main.swift`', req),
    'import Foundation',
    '#if canImport(FoundationNetworking)',
    'import FoundationNetworking',
    '#endif',
    '',
    'let environment = ProcessInfo.processInfo.environment',
    `let base = environment["${req.baseEnv}"] ?? "${req.baseDefault}"`,
    `var request = URLRequest(url: URL(string: base + ${dq(req.target)})!)`,
    `request.httpMethod = "${req.method}"`,
    ...sets,
    ...(req.json !== undefined ? ['request.httpBody = Data("""', req.json.replace(/\\/g, '\\\\'), '""".utf8)'] : []),
    '// Top-level await: the program waits for the answer before it ends.',
    'let (data, response) = try await URLSession.shared.data(for: request)',
    'print(String(decoding: data, as: UTF8.self))',
    'if let http = response as? HTTPURLResponse, http.statusCode >= 400 {',
    '    exit(1)',
    '}',
  ].join('\n');
}
