// Who can really assume a role through each OIDC provider its trust policy lets in.
//
// For a token from provider P with subject s and audience a, STS allows sts:AssumeRoleWithWebIdentity when some
// Allow statement matches (principal, action, condition) and no Deny statement does. The request context holds
// `<P>:sub` = s and `<P>:aud` = a; keys of any other issuer are absent (a token carries its own issuer's claims
// only), and every other key (aws:SourceIp, session tags...) is unknown to an auditor. So each probe subject
// (see probes.ts) is evaluated three-valued, leaning towards access: an Allow counts unless it is surely false,
// a Deny only when it surely applies. The result over-approximates who gets in, never under-approximates it:
// a security tool may cry wolf on an exotic policy, but must not miss a door left open.

import type { Role } from '../../model/inventory.ts';
import { type ClaimNames, claimNamesOf, guestClaimOf } from '../../model/issuers.ts';
import { parseArn } from '../../naming/arn.ts';
import { exact } from '../../runtime/compact.ts';
import type { InventoryLookup } from '../lookup.ts';
import {
  type ConditionEntry,
  evaluateWith,
  hasWildcard,
  type KeyValue,
  type ParseShares,
  type Resolver,
  type Truth,
  UNSHARED,
  type ValueOptions,
} from './conditions.ts';
import {
  coversAction,
  matchesFederatedCaller,
  parseTrustPolicy,
  principalValues,
  type Statement,
  type TrustPolicy,
  usesPolicyVariables,
  WEB_IDENTITY_ACTION,
} from './policy.ts';
import {
  type ProviderRef,
  providerRefForKeyPrefix,
  providerRefOf,
  type ResolvedProvider,
  resolveProvider,
  sameProvider,
} from './provider-ref.ts';
import { isFresh, type Part, type Probe, probesFor, type Seed } from './subject-probes.ts';
import { type DerivedClaim, type Span, type SubjectScheme, subjectScheme } from './subjects.ts';

/** How far a set of subjects reaches, narrowest first. */
export const BREADTHS = ['none', 'exact', 'scope-wide', 'cross-scope', 'any'] as const;
export type Breadth = (typeof BREADTHS)[number];

export interface SubjectPattern {
  /** `ns:sa` for EKS (`*` for a wild part), the whole `sub` pattern for other issuers. */
  pattern: string;
  /**
   * exact: named subjects only; scope-wide: every name in one scope (a namespace, an owner's repositories);
   * cross-scope: a name in any scope (`*:default`: anyone who can create a namespace); any: every subject.
   */
  breadth: Exclude<Breadth, 'none'>;
  scope?: Part;
  name?: Part;
}

export interface SubjectAccess {
  breadth: Breadth;
  subjects: SubjectPattern[];
}

export interface StatementGrant {
  statement: Statement;
  /** `named`: Principal.Federated names the provider; `wildcard`: `*`, `{"AWS": "*"}` or NotPrincipal. */
  relation: 'named' | 'wildcard';
  /** Who gets in through this statement, after every Deny. */
  access: SubjectAccess;
  /** Who this statement alone would let in. */
  withoutDeny: SubjectAccess;
  /** Whether a token with an audience no condition names still gets in (no effective `:aud` condition). */
  audienceOpen: boolean;
  /** The provider's client IDs this statement lets in; undefined when the provider was not read. */
  audiences: readonly string[] | undefined;
  /** Whether guest identities get in (Cognito's `amr` = `unauthenticated`); false for issuers without guests. */
  guestOpen: boolean;
}

export interface ProviderTrust {
  provider: ResolvedProvider;
  scheme: SubjectScheme;
  /**
   * The claims its tokens fill in as `<keyPrefix>:<claim>` (`sub` and `aud` for most issuers), one object per kind
   * of issuer: a key text of each per provider analysed was megabytes for an organization. See isClaimKey.
   */
  claims: ClaimNames;
  /** Statements whose Principal or NotPrincipal names this provider in `Federated`, any effect. */
  naming: Statement[];
  /** Allow statements that may let this provider's tokens call sts:AssumeRoleWithWebIdentity. */
  grants: StatementGrant[];
  /** Union over the grants. */
  access: SubjectAccess;
  /** Deny statements that apply to this provider's tokens, found once per policy. */
  denies: readonly Statement[];
}

