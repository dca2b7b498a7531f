// Why a cluster's Kubernetes side could not be read: refused (the auditor's principal has no access, which only
// the cluster's owner can grant) or not reached (the network path, the endpoint's settings, a time-out).

type KubernetesStage = 'kubernetes-access' | 'kubernetes-unreachable';

/** Codes the remediation of the audit error is chosen by (src/checks/kubernetes-access.ts). */
export const ACCESS_CODES = {
  /** 401 in API or API_AND_CONFIG_MAP mode: no access entry names the principal. */
  noAccessEntry: 'NoAccessEntry',
  /** 401 in CONFIG_MAP mode: aws-auth does not map the principal. */
  notMapped: 'NotMappedInAwsAuth',
  /** 403: authenticated, but not allowed to list (no AmazonEKSViewPolicy). */
  forbidden: 'Forbidden',
} as const;

export const UNREACHABLE_CODES = {
  privateEndpoint: 'PrivateEndpoint',
  noEndpoint: 'NoEndpoint',
  notActive: 'ClusterNotActive',
} as const;

export class KubernetesFailure extends Error {
  override readonly name = 'KubernetesFailure';
  readonly stage: KubernetesStage;
  readonly code: string;

  constructor(stage: KubernetesStage, code: string, message: string) {
    super(message);
    this.stage = stage;
    this.code = code;
  }
}
