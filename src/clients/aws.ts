import { Agent as HttpAgent } from 'node:http';
import { Agent as HttpsAgent } from 'node:https';
import { AccountClient } from '@aws-sdk/client-account';
import { CloudWatchClient } from '@aws-sdk/client-cloudwatch';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import type { EC2Client } from '@aws-sdk/client-ec2';
import { EKSClient } from '@aws-sdk/client-eks';
import { IAMClient } from '@aws-sdk/client-iam';
import { OrganizationsClient } from '@aws-sdk/client-organizations';
import type { S3Client } from '@aws-sdk/client-s3';
import type { SecurityHubClient } from '@aws-sdk/client-securityhub';
import { SNSClient } from '@aws-sdk/client-sns';
import type { SSMClient } from '@aws-sdk/client-ssm';
import { STSClient } from '@aws-sdk/client-sts';
import type { AwsCredentialIdentity, AwsCredentialIdentityProvider } from '@aws-sdk/types';
import { Sha256 } from '@smithy/core/checksum';
import { NodeHttpHandler } from '@smithy/node-http-handler';
import { SignatureV4 } from '@smithy/signature-v4';
import type { Provider, RequestSigner } from '@smithy/types';
import type { Partition } from '../model/inventory.ts';

export type Credentials = AwsCredentialIdentity | AwsCredentialIdentityProvider;

/** The SDK clients the audit reads through; one instance per service, region and account, reused for the run. */
export interface AwsClients {
  sts(region: string, credentials?: Credentials): STSClient;
  iam(partition: Partition, credentials?: Credentials): IAMClient;
  eks(region: string, credentials?: Credentials): EKSClient;
  account(partition: Partition, credentials?: Credentials): AccountClient;
  /**
   * Loaded on first use: the EC2 client module is large in memory (docs/performance.md, "Memory"), and it is
   * only the fallback when account:ListRegions is denied.
   */
  ec2(region: string, credentials?: Credentials): Promise<EC2Client>;
  organizations(partition: Partition, credentials?: Credentials): OrganizationsClient;
  /**
   * The accepted risks' parameter (AUDIT_SUPPRESSIONS_PARAMETER), read once before the audit; loaded on first
   * use, like the EC2 client: only runs with suppressions in SSM need it.
   */
  ssm(region: string): Promise<SSMClient>;
  /** The accepted risks' S3 object (AUDIT_SUPPRESSIONS_OBJECT); loaded on first use, like ssm. */
  s3(region: string): Promise<S3Client>;
}

// IAM, Organizations and Account are global services signed in one region per partition.
const GLOBAL_REGION: Record<Partition, string> = {
  aws: 'us-east-1',
  'aws-cn': 'cn-north-1',
  'aws-us-gov': 'us-gov-west-1',
};

export function globalRegion(partition: Partition): string {
  return GLOBAL_REGION[partition];
}

export interface ClientOptions {
  /** Attempts per call, first included; the SDK's adaptive mode paces retries on throttling. */
  maxAttempts?: number;
  /** Per connection attempt; default 3 s. */
  connectTimeoutMs?: number;
  /** Per request, until its whole answer; default 20 s. */
  requestTimeoutMs?: number;
  /**
   * Aborts every request in flight when it fires (the run's time budget, or the publish deadline): a call is
   * cut off at once instead of running to its own time-out and retries.
   */
  signal?: AbortSignal;
  /**
   * The shared config profile of the run's own identity (the CLI's --profile), as the SDK's `profile` setting:
   * its credentials, over AWS_PROFILE and the environment's keys, and its settings. Absent: the SDK's chain.
   */
  profile?: string;
}

/**
 * The SDK's Node handler with time-outs, and with `signal` passed to every request it sends, whatever the call
 * site: paginators, credential providers and the SDK's own retries included. Without a request time-out, an
 * endpoint that accepts the connection and never answers held the run past any deadline.
 */
class DeadlineHttpHandler extends NodeHttpHandler {
  private readonly signal: AbortSignal | undefined;

  constructor(options: ConstructorParameters<typeof NodeHttpHandler>[0], signal?: AbortSignal) {
    super(options);
    this.signal = signal;
  }

  override handle(...[request, options = {}]: Parameters<NodeHttpHandler['handle']>) {
    const own = options.abortSignal as AbortSignal | undefined;
    const abortSignal = this.signal && own ? AbortSignal.any([this.signal, own]) : (this.signal ?? own);
    return super.handle(request, { ...options, ...(abortSignal ? { abortSignal } : {}) });
  }
}