export interface RoleTrust {
  role: Role;
  partition: string;
  policy: TrustPolicy | undefined;
  /** Why the policy could not be analysed. */
  error: string | undefined;
  /** Whether the policy's values may hold policy variables (its language version), found once per policy. */
  policyVariables: boolean;
  providers: ProviderTrust[];
}

const UNHEARD_AUDIENCE = 'zq-audience.invalid';
const UNNAMED_CLAIM = 'zq-claim.invalid';
const NO_DERIVED_CLAIMS: ReadonlyMap<string, DerivedClaim> = new Map();
const NO_OPENED_CLAIMS: ReadonlyMap<string, ClaimOpening> = new Map();
const NO_STATEMENTS: readonly Statement[] = [];

/**
 * Resolved providers by ARN as written, then by the role's account and partition (nearly always one pair per
 * ARN, so a short list rather than a composite key, which would be a string built per role and kept per
 * provider): thousands of roles name the same few providers, and an organization's analyses are held at once by
 * the facts step, so each resolution is made and kept once. One per facts step, never module-level.
 */
export type ProviderCache = Map<string, ProviderKeys[]>;

interface ProviderKeys {
  roleAccountId: string;
  rolePartition: string;
  provider: ResolvedProvider;
  claims: ClaimNames;
}

export function analyseRole(
  role: Role,
  lookup: InventoryLookup,
  cache: ProviderCache = new Map(),
  shares: ParseShares = UNSHARED,
): RoleTrust {
  const partition = parseArn(role.arn)?.partition ?? lookup.account(role.accountId)?.partition ?? 'aws';
  // One literal for every outcome, not a spread: each spread object got a hidden class of its own, and the facts
  // step holds an organization's analyses at once (docs/performance.md, merge memory).
  const failed = (error: string): RoleTrust => ({
    role,
    partition,
    policy: undefined,
    error,
    policyVariables: false,
    providers: [],
  });
  if (role.trustPolicy === undefined) return failed(role.trustPolicyError ?? 'no trust policy');
  const parsed = parseTrustPolicy(role.trustPolicy, shares);
  if (!parsed.ok) return failed(parsed.error);
  const policy = parsed.policy;
  const options = { policyVariables: usesPolicyVariables(policy) };
  const providers = candidateProviders(policy, role, partition, lookup).map((ref) => {
    const resolutions = cache.get(ref.arn) ?? [];
    let known = resolutions.find(
      (entry) => entry.roleAccountId === role.accountId && entry.rolePartition === partition,
    );
    if (known === undefined) {
      const provider = resolveProvider(ref, role.accountId, partition, lookup);
      known = {
        roleAccountId: role.accountId,
        rolePartition: partition,
        provider,
        claims: claimNamesOf(provider.kind),
      };
      if (resolutions.length === 0) cache.set(ref.arn, [known]);
      else resolutions.push(known);
    }
    return analyseProvider(policy, known, options);
  });
  return { role, partition, policy, error: undefined, policyVariables: options.policyVariables, providers };
}

/**
 * The OIDC provider ARNs a statement's Principal or NotPrincipal names in `Federated`; `refOf` is the facts
 * step's shared parser (InventoryLookup.providerRef) where there is one.
 */
export function namedProviders(
  statement: Statement,
  refOf: (arn: string) => ProviderRef | undefined = providerRefOf,
): ProviderRef[] {
  return [
    ...principalValues(statement.principal, 'Federated'),
    ...principalValues(statement.notPrincipal, 'Federated'),
  ].flatMap((value) => refOf(value) ?? []);
}

/** Whether the statement's `Federated` principal names this provider (NotPrincipal does not count). */
export function namesProvider(statement: Statement, provider: ProviderRef): boolean {
  return principalValues(statement.principal, 'Federated').some((value) => isProviderArn(value, provider));
}

/**
 * For a condition key naming an identity provider (`<host/path>:<claim>`), the lowercase `<host/path>`.
 * Global and service keys (`aws:...`, `sts:...`) start with a prefix without dots, issuer keys with a host.
 */
export function issuerPrefixOfKey(key: string): string | undefined {
  const lower = key.toLowerCase();
  const first = lower.slice(0, lower.indexOf(':'));
  if (!first.includes('.') && first !== 'https' && first !== 'http') return undefined;
  const last = lower.lastIndexOf(':');
  return last <= 0 ? undefined : lower.slice(0, last);
}

