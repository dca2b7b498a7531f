// The world file: what the sandbox pretends AWS holds. Validated once at startup so that a typo in a
// shipped world fails loudly with the field's path instead of silently producing an empty account.

import { readFile } from 'node:fs/promises';
import { z } from 'zod';
import { kubernetesSchema } from './kubernetes/world.ts';
import { isKnownRegion, issuerHost, PARTITIONS } from './regions.ts';

export const SERVICE_NAMES = [
  'sts',
  'iam',
  'eks',
  'account',
  'ec2',
  'organizations',
  'sns',
  'cloudwatch',
  'dynamodb',
  'ssm',
  'securityhub',
  's3',
] as const;
export type ServiceName = (typeof SERVICE_NAMES)[number];

const accountId = z.string().regex(/^\d{12}$/, 'expected a 12-digit account id');
const regionName = z
  .string()
  .regex(/^[a-z]{2}(-gov)?-[a-z]+-\d+$/, 'expected an AWS region name like us-east-1');
const issuerId = z.string().regex(/^[0-9A-F]{32}$/, 'expected 32 uppercase hex characters (an EKS OIDC id)');
const roleName = z.string().regex(/^[\w+=,.@-]{1,64}$/, 'expected an IAM role name');
// Absolute ISO dates, or offsets from startup ("+30d", "-2y") so expiry worlds do not rot with the calendar.
const certDate = z
  .string()
  .refine(
    (v) => /^[+-]\d+[dhy]$/.test(v) || !Number.isNaN(Date.parse(v)),
    'expected an ISO date or an offset like +30d',
  );
const isoDate = z.string().refine((v) => !Number.isNaN(Date.parse(v)), 'expected an ISO date');
const serviceName = z.enum(SERVICE_NAMES);

const certProfileSchema = z.strictObject({
  rootNotBefore: certDate.optional(),
  rootNotAfter: certDate.optional(),
  intermediateNotBefore: certDate.optional(),
  intermediateNotAfter: certDate.optional(),
  crossSigned: z.boolean().optional(),
  sendRoot: z.boolean().optional(),
  trusted: z.boolean().optional(),
  hang: z.boolean().optional(),
  tls13Only: z.boolean().optional(),
});

const thumbprintRefSchema = z.strictObject({
  fromIssuerHost: z.string().min(1),
  cert: z.enum(['last-presented', 'root', 'leaf']).default('last-presented'),
});

const clusterSchema = z.strictObject({
  name: z.string().regex(/^[0-9A-Za-z][A-Za-z0-9\-_]{0,99}$/, 'expected an EKS cluster name'),
  region: regionName,
  /** Omitted: derived from account, region and name (see issuerIdFor). null: no OIDC issuer (Outposts). */
  issuer: issuerId.nullable().optional(),
  status: z.enum(['CREATING', 'ACTIVE', 'DELETING', 'FAILED', 'UPDATING', 'PENDING']).default('ACTIVE'),
  version: z.string().default('1.31'),
  createdAt: isoDate.optional(),
  tags: z.record(z.string(), z.string()).optional(),
  /** EKS Auto Mode (DescribeCluster computeConfig.enabled): the Pod Identity agent is built in. */
  autoMode: z.boolean().default(false),
  /** EKS add-ons, by name (`eks-pod-identity-agent`), with the status DescribeAddon reports. */
  addons: z
    .array(
      z.strictObject({
        name: z.string().min(1),
        status: z
          .enum([
            'CREATING',
            'ACTIVE',
            'CREATE_FAILED',
            'UPDATING',
            'DELETING',
            'DELETE_FAILED',
            'DEGRADED',
            'UPDATE_FAILED',
          ])
          .default('ACTIVE'),
        version: z.string().default('v1.3.4-eksbuild.1'),
      }),
    )
    .default([]),
  /** EKS Pod Identity associations of the cluster: a service account mapped to a role (and a target role). */
  podIdentityAssociations: z
    .array(
      z.strictObject({
        namespace: z.string().min(1),
        serviceAccount: z.string().min(1),
        /** A role ARN, or a role name in the cluster's account. */
        role: z.string().min(1),
        targetRole: z.string().min(1).optional(),
        /** What is wrong with it, for `npm run demo`'s list of planted problems. */
        planted: z.string().min(1).optional(),
        /** The association's external id for its target role; derived from the association when omitted. */
        externalId: z.string().min(1).optional(),
        disableSessionTags: z.boolean().default(false),
        /** The association's session policy, as JSON text (EKS takes one only with session tags disabled). */
        policy: z.string().min(1).optional(),
      }),
    )
    .default([]),
  /** Its Kubernetes API (test/sandbox/kubernetes/world.ts); served when the sandbox serves Kubernetes. */
  kubernetes: kubernetesSchema.optional(),
});

