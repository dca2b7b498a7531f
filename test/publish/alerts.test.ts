// The pure part of alerting: which transitions a run alerts given what subscribers were told, and the digest
// that tells them, split within the SNS limits.
import { describe, expect, it } from 'vitest';
import { CATALOG } from '../../src/model/catalog.ts';
import type { Finding } from '../../src/model/finding.ts';
import { type AlertPolicy, planAlerts, type Transition } from '../../src/publish/alert-plan.ts';
import { ALERTED_FIELDS } from '../../src/publish/alerted-finding.ts';
import { DIGEST_TYPE } from '../../src/publish/digest-json.ts';
import { renderPart } from '../../src/publish/digest-message.ts';
import { SNS_MAX_BYTES, splitDigest } from '../../src/publish/digest-split.ts';
import type { StoredFinding } from '../../src/publish/state.ts';
import type { Report } from '../../src/report/types.ts';
import { ACCOUNT, aFinding, aReport, later, manyFindings, OTHER_ACCOUNT, REGION, T0 } from './support.ts';

const POLICY: AlertPolicy = { minSeverity: 'high', reminderDays: 7 };
const ALL_REGIONS = { now: T0 };
/** Both accounts in scope and entered: a cross-account trust depends on every account. */
const { scope: BOTH_SCOPE, accounts: BOTH_ENTERED } = aReport({ accounts: [ACCOUNT, OTHER_ACCOUNT] });
const CROSS: Partial<Finding> = { check: 'trust-cross-account', severity: 'high' };

/** What the store holds for a finding subscribers were told about at `notifiedAt`. */
function told(finding: Finding, fields: Partial<StoredFinding> = {}): StoredFinding {
  const { evidence: _e, ...rest } = finding;
  return {
    ...rest,
    status: 'open',
    notifiedAt: T0.toISOString(),
    openedAt: T0.toISOString(),
    observedAt: T0.toISOString(),
    version: 2,
    ...fields,
  };
}

const kinds = (transitions: Transition[]) => transitions.map((t) => `${t.kind} ${t.finding.id}`);

