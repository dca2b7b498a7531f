// The check catalog: the one place a check is declared. Its id, family, the severities it gives and when, what it
// reads (so a finding that disappears is only called resolved when all of it was read), the symptom users search
// for, the fix and the note the check rests on. The check list, the per-check metrics, `--list-checks`, the
// README's check tables and docs/checks.md all come from here (src/report/catalog.ts renders them; a test keeps
// the README and docs/checks.md equal to the rendering). Adding a check: its family file, its entry here, its test.
// Data only: like the rest of src/model, this file imports nothing of the project but its own folder.

import type { Severity } from './finding.ts';
import { ACCESS_DENIED as STS_ACCESS_DENIED } from './sts.ts';

/** The check families, one file each in src/checks. */
export const FAMILIES = [
  'providers',
  'audiences',
  'thumbprints',
  'certificates',
  'issuers',
  'audit-errors',
  'trust',
  'cross-account',
  'pod-identity',
  'kubernetes',
] as const;
export type Family = (typeof FAMILIES)[number];

/**
 * What a check reads to decide. A finding that is gone from a report counts as resolved only when the run read all
 * of it (src/publish/observed-by.ts): reading less would turn a blind spot into a false "resolved".
 */
export type Read =
  /** The account's roles and their trust policies (IAM is global: no region). */
  | 'account-roles'
  /** The account's IAM OIDC providers. */
  | 'account-providers'
  /** The EKS clusters of the finding's region. */
  | 'region-clusters'
  /** The EKS clusters of every region of the account (a provider or principal whose cluster may be anywhere). */
  | 'account-clusters'
  /** The TLS chain of the provider's issuer host, unless the provider itself is gone. */
  | 'issuer-chain'
  /**
   * The EKS clusters of the finding's region in every account in scope: the cluster may live in another account,
   * and one that could not be read must not make the finding look resolved.
   */
  | 'every-account-region-clusters'
  /** The issuer of the finding's cluster, probed in this run, unless the cluster is gone. */
  | 'issuer-probe'
  /** The issuer of the finding's provider answered this run (its discovery, or 404/403), unless the provider is gone. */
  | 'provider-issuer'
  /** An audit error: the place it names (run, account or region) was read in this run. */
  | 'place'
  /** The Kubernetes side of the finding's cluster (`--kubernetes`): its namespaces and service accounts. */
  | 'cluster-kubernetes';

export interface CheckDeclaration {
  family: Family;
  /** Every severity the check can give, most severe first; makeFinding's type refuses any other. */
  severities: readonly Severity[];
  /** When it gives which severity, in a few words; one severity needs none. */
  severityRule?: string;
  /** What the auditor finds: the condition the check fires on. */
  finds: string;
  /** What users see: the AWS error text a pod gets, or the risk when nothing fails. */
  symptom: string;
  /** What the finding's remediation does. */
  fix: string;
  dependsOn: readonly Read[];
  /** The note the check rests on: `docs/<file>.md`, with `#<heading>` when a section says it. */
  docs: string;
}

const TRUST: readonly Read[] = ['account-roles', 'account-providers'];
const KUBERNETES: readonly Read[] = ['region-clusters', 'cluster-kubernetes'];
const NO_PROVIDER =
  '`InvalidIdentityToken: No OpenIDConnect provider found in your account for https://oidc.eks…`';
const ACCESS_DENIED = `\`${STS_ACCESS_DENIED}\``;