function requestHandler(options: ClientOptions): NodeHttpHandler {
  return new DeadlineHttpHandler(
    {
      httpAgent: new HttpAgent({ keepAlive: true, maxSockets: MAX_SOCKETS }),
      httpsAgent: new HttpsAgent({ keepAlive: true, maxSockets: MAX_SOCKETS }),
      connectionTimeout: options.connectTimeoutMs ?? 3_000,
      requestTimeout: options.requestTimeoutMs ?? 20_000,
      throwOnRequestTimeout: true,
    },
    options.signal,
  );
}

// Sockets per endpoint, shared by every client: the largest concurrency a run takes, so that the call limiter
// and not the agent decides how many calls are in flight.
const MAX_SOCKETS = 256;

type Ctor<C> = new (
  config: {
    region: string;
    credentials?: Credentials;
    profile?: string;
    retryMode: string;
    maxAttempts: number;
    requestHandler: NodeHttpHandler;
  } & ClientExtra,
) => C;

interface ClientExtra {
  cacheMiddleware?: boolean;
  followRegionRedirects?: boolean;
  signer?: RequestSigner;
  useFipsEndpoint?: Provider<boolean>;
  useDualstackEndpoint?: Provider<boolean>;
  userAgentAppId?: Provider<string | undefined>;
  authSchemePreference?: Provider<string[]>;
}

/**
 * Each audit client resolves its middleware stack once per command rather than on every call: the SDK's public
 * `cacheMiddleware` setting, whose price is that middleware added to a command or client after its first call is
 * not seen, and nothing here adds any.
 */
const AUDIT_READS: ClientExtra = { cacheMiddleware: true };

// Endpoints come from the SDK's own resolution, which honours AWS_ENDPOINT_URL(_<SERVICE>): nothing here
// knows about the sandbox.
//
// An SDK client is bound to one region and one identity, so auditing an organization needs one per account,
// service and region (about twenty per account). Two things keep that cheap at 1,000 accounts:
// - every client sends through the same keep-alive agents, so connections (and TLS sessions) to an endpoint
//   are reused across accounts instead of each client opening its own: without this, each of the ~20,000
//   clients opened a connection and kept it idle until exit;
// - clients of an assumed-role account are held in a WeakMap keyed by its credentials provider, so they are
//   released with it once the account has been read, rather than living until the end of the run.
// Never destroy() one of these clients: that would destroy the shared handler under the others.
export function createAwsClients(options: ClientOptions = {}): AwsClients {
  const maxAttempts = options.maxAttempts ?? 6;
  const handler = requestHandler(options);
  const profile = options.profile === undefined ? {} : { profile: options.profile };
  const settings = runSettings(options.profile);
  const ownClients = new Map<string, unknown>();
  const byCredentials = new WeakMap<object, Map<string, unknown>>();

  function client<C>(
    name: string,
    ctor: Ctor<C>,
    region: string,
    credentials?: Credentials,
    extra?: ClientExtra,
  ): C {
    const key = `${name}|${region}`;
    let cache = ownClients;
    if (credentials !== undefined) {
      let found = byCredentials.get(credentials);
      if (!found) {
        found = new Map();
        byCredentials.set(credentials, found);
      }
      cache = found;
    }
    let found = cache.get(key) as C | undefined;
    if (found === undefined) {
      found = new ctor({
        region,
        credentials,
        ...profile,
        retryMode: 'adaptive',
        maxAttempts,
        requestHandler: handler,
        // Built with the client, not on each lookup: a signer is made once per client.
        ...(extra ?? { ...AUDIT_READS, ...settings, ...signerFor(name, region, credentials) }),
      });
      cache.set(key, found);
    }
    return found;
  }

  return {
    sts: (region, credentials) => client('sts', STSClient as Ctor<STSClient>, region, credentials),
    iam: (partition, credentials) =>
      client('iam', IAMClient as Ctor<IAMClient>, globalRegion(partition), credentials),
    eks: (region, credentials) => client('eks', EKSClient as Ctor<EKSClient>, region, credentials),
    account: (partition, credentials) =>
      client('account', AccountClient as Ctor<AccountClient>, globalRegion(partition), credentials),
    ec2: async (region, credentials) => {
      const { EC2Client } = await import('@aws-sdk/client-ec2');
      return client('ec2', EC2Client as Ctor<EC2Client>, region, credentials);
    },
    ssm: async (region) => {
      const { SSMClient } = await import('@aws-sdk/client-ssm');
      return client('ssm', SSMClient as Ctor<SSMClient>, region);
    },
    s3: async (region) => {
      const { S3Client } = await import('@aws-sdk/client-s3');
      // A bucket in another region than the client's answers 301: the client follows it. S3 keeps its own
      // (multi-region) signer.
      return client('s3', S3Client as Ctor<S3Client>, region, undefined, { followRegionRedirects: true });
    },
    organizations: (partition, credentials) =>
      client(
        'organizations',
        OrganizationsClient as Ctor<OrganizationsClient>,
        globalRegion(partition),
        credentials,
      ),
  };
}

