import { describe, expect, it } from 'vitest';
import type { AccountSelection } from '../../src/config/schema.ts';
import { PlanMismatch, parsePlan, planText, type StoredPlan } from '../../src/lambda/plan-file.ts';
import { splitOf } from '../../src/scope/split.ts';
import type { AccountsInScope } from '../../src/scope/types.ts';

const WHERE = 'the plan s3://parts/runs/run-1/plan.json';
const ORG: AccountSelection = { kind: 'org', includeOus: [], excludeOus: [], excludeAccounts: [] };
const CONFIG = { accounts: ORG, regions: ['us-east-1', 'eu-west-1'] };

/** `count` accounts as an organization listing finds them: names, and one of a few OU paths each. */
function organizationOf(count: number): AccountsInScope {
  const ids = Array.from({ length: count }, (_, i) => String(100000000000 + i));
  const ous = ['/Security', '/Workloads/Prod', '/Workloads/Dev', '/Sandbox/Teams/Experiments'];
  return {
    ids,
    names: Object.fromEntries(ids.map((id, i) => [id, `workload-team-${i}-production-eu`])),
    ouPaths: Object.fromEntries(ids.map((id, i) => [id, ous[i % ous.length] ?? '/'])),
  };
}

function planOf(accounts: AccountsInScope, count = 2): StoredPlan {
  return { runId: 'run-1', split: splitOf(accounts.ids, count, CONFIG), accounts };
}

/** The plan's text with `change` made to its JSON. */
function edited(plan: StoredPlan, change: (json: Record<string, unknown>) => void): string {
  const json = JSON.parse(planText(plan)) as Record<string, unknown>;
  change(json);
  return JSON.stringify(json);
}

describe('the stored fan-out plan', () => {
  it('gives back the split and every account with its name and OU path', () => {
    // Prepare: one account without a name
    const accounts = organizationOf(5);
    delete accounts.names[accounts.ids[3] ?? ''];
    const plan = planOf(accounts);

    // Act
    const read = parsePlan(planText(plan), WHERE, 'run-1', CONFIG);

    // Assess
    expect(read).toEqual(plan);
  });

  it('keeps why the OU paths are unknown, and no path, when the OUs could not be read', () => {
    // Prepare
    const plan = planOf({ ...organizationOf(3), ouPaths: {}, ouPathsError: 'AccessDeniedException: no' });

    // Act
    const read = parsePlan(planText(plan), WHERE, 'run-1', CONFIG);

    // Assess
    expect(read.accounts.ouPaths).toEqual({});
    expect(read.accounts.ouPathsError).toBe('AccessDeniedException: no');
  });

  it('stays a few hundred kilobytes at 10,000 accounts with long names and OU paths', () => {
    // Act
    const bytes = Buffer.byteLength(planText(planOf(organizationOf(10_000), 20)));

    // Assess
    expect(bytes).toBeLessThan(600 * 1024);
  });

  it.each([
    ['not JSON', () => '{"format":', /is not JSON/],
    [
      'another run',
      () => planText({ ...planOf(organizationOf(3)), runId: 'run-0' }),
      /plan of run run-0, not of run-1/,
    ],
    [
      'a name missing',
      () => edited(planOf(organizationOf(3)), (json) => (json.names as string[]).pop()),
      /names: expected one per account of the split \(3\), found 2/,
    ],
    [
      'an OU index out of range',
      () => edited(planOf(organizationOf(3)), (json) => ((json.ouOf as number[])[1] = 9)),
      /ouOf.1: expected an index into ous/,
    ],
    [
      'an account id that is not one',
      () =>
        edited(
          planOf(organizationOf(3)),
          (json) => ((json.split as { accounts: string[] }).accounts[0] = '../x'),
        ),
      /split.accounts.0: expected a 12-digit account id/,
    ],
    [
      'an account added to the split',
      () =>
        edited(planOf(organizationOf(3)), (json) => {
          (json.split as { accounts: string[] }).accounts.push('999999999999');
          (json.names as string[]).push('');
          (json.ouOf as number[]).push(0);
        }),
      /was made under other regions or account filters/,
    ],
    [
      'other regions than the step',
      () =>
        planText({
          ...planOf(organizationOf(3)),
          split: splitOf(organizationOf(3).ids, 2, { ...CONFIG, regions: 'all' }),
        }),
      /split \w+\) than this step's configuration \(split \w+\)/,
    ],
  ])('refuses a plan of %s as a PlanMismatch naming it', (_, text, message) => {
    // Act
    const read = () => parsePlan(text(), WHERE, 'run-1', CONFIG);

    // Assess
    expect(read).toThrow(PlanMismatch);
    expect(read).toThrow(message);
    expect(read).toThrow(WHERE);
  });
});