const providerSchema = z.strictObject({
  /** With or without `https://`; IAM returns it without. */
  url: z.string().min(1),
  clientIds: z.array(z.string()).default(['sts.amazonaws.com']),
  thumbprints: z
    .array(
      z.union([z.string().regex(/^[0-9a-fA-F]{40}$/, 'expected 40 hex characters'), thumbprintRefSchema]),
    )
    .default([]),
  createdAt: isoDate.optional(),
  tags: z.record(z.string(), z.string()).optional(),
});

const roleSchema = z.strictObject({
  name: roleName,
  path: z
    .string()
    .regex(/^\/([\w+=,.@-]+\/)*$/, 'expected an IAM path like / or /eks/')
    .default('/'),
  /** A policy object, or a raw string for malformed-policy cases. */
  trust: z.union([z.record(z.string(), z.unknown()), z.string()]),
  /**
   * The role's identity policy, checked when a session of the role calls sts:AssumeRole (the only call the sandbox
   * authorizes by policy); omitted: the role may assume any role whose trust admits it.
   */
  permissions: z.record(z.string(), z.unknown()).optional(),
  description: z.string().optional(),
  createdAt: isoDate.optional(),
});

const accountSchema = z.strictObject({
  id: accountId,
  name: z.string().min(1).optional(),
  email: z.string().optional(),
  status: z.enum(['ACTIVE', 'SUSPENDED']).default('ACTIVE'),
  /** Organizational unit path below the root, e.g. "/Workloads/Prod"; "/" is the root. */
  ou: z
    .string()
    .regex(/^\/?([^/]+\/?)*$/, 'expected an OU path like /Workloads/Prod')
    .default('/'),
  /** Enabled regions; omitted: the partition's regions enabled by default. */
  regions: z.array(regionName).optional(),
  /** The account whose long-term keys `sandbox.env` hands out. Exactly one. */
  caller: z.boolean().default(false),
  assumableRoles: z.array(roleName).default(['OIDCAuditRole']),
  externalId: z.string().optional(),
  denyAssumeRole: z.boolean().default(false),
  clusters: z.array(clusterSchema).default([]),
  oidcProviders: z.array(providerSchema).default([]),
  roles: z.array(roleSchema).default([]),
});

const issuerPathSchema = z
  .strictObject({
    id: z
      .string()
      .regex(/^[0-9A-Za-z]+$/, 'expected an issuer id')
      .optional(),
    path: z.string().startsWith('/', 'expected a path starting with /').optional(),
    discoveryIssuer: z.string().optional(),
    jwksUri: z.string().optional(),
  })
  .refine((v) => (v.id === undefined) !== (v.path === undefined), 'expected exactly one of id or path');

const issuerHostSchema = z.strictObject({
  host: z.string().regex(/^[a-z0-9.-]+$/, 'expected a lowercase host name'),
  profile: certProfileSchema.prefault({}),
  /** Overrides for issuers of clusters on this host, or extra issuer paths served without a cluster. */
  issuers: z.array(issuerPathSchema).default([]),
});

const rate01 = z.number().min(0).max(1);
const perService = <T extends z.ZodType>(value: T) => z.union([value, z.partialRecord(serviceName, value)]);