/**
 * One SigV4 signer per client of an assumed-role account, through the SDK's public `signer` option. Left to
 * itself the SDK builds a new SignatureV4 for every request, so the signer's cache of signing keys never serves
 * a second request and each call derives its key again with four HMACs; one signer per client derives it once a
 * day per account, region and service. It is built as the SDK builds its own (SignatureV4 over Node's SHA-256,
 * the SDK's default `sha256`, paths escaped), and the SDK still passes each request's signing region, service and
 * clock-skew-corrected date. Clients of the run's own identity keep the SDK's signer: their credentials come from
 * the SDK's provider chain, and they are a handful.
 */
function signerFor(service: string, region: string, credentials: Credentials | undefined): ClientExtra {
  if (credentials === undefined) return {};
  return { signer: new SignatureV4({ credentials, region, service, sha256: Sha256, uriEscapePath: true }) };
}

/**
 * Settings every client would otherwise look up on its own (FIPS and dual-stack endpoints, the app id, the auth
 * scheme preference), each miss a thrown error, for each of the tens of thousands of clients of a large
 * organization: read once per run instead, from the public resolved configuration of one client of the same
 * profile. Each client still applies its own region's rules on top (a FIPS pseudo-region turns FIPS on).
 */
function runSettings(
  profile: string | undefined,
): Required<Omit<ClientExtra, 'cacheMiddleware' | 'followRegionRedirects' | 'signer'>> {
  let probe: STSClient | undefined;
  const config = () => {
    probe ??= new STSClient({ region: 'us-east-1', ...(profile === undefined ? {} : { profile }) });
    return probe.config;
  };
  const once = <T>(read: () => Promise<T>): Provider<T> => {
    let value: Promise<T> | undefined;
    return () => {
      value ??= read();
      return value;
    };
  };
  return {
    useFipsEndpoint: once(() => config().useFipsEndpoint()),
    useDualstackEndpoint: once(() => config().useDualstackEndpoint()),
    userAgentAppId: once(() => config().userAgentAppId()),
    authSchemePreference: once(() => config().authSchemePreference()),
  };
}

/** The clients of the publish step (metrics, alerts, alert state): the run's own identity, one per region. */
export interface PublishClients {
  cloudwatch(region: string): CloudWatchClient;
  sns(region: string): SNSClient;
  dynamodb(region: string): DynamoDBClient;
  /** Loaded on first use: only runs that send findings to Security Hub need it. */
  securityhub(region: string): Promise<SecurityHubClient>;
  /** The stack's report bucket (REPORT_BUCKET); loaded on first use. */
  s3(region: string): Promise<S3Client>;
}

/**
 * Standard retries (exponential backoff, 6 attempts by default): a publish call that fails is worth a few seconds,
 * since the alternative is a failed run (see src/publish/index.ts).
 */
export function createPublishClients(options: ClientOptions = {}): PublishClients {
  const maxAttempts = options.maxAttempts ?? 6;
  const handler = requestHandler(options);
  const cache = new Map<string, unknown>();
  const make = <C>(key: string, build: () => C): C => {
    let found = cache.get(key) as C | undefined;
    if (found === undefined) {
      found = build();
      cache.set(key, found);
    }
    return found;
  };
  const config = (region: string) => ({
    region,
    ...(options.profile === undefined ? {} : { profile: options.profile }),
    retryMode: 'standard',
    maxAttempts,
    requestHandler: handler,
  });
  return {
    cloudwatch: (region) => make(`cloudwatch|${region}`, () => new CloudWatchClient(config(region))),
    sns: (region) => make(`sns|${region}`, () => new SNSClient(config(region))),
    dynamodb: (region) => make(`dynamodb|${region}`, () => new DynamoDBClient(config(region))),
    securityhub: async (region) => {
      const { SecurityHubClient } = await import('@aws-sdk/client-securityhub');
      return make(`securityhub|${region}`, () => new SecurityHubClient(config(region)));
    },
    s3: async (region) => {
      const { S3Client } = await import('@aws-sdk/client-s3');
      return make(`s3|${region}`, () => new S3Client({ ...config(region), followRegionRedirects: true }));
    },
  };
}