export const CATALOG = {
  'provider-missing': {
    family: 'providers',
    severities: ['high', 'medium', 'info'],
    severityRule:
      'high when a role trusts the issuer; info when none does and the cluster has Pod Identity associations (it uses Pod Identity); medium otherwise',
    finds: "a cluster's issuer has no IAM OIDC provider in its account",
    symptom: NO_PROVIDER,
    fix: 'create the provider (`eksctl utils associate-iam-oidc-provider`)',
    dependsOn: ['region-clusters', 'account-providers'],
    docs: 'docs/providers.md',
  },
  'provider-alias-url': {
    family: 'providers',
    severities: ['high'],
    finds: 'the only provider is registered under the dual-stack alias `oidc-eks.<region>.api.aws`',
    symptom: 'the same: tokens carry the `oidc.eks…` issuer',
    fix: 'create the provider under the `oidc.eks…` URL and point the trust policies at it',
    dependsOn: ['region-clusters', 'account-providers'],
    docs: 'docs/irsa.md#issuer-urls-and-provider-arns',
  },
  'audience-missing': {
    family: 'audiences',
    severities: ['high'],
    finds: "the provider's audiences lack `sts.amazonaws.com`",
    symptom: '`InvalidIdentityToken: Incorrect token audience`',
    fix: 'add the client id `sts.amazonaws.com` to the provider',
    dependsOn: ['account-providers'],
    docs: 'docs/irsa.md#the-error-text-by-cause',
  },
  'audience-extra': {
    family: 'audiences',
    severities: ['info'],
    finds: 'the provider accepts more audiences than `sts.amazonaws.com`',
    symptom: 'nothing: wider than needed',
    fix: 'remove the client ids nothing uses',
    dependsOn: ['account-providers'],
    docs: 'docs/providers.md',
  },
  'thumbprint-mismatch': {
    family: 'thumbprints',
    severities: ['high', 'low'],
    severityRule:
      'high when STS relies on the thumbprints (the chain is not publicly trusted); low when it is, as STS then only uses them on its fallback path',
    finds: "no configured thumbprint matches any CA certificate of the issuer's chain",
    symptom:
      "`InvalidIdentityToken: OpenIDConnect provider's HTTPS certificate doesn't match configured thumbprint`",
    fix: "set the thumbprint of the chain's CA (`aws iam update-open-id-connect-provider-thumbprint`)",
    dependsOn: ['account-providers', 'issuer-chain'],
    docs: 'docs/thumbprints.md#what-iam-means-by-a-thumbprint',
  },
  'thumbprint-slots-full': {
    family: 'thumbprints',
    severities: ['low'],
    finds: 'the provider holds 5 of 5 thumbprints',
    symptom: 'the next rotation cannot be appended',
    fix: 'drop the thumbprints no chain presents',
    dependsOn: ['account-providers'],
    docs: 'docs/thumbprints.md#what-iam-means-by-a-thumbprint',
  },
  'ca-expiring': {
    family: 'certificates',
    severities: ['medium'],
    finds: "a CA certificate of the issuer's chain expires within the warning window (`--ca-warn-days`)",
    symptom: 'token verification failures once it lapses',
    fix: "add the successor CA's thumbprint before the old one lapses",
    dependsOn: ['account-providers', 'issuer-chain'],
    docs: 'docs/thumbprints.md#ca-expiry',
  },
  'ca-expired': {
    family: 'certificates',
    severities: ['high'],
    finds: "a CA certificate of the issuer's chain has expired",
    symptom: 'token verification failures',
    fix: "replace the thumbprint with the current CA's",
    dependsOn: ['account-providers', 'issuer-chain'],
    docs: 'docs/thumbprints.md#ca-expiry',
  },
  'provider-orphaned': {
    family: 'providers',
    severities: ['low'],
    finds:
      'an EKS provider no audited cluster serves (its region audited) whose issuer answers 404/403: the cluster is gone',
    symptom: '`LimitExceeded … OpenIdConnectProvidersPerAccount` one day (100 per account by default)',
    fix: 'delete the provider, after the trust statements that still name it',
    dependsOn: ['account-providers', 'region-clusters', 'provider-issuer'],
    docs: 'docs/providers.md',
  },
  'provider-external': {
    family: 'providers',
    severities: ['info'],
    finds:
      'an EKS provider no audited cluster serves whose issuer still answers: its cluster is in an account outside the audit',
    symptom: 'nothing: cross-account IRSA; deleting the provider would break the roles that rely on it',
    fix: 'audit the account that owns the cluster too, or confirm the issuer with its owner',
    dependsOn: ['account-providers', 'region-clusters', 'provider-issuer'],
    docs: 'docs/providers.md',
  },
  'issuer-unreachable': {
    family: 'issuers',
    severities: ['medium'],
    finds: "the issuer's TLS endpoint, discovery document or keys cannot be read, or name another issuer",
    symptom: "`InvalidIdentityToken: Couldn't retrieve verification key from your identity provider`",
    fix: 'make the issuer and its keys reachable over public TLS, as STS fetches them',
    dependsOn: ['region-clusters', 'issuer-probe'],
    docs: 'docs/irsa.md#the-chain-a-pods-call-goes-through',
  },
  'trust-no-sub': {
    family: 'trust',
    severities: ['critical', 'high'],
    severityRule:
      "critical on EKS, on an issuer shared by tenants that tells them apart in the subject (GitHub, GitLab.com, HCP Terraform, Buildkite) and on an unknown issuer; high on an issuer whose URL is one tenant's (CircleCI, Bitbucket, GitLab self-managed): every workload of that tenant. Not given where the audience is the tenant (Google, Cognito, Facebook, Amazon): see `trust-no-aud`",
    finds: 'no effective `:sub` condition: any service account of the cluster (or any repository) gets in',
    symptom: 'nothing fails: any pod of the cluster (any job of the CI issuer) can assume the role',
    fix: 'add `StringEquals` on `<issuer>:sub` and `<issuer>:aud`',
    dependsOn: TRUST,
    docs: 'docs/trust-policies.md',
  },
  'trust-wildcard-sub': {
    family: 'trust',
    severities: ['critical', 'high', 'medium'],
    severityRule:
      'critical when the pattern leaves the tenant open on an issuer shared by tenants (`repo:*`, `repo:*/*`, `repo:*/<name>:*`, `organization:*:…`); high when it reaches every workload of one tenant (`repo:<owner>/*`) or across namespaces (`system:serviceaccount:*`, `*:default`); medium within one namespace (`ns:*`), group or project',
    finds:
      '`StringLike` on `:sub` lets in more service accounts (repositories, workspaces, pipelines) than it names',
    symptom: 'nothing fails: every workload the pattern reaches can assume the role',
    fix: 'name each service account exactly, with `StringEquals`',
    dependsOn: TRUST,
    docs: 'docs/iam-wildcards.md',
  },
  'trust-set-operator': {
    family: 'trust',
    severities: ['high', 'medium'],
    severityRule: 'high for `ForAllValues:` (true when the key is absent); medium for `ForAnyValue:`',
    finds: 'a set operator on the single-valued `sub` or `aud`',
    symptom: 'nothing fails: the condition can pass without the claim',
    fix: 'use the operator without `ForAllValues:` / `ForAnyValue:`',
    dependsOn: TRUST,
    docs: 'docs/trust-policies.md',
  },
  'trust-wrong-action': {
    family: 'trust',
    severities: ['medium', 'low'],
    severityRule:
      'medium; low when another statement grants `sts:AssumeRoleWithWebIdentity`, so the role still works',
    finds:
      'a statement for the provider allows `sts:AssumeRole` (or another action) instead of `sts:AssumeRoleWithWebIdentity`',
    symptom: ACCESS_DENIED,
    fix: 'set `"Action": "sts:AssumeRoleWithWebIdentity"`',
    dependsOn: TRUST,
    docs: 'docs/trust-policies.md',
  },
  'trust-unknown-provider': {
    family: 'trust',
    severities: ['medium'],
    finds:
      'the principal names a provider that does not exist, lives in another account or partition, or whose cluster is gone',
    symptom: `${NO_PROVIDER} or ${ACCESS_DENIED}`,
    fix: "create the provider in the role's account, or correct or remove the statement",
    dependsOn: [...TRUST, 'account-clusters'],
    docs: 'docs/irsa.md#issuer-urls-and-provider-arns',
  },
  'trust-key-mismatch': {
    family: 'trust',
    severities: ['medium'],
    finds: "a condition key names another issuer than the principal's provider: it never matches",
    symptom: `${ACCESS_DENIED}, or a condition that restricts nothing`,
    fix: "use the principal's issuer in the key",
    dependsOn: TRUST,
    docs: 'docs/trust-policies.md',
  },
  'trust-malformed-sub': {
    family: 'trust',
    severities: ['medium'],
    finds:
      'a subject no token carries: `system:serviceaccount: kube-system:x` (stray space), misspelt `serviceaccount`, wrong part count, `*` under `StringEquals`',
    symptom: ACCESS_DENIED,
    fix: 'write the subject as `system:serviceaccount:<namespace>:<serviceaccount>`',
    dependsOn: TRUST,
    docs: 'docs/trust-policies.md',
  },
  'trust-no-aud': {
    family: 'trust',
    severities: ['critical', 'low'],
    severityRule:
      "critical where the audience is what tells tenants apart (Google `aud`, Cognito `aud`, Facebook and Amazon `app_id`): anyone's identities get in; low otherwise",
    finds: 'no effective `:aud` condition',
    symptom:
      'nothing fails: weaker, not a bypass on its own (the provider still checks its audiences); on Google or Cognito, any account or identity pool gets in',
    fix: 'add `StringEquals` on `<issuer>:aud` = `sts.amazonaws.com` (your client, pool or app id on Google, Cognito, Facebook, Amazon)',
    dependsOn: TRUST,
    docs: 'docs/trust-policies.md',
  },
  'trust-unauthenticated': {
    family: 'trust',
    severities: ['medium'],
    finds:
      'a trust on `cognito-identity.amazonaws.com` scoped to an identity pool whose `amr` condition lets `unauthenticated` (guest) identities in',
    symptom: 'nothing fails: anyone can get a guest identity of a pool that allows them, and so the role',
    fix: "add `ForAnyValue:StringLike` on `cognito-identity.amazonaws.com:amr` = `authenticated`, unless the role is the pool's guest role",
    dependsOn: TRUST,
    docs: 'docs/checks.md#issuer-cognito',
  },
  'trust-multi-cluster': {
    family: 'trust',
    severities: ['info'],
    finds: 'one role trusted from several issuers',
    symptom:
      'nothing fails: a workload in one cluster reaches the role used by the others (lateral movement)',
    fix: 'give each cluster its own role',
    dependsOn: [...TRUST, 'account-clusters'],
    docs: 'docs/trust-policies.md',
  },
  'trust-cross-account': {
    family: 'cross-account',
    severities: ['medium', 'info'],
    severityRule:
      'medium when the two accounts sit in different OUs of the organization; info within one OU, or when the OUs are unknown',
    finds: 'a role that service accounts of a cluster in another account can assume',
    symptom: "nothing fails: a pod of that cluster acts in the role's account",
    fix: 'keep the path to exact service accounts if intended; remove the statement if not',
    dependsOn: [...TRUST, 'account-clusters', 'every-account-region-clusters'],
    docs: 'docs/providers.md',
  },
  'pod-identity-role-missing': {
    family: 'pod-identity',
    severities: ['high'],
    finds: "a Pod Identity association's role (or target role) does not exist",
    symptom: 'pods of that service account get no credentials',
    fix: 'create the role, or point the association at an existing one',
    dependsOn: ['region-clusters', 'account-roles'],
    docs: 'docs/pod-identity.md',
  },
  'pod-identity-trust-broken': {
    family: 'pod-identity',
    severities: ['high'],
    finds:
      "the role's trust does not let `pods.eks.amazonaws.com` call both `sts:AssumeRole` and `sts:TagSession` for the association (Deny statements and conditions evaluated), or a target role refuses the first role with the association's external id",
    symptom: '`AccessDenied: Not authorized to perform sts:AssumeRole`; pods get no credentials',
    fix: 'allow `pods.eks.amazonaws.com` `sts:AssumeRole` and `sts:TagSession`, with conditions that admit the association',
    dependsOn: ['region-clusters', 'account-roles'],
    docs: 'docs/pod-identity.md',
  },
  'pod-identity-agent-missing': {
    family: 'pod-identity',
    severities: ['high'],
    finds:
      'a cluster with associations has no healthy `eks-pod-identity-agent` add-on and is not in Auto Mode',
    symptom: 'pods get no credentials: nothing answers at 169.254.170.23',
    fix: 'install the add-on (`aws eks create-addon --addon-name eks-pod-identity-agent`), or repair it',
    dependsOn: ['region-clusters'],
    docs: 'docs/pod-identity.md',
  },
  'pod-identity-trust-unscoped': {
    family: 'pod-identity',
    severities: ['medium'],
    finds:
      'a role trusts `pods.eks.amazonaws.com` with no condition tying it to an account, cluster, namespace or service account',
    symptom:
      'nothing fails: any association in the account, made by anyone who may pass the role, hands it to its pods',
    fix: 'condition the trust on `aws:SourceAccount` and the session tags (cluster, namespace, service account)',
    dependsOn: ['account-roles'],
    docs: 'docs/pod-identity.md',
  },
  'pod-identity-tags-disabled': {
    family: 'pod-identity',
    severities: ['high'],
    finds: "the association disables session tags while the role's trust conditions on them",
    symptom: '`AccessDenied: Not authorized to perform sts:AssumeRole`: the role can never be assumed',
    fix: 'enable session tags on the association (`--no-disable-session-tags`)',
    dependsOn: ['region-clusters', 'account-roles'],
    docs: 'docs/pod-identity.md',
  },
  'pod-identity-target-no-external-id': {
    family: 'pod-identity',
    severities: ['medium'],
    finds: "a target role whose trust does not require the association's external id",
    symptom: 'nothing fails: another association chaining through the same role can use the target role',
    fix: "condition the target role's trust on `sts:ExternalId` = the association's external id",
    dependsOn: ['region-clusters', 'account-roles'],
    docs: 'docs/pod-identity.md',
  },
  'sa-role-invalid': {
    family: 'kubernetes',
    severities: ['high'],
    finds: '`eks.amazonaws.com/role-arn` on a service account is not an IAM role ARN',
    symptom: '`ValidationError: Request ARN is invalid`',
    fix: 'annotate the service account with the role ARN, `arn:<partition>:iam::<account>:role/<name>`',
    dependsOn: KUBERNETES,
    docs: 'docs/kubernetes.md#the-checks',
  },
  'sa-role-missing': {
    family: 'kubernetes',
    severities: ['high'],
    finds: "the role a service account's annotation names does not exist (its account audited)",
    symptom: ACCESS_DENIED,
    fix: 'create the role, or annotate the service account with an existing one; then restart its pods',
    dependsOn: [...KUBERNETES, 'account-roles'],
    docs: 'docs/kubernetes.md#the-checks',
  },
  'sa-trust-mismatch': {
    family: 'kubernetes',
    severities: ['high'],
    finds:
      "the annotated role's trust does not admit `system:serviceaccount:<ns>:<sa>` of this cluster (Deny statements, conditions and key case evaluated as the trust checks do)",
    symptom: ACCESS_DENIED,
    fix: 'name the namespace and service account in the trust, or annotate the right role',
    dependsOn: [...KUBERNETES, ...TRUST],
    docs: 'docs/kubernetes.md#the-checks',
  },
  'sa-provider-missing': {
    family: 'kubernetes',
    severities: ['high'],
    finds: "the annotated role's account has no IAM OIDC provider for this cluster's issuer",
    symptom: NO_PROVIDER,
    fix: "create the provider for the cluster's issuer in the role's account",
    dependsOn: [...KUBERNETES, ...TRUST],
    docs: 'docs/kubernetes.md#the-checks',
  },
  'sa-audience-mismatch': {
    family: 'kubernetes',
    severities: ['high'],
    finds:
      "the service account's `eks.amazonaws.com/audience` (default `sts.amazonaws.com`) is not a client ID of the provider, or the trust does not admit it",
    symptom: '`InvalidIdentityToken: Incorrect token audience`',
    fix: "add the audience to the provider and the trust's `:aud` condition, or drop the annotation",
    dependsOn: [...KUBERNETES, ...TRUST],
    docs: 'docs/kubernetes.md#the-checks',
  },
  'pod-identity-stale': {
    family: 'kubernetes',
    severities: ['medium'],
    finds:
      'running pods of an annotated service account carry no `AWS_ROLE_ARN`, or another role (started before the annotation changed)',
    symptom: 'the pods act as the node role, or as the old role',
    fix: 'restart the pods (`kubectl rollout restart`): the webhook sets the role when a pod is created',
    dependsOn: KUBERNETES,
    docs: 'docs/kubernetes.md#the-checks',
  },
  'trust-subject-dangling': {
    family: 'kubernetes',
    severities: ['medium'],
    finds:
      'a trust admits an exact `system:serviceaccount:<ns>:<sa>` of a cluster where that service account (or namespace) does not exist',
    symptom: 'nothing fails: whoever creates that service account gets the role',
    fix: 'remove the subject from the trust, or create the service account it was meant for',
    dependsOn: [...KUBERNETES, ...TRUST],
    docs: 'docs/kubernetes.md#the-checks',
  },
  'pod-identity-subject-dangling': {
    family: 'kubernetes',
    severities: ['medium'],
    finds: 'a Pod Identity association names a namespace or service account that does not exist',
    symptom: 'nothing fails: whoever creates that service account gets the role',
    fix: 'delete the association, or create the service account it was meant for',
    dependsOn: KUBERNETES,
    docs: 'docs/kubernetes.md#the-checks',
  },
  'sa-irsa-shadowed': {
    family: 'kubernetes',
    severities: ['low'],
    finds: 'a service account has an IRSA annotation and a Pod Identity association',
    symptom: 'new pods use Pod Identity and ignore the annotation',
    fix: 'remove the annotation, or the association, so one mechanism says which role the pods get',
    dependsOn: KUBERNETES,
    docs: 'docs/kubernetes.md#the-checks',
  },
  'audit-error': {
    family: 'audit-errors',
    severities: ['high', 'medium'],
    severityRule:
      'high for an account that could not be read at all, access lost since an earlier run, or a run that read no account; medium for a region, stage or trust policy',
    finds: 'an account, region or stage could not be audited, or a trust policy could not be read',
    symptom: 'nothing: a blind spot, named instead of passed over',
    fix: 'grant the auditor the access it lacks, or fix what it could not read',
    dependsOn: ['place'],
    docs: 'docs/security-model.md',
  },
} as const satisfies Record<string, CheckDeclaration>;

export type CheckId = keyof typeof CATALOG;

/** The severities check `C` declares: makeFinding (src/checks/finding.ts) accepts these and no other. */
export type DeclaredSeverity<C extends CheckId> = (typeof CATALOG)[C]['severities'][number];

/** The checks the catalog gives family `F`: its function (src/checks/family.ts) may emit these and no other. */
export type FamilyCheckId<F extends Family> = ChecksByFamily[F];

/** Family → the union of its check ids (the ids that share a family key are joined). */
type ChecksByFamily = { [C in CheckId as (typeof CATALOG)[C]['family']]: C };

/** Every check id, in the catalog's order (the order of the per-check metrics). */
export const CHECK_IDS = Object.keys(CATALOG) as CheckId[];
