// The check catalog (src/model/catalog.ts) as people read it: the README's check tables, docs/checks.md, and
// `eks-oidc-audit --list-checks`. Rendered, never written by hand, so they cannot drift from what the code does
// (check-list.ts renders the list; test/report/catalog.test.ts compares the files with this rendering; `npm run docs` rewrites them).

import { CATALOG, CHECK_IDS, type CheckDeclaration, type CheckId, type Family } from '../model/catalog.ts';
import { ISSUER_IDS, ISSUERS, type IssuerDeclaration, type Tenancy } from '../model/issuers.ts';

/** The README marks each generated table `<!-- checks: family family -->` … `<!-- /checks -->`. */
const BLOCK = /(<!-- checks: ([a-z -]+) -->\n)[\s\S]*?(<!-- \/checks -->)/g;

export interface CatalogEntry extends CheckDeclaration {
  id: CheckId;
}

export function catalogEntries(families?: readonly Family[]): CatalogEntry[] {
  return CHECK_IDS.map((id) => ({ id, ...CATALOG[id] })).filter(
    (entry) => families === undefined || families.includes(entry.family),
  );
}

export function severityText(entry: CatalogEntry): string {
  return entry.severities.join(' / ');
}

function cell(text: string): string {
  return text.replaceAll('|', '\\|').replaceAll('\n', ' ');
}

/** One markdown table for the checks of these families, each check linking to its section of docs/checks.md. */
export function checkTable(families: readonly Family[]): string {
  const rows = catalogEntries(families).map(
    (entry) =>
      `| [\`${entry.id}\`](docs/checks.md#${entry.id}) | ${severityText(entry)} | ${cell(entry.finds)} | ${cell(entry.symptom)} |`,
  );
  return [
    '| check | severity | what the auditor finds | what users see |',
    '|---|---|---|---|',
    ...rows,
  ].join('\n');
}

/** The README with every marked check table rendered anew from the catalog. */
export function renderReadmeTables(readme: string): string {
  return readme.replace(BLOCK, (_all, open: string, list: string, close: string) => {
    const families = list.trim().split(/\s+/) as Family[];
    return `${open}${checkTable(families)}\n${close}`;
  });
}

/** docs/checks.md: one section per check, anchored by its id. */
export function checksReference(): string {
  const sections = catalogEntries().map((entry) =>
    [
      `## ${entry.id}`,
      '',
      `- family: \`${entry.family}\` (\`src/checks/${entry.family}.ts\`)`,
      `- severity: ${entry.severityRule ?? severityText(entry)}`,
      `- fires when: ${entry.finds}`,
      `- what users see: ${entry.symptom}`,
      `- fix: ${entry.fix}`,
      `- resolved only when a run read: ${entry.dependsOn.map((read) => `\`${read}\``).join(', ')}`,
      `- why: [${entry.docs.replace(/^docs\//, '')}](${entry.docs.replace(/^docs\//, '')})`,
    ].join('\n'),
  );
  return [
    '# The checks',
    '',
    'Generated from the check catalog (`src/model/catalog.ts`) and the issuer table (`src/model/issuers.ts`) by',
    '`npm run docs`; edit those, not this file.',
    'Every finding names its check id, carries the symptom below with the real values, and the exact fix.',
    '',
    ...sections.flatMap((section) => [section, '']),
    ...issuersReference(),
  ].join('\n');
}

const TENANCY: Record<Tenancy, string> = {
  subject: 'one issuer for every tenant, told apart by the subject: an open subject is critical',
  audience: 'one issuer for every tenant, told apart by the audience: an open audience is critical',
  issuer: "the issuer URL is one tenant's: the widest trust is every workload of that tenant",
};

/** docs/checks.md's issuer sections: how the trust checks judge each issuer of the table. */
function issuersReference(): string[] {
  const sections = ISSUER_IDS.map((id) => {
    const issuer: IssuerDeclaration = ISSUERS[id];
    const keys = [issuer.subjectClaim, issuer.audienceClaim, ...issuer.otherClaims].map(
      (claim) => `\`${claim}\``,
    );
    return [
      `### Issuer: ${id}`,
      '',
      `- ${issuer.name}, recognised by ${issuer.recognisedBy}${issuer.builtIn ? '; built into STS: `"Principal": {"Federated": "<host>"}`' : ''}`,
      `- subject: ${issuer.grammar}`,
      `- condition keys (\`<issuer>:<claim>\`): ${keys.join(', ')}${issuer.audience ? `; audience for AWS: \`${issuer.audience}\`` : ''}`,
      `- tenancy: ${TENANCY[issuer.tenancy]}`,
      `- scoped: ${issuer.scoped}`,
      `- open to one tenant: ${issuer.tenantOpen}`,
      `- open to every tenant: ${issuer.worldOpen}`,
      ...(issuer.limits ? [`- limits: ${issuer.limits}`] : []),
      `- source: ${issuer.source}`,
    ].join('\n');
  });
  return [
    '## Issuers',
    '',
    'The trust checks (`trust-no-sub`, `trust-wildcard-sub`, `trust-no-aud`, `trust-unauthenticated`) take each',
    "issuer's grammar and severities from this table; an issuer not in it keeps the generic rules (its subjects",
    'opaque, `trust-no-sub` critical, `sub` = `*` high, a partial wildcard medium, `trust-no-aud` low).',
    '',
    "Oracle Cloud Infrastructure (IAM identity domains) is not in the table: AWS's January 2026 announcement that STS",
    'validates provider-specific claims names OCI beside GitHub, Google and CircleCI, but no AWS page the auditor could',
    'check says what its issuer URL, subject or condition keys are, so its trusts keep the generic rules. Of the keys',
    'that announcement added, the table holds the GitHub ones (as write-ups of it list them); Google keeps `oaud`, the',
    'older key of the IAM User Guide, and CircleCI none beyond `sub` and `aud` (docs/trust-policies.md, Issuers).',
    '',
    ...sections.flatMap((section) => [section, '']),
  ];
}

export function plain(markdown: string): string {
  return markdown.replaceAll('`', '');
}
