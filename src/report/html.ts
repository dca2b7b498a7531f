// The report as one self-contained HTML page a person opens in a browser: no script, no network, no external
// asset, so it can be mailed, archived or opened offline. What the run could not see comes first, then the
// findings by severity and account with their fixes, each cluster's reach, and the CA-expiry timeline.
// Every value comes from AWS, issuers or policies: each goes through escapeHtml, and nothing is written raw.

import { type Finding, SEVERITIES } from '../model/finding.ts';
import { accountLabel } from './account-label.ts';
import { daysToCaExpiryByHost } from './ca-expiry.ts';
import type { Report } from './types.ts';

export function escapeHtml(text: string): string {
  return text
    .replaceAll('&', '&amp;')
    .replaceAll('<', '&lt;')
    .replaceAll('>', '&gt;')
    .replaceAll('"', '&quot;')
    .replaceAll("'", '&#39;');
}

const e = escapeHtml;

const STYLE = `
body{font:14px/1.45 system-ui,sans-serif;margin:2rem;color:#1d1d1f;max-width:72rem}
h1{font-size:1.5rem;margin:0 0 .25rem}h2{font-size:1.15rem;margin:2rem 0 .5rem;border-bottom:1px solid #ddd}
h3{font-size:1rem;margin:1rem 0 .25rem}.muted{color:#666}.blind{background:#fff4e5;border-left:4px solid #e67e22;padding:.5rem 1rem}
table{border-collapse:collapse;margin:.5rem 0}td,th{border:1px solid #ddd;padding:.25rem .5rem;text-align:left;vertical-align:top}
.counts span{display:inline-block;margin-right:1rem;padding:.2rem .6rem;border-radius:.3rem;background:#eee}
.critical{background:#d62728!important;color:#fff}.high{background:#ff7f0e!important}.medium{background:#bcbd22!important}
.low{background:#aec7e8!important}.info{background:#ddd!important}
.finding{margin:.5rem 0 1rem;padding-left:.75rem;border-left:3px solid #ccc}pre{white-space:pre-wrap;background:#f6f6f6;padding:.5rem;margin:.25rem 0}
.bar{display:inline-block;height:.8rem;background:#1f77b4;vertical-align:middle}.bar.soon{background:#ff7f0e}.bar.gone{background:#d62728}
`;

function account(report: Report, id: string): string {
  return id === '' ? 'the audit scope' : accountLabel(report.scope.accountNames, id);
}

function findingBlock(finding: Finding): string {
  const where = [finding.region ?? 'global', finding.cluster ?? finding.resource].map(e).join(' / ');
  const muted = finding.muted
    ? `<div class="muted">muted (entry #${finding.muted.entry}): ${e(finding.muted.reason)}${finding.muted.expires ? ` until ${e(finding.muted.expires)}` : ''}</div>`
    : '';
  return `<div class="finding"><strong>${e(finding.check)}</strong> <span class="muted">${where}</span>
<div>${e(finding.message)}</div>${muted}<pre>${e(finding.remediation)}</pre></div>`;
}

/** The findings under a heading per account, accounts in order of their first finding. */
function* byAccount(report: Report, findings: Finding[]): Generator<string> {
  for (const [id, group] of Map.groupBy(findings, (f) => f.accountId)) {
    yield `<h3>Account ${e(account(report, id))}</h3>`;
    for (const [index, finding] of group.entries())
      yield `${index === 0 ? '' : '\n'}${findingBlock(finding)}`;
    yield '\n';
  }
}

function blindSpots(report: Report): string {
  const { coverage } = report.summary;
  const errors = report.findings.filter((f) => f.check === 'audit-error' && !f.muted);
  if (coverage.percent >= 100 && coverage.blindAccounts.length === 0 && errors.length === 0) {
    return '<h2>What the audit could not see</h2><p>Nothing: every account and region in scope was read.</p>';
  }
  const blind = coverage.blindAccounts.map((id) => e(account(report, id))).join(', ');
  return `<h2>What the audit could not see</h2><div class="blind"><p>Coverage ${coverage.percent}% (${coverage.pairsAudited} of ${coverage.pairsInScope} account × region pairs).${blind ? ` Could not read at all: ${blind}.` : ''}</p>
<ul>${errors.map((f) => `<li>${e(account(report, f.accountId))}: ${e(f.message)}</li>`).join('')}</ul></div>`;
}

