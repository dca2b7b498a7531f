// What made a report, and where its checks are explained: the page and the alert digest name the tool's version
// and link each check to its section of the repository's docs/checks.md (the README links the same sections).
// The version is package.json's; test/report/tool.test.ts keeps the two equal, since the Lambda bundle ships no
// package.json to read it from.

export const TOOL = { name: 'eks-oidc-auditor', version: '0.1.0' } as const;

/** The repository's docs folder as published: where docs/checks.md#<check> opens in a browser or a mail client. */
export const DOCS_BASE_URL = 'https://github.com/eks-oidc-auditor/eks-oidc-auditor/blob/main/docs/';

/** The section of docs/checks.md on one check, as an absolute link; the id goes in as a URL fragment. */
export function checkDocsUrl(check: string): string {
  return `${DOCS_BASE_URL}checks.md#${encodeURIComponent(check)}`;
}
