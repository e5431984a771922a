// Which headers of a presign are credentials, good for that storage only. Decided by an
// allowlist, so it fails safe: only the headers that describe the object (its type, checksum,
// encoding, caching, user metadata, ACL, storage class, server-side encryption algorithm) are
// not; everything else a presign hands out is (Authorization, Cookie, an STS session token,
// an SSE-C key, Swift's x-auth-token/x-storage-token, Alibaba's x-oss-security-token, Tencent's
// x-cos-security-token, Huawei's x-obs-security-token, an x-api-key, and whatever a storage
// invents next). A credential never follows a redirect to another origin
// (../pipeline/redirect.ts), and a hook sees it redacted (its value is a secret of the transfer:
// ../resources/files.ts). Only those two chunks import this. A describing header left out here
// only costs a cross-origin hop that header and a hook its value: never a leak.
// `x-amz-server-side-encryption` names an algorithm ("AES256", "aws:kms"); the KMS key id and
// context and every SSE-C header (`-customer-*`, the algorithm too: it goes with its key) are not
// on the list.
const DESCRIBES_THE_OBJECT =
  /^(?:content-(?:type|md5|disposition|encoding|language)|cache-control|expires|x-(?:amz|goog|ms)-meta-[!-~]+|x-amz-acl|x-amz-storage-class|x-amz-checksum-(?:algorithm|crc32|crc32c|crc64nvme|sha1|sha256)|x-amz-sdk-checksum-algorithm|x-amz-content-sha256|x-amz-server-side-encryption|x-amz-server-side-encryption-bucket-key-enabled|x-ms-blob-type|x-ms-blob-content-(?:type|md5|disposition|encoding|language)|x-ms-blob-cache-control)$/;

/** Whether a (lower-case) header name of a presign is a credential: anything not known to describe the object. */
export function isStorageCredential(name: string): boolean {
  return !DESCRIBES_THE_OBJECT.test(name);
}