const faultsSchema = z.strictObject({
  seed: z.number().int().default(1),
  latencyMs: perService(z.number().min(0)).default(0),
  throttleRate: perService(rate01).default(0),
  errorRate5xx: perService(rate01).default(0),
  accessDenied: z
    .array(
      z.strictObject({
        account: accountId,
        service: serviceName,
        operations: z.array(z.string()).optional(),
      }),
    )
    .default([]),
  /** Regions the account lists as enabled but where calls fail as in a disabled region. */
  disabledRegions: z.record(accountId, z.array(regionName)).default({}),
  hangingIssuerHosts: z.array(z.string()).default([]),
  /**
   * Service endpoints of a region that accept each request and never answer (an outage behind a load balancer):
   * the client sees its request time out, or its caller's deadline.
   */
  hangingEndpoints: z.array(z.strictObject({ service: serviceName, region: regionName })).default([]),
  /** ASFF finding ids Security Hub's BatchImportFindings refuses (FailedFindings), every time. */
  securityHubRefused: z.array(z.string()).default([]),
  /**
   * Request-rate throttling: `aws` for the model in test/sandbox/rate-limits.ts (token buckets per account, and
   * per region for regional services), or the rates per service; absent, no call is throttled for its rate.
   */
  rateLimits: z
    .union([
      z.literal('aws'),
      z.partialRecord(
        serviceName,
        z.strictObject({
          perSecond: z.number().positive(),
          burst: z.number().min(1),
          scope: z.enum(['account', 'account-region']),
        }),
      ),
    ])
    .optional(),
  /**
   * The region the auditor runs in: each call then also takes the round trip from there to the region it is
   * signed for (test/sandbox/region-latency.ts), on top of `latencyMs`.
   */
  latencyFrom: regionName.optional(),
  /**
   * The first `count` calls of an operation (after the first `after`) fail with a 5xx (`unavailable`), a
   * throttle or the service's access denied, then calls pass (at run time: `sandbox.faults.failNext`).
   */
  failFirst: z
    .array(
      z.strictObject({
        service: serviceName,
        operation: z.string().min(1),
        count: z.number().int().min(1),
        error: z.enum(['unavailable', 'throttle', 'accessDenied']).default('unavailable'),
        /** Calls of the operation that pass before the failing ones start (default none). */
        after: z.number().int().min(0).default(0),
      }),
    )
    .default([]),
});

const dynamodbTableSchema = z
  .strictObject({
    name: z.string().regex(/^[\w.-]{3,255}$/, 'expected a DynamoDB table name'),
    /** Owner account; default the caller. */
    account: accountId.optional(),
    region: regionName.default('us-east-1'),
    partitionKey: z.string().min(1).default('id'),
    sortKey: z.string().min(1).optional(),
    /** What the table holds at start: items as PutItem takes them (`{ "id": { "S": "x" }, ... }`). */
    items: z.array(z.record(z.string(), z.record(z.string(), z.unknown()))).default([]),
  })
  .refine(
    (table) =>
      table.items.every((item) =>
        [table.partitionKey, table.sortKey ?? table.partitionKey].every((key) => key in item),
      ),
    {
      message: 'expected every item to hold the table key attributes (partitionKey, sortKey)',
      path: ['items'],
    },
  );

const expectedFindingSchema = z
  .strictObject({
    check: z.string().min(1),
    severity: z.enum(['critical', 'high', 'medium', 'low', 'info']),
    resource: z.string().optional(),
    cluster: z.string().optional(),
    accountId: accountId.optional(),
    region: z.string().nullable().optional(),
  })
  .refine((v) => v.resource !== undefined || v.cluster !== undefined, 'expected resource or cluster');

const organizationSchema = z.strictObject({
  id: z
    .string()
    .regex(/^o-[a-z0-9]{10,32}$/, 'expected an organization id like o-abcdef1234')
    .optional(),
  managementAccount: accountId,
  featureSet: z.enum(['ALL', 'CONSOLIDATED_BILLING']).default('ALL'),
  /** OUs that hold no account (the others come from the accounts' `ou`). */
  ous: z.array(z.string()).default([]),
});

