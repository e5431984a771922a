// Which headers of a presign are credentials, good for that storage only: the headers the Fetch
// standard never sends to another origin (`Authorization`; `Cookie` and `Proxy-Authorization`,
// which a script cannot even set), an STS session token (`x-amz-security-token`), an SSE-C
// customer key (`x-amz-server-side-encryption-customer-*` and its `copy-source` form), Google
// Cloud Storage's `x-goog-*` (its customer-supplied encryption key among them), and Azure's
// customer-provided key (`x-ms-encryption-key*`) and copy-source authorization. They never follow
// a redirect to another origin (../pipeline/redirect.ts), and a hook sees them redacted (their
// values are secrets of the transfer: ../resources/files.ts). Only those two chunks import this.
export const STORAGE_CREDENTIAL =
  /^(?:authorization|cookie|proxy-authorization|x-amz-security-token|x-amz-(?:copy-source-)?server-side-encryption-customer-.*|x-goog-.*|x-ms-encryption-key.*|x-ms-copy-source-authorization)$/;
