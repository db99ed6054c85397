import { type ServiceResponse } from '../http-service';
import { parseXml } from '../xml';
import { s3Empty, s3Error, s3Headers } from './s3-responses';

/** Bucket configurations the store keeps itself (s3rver does not implement them). */
export type BucketConfigKind = 'publicAccessBlock' | 'encryption' | 'policy' | 'ownershipControls' | 'lifecycle' | 'tagging';

/** Every {@link BucketConfigKind}, as S3 query subresource names. */
export const BUCKET_CONFIG_KINDS: readonly BucketConfigKind[] = ['publicAccessBlock', 'encryption', 'policy', 'ownershipControls', 'lifecycle', 'tagging'];

interface ConfigRules {
  /** XML root element the body must have (policy is JSON). */
  readonly root?: string;
  /** Status of a successful PUT. */
  readonly putStatus: number;
  /** Answer for GET when nothing is stored: a default document, or an error. */
  readonly absent: { readonly defaultBody: string } | { readonly code: string; readonly message: string };
}

const XML_DECL = '<?xml version="1.0" encoding="UTF-8"?>\n';
const NS = 'xmlns="http://s3.amazonaws.com/doc/2006-03-01/"';

/** What S3 does for each configuration; defaults follow S3 since 2023 (SSE-S3, Block Public Access, BucketOwnerEnforced). */
const RULES: Readonly<Record<BucketConfigKind, ConfigRules>> = {
  publicAccessBlock: {
    root: 'PublicAccessBlockConfiguration',
    putStatus: 200,
    absent: {
      defaultBody: `${XML_DECL}<PublicAccessBlockConfiguration ${NS}><BlockPublicAcls>true</BlockPublicAcls><IgnorePublicAcls>true</IgnorePublicAcls><BlockPublicPolicy>true</BlockPublicPolicy><RestrictPublicBuckets>true</RestrictPublicBuckets></PublicAccessBlockConfiguration>`,
    },
  },
  encryption: {
    root: 'ServerSideEncryptionConfiguration',
    putStatus: 200,
    absent: {
      defaultBody: `${XML_DECL}<ServerSideEncryptionConfiguration ${NS}><Rule><ApplyServerSideEncryptionByDefault><SSEAlgorithm>AES256</SSEAlgorithm></ApplyServerSideEncryptionByDefault><BucketKeyEnabled>false</BucketKeyEnabled></Rule></ServerSideEncryptionConfiguration>`,
    },
  },
  policy: { putStatus: 204, absent: { code: 'NoSuchBucketPolicy', message: 'The bucket policy does not exist' } },
  ownershipControls: {
    root: 'OwnershipControls',
    putStatus: 200,
    absent: { defaultBody: `${XML_DECL}<OwnershipControls ${NS}><Rule><ObjectOwnership>BucketOwnerEnforced</ObjectOwnership></Rule></OwnershipControls>` },
  },
  lifecycle: { root: 'LifecycleConfiguration', putStatus: 200, absent: { code: 'NoSuchLifecycleConfiguration', message: 'The lifecycle configuration does not exist' } },
  tagging: { root: 'Tagging', putStatus: 204, absent: { code: 'NoSuchTagSet', message: 'The TagSet does not exist' } },
};

/** Which configuration subresource a query names, if any. */
export function bucketConfigKind(query: URLSearchParams): BucketConfigKind | undefined {
  return BUCKET_CONFIG_KINDS.find((kind) => query.has(kind));
}

/**
 * Answers PUT / GET / DELETE of one bucket configuration against the stored documents (`configs` is mutated on
 * PUT and DELETE; the caller persists it).
 */
export function handleBucketConfig(
  method: string,
  kind: BucketConfigKind,
  body: Buffer,
  configs: Record<string, string>,
  requestId: string,
): ServiceResponse {
  const rules = RULES[kind];
  if (method === 'PUT') {
    const text = body.toString('utf8');
    const problem = validateConfig(kind, rules, text);
    if (problem) return s3Error(400, problem.code, problem.message, requestId);
    configs[kind] = text;
    return s3Empty(requestId, rules.putStatus);
  }
  if (method === 'GET') {
    const stored = configs[kind];
    if (stored !== undefined) {
      return { status: 200, headers: s3Headers(requestId, { 'Content-Type': kind === 'policy' ? 'application/json' : 'application/xml' }), body: stored };
    }
    if ('defaultBody' in rules.absent) return { status: 200, headers: s3Headers(requestId, { 'Content-Type': 'application/xml' }), body: rules.absent.defaultBody };
    return s3Error(404, rules.absent.code, rules.absent.message, requestId);
  }
  if (method === 'DELETE') {
    delete configs[kind];
    return s3Empty(requestId, 204);
  }
  return s3Error(405, 'MethodNotAllowed', 'The specified method is not allowed against this resource.', requestId, { Method: method, ResourceType: kind.toUpperCase() });
}

/** Default encryption algorithm of a bucket (`AES256` unless a stored configuration says `aws:kms` …). */
export function defaultEncryptionAlgorithm(configs: Readonly<Record<string, string>>): string {
  const stored = configs.encryption;
  if (stored === undefined) return 'AES256';
  const match = /<SSEAlgorithm>\s*([^<\s]+)\s*<\/SSEAlgorithm>/.exec(stored);
  return match ? match[1] : 'AES256';
}

function validateConfig(kind: BucketConfigKind, rules: ConfigRules, text: string): { code: string; message: string } | undefined {
  if (kind === 'policy') {
    try {
      const parsed: unknown = JSON.parse(text);
      if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed) || !('Statement' in parsed)) {
        return { code: 'MalformedPolicy', message: 'Missing required field Statement' };
      }
      return undefined;
    } catch {
      return { code: 'MalformedPolicy', message: "Policies must be valid JSON and the first byte must be '{'" };
    }
  }
  const parsed = parseXml(text);
  if (!parsed || !rules.root || !(rules.root in parsed)) {
    return { code: 'MalformedXML', message: 'The XML you provided was not well-formed or did not validate against our published schema' };
  }
  if (kind === 'encryption') {
    const algorithm = /<SSEAlgorithm>\s*([^<\s]*)\s*<\/SSEAlgorithm>/.exec(text)?.[1];
    if (!algorithm || !['AES256', 'aws:kms', 'aws:kms:dsse'].includes(algorithm)) {
      return { code: 'MalformedXML', message: 'The XML you provided was not well-formed or did not validate against our published schema' };
    }
  }
  return undefined;
}