describe('planAlerts', () => {
  it('alerts new findings at or above the alert severity, and nothing else, on a first run', () => {
    // Prepare
    const critical = aFinding('critical');
    const high = aFinding('high', { severity: 'high' });
    const medium = aFinding('medium', { severity: 'medium' });

    // Act
    const plan = planAlerts(aReport({ findings: [medium, high, critical] }), [], POLICY, ALL_REGIONS);

    // Assess: digest order, worst first
    expect(kinds(plan.transitions)).toEqual([`new ${critical.id}`, `new ${high.id}`]);
    expect(plan.transitions[0]).toMatchObject({ expectedVersion: null, evidence: critical.evidence });
  });

  it('alerts nothing when subscribers already know every open finding', () => {
    // Prepare
    const finding = aFinding('app');

    // Act
    const plan = planAlerts(aReport({ findings: [finding], startedAt: later(1) }), [told(finding)], POLICY, {
      ...ALL_REGIONS,
      now: later(1),
    });

    // Assess
    expect(plan.transitions).toEqual([]);
    expect(plan.refreshes).toEqual([]);
  });

  it('resolves an alerted finding that is gone from an account and region the run audited', () => {
    // Prepare
    const gone = aFinding('fixed', { region: REGION });

    // Act
    const plan = planAlerts(aReport({ startedAt: later(1) }), [told(gone)], POLICY, {
      ...ALL_REGIONS,
      now: later(1),
    });

    // Assess: the resolution carries what was alerted, and since when it was open
    expect(plan.transitions).toEqual([
      expect.objectContaining({
        kind: 'resolved',
        finding: expect.objectContaining({ id: gone.id, message: gone.message }),
        expectedVersion: 2,
        openSince: T0.toISOString(),
      }),
    ]);
  });

  it('resolves with the alerted fields only, whatever else the state item holds', () => {
    // Prepare: an item with a field a later version of the state table might add
    const gone = aFinding('fixed', { region: REGION });
    const stored = { ...told(gone), deliveredBy: 'another version' } as StoredFinding;

    // Act
    const plan = planAlerts(aReport({ startedAt: later(1) }), [stored], POLICY, { now: later(1) });

    // Assess: nothing of the state reaches the digest
    expect(Object.keys(plan.transitions[0]?.finding ?? {})).toEqual([...ALERTED_FIELDS]);
  });

  it.each<[string, Partial<Finding>, Partial<Report>]>([
    ['its account was not in scope', { accountId: OTHER_ACCOUNT }, {}],
    [
      'its account could not be audited',
      {},
      {
        errors: [
          { accountId: ACCOUNT, region: null, stage: 'assume-role', code: 'AccessDenied', message: 'x' },
        ],
      },
    ],
    [
      'its region failed',
      { region: REGION, check: 'provider-missing' },
      { errors: [{ accountId: ACCOUNT, region: REGION, stage: 'eks', code: 'Throttling', message: 'x' }] },
    ],
    ['its region was not in scope', { region: 'eu-west-1', check: 'provider-missing' }, {}],
    [
      'the run could not list its scope',
      {},
      { errors: [{ accountId: null, region: null, stage: 'time budget', code: 'T', message: 'x' }] },
    ],
    [
      'it depends on every region of its account, and one failed (trust-unknown-provider: the cluster may be there)',
      { region: null, check: 'trust-unknown-provider' },
      { errors: [{ accountId: ACCOUNT, region: 'eu-west-1', stage: 'eks', code: 'T', message: 'x' }] },
    ],
    [
      "its account's roles could not be read (iam:ListRoles AccessDenied)",
      { region: null },
      {
        accounts: [
          {
            accountId: ACCOUNT,
            partition: 'aws',
            regionsAudited: [REGION],
            providersAudited: true,
            rolesAudited: false,
          },
        ],
        errors: [
          { accountId: ACCOUNT, region: null, stage: 'iam-roles', code: 'AccessDenied', message: 'x' },
        ],
      },
    ],
    [
      'it crosses accounts and an account in scope was not entered',
      { ...CROSS, region: null },
      { scope: BOTH_SCOPE },
    ],
    [
      'it crosses accounts and another account could not be audited',
      { ...CROSS, region: null },
      {
        scope: BOTH_SCOPE,
        accounts: BOTH_ENTERED,
        errors: [
          {
            accountId: OTHER_ACCOUNT,
            region: null,
            stage: 'assume-role',
            code: 'AccessDenied',
            message: 'x',
          },
        ],
      },
    ],
    [
      'it crosses accounts and its region failed in another account',
      { ...CROSS, region: REGION },
      {
        scope: BOTH_SCOPE,
        accounts: BOTH_ENTERED,
        errors: [{ accountId: OTHER_ACCOUNT, region: REGION, stage: 'eks', code: 'T', message: 'x' }],
      },
    ],
  ])('does not resolve a finding when %s', (_case, findingFields, run) => {
    // Prepare
    const gone = aFinding('unseen', findingFields);
    const report = { ...aReport({ startedAt: later(1) }), ...run };

    // Act
    const plan = planAlerts(report, [told(gone)], POLICY, { now: later(1) });

    // Assess: late rather than false
    expect(plan.transitions).toEqual([]);
    expect(plan.skipped.unobserved).toBe(1);
  });

  it.each<[string, Partial<Finding>, Partial<Report>]>([
    [
      'a role finding without a region, under a region filter (roles are read from IAM whatever the regions)',
      { region: null, check: 'trust-no-sub' },
      { scope: { accounts: [ACCOUNT], regions: ['us-east-1'] } },
    ],
    [
      'a role finding without a region while another region of its account failed',
      { region: null, check: 'trust-no-sub' },
      { errors: [{ accountId: ACCOUNT, region: 'eu-west-1', stage: 'eks', code: 'T', message: 'x' }] },
    ],
    [
      'a run-wide audit error that did not happen again',
      { accountId: '', region: null, check: 'audit-error', resource: 'audit:time budget (organization)' },
      {},
    ],
    [
      'a role finding while an issuer probe of another region ran out of time',
      { region: null, check: 'trust-wildcard-sub' },
      {
        errors: [
          {
            accountId: null,
            region: 'eu-west-1',
            stage: 'time budget (issuer probe)',
            code: 'T',
            message: 'x',
          },
        ],
      },
    ],
    [
      'a cross-account trust while every account was read, another account failing in another region',
      { ...CROSS, region: REGION },
      {
        scope: BOTH_SCOPE,
        accounts: BOTH_ENTERED,
        errors: [{ accountId: OTHER_ACCOUNT, region: 'eu-west-1', stage: 'eks', code: 'T', message: 'x' }],
      },
    ],
  ])('resolves %s', (_case, findingFields, run) => {
    // Prepare
    const gone = aFinding('fixed', findingFields);
    const report = { ...aReport({ startedAt: later(1) }), ...run };

    // Act
    const plan = planAlerts(report, [told(gone)], POLICY, { now: later(1) });

    // Assess
    expect(plan.transitions.map((t) => `${t.kind} ${t.finding.id}`)).toEqual([`resolved ${gone.id}`]);
  });

  it('resolves a thumbprint finding only when the run read its issuer chain, or its provider is gone', () => {
    // Prepare
    const provider = `arn:aws:iam::${ACCOUNT}:oidc-provider/oidc.eks.us-east-1.amazonaws.com/id/ABC`;
    const gone = aFinding('tp', { check: 'thumbprint-mismatch', resource: provider, region: REGION });
    const providers = [
      {
        accountId: ACCOUNT,
        arn: provider,
        url: 'oidc.eks.us-east-1.amazonaws.com/id/ABC',
        clientIds: [],
        thumbprints: [],
      },
    ];
    const chain = {
      host: 'oidc.eks.us-east-1.amazonaws.com',
      port: 443,
      protocol: 'TLSv1.2',
      presented: [],
      presentedExact: true,
      verified: [],
      publiclyTrusted: true,
    };
    const issuer = {
      issuer: 'https://oidc.eks.us-east-1.amazonaws.com/id/ABC',
      host: 'oidc.eks.us-east-1.amazonaws.com',
    };
    const context = { ...ALL_REGIONS, now: later(1) };

    // Act
    const unread = planAlerts(
      aReport({ startedAt: later(1), providers, issuers: [issuer] }),
      [told(gone)],
      POLICY,
      context,
    );
    const read = planAlerts(
      aReport({
        startedAt: later(1),
        providers,
        issuers: [{ ...issuer, tls: { host: issuer.host, port: 443, chain } }],
      }),
      [told(gone)],
      POLICY,
      context,
    );
    const deleted = planAlerts(aReport({ startedAt: later(1) }), [told(gone)], POLICY, context);

    // Assess
    expect(kinds(unread.transitions)).toEqual([]);
    expect(kinds(read.transitions)).toEqual([`resolved ${gone.id}`]);
    expect(kinds(deleted.transitions)).toEqual([`resolved ${gone.id}`]);
  });

  it.each([
    { answer: 'its discovery', issuer: { discovery: { issuer: 'x', jwksUri: 'x' } }, resolved: true },
    {
      answer: '404',
      issuer: { error: { stage: 'discovery', code: 'HTTP_404', message: '404' } },
      resolved: true,
    },
    {
      answer: 'a time-out',
      issuer: { error: { stage: 'tls', code: 'ETIMEDOUT', message: 't' } },
      resolved: false,
    },
  ])('resolves an orphaned provider when its issuer answered $answer: $resolved', ({ issuer, resolved }) => {
    // Prepare
    const url = 'oidc.eks.us-east-1.amazonaws.com/id/OLD';
    const provider = `arn:aws:iam::${ACCOUNT}:oidc-provider/${url}`;
    const gone = aFinding('orphan', { check: 'provider-orphaned', resource: provider, region: REGION });
    const providers = [{ accountId: ACCOUNT, arn: provider, url, clientIds: [], thumbprints: [] }];
    const probe = { issuer: `https://${url}`, host: 'oidc.eks.us-east-1.amazonaws.com', ...issuer };

    // Act
    const plan = planAlerts(
      aReport({ startedAt: later(1), providers, issuers: [probe as never] }),
      [told(gone)],
      { ...POLICY, minSeverity: 'info' },
      { ...ALL_REGIONS, now: later(1) },
    );

    // Assess
    expect(kinds(plan.transitions)).toEqual(resolved ? [`resolved ${gone.id}`] : []);
  });

  it('reminds of a finding still open once the reminder interval has passed since subscribers were told', () => {
    // Prepare
    const finding = aFinding('stale');
    const stored = [told(finding)];

    // Act
    const day6 = planAlerts(aReport({ findings: [finding], startedAt: later(6) }), stored, POLICY, {
      ...ALL_REGIONS,
      now: later(6.9),
    });
    const day7 = planAlerts(aReport({ findings: [finding], startedAt: later(7) }), stored, POLICY, {
      ...ALL_REGIONS,
      now: later(7),
    });
    const off = planAlerts(
      aReport({ findings: [finding], startedAt: later(30) }),
      stored,
      { ...POLICY, reminderDays: 0 },
      {
        ...ALL_REGIONS,
        now: later(30),
      },
    );

    // Assess
    expect(day6.transitions).toEqual([]);
    expect(day7.transitions).toEqual([
      expect.objectContaining({ kind: 'reminder', openSince: T0.toISOString() }),
    ]);
    expect(off.transitions).toEqual([]);
  });

  it('alerts a finding that comes back after a resolution as new again, saying so', () => {
    // Prepare
    const finding = aFinding('flapping');
    const stored = [
      told(finding, {
        status: 'resolved',
        resolvedAt: later(2).toISOString(),
        notifiedAt: later(2).toISOString(),
      }),
    ];

    // Act
    const plan = planAlerts(aReport({ findings: [finding], startedAt: later(3) }), stored, POLICY, {
      ...ALL_REGIONS,
      now: later(3),
    });

    // Assess
    expect(plan.transitions).toEqual([
      expect.objectContaining({ kind: 'new', reopenedAfter: later(2).toISOString(), expectedVersion: 2 }),
    ]);
  });

  it('leaves alone a finding another run is sending, but takes over an abandoned claim', () => {
    // Prepare: two findings claimed by a digest at T0; claims last 20 minutes
    const busy = aFinding('busy');
    const claim = {
      digestId: 'other',
      kind: 'new' as const,
      expiresAt: new Date(T0.getTime() + 20 * 60_000).toISOString(),
    };
    const stored = [told(busy, { status: 'unnotified', notifiedAt: undefined, claim })];
    const report = aReport({ findings: [busy] });

    // Act
    const during = planAlerts(report, stored, POLICY, {
      ...ALL_REGIONS,
      now: new Date(T0.getTime() + 60_000),
    });
    const after = planAlerts(report, stored, POLICY, {
      ...ALL_REGIONS,
      now: new Date(T0.getTime() + 21 * 60_000),
    });

    // Assess
    expect(during.transitions).toEqual([]);
    expect(during.skipped.busy).toBe(1);
    expect(after.transitions).toEqual([expect.objectContaining({ kind: 'new', expectedVersion: 2 })]);
  });

  it('never lets an older audit override what a newer one told subscribers', () => {
    // Prepare: a run that started at T0+1d resolved the finding; this run's audit started at T0 (slow)
    const finding = aFinding('raced');
    const stored = [
      told(finding, {
        status: 'resolved',
        observedAt: later(1).toISOString(),
        notifiedAt: later(1).toISOString(),
      }),
    ];

    // Act
    const plan = planAlerts(aReport({ findings: [finding], startedAt: T0 }), stored, POLICY, {
      ...ALL_REGIONS,
      now: later(1.1),
    });

    // Assess
    expect(plan.transitions).toEqual([]);
    expect(plan.skipped.newer).toBe(1);
  });

  it('stores a changed severity or text of an open finding silently', () => {
    // Prepare
    const finding = aFinding('changed', { severity: 'high', message: 'new wording' });

    // Act
    const plan = planAlerts(
      aReport({ findings: [finding], startedAt: later(1) }),
      [told({ ...finding, severity: 'critical', message: 'old' })],
      POLICY,
      {
        ...ALL_REGIONS,
        now: later(1),
      },
    );

    // Assess
    expect(plan.transitions).toEqual([]);
    expect(plan.refreshes).toEqual([
      { finding: expect.objectContaining({ severity: 'high', message: 'new wording' }), expectedVersion: 2 },
    ]);
  });

  it('gives a transition sent again the same transition id, and another transition another one', () => {
    // Prepare
    const finding = aFinding('app');
    const report = aReport({ findings: [finding] });

    // Act
    const first = planAlerts(report, [], POLICY, ALL_REGIONS).transitions[0];
    const resent = planAlerts(
      report,
      [told(finding, { status: 'unnotified', notifiedAt: undefined, version: 4 })],
      POLICY,
      ALL_REGIONS,
    ).transitions[0];
    const reminder = planAlerts(
      aReport({ findings: [finding], startedAt: later(8) }),
      [told(finding)],
      POLICY,
      {
        ...ALL_REGIONS,
        now: later(8),
      },
    ).transitions[0];

    // Assess
    expect(resent?.transitionId).toBe(first?.transitionId);
    expect(reminder?.transitionId).not.toBe(first?.transitionId);
  });
});

