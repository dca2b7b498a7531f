// The report as one self-contained HTML page a person opens in a browser: no network, no external asset, so it
// can be mailed, archived or opened offline; its one script (filter and search) is admitted by its hash
// (html-assets.ts). What the run could not see comes first, then an overview by account and by check, then the
// findings by severity and account with their fixes, each cluster's reach, and the CA-expiry timeline. It reads
// on a phone as on a desk: long ARNs wrap, a fix scrolls inside its own block and never breaks a token.
// Every value comes from AWS, issuers or policies: each goes through escapeHtml, and nothing is written raw.

import { type Finding, SEVERITIES } from '../model/finding.ts';
import { accountLabel } from './account-label.ts';
import { daysToCaExpiryByHost } from './ca-expiry.ts';
import { filterNote } from './filter.ts';
import { CSP, SCRIPT, STYLE } from './html-assets.ts';
import { type Overview, overviewOf, type SeverityCounts, total, worstFirst } from './html-overview.ts';
import { scopeCounts } from './scope-counts.ts';
import { checkDocsUrl, TOOL } from './tool.ts';
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

function account(report: Report, id: string): string {
  return id === '' ? 'the audit scope' : accountLabel(report.scope.accountNames, id);
}

function docsLink(check: string): string {
  return `<a href="${e(checkDocsUrl(check))}">docs</a>`;
}

function findingBlock(finding: Finding): string {
  const where = [finding.region ?? 'global', finding.cluster ?? finding.resource].map(e).join(' / ');
  const muted = finding.muted
    ? `<div class="muted">muted (entry #${finding.muted.entry}): ${e(finding.muted.reason)}${finding.muted.expires ? ` until ${e(finding.muted.expires)}` : ''}</div>`
    : '';
  const resource = finding.cluster ? `<div class="muted"><code>${e(finding.resource)}</code></div>` : '';
  const classes = `finding sev-${e(finding.severity)}${finding.muted ? ' is-muted' : ''}`;
  return `<article class="${classes}" data-severity="${e(finding.severity)}" data-account="${e(finding.accountId)}" data-check="${e(finding.check)}">
<header><span class="badge ${e(finding.severity)}">${e(finding.severity.toUpperCase())}</span> <strong>${e(finding.check)}</strong> ${docsLink(finding.check)} <span class="muted">${where}</span></header>
<div class="msg">${e(finding.message)}</div>${resource}${muted}<pre>${e(finding.remediation)}</pre></article>`;
}

