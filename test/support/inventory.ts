// Builders for inventories as the collectors produce them, with realistic defaults: one account, one region, a
// cluster `prod` whose provider is registered, accepts `sts.amazonaws.com` and holds the thumbprint of the last
// certificate the issuer host presents (the Amazon chain as served before ACM dropped the Starfield cross-sign).
// Override only what a test is about.

import { createHash } from 'node:crypto';
import type { CheckContext } from '../../src/checks/types.ts';
import type {
  AuditError,
  AuditedAccount,
  CertificateInfo,
  Cluster,
  HostProbe,
  Inventory,
  IssuerProbe,
  OidcProvider,
  PodIdentityAssociation,
  ProbeError,
  Role,
  TlsChain,
} from '../../src/model/inventory.ts';
import { STS_AUDIENCE } from '../../src/model/sts.ts';
import { oidcProviderArn, partitionOfRegion } from '../../src/naming/arn.ts';

export const ACCOUNT_ID = '111122223333';
export const REGION = 'us-east-1';
export const NOW = new Date('2026-06-01T00:00:00.000Z');
export { STS_AUDIENCE };

const DAY_MS = 86_400_000;

export function aContext(overrides: Partial<CheckContext> = {}): CheckContext {
  return { now: NOW, caWarnDays: 180, ...overrides };
}

/** An ISO date `days` after NOW (negative: before). */
export function daysFromNow(days: number): string {
  return new Date(NOW.getTime() + days * DAY_MS).toISOString();
}

/** 32 uppercase hex characters, like EKS OIDC ids; derived from a seed so each cluster gets its own, stably. */
export function anOidcId(seed = 'prod'): string {
  return createHash('md5').update(seed).digest('hex').toUpperCase();
}

export function eksIssuerHost(region = REGION): string {
  return `oidc.eks.${region}.amazonaws.com`;
}

export function eksIssuer(region = REGION, oidcId = anOidcId()): string {
  return `https://${eksIssuerHost(region)}/id/${oidcId}`;
}

/** The dual-stack alias of an issuer, as IAM stores provider URLs (no scheme). */
export function aliasUrl(region = REGION, oidcId = anOidcId()): string {
  return `oidc-eks.${region}.api.aws/id/${oidcId}`;
}

