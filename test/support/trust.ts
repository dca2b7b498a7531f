// Builders for trust policies: the recommended IRSA statement by default, with each part overridable, so a test
// states only the twist it is about. Providers, clusters and inventories come from ./inventory.ts.

import type { Inventory, OidcProvider, Role } from '../../src/model/inventory.ts';
import {
  ACCOUNT_ID,
  aCluster,
  anInventory,
  aProvider,
  aRole,
  providerArnFor,
  STS_AUDIENCE,
} from './inventory.ts';

export const SUBJECT = 'system:serviceaccount:default:app';
export const GITHUB_URL = 'token.actions.githubusercontent.com';
export const GITLAB_URL = 'gitlab.com';
/** CI issuers of the issuer table (src/model/issuers.ts), as IAM stores their URLs. */
export const CI_URLS = {
  gitlabSelfManaged: 'gitlab.example.com',
  terraform: 'app.terraform.io',
  circleci: 'oidc.circleci.com/org/8f2d3b6e-1c4a-4e7b-9a0d-5b6c7d8e9f01',
  bitbucket: 'api.bitbucket.org/2.0/workspaces/acme/pipelines-config/identity/oidc',
  buildkite: 'agent.buildkite.com',
} as const;

/** The audience each CI issuer puts in tokens for AWS: the client id its provider must list. */
const CI_AUDIENCES: Record<keyof typeof CI_URLS, string> = {
  gitlabSelfManaged: 'https://gitlab.example.com',
  terraform: 'aws.workload.identity',
  circleci: '8f2d3b6e-1c4a-4e7b-9a0d-5b6c7d8e9f01',
  bitbucket: 'ari:cloud:bitbucket::workspace/5f4e3d2c-1b0a-4998-8877-665544332211',
  buildkite: 'sts.amazonaws.com',
};

export type Json = Record<string, unknown>;

/** The URL part of a provider ARN: the prefix of its condition keys. */
export function urlOf(providerArn: string): string {
  return providerArn.slice(providerArn.indexOf('oidc-provider/') + 'oidc-provider/'.length);
}

export function subKey(providerArn: string): string {
  return `${urlOf(providerArn)}:sub`;
}

export function audKey(providerArn: string): string {
  return `${urlOf(providerArn)}:aud`;
}

export interface StatementOptions {
  sid?: string;
  effect?: 'Allow' | 'Deny';
  /** `Principal.Federated`: one ARN or several. */
  federated?: string | string[];
  /** Replaces the whole Principal (e.g. `"*"`). */
  principal?: unknown;
  notPrincipal?: unknown;
  action?: string | string[];
  notAction?: string | string[];
  /** The sub condition: values under `subOperator`; null leaves sub out. */
  sub?: string | string[] | null;
  subOperator?: string;
  /** The aud condition under `audOperator` (default StringEquals); null leaves aud out. */
  aud?: string | string[] | null;
  audOperator?: string;
  /** Replaces the whole Condition block. */
  condition?: Json;
}

/**
 * One statement, the recommended IRSA shape unless overridden: Allow, Federated provider, AssumeRoleWithWebIdentity,
 * StringEquals on sub and aud.
 */
export function aStatement(providerArn: string, options: StatementOptions = {}): Json {
  const statement: Json = {};
  if (options.sid !== undefined) statement.Sid = options.sid;
  statement.Effect = options.effect ?? 'Allow';
  if (options.notPrincipal !== undefined) statement.NotPrincipal = options.notPrincipal;
  else statement.Principal = options.principal ?? { Federated: options.federated ?? providerArn };
  if (options.notAction !== undefined) statement.NotAction = options.notAction;
  else statement.Action = options.action ?? 'sts:AssumeRoleWithWebIdentity';
  const condition = options.condition ?? irsaCondition(providerArn, options);
  if (Object.keys(condition).length > 0) statement.Condition = condition;
  return statement;
}

function irsaCondition(providerArn: string, options: StatementOptions): Json {
  const condition: Record<string, Json> = {};
  const put = (operator: string, key: string, value: string | string[]) => {
    condition[operator] = { ...(condition[operator] ?? {}), [key]: value };
  };
  const sub = options.sub === undefined ? SUBJECT : options.sub;
  const aud = options.aud === undefined ? STS_AUDIENCE : options.aud;
  if (sub !== null) put(options.subOperator ?? 'StringEquals', subKey(providerArn), sub);
  if (aud !== null) put(options.audOperator ?? 'StringEquals', audKey(providerArn), aud);
  return condition;
}

export function aTrustPolicy(...statements: Json[]): Json {
  return { Version: '2012-10-17', Statement: statements };
}

export function aRoleTrusting(policy: unknown, name = 'app-irsa', accountId = ACCOUNT_ID): Role {
  return aRole({ name, accountId, trustPolicy: policy });
}

export function aGithubProvider(overrides: Partial<OidcProvider> = {}): OidcProvider {
  return aProvider({ url: GITHUB_URL, arn: providerArnFor(GITHUB_URL), ...overrides });
}

export function aGitlabProvider(overrides: Partial<OidcProvider> = {}): OidcProvider {
  return aProvider({
    url: GITLAB_URL,
    arn: providerArnFor(GITLAB_URL),
    clientIds: ['https://gitlab.com'],
    ...overrides,
  });
}

export interface World {
  inventory: Inventory;
  /** Provider ARNs by name. */
  arns: { prod: string; staging: string; legacy: string; github: string; gitlab: string } & Record<
    keyof typeof CI_URLS,
    string
  >;
}

/**
 * One audited account and region with clusters prod and staging and their providers, a provider left behind by a
 * deleted cluster (legacy), GitHub and GitLab providers, and one provider for each other CI issuer of the issuer
 * table. Add the role under test with `withRole`.
 */
export function aWorld(): World {
  const prod = aCluster({ name: 'prod' });
  const staging = aCluster({ name: 'staging' });
  const legacy = aProvider({ cluster: aCluster({ name: 'legacy' }) });
  const providers = [
    aProvider({ cluster: prod }),
    aProvider({ cluster: staging }),
    legacy,
    aGithubProvider(),
    aGitlabProvider(),
  ];
  const ci = Object.fromEntries(
    Object.entries(CI_URLS).map(([name, url]) => [name, providerArnFor(url)]),
  ) as Record<keyof typeof CI_URLS, string>;
  const ciProviders = Object.entries(CI_URLS).map(([name, url]) =>
    aProvider({ url, arn: providerArnFor(url), clientIds: [CI_AUDIENCES[name as keyof typeof CI_URLS]] }),
  );
  const [prodArn = '', stagingArn = '', legacyArn = '', githubArn = '', gitlabArn = ''] = providers.map(
    (provider) => provider.arn,
  );
  return {
    inventory: anInventory({ clusters: [prod, staging], providers: [...providers, ...ciProviders] }),
    arns: {
      prod: prodArn,
      staging: stagingArn,
      legacy: legacyArn,
      github: githubArn,
      gitlab: gitlabArn,
      ...ci,
    },
  };
}

export function withRole(inventory: Inventory, ...roles: Role[]): Inventory {
  return { ...inventory, roles: [...inventory.roles, ...roles] };
}