const COLON = 0x3a;

/**
 * Whether a condition key, already lowercase, is `<keyPrefix>:<claim>` of the provider's tokens: compared in place,
 * without the key text built for each provider analysed.
 */
export function isClaimKey(
  lowerKey: string,
  provider: Pick<ProviderRef, 'keyPrefix'>,
  claim: string,
): boolean {
  const prefix = provider.keyPrefix;
  return (
    lowerKey.length === prefix.length + 1 + claim.length &&
    lowerKey.charCodeAt(prefix.length) === COLON &&
    lowerKey.endsWith(claim) &&
    lowerKey.startsWith(prefix)
  );
}

// ---------------------------------------------------------------------------------------------------------------

function candidateProviders(
  policy: TrustPolicy,
  role: Role,
  partition: string,
  lookup: InventoryLookup,
): ProviderRef[] {
  const found: ProviderRef[] = [];
  const add = (ref: ProviderRef | undefined) => {
    if (ref && !found.some((known) => sameProvider(known, ref))) found.push(ref);
  };
  for (const statement of policy.statements)
    for (const ref of namedProviders(statement, lookup.providerRef)) add(ref);
  // A statement that lets in callers it does not name (Principal "*", NotPrincipal) lets in every provider of
  // the role's account: those the inventory holds, and those its condition keys point at.
  const opensToUnnamed = policy.statements.some(
    (statement) =>
      statement.effect === 'Allow' &&
      coversAction(statement, WEB_IDENTITY_ACTION) &&
      matchesFederatedCaller(statement, () => false) !== false,
  );
  if (opensToUnnamed) {
    for (const provider of lookup.providersOf(role.accountId)) add(lookup.providerRef(provider.arn));
    for (const statement of policy.statements) {
      for (const entry of statement.condition.entries) {
        const prefix = issuerPrefixOfKey(entry.key);
        // Keys compare case-insensitively, so a key names the same issuer as a provider already found whatever
        // its case; a new one keeps the case it is written in.
        if (!prefix || prefix.startsWith('http') || found.some((known) => known.keyPrefix === prefix))
          continue;
        add(providerRefForKeyPrefix(entry.key.slice(0, prefix.length), partition, role.accountId));
      }
    }
  }
  return found;
}

function analyseProvider(
  policy: TrustPolicy,
  { provider, claims: names }: ProviderKeys,
  options: ValueOptions,
): ProviderTrust {
  const scheme = subjectScheme(provider.kind);
  const isCaller = (value: string) => isProviderArn(value, provider);

  const naming = policy.statements.filter((statement) =>
    [
      ...principalValues(statement.principal, 'Federated'),
      ...principalValues(statement.notPrincipal, 'Federated'),
    ].some(isCaller),
  );
  const allows = policy.statements.filter(
    (statement) =>
      statement.effect === 'Allow' &&
      coversAction(statement, WEB_IDENTITY_ACTION) &&
      matchesFederatedCaller(statement, isCaller) !== false,
  );
  const denies = deniesFor(policy, isCaller);

  const claims = requestClaims({ provider, scheme, claims: names }, [...allows, ...denies], options);
  const seeds: Seed[] = [...allows, ...denies].flatMap((statement) =>
    statement.condition.entries.flatMap((entry) => subjectSeeds(entry, claims)),
  );
  const probes = probesFor(scheme, seeds, options);
  const audiences = provider.audiences && provider.audiences.length > 0 ? provider.audiences : undefined;
  const audienceProbes: Array<string | 'unknown'> = audiences ? [...audiences] : ['unknown'];

  const admits = (
    statement: Statement,
    withDenies: boolean,
    probe: Probe,
    audience: string | 'unknown',
    asGuest = false,
  ) =>
    admitsWith(
      statement,
      withDenies ? denies : [],
      requestResolver(claims, probe, audience, asGuest),
      options,
    );

  const grants = allows.map((statement): StatementGrant => {
    const admitted = probes.filter((probe) =>
      audienceProbes.some((audience) => admits(statement, true, probe, audience)),
    );
    const access = accessOf(scheme, admitted);
    const alone = () =>
      probes.filter((probe) => audienceProbes.some((audience) => admits(statement, false, probe, audience)));
    const granted = audiences?.filter((audience) =>
      admitted.some((probe) => admits(statement, true, probe, audience)),
    );
    // Shared rather than copied where equal: the facts step holds every analysis of an organization at once.
    return {
      statement,
      relation: namesProvider(statement, provider) ? 'named' : 'wildcard',
      access,
      withoutDeny: denies.length === 0 ? access : accessOf(scheme, alone()),
      audienceOpen: admitted.some((probe) => admits(statement, true, probe, UNHEARD_AUDIENCE)),
      guestOpen:
        claims.guest !== undefined &&
        admitted.some((probe) =>
          audienceProbes.some((audience) => admits(statement, true, probe, audience, true)),
        ),
      audiences: granted && granted.length === audiences?.length ? audiences : granted,
    };
  });

  return {
    provider,
    scheme,
    claims: names,
    naming: exact(naming),
    grants,
    access:
      grants.length === 1 && grants[0] ? grants[0].access : mergeAccess(grants.map((grant) => grant.access)),
    denies: denies.length === 0 ? NO_STATEMENTS : exact(denies),
  };
}