function* reach(report: Report): Generator<string> {
  const heading = '<h2>Who can reach which role</h2>';
  if (!report.clusters.some((cluster) => cluster.assumableRoles.length > 0)) {
    yield `${heading}<p>No cluster reaches a role.</p>`;
    return;
  }
  yield `${heading}<table><tr><th>cluster</th><th>role</th><th>via</th><th>as</th><th>breadth</th></tr>`;
  for (const cluster of report.clusters) {
    for (const role of cluster.assumableRoles) {
      yield `<tr><td>${e(cluster.name)}<br><span class="muted">${e(account(report, cluster.accountId))} ${e(cluster.region)}</span></td>` +
        `<td>${e(role.roleArn)}</td><td>${e(role.via)}${role.sessionPolicy ? `<br><span class="muted">session policy:</span> <code>${e(role.sessionPolicy)}</code>` : ''}</td><td>${role.subjects.map(e).join('<br>')}</td><td>${e(role.breadth)}</td></tr>`;
    }
  }
  yield '</table>';
}

function caTimeline(report: Report): string {
  const days = [...daysToCaExpiryByHost(report)].sort(([, a], [, b]) => a - b);
  if (days.length === 0) return '<h2>CA expiry</h2><p>No issuer chain was read.</p>';
  const longest = Math.max(...days.map(([, d]) => Math.abs(d)), 1);
  const rows = days.map(([host, d]) => {
    const kind = d < 0 ? 'gone' : d < 180 ? 'soon' : '';
    const width = Math.max(2, Math.round((Math.abs(d) / longest) * 400));
    return `<tr><td>${e(host)}</td><td>${d < 0 ? `expired ${-d} days ago` : `${d} days`}</td><td><span class="bar ${kind}" style="width:${width}px"></span></td></tr>`;
  });
  return `<h2>CA expiry</h2><table><tr><th>issuer host</th><th>earliest CA expiry</th><th></th></tr>${rows.join('')}</table>`;
}

/**
 * The page a piece at a time, a finding or a table row each: an organization of 10,000 accounts has hundreds of
 * thousands of them, more than one string may hold (src/text/chunked-output.ts).
 */
export function* htmlChunks(report: Report): Generator<string> {
  const s = report.summary;
  const shown = report.findings.filter((f) => !f.muted);
  const muted = report.findings.filter((f) => f.muted);
  yield `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width,initial-scale=1">
<meta http-equiv="Content-Security-Policy" content="default-src 'none'; style-src 'unsafe-inline'">
<title>EKS OIDC audit ${e(report.finishedAt)}</title><style>${STYLE}</style></head><body>
<h1>EKS OIDC audit</h1>
<p class="muted">${e(report.trigger)} run, ${e(report.startedAt)} to ${e(report.finishedAt)}: ${s.accounts} accounts, ${s.regions} regions, ${s.clusters} clusters, ${s.providers} providers, ${s.roles} roles</p>
<p class="counts">${SEVERITIES.map((sev) => `<span class="${sev}">${sev} ${s.findings[sev]}</span>`).join('')}<span>audit errors ${s.errors}</span>${s.muted !== undefined ? `<span>muted ${s.muted}</span>` : ''}</p>
${blindSpots(report)}
`;
  if (shown.length === 0) yield '<h2>Findings</h2><p>No findings.</p>';
  const bySeverity = Map.groupBy(shown, (f) => f.severity);
  for (const severity of SEVERITIES) {
    const group = bySeverity.get(severity);
    if (!group) continue;
    yield `<h2>${severity.toUpperCase()} (${group.length})</h2>`;
    yield* byAccount(report, group);
  }
  yield '\n';
  if (muted.length > 0) {
    yield `<h2>Muted (${muted.length}): accepted risks</h2>`;
    yield* byAccount(report, muted);
  }
  yield '\n';
  yield* reach(report);
  yield `\n${caTimeline(report)}\n</body></html>\n`;
}
