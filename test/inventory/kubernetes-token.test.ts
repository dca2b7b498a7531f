// The token as `aws eks get-token` makes it, and as EKS (here the sandbox's authenticator) accepts it.
import { describe, expect, it } from 'vitest';
import { kubernetesToken, TOKEN_PREFIX } from '../../src/inventory/kubernetes/token.ts';
import { longTermKeyId, longTermSecret } from '../sandbox/ids.ts';
import { verifyToken } from '../sandbox/kubernetes/token.ts';
import { buildState } from '../sandbox/state.ts';
import { parseWorld } from '../sandbox/world.ts';
import { callerAccount, world } from '../sandbox/world-builders.ts';

const SIGNED_AT = new Date('2026-06-01T12:00:00Z');
const CLUSTER = { name: 'prod', region: 'eu-west-1', partition: 'aws' as const };

function sandboxState() {
  return buildState(parseWorld(world([callerAccount()])));
}

function credentials() {
  return { accessKeyId: longTermKeyId('111111111111'), secretAccessKey: longTermSecret('111111111111') };
}

describe('the EKS token', () => {
  it('is k8s-aws-v1. and unpadded base64url of a presigned regional STS GetCallerIdentity signing x-k8s-aws-id', async () => {
    // Act
    const { token, renewAt } = await kubernetesToken(credentials(), CLUSTER, SIGNED_AT);

    // Assess
    expect(token.startsWith(TOKEN_PREFIX)).toBe(true);
    expect(token).toMatch(/^k8s-aws-v1\.[A-Za-z0-9_-]+$/);
    const url = new URL(Buffer.from(token.slice(TOKEN_PREFIX.length), 'base64url').toString('utf8'));
    expect(`${url.protocol}//${url.host}${url.pathname}`).toBe('https://sts.eu-west-1.amazonaws.com/');
    expect(url.searchParams.get('Action')).toBe('GetCallerIdentity');
    expect(url.searchParams.get('Version')).toBe('2011-06-15');
    expect(url.searchParams.get('X-Amz-Expires')).toBe('60');
    expect(url.searchParams.get('X-Amz-Date')).toBe('20260601T120000Z');
    expect(url.searchParams.get('X-Amz-SignedHeaders')).toBe('host;x-k8s-aws-id');
    expect(url.searchParams.get('X-Amz-Credential')).toMatch(/\/20260601\/eu-west-1\/sts\/aws4_request$/);
    expect(renewAt - SIGNED_AT.getTime()).toBe(14 * 60_000);
  });

  it('is accepted for its own cluster and refused for another, or once 15 minutes have passed', async () => {
    // Prepare
    const state = sandboxState();
    const { token } = await kubernetesToken(credentials(), CLUSTER, SIGNED_AT);
    const at = SIGNED_AT.getTime() + 60_000;

    // Act
    const own = await verifyToken(state, `Bearer ${token}`, 'prod', at);
    const other = await verifyToken(state, `Bearer ${token}`, 'staging', at);
    const late = await verifyToken(state, `Bearer ${token}`, 'prod', SIGNED_AT.getTime() + 16 * 60_000);

    // Assess
    expect(own).toMatchObject({
      ok: true,
      identity: { arn: 'arn:aws:iam::111111111111:user/sandbox-auditor' },
    });
    expect(other).toMatchObject({ ok: false, reason: expect.stringContaining('signature') });
    expect(late).toMatchObject({ ok: false, reason: expect.stringContaining('expired') });
  });

  it('is refused when signed with a wrong secret', async () => {
    // Prepare
    const { token } = await kubernetesToken(
      { ...credentials(), secretAccessKey: 'guessed' },
      CLUSTER,
      SIGNED_AT,
    );

    // Act
    const verified = await verifyToken(sandboxState(), `Bearer ${token}`, 'prod', SIGNED_AT.getTime());

    // Assess
    expect(verified.ok).toBe(false);
  });
});
