// Role trust policies that name OIDC providers: who can really assume the role, and statements that can never
// work. docs/trust-policies.md. The analysis (src/facts/trust/analysis.ts) answers "who gets in"; this file turns it into
// findings with the symptom on-call engineers search for and the Condition block that fixes it.

// Which severity each check gives, and when, is declared in the catalog (src/model/catalog.ts).

import type { Facts } from '../facts/index.ts';
import {
  isClaimKey,
  issuerPrefixOfKey,
  namedProviders,
  namesProvider,
  type ProviderTrust,
  type RoleTrust,
  type StatementGrant,
} from '../facts/trust/analysis.ts';
import type { ConditionEntry, ConditionOperator } from '../facts/trust/conditions.ts';
import {
  coversAction,
  listedActions,
  type Statement,
  statementKey,
  statementLabel,
  WEB_IDENTITY_ACTION,
} from '../facts/trust/policy.ts';
import { isLive, type ResolvedProvider } from '../facts/trust/provider-ref.ts';
import { malformedSubject } from '../facts/trust/subject-syntax.ts';
import type { FamilyCheckId } from '../model/catalog.ts';
import { guestClaimOf } from '../model/issuers.ts';
import { type FamilyFinding, family } from './family.ts';
import { type CheckAndSeverity, makeFinding } from './finding.ts';
import { ACCESS_DENIED, createProviderCommand, type Steps, shellQuote, steps } from './remediation.ts';
import {
  audienceReach,
  claimKey,
  expectedAudience,
  fixedScope,
  guestKey,
  judgesSubjects,
  noAudienceSeverity,
  noSubjectSeverity,
  reachOf,
  recommendedCondition,
  signedInCondition,
  wildcardSeverity,
} from './trust-issuers.ts';

/** What this family may emit (src/checks/family.ts). */
type TrustFinding = FamilyFinding<'trust'>;
type TrustCheck = FamilyCheckId<'trust'>;

/** Actions that accompany AssumeRoleWithWebIdentity in a statement of their own (session tags, source identity). */
const COMPANION_ACTIONS = ['sts:tagsession', 'sts:setsourceidentity', 'sts:setcontext'];

export const checkTrustPolicies = family('trust', (facts) =>
  facts.trusts.flatMap((trust) => roleFindings(trust, facts)),
);

function roleFindings(trust: RoleTrust, facts: Facts): TrustFinding[] {
  // A trust policy that cannot be read was not checked: a blind spot, named as such, never a pass.
  if (!trust.policy) return [unreadablePolicy(trust)];
  const variables = trust.policyVariables;
  return [
    ...trust.providers.flatMap((provider) => [
      ...wrongAction(trust, provider),
      ...unknownProvider(trust, provider, facts),
      ...keyMismatch(trust, provider),
      ...setOperators(trust, provider),
      ...malformedSubjects(trust, provider, variables),
      ...(isLive(provider.provider)
        ? [
            ...subjectBreadth(trust, provider),
            ...noAudience(trust, provider),
            ...guestAccess(trust, provider),
          ]
        : []),
    ]),
    ...multiCluster(trust),
  ];
}

// ---------------------------------------------------------------------------------------------------------------

function wrongAction(trust: RoleTrust, provider: ProviderTrust): TrustFinding[] {
  const granted = provider.grants.some((grant) => grant.relation === 'named');
  return provider.naming
    .filter(
      (statement) =>
        statement.effect === 'Allow' &&
        namesProvider(statement, provider.provider) &&
        !coversAction(statement, WEB_IDENTITY_ACTION),
    )
    .filter((statement) => !(granted && isCompanionOnly(statement)))
    .map((statement) => {
      const actions = statement.action
        ? listedActions(statement).join(', ')
        : `NotAction ${statement.notAction?.join(', ')}`;
      const why = granted
        ? 'another statement grants it, so this one is dead weight'
        : `tokens from this provider are refused: "${ACCESS_DENIED}"`;
      return finding(trust, provider, statement, {
        check: 'trust-wrong-action',
        severity: granted ? 'low' : 'medium',
        message: `${subjectLine(trust, provider, statement)} allows ${actions} but not ${WEB_IDENTITY_ACTION}, the only call a web identity token can make; ${why}`,
        remediation: `In ${statementLabel(statement)} of role ${trust.role.name}, set "Action": "${WEB_IDENTITY_ACTION}"`,
        evidence: {
          expected: WEB_IDENTITY_ACTION,
          found: statement.action ?? { NotAction: statement.notAction },
        },
      });
    });
}