/** The findings under a heading per account, accounts in order of their first finding. */
function* byAccount(report: Report, findings: Finding[]): Generator<string> {
  for (const [id, group] of Map.groupBy(findings, (f) => f.accountId)) {
    yield `<section class="group"><h3>Account ${e(account(report, id))}</h3>`;
    for (const [index, finding] of group.entries())
      yield `${index === 0 ? '' : '\n'}${findingBlock(finding)}`;
    yield '</section>\n';
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

/** The suppression file's chores, as the table lists them: entries past their date and entries matching nothing. */
function suppressionNotice(report: Report): string {
  const s = report.suppressions;
  if (!s) return '';
  const items = [
    ...s.expired.map(
      (entry) =>
        `<li>entry #${entry.entry}, expired ${e(entry.expires)} (mutes nothing any more): ${e(entry.reason)}</li>`,
    ),
    ...s.stale.map(
      (entry) => `<li>entry #${entry.entry}, matching nothing in this run: ${e(entry.reason)}</li>`,
    ),
  ];
  const head = `Suppressions ${e(s.source)}: ${s.entries} entr${s.entries === 1 ? 'y' : 'ies'}`;
  return items.length === 0
    ? `<p class="muted">${head}; every live entry muted something.</p>`
    : `<div class="notice"><p>${head}; ${s.expired.length} expired, ${s.stale.length} matching nothing:</p><ul>${items.join('')}</ul></div>`;
}

function filteredNotice(report: Report): string {
  const note = filterNote(report);
  return note
    ? `<p class="notice">${e(note)}: the counts above include them, the lists below do not.</p>`
    : '';
}

function countCells(counts: SeverityCounts): string {
  return (
    SEVERITIES.map((sev) => `<td class="n${counts[sev] === 0 ? ' zero' : ''}">${counts[sev]}</td>`).join('') +
    `<td class="n">${total(counts)}</td>`
  );
}

const COUNT_HEADINGS = `${SEVERITIES.map((sev) => `<th class="n"><span class="badge ${sev}">${sev}</span></th>`).join('')}<th class="n">total</th>`;

/** A row per account and per check: counters only, a row at a time. */
function* overviewTables(report: Report, overview: Overview): Generator<string> {
  yield '<h2>Overview</h2>';
  if (overview.byAccount.size === 0) {
    yield '<p>No open finding.</p>';
    return;
  }
  yield `<h3>Open findings by account and severity</h3><div class="scroll"><table><tr><th>account</th>${COUNT_HEADINGS}</tr>`;
  for (const [id, counts] of worstFirst(overview.byAccount))
    yield `\n<tr><td>${e(account(report, id))}</td>${countCells(counts)}</tr>`;
  yield `</table></div>\n<h3>Open findings by check</h3><div class="scroll"><table><tr><th>check</th>${COUNT_HEADINGS}</tr>`;
  for (const [check, counts] of worstFirst(overview.byCheck))
    yield `\n<tr><td>${e(check)} ${docsLink(check)}</td>${countCells(counts)}</tr>`;
  yield '</table></div>\n';
}

/** The filter form; the options are the accounts and checks that have findings, an option at a time. */
function* filterForm(report: Report, findings: readonly Finding[]): Generator<string> {
  yield `<form id="filters" role="search"><label>severity<select name="severity"><option value="">any</option>${SEVERITIES.map((sev) => `<option value="${sev}">${sev}</option>`).join('')}</select></label>`;
  yield '<label>account<select name="account"><option value="">any</option>';
  const accounts = new Set<string>();
  const checks = new Set<string>();
  for (const finding of findings) {
    accounts.add(finding.accountId);
    checks.add(finding.check);
  }
  for (const id of accounts) yield `<option value="${e(id)}">${e(account(report, id))}</option>`;
  yield '</select></label><label>check<select name="check"><option value="">any</option>';
  for (const check of [...checks].sort()) yield `<option value="${e(check)}">${e(check)}</option>`;
  yield `</select></label><label>search<input name="text" type="search" placeholder="ARN, cluster, text…"></label><button type="reset">clear</button></form>
<p id="shown" class="muted" aria-live="polite">${findings.length} of ${findings.length} findings shown</p>\n`;
}

function* reach(report: Report): Generator<string> {
  const heading = '<h2>Who can reach which role</h2>';
  if (!report.clusters.some((cluster) => cluster.assumableRoles.length > 0)) {
    yield `${heading}<p>No cluster reaches a role.</p>`;
    return;
  }
  yield `${heading}<div class="scroll"><table><tr><th>cluster</th><th>role</th><th>via</th><th>as</th><th>breadth</th></tr>`;
  for (const cluster of report.clusters) {
    for (const role of cluster.assumableRoles) {
      yield `<tr><td>${e(cluster.name)}<br><span class="muted">${e(account(report, cluster.accountId))} ${e(cluster.region)}</span></td>` +
        `<td><code>${e(role.roleArn)}</code></td><td>${e(role.via)}${role.sessionPolicy ? `<br><span class="muted">session policy:</span> <code>${e(role.sessionPolicy)}</code>` : ''}</td><td>${role.subjects.map(e).join('<br>')}</td><td>${e(role.breadth)}</td></tr>`;
    }
  }
  yield '</table></div>';
}

function caTimeline(report: Report): string {
  const days = [...daysToCaExpiryByHost(report)].sort(([, a], [, b]) => a - b);
  if (days.length === 0) return '<h2>CA expiry</h2><p>No issuer chain was read.</p>';
  const longest = Math.max(...days.map(([, d]) => Math.abs(d)), 1);
  const rows = days.map(([host, d]) => {
    const kind = d < 0 ? 'gone' : d < 180 ? 'soon' : '';
    const percent = Math.max(1, Math.round((Math.abs(d) / longest) * 100));
    return `<tr><td>${e(host)}</td><td>${d < 0 ? `expired ${-d} days ago` : `${d} days`}</td><td class="bar-cell"><span class="bar ${kind}" style="width:${percent}%"></span></td></tr>`;
  });
  return `<h2>CA expiry</h2><div class="scroll"><table><tr><th>issuer host</th><th>earliest CA expiry</th><th></th></tr>${rows.join('')}</table></div>`;
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
<meta http-equiv="Content-Security-Policy" content="${CSP}">
<title>EKS OIDC audit ${e(report.finishedAt)}</title><style>${STYLE}</style></head><body>
<h1>EKS OIDC audit</h1>
<p class="muted">${TOOL.name} ${TOOL.version} · ${e(report.trigger)} run, ${e(report.startedAt)} to ${e(report.finishedAt)}</p>
<p>${e(scopeCounts(report))} · ${s.clusters} clusters, ${s.providers} providers, ${s.roles} roles</p>
<p class="counts">${SEVERITIES.map((sev) => `<span class="${sev}">${sev} ${s.findings[sev]}</span>`).join('')}<span>audit errors ${s.errors}</span>${s.muted !== undefined ? `<span>muted ${s.muted}</span>` : ''}</p>
${filteredNotice(report)}${suppressionNotice(report)}
${blindSpots(report)}
`;
  yield* overviewTables(report, overviewOf(report.findings));
  yield `<h2>Findings (${report.findings.length})</h2>`;
  if (report.findings.length === 0) yield '<p>No findings.</p>';
  else yield* filterForm(report, report.findings);
  const bySeverity = Map.groupBy(shown, (f) => f.severity);
  for (const severity of SEVERITIES) {
    const group = bySeverity.get(severity);
    if (!group) continue;
    yield `<section class="group"><h2><span class="badge ${severity}">${severity.toUpperCase()} (${group.length})</span></h2>`;
    yield* byAccount(report, group);
    yield '</section>\n';
  }
  if (muted.length > 0) {
    yield `<section class="group"><h2>Muted (${muted.length}): accepted risks</h2>`;
    yield* byAccount(report, muted);
    yield '</section>\n';
  }
  yield* reach(report);
  yield `\n${caTimeline(report)}\n<script>${SCRIPT}</script>\n</body></html>\n`;
}
