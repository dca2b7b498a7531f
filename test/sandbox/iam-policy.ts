// IAM policy evaluation, as far as the sandbox's STS needs it: a role's trust policy and the caller's identity
// policy on sts:AssumeRole. Explicit Deny wins over Allow; no matching Allow is an implicit deny. The condition
// operators modelled are the ones trust and AssumeRole policies use; any other is refused loudly, so a world
// never passes for the wrong reason.

/** What a request brings to a policy: the caller, the action, the resource, and the condition keys. */
export interface PolicyRequest {
  /** The calling principal: a user ARN, or a role session as `arn:…:sts::<acct>:assumed-role/<role>/<session>`. */
  principal: CallerPrincipal;
  action: string;
  resource: string;
  /** Condition keys (any case) and their values; a key absent here is absent from the request. */
  context: Readonly<Record<string, string | undefined>>;
}

export interface CallerPrincipal {
  accountId: string;
  /** `arn:…:iam::<acct>:user/<name>`, or the session's `arn:…:sts::<acct>:assumed-role/<role>/<session>`. */
  arn: string;
  /** For a role session, the role's IAM ARN (`arn:…:iam::<acct>:role/<path><name>`), which its trust names. */
  roleArn?: string;
}

/** `deny`: an explicit Deny matched. `allow`: an Allow matched and no Deny. `none`: nothing matched. */
export type Verdict = 'deny' | 'allow' | 'none';

/** How an Allow in a trust policy named the caller: by its own ARN, or as any principal of its account (or `*`). */
export type PrincipalMatch = 'arn' | 'account';

export class UnmodelledPolicyError extends Error {
  override readonly name = 'UnmodelledPolicyError';
}

type Statement = Record<string, unknown>;

function statementsOf(policy: unknown): Statement[] {
  const document = typeof policy === 'string' ? parseDocument(policy) : policy;
  const statement = (document as { Statement?: unknown } | null)?.Statement;
  if (statement === undefined) return [];
  return (Array.isArray(statement) ? statement : [statement]) as Statement[];
}

function parseDocument(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return null;
  }
}

const listOf = (value: unknown): string[] =>
  value === undefined ? [] : (Array.isArray(value) ? value : [value]).map((v) => String(v));

/** IAM's wildcards: `*` any run of characters, `?` one. */
function wildcardMatch(pattern: string, value: string, ignoreCase = false): boolean {
  const source = pattern
    .replace(/[.+^${}()|[\]\\]/g, '\\$&')
    .replace(/\*/g, '.*')
    .replace(/\?/g, '.');
  return new RegExp(`^${source}$`, ignoreCase ? 'is' : 's').test(value);
}

function matchesAction(statement: Statement, action: string): boolean {
  if (statement.NotAction !== undefined) {
    return !listOf(statement.NotAction).some((a) => wildcardMatch(a, action, true));
  }
  return listOf(statement.Action).some((a) => wildcardMatch(a, action, true));
}

function matchesResource(statement: Statement, resource: string): boolean {
  if (statement.NotResource !== undefined) {
    return !listOf(statement.NotResource).some((r) => wildcardMatch(r, resource));
  }
  if (statement.Resource === undefined) return true;
  return listOf(statement.Resource).some((r) => wildcardMatch(r, resource));
}

/** How one `Principal.AWS` entry names the caller, if it does. */
function principalEntryMatch(entry: string, caller: CallerPrincipal): PrincipalMatch | undefined {
  if (entry === '*') return 'account';
  if (/^\d{12}$/.test(entry)) return entry === caller.accountId ? 'account' : undefined;
  const root = /^arn:[\w-]+:iam::(\d{12}):root$/.exec(entry);
  if (root) return root[1] === caller.accountId ? 'account' : undefined;
  if (entry === caller.arn || (caller.roleArn !== undefined && entry === caller.roleArn)) return 'arn';
  return undefined;
}

function principalMatch(principal: unknown, caller: CallerPrincipal): PrincipalMatch | undefined {
  if (principal === '*') return 'account';
  const aws = (principal as { AWS?: unknown } | undefined)?.AWS;
  const matches = listOf(aws).map((entry) => principalEntryMatch(entry, caller));
  return matches.includes('arn') ? 'arn' : matches.includes('account') ? 'account' : undefined;
}

type Comparator = (actual: string, expected: string) => boolean;

