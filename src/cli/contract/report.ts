// The contract check's results: one JSON report (--json), or for people one table row per
// violation (operation, request, status, where, what broke) and a summary line.
import type { Output } from '../output.js';
import type { ProbeResult } from './check.js';
import type { Skipped } from './probes.js';

export interface ViolationEntry {
  operationId: string;
  method: string;
  path: string;
  status: number | null;
  severity: string;
  location: string;
  message: string;
}

export interface ContractReport {
  ok: boolean;
  target: string;
  prism: string;
  summary: { checked: number; conforming: number; withViolations: number; violations: number; unreachable: number; skipped: number };
  violations: ViolationEntry[];
  results: { operationId: string; method: string; path: string; status: number | null; outcome: 'conforms' | 'violations' | 'unreachable' | 'not_checked'; note?: string }[];
  skipped: { operationId: string; method: string; path: string; reason: string }[];
  probeProblems: { operationId: string; location: string; message: string }[];
}

function outcome(r: ProbeResult): ContractReport['results'][number]['outcome'] {
  if (r.violations.length > 0) return 'violations';
  if (r.unreachable !== undefined) return 'unreachable';
  if (r.status === undefined) return 'not_checked';
  return 'conforms';
}

export function reportJson(target: string, prism: string, results: ProbeResult[], skipped: Skipped[]): ContractReport {
  const violations = results.flatMap((r) =>
    r.violations.map((v) => ({
      operationId: r.probe.operationId,
      method: r.probe.method,
      path: r.path,
      status: r.status ?? null,
      severity: v.severity,
      location: v.location.join('.'),
      message: v.message,
    })),
  );
  const rows = results.map((r) => ({
    operationId: r.probe.operationId,
    method: r.probe.method,
    path: r.path,
    status: r.status ?? null,
    outcome: outcome(r),
    ...(r.unreachable !== undefined && { note: r.unreachable }),
    ...(r.probeProblems.length > 0 && r.status === undefined && { note: r.probeProblems.map((p) => p.message).join('; ') }),
  }));
  const count = (o: string) => rows.filter((r) => r.outcome === o).length;
  return {
    ok: violations.length === 0 && count('unreachable') === 0,
    target,
    prism,
    summary: {
      checked: results.length,
      conforming: count('conforms'),
      withViolations: count('violations'),
      violations: violations.length,
      unreachable: count('unreachable'),
      skipped: skipped.length,
    },
    violations,
    results: rows,
    skipped: skipped.map((s) => ({ operationId: s.operationId, method: s.method, path: s.template, reason: s.reason })),
    probeProblems: results.flatMap((r) =>
      r.probeProblems.map((p) => ({ operationId: r.probe.operationId, location: p.location.join('.'), message: p.message })),
    ),
  };
}

export function printReport(out: Output, report: ContractReport): void {
  out.info(`Contract check of ${report.target} against the bundled Coveton API spec (Prism ${report.prism} proxy).`);
  for (const s of report.skipped) out.info(`skipped ${s.operationId} (${s.method} ${s.path}): ${s.reason}`);
  for (const p of report.probeProblems) out.warn(`${p.operationId}: the probe itself was refused (${p.location}): ${p.message}`);
  for (const r of report.results.filter((r) => r.outcome === 'unreachable')) {
    out.error(`${r.operationId} (${r.method} ${r.path}): could not reach the target: ${r.note ?? ''}`);
  }
  if (report.violations.length > 0) {
    out.table(
      ['OPERATION', 'REQUEST', 'STATUS', 'WHERE', 'VIOLATION'],
      report.violations.map((v) => [v.operationId, `${v.method} ${v.path}`, v.status === null ? '-' : String(v.status), v.location, v.message]),
    );
  }
  const s = report.summary;
  out.line(
    `${report.ok ? 'OK' : 'FAILED'}: ${s.checked} operation${s.checked === 1 ? '' : 's'} checked, ${s.conforming} conform, ` +
      `${s.withViolations} with violations (${s.violations} violations), ${s.unreachable} unreachable, ${s.skipped} skipped.`,
  );
}
