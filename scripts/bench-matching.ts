// `npm run bench -- --matching`: the CPU the wildcard matcher costs where it is hottest, in this process, without
// the sandbox:
// - condition values: what the analysis does per probe, alone: a sub condition of StringLike and StringEquals
//   values, some with a policy variable, evaluated against many subjects;
// - action patterns: statements' Action lists tested against sts:AssumeRoleWithWebIdentity;
// - trust analysis: every policy of the trust corpus (test/fixtures/trust-policies) analysed against the test
//   world (test/support/trust.ts), pass after pass: each condition value is matched against every probe subject
//   of every statement, and each statement's Action against sts:AssumeRoleWithWebIdentity;
// - accepted risks: the hostile suppression file of docs/performance.md (100 entries whose resource is the
//   2,048-character `*a*a*…*`) against 200 findings of the same check, with short role names (no entry matches)
//   and long ones (the first entry matches).
// Each figure is the process's CPU time (user + system, so that other work on a shared machine does not count),
// the median of --runs runs after one warm-up run. Figures, not a test: nothing here passes or fails on a
// threshold.

import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseSuppressions } from '../src/config/suppressions.ts';
import { buildLookup } from '../src/facts/lookup.ts';
import { analyseRole } from '../src/facts/trust/analysis.ts';
import { type Condition, evaluate, parseCondition } from '../src/facts/trust/conditions.ts';
import { coversAction, parseTrustPolicy, WEB_IDENTITY_ACTION } from '../src/facts/trust/policy.ts';
import { muteFindings } from '../src/report/mute.ts';
import { aFinding } from '../test/publish/support.ts';
import { aRoleTrusting, aWorld, withRole } from '../test/support/trust.ts';

const CORPUS = new URL('../test/fixtures/trust-policies/', import.meta.url).pathname;
const ANALYSIS_PASSES = 20;
const SUB_KEY = 'oidc.eks.us-east-1.amazonaws.com/id/D6E4A9B6646C62FC48BAA6DD6150D1F7:sub';
const SUBJECTS = 20_000;
const ACTION_PASSES = 50_000;
const HOSTILE_ENTRIES = 100;
const HOSTILE_FINDINGS = 200;

export interface MatchingFigures {
  runs: number;
  /** One figure per workload: the median and the fastest run, CPU milliseconds. */
  workloads: Array<{ name: string; medianMs: number; minMs: number }>;
}

export function measureMatching(runs: number): MatchingFigures {
  const workloads = [
    {
      name: `condition values: 12 values × ${SUBJECTS.toLocaleString('en')} subjects`,
      run: conditionValues(),
    },
    {
      name: `action patterns: 8 statements × ${ACTION_PASSES.toLocaleString('en')} passes`,
      run: actionPatterns(),
    },
    { name: `trust analysis: the corpus × ${ANALYSIS_PASSES} passes`, run: corpusAnalysis() },
    { name: 'accepted risks: 40-character role names (no entry matches)', run: hostileMutes(40) },
    {
      name: 'accepted risks: 1,500-character role names (the first entry matches)',
      run: hostileMutes(1_500),
    },
  ];
  return {
    runs,
    workloads: workloads.map(({ name, run }) => ({ name, ...timed(run, runs) })),
  };
}

export function formatMatching(figures: MatchingFigures): string {
  const width = Math.max(...figures.workloads.map((workload) => workload.name.length));
  const lines = figures.workloads.map(
    ({ name, medianMs, minMs }) =>
      `${name.padEnd(width)}  median ${medianMs.toFixed(0).padStart(6)} ms  fastest ${minMs.toFixed(0).padStart(6)} ms`,
  );
  return [`matching: CPU time, median of ${figures.runs} runs after a warm-up`, ...lines].join('\n');
}

