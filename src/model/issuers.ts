// The issuer table: the one place a kind of web identity issuer is declared, as the check catalog is for checks.
// For each: how its URL is recognised, which claims its tokens carry as condition keys, its subject grammar, what
// "scoped to one workload" means there, and what leaves a trust open to every tenant. The trust analysis
// (src/facts/trust), the trust checks' severities (src/checks/trust.ts) and the issuer sections of docs/checks.md
// (src/report/catalog.ts) all read it. Adding an issuer: its entry here, a subject scheme if its subjects have a
// structure (src/facts/trust/subjects.ts), fixtures in test/fixtures/trust-policies. An issuer not in the table
// keeps the generic rules (`other`). Data only: like the rest of src/model, this file imports nothing outside it.

import { STS_AUDIENCE } from './sts.ts';

/**
 * Where the tenant of a shared issuer is told apart, and so what a trust must condition on:
 * - `subject`: one URL for every tenant, the tenant (owner, organization) leads the subject;
 * - `audience`: one URL for every tenant, the tenant is the audience (an OAuth client, an identity pool, an app);
 * - `issuer`: the URL belongs to one tenant (a cluster, a CircleCI organization, a workspace, an instance).
 */
export type Tenancy = 'subject' | 'audience' | 'issuer';

export interface IssuerDeclaration {
  /** What reports call it. */
  name: string;
  /** How its URL (host and path, as IAM stores it) is recognised, in words for the docs. */
  recognisedBy: string;
  /** Lowercase hosts that are this issuer, whatever the path. */
  hosts?: readonly string[];
  /** Lowercase host and path (no scheme) the URL must match, for issuers recognised by their path too. */
  url?: RegExp;
  /**
   * Built into STS: a trust names it as `"Principal": {"Federated": "<host>"}`, not an IAM OIDC provider ARN, and
   * no provider exists to read (IAM User Guide, "Creating a role for web identity or OIDC federation").
   */
  builtIn: boolean;
  /** The claim that names the workload (a condition key `<issuer>:<claim>`). */
  subjectClaim: string;
  /** The claim that names the audience or the application. */
  audienceClaim: string;
  /** The audience its tokens carry for AWS, or a placeholder in `<...>` where each tenant has its own. */
  audience?: string;
  /** Further claims STS takes as condition keys for this issuer (each `<issuer>:<claim>`). */
  otherClaims: readonly string[];
  /** The subject grammar, as tokens carry it. */
  grammar: string;
  tenancy: Tenancy;
  /** What scopes a trust to one workload. */
  scoped: string;
  /** What opens it to every workload of one tenant. */
  tenantOpen: string;
  /** What opens it to every tenant of the issuer. */
  worldOpen: string;
  /** What the auditor cannot tell from the policy alone. */
  limits?: string;
  /** Where the grammar comes from. */
  source: string;
}

