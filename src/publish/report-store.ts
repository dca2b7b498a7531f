// The run's reports in the stack's bucket (REPORT_BUCKET, docs/formats.md#reports-in-s3): the full JSON report,
// gzip-compressed, and the HTML report, under one prefix per run, so that an alert can link to what it
// summarises. The JSON of a large organization is too large to hold whole beside the audit (docs/performance.md,
// "Memory"): it is streamed through gzip into a multipart upload (@aws-sdk/lib-storage), never held whole in
// memory; the HTML goes out a piece at a time too.
// The bucket's lifecycle rule expires them.

import { PassThrough, type Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { createGzip } from 'node:zlib';
import type { S3Client } from '@aws-sdk/client-s3';
import type { Upload } from '@aws-sdk/lib-storage';
import { htmlChunks } from '../report/html.ts';
import { writeReportJson } from '../report/json.ts';
import type { Report } from '../report/types.ts';
import { readableOf } from '../text/chunked-output.ts';

export interface StoredReport {
  /** `s3://bucket/key`, for the CLI and scripts. */
  s3Uri: string;
  /** The object's page in the S3 console of the bucket's partition, for people. */
  consoleUrl: string;
}

export interface StoredReports {
  json: StoredReport;
  html: StoredReport;
}

export interface ReportTarget {
  bucket: string;
  /** The bucket's region: the stack's own. */
  region: string;
  partition: string;
}

const CONSOLE: Record<string, string> = {
  aws: 'https://console.aws.amazon.com',
  'aws-cn': 'https://console.amazonaws.cn',
  'aws-us-gov': 'https://console.amazonaws-us-gov.com',
};

/**
 * `reports/YYYY/MM/DD/<start time>-<trigger>/`: one prefix per run, sorted by time in the console, and the same
 * for a Lambda retry of the same run's publish step (it overwrites instead of adding).
 */
export function reportPrefix(report: Report): string {
  const started = report.startedAt.replace(/[:.]/g, '-');
  const [year, month, day] = report.startedAt.slice(0, 10).split('-');
  return `reports/${year}/${month}/${day}/${started}-${report.trigger}/`;
}

export function storedReport(target: ReportTarget, key: string): StoredReport {
  const console = CONSOLE[target.partition] ?? CONSOLE.aws;
  const query = new URLSearchParams({ region: target.region, bucketType: 'general', prefix: key });
  return {
    s3Uri: `s3://${target.bucket}/${key}`,
    consoleUrl: `${console}/s3/object/${encodeURIComponent(target.bucket)}?${query.toString()}`,
  };
}

/** Uploads both reports; rejects with the first failure (lib-storage aborts a multipart upload that fails). */
export async function storeReports(
  report: Report,
  client: S3Client,
  target: ReportTarget,
): Promise<StoredReports> {
  const { Upload } = await import('@aws-sdk/lib-storage');
  const put = putter(Upload, client, target.bucket);
  const prefix = reportPrefix(report);
  const jsonKey = `${prefix}report.json.gz`;
  const htmlKey = `${prefix}report.html`;
  await putJson(report, put, jsonKey);
  // A piece at a time, like the JSON: an organization's page can outgrow one string.
  await put(htmlKey, readableOf(htmlChunks(report)), 'text/html; charset=utf-8');
  return { json: storedReport(target, jsonKey), html: storedReport(target, htmlKey) };
}

/** Streams one object into the bucket; resolves once it is stored. */
type Put = (key: string, body: Readable, contentType: string) => Promise<unknown>;

function putter(Uploader: typeof Upload, client: S3Client, bucket: string): Put {
  return (key, body, contentType) =>
    new Uploader({
      client,
      params: { Bucket: bucket, Key: key, Body: body, ContentType: contentType },
      // 8 MiB parts, two in flight: about 16 MiB of buffers whatever the report's size.
      partSize: 8 * 1024 * 1024,
      queueSize: 2,
    }).done();
}

/** The JSON report through gzip into the upload as it is written, never whole in memory. */
async function putJson(report: Report, put: Put, key: string): Promise<void> {
  const gzip = createGzip();
  const gzipped = new PassThrough();
  const written = pipeline(gzip, gzipped);
  const uploaded = put(key, gzipped, 'application/gzip');
  await Promise.all([writeReportJson(report, gzip).then(() => gzip.end()), written, uploaded]);
}
