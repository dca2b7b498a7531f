// The inventory is everything the auditor read from AWS and from the issuers, as plain data.
// Checks are pure functions over it; the report embeds it.

export type Partition = 'aws' | 'aws-cn' | 'aws-us-gov';

export interface Cluster {
  accountId: string;
  region: string;
  name: string;
  arn: string;
  /** The issuer URL exactly as EKS returns it; null for clusters without one (Outposts local clusters). */
  issuer: string | null;
  status?: string;
  version?: string;
  /** EKS Auto Mode (`computeConfig.enabled`): the Pod Identity agent is part of the cluster. */
  autoMode?: boolean;
  /** What EKS Pod Identity holds for the cluster; undefined when it could not be read (an audit error says why). */
  podIdentity?: PodIdentity;
  /**
   * The cluster's Kubernetes side (`--kubernetes` only): undefined when the option is off, or when the cluster
   * could not be read (a `kubernetes-access` or `kubernetes-unreachable` audit error says why).
   */
  kubernetes?: KubernetesSide;
}

/** The IRSA annotation and its audience (docs/kubernetes.md). */
export const ROLE_ARN_ANNOTATION = 'eks.amazonaws.com/role-arn';
export const AUDIENCE_ANNOTATION = 'eks.amazonaws.com/audience';

/** What the auditor read of a cluster's Kubernetes API: metadata only, and the pods of the accounts that matter. */
export interface KubernetesSide {
  namespaces: string[];
  /** The service accounts that carry an IRSA annotation, with it. */
  serviceAccounts: KubernetesServiceAccount[];
  /**
   * Every other service account, by name, namespace by namespace. They are most of a cluster's (each namespace's
   * `default`, the add-ons' and controllers' in `kube-system`), and all the checks ask of them is whether one
   * exists: an object each was most of an organization's inventory (docs/performance.md, "Clusters as real ones
   * are"), and clusters whose namespace holds the same names share one entry.
   */
  unannotated: NamespaceAccounts[];
  /** Running pods of the annotated service accounts and of those Pod Identity associations name. */
  pods: KubernetesPod[];
}

/** The names of service accounts of one namespace, in order. */
export interface NamespaceAccounts {
  namespace: string;
  names: readonly string[];
}

/** What makes two namespaces' lists of service accounts the same, for a pool to keep one of them. */
export function namespaceAccountsKey(entry: NamespaceAccounts): string {
  return JSON.stringify([entry.namespace, ...entry.names]);
}

/** A read cluster's service accounts, annotated and not. */
export type ServiceAccountLists = Pick<KubernetesSide, 'serviceAccounts' | 'unannotated'>;

/** Whether a read cluster holds a service account, annotated or not. */
export function holdsServiceAccount(side: ServiceAccountLists, namespace: string, name: string): boolean {
  return (
    side.serviceAccounts.some((sa) => sa.namespace === namespace && sa.name === name) ||
    side.unannotated.some((entry) => entry.namespace === namespace && entry.names.includes(name))
  );
}

/** Each service account of a read cluster, annotated or not, as `namespace/name`. */
export function serviceAccountKeys(side: ServiceAccountLists): string[] {
  return [
    ...side.serviceAccounts.map((sa) => `${sa.namespace}/${sa.name}`),
    ...side.unannotated.flatMap((entry) => entry.names.map((name) => `${entry.namespace}/${name}`)),
  ];
}

/** How many service accounts a read cluster holds, annotated or not. */
export function serviceAccountCount(side: ServiceAccountLists): number {
  return side.unannotated.reduce((count, entry) => count + entry.names.length, side.serviceAccounts.length);
}

export interface KubernetesServiceAccount {
  namespace: string;
  name: string;
  /** `eks.amazonaws.com/role-arn` as written, when annotated. */
  roleArn?: string;
  /** `eks.amazonaws.com/audience` as written, when annotated. */
  audience?: string;
}

export interface KubernetesPod {
  namespace: string;
  name: string;
  serviceAccount: string;
  /** ISO 8601; absent while the pod is not yet scheduled. */
  startTime?: string;
  /** Every distinct `AWS_ROLE_ARN` its containers carry (the IRSA webhook sets it at creation). */
  roleArns: string[];
  /** Whether a container carries `AWS_WEB_IDENTITY_TOKEN_FILE`. */
  webIdentity: boolean;
  /** Whether a container carries `AWS_CONTAINER_CREDENTIALS_FULL_URI` (EKS Pod Identity). */
  podIdentity: boolean;
}

/** A Kubernetes service account mapped to an IAM role by EKS Pod Identity (DescribePodIdentityAssociation). */
export interface PodIdentityAssociation {
  associationArn: string;
  associationId: string;
  namespace: string;
  serviceAccount: string;
  roleArn: string;
  /** A role EKS chains into from `roleArn`, usually in another account, with `externalId` in its trust. */
  targetRoleArn?: string;
  externalId?: string;
  /** True: EKS sets none of its session tags (`eks-cluster-arn`, `kubernetes-namespace`, ...). */
  disableSessionTags: boolean;
  /**
   * The association's session policy (IAM policy JSON): the pods get the intersection of it and the role's (or,
   * chained, the target role's) permissions. EKS accepts one only with session tags disabled.
   */
  sessionPolicy?: string;
}

