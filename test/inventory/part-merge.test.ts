import { describe, expect, it } from 'vitest';
import { judgeAudit } from '../../src/audit.ts';
import { inputFromEnv } from '../../src/config/env.ts';
import { mergeInputs, resolveConfig } from '../../src/config/resolve.ts';
import type { NamedPart } from '../../src/inventory/part.ts';
import { checkPart, mergeParts, type PartsOf } from '../../src/inventory/part-merge.ts';
import { accountOfShard, aPart, aSplit } from '../support/parts.ts';

const named = (part: NamedPart['part']): NamedPart => ({
  source: `s3://parts/runs/${part.runId ?? 'cli'}/part-${part.shard.index}.json.gz`,
  part,
});
const planOf = (count: number, runId?: string): PartsOf => ({
  ...(runId === undefined ? {} : { runId }),
  split: aSplit(count),
});

describe('checkPart', () => {
  it("accepts a part of the plan's run and split", () => {
    expect(() => checkPart(named(aPart(2, 3, { runId: 'run-1' })), planOf(3, 'run-1'))).not.toThrow();
  });

  it('refuses a part of another run, naming it and both runs', () => {
    // Act
    const check = () => checkPart(named(aPart(2, 3, { runId: 'run-0' })), planOf(3, 'run-1'));

    // Assess
    expect(check).toThrow(
      'part s3://parts/runs/run-0/part-2.json.gz (shard 2/3) is of run run-0, not of run run-1: parts of another run are not merged',
    );
  });

  it('refuses a part of another split (other regions), naming it and both splits', () => {
    // Prepare: the same accounts, read in one region only
    const other = aSplit(3, ['us-east-1']);
    const part = aPart(2, 3, { runId: 'run-1', split: other });
    const plan = planOf(3, 'run-1');

    // Act
    const check = () => checkPart(named(part), plan);

    // Assess
    expect(other.fingerprint).not.toBe(plan.split.fingerprint);
    expect(check).toThrow(
      `part s3://parts/runs/run-1/part-2.json.gz (shard 2/3) is of split ${other.fingerprint} (3 accounts in 3 shards), not of split ${plan.split.fingerprint} (3 accounts in 3 shards)`,
    );
  });

  it('refuses a part holding an account its shard of the split does not', () => {
    // Act
    const check = () =>
      checkPart(named(aPart(2, 3, { accountsInScope: [accountOfShard(2), accountOfShard(3)] })), planOf(3));

    // Assess
    expect(check).toThrow(`holds account ${accountOfShard(3)}, which its shard of the split`);
  });
});

describe('mergeParts', () => {
  const config = resolveConfig('cli', mergeInputs(inputFromEnv({}), {}));
  const judge = async (merged: ReturnType<typeof mergeParts>) =>
    (
      await judgeAudit(
        config,
        { ...merged, startedAt: new Date(merged.startedAt) },
        { now: () => new Date('2026-12-01T01:00:00Z') },
        { suppressions: undefined },
      )
    ).report;

  it("names an account of the split that its shard's part does not hold as a high audit error, in scope", async () => {
    // Prepare: shard 2's part holds none of its accounts
    const parts = [aPart(1, 3), aPart(2, 3, { accountsInScope: [] }), aPart(3, 3)].map(named);

    // Act
    const merged = mergeParts(parts, [], planOf(3));
    const report = await judge(merged);

    // Assess
    const missing = accountOfShard(2);
    expect(merged.scope.accountsInScope).toEqual([accountOfShard(1), missing, accountOfShard(3)]);
    expect(merged.inventory.errors).toContainEqual(
      expect.objectContaining({ accountId: missing, stage: 'shard', code: 'AccountNotInPart' }),
    );
    const finding = report.findings.find((f) => f.check === 'audit-error' && f.accountId === missing);
    expect(finding?.severity).toBe('high');
    expect(finding?.message).toContain('its part (s3://parts/runs/cli/part-2.json.gz) does not hold it');
    expect(report.summary.coverage.blindAccounts).toEqual([missing]);
    expect(report.summary.coverage.percent).toBeLessThan(100);
  });

  it("adds no error when every part holds its shard's accounts", async () => {
    // Act
    const report = await judge(
      mergeParts(
        [1, 2, 3].map((i) => named(aPart(i, 3))),
        [],
        planOf(3),
      ),
    );

    // Assess
    expect(report.findings.filter((f) => f.check === 'audit-error')).toEqual([]);
    expect(report.summary.coverage.percent).toBe(100);
  });

  it('names the accounts of a failed shard, taken from the split', () => {
    // Act
    const merged = mergeParts(
      [named(aPart(1, 3)), named(aPart(3, 3))],
      [{ shard: { index: 2, count: 3 }, reason: 'States.Timeout' }],
      planOf(3),
    );

    // Assess
    expect(merged.scope.errors).toEqual([
      expect.objectContaining({ accountId: accountOfShard(2), code: 'ShardFailed' }),
    ]);
    expect(merged.scope.errors[0]?.message).toContain('failed after its retries: States.Timeout');
  });
});