export const ISSUERS = {
  eks: {
    name: 'Amazon EKS (IRSA)',
    recognisedBy:
      '`oidc.eks.<region>.amazonaws.com[.cn]/id/<id>` (and the dual-stack alias `oidc-eks.<region>.api.aws`)',
    builtIn: false,
    subjectClaim: 'sub',
    audienceClaim: 'aud',
    audience: STS_AUDIENCE,
    otherClaims: [],
    grammar: '`system:serviceaccount:<namespace>:<serviceaccount>`',
    tenancy: 'issuer',
    scoped: 'a `sub` naming one namespace and service account',
    tenantOpen: 'no `sub`: every service account of the cluster (kept critical: a cluster runs many teams)',
    worldOpen: 'not possible: the issuer is one cluster',
    source: 'EKS User Guide, "Assign IAM roles to Kubernetes service accounts"',
  },
  github: {
    name: 'GitHub Actions',
    recognisedBy: 'host `token.actions.githubusercontent.com`',
    hosts: ['token.actions.githubusercontent.com'],
    builtIn: false,
    subjectClaim: 'sub',
    audienceClaim: 'aud',
    audience: STS_AUDIENCE,
    // STS condition keys for GitHub claims since 2026 (AWS announcement "AWS STS supports validation of select
    // identity provider specific claims", January 2026).
    otherClaims: [
      'actor',
      'actor_id',
      'job_workflow_ref',
      'repository',
      'repository_id',
      'workflow',
      'ref',
      'environment',
      'enterprise_id',
    ],
    grammar:
      '`repo:<owner>/<repository>:<ref:refs/heads/<branch> | environment:<name> | pull_request | ...>`; with immutable subject claims `repo:<owner>@<owner id>/<repository>@<repository id>:...` (the default for repositories created, renamed or transferred from 15 July 2026, opt-in for older ones; `@` is in no name); or a subject the organization customised',
    tenancy: 'subject',
    scoped:
      'a `sub` naming one owner and repository, with their ids or without (any ref of it is still one repository, and so is any id after a named owner and repository: `repo:acme@*/app@*:*`); or `repository` = `<owner>/<repository>`, `repository_id`, or `job_workflow_ref` = `<owner>/<repository>/...` (`environment`, `ref` and the other keys name no repository)',
    tenantOpen:
      '`repo:<owner>/*`, `repo:<owner>@<owner id>/*` or `repo:<owner>@*` (or `repository` = `<owner>/*`, `job_workflow_ref` = `<owner>/*/...`): every repository of the owner',
    worldOpen:
      'no `sub`, `repo:*`, `repo:*/*`, `repo:*/<name>:*`, `repo:*@*/<name>@*:*` or `repo:<prefix>*` (a pattern that leaves the owner name open: anyone can create an owner or a repository so named; an owner id alone, `repo:*@<id>/...`, is judged by its name too)',
    limits:
      'IAM refuses since 2025 to store a GitHub trust without `sub` or with `sub` = `*`, but only checks the first value of a list: older roles and later values are still found here. A trust written in one subject form admits tokens of that form only: a name-only `sub` stops matching once its repository carries immutable claims (AccessDenied, the workflow fails: closed, not open). Not reported: the policy does not say which form a repository uses, and every trust written before 2026 is name-only',
    source:
      'GitHub Docs, "OpenID Connect reference"; GitHub Changelog, 23 April 2026, "Immutable subject claims for GitHub Actions OIDC tokens" (editor\'s note of 10 June 2026: the delimiter is `@`, not the `-` first announced) and github/docs#45221 (enabled by default for repositories created or renamed on or after 15 July 2026; admins can opt existing repositories in)',
  },
  gitlab: {
    name: 'GitLab.com',
    recognisedBy: 'host `gitlab.com`',
    hosts: ['gitlab.com'],
    builtIn: false,
    subjectClaim: 'sub',
    audienceClaim: 'aud',
    otherClaims: [],
    grammar: '`project_path:<group>/<subgroups.../project>:ref_type:<branch|tag>:ref:<ref>`',
    tenancy: 'subject',
    scoped: 'a `sub` naming one project path',
    tenantOpen: '`project_path:<group>/*`: every project of the group',
    worldOpen: 'no `sub`, or a group-less pattern (`project_path:*`): any project on GitLab.com',
    source: 'GitLab Docs, "OpenID Connect (OIDC) Authentication Using ID Tokens"',
  },
  'gitlab-self-managed': {
    name: 'GitLab self-managed',
    recognisedBy: 'a host starting `gitlab.` other than `gitlab.com`',
    builtIn: false,
    subjectClaim: 'sub',
    audienceClaim: 'aud',
    otherClaims: [],
    grammar: 'as GitLab.com',
    tenancy: 'issuer',
    scoped: 'a `sub` naming one project path',
    tenantOpen: 'no `sub` or a group-less pattern: every project of the instance',
    worldOpen: 'not possible: the instance is one tenant',
    limits:
      'recognised only by its host name: an instance on another name (`git.example.com`) is an unknown issuer with the generic rules, and the auditor cannot tell who may create projects on an instance',
    source: 'GitLab Docs, "OpenID Connect (OIDC) Authentication Using ID Tokens"',
  },
  'terraform-cloud': {
    name: 'HCP Terraform (Terraform Cloud)',
    recognisedBy: 'host `app.terraform.io`',
    hosts: ['app.terraform.io'],
    builtIn: false,
    subjectClaim: 'sub',
    audienceClaim: 'aud',
    audience: 'aws.workload.identity',
    otherClaims: [],
    grammar: '`organization:<organization>:project:<project>:workspace:<workspace>:run_phase:<plan|apply>`',
    tenancy: 'subject',
    scoped: 'a `sub` naming one organization and workspace',
    tenantOpen: '`organization:<organization>:*`: every workspace of the organization',
    worldOpen:
      'no `sub`, or an organization-less pattern (`organization:*:...`); the default audience `aws.workload.identity` is the same for every organization',
    source: 'HashiCorp, "Use dynamic credentials with the AWS provider"',
  },
  circleci: {
    name: 'CircleCI',
    recognisedBy: '`oidc.circleci.com/org/<organization-id>`',
    url: /^oidc\.circleci\.com\/org\/[^/]+$/,
    builtIn: false,
    subjectClaim: 'sub',
    audienceClaim: 'aud',
    audience: '<organization id>',
    otherClaims: [],
    grammar: '`org/<organization-id>/project/<project-id>/user/<user-id>`',
    tenancy: 'issuer',
    scoped: 'a `sub` naming one project (`org/<org>/project/<project>/user/*`)',
    tenantOpen: 'no `sub`, or `org/<org>/project/*`: every project of the organization',
    worldOpen: 'not possible: the URL names the organization',
    source: 'CircleCI Docs, "Using OpenID Connect tokens in jobs"',
  },
  bitbucket: {
    name: 'Bitbucket Pipelines',
    recognisedBy: '`api.bitbucket.org/2.0/workspaces/<workspace>/pipelines-config/identity/oidc`',
    url: /^api\.bitbucket\.org\/2\.0\/workspaces\/[^/]+\/pipelines-config\/identity\/oidc$/,
    builtIn: false,
    subjectClaim: 'sub',
    audienceClaim: 'aud',
    audience: 'ari:cloud:bitbucket::workspace/<workspace uuid>',
    otherClaims: [],
    grammar:
      '`{<repository uuid>}:{<step uuid>}`, or `{<repository uuid>}{<environment uuid>}:{<step uuid>}` in a deployment step',
    tenancy: 'issuer',
    scoped:
      'a `sub` naming one repository by its whole uuid, whatever it leaves open after it (`{<repository uuid>}:*`: any step of one repository is still one repository, as any ref of a GitHub repository is)',
    tenantOpen:
      'no `sub`, `*`, or a repository uuid cut short by a wildcard (`{6a5b*`, medium: a part of the workspace): every repository of the workspace',
    worldOpen: 'not possible: the URL names the workspace',
    limits:
      'the step and environment uuids are not judged: a trust for one repository that leaves its deployment environment open is scoped here',
    source:
      'Atlassian, "Deploy on AWS using Bitbucket Pipelines OpenID Connect" and "Integrate Pipelines with resource servers using OIDC" (the workspace, repository and deployment environment uuids a trust names)',
  },
  buildkite: {
    name: 'Buildkite',
    recognisedBy: 'host `agent.buildkite.com`',
    hosts: ['agent.buildkite.com'],
    builtIn: false,
    subjectClaim: 'sub',
    audienceClaim: 'aud',
    audience: STS_AUDIENCE,
    otherClaims: [],
    grammar: '`organization:<organization>:pipeline:<pipeline>:ref:<ref>:commit:<commit>:step:<step>`',
    tenancy: 'subject',
    scoped: 'a `sub` naming one organization and pipeline',
    tenantOpen: '`organization:<organization>:*`: every pipeline of the organization',
    worldOpen: 'no `sub`, or an organization-less pattern: every Buildkite organization shares the issuer',
    source: 'Buildkite Docs, "OIDC with AWS"',
  },
  google: {
    name: 'Google (built in)',
    recognisedBy: '`accounts.google.com` as the federated principal (no IAM provider)',
    hosts: ['accounts.google.com'],
    builtIn: true,
    subjectClaim: 'sub',
    audienceClaim: 'aud',
    audience: '<OAuth client id>',
    otherClaims: ['oaud'],
    grammar: 'a Google account or service account id',
    tenancy: 'audience',
    scoped: '`accounts.google.com:aud` naming your OAuth client (or service account) id',
    tenantOpen:
      'an `aud` but no `sub`: every Google account your client signs in (the usual web-app shape; not reported)',
    worldOpen: 'no `aud`: any Google account',
    source: 'IAM User Guide, "Available keys for AWS web identity federation"',
  },
  cognito: {
    name: 'Amazon Cognito identity pools (built in)',
    recognisedBy: '`cognito-identity.amazonaws.com` as the federated principal (no IAM provider)',
    hosts: ['cognito-identity.amazonaws.com'],
    builtIn: true,
    subjectClaim: 'sub',
    audienceClaim: 'aud',
    audience: '<identity pool id>',
    otherClaims: ['amr'],
    grammar:
      'an identity id `<region>:<uuid>`; `aud` is the identity pool id, `amr` says `authenticated` or `unauthenticated`',
    tenancy: 'audience',
    scoped:
      '`cognito-identity.amazonaws.com:aud` naming your identity pool, and `amr` requiring `authenticated`',
    tenantOpen: 'an `aud` but an `amr` that lets `unauthenticated` (guest) identities in',
    worldOpen: 'no `aud`: identities of any identity pool, in any account',
    source: 'Amazon Cognito Developer Guide, "IAM roles" (identity pools)',
  },
  facebook: {
    name: 'Facebook (built in)',
    recognisedBy: '`graph.facebook.com` as the federated principal (no IAM provider)',
    hosts: ['graph.facebook.com'],
    builtIn: true,
    subjectClaim: 'id',
    audienceClaim: 'app_id',
    audience: '<app id>',
    otherClaims: [],
    grammar: 'a Facebook user id; `app_id` is the application',
    tenancy: 'audience',
    scoped: '`graph.facebook.com:app_id` naming your application',
    tenantOpen: 'an `app_id` but no `id`: every user of your application (the usual shape; not reported)',
    worldOpen: 'no `app_id`: any Facebook user of any application',
    source: 'IAM User Guide, "Available keys for AWS web identity federation"',
  },
  amazon: {
    name: 'Login with Amazon (built in)',
    recognisedBy: '`www.amazon.com` as the federated principal (no IAM provider)',
    hosts: ['www.amazon.com'],
    builtIn: true,
    subjectClaim: 'user_id',
    audienceClaim: 'app_id',
    audience: '<app id>',
    otherClaims: [],
    grammar: 'an Amazon user id; `app_id` is the application',
    tenancy: 'audience',
    scoped: '`www.amazon.com:app_id` naming your application',
    tenantOpen:
      'an `app_id` but no `user_id`: every user of your application (the usual shape; not reported)',
    worldOpen: 'no `app_id`: any Amazon customer of any application',
    source: 'IAM User Guide, "Available keys for AWS web identity federation"',
  },
} as const satisfies Record<string, IssuerDeclaration>;

