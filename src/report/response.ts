import { compactJsonBytes } from './json.ts';
import type { OmittedSections, Report } from './types.ts';

/** Lambda refuses a function's response above 6 MB: the invoke fails and the audit's result is lost. */
export const LAMBDA_RESPONSE_LIMIT_BYTES = 6 * 1024 * 1024;

/** Dropped first to last: the inventory as audited, the biggest and least needed part of a big response. */
const DROPPABLE = ['issuers', 'providers', 'clusters', 'accounts'] as const;
// Counts no report reaches, to size the most that `omitted` can add.
const LARGEST_SECTIONS = { issuers: 1e9, providers: 1e9, clusters: 1e9, accounts: 1e9, findings: 1e9 };

export interface FittedReport {
  report: Report;
  /** Compact JSON bytes of the full report. */
  fullBytes: number;
  /** Compact JSON bytes of what is returned. */
  bytes: number;
}

/**
 * The report as the Lambda can return it. Under the limit, unchanged. Over it, the inventory sections are
 * emptied (issuers first) until it fits, and if the findings alone are too many, the least severe of them are
 * left out too (they come most severe first). `omitted` says what is missing and how to get all of it;
 * `summary` always counts the whole audit. Alerts and metrics are sent from the full report regardless.
 */
export function fitLambdaResponse(report: Report, limitBytes = LAMBDA_RESPONSE_LIMIT_BYTES): FittedReport {
  const fullBytes = compactJsonBytes({ ...report });
  if (fullBytes <= limitBytes) return { report, fullBytes, bytes: fullBytes };

  const reason =
    `the full report (${fullBytes} bytes of JSON) is over the ${limitBytes}-byte Lambda response limit; ` +
    'for all of it run the CLI with --output FILE, or invoke over fewer accounts or regions';
  const sections: OmittedSections['sections'] = {};
  let fitted: Report = { ...report };
  let bytes = fullBytes;
  // Room for `omitted` itself, at its largest (and the comma before it).
  const budget =
    limitBytes - Buffer.byteLength(JSON.stringify({ omitted: { reason, sections: LARGEST_SECTIONS } }));
  for (const key of DROPPABLE) {
    if (bytes <= budget) break;
    const items = fitted[key].length;
    if (items === 0) continue;
    bytes -= compactJsonBytes({ [key]: fitted[key] }) - compactJsonBytes({ [key]: [] });
    sections[key] = items;
    fitted = { ...fitted, [key]: [] };
  }
  if (bytes > budget) {
    // Keep the most severe findings that fit; each costs its JSON and a comma.
    const { findings } = fitted;
    let rest = bytes - compactJsonBytes({ findings }) + compactJsonBytes({ findings: [] });
    let kept = 0;
    for (const finding of findings) {
      const cost = Buffer.byteLength(JSON.stringify(finding)) + 1;
      if (rest + cost > budget) break;
      rest += cost;
      kept++;
    }
    sections.findings = findings.length - kept;
    fitted = { ...fitted, findings: findings.slice(0, kept) };
  }
  fitted.omitted = { reason, sections };
  return { report: fitted, fullBytes, bytes: compactJsonBytes({ ...fitted }) };
}