function isCompanionOnly(statement: Statement): boolean {
  return statement.action?.every((action) => COMPANION_ACTIONS.includes(action.toLowerCase())) ?? false;
}

function unknownProvider(trust: RoleTrust, provider: ProviderTrust, facts: Facts): TrustFinding[] {
  const ref = provider.provider;
  const problem = providerProblem(trust, ref, facts);
  if (!problem) return [];
  return provider.naming
    .filter((statement) => statement.effect === 'Allow' && namesProvider(statement, ref))
    .map((statement) =>
      finding(trust, provider, statement, {
        check: 'trust-unknown-provider',
        severity: 'medium',
        message: `${subjectLine(trust, provider, statement)} names OIDC provider ${ref.arn}, ${problem.message}`,
        remediation: problem.remediation,
        evidence: { expected: problem.expected, found: ref.arn, status: ref.status },
      }),
    );
}

interface ProviderProblem {
  message: string;
  remediation: string | Steps;
  expected: string;
}

function providerProblem(trust: RoleTrust, ref: ResolvedProvider, facts: Facts): ProviderProblem | undefined {
  const account = trust.role.accountId;
  const issuerUrl = `https://${ref.url}`;
  const inRoleAccount = `arn:${trust.partition}:iam::${account}:oidc-provider/${ref.url}`;
  const noProvider = `InvalidIdentityToken: No OpenIDConnect provider found in your account for ${issuerUrl}`;
  switch (ref.status) {
    case 'missing': {
      // Only here: comparing against every provider of the account costs too much to do for healthy roles.
      const similar = likelyMeant(ref, account, facts);
      return {
        message: `which does not exist in account ${account}: tokens fail with "${noProvider}"${
          similar.length > 0 ? `; did you mean ${similar.join(' or ')}?` : ''
        }`,
        remediation: steps(
          createProviderCommand(issuerUrl),
          ...(similar.length > 0
            ? [`# or correct the principal to the existing provider: ${similar.map(shellQuote).join(' or ')}`]
            : []),
        ),
        expected: `an IAM OIDC provider ${ref.arn}`,
      };
    }
    case 'other-account':
      return {
        message: `which belongs to account ${ref.accountId}; STS only uses providers in the role's own account ${account}, so this statement never matches ("${ACCESS_DENIED}" or "${noProvider}")`,
        remediation: `Set "Principal": {"Federated": "${inRoleAccount}"} and create that provider in account ${account} if missing`,
        expected: inRoleAccount,
      };
    case 'wrong-partition':
      return {
        message: `whose partition "${ref.partition}" does not fit the role (partition "${trust.partition}") or the issuer host ${ref.issuer.host}: it never matches ("${ACCESS_DENIED}")`,
        remediation: `Set "Principal": {"Federated": "${inRoleAccount}"}`,
        expected: inRoleAccount,
      };
    case 'cluster-gone':
      return {
        message: `whose issuer belongs to no EKS cluster in audited region ${ref.region} of account ${ref.accountId}: the cluster is gone (unless it lives in an account outside this audit), so this statement is dead`,
        remediation: `Remove the statement trusting ${ref.arn} from the trust policy of role ${trust.role.name}`,
        expected: `a cluster with issuer ${issuerUrl}`,
      };
    default:
      return undefined;
  }
}

/** A provider of the role's account whose URL differs from the one named by a typo or two: "a wrong ID?". */
function likelyMeant(ref: ResolvedProvider, account: string, facts: Facts): string[] {
  const wanted = ref.issuer.key.toLowerCase();
  const scored = facts.lookup
    .providersOf(account)
    .map((provider) => ({ arn: provider.arn, distance: editDistance(wanted, provider.url.toLowerCase()) }))
    .filter(({ distance }) => distance <= 3)
    .sort((a, b) => a.distance - b.distance);
  const best = scored[0]?.distance;
  return scored.filter(({ distance }) => distance === best).map(({ arn }) => arn);
}