/** IAM's form of a URL: no scheme. */
export function withoutScheme(url: string): string {
  return url.replace(/^https:\/\//, '');
}

export function providerArnFor(url: string, accountId = ACCOUNT_ID, region = REGION): string {
  return oidcProviderArn(partitionOfRegion(region), accountId, withoutScheme(url));
}

export function anAccount(overrides: Partial<AuditedAccount> = {}): AuditedAccount {
  return {
    accountId: ACCOUNT_ID,
    partition: 'aws',
    regionsAudited: [REGION],
    providersAudited: true,
    rolesAudited: true,
    ...overrides,
  };
}

export interface ClusterOptions extends Partial<Cluster> {
  oidcId?: string;
}

export function aCluster({ oidcId, ...overrides }: ClusterOptions = {}): Cluster {
  const name = overrides.name ?? 'prod';
  const region = overrides.region ?? REGION;
  const accountId = overrides.accountId ?? ACCOUNT_ID;
  return {
    accountId,
    region,
    name,
    arn: `arn:aws:eks:${region}:${accountId}:cluster/${name}`,
    issuer: eksIssuer(region, oidcId ?? anOidcId(name)),
    status: 'ACTIVE',
    version: '1.33',
    ...overrides,
  };
}

export interface ProviderOptions extends Partial<OidcProvider> {
  /** The cluster whose issuer the provider is registered for; the default cluster when neither it nor url is given. */
  cluster?: Cluster;
  /** Register under the dual-stack alias of that issuer instead. */
  alias?: boolean;
}

export function aProvider({ cluster, alias = false, ...overrides }: ProviderOptions = {}): OidcProvider {
  const target = cluster ?? aCluster({ accountId: overrides.accountId ?? ACCOUNT_ID });
  const issuerUrl = withoutScheme(target.issuer ?? eksIssuer());
  const oidcId = issuerUrl.split('/').at(-1) ?? anOidcId();
  const url = overrides.url ?? (alias ? aliasUrl(target.region, oidcId) : issuerUrl);
  const accountId = overrides.accountId ?? target.accountId;
  return {
    accountId,
    arn: providerArnFor(url, accountId, target.region),
    url,
    clientIds: [STS_AUDIENCE],
    thumbprints: [starfieldServicesRootCrossSigned().sha1],
    createdAt: '2024-03-14T09:26:53.000Z',
    ...overrides,
  };
}

/** A CA certificate; its SHA-1 follows from subject, issuer and serial, so distinct certificates differ. */
export function aCert(overrides: Partial<CertificateInfo> = {}): CertificateInfo {
  const subject = overrides.subject ?? 'CN=Example Issuing CA,O=Example Corp,C=US';
  const issuer = overrides.issuer ?? 'CN=Example Root CA,O=Example Corp,C=US';
  const serialNumber = overrides.serialNumber ?? '0a1b2c3d';
  return {
    subject,
    issuer,
    serialNumber,
    notBefore: '2022-08-23T22:26:04.000Z',
    notAfter: '2030-08-23T22:26:04.000Z',
    sha1: createHash('sha1').update(`${subject}|${issuer}|${serialNumber}`).digest('hex'),
    isCa: true,
    selfSigned: subject === issuer,
    ...overrides,
  };
}

export function aLeafCert(host = eksIssuerHost(), overrides: Partial<CertificateInfo> = {}): CertificateInfo {
  return aCert({
    subject: `CN=${host}`,
    issuer: 'CN=Amazon RSA 2048 M02,O=Amazon,C=US',
    serialNumber: '0f3c2a9be1d2c4a5b6c7d8e9f0a1b2c3',
    notBefore: daysFromNow(-165),
    notAfter: daysFromNow(230),
    isCa: false,
    ...overrides,
  });
}

export function amazonRsa2048M02(): CertificateInfo {
  return aCert({
    subject: 'CN=Amazon RSA 2048 M02,O=Amazon,C=US',
    issuer: 'CN=Amazon Root CA 1,O=Amazon,C=US',
    serialNumber: '773124a4bcbd44ec7b53beaf194842d3a0fa1',
    notAfter: '2030-08-23T22:26:04.000Z',
  });
}

/** Amazon Root CA 1 as a cross-signed intermediate: what servers presented under the Starfield cross-sign. */
export function amazonRootCa1CrossSigned(): CertificateInfo {
  return aCert({
    subject: 'CN=Amazon Root CA 1,O=Amazon,C=US',
    issuer: 'CN=Starfield Services Root Certificate Authority - G2,O=Starfield Technologies\\, Inc.,C=US',
    serialNumber: '67f9457508c648c09ca652e71791830e72592',
    notAfter: '2037-12-31T01:00:00.000Z',
  });
}

/** The certificate whose SHA-1 was the well-known EKS thumbprint for years. */
export function starfieldServicesRootCrossSigned(): CertificateInfo {
  return aCert({
    subject: 'CN=Starfield Services Root Certificate Authority - G2,O=Starfield Technologies\\, Inc.,C=US',
    issuer: 'OU=Starfield Class 2 Certification Authority,O=Starfield Technologies\\, Inc.,C=US',
    serialNumber: 'a70e4a4c3482b77f',
    notAfter: '2034-06-28T17:39:16.000Z',
    sha1: '9e99a48a9960b14926bb7f3b02e22da2b0ab7280',
  });
}

/** Amazon Root CA 1 as Node's trust store holds it: self-signed. */
export function amazonRootCa1(): CertificateInfo {
  return aCert({
    subject: 'CN=Amazon Root CA 1,O=Amazon,C=US',
    issuer: 'CN=Amazon Root CA 1,O=Amazon,C=US',
    serialNumber: '66c9fcf99bf8c0a39e2f0788a43e696365bca',
    notAfter: '2038-01-17T00:00:00.000Z',
    sha1: '8da7f965ec5efc37910f1c6e59fdc1cc6a6ede16',
  });
}

export function aTlsChain(overrides: Partial<TlsChain> = {}): TlsChain {
  const host = overrides.host ?? eksIssuerHost();
  return {
    host,
    port: 443,
    protocol: 'TLSv1.3',
    presented: [
      aLeafCert(host),
      amazonRsa2048M02(),
      amazonRootCa1CrossSigned(),
      starfieldServicesRootCrossSigned(),
    ],
    presentedExact: true,
    verified: [aLeafCert(host), amazonRsa2048M02(), amazonRootCa1()],
    publiclyTrusted: true,
    ...overrides,
  };
}

/** A chain signed by a private CA: what a self-hosted issuer behind a corporate CA serves. */
export function aPrivateTlsChain(host: string, overrides: Partial<TlsChain> = {}): TlsChain {
  const root = aCert({ subject: 'CN=Corp Root CA,O=Corp', issuer: 'CN=Corp Root CA,O=Corp' });
  const intermediate = aCert({ subject: 'CN=Corp Issuing CA 1,O=Corp', issuer: 'CN=Corp Root CA,O=Corp' });
  return aTlsChain({
    host,
    presented: [aLeafCert(host, { issuer: intermediate.subject }), intermediate, root],
    verified: [aLeafCert(host, { issuer: intermediate.subject }), intermediate],
    publiclyTrusted: false,
    trustError: 'UNABLE_TO_GET_ISSUER_CERT_LOCALLY',
    ...overrides,
  });
}

export function aProbeError(overrides: Partial<ProbeError> = {}): ProbeError {
  return { stage: 'tls', code: 'ETIMEDOUT', message: 'connect ETIMEDOUT 52.95.110.1:443', ...overrides };
}

/** A probe of one host: with a chain read off it unless an error is given. */
export function aHostProbe(overrides: Partial<HostProbe> = {}): HostProbe {
  const host = overrides.host ?? eksIssuerHost();
  return { host, port: 443, ...(overrides.error ? {} : { chain: aTlsChain({ host }) }), ...overrides };
}

export interface IssuerProbeOptions extends Partial<IssuerProbe> {
  /** Serve the keys from another host: sets `jwksHost` and the discovery document's `jwks_uri`. */
  keysOn?: string;
}

/** A discovery read of one issuer: its document names the issuer itself, unless an error is given. */
export function anIssuerProbe({ keysOn, ...overrides }: IssuerProbeOptions = {}): IssuerProbe {
  const issuer = overrides.issuer ?? eksIssuer();
  const host = withoutScheme(issuer).split('/')[0] ?? '';
  const jwksUri = keysOn ? `https://${keysOn}/keys` : `${issuer}/keys`;
  return {
    issuer,
    host,
    ...(overrides.error ? {} : { discovery: { issuer, jwksUri } }),
    ...(keysOn ? { jwksHost: keysOn } : {}),
    ...overrides,
  };
}

export interface RoleOptions extends Partial<Role> {
  /** Provider ARNs the trust policy names as `Principal.Federated`, each with IRSA's usual conditions. */
  trusts?: string[];
}

export function aRole({ trusts = [], ...overrides }: RoleOptions = {}): Role {
  const name = overrides.name ?? 'app-irsa';
  const accountId = overrides.accountId ?? ACCOUNT_ID;
  return {
    accountId,
    arn: `arn:aws:iam::${accountId}:role/${name}`,
    name,
    path: '/',
    trustPolicy: {
      Version: '2012-10-17',
      Statement: trusts.map((providerArn) => {
        const url = providerArn.slice(providerArn.indexOf('oidc-provider/') + 'oidc-provider/'.length);
        return {
          Effect: 'Allow',
          Principal: { Federated: providerArn },
          Action: 'sts:AssumeRoleWithWebIdentity',
          Condition: {
            StringEquals: {
              [`${url}:sub`]: 'system:serviceaccount:default:app',
              [`${url}:aud`]: STS_AUDIENCE,
            },
          },
        };
      }),
    },
    ...overrides,
  };
}

export function anAuditError(overrides: Partial<AuditError> = {}): AuditError {
  return {
    accountId: ACCOUNT_ID,
    region: REGION,
    stage: 'eks',
    code: 'AccessDeniedException',
    message: `User: arn:aws:sts::${ACCOUNT_ID}:assumed-role/OIDCAuditRole/audit is not authorized to perform: eks:ListClusters`,
    ...overrides,
  };
}

/** An inventory with one audited account and nothing in it. */
export function anInventory(overrides: Partial<Inventory> = {}): Inventory {
  return {
    accounts: [anAccount()],
    clusters: [],
    providers: [],
    roles: [],
    hosts: [],
    issuers: [],
    errors: [],
    ...overrides,
  };
}

/** Cluster `prod` with IRSA working end to end: provider, role, probes. No check should fire on it. */
export function aHealthyInventory(overrides: Partial<Inventory> = {}): Inventory {
  const cluster = aCluster();
  const provider = aProvider({ cluster });
  return anInventory({
    clusters: [cluster],
    providers: [provider],
    roles: [aRole({ trusts: [provider.arn] })],
    hosts: [aHostProbe()],
    issuers: [anIssuerProbe({ issuer: cluster.issuer ?? eksIssuer() })],
    ...overrides,
  });
}

/** A Pod Identity association of `cluster` handing role `roleName` to `namespace/serviceAccount`. */
export function anAssociation(
  cluster: Cluster,
  overrides: Partial<PodIdentityAssociation> & { roleName?: string } = {},
): PodIdentityAssociation {
  const { roleName = 'app-pod-identity', ...rest } = overrides;
  const id = `a-${(rest.namespace ?? 'default').padEnd(17, '0').slice(0, 17)}`;
  return {
    associationArn: `arn:aws:eks:${cluster.region}:${cluster.accountId}:podidentityassociation/${cluster.name}/${id}`,
    associationId: id,
    namespace: 'default',
    serviceAccount: 'app',
    roleArn: `arn:aws:iam::${cluster.accountId}:role/${roleName}`,
    disableSessionTags: false,
    ...rest,
  };
}

/**
 * A role trusting EKS Pod Identity, as the EKS guide writes it, narrowed by `condition` when given, with `more`
 * statements after it (a Deny, say).
 */
export function aPodIdentityRole(
  name = 'app-pod-identity',
  condition?: Record<string, unknown>,
  accountId = ACCOUNT_ID,
  more: Record<string, unknown>[] = [],
): Role {
  return aRole({
    name,
    accountId,
    trustPolicy: {
      Version: '2012-10-17',
      Statement: [
        {
          Effect: 'Allow',
          Principal: { Service: 'pods.eks.amazonaws.com' },
          Action: ['sts:AssumeRole', 'sts:TagSession'],
          ...(condition ? { Condition: condition } : {}),
        },
        ...more,
      ],
    },
  });
}
