// The CloudWatch data points of a run (pure), their batching to the PutMetricData limits, and the batches
// accepted by the sandbox, which enforces those limits as CloudWatch does.
import type { MetricDatum } from '@aws-sdk/client-cloudwatch';
import { CloudWatchClient } from '@aws-sdk/client-cloudwatch';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CATALOG } from '../../src/model/catalog.ts';
import { CHECK_IDS, SEVERITIES } from '../../src/model/finding.ts';
import {
  batchMetricData,
  buildMetricData,
  datumBytes,
  MAX_BYTES_PER_CALL,
  METRIC,
  sendMetricData,
} from '../../src/publish/metrics.ts';
import { type Sandbox, startSandbox } from '../sandbox/server.ts';
import { callerAccount, world } from '../sandbox/world-builders.ts';
import { ACCOUNT, aFinding, aReport, manyFindings, OTHER_ACCOUNT, T0 } from './support.ts';

const dims = (d: MetricDatum) => Object.fromEntries((d.Dimensions ?? []).map((x) => [x.Name, x.Value]));
const find = (data: MetricDatum[], name: string, dimensions: Record<string, string> = {}) =>
  data.filter((d) => d.MetricName === name && JSON.stringify(dims(d)) === JSON.stringify(dimensions));

function aCa(notAfter: string, isCa = true) {
  return {
    subject: 'CN=x',
    issuer: 'CN=y',
    serialNumber: '01',
    notBefore: '2020-01-01T00:00:00.000Z',
    notAfter,
    sha1: 'a'.repeat(40),
    isCa,
    selfSigned: false,
  };
}

function anIssuer(host: string, certificates: ReturnType<typeof aCa>[]) {
  return {
    issuer: `https://${host}/id/ABC`,
    host,
    tls: {
      host,
      port: 443,
      chain: {
        host,
        port: 443,
        protocol: 'TLSv1.2',
        presented: certificates,
        presentedExact: true,
        verified: [],
        publiclyTrusted: true,
      },
    },
  };
}

describe('buildMetricData', () => {
  it('counts findings by severity and by check, zeros included, with the inventory and the heartbeat', () => {
    // Prepare
    const report = aReport({
      findings: [
        aFinding('a'),
        aFinding('b'),
        aFinding('c', { check: 'provider-missing', severity: 'medium' }),
      ],
    });

    // Act
    const data = buildMetricData(report, { perAccount: false });

    // Assess
    expect(SEVERITIES.map((s) => find(data, METRIC.findings, { Severity: s })[0]?.Value)).toEqual([
      2, 0, 1, 0, 0,
    ]);
    expect(find(data, METRIC.findings, { Check: 'trust-no-sub' })[0]?.Value).toBe(2);
    expect(find(data, METRIC.findings, { Check: 'provider-missing' })[0]?.Value).toBe(1);
    expect(data.filter((d) => dims(d).Check !== undefined)).toHaveLength(
      CHECK_IDS.filter((check) => CATALOG[check].family !== 'kubernetes').length,
    );
    expect(find(data, METRIC.clusters)[0]).toMatchObject({ Value: 3, Unit: 'Count' });
    expect(find(data, METRIC.roles)[0]?.Value).toBe(7);
    expect(find(data, METRIC.auditErrors)[0]?.Value).toBe(0);
    expect(find(data, METRIC.duration)[0]).toMatchObject({ Value: 42, Unit: 'Seconds' });
    expect(find(data, METRIC.runs)[0]?.Value).toBe(1);
    expect(data.every((d) => d.Timestamp?.toISOString() === report.finishedAt)).toBe(true);
    // Assess: no per-account dimension unless asked for, no alert metric without a topic
    expect(data.some((d) => dims(d).AccountId !== undefined)).toBe(false);
    expect(find(data, METRIC.alertFailures)).toEqual([]);
  });

  it('counts the Kubernetes checks too, only for a run that read Kubernetes', () => {
    // Prepare
    const report = aReport({ coverage: { kubernetes: { clusters: 2, read: 1 } } });

    // Act
    const data = buildMetricData(report, { perAccount: false });

    // Assess
    expect(data.filter((d) => dims(d).Check !== undefined)).toHaveLength(CHECK_IDS.length);
    expect(find(data, METRIC.findings, { Check: 'sa-trust-mismatch' })[0]?.Value).toBe(0);
  });

  it('gives each issuer host the days to its earliest CA expiry, leaf certificates aside', () => {
    // Prepare: host a has CAs expiring in 40 and 400 days and a leaf in 10; host b's CA expired 3 days ago
    const inDays = (days: number) => new Date(T0.getTime() + 42_000 + days * 86_400_000).toISOString();
    const report = aReport({
      issuers: [
        anIssuer('oidc.eks.us-east-1.amazonaws.com', [
          aCa(inDays(10), false),
          aCa(inDays(40)),
          aCa(inDays(400)),
        ]),
        anIssuer('oidc.eks.us-east-1.amazonaws.com', [aCa(inDays(40))]),
        anIssuer('issuer.example.com', [aCa(inDays(-3))]),
      ],
    });

    // Act
    const data = buildMetricData(report, { perAccount: false })
      .filter((d) => d.MetricName === METRIC.daysToCaExpiry)
      .map((d) => [dims(d).IssuerHost, d.Value]);

    // Assess
    expect(data).toEqual([
      ['issuer.example.com', -3],
      ['oidc.eks.us-east-1.amazonaws.com', 40],
    ]);
  });

  it('adds findings per account and severity only when asked, every account in scope included', () => {
    // Prepare
    const report = aReport({ accounts: [ACCOUNT, OTHER_ACCOUNT], findings: [aFinding('a')] });

    // Act
    const data = buildMetricData(report, { perAccount: true }).filter((d) => dims(d).AccountId !== undefined);

    // Assess
    expect(data).toHaveLength(10);
    expect(find(data, METRIC.findings, { AccountId: ACCOUNT, Severity: 'critical' })[0]?.Value).toBe(1);
    expect(find(data, METRIC.findings, { AccountId: OTHER_ACCOUNT, Severity: 'critical' })[0]?.Value).toBe(0);
  });

  it('shows an alert delivery failure and withholds the heartbeat of that run', () => {
    // Act
    const failed = buildMetricData(aReport(), {
      perAccount: false,
      alerts: { messages: 1, delivered: false },
    });
    const fine = buildMetricData(aReport(), { perAccount: false, alerts: { messages: 2, delivered: true } });

    // Assess
    expect(find(failed, METRIC.alertFailures)[0]?.Value).toBe(1);
    expect(find(failed, METRIC.runs)).toEqual([]);
    expect(find(fine, METRIC.alertFailures)[0]?.Value).toBe(0);
    expect(find(fine, METRIC.alertMessages)[0]?.Value).toBe(2);
    expect(find(fine, METRIC.runs)[0]?.Value).toBe(1);
  });
});

