// The shape of each element of an inventory part (src/inventory/part.ts), checked as it is read: only the fields
// the merge sorts and joins by and the facts and checks read, by `typeof`, so that a malformed element is named
// (its list, index and field) instead of crashing the merge far from it, without a schema library's cost per
// element over the million elements of a large organization.

/** What a field must hold: a scalar kind, `strings` (an array of strings), or a nested object. */
type Spec = Kind | Nested;
type Kind = 'string' | 'string?' | 'string|null' | 'number' | 'boolean' | 'strings';
interface Shape {
  readonly [field: string]: Spec;
}
/** A nested object (or an array of them), possibly absent or null. */
interface Nested {
  nested: Shape;
  array?: true;
  optional?: true;
  nullable?: true;
}

const optionalOf = (nested: Shape): Nested => ({ nested, optional: true });
const listOf = (nested: Shape): Nested => ({ nested, array: true });

const AUDIT_ERROR: Shape = {
  accountId: 'string|null',
  region: 'string|null',
  stage: 'string',
  code: 'string',
  message: 'string',
};
const PROBE_ERROR: Shape = { stage: 'string', code: 'string', message: 'string' };
const CERTIFICATE: Shape = {
  subject: 'string',
  issuer: 'string',
  serialNumber: 'string',
  notBefore: 'string',
  notAfter: 'string',
  sha1: 'string',
  isCa: 'boolean',
  selfSigned: 'boolean',
};
const ASSOCIATION: Shape = {
  associationArn: 'string',
  associationId: 'string',
  namespace: 'string',
  serviceAccount: 'string',
  roleArn: 'string',
  targetRoleArn: 'string?',
  externalId: 'string?',
  disableSessionTags: 'boolean',
};

const KUBERNETES_SIDE: Shape = {
  namespaces: 'strings',
  serviceAccounts: listOf({ namespace: 'string', name: 'string', roleArn: 'string?', audience: 'string?' }),
  unannotated: listOf({ namespace: 'string', names: 'strings' }),
  pods: listOf({
    namespace: 'string',
    name: 'string',
    serviceAccount: 'string',
    roleArns: 'strings',
    webIdentity: 'boolean',
    podIdentity: 'boolean',
  }),
};

/** Every list of a part, in the order a part holds them, with the shape of its elements. */
export const PART_LISTS = {
  targets: { accountId: 'string', partition: 'string', regions: 'strings' },
  scopeErrors: AUDIT_ERROR,
  accounts: {
    accountId: 'string',
    partition: 'string',
    regionsAudited: 'strings',
    providersAudited: 'boolean',
    rolesAudited: 'boolean',
  },
  clusters: {
    accountId: 'string',
    region: 'string',
    name: 'string',
    arn: 'string',
    issuer: 'string|null',
    podIdentity: {
      nested: {
        associations: listOf(ASSOCIATION),
        agent: { nested: { status: 'string' }, optional: true, nullable: true },
      },
      optional: true,
    },
    kubernetes: optionalOf(KUBERNETES_SIDE),
  },
  providers: {
    accountId: 'string',
    arn: 'string',
    url: 'string',
    clientIds: 'strings',
    thumbprints: 'strings',
  },
  roles: { accountId: 'string', arn: 'string', name: 'string', path: 'string', trustPolicyError: 'string?' },
  hosts: {
    host: 'string',
    port: 'number',
    chain: optionalOf({
      host: 'string',
      port: 'number',
      presented: listOf(CERTIFICATE),
      verified: listOf(CERTIFICATE),
      publiclyTrusted: 'boolean',
    }),
    error: optionalOf(PROBE_ERROR),
  },
  issuers: {
    issuer: 'string',
    host: 'string',
    discovery: optionalOf({ issuer: 'string', jwksUri: 'string' }),
    jwksHost: 'string?',
    error: optionalOf(PROBE_ERROR),
  },
  errors: AUDIT_ERROR,
} as const satisfies Record<string, Shape>;

export type PartList = keyof typeof PART_LISTS;
export const PART_LIST_NAMES = Object.keys(PART_LISTS) as PartList[];

/** Why `value` is not an element of `list`: `field: expected …, found …`; undefined when it is one. */
export function elementProblem(list: PartList, value: unknown): string | undefined {
  return shapeProblem(value, PART_LISTS[list], '');
}

function shapeProblem(value: unknown, shape: Shape, at: string): string | undefined {
  if (typeof value !== 'object' || value === null || Array.isArray(value))
    return `${at || '(the element)'}: expected an object, found ${describe(value)}`;
  const record = value as Record<string, unknown>;
  for (const field in shape) {
    const problem = specProblem(record[field], shape[field] as Spec, at ? `${at}.${field}` : field);
    if (problem) return problem;
  }
  return undefined;
}

function specProblem(value: unknown, spec: Spec, at: string): string | undefined {
  if (typeof spec === 'string') return kindProblem(value, spec, at);
  const nested = spec;
  if (value === undefined && nested.optional) return undefined;
  if (value === null && nested.nullable) return undefined;
  if (!nested.array) return shapeProblem(value, nested.nested, at);
  if (!Array.isArray(value)) return `${at}: expected an array, found ${describe(value)}`;
  for (let i = 0; i < value.length; i++) {
    const problem = shapeProblem(value[i], nested.nested, `${at}[${i}]`);
    if (problem) return problem;
  }
  return undefined;
}

const EXPECTED: Record<Kind, string> = {
  string: 'a string',
  'string?': 'a string or nothing',
  'string|null': 'a string or null',
  number: 'a number',
  boolean: 'true or false',
  strings: 'an array of strings',
};

function kindProblem(value: unknown, kind: Kind, at: string): string | undefined {
  const ok = (() => {
    switch (kind) {
      case 'string':
        return typeof value === 'string';
      case 'string?':
        return value === undefined || typeof value === 'string';
      case 'string|null':
        return value === null || typeof value === 'string';
      case 'number':
        return typeof value === 'number';
      case 'boolean':
        return typeof value === 'boolean';
      case 'strings':
        return Array.isArray(value) && value.every((item) => typeof item === 'string');
    }
  })();
  return ok ? undefined : `${at}: expected ${EXPECTED[kind]}, found ${describe(value)}`;
}

function describe(value: unknown): string {
  if (value === undefined) return 'nothing';
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'an array';
  if (typeof value === 'string') return `the string ${JSON.stringify(value.slice(0, 40))}`;
  if (typeof value === 'object') return 'an object';
  return `${typeof value} ${String(value)}`;
}
