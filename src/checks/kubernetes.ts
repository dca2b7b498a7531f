// The Kubernetes half of IRSA and Pod Identity, joined to the IAM half (`--kubernetes`; docs/kubernetes.md): a
// service account's annotation against the role, its provider and its trust; pods started before the annotation
// changed; and subjects that trusts and associations name but no cluster holds, which whoever creates them takes.
// Only clusters whose Kubernetes side was read are judged; the trust is evaluated by the trust analysis itself.

import type { Facts } from '../facts/index.ts';
import { type ProviderTrust, type RoleTrust, trustAdmits } from '../facts/trust/analysis.ts';
import { EKS_SUBJECTS, isNamespaceName, isServiceAccountName } from '../facts/trust/subjects.ts';
import {
  type Cluster,
  holdsServiceAccount,
  type KubernetesServiceAccount,
  type KubernetesSide,
  ROLE_ARN_ANNOTATION,
  type Role,
  serviceAccountCount,
  serviceAccountKeys,
} from '../model/inventory.ts';
import { parseArn } from '../naming/arn.ts';
import { withoutScheme } from '../naming/issuer-url.ts';
import { type FamilyFinding, family } from './family.ts';
import { clusterPlace, makeFinding } from './finding.ts';
import {
  ACCESS_DENIED,
  associationCommand,
  createProviderCommand,
  STS_AUDIENCE,
  shellQuote,
  steps,
} from './remediation.ts';

/** What this family may emit (src/checks/family.ts). */
type KubernetesFinding = FamilyFinding<'kubernetes'>;

const ROLE_ARN = /^arn:(aws|aws-cn|aws-us-gov):iam::(\d{12}):role\/(?:[\w+=,.@-]+\/)*([\w+=,.@-]{1,64})$/;
type ReadCluster = Cluster & { kubernetes: KubernetesSide };

type Missing = 'service account' | 'namespace';

/** Which of a service account and its namespace a read cluster lacks; `undefined` when it holds both. */
type MissingIn = (side: KubernetesSide, namespace: string, name: string) => Missing | undefined;

/** Service accounts a cluster may hold and still be scanned for each question rather than indexed. */
const SCANNED_ACCOUNTS = 64;

/**
 * Asked once per association and trusted exact subject. A cluster's lists are scanned; a cluster with many service
 * accounts gets an index of `namespace/name` keys at its first question. An index for every read cluster, made
 * up front, held a set and a key text per service account of the whole organization at once (docs/performance.md,
 * "What the facts hold").
 */
function missingIn(): MissingIn {
  const indexes = new Map<KubernetesSide, ReadonlySet<string>>();
  const indexOf = (side: KubernetesSide) => {
    let index = indexes.get(side);
    if (!index) {
      index = new Set(serviceAccountKeys(side));
      indexes.set(side, index);
    }
    return index;
  };
  return (side, namespace, name) => {
    const held =
      serviceAccountCount(side) <= SCANNED_ACCOUNTS
        ? holdsServiceAccount(side, namespace, name)
        : indexOf(side).has(`${namespace}/${name}`);
    if (held) return undefined;
    return side.namespaces.includes(namespace) ? 'service account' : 'namespace';
  };
}

export const checkKubernetes = family('kubernetes', (facts) => {
  const clusters = facts.inventory.clusters.filter((c): c is ReadCluster => c.kubernetes !== undefined);
  if (clusters.length === 0) return [];
  const trusts = new Map(facts.trusts.map((trust) => [trust.role.arn, trust]));
  const missing = missingIn();
  return [
    ...clusters.flatMap((cluster) => [
      ...cluster.kubernetes.serviceAccounts.flatMap((sa) => annotationFindings(facts, trusts, cluster, sa)),
      ...associationFindings(cluster, missing),
    ]),
    ...facts.trusts.flatMap((trust) => danglingSubjects(facts, trust, missing)),
  ];
});

function serviceAccountSubject(namespace: string, name: string): string {
  return EKS_SUBJECTS.build(namespace, name, '');
}

// ---- one annotated service account against IAM -----------------------------------------------------------------

function annotationFindings(
  facts: Facts,
  trusts: ReadonlyMap<string, RoleTrust>,
  cluster: ReadCluster,
  sa: KubernetesServiceAccount,
): KubernetesFinding[] {
  if (sa.roleArn === undefined) return [];
  const shadowed = shadowedBy(cluster, sa);
  const judged = judgeAnnotation(facts, trusts, cluster, sa, sa.roleArn);
  return [...(judged ? [judged] : []), ...(shadowed ? [shadowed] : staleFindings(cluster, sa, sa.roleArn))];
}