export type IssuerId = keyof typeof ISSUERS;

export const ISSUER_IDS = Object.keys(ISSUERS) as IssuerId[];

/** The issuer a lowercase-host URL (`host/path`, no scheme) belongs to, by host or URL pattern; EKS is told apart by its own parser. */
export function issuerOfUrl(host: string, key: string): IssuerId | undefined {
  for (const id of ISSUER_IDS) {
    const declared: IssuerDeclaration = ISSUERS[id];
    if (declared.hosts?.includes(host) || declared.url?.test(key)) return id;
  }
  // Self-managed GitLab has no fixed name; `gitlab.<domain>` is the common one (docs/checks.md says so).
  if (host.startsWith('gitlab.')) return 'gitlab-self-managed';
  return undefined;
}

/** Hosts STS knows without an IAM provider: a trust names them bare in `Principal.Federated`. */
export const BUILT_IN_HOSTS: readonly string[] = ISSUER_IDS.flatMap((id) => {
  const declared: IssuerDeclaration = ISSUERS[id];
  return declared.builtIn ? (declared.hosts ?? []) : [];
});

/** The declaration for an issuer kind as URLs are classified (`eks-alias` is EKS); undefined for `other`. */
export function declarationOfKind(kind: string): IssuerDeclaration | undefined {
  const id = kind === 'eks-alias' ? 'eks' : kind;
  return id in ISSUERS ? ISSUERS[id as IssuerId] : undefined;
}