function editDistance(a: string, b: string): number {
  let previous = Array.from({ length: b.length + 1 }, (_, index) => index);
  for (let i = 1; i <= a.length; i++) {
    const current = [i];
    for (let j = 1; j <= b.length; j++) {
      const substitution = (previous[j - 1] ?? 0) + (a[i - 1] === b[j - 1] ? 0 : 1);
      current.push(Math.min((previous[j] ?? 0) + 1, (current[j - 1] ?? 0) + 1, substitution));
    }
    previous = current;
  }
  return previous[b.length] ?? 0;
}

function keyMismatch(trust: RoleTrust, provider: ProviderTrust): TrustFinding[] {
  const ref = provider.provider;
  return provider.naming
    .filter((statement) => namesProvider(statement, ref))
    .flatMap((statement) => {
      const coListed = namedProviders(statement).map((other) => other.keyPrefix);
      return statement.condition.entries.flatMap((entry) => {
        const prefix = issuerPrefixOfKey(entry.key);
        if (prefix === undefined || prefix === ref.keyPrefix) return [];
        const trueWhenAbsent = entry.parsed !== undefined && holdsWhenAbsent(entry.parsed);
        // One statement naming several providers with `...IfExists` keys for each is a deliberate pattern.
        if (coListed.includes(prefix) && trueWhenAbsent) return [];
        const claim = entry.key.slice(entry.key.lastIndexOf(':') + 1);
        const correctKey = `${ref.url}:${claim}`;
        const effect = trueWhenAbsent
          ? statement.effect === 'Allow'
            ? 'so it always holds and restricts nothing'
            : `so this Deny always applies and refuses every token ("${ACCESS_DENIED}")`
          : statement.effect === 'Allow'
            ? `so it never holds and the statement never matches ("${ACCESS_DENIED}")`
            : 'so this Deny never applies';
        return [
          finding(trust, provider, statement, {
            check: 'trust-key-mismatch',
            severity: 'medium',
            discriminator: entry.key.toLowerCase(),
            message: `${subjectLine(trust, provider, statement)}: condition key "${entry.key}" is for issuer ${entry.key.slice(0, prefix.length)}, not the principal's ${ref.url}; its tokens never carry it, ${effect}${hint(prefix, ref)}`,
            remediation: `In ${statementLabel(statement)}, use the key "${correctKey}"${coListed.length > 1 ? ', and give each provider its own statement (conditions within one statement are ANDed)' : ''}: ${conditionJson({ [entry.operator]: { [correctKey]: unwrap(entry.values) } })}`,
            evidence: { expected: correctKey, found: entry.key, operator: entry.operator },
          }),
        ];
      });
    });
}