/** The keys a token's request context fills in for a provider: its subject, audience, guest and derived claims. */
interface RequestClaims {
  provider: ResolvedProvider;
  scheme: SubjectScheme;
  names: ClaimNames;
  /** The claim that marks a guest identity (Cognito's `amr`) under its condition key; undefined without guests. */
  guest: { key: string; values: readonly string[] } | undefined;
  /** Condition keys of claims derived from the subject, lowercase, and how far the statements' values open them. */
  derived: ReadonlyMap<string, DerivedClaim>;
  opened: ReadonlyMap<string, ClaimOpening>;
}

/** The request claims of a provider's tokens, for the statements that decide whether they get in. */
function requestClaims(
  keys: Pick<ProviderTrust, 'provider' | 'scheme' | 'claims'>,
  statements: readonly Statement[],
  options: ValueOptions,
): RequestClaims {
  const guest = guestClaimOf(keys.provider.kind);
  const derived = derivedClaimKeys(keys.scheme, keys.provider.keyPrefix);
  return {
    provider: keys.provider,
    scheme: keys.scheme,
    names: keys.claims,
    guest: guest && { key: `${keys.provider.keyPrefix}:${guest.claim}`, values: guest.values },
    derived,
    opened: derived.size === 0 ? NO_OPENED_CLAIMS : openedClaimKeys(statements, derived, options),
  };
}

/**
 * The request context of a token carrying the probe's subject and this audience ('unknown': any), as a guest if
 * asked: claims derived from the subject follow it, another issuer's keys are absent, every other key unknown.
 */
function requestResolver(
  claims: RequestClaims,
  probe: Probe,
  audience: string | 'unknown',
  asGuest = false,
): Resolver {
  const { provider, scheme, derived, opened } = claims;
  const { subject, audience: audienceClaim } = claims.names;
  const guest = asGuest ? claims.guest : undefined;
  return (key) => {
    const lower = key.toLowerCase();
    if (isClaimKey(lower, provider, subject)) return [probe.subject];
    if (isClaimKey(lower, provider, audienceClaim)) return audience === 'unknown' ? 'unknown' : [audience];
    if (guest && lower === guest.key) return guest.values;
    const claim = derived.get(lower);
    if (claim) return derivedClaimValue(scheme, claim, probe, opened.get(lower));
    const prefix = issuerPrefixOfKey(lower);
    return prefix !== undefined && prefix !== provider.keyPrefix ? undefined : 'unknown';
  };
}

/** A probe for one concrete subject: its parts named, none wild. */
function probeOf(scheme: SubjectScheme, subject: string): Probe {
  const split = scheme.split(subject);
  if (!split) return { subject, whole: { text: subject, pattern: subject, wild: false } };
  const part = ([start, end]: Span): Part => {
    const text = subject.slice(start, end);
    return { text, pattern: text, wild: false };
  };
  return { subject, parts: { scope: part(split.scope), name: part(split.name), rest: part(split.rest) } };
}

/** Condition keys of claims the scheme derives from the subject, lowercase, to the claim. */
function derivedClaimKeys(scheme: SubjectScheme, keyPrefix: string): ReadonlyMap<string, DerivedClaim> {
  // Most issuers derive nothing: one shared empty map rather than one per provider analysed.
  if (scheme.derived === undefined) return NO_DERIVED_CLAIMS;
  return new Map(
    Object.entries(scheme.derived).map(([claim, derived]) => [`${keyPrefix}:${claim}`, derived]),
  );
}