function conditionValues(): () => void {
  const like = [
    'system:serviceaccount:ci-*:runner-?',
    'system:serviceaccount:team-*:*-deployer',
    'system:serviceaccount:*:default',
    'system:serviceaccount:kube-system:*',
    `system:serviceaccount:apps:${variable('aws:PrincipalTag/app')}-*`,
    'system:serviceaccount:batch-??:job-*',
  ];
  const equals = [
    'system:serviceaccount:default:app',
    'system:serviceaccount:payments:api',
    'system:serviceaccount:payments:worker',
    `system:serviceaccount:${variable('aws:PrincipalTag/team')}:api`,
    'system:serviceaccount:monitoring:prometheus',
    'system:serviceaccount:ingress:controller',
  ];
  const conditions: Condition[] = [
    { StringLike: { [SUB_KEY]: like } },
    { StringEquals: { [SUB_KEY]: equals } },
    { StringEqualsIgnoreCase: { [SUB_KEY]: equals } },
  ].map((raw) => {
    const parsed = parseCondition(raw);
    if (!parsed.ok) throw new Error(parsed.error);
    return parsed.condition;
  });
  const contexts = Array.from({ length: SUBJECTS }, (_, index) => ({
    [SUB_KEY]: `system:serviceaccount:ns-${index % 97}:sa-${index}`,
    'aws:PrincipalTag/app': 'web',
    'aws:PrincipalTag/team': 'payments',
  }));
  return () => {
    for (const context of contexts) for (const condition of conditions) evaluate(condition, context);
  };
}

function actionPatterns(): () => void {
  const actions = [
    'sts:AssumeRoleWithWebIdentity',
    'sts:AssumeRole*',
    'sts:*',
    'STS:assumerolewithwebidentity',
    ['sts:AssumeRole', 'sts:TagSession', 'sts:AssumeRoleWithWebIdentity'],
    'sts:AssumeRoleWith?ebIdentity',
    '*',
    ['sts:AssumeRoleWithSAML', 'sts:SetSourceIdentity'],
  ];
  const statements = actions.map((Action) => {
    const parsed = parseTrustPolicy({ Statement: { Effect: 'Allow', Principal: '*', Action } });
    if (!parsed.ok || !parsed.policy.statements[0]) throw new Error('the benchmark statement does not parse');
    return parsed.policy.statements[0];
  });
  return () => {
    for (let pass = 0; pass < ACTION_PASSES; pass++)
      for (const statement of statements) coversAction(statement, WEB_IDENTITY_ACTION);
  };
}

function corpusAnalysis(): () => void {
  const world = aWorld();
  const roles = readdirSync(CORPUS)
    .filter((name) => name.endsWith('.json'))
    .sort()
    .map((name, index) => {
      const fixture = JSON.parse(readFileSync(join(CORPUS, name), 'utf8')) as { policy: unknown };
      return aRoleTrusting(fixture.policy, `corpus-${index}`);
    });
  const lookup = buildLookup(withRole(world.inventory, ...roles));
  return () => {
    for (let pass = 0; pass < ANALYSIS_PASSES; pass++) {
      const cache = new Map();
      for (const role of roles) analyseRole(role, lookup, cache);
    }
  };
}

function hostileMutes(roleNameLength: number): () => void {
  const pattern = '*a'.repeat(1_024);
  const entry = `  - reason: hostile\n    check: trust-no-sub\n    resource: "${pattern}"\n`;
  const file = parseSuppressions(`suppressions:\n${entry.repeat(HOSTILE_ENTRIES)}`, 'hostile.yaml');
  const findings = Array.from({ length: HOSTILE_FINDINGS }, (_, index) =>
    aFinding(`${index}-`.padEnd(roleNameLength, 'a'), { check: 'trust-no-sub' }),
  );
  const now = new Date();
  return () => {
    muteFindings(findings, file, now);
  };
}

/** A policy variable as IAM spells it: `${key}`. */
function variable(key: string): string {
  return `\${${key}}`;
}

function timed(run: () => void, runs: number): { medianMs: number; minMs: number } {
  run();
  const times: number[] = [];
  for (let index = 0; index < runs; index++) {
    const start = process.cpuUsage();
    run();
    const spent = process.cpuUsage(start);
    times.push((spent.user + spent.system) / 1_000);
  }
  times.sort((a, b) => a - b);
  return { medianMs: times[Math.floor(times.length / 2)] ?? 0, minMs: times[0] ?? 0 };
}