function hint(prefix: string, ref: ResolvedProvider): string {
  if (prefix.replace(/^https?:\/\//, '') === ref.keyPrefix) return ' (drop the https:// scheme from the key)';
  if (prefix.startsWith('oidc-eks.') && ref.kind === 'eks')
    return ' (the dual-stack alias: tokens carry the oidc.eks form)';
  return '';
}

function holdsWhenAbsent(operator: ConditionOperator): boolean {
  if (operator.base === 'Null') return false;
  if (operator.ifExists || operator.qualifier === 'ForAllValues') return true;
  return operator.qualifier === undefined && operator.negated;
}

function setOperators(trust: RoleTrust, provider: ProviderTrust): TrustFinding[] {
  return provider.grants.flatMap((grant) =>
    grant.statement.condition.entries
      .filter((entry) => isSubjectOrAudience(entry, provider) && entry.parsed?.qualifier !== undefined)
      .map((entry) => {
        const qualifier = entry.parsed?.qualifier;
        const plain = entry.operator.slice(entry.operator.indexOf(':') + 1);
        const why =
          qualifier === 'ForAllValues'
            ? 'ForAllValues is also true when the key is absent or empty, so the condition can pass without the claim'
            : 'ForAnyValue is meant for multivalued keys; on a single-valued claim it only obscures intent';
        return finding(trust, provider, grant.statement, {
          check: 'trust-set-operator',
          severity: qualifier === 'ForAllValues' ? 'high' : 'medium',
          discriminator: `${entry.operator.toLowerCase()}|${entry.key.toLowerCase()}`,
          message: `${subjectLine(trust, provider, grant.statement)} uses ${entry.operator} on ${entry.key}, a single-valued key (IAM: do not use set operators with single-valued keys): ${why}`,
          remediation: `In ${statementLabel(grant.statement)}, use ${plain} without the set operator: ${conditionJson({ [plain]: { [entry.key]: unwrap(entry.values) } })}`,
          evidence: { expected: plain, found: entry.operator, key: entry.key, values: entry.values },
        });
      }),
  );
}

function malformedSubjects(trust: RoleTrust, provider: ProviderTrust, variables: boolean): TrustFinding[] {
  const statements = uniqueStatements([
    ...provider.naming.filter((statement) => namesProvider(statement, provider.provider)),
    ...provider.grants.map((grant) => grant.statement),
  ]);
  return statements.flatMap((statement) =>
    statement.condition.entries
      .filter(
        (entry) =>
          isClaimKey(entry.key.toLowerCase(), provider.provider, provider.claims.subject) &&
          entry.parsed &&
          entry.parsed.base !== 'Null',
      )
      .flatMap((entry) =>
        entry.values.flatMap((value) => {
          const operator = entry.parsed;
          const problem =
            operator && malformedSubject(provider.scheme, value, operator, { policyVariables: variables });
          if (!problem) return [];
          const effect =
            statement.effect === 'Allow' ? `"${ACCESS_DENIED}"` : 'this Deny does not do what it says';
          const corrected = problem.corrected ?? provider.scheme.recommendedSubject();
          return [
            finding(trust, provider, statement, {
              check: 'trust-malformed-sub',
              severity: 'medium',
              discriminator: `${entry.key.toLowerCase()}|${value}`,
              message: `${subjectLine(trust, provider, statement)}: ${entry.operator} ${entry.key} value "${value}" ${problem.reason}; no token carries such a subject (${effect})`,
              remediation: `In ${statementLabel(statement)}, replace "${value}" with "${corrected}": ${recommendedCondition(provider, corrected)}`,
              evidence: {
                expected: provider.scheme.recommendedSubject(),
                found: value,
                operator: entry.operator,
              },
            }),
          ];
        }),
      ),
  );
}

function subjectBreadth(trust: RoleTrust, provider: ProviderTrust): TrustFinding[] {
  // Where the audience is the tenant (Google, Cognito...), the subject is one person: no workload to scope to.
  if (!judgesSubjects(provider)) return [];
  return provider.grants.flatMap((grant) => {
    const { breadth, subjects } = grant.access;
    if (breadth === 'none' || breadth === 'exact') return [];
    const wide = subjects.filter((subject) => subject.breadth === breadth).map((subject) => subject.pattern);
    const scheme = provider.scheme;
    const condition = subConditionText(grant.statement, provider);
    const narrowed = grant.withoutDeny.breadth !== breadth ? ', as narrowed by the Deny statements' : '';
    const who = reachOf(provider);
    if (breadth === 'any' && !hasPositiveSubCondition(grant, provider)) {
      return [
        finding(trust, provider, grant.statement, {
          check: 'trust-no-sub',
          severity: noSubjectSeverity(provider),
          message: `${subjectLine(trust, provider, grant.statement)} has ${hasSubCondition(grant.statement, provider) ? `no effective ${claimKey(provider, 'subject')} condition (${condition}${narrowed})` : condition}: ${who.any} can assume role ${trust.role.name}`,
          remediation: `Add to ${statementLabel(grant.statement)}: ${recommendedCondition(provider)}`,
          evidence: {
            expected: `${claimKey(provider, 'subject')} restricted to named ${scheme.nameNounPlural}`,
            found: condition,
            subjects: wide,
          },
        }),
      ];
    }
    const severity = wildcardSeverity(provider, breadth);
    const example = subjects.find((subject) => subject.breadth === breadth);
    // A scope the subject does not spell (Bitbucket's workspace) is the issuer URL's.
    const scope = (example?.scope && !example.scope.wild ? example.scope.text : '') || fixedScope(provider);
    const name = example?.name && !example.name.wild ? example.name.text : undefined;
    const reach =
      breadth === 'any'
        ? `${who.any} can assume it`
        : breadth === 'cross-scope'
          ? `a ${scheme.nameNoun} so named in any ${scheme.scopeNoun} the pattern leaves open (${who.crossScope}) can assume it`
          : `every ${scheme.nameNoun} in ${scope ? `${scheme.scopeNoun} ${scope}` : `the ${scheme.scopeNoun}`} can assume it`;
    return [
      finding(trust, provider, grant.statement, {
        check: 'trust-wildcard-sub',
        severity,
        message: `${subjectLine(trust, provider, grant.statement)}: ${condition}${narrowed} lets in ${wide.map((pattern) => `"${pattern}"`).join(', ')}: ${reach}`,
        remediation: `In ${statementLabel(grant.statement)}, name each ${scheme.nameNoun} exactly: ${recommendedCondition(provider, scheme.recommendedSubject(scope, name))}`,
        evidence: { expected: `exact ${scheme.nameNounPlural}`, found: condition, subjects: wide, breadth },
      }),
    ];
  });
}

function hasSubCondition(statement: Statement, provider: ProviderTrust): boolean {
  return statement.condition.entries.some((entry) => isSubjectKey(entry.key, provider));
}

/** The `sub` key, or a key the subject determines (GitHub's `repository`): what scopes the workload. */
function isSubjectKey(key: string, provider: ProviderTrust): boolean {
  const lower = key.toLowerCase();
  if (isClaimKey(lower, provider.provider, provider.claims.subject)) return true;
  const prefix = `${provider.provider.keyPrefix}:`;
  return lower.startsWith(prefix) && lower.slice(prefix.length) in (provider.scheme.derived ?? {});
}

/** The statement's conditions on the provider's `sub` key (and keys it determines), as written: the offending condition. */
function subConditionText(statement: Statement, provider: ProviderTrust): string {
  const entries = statement.condition.entries.filter((entry) => isSubjectKey(entry.key, provider));
  if (entries.length === 0) return `no ${claimKey(provider, 'subject')} condition`;
  return entries
    .map((entry) => `${entry.operator} ${entry.key} ${entry.values.map((value) => `"${value}"`).join(', ')}`)
    .join(' and ');
}

function hasPositiveSubCondition(grant: StatementGrant, provider: ProviderTrust): boolean {
  return grant.statement.condition.entries.some(
    (entry) =>
      isSubjectKey(entry.key, provider) &&
      entry.parsed !== undefined &&
      entry.parsed.base !== 'Null' &&
      !entry.parsed.negated,
  );
}

function noAudience(trust: RoleTrust, provider: ProviderTrust): TrustFinding[] {
  return provider.grants
    .filter((grant) => grant.access.breadth !== 'none' && grant.audienceOpen)
    .map((grant) =>
      finding(trust, provider, grant.statement, {
        check: 'trust-no-aud',
        severity: noAudienceSeverity(provider),
        message: `${subjectLine(trust, provider, grant.statement)} has no effective ${claimKey(provider, 'audience')} condition: ${audienceReach(provider)}`,
        remediation: `Add to ${statementLabel(grant.statement)}: ${recommendedCondition(provider)}`,
        evidence: {
          expected: `${claimKey(provider, 'audience')} = ${expectedAudience(provider)}`,
          found: 'no effective audience condition',
        },
      }),
    );
}

/** Cognito: a statement that lets guest identities in (`amr` = `unauthenticated`), of a pool it does name. */
function guestAccess(trust: RoleTrust, provider: ProviderTrust): TrustFinding[] {
  const guest = guestClaimOf(provider.provider.kind);
  if (!guest) return [];
  const key = guestKey(provider, guest.claim);
  const guests = guest.values.join(' or ');
  return provider.grants
    .filter((grant) => grant.access.breadth !== 'none' && grant.guestOpen && !grant.audienceOpen)
    .map((grant) =>
      finding(trust, provider, grant.statement, {
        check: 'trust-unauthenticated',
        severity: 'medium',
        message: `${subjectLine(trust, provider, grant.statement)} does not require ${key} to be "${guest.signedIn}": ${guests} (guest) identities of the identity pool can assume role ${trust.role.name}, and anyone can get one where the pool allows guests`,
        remediation: `If guests are not meant to have this role, add to ${statementLabel(grant.statement)}: ${JSON.stringify({ Condition: signedInCondition(provider) })}`,
        evidence: {
          expected: `${key} requiring "${guest.signedIn}"`,
          found: `${guests} identities admitted`,
        },
      }),
    );
}

function multiCluster(trust: RoleTrust): TrustFinding[] {
  const live = trust.providers.filter(
    (provider) => isLive(provider.provider) && provider.access.breadth !== 'none',
  );
  const issuers = [
    ...new Map(live.map((provider) => [provider.provider.issuer.canonical, provider])).values(),
  ];
  if (issuers.length < 2) return [];
  const names = issuers.map((provider) =>
    provider.provider.cluster
      ? `cluster ${provider.provider.cluster.name} (${provider.provider.issuer.canonical})`
      : provider.provider.issuer.canonical,
  );
  const patternSets = issuers.map(
    (provider) => new Set(provider.access.subjects.map((subject) => subject.pattern)),
  );
  const shared = [...(patternSets[0] ?? [])].filter((pattern) =>
    patternSets.every((set) => set.has(pattern)),
  );
  return [
    makeFinding({
      check: 'trust-multi-cluster',
      severity: 'info',
      accountId: trust.role.accountId,
      region: null,
      resource: trust.role.arn,
      cluster: null,
      message: `Role ${trust.role.name} trusts ${issuers.length} issuers: ${names.join(', ')}${
        shared.length > 0 ? `; the same subjects (${shared.join(', ')}) in each` : ''
      }: a workload in any of them (say non-prod) gets the role used by the others (lateral movement)`,
      remediation: `Give each cluster or issuer its own role, so role ${trust.role.name} trusts one issuer`,
      evidence: {
        expected: 'one issuer per role',
        found: issuers.map((provider) => provider.provider.arn),
        sharedSubjects: shared,
      },
    }),
  ];
}

function unreadablePolicy(trust: RoleTrust): TrustFinding {
  const { role } = trust;
  const reason = trust.error ?? 'no trust policy';
  return makeFinding({
    check: 'audit-error',
    severity: 'medium',
    accountId: role.accountId,
    region: null,
    resource: role.arn,
    cluster: null,
    message: `Could not audit the trust policy of role ${role.name} (trust-policy): UnreadableTrustPolicy: ${reason}`,
    remediation: steps(
      `aws iam get-role --role-name ${shellQuote(role.name)} --query Role.AssumeRolePolicyDocument`,
      '# IAM returns the document URL-encoded once; rewrite it as a valid policy with aws iam update-assume-role-policy',
    ),
    evidence: { expected: 'a trust policy IAM can evaluate', found: { stage: 'trust-policy', reason } },
    discriminator: 'trust-policy',
  });
}

// ---------------------------------------------------------------------------------------------------------------

/** A trust check with one of its declared severities, and what the statement-level finding says. */
type FindingParts = CheckAndSeverity<TrustCheck> & {
  message: string;
  remediation: string | Steps;
  evidence: Record<string, unknown>;
  discriminator?: string;
};

function finding(
  trust: RoleTrust,
  provider: ProviderTrust,
  statement: Statement,
  parts: FindingParts,
): TrustFinding {
  const ref = provider.provider;
  return makeFinding({
    ...parts,
    accountId: trust.role.accountId,
    region: ref.region,
    resource: trust.role.arn,
    cluster: ref.cluster?.name ?? null,
    evidence: { statement: statementLabel(statement), provider: ref.arn, ...parts.evidence },
    discriminator: [
      statementKey(statement),
      `${ref.partition}:${ref.accountId}:${ref.issuer.key}`,
      parts.discriminator ?? '',
    ].join('|'),
  });
}

function subjectLine(trust: RoleTrust, provider: ProviderTrust, statement: Statement): string {
  const ref = provider.provider;
  const where = ref.cluster ? `cluster ${ref.cluster.name}'s issuer ${ref.url}` : ref.url;
  // A statement that does not name the provider reaches it through Principal "*" or NotPrincipal: say so, as
  // the provider appears nowhere in the statement.
  const how = namesProvider(statement, ref)
    ? ''
    : statement.notPrincipal
      ? ' via NotPrincipal'
      : ' via a wildcard principal';
  return `Role ${trust.role.name}, ${statementLabel(statement)} (${where}${how})`;
}

function conditionJson(condition: Record<string, Record<string, unknown>>): string {
  return JSON.stringify({ Condition: condition });
}

function isSubjectOrAudience(entry: ConditionEntry, provider: ProviderTrust): boolean {
  const key = entry.key.toLowerCase();
  return (
    isClaimKey(key, provider.provider, provider.claims.subject) ||
    isClaimKey(key, provider.provider, provider.claims.audience)
  );
}

function unwrap(values: readonly string[]): string | readonly string[] {
  return values.length === 1 ? (values[0] ?? '') : values;
}

function uniqueStatements(statements: readonly Statement[]): Statement[] {
  return [...new Set(statements)];
}