/** The EKS add-on that serves Pod Identity credentials to pods (169.254.170.23). */
export const POD_IDENTITY_AGENT_ADDON = 'eks-pod-identity-agent';

export interface PodIdentity {
  associations: PodIdentityAssociation[];
  /**
   * The `eks-pod-identity-agent` add-on: its status, or null when it is not installed. Read only for clusters
   * with associations (undefined otherwise): without them the agent serves nothing.
   */
  agent?: { status: string; version?: string } | null;
}

export interface OidcProvider {
  accountId: string;
  arn: string;
  /** As IAM returns it: no scheme, e.g. `oidc.eks.us-east-1.amazonaws.com/id/ABC`. */
  url: string;
  clientIds: string[];
  /** As IAM returns them; may be empty (AWS fills them in itself since 2024). */
  thumbprints: string[];
  createdAt?: string;
}

export interface Role {
  accountId: string;
  arn: string;
  name: string;
  path: string;
  /** The trust policy, URL-decoded and JSON-parsed; undefined when it could not be parsed (see trustPolicyError). */
  trustPolicy?: unknown;
  trustPolicyError?: string;
}

export interface CertificateInfo {
  subject: string;
  issuer: string;
  serialNumber: string;
  /** ISO 8601 */
  notBefore: string;
  /** ISO 8601 */
  notAfter: string;
  /** Lowercase hex SHA-1 of the DER encoding: what IAM calls the thumbprint. */
  sha1: string;
  isCa: boolean;
  selfSigned: boolean;
}

export interface TlsChain {
  host: string;
  port: number;
  /** Negotiated protocol, e.g. `TLSv1.2`. */
  protocol: string;
  /** The certificates in the order the server sent them, leaf first. */
  presented: CertificateInfo[];
  /** False when the presented list could not be read off the wire and was taken from Node's linked chain. */
  presentedExact: boolean;
  /** The chain Node built and verified against its trust store, leaf first, up to the top it reached. */
  verified: CertificateInfo[];
  /** Whether the chain verifies against the trust store (Node's bundled public roots plus NODE_EXTRA_CA_CERTS). */
  publiclyTrusted: boolean;
  /** OpenSSL's reason when not trusted, e.g. `UNABLE_TO_GET_ISSUER_CERT_LOCALLY`. */
  trustError?: string;
  /**
   * True when the server refused TLS 1.2 and was reached over TLS 1.3 only: then the presented list is
   * Node's linked chain (presentedExact false), and IAM uses the configured thumbprints for such endpoints.
   */
  tls13Only?: boolean;
}

export interface ProbeError {
  stage: 'tls' | 'discovery' | 'jwks';
  /** A short machine-readable code, e.g. `ETIMEDOUT`, `HTTP_404`, `ISSUER_MISMATCH`. */
  code: string;
  message: string;
}

/** One TLS probe of one host: shared by every issuer on that host. */
export interface HostProbe {
  host: string;
  port: number;
  chain?: TlsChain;
  error?: ProbeError;
}

export interface DiscoveryDocument {
  issuer: string;
  jwksUri: string;
}

/** One issuer URL: its discovery document, read over the connection of its host's probe. */
export interface IssuerProbe {
  /** The issuer URL as the clusters report it. */
  issuer: string;
  host: string;
  discovery?: DiscoveryDocument;
  /** Host of `jwks_uri` when it differs from the issuer host; that host is probed too (see `hosts`). */
  jwksHost?: string;
  error?: ProbeError;
}

export interface AuditError {
  accountId: string | null;
  region: string | null;
  /** What could not be done, e.g. `assume-role`, `list-regions`, `eks`, `iam-providers`, `iam-roles`, `time budget`. */
  stage: string;
  /** The AWS error code or a short code of ours, e.g. `AccessDenied`, `UnrecognizedClientException`. */
  code: string;
  message: string;
  /** The cluster ARN, for a failure of one cluster (its Kubernetes side). */
  cluster?: string;
  /** The IAM principal the auditor read the cluster as: whom its access entry must name. */
  principal?: string;
}

export interface AuditedAccount {
  accountId: string;
  partition: Partition;
  /** Regions whose EKS inventory was read completely. */
  regionsAudited: string[];
  /** Whether the account's IAM OIDC providers were read completely. */
  providersAudited: boolean;
  /** Whether the account's roles were read completely. */
  rolesAudited: boolean;
}

export interface Inventory {
  accounts: AuditedAccount[];
  clusters: Cluster[];
  providers: OidcProvider[];
  roles: Role[];
  hosts: HostProbe[];
  issuers: IssuerProbe[];
  errors: AuditError[];
}