const worldShape = z.strictObject({
  name: z.string().optional(),
  description: z.string().optional(),
  partition: z.enum(PARTITIONS).default('aws'),
  accounts: z.array(accountSchema).min(1, 'expected at least one account'),
  organization: organizationSchema.optional(),
  issuerHosts: z.array(issuerHostSchema).default([]),
  /** When given, Publish to any other topic fails with NotFound. */
  snsTopics: z
    .array(z.string().regex(/^arn:[a-z-]+:sns:[a-z0-9-]+:\d{12}:[\w-]+$/, 'expected a topic ARN'))
    .optional(),
  /** Tables the DynamoDB endpoint serves (empty at start); calls to any other fail with ResourceNotFound. */
  dynamodbTables: z.array(dynamodbTableSchema).default([]),
  /** SSM parameters (GetParameter), in the caller's account unless `account` says otherwise. */
  ssmParameters: z
    .array(
      z.strictObject({
        name: z.string().min(1),
        value: z.string(),
        type: z.enum(['String', 'SecureString']).default('String'),
        region: regionName.default('us-east-1'),
        account: z
          .string()
          .regex(/^\d{12}$/)
          .optional(),
      }),
    )
    .default([]),
  /** S3 buckets (path-style, as the SDK addresses a loopback endpoint), with objects as UTF-8 text. */
  s3Buckets: z
    .array(
      z.strictObject({
        name: z.string().regex(/^[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]$/, 'expected an S3 bucket name'),
        region: regionName.default('us-east-1'),
        /** Owner account; default the caller. Only the owner reads and writes it. */
        account: z
          .string()
          .regex(/^\d{12}$/)
          .optional(),
        objects: z.record(z.string().min(1), z.string()).default({}),
      }),
    )
    .default([]),
  faults: faultsSchema.prefault({}),
  expectedFindings: z.array(expectedFindingSchema).default([]),
});

export type WorldInput = z.input<typeof worldShape>;
export type World = z.output<typeof worldShape>;
export type WorldAccount = World['accounts'][number];
export type WorldCluster = WorldAccount['clusters'][number];
export type WorldProvider = WorldAccount['oidcProviders'][number];
export type WorldRole = WorldAccount['roles'][number];
export type ThumbprintRef = z.output<typeof thumbprintRefSchema>;
export type WorldFaults = World['faults'];
export type ExpectedFinding = World['expectedFindings'][number];

type Issue = { path: (string | number)[]; message: string };

