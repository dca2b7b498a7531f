// An issuer's result as the inventory keeps it (src/inventory/issuer-result.ts): made anew, so that V8 gives it a
// shared hidden class, and saying exactly what the probe said, in the same order, whether it comes from the probe
// or from a fan-out's part.
import { describe, expect, it } from 'vitest';
import { settledIssuer } from '../../src/inventory/issuer-result.ts';
import { anIssuerProbe, aProbeError } from '../support/inventory.ts';

describe('an issuer result, settled', () => {
  it.each([
    ['read on its own host', anIssuerProbe()],
    ['with its keys on another host', anIssuerProbe({ keysOn: 'keys.example.com' })],
    ['whose keys could not be read', anIssuerProbe({ keysOn: 'keys.example.com', error: aProbeError() })],
    ['whose discovery failed', anIssuerProbe({ error: aProbeError({ stage: 'discovery' }) })],
  ])('%s: the same JSON, its fields in the same order, in new objects', (_, probe) => {
    // Act
    const settled = settledIssuer(probe);

    // Assess
    expect(JSON.stringify(settled)).toBe(JSON.stringify(probe));
    expect(settled).not.toBe(probe);
    if (probe.discovery) expect(settled.discovery).not.toBe(probe.discovery);
  });

  it('keeps a discovery document that names another issuer as it was', () => {
    // Prepare
    const probe = anIssuerProbe();
    const named = {
      ...probe,
      discovery: { issuer: 'https://elsewhere.example.com', jwksUri: 'https://k/keys' },
    };

    // Act
    const settled = settledIssuer(named);

    // Assess
    expect(settled.discovery).toEqual({ issuer: 'https://elsewhere.example.com', jwksUri: 'https://k/keys' });
  });
});