/** How far a policy's patterns on an identifying claim leave the workload open: a wildcard in its scope or name. */
type ClaimOpening = 'scope' | 'name';

/**
 * What a derived claim holds for a probe. A customised subject stands for a workload the policy does not name:
 * its claim is none the policy names; so is the id of a workload an attacker makes up (a wild part). The id of a
 * named workload is unknown to the auditor, and so is that of any workload a value's wildcard leaves open.
 */
function derivedClaimValue(
  scheme: SubjectScheme,
  claim: DerivedClaim,
  probe: Probe,
  opening: ClaimOpening | undefined,
): KeyValue {
  const parts = probe.parts;
  if ('value' in claim) {
    return [parts ? claim.value(parts.scope.text, parts.name.text, parts.rest.text) : UNNAMED_CLAIM];
  }
  if (opening === 'scope') return 'unknown';
  if (!parts || leavesNameOpen(scheme, parts.scope)) return [UNNAMED_CLAIM];
  return opening === 'name' || !leavesNameOpen(scheme, parts.name) ? 'unknown' : [UNNAMED_CLAIM];
}

/**
 * Whether a part stands for names an attacker picks: a wildcard in it, unless the scheme says the wildcard only
 * leaves what follows a named part open (a GitHub id after a literal owner name).
 */
function leavesNameOpen(scheme: SubjectScheme, part: Part): boolean {
  return part.wild && (scheme.leavesNameOpen?.(part.pattern) ?? true);
}

/** Identifying claim keys some Allow or Deny compares with a pattern whose workload part holds a wildcard. */
function openedClaimKeys(
  statements: readonly Statement[],
  derived: ReadonlyMap<string, DerivedClaim>,
  options: ValueOptions,
): ReadonlyMap<string, ClaimOpening> {
  const keys = new Map<string, ClaimOpening>();
  for (const entry of statements.flatMap((statement) => statement.condition.entries)) {
    const key = entry.key.toLowerCase();
    const claim = derived.get(key);
    if (!claim || 'value' in claim || !entry.parsed || entry.parsed.base === 'Null') continue;
    const like = entry.parsed.like;
    for (const [scope, name] of entry.values.map((value) => claim.workloadOf(value))) {
      if (hasWildcard(scope, like, options)) keys.set(key, 'scope');
      else if (hasWildcard(name, like, options) && keys.get(key) !== 'scope') keys.set(key, 'name');
    }
  }
  return keys;
}

/** The probe seeds a condition entry gives: its `sub` values, or subject patterns for a derived claim's values. */
function subjectSeeds(
  entry: ConditionEntry,
  { provider, names, derived }: Pick<RequestClaims, 'provider' | 'names' | 'derived'>,
): Seed[] {
  const operator = entry.parsed;
  if (!operator || operator.base === 'Null') return [];
  const key = entry.key.toLowerCase();
  const { like, ignoreCase } = operator;
  if (isClaimKey(key, provider, names.subject))
    return entry.values.map((value) => ({ value, like, ignoreCase }));
  const claim = derived.get(key);
  if (!claim) return [];
  // The seed is a StringLike pattern: a literal value holding a wildcard character cannot be carried into it.
  return entry.values
    .filter((value) => like || !/[*?$]/.test(value))
    .map((value) => ({ value: claim.seed(value), like: true, ignoreCase }));
}

function deniesFor(policy: TrustPolicy, isCaller: (value: string) => boolean): Statement[] {
  return policy.statements.filter(
    (statement) =>
      statement.effect === 'Deny' &&
      coversAction(statement, WEB_IDENTITY_ACTION) &&
      matchesFederatedCaller(statement, isCaller) === true,
  );
}

/** Whether the Allow statement lets the request in and none of the Deny statements surely keeps it out. */
function admitsWith(
  statement: Statement,
  denies: readonly Statement[],
  resolve: Resolver,
  options: { policyVariables: boolean },
): boolean {
  if (evaluateWith(statement.condition, resolve, options) === false) return false;
  return !denies.some((deny) => surely(evaluateWith(deny.condition, resolve, options)));
}

/**
 * Whether the role's trust lets in a token of this provider with exactly this subject (e.g.
 * `system:serviceaccount:<ns>:<sa>`) and audience ('unknown': whatever the audience): the analysis's own
 * evaluation, Deny statements, conditions and key case included, leaning towards access where a key is unknown.
 */