function digestOf(findings: Finding[], stored: StoredFinding[] = [], now = T0) {
  const report = aReport({
    findings,
    startedAt: now,
    accounts: [...new Set([ACCOUNT, ...findings.map((f) => f.accountId)])],
  });
  const plan = planAlerts(report, stored, POLICY, { now });
  return { context: { digestId: 'digest-1', report, policy: POLICY }, transitions: plan.transitions };
}

describe('the digest', () => {
  it('is one message: a short subject, email text by severity and account with symptom and fix, JSON for machines', () => {
    // Prepare
    const findings = [
      aFinding('a'),
      aFinding('b', { accountId: OTHER_ACCOUNT }),
      aFinding('c', { severity: 'high', check: 'provider-missing', region: REGION, cluster: 'prod' }),
    ];
    const fixed = told(aFinding('gone', { severity: 'high' }));
    const { context, transitions } = digestOf(findings, [fixed], later(1));

    // Act
    const [part, ...rest] = splitDigest(context, transitions);

    // Assess: subject
    expect(rest).toEqual([]);
    expect(part?.subject).toBe('EKS OIDC audit: 3 new (worst: critical), 1 resolved');
    // Assess: the envelope SNS wants for MessageStructure json
    const envelope = JSON.parse(part?.message ?? '{}') as Record<string, string>;
    expect(Object.keys(envelope)).toEqual(['default', 'email']);
    // Assess: the email, grouped by kind, then severity, then account, each finding with symptom and fix
    const email = envelope.email ?? '';
    const order = [
      'NEW (3)',
      'CRITICAL',
      `Account ${ACCOUNT}`,
      `Account ${OTHER_ACCOUNT}`,
      'HIGH',
      'RESOLVED (1)',
    ];
    expect(order.map((text) => email.indexOf(text))).toEqual(
      [...order.map((text) => email.indexOf(text))].sort((a, b) => a - b),
    );
    expect(order.every((text) => email.includes(text))).toBe(true);
    expect(email).toContain(`Finding: ${findings[0]?.message}`);
    expect(email).toContain(`Symptom: ${CATALOG['trust-no-sub'].symptom.replaceAll('`', '')}`);
    expect(email).toContain('    aws iam update-assume-role-policy --role-name a');
    expect(email).toContain('Where: us-east-1, cluster prod');
    expect(email).toContain(`Was: ${fixed.message}`);
    // Assess: the JSON, one transition per finding, evidence for new ones
    const json = JSON.parse(envelope.default ?? '{}');
    expect(json).toMatchObject({
      type: DIGEST_TYPE,
      digestId: 'digest-1',
      part: 1,
      parts: 1,
      counts: { new: 3, resolved: 1, reminder: 0 },
    });
    expect(json.transitions.map((t: { kind: string }) => t.kind)).toEqual(['new', 'new', 'new', 'resolved']);
    expect(json.transitions[0].finding).toMatchObject({
      id: findings[0]?.id,
      remediation: findings[0]?.remediation,
      evidence: findings[0]?.evidence,
    });
    // Assess: attributes subscribers filter on, no more than ten
    expect(Object.keys(part?.attributes ?? {}).length).toBeLessThanOrEqual(10);
    expect(part?.attributes).toMatchObject({
      severity: { DataType: 'String', StringValue: 'critical' },
      checks: { DataType: 'String.Array', StringValue: '["provider-missing","trust-no-sub"]' },
      kinds: { DataType: 'String.Array', StringValue: '["new","resolved"]' },
      part: { DataType: 'Number', StringValue: '1' },
    });
  });

  it('splits 1,500 findings into messages under 256 KiB, every finding in exactly one, subjects under 100 characters', () => {
    // Prepare: all alertable
    const findings = manyFindings(1500).map((f) => ({
      ...f,
      severity: f.severity === 'info' ? 'critical' : f.severity,
    })) as Finding[];
    const { context, transitions } = digestOf(findings, [], T0);
    const alertable = transitions.length;

    // Act
    const parts = splitDigest(context, transitions);

    // Assess: sizes and numbering
    expect(parts.length).toBeGreaterThan(1);
    for (const part of parts) {
      expect(part.bytes).toBeLessThanOrEqual(SNS_MAX_BYTES);
      expect(part.subject.length).toBeLessThan(100);
      expect(part.subject).not.toMatch(/[\r\n]/);
      expect(part.subject).toMatch(new RegExp(`\\[${part.part}/${parts.length}\\]$`));
    }
    // Assess: every transition once, in the JSON and in the email
    const json = parts.flatMap(
      (p) => JSON.parse(JSON.parse(p.message).default).transitions as { finding: { id: string } }[],
    );
    expect(json.map((t) => t.finding.id).sort()).toEqual(transitions.map((t) => t.finding.id).sort());
    expect(json).toHaveLength(alertable);
    const emails = parts.map((p) => JSON.parse(p.message).email as string).join('\n');
    for (const t of transitions) expect(emails.split(`Finding ${t.finding.id},`).length - 1).toBe(1);
    // Assess: no part wastes much room (greedy packing)
    expect(parts.slice(0, -1).every((p) => p.bytes > SNS_MAX_BYTES * 0.6)).toBe(true);
  });

  it('splits a part the estimates overfilled, until every part fits, every finding in exactly one', () => {
    // Prepare: each finding in its own account, named at length, so each opens a heading the estimates leave out
    const findings = manyFindings(300, 300).map((f) => ({ ...f, severity: 'critical' as const }));
    const accountNames = Object.fromEntries(
      findings.map((f, i) => [f.accountId, `${'n'.repeat(2000)} ${i}`]),
    );
    const report = aReport({ findings, accounts: findings.map((f) => f.accountId), accountNames });
    const { transitions } = planAlerts(report, [], POLICY, { now: T0 });
    const limit = 64 * 1024;

    // Act
    const parts = splitDigest({ digestId: 'digest-1', report, policy: POLICY }, transitions, limit);

    // Assess
    expect(parts.length).toBeGreaterThan(1);
    for (const part of parts) {
      expect(part.bytes).toBeLessThanOrEqual(limit);
      expect(part.subject).toMatch(new RegExp(`\\[${part.part}/${parts.length}\\]$`));
    }
    expect(parts.flatMap((p) => p.transitions)).toEqual(transitions);
  });

  it('starts every part’s e-mail with its Subject: the whole digest’s worst new severity, in every part', () => {
    // Prepare: evidence of 100 KB each, two findings a part; the critical one lands in the first part only
    const evidence = { chain: 'x'.repeat(100_000) };
    const findings = [
      aFinding('worst', { evidence }),
      ...['b', 'c', 'd'].map((name) => aFinding(name, { severity: 'high', evidence })),
    ];
    const { context, transitions } = digestOf(findings);

    // Act
    const parts = splitDigest(context, transitions);

    // Assess
    expect(parts.length).toBeGreaterThan(1);
    for (const part of parts) {
      expect(part.subject).toContain('(worst: critical)');
      expect(JSON.parse(part.message).email.split('\n')[0]).toBe(part.subject);
    }
  });

  it('shortens a transition too large for one message visibly, never silently', () => {
    // Prepare: evidence of 400 KB
    const huge = aFinding('huge', { evidence: { chain: 'x'.repeat(400_000) } });
    const { context, transitions } = digestOf([huge, aFinding('small')]);

    // Act
    const parts = splitDigest(context, transitions);

    // Assess
    const entries = parts.flatMap((p) => JSON.parse(JSON.parse(p.message).default).transitions);
    expect(entries).toHaveLength(2);
    const shortened = entries.find((t: { finding: { id: string } }) => t.finding.id === huge.id);
    expect(shortened.shortened).toMatch(/evidence left out/);
    expect(shortened.finding.evidence).toBeUndefined();
    expect(shortened.finding.remediation).toBe(huge.remediation);
    expect(JSON.parse(parts[0]?.message ?? '{}').email).toContain('Note: evidence left out');
  });

  it('re-renders a part with its own number and the digest’s counts', () => {
    // Prepare
    const { context, transitions } = digestOf([aFinding('a')]);

    // Act
    const part = renderPart(context, transitions, 2, 3, {
      new: 5,
      resolved: 0,
      reminder: 1,
      highestNew: 'high',
    });

    // Assess
    expect(part.subject).toBe('EKS OIDC audit: 5 new (worst: high), 1 still open [2/3]');
    expect(JSON.parse(part.message).email).toContain('Part 2 of 3 of digest digest-1');
  });
});
