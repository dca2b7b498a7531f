import { describe, expect, it } from 'vitest';
import { fitLambdaResponse, LAMBDA_RESPONSE_LIMIT_BYTES } from '../../src/report/response.ts';
import type { Report } from '../../src/report/types.ts';
import { ACCOUNT, aFinding, aReport } from '../publish/support.ts';

const LIMIT = 40_000;
const bytesOf = (report: Report) => Buffer.byteLength(JSON.stringify(report));

/** A report whose inventory takes about `issuers` × 200 bytes, with `findings` findings, most severe first. */
function bigReport(issuers: number, findings: number): Report {
  const severities = ['critical', 'high', 'medium', 'low', 'info'] as const;
  return aReport({
    findings: Array.from({ length: findings }, (_, i) =>
      aFinding(`app-${String(i).padStart(4, '0')}`, {
        severity: severities[Math.floor((i * severities.length) / findings)] ?? 'info',
      }),
    ),
    providers: Array.from({ length: issuers }, (_, i) => ({
      accountId: ACCOUNT,
      arn: `arn:aws:iam::${ACCOUNT}:oidc-provider/oidc.eks.us-east-1.amazonaws.com/id/${String(i).padStart(32, '0')}`,
      url: `oidc.eks.us-east-1.amazonaws.com/id/${String(i).padStart(32, '0')}`,
      clientIds: ['sts.amazonaws.com'],
      thumbprints: [],
    })),
    issuers: Array.from({ length: issuers }, (_, i) => ({
      issuer: `https://oidc.eks.us-east-1.amazonaws.com/id/${String(i).padStart(32, '0')}`,
      host: 'oidc.eks.us-east-1.amazonaws.com',
      discovery: {
        issuer: `https://oidc.eks.us-east-1.amazonaws.com/id/${String(i).padStart(32, '0')}`,
        jwksUri: `https://oidc.eks.us-east-1.amazonaws.com/id/${String(i).padStart(32, '0')}/keys`,
      },
    })),
  });
}

describe('fitLambdaResponse', () => {
  it('returns a report under the 6 MB limit as it is', () => {
    // Prepare
    const report = bigReport(10, 10);

    // Act
    const fitted = fitLambdaResponse(report);

    // Assess
    expect(fitted.report).toBe(report);
    expect(fitted.report.omitted).toBeUndefined();
    expect(fitted.bytes).toBe(bytesOf(report));
    expect(LAMBDA_RESPONSE_LIMIT_BYTES).toBe(6_291_456);
  });

  it('empties the issuers first, then the providers, and says so, keeping every finding and the summary', () => {
    // Prepare: issuers alone are not enough to drop
    const report = bigReport(150, 5);

    // Act
    const fitted = fitLambdaResponse(report, LIMIT);

    // Assess
    expect(bytesOf(report)).toBeGreaterThan(LIMIT);
    expect(fitted.bytes).toBe(bytesOf(fitted.report));
    expect(fitted.bytes).toBeLessThanOrEqual(LIMIT);
    expect(fitted.fullBytes).toBe(bytesOf(report));
    expect(fitted.report.omitted?.sections).toEqual({ issuers: 150, providers: 150 });
    expect(fitted.report.omitted?.reason).toContain('--output FILE');
    expect(fitted.report.findings).toEqual(report.findings);
    expect(fitted.report.summary).toEqual(report.summary);
    expect(report.issuers).toHaveLength(150);
  });

  it('keeps the most severe findings that fit when the findings alone are over the limit', () => {
    // Prepare
    const report = bigReport(20, 200);

    // Act
    const fitted = fitLambdaResponse(report, LIMIT);

    // Assess
    const kept = fitted.report.findings.length;
    expect(kept).toBeGreaterThan(0);
    expect(kept).toBeLessThan(200);
    expect(fitted.report.findings).toEqual(report.findings.slice(0, kept));
    expect(fitted.report.omitted?.sections).toEqual({
      issuers: 20,
      providers: 20,
      accounts: 1,
      findings: 200 - kept,
    });
    expect(fitted.bytes).toBeLessThanOrEqual(LIMIT);
    expect(fitted.bytes).toBeGreaterThan(LIMIT - 3000);
    expect(fitted.report.summary.findings).toEqual(report.summary.findings);
  });
});