export function trustAdmits(
  trust: RoleTrust,
  provider: ProviderTrust,
  subject: string,
  audience: string | 'unknown',
): boolean {
  if (!trust.policy) return false;
  const options = { policyVariables: trust.policyVariables };
  const allows = provider.grants.map((grant) => grant.statement);
  const claims = requestClaims(provider, [...allows, ...provider.denies], options);
  const resolve = requestResolver(claims, probeOf(provider.scheme, subject), audience);
  return allows.some((statement) => admitsWith(statement, provider.denies, resolve, options));
}

function surely(value: Truth): boolean {
  return value === true;
}

function isProviderArn(value: string, provider: ProviderRef): boolean {
  // Policies name a provider by the very ARN it was resolved from, and most Federated values are those: answered
  // without parsing, which every statement of every role asks several times (docs/performance.md, merge).
  if (value === provider.arn) return true;
  if (provider.builtIn) return value.trim().toLowerCase() === provider.keyPrefix;
  if (!value.includes(':oidc-provider/')) return false;
  const ref = providerRefOf(value);
  return ref !== undefined && sameProvider(ref, provider);
}

function accessOf(scheme: SubjectScheme, probes: readonly Probe[]): SubjectAccess {
  return simplify(probes.map((probe) => patternOf(scheme, probe)));
}

function patternOf(scheme: SubjectScheme, probe: Probe): SubjectPattern {
  if (probe.parts) {
    const { scope, name, rest } = probe.parts;
    // Only a scope and a name that are wholly wild reach every subject: `*-prod:*` is wide, but not "any".
    const all = (part: Part) => part.wild && part.pattern === '*';
    // Where the issuer URL fixes the scope (CircleCI's organization), tokens carry no other: a wild scope is moot.
    const scopeWild = leavesNameOpen(scheme, scope) && !scheme.scopeFixedByIssuer;
    const scopeAll = all(scope) || scheme.scopeFixedByIssuer === true;
    const breadth =
      scopeAll && all(name)
        ? 'any'
        : scopeWild
          ? 'cross-scope'
          : leavesNameOpen(scheme, name)
            ? 'scope-wide'
            : 'exact';
    return { pattern: scheme.render(scope.pattern, name.pattern, rest.pattern), breadth, scope, name };
  }
  const whole = probe.whole ?? { text: probe.subject, pattern: probe.subject, wild: false };
  // A subject that does not split is only known to be "anyone" when it is entirely fresh text.
  const breadth =
    whole.wild && isFresh(whole) && whole.pattern === '*' ? 'any' : whole.wild ? 'scope-wide' : 'exact';
  return { pattern: whole.pattern, breadth };
}

export function mergeAccess(accesses: readonly SubjectAccess[]): SubjectAccess {
  return simplify(accesses.flatMap((access) => access.subjects));
}

/** Drops patterns another one covers (`ns:*` covers `ns:app`; `*:*` covers all) and sorts widest first. */
function simplify(patterns: readonly SubjectPattern[]): SubjectAccess {
  const unique = [...new Map(patterns.map((pattern) => [pattern.pattern, pattern])).values()];
  const kept = unique.filter(
    (pattern) => !unique.some((other) => other !== pattern && covers(other, pattern)),
  );
  kept.sort(
    (a, b) =>
      BREADTHS.indexOf(b.breadth) - BREADTHS.indexOf(a.breadth) ||
      (a.pattern < b.pattern ? -1 : a.pattern > b.pattern ? 1 : 0),
  );
  const breadth = kept[0]?.breadth ?? 'none';
  return { breadth, subjects: exact(kept) };
}

function covers(wide: SubjectPattern, narrow: SubjectPattern): boolean {
  if (wide.breadth === 'any') return narrow.breadth !== 'any' || wide.pattern < narrow.pattern;
  if (!wide.scope || !wide.name || !narrow.scope || !narrow.name) return false;
  const part = (a: Part, b: Part) => a.pattern === '*' || a.pattern === b.pattern;
  return (
    BREADTHS.indexOf(wide.breadth) > BREADTHS.indexOf(narrow.breadth) &&
    part(wide.scope, narrow.scope) &&
    part(wide.name, narrow.name)
  );
}