function judgeAnnotation(
  facts: Facts,
  trusts: ReadonlyMap<string, RoleTrust>,
  cluster: ReadCluster,
  sa: KubernetesServiceAccount,
  roleArn: string,
): KubernetesFinding | undefined {
  const at = saPlace(cluster, sa);
  const match = ROLE_ARN.exec(roleArn);
  if (!match)
    return makeFinding({
      ...at,
      check: 'sa-role-invalid',
      severity: 'high',
      message: `Service account ${saName(sa)} of cluster ${cluster.name} is annotated ${ROLE_ARN_ANNOTATION}=${roleArn}, which is not an IAM role ARN: its pods get "ValidationError: Request ARN is invalid"`,
      remediation: steps(
        kubeconfigCommand(cluster),
        `${annotateCommand(sa, `${ROLE_ARN_ANNOTATION}=arn:${partitionOf(cluster)}:iam::<account>:role/<name>`)}`,
      ),
      evidence: { expected: 'arn:<partition>:iam::<account>:role/<name>', found: roleArn },
    });
  const [, , accountId = '', name = ''] = match;
  // A role in an account outside the audit is named by the report's role map, never guessed at.
  const account = facts.lookup.account(accountId);
  if (!account?.rolesAudited) return undefined;
  const role = facts.lookup.role(accountId, name);
  if (!role)
    return makeFinding({
      ...at,
      check: 'sa-role-missing',
      severity: 'high',
      message: `Service account ${saName(sa)} of cluster ${cluster.name} is annotated with role ${roleArn}, which does not exist in account ${accountId}: its pods get "${ACCESS_DENIED}"`,
      remediation: steps(
        '# create the role, or annotate an existing one, then restart the pods:',
        kubeconfigCommand(cluster),
        annotateCommand(sa, `${ROLE_ARN_ANNOTATION}=<existing role ARN>`),
      ),
      evidence: { expected: `an IAM role ${roleArn}`, found: "no such role among the account's roles" },
    });
  const issuer = cluster.issuer === null ? undefined : facts.lookup.issuerUrl(cluster.issuer);
  if (cluster.issuer === null || !issuer) return undefined;
  if (account.providersAudited && facts.lookup.providersFor(accountId, issuer.canonical).length === 0)
    return makeFinding({
      ...at,
      check: 'sa-provider-missing',
      severity: 'high',
      message: `Service account ${saName(sa)} of cluster ${cluster.name} is annotated with role ${role.name} of account ${accountId}, which has no IAM OIDC provider for the cluster's issuer: its pods get "InvalidIdentityToken: No OpenIDConnect provider found in your account for ${cluster.issuer}"`,
      remediation: steps(`# in account ${accountId}:`, createProviderCommand(cluster.issuer)),
      evidence: {
        expected: `an IAM OIDC provider for ${cluster.issuer} in ${accountId}`,
        found: 'none',
        role: role.arn,
      },
    });
  return judgeTrust(trusts.get(role.arn), cluster, sa, role, issuer.canonical);
}

function judgeTrust(
  trust: RoleTrust | undefined,
  cluster: ReadCluster,
  sa: KubernetesServiceAccount,
  role: Role,
  issuerKey: string,
): KubernetesFinding | undefined {
  // An unreadable trust is the trust family's blind spot to name; a role absent from the analyses trusts no provider.
  if (trust && trust.policy === undefined) return undefined;
  const subject = serviceAccountSubject(sa.namespace, sa.name);
  const provider = trust?.providers.find(
    (p) =>
      p.provider.kind === 'eks' &&
      p.provider.accountId === role.accountId &&
      p.provider.issuer.canonical === issuerKey,
  );
  if (!trust || !provider || !trustAdmits(trust, provider, subject, 'unknown'))
    return makeFinding({
      ...saPlace(cluster, sa),
      check: 'sa-trust-mismatch',
      severity: 'high',
      message: `The trust policy of role ${role.name} (annotated on service account ${saName(sa)} of cluster ${cluster.name}) does not admit ${subject} from the cluster's issuer: its pods get "${ACCESS_DENIED}"`,
      remediation: `In the trust policy of role ${role.name}, allow sts:AssumeRoleWithWebIdentity for ${JSON.stringify(
        {
          StringEquals: {
            [`${issuerKeyOf(cluster)}:sub`]: subject,
            [`${issuerKeyOf(cluster)}:aud`]: STS_AUDIENCE,
          },
        },
      )}, or annotate the service account with the role meant for it`,
      evidence: {
        expected: `${subject} admitted`,
        found: provider ? provider.access.subjects.map((s) => s.pattern) : 'no statement for the provider',
        role: role.arn,
      },
    });
  return judgeAudience(trust, provider, cluster, sa, role, subject);
}