describe('the heartbeat of a run that read nothing', () => {
  it('is withheld when no account × region pair was read, and sent when one of 2,000 was', () => {
    // Prepare: the second run rounds to 0.0% yet did read something
    const blind = aReport({ coverage: { pairsInScope: 4, pairsAudited: 0, percent: 0 } });
    const barely = aReport({ coverage: { pairsInScope: 2000, pairsAudited: 1, percent: 0 } });

    // Act
    const blindData = buildMetricData(blind, { perAccount: false });
    const barelyData = buildMetricData(barely, { perAccount: false });

    // Assess
    expect(find(blindData, METRIC.runs)).toEqual([]);
    expect(find(blindData, METRIC.coverage)[0]?.Value).toBe(0);
    expect(find(barelyData, METRIC.runs)[0]?.Value).toBe(1);
  });
});

describe('batchMetricData', () => {
  it('cuts at 1,000 data points per call, keeping the order', () => {
    // Prepare
    const data = Array.from({ length: 2500 }, (_, i) => ({
      MetricName: 'Findings',
      Value: i,
      Timestamp: T0,
    }));

    // Act
    const batches = batchMetricData('EKS/OIDCAudit', data);

    // Assess
    expect(batches.map((b) => b.length)).toEqual([1000, 1000, 500]);
    expect(batches.flat()).toEqual(data);
  });

  it('cuts at 1 MB per call, envelope included', () => {
    // Prepare: 900 data points of about 2.2 KB each (2 MB)
    const data = Array.from({ length: 900 }, (_, i) => ({
      MetricName: 'Findings',
      Dimensions: [
        { Name: 'Blob', Value: `${i}`.padEnd(1024, 'x') },
        { Name: 'Other', Value: 'y'.repeat(1024) },
      ],
      Value: i,
      Timestamp: T0,
    }));

    // Act
    const batches = batchMetricData('EKS/OIDCAudit', data);

    // Assess: each call within 1 MB as sent, and full: the next data point would not have fitted
    const bodyBytes = (batch: MetricDatum[]) =>
      Buffer.byteLength(
        JSON.stringify({
          Namespace: 'EKS/OIDCAudit',
          MetricData: batch.map((d) => ({ ...d, Timestamp: (d.Timestamp as Date).getTime() / 1000 })),
        }),
      );
    expect(batches.length).toBe(2);
    batches.forEach((batch, i) => {
      expect(bodyBytes(batch)).toBeLessThanOrEqual(MAX_BYTES_PER_CALL);
      const next = batches[i + 1]?.[0];
      if (next) expect(bodyBytes([...batch, next])).toBeGreaterThan(MAX_BYTES_PER_CALL);
    });
    expect(batches.flat()).toEqual(data);
    expect(datumBytes(data[0] as MetricDatum)).toBeGreaterThan(2048);
  });
});

describe('sendMetricData through the sandbox', () => {
  let sandbox: Sandbox;
  beforeAll(async () => {
    sandbox = await startSandbox(world([callerAccount()]), { issuers: false });
  });
  afterAll(async () => {
    await sandbox?.stop();
  });

  it('sends the per-account data points of 1,500 findings in 300 accounts in two accepted calls', async () => {
    // Prepare
    const report = aReport({
      findings: manyFindings(1500, 300),
      accounts: Array.from({ length: 300 }, (_, i) => String(100000000000 + i)),
    });
    const data = buildMetricData(report, { perAccount: true });
    const client = new CloudWatchClient({ ...sandbox.clientConfig(), maxAttempts: 1 });

    // Act
    const sent = await sendMetricData(client, 'EKS/OIDCAudit', data);

    // Assess: the sandbox rejects calls over the limits, so both calls were within them
    expect(sent).toEqual({ datums: data.length, calls: 2 });
    expect(sandbox.published.metrics.map((m) => m.metricData.length)).toEqual([1000, data.length - 1000]);
    expect(sandbox.log.errors()).toBe(0);
    const perAccount = sandbox.published.metrics
      .flatMap((m) => m.metricData)
      .filter((d) => (d.Dimensions as { Name: string }[] | undefined)?.some((x) => x.Name === 'AccountId'));
    expect(perAccount).toHaveLength(1500);
    expect(perAccount.reduce((sum, d) => sum + (d.Value as number), 0)).toBe(1500);
  });
});