const COMPARATORS: Record<string, { compare: Comparator; negated: boolean }> = {
  StringEquals: { compare: (a, e) => a === e, negated: false },
  StringNotEquals: { compare: (a, e) => a === e, negated: true },
  StringEqualsIgnoreCase: { compare: (a, e) => a.toLowerCase() === e.toLowerCase(), negated: false },
  StringNotEqualsIgnoreCase: { compare: (a, e) => a.toLowerCase() === e.toLowerCase(), negated: true },
  StringLike: { compare: (a, e) => wildcardMatch(e, a), negated: false },
  StringNotLike: { compare: (a, e) => wildcardMatch(e, a), negated: true },
  ArnEquals: { compare: (a, e) => a === e, negated: false },
  ArnNotEquals: { compare: (a, e) => a === e, negated: true },
  ArnLike: { compare: (a, e) => wildcardMatch(e, a), negated: false },
  ArnNotLike: { compare: (a, e) => wildcardMatch(e, a), negated: true },
  Bool: { compare: (a, e) => a.toLowerCase() === e.toLowerCase(), negated: false },
};

function contextValue(context: PolicyRequest['context'], key: string): string | undefined {
  const wanted = key.toLowerCase();
  for (const [name, value] of Object.entries(context)) {
    if (name.toLowerCase() === wanted) return value;
  }
  return undefined;
}

/** One operator's block, e.g. `StringEquals: { "sts:ExternalId": "x" }`: every key must hold. */
function operatorHolds(operator: string, block: unknown, context: PolicyRequest['context']): boolean {
  const ifExists = operator.endsWith('IfExists');
  const base = ifExists ? operator.slice(0, -'IfExists'.length) : operator;
  for (const [key, expected] of Object.entries(block as Record<string, unknown>)) {
    const actual = contextValue(context, key);
    const values = listOf(expected);
    if (base === 'Null') {
      if (values.some((v) => (v.toLowerCase() === 'true') !== (actual === undefined))) return false;
      continue;
    }
    const comparator = COMPARATORS[base];
    if (!comparator) throw new UnmodelledPolicyError(`condition operator ${operator} is not modelled`);
    if (actual === undefined) {
      // AWS: a negated operator holds when the key is absent; a positive one holds only with IfExists.
      if (ifExists || comparator.negated) continue;
      return false;
    }
    const any = values.some((v) => comparator.compare(actual, v));
    if (comparator.negated ? any : !any) return false;
  }
  return true;
}

function conditionHolds(condition: unknown, context: PolicyRequest['context']): boolean {
  if (condition === undefined) return true;
  return Object.entries(condition as Record<string, unknown>).every(([operator, block]) =>
    operatorHolds(operator, block, context),
  );
}

function applies(statement: Statement, request: PolicyRequest): boolean {
  return (
    matchesAction(statement, request.action) &&
    matchesResource(statement, request.resource) &&
    conditionHolds(statement.Condition, request.context)
  );
}

/** An identity policy's verdict on a request (the caller's own policy). */
export function evaluateIdentityPolicy(policy: unknown, request: PolicyRequest): Verdict {
  let verdict: Verdict = 'none';
  for (const statement of statementsOf(policy)) {
    if (!applies(statement, request)) continue;
    if (statement.Effect === 'Deny') return 'deny';
    if (statement.Effect === 'Allow') verdict = 'allow';
  }
  return verdict;
}

/**
 * A trust (resource) policy's verdict, and for an Allow how it named the caller: AWS then needs the caller's
 * own policy to allow the call too unless the trust named the caller's ARN in the caller's own account.
 */
export function evaluateTrustPolicy(
  policy: unknown,
  request: PolicyRequest,
): { verdict: Verdict; match?: PrincipalMatch } {
  let allowed: PrincipalMatch | undefined;
  for (const statement of statementsOf(policy)) {
    const named =
      statement.NotPrincipal !== undefined
        ? principalMatch(statement.NotPrincipal, request.principal) === undefined
          ? 'account'
          : undefined
        : principalMatch(statement.Principal, request.principal);
    if (named === undefined || !applies(statement, request)) continue;
    if (statement.Effect === 'Deny') return { verdict: 'deny' };
    if (statement.Effect === 'Allow' && allowed !== 'arn') allowed = named;
  }
  return allowed === undefined ? { verdict: 'none' } : { verdict: 'allow', match: allowed };
}