function judgeAudience(
  trust: RoleTrust,
  provider: ProviderTrust,
  cluster: ReadCluster,
  sa: KubernetesServiceAccount,
  role: Role,
  subject: string,
): KubernetesFinding | undefined {
  const audience = sa.audience ?? STS_AUDIENCE;
  const clientIds = provider.provider.audiences;
  const notClientId = clientIds !== undefined && !clientIds.includes(audience);
  if (!notClientId && trustAdmits(trust, provider, subject, audience)) return undefined;
  const where = notClientId
    ? `is not a client ID of provider ${provider.provider.arn}`
    : `is not admitted by the trust policy of role ${role.name}`;
  return makeFinding({
    ...saPlace(cluster, sa),
    check: 'sa-audience-mismatch',
    severity: 'high',
    message: `Service account ${saName(sa)} of cluster ${cluster.name} gets tokens for audience ${audience}, which ${where}: its pods get "InvalidIdentityToken: Incorrect token audience"`,
    remediation: notClientId
      ? steps(
          `aws iam add-client-id-to-open-id-connect-provider --open-id-connect-provider-arn ${shellQuote(provider.provider.arn)} --client-id ${shellQuote(audience)}`,
          `# or drop the ${sa.audience === undefined ? 'audience' : 'eks.amazonaws.com/audience annotation'} so tokens carry ${STS_AUDIENCE}`,
        )
      : `In the trust policy of role ${role.name}, admit ${JSON.stringify({ StringEquals: { [`${issuerKeyOf(cluster)}:aud`]: audience } })}`,
    evidence: {
      expected: `${audience} a client ID of the provider and admitted by the trust`,
      found: { clientIds: clientIds ?? 'not read' },
      role: role.arn,
      provider: provider.provider.arn,
    },
  });
}

// ---- pods and Pod Identity --------------------------------------------------------------------------------------

function staleFindings(
  cluster: ReadCluster,
  sa: KubernetesServiceAccount,
  roleArn: string,
): KubernetesFinding[] {
  const stale = cluster.kubernetes.pods.filter(
    (pod) =>
      pod.namespace === sa.namespace &&
      pod.serviceAccount === sa.name &&
      !pod.podIdentity &&
      !pod.roleArns.includes(roleArn),
  );
  if (stale.length === 0) return [];
  const shown = stale.slice(0, 5).map((pod) => pod.name);
  const carried = [...new Set(stale.flatMap((pod) => pod.roleArns))];
  return [
    makeFinding({
      ...saPlace(cluster, sa),
      check: 'pod-identity-stale',
      severity: 'medium',
      message: `${stale.length} running pod(s) of service account ${saName(sa)} (cluster ${cluster.name}) ${carried.length === 0 ? 'carry no AWS_ROLE_ARN' : `carry AWS_ROLE_ARN ${carried.join(', ')}`}, not the annotated ${roleArn}: they started before the annotation changed and act as ${carried.length === 0 ? 'the node role' : 'the old role'} (${shown.join(', ')}${stale.length > shown.length ? ', …' : ''})`,
      remediation: steps(
        kubeconfigCommand(cluster),
        '# restart the workloads that own these pods (the webhook sets the role when a pod is created), e.g.:',
        ['kubectl', '--namespace', sa.namespace, 'delete', 'pod', ...shown].map(shellQuote).join(' '),
      ),
      evidence: {
        expected: `AWS_ROLE_ARN=${roleArn} in every running pod`,
        found: stale
          .slice(0, 20)
          .map((pod) => ({ pod: pod.name, roleArns: pod.roleArns, startTime: pod.startTime })),
      },
    }),
  ];
}

function shadowedBy(cluster: ReadCluster, sa: KubernetesServiceAccount): KubernetesFinding | undefined {
  const association = cluster.podIdentity?.associations.find(
    (a) => a.namespace === sa.namespace && a.serviceAccount === sa.name,
  );
  if (!association) return undefined;
  return makeFinding({
    ...saPlace(cluster, sa),
    check: 'sa-irsa-shadowed',
    severity: 'low',
    message: `Service account ${saName(sa)} of cluster ${cluster.name} is annotated with role ${sa.roleArn} and has Pod Identity association ${association.associationId} (role ${association.roleArn}): new pods use Pod Identity and ignore the annotation`,
    remediation: steps(
      kubeconfigCommand(cluster),
      `${['kubectl', '--namespace', sa.namespace, 'annotate', 'serviceaccount', sa.name].map(shellQuote).join(' ')} ${shellQuote(`${ROLE_ARN_ANNOTATION}-`)}`,
      '# or delete the association, if the annotation is the one meant',
    ),
    evidence: {
      expected: 'one of IRSA and Pod Identity',
      found: { annotation: sa.roleArn, association: association.associationArn },
    },
  });
}

