import type { SignatureV4 } from '@smithy/signature-v4';
import { Sha256 } from '../../src/clients/sha256.ts';

// AWS's SigV4 test suite, case get-vanilla: its published credentials, date and signature.
export const VANILLA = {
  accessKeyId: 'AKIDEXAMPLE',
  secretAccessKey: 'wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY',
  signingDate: new Date('2015-08-30T12:36:00Z'),
  signature: '5fa00fa31553b73ebf1942676e86291e8372ff2a2260956d9b8aae1d763fbf31',
};

function vanillaRequest() {
  const host = 'example.amazonaws.com';
  return { method: 'GET', protocol: 'https:', hostname: host, path: '/', query: {}, headers: { host } };
}

/** The signature `Signer` gives the get-vanilla request (by default with the VANILLA identity and Sha256). */
export async function vanillaSignature(
  Signer: typeof SignatureV4,
  options: {
    region?: string;
    credentials?: { accessKeyId: string; secretAccessKey: string };
    sha256?: unknown;
  } = {},
): Promise<string> {
  const signer = new Signer({
    credentials: options.credentials ?? {
      accessKeyId: VANILLA.accessKeyId,
      secretAccessKey: VANILLA.secretAccessKey,
    },
    region: options.region ?? 'us-east-1',
    service: 'service',
    // The test suite's requests carry no x-amz-content-sha256 header.
    applyChecksum: false,
    sha256: (options.sha256 ?? Sha256) as never,
  });
  const signed = await signer.sign(vanillaRequest(), { signingDate: VANILLA.signingDate });
  return /Signature=([0-9a-f]+)/.exec(String(signed.headers.authorization))?.[1] ?? '';
}
