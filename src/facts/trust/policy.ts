// A role trust policy, parsed and normalised: statements as a list, principals and actions as lists, the
// condition block parsed. Malformed documents yield an error value, never a throw: one bad role must not stop
// the audit of the others.

import { exact } from '../../runtime/compact.ts';
import { compileGlob, type GlobTest } from '../../text/glob.ts';
import { type Condition, type ParseShares, parseCondition, type Truth, UNSHARED } from './conditions.ts';

export type Effect = 'Allow' | 'Deny';

/** `Principal: "*"`, or a map of principal types (AWS, Federated, Service, CanonicalUser) to values. */
export type Principal =
  | { kind: 'any' }
  | { kind: 'map'; entries: Readonly<Record<string, readonly string[]>> };

export interface Statement {
  /** Position in the policy, from 0. */
  index: number;
  sid: string | undefined;
  effect: Effect;
  principal: Principal | undefined;
  notPrincipal: Principal | undefined;
  /** Patterns as written (matched case-insensitively); exactly one of action and notAction is set. */
  action: readonly string[] | undefined;
  notAction: readonly string[] | undefined;
  condition: Condition;
}

export interface TrustPolicy {
  version: string | undefined;
  statements: Statement[];
}

export type PolicyParse = { ok: true; policy: TrustPolicy } | { ok: false; error: string };

export const WEB_IDENTITY_ACTION = 'sts:AssumeRoleWithWebIdentity';

/**
 * Parses a trust policy document: an object, or its JSON text (URL-encoded as IAM returns it, or not). The facts
 * step hands its shares (conditions.ts), so that its analyses hold one copy of what policies repeat.
 */
export function parseTrustPolicy(document: unknown, shares: ParseShares = UNSHARED): PolicyParse {
  const raw = typeof document === 'string' ? parseText(document) : document;
  if (raw instanceof Error) return { ok: false, error: raw.message };
  if (!isPlainObject(raw)) return { ok: false, error: 'the policy is not a JSON object' };
  const version = raw.Version;
  if (version !== undefined && typeof version !== 'string')
    return { ok: false, error: 'Version is not a string' };
  const statementField = raw.Statement;
  if (statementField === undefined) return { ok: false, error: 'the policy has no Statement' };
  const list = Array.isArray(statementField) ? statementField : [statementField];
  const statements: Statement[] = [];
  for (const [index, item] of list.entries()) {
    const parsed = parseStatement(item, index, shares);
    if (typeof parsed === 'string') return { ok: false, error: `statement ${index + 1}: ${parsed}` };
    statements.push(parsed);
  }
  return { ok: true, policy: { version, statements: exact(statements) } };
}

/** Policy variables are substituted only under the current policy language version. */
export function usesPolicyVariables(policy: TrustPolicy): boolean {
  return policy.version === '2012-10-17';
}

/** How findings name a statement: by Sid when it has one, else by its 1-based position. */
export function statementLabel(statement: Statement): string {
  return statement.sid ? `statement "${statement.sid}"` : `statement ${statement.index + 1}`;
}

/** A stable discriminator for findings: the Sid survives reordering, the index is the fallback. */
export function statementKey(statement: Statement): string {
  return statement.sid ? `sid:${statement.sid}` : `#${statement.index}`;
}

/** Values of one principal type (`Federated`, `AWS`...), matched case-insensitively on the type name. */
export function principalValues(principal: Principal | undefined, type: string): readonly string[] {
  if (principal === undefined || principal.kind === 'any') return [];
  const wanted = type.toLowerCase();
  for (const [name, values] of Object.entries(principal.entries))
    if (name.toLowerCase() === wanted) return values;
  return [];
}

/**
 * Whether the statement's Action/NotAction covers an action. Action names are case-insensitive and take `*`
 * and `?` wildcards (`sts:*`, `sts:AssumeRole*`).
 */
export function coversAction(statement: Statement, action: string): boolean {
  const name = action.toLowerCase();
  if (statement.action) return statement.action.some((pattern) => actionMatches(pattern, name));
  return !(statement.notAction ?? []).some((pattern) => actionMatches(pattern, name));
}

/** The actions a statement's Action element lists, as written (empty for NotAction). */
export function listedActions(statement: Statement): readonly string[] {
  return statement.action ?? [];
}

/**
 * Whether a statement's principal matches a caller identified as a federated principal `isCaller`:
 * true, false, or 'unknown' when IAM's answer is not documented for that form.
 */
