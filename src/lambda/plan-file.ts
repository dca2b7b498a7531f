// The fan-out plan as the plan step stores it in the parts bucket (runs/<runId>/plan.json, docs/fan-out.md): the
// run's split and the accounts it shares out, with each account's name and OU path. Every shard takes its share
// of these accounts, and the merge checks the parts against this split, so that the organization is listed once
// per run: an account that joins or leaves it while the shards run changes nothing of the run.
//
// At 10,000 accounts it is a few hundred kilobytes: the names and OU paths are lists in the order of the split's
// accounts rather than maps keyed by id, and each distinct OU path is written once.

import * as z from 'zod';
import type { AuditConfig } from '../config/schema.ts';
import { type Split, splitOf } from '../scope/split.ts';
import type { AccountsInScope } from '../scope/types.ts';

export interface StoredPlan {
  runId: string;
  split: Split;
  /** The split's accounts with their names and OU paths, as the plan listed them. */
  accounts: AccountsInScope;
}

/**
 * The plan is not one the step can work from: of another run, malformed, or made under other regions or account
 * filters than the step's configuration (a deploy since the plan). Retrying cannot help: its name is the error type
 * Step Functions sees, for the Shard state's Retry to leave it out.
 */
export class PlanMismatch extends Error {
  override readonly name = 'PlanMismatch';
}

const FORMAT = 'eks-oidc-audit-plan';
const VERSION = 1;

const planSchema = z.object({
  format: z.literal(FORMAT, `expected "${FORMAT}": not a fan-out plan of this tool`),
  version: z.literal(VERSION, `expected plan version ${VERSION} (written by this version of the tool)`),
  runId: z.string(),
  split: z.object({
    fingerprint: z.string(),
    count: z.number().int().min(1),
    accounts: z.array(z.string().regex(/^\d{12}$/, 'expected a 12-digit account id')),
  }),
  /** The name of each of split.accounts, in its order; "" where the organization gave none. */
  names: z.array(z.string()),
  /** The distinct OU paths, and the index of each account's in it, in the order of split.accounts. */
  ous: z.array(z.string()),
  ouOf: z.array(z.number().int().min(0)),
  ouPathsError: z.string().optional(),
});

/** The plan's text: a JSON object, its accounts' names and OU paths as lists in the order of the split's accounts. */
export function planText(plan: StoredPlan): string {
  const { split, accounts } = plan;
  const ous: string[] = [];
  const ouIndex = new Map<string, number>();
  const indexOf = (path: string): number => {
    let index = ouIndex.get(path);
    if (index === undefined) {
      index = ous.push(path) - 1;
      ouIndex.set(path, index);
    }
    return index;
  };
  const known = Object.keys(accounts.ouPaths).length > 0;
  return JSON.stringify({
    format: FORMAT,
    version: VERSION,
    runId: plan.runId,
    split: { fingerprint: split.fingerprint, count: split.count, accounts: split.accounts },
    names: split.accounts.map((id) => accounts.names[id] ?? ''),
    ous,
    ouOf: known ? split.accounts.map((id) => indexOf(accounts.ouPaths[id] ?? '/')) : [],
    ...(accounts.ouPathsError ? { ouPathsError: accounts.ouPathsError } : {}),
  });
}

/**
 * The plan read back from `text` (found at `where`), checked: of run `runId`, whole, and of the split `config`'s
 * regions and account filters make of its accounts. Throws PlanMismatch, naming the plan and what is wrong.
 */
export function parsePlan(
  text: string,
  where: string,
  runId: string,
  config: Pick<AuditConfig, 'accounts' | 'regions'>,
): StoredPlan {
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (error) {
    throw new PlanMismatch(`${where} is not JSON: ${(error as Error).message}`);
  }
  const parsed = planSchema.safeParse(json);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    throw new PlanMismatch(`${where}: ${issue?.path.join('.') || 'the plan'}: ${issue?.message}`);
  }
  const plan = parsed.data;
  if (plan.runId !== runId)
    throw new PlanMismatch(`${where} is the plan of run ${plan.runId}, not of ${runId}`);
  const ids = plan.split.accounts;
  const lengthProblem = (field: string, length: number) =>
    new PlanMismatch(
      `${where}: ${field}: expected one per account of the split (${ids.length}), found ${length}`,
    );
  if (plan.names.length !== ids.length) throw lengthProblem('names', plan.names.length);
  if (plan.ouOf.length !== 0 && plan.ouOf.length !== ids.length)
    throw lengthProblem('ouOf', plan.ouOf.length);
  const stray = plan.ouOf.findIndex((index) => index >= plan.ous.length);
  if (stray >= 0)
    throw new PlanMismatch(`${where}: ouOf.${stray}: expected an index into ous (${plan.ous.length})`);
  const split = splitOf(ids, plan.split.count, config);
  if (split.fingerprint !== plan.split.fingerprint || split.accounts.length !== ids.length)
    throw new PlanMismatch(
      `${where} was made under other regions or account filters (split ${plan.split.fingerprint}) than this step's configuration (split ${split.fingerprint}), or its accounts are not its split's`,
    );
  const names: Record<string, string> = {};
  const ouPaths: Record<string, string> = {};
  ids.forEach((id, i) => {
    if (plan.names[i]) names[id] = plan.names[i];
    const ou = plan.ouOf[i];
    if (ou !== undefined) ouPaths[id] = plan.ous[ou] ?? '/';
  });
  return {
    runId,
    split,
    accounts: { ids, names, ouPaths, ...(plan.ouPathsError ? { ouPathsError: plan.ouPathsError } : {}) },
  };
}
