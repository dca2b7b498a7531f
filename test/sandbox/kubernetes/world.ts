// A cluster's Kubernetes side in the world file (`clusters[].kubernetes`): what its API serves, how EKS describes
// reaching it, and how it refuses or fails. Without the block, a cluster still serves an API (when the sandbox
// serves Kubernetes at all) holding the service accounts the world's trusts and associations name, unannotated:
// see derive.ts.

import { z } from 'zod';

const label = z.string().regex(/^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/, 'expected a Kubernetes name (a-z 0-9 -)');
const subdomain = z
  .string()
  .regex(/^[a-z0-9]([-a-z0-9.]*[a-z0-9])?$/, 'expected a Kubernetes name (a-z 0-9 - .)');

export const kubernetesSchema = z.strictObject({
  /**
   * How the API answers: `ok`; `401` (no access entry: every token refused); `403` (authenticated, lists
   * refused); `hang` (the TLS handshake never completes, as when a security group drops the SYN); `410` (the
   * first page with a continue token answers 410 Gone, once); `reset-reused` (a kept-alive connection is closed
   * when its next request arrives, unanswered: the server closed it while idle, the request crossing the close).
   */
  mode: z.enum(['ok', '401', '403', 'hang', '410', 'reset-reused']).default('ok'),
  authenticationMode: z.enum(['API', 'API_AND_CONFIG_MAP', 'CONFIG_MAP']).default('API_AND_CONFIG_MAP'),
  endpointPublicAccess: z.boolean().default(true),
  publicAccessCidrs: z.array(z.string()).default(['0.0.0.0/0']),
  /** Besides those the service accounts and pods name; `default` and `kube-system` always exist. */
  namespaces: z.array(label).default([]),
  serviceAccounts: z
    .array(
      z.strictObject({
        namespace: label,
        name: subdomain,
        annotations: z.record(z.string(), z.string()).default({}),
        /** What is wrong with it, for `npm run demo`'s list of planted problems. */
        planted: z.string().min(1).optional(),
      }),
    )
    .default([]),
  pods: z
    .array(
      z.strictObject({
        namespace: label,
        name: subdomain,
        serviceAccount: subdomain,
        phase: z.enum(['Pending', 'Running', 'Succeeded', 'Failed']).default('Running'),
        startTime: z.string().optional(),
        /**
         * The containers' environment. Omitted: what the IRSA webhook writes for the service account's annotation
         * (AWS_ROLE_ARN, AWS_WEB_IDENTITY_TOKEN_FILE), or nothing when it has none.
         */
        env: z.record(z.string(), z.string()).optional(),
        planted: z.string().min(1).optional(),
      }),
    )
    .default([]),
});

export type WorldKubernetes = z.output<typeof kubernetesSchema>;