export function matchesFederatedCaller(statement: Statement, isCaller: (value: string) => boolean): Truth {
  if (statement.principal) return principalMatch(statement.principal, isCaller);
  if (statement.notPrincipal) {
    const inList = principalMatch(statement.notPrincipal, isCaller);
    return inList === 'unknown' ? 'unknown' : !inList;
  }
  return false;
}

function principalMatch(principal: Principal, isCaller: (value: string) => boolean): Truth {
  if (principal.kind === 'any') return true;
  const federated = principalValues(principal, 'Federated');
  if (federated.some(isCaller)) return true;
  // `{"AWS": "*"}` stands for every principal in most resource policies, but services differ (AWS CDK's
  // AnyPrincipal notes) and no document says whether it covers web-identity callers: leave it open.
  if (federated.includes('*') || principalValues(principal, 'AWS').includes('*')) return 'unknown';
  return false;
}

// ---------------------------------------------------------------------------------------------------------------

function parseStatement(item: unknown, index: number, shares: ParseShares): Statement | string {
  if (!isPlainObject(item)) return 'not an object';
  const effectRaw = item.Effect;
  if (typeof effectRaw !== 'string') return 'Effect is missing';
  const effect =
    effectRaw.toLowerCase() === 'allow' ? 'Allow' : effectRaw.toLowerCase() === 'deny' ? 'Deny' : undefined;
  if (effect === undefined) return `Effect "${effectRaw}" is neither Allow nor Deny`;
  const sid = item.Sid;
  if (sid !== undefined && typeof sid !== 'string') return 'Sid is not a string';

  const principal = item.Principal === undefined ? undefined : parsePrincipal(item.Principal, shares);
  const notPrincipal =
    item.NotPrincipal === undefined ? undefined : parsePrincipal(item.NotPrincipal, shares);
  if (typeof principal === 'string') return `Principal ${principal}`;
  if (typeof notPrincipal === 'string') return `NotPrincipal ${notPrincipal}`;
  if (principal && notPrincipal) return 'has both Principal and NotPrincipal';
  if (!principal && !notPrincipal) return 'has neither Principal nor NotPrincipal';

  const action = item.Action === undefined ? undefined : stringList(item.Action, shares);
  const notAction = item.NotAction === undefined ? undefined : stringList(item.NotAction, shares);
  if (action === null) return 'Action is not a string or a list of strings';
  if (notAction === null) return 'NotAction is not a string or a list of strings';
  if (action && notAction) return 'has both Action and NotAction';
  if (!action && !notAction) return 'has neither Action nor NotAction';

  const condition = parseCondition(item.Condition, shares);
  if (!condition.ok) return condition.error;
  return {
    index,
    sid: sid === '' ? undefined : sid,
    effect,
    principal,
    notPrincipal,
    action,
    notAction,
    condition: condition.condition,
  };
}

function parsePrincipal(raw: unknown, shares: ParseShares): Principal | string {
  if (raw === '*') return { kind: 'any' };
  if (!isPlainObject(raw)) return 'is neither "*" nor an object';
  const entries: Record<string, readonly string[]> = {};
  for (const [type, value] of Object.entries(raw)) {
    const values = stringList(value, shares);
    if (values === null) return `${type} is not a string or a list of strings`;
    entries[type] = values;
  }
  return { kind: 'map', entries };
}

// Every statement of every role is asked whether it covers sts:AssumeRoleWithWebIdentity, and an organization
// writes few distinct action patterns: each is compiled once.
const actionTests = new Map<string, GlobTest>();

function actionMatches(pattern: string, lowerAction: string): boolean {
  let test = actionTests.get(pattern);
  if (test === undefined) {
    test = compileGlob(pattern, true);
    actionTests.set(pattern, test);
  }
  return test(lowerAction);
}

function parseText(text: string): unknown {
  const trimmed = text.trim();
  try {
    return JSON.parse(trimmed.startsWith('%') ? decodeURIComponent(trimmed) : trimmed);
  } catch (error) {
    return new Error(`the policy is not valid JSON (${(error as Error).message})`);
  }
}

/** A list of strings as it is, a string alone as the shared list of it; null for anything else. */
function stringList(value: unknown, shares: ParseShares): readonly string[] | null {
  if (typeof value === 'string') return shares.single(value);
  return Array.isArray(value) && value.every((item): item is string => typeof item === 'string')
    ? value
    : null;
}

function isPlainObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