function associationFindings(cluster: ReadCluster, missing: MissingIn): KubernetesFinding[] {
  return (cluster.podIdentity?.associations ?? []).flatMap((association) => {
    const { namespace, serviceAccount } = association;
    const what = missing(cluster.kubernetes, namespace, serviceAccount);
    if (!what) return [];
    return [
      makeFinding({
        ...clusterPlace(cluster, association.associationArn),
        check: 'pod-identity-subject-dangling',
        severity: 'medium',
        message: `Pod Identity association ${association.associationId} of cluster ${cluster.name} hands role ${association.roleArn} to ${namespace}/${serviceAccount}, but the ${what} does not exist: whoever creates it gets the role`,
        remediation: steps(
          associationCommand('delete', cluster, association),
          '# or create the service account the association was meant for',
        ),
        evidence: { expected: `service account ${namespace}/${serviceAccount}`, found: `no such ${what}` },
      }),
    ];
  });
}

// ---- trusts naming service accounts that do not exist ------------------------------------------------------------

function danglingSubjects(facts: Facts, trust: RoleTrust, missing: MissingIn): KubernetesFinding[] {
  return trust.providers.flatMap((provider) => {
    const reachable =
      provider.provider.kind === 'eks' && ['ok', 'unverified'].includes(provider.provider.status);
    if (!reachable) return [];
    const clusters = facts.lookup
      .clustersWithIssuer(provider.provider.issuer.canonical)
      .filter((c): c is ReadCluster => c.kubernetes !== undefined);
    // A name Kubernetes would refuse (`Default`, ` kube-system`) is nobody's to create: trust-malformed-sub's case.
    const exact = provider.access.subjects.filter(
      (s) =>
        s.breadth === 'exact' &&
        isNamespaceName(s.scope?.pattern ?? '') &&
        isServiceAccountName(s.name?.pattern ?? ''),
    );
    return clusters.flatMap((cluster) =>
      exact.flatMap((subject) => {
        const namespace = subject.scope?.pattern ?? '';
        const name = subject.name?.pattern ?? '';
        const what = missing(cluster.kubernetes, namespace, name);
        if (!what) return [];
        const full = serviceAccountSubject(namespace, name);
        return [
          makeFinding({
            accountId: trust.role.accountId,
            region: cluster.region,
            resource: trust.role.arn,
            cluster: cluster.name,
            check: 'trust-subject-dangling',
            severity: 'medium',
            message: `The trust policy of role ${trust.role.name} admits ${full} of cluster ${cluster.name}, but the ${what} does not exist there: whoever creates it gets the role`,
            remediation: `Remove ${full} from the trust policy of role ${trust.role.name}, or create the service account it was meant for in cluster ${cluster.name}`,
            evidence: {
              expected: `service account ${namespace}/${name} in ${cluster.arn}`,
              found: `no such ${what}`,
            },
            discriminator: `${cluster.arn}|${full}`,
          }),
        ];
      }),
    );
  });
}

// ---- places and commands ------------------------------------------------------------------------------------------

function saPlace(cluster: Cluster, sa: KubernetesServiceAccount) {
  return {
    ...clusterPlace(cluster),
    discriminator: saName(sa),
  };
}

function saName(sa: KubernetesServiceAccount): string {
  return `${sa.namespace}/${sa.name}`;
}

function partitionOf(cluster: Cluster): string {
  return parseArn(cluster.arn)?.partition ?? 'aws';
}

function issuerKeyOf(cluster: Cluster): string {
  return withoutScheme(cluster.issuer ?? '');
}

function kubeconfigCommand(cluster: Cluster): string {
  return ['aws', 'eks', 'update-kubeconfig', '--region', cluster.region, '--name', cluster.name]
    .map(shellQuote)
    .join(' ');
}

function annotateCommand(sa: KubernetesServiceAccount, annotation: string): string {
  return [
    'kubectl',
    '--namespace',
    sa.namespace,
    'annotate',
    'serviceaccount',
    sa.name,
    annotation,
    '--overwrite',
  ]
    .map(shellQuote)
    .join(' ');
}