// Consistency rules no field schema can express; each issue points at the field to fix.
function crossCheck(world: World): Issue[] {
  const issues: Issue[] = [];
  const ids = new Map<string, number>();
  const servedHosts = new Set([...world.issuerHosts.map((h) => h.host), ...world.faults.hangingIssuerHosts]);
  const callers = world.accounts.filter((a) => a.caller).length;
  if (callers !== 1) {
    issues.push({
      path: ['accounts'],
      message: `expected exactly one account with caller: true, found ${callers}`,
    });
  }
  world.accounts.forEach((account, i) => {
    const seen = ids.get(account.id);
    if (seen !== undefined)
      issues.push({ path: ['accounts', i, 'id'], message: `duplicate of accounts[${seen}].id` });
    ids.set(account.id, i);
    (account.regions ?? []).forEach((region, r) => {
      if (!isKnownRegion(world.partition, region)) {
        issues.push({
          path: ['accounts', i, 'regions', r],
          message: `unknown region for partition ${world.partition}`,
        });
      }
    });
    const clusterKeys = new Set<string>();
    account.clusters.forEach((cluster, c) => {
      if (!isKnownRegion(world.partition, cluster.region)) {
        issues.push({
          path: ['accounts', i, 'clusters', c, 'region'],
          message: `unknown region for partition ${world.partition}`,
        });
      }
      const key = `${cluster.region}/${cluster.name}`;
      if (clusterKeys.has(key)) {
        issues.push({ path: ['accounts', i, 'clusters', c, 'name'], message: `duplicate cluster ${key}` });
      }
      clusterKeys.add(key);
      if (cluster.issuer !== null) servedHosts.add(issuerHost(world.partition, cluster.region));
    });
    const roleNames = new Set<string>();
    account.roles.forEach((role, r) => {
      if (roleNames.has(role.name.toLowerCase())) {
        issues.push({ path: ['accounts', i, 'roles', r, 'name'], message: `duplicate role ${role.name}` });
      }
      roleNames.add(role.name.toLowerCase());
    });
    const urls = new Set<string>();
    account.oidcProviders.forEach((provider, p) => {
      const url = stripScheme(provider.url);
      if (urls.has(url))
        issues.push({ path: ['accounts', i, 'oidcProviders', p, 'url'], message: `duplicate ${url}` });
      urls.add(url);
    });
  });
  world.accounts.forEach((account, i) => {
    account.oidcProviders.forEach((provider, p) => {
      provider.thumbprints.forEach((t, k) => {
        if (typeof t !== 'string' && !servedHosts.has(t.fromIssuerHost)) {
          issues.push({
            path: ['accounts', i, 'oidcProviders', p, 'thumbprints', k, 'fromIssuerHost'],
            message: `no issuer host ${t.fromIssuerHost} is served (add a cluster in its region or an issuerHosts entry)`,
          });
        }
      });
    });
  });
  const known = (id: string) => ids.has(id);
  if (world.organization && !known(world.organization.managementAccount)) {
    issues.push({
      path: ['organization', 'managementAccount'],
      message: 'expected the id of an account of the world',
    });
  }
  world.faults.accessDenied.forEach((rule, k) => {
    if (!known(rule.account)) {
      issues.push({
        path: ['faults', 'accessDenied', k, 'account'],
        message: 'expected the id of an account of the world',
      });
    }
  });
  for (const id of Object.keys(world.faults.disabledRegions)) {
    if (!known(id)) {
      issues.push({
        path: ['faults', 'disabledRegions', id],
        message: 'expected the id of an account of the world',
      });
    }
  }
  return issues;
}

export function stripScheme(url: string): string {
  return url.replace(/^https:\/\//i, '');
}

function formatPath(path: readonly PropertyKey[]): string {
  let out = '';
  for (const part of path) {
    if (typeof part === 'number') out += `[${part}]`;
    else if (typeof part === 'string' && /^[A-Za-z_$][\w$]*$/.test(part)) out += out ? `.${part}` : part;
    else out += `[${JSON.stringify(String(part))}]`;
  }
  return out || '(root)';
}

export class WorldValidationError extends Error {
  override readonly name = 'WorldValidationError';
  readonly issues: { path: string; message: string }[];
  constructor(source: string, issues: { path: string; message: string }[]) {
    super(`Invalid world ${source}:\n${issues.map((i) => `  ${i.path}: ${i.message}`).join('\n')}`);
    this.issues = issues;
  }
}

/** Validates a world (already parsed JSON, or a typed literal) and fills in defaults. */
export function parseWorld(input: unknown, source = '(inline)'): World {
  const parsed = worldShape.safeParse(input);
  if (!parsed.success) {
    throw new WorldValidationError(
      source,
      parsed.error.issues.map((issue) => ({ path: formatPath(issue.path), message: describeIssue(issue) })),
    );
  }
  const issues = crossCheck(parsed.data);
  if (issues.length > 0) {
    throw new WorldValidationError(
      source,
      issues.map((i) => ({ path: formatPath(i.path), message: i.message })),
    );
  }
  return parsed.data;
}

function describeIssue(issue: z.core.$ZodIssue): string {
  if (issue.code === 'unrecognized_keys') return `unknown field(s) ${issue.keys.join(', ')}`;
  return issue.message;
}

export async function loadWorld(path: string): Promise<World> {
  const text = await readFile(path, 'utf8');
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (error) {
    throw new WorldValidationError(path, [
      { path: '(root)', message: `not JSON: ${(error as Error).message}` },
    ]);
  }
  return parseWorld(json, path);
}