export interface ClaimNames {
  subject: string;
  audience: string;
}

const DEFAULT_CLAIMS: ClaimNames = { subject: 'sub', audience: 'aud' };

// One object per issuer, held by every analysis of a provider of that kind.
const CLAIMS_BY_ISSUER = new Map<IssuerDeclaration, ClaimNames>(
  ISSUER_IDS.map((id) => {
    const declared: IssuerDeclaration = ISSUERS[id];
    return [declared, { subject: declared.subjectClaim ?? 'sub', audience: declared.audienceClaim ?? 'aud' }];
  }),
);

/** The claims a trust conditions on for this kind: the subject and the audience (`sub` and `aud` by default). */
export function claimNamesOf(kind: string): ClaimNames {
  const declared = declarationOfKind(kind);
  return (declared && CLAIMS_BY_ISSUER.get(declared)) ?? DEFAULT_CLAIMS;
}

export interface GuestClaim {
  /** The claim that tells a guest from a signed-in identity. */
  claim: string;
  /** What it carries for a guest. */
  values: readonly string[];
  /** What it carries for a signed-in identity: what a trust requires to keep guests out. */
  signedIn: string;
}

/** Cognito's `amr` carries `unauthenticated` for a guest identity; no other issuer declares guests. */
const GUEST_CLAIMS: Readonly<Partial<Record<IssuerId, GuestClaim>>> = {
  cognito: { claim: 'amr', values: ['unauthenticated'], signedIn: 'authenticated' },
};

/** The guest claim of an issuer kind as URLs are classified, or undefined where it has no guests. */
export function guestClaimOf(kind: string): GuestClaim | undefined {
  return GUEST_CLAIMS[kind as IssuerId];
}
