/**
 * A least-privilege audit of IAM (AWS), RAM (Alibaba Cloud) and JD Cloud IAM policy documents: which statements
 * let someone write objects (put, multipart, delete), on which buckets, and which statements grant on `*`.
 *
 * Resources are read in every form the project writes them: ARNs (`arn:aws:s3:::b/*`), Alibaba resource names
 * (`acs:oss:*:*:b/*`), JD resource names (`jrn:oss:*:<account>:b/*`), and CloudFormation intrinsics in synthesized
 * templates (`Fn::GetAtt [Bucket, Arn]`, `Fn::Join` of it with `/*`, or of a literal ARN with `Ref` partition).
 */

/** Where a statement came from and what the spec it was generated for allows. */
export interface PolicySource {
  /** Human label: `aws driver roleDocuments (both)`, `CDK ExportAndImport ImageportVmImportRoleDefaultPolicy`. */
  readonly label: string;
  /** The cloud whose grammar and `*` allowlist apply. */
  readonly cloud: 'aws' | 'alicloud' | 'jdcloud';
  /** Buckets the spec used (names, or logical ids of CloudFormation bucket resources). */
  readonly specBuckets: readonly string[];
  /** Buckets objects may be written to (export buckets); a subset of `specBuckets`. */
  readonly writeBuckets: readonly string[];
  /**
   * For a synthesized template: the logical ids of its `AWS::S3::Bucket` resources (a `Fn::GetAtt [id, Arn]` of
   * anything else is not a bucket). @default - none
   */
  readonly bucketLogicalIds?: readonly string[];
}

/** One problem found. */
export interface PolicyFinding {
  readonly source: string;
  readonly statement: number;
  readonly problem: string;
}

/** A statement the cloud's own guide requires on `*`, and why. */
export interface WildcardAllowance {
  readonly cloud: 'aws' | 'alicloud' | 'jdcloud';
  /** Every action of such a statement must be one of these. */
  readonly actions: readonly string[];
  /** The guide and its reason. */
  readonly reason: string;
}

type Statement = Record<string, unknown>;

/** Actions that write, overwrite or delete objects (or could: wildcards). */
const OBJECT_WRITE = [
  /^\*$/,
  /^(s3|oss):\*$/,
  /^(s3|oss):(Put|Delete)\*$/,
  /^(s3|oss):PutObject\w*$/,
  /^(s3|oss):DeleteObject\w*$/,
  /^(s3|oss):(AbortMultipartUpload|InitiateMultipartUpload|UploadPart\w*|CompleteMultipartUpload|RestoreObject|ReplicateObject|PostObject|AppendObject|CopyObject)$/,
];

/** True when `action` can write or delete objects. */
export function isObjectWrite(action: string): boolean {
  return OBJECT_WRITE.some((pattern) => pattern.test(action));
}

function list(value: unknown): unknown[] {
  if (value === undefined) return [];
  return Array.isArray(value) ? value : [value];
}

/**
 * The bucket a resource names: its name (ARN/ACS/JRN), the logical id of a bucket resource (CloudFormation
 * intrinsic), `*` for every bucket (or a name with a wildcard), or undefined when the resource is not a bucket.
 */
export function bucketOf(resource: unknown, bucketLogicalIds: readonly string[] = []): string | undefined {
  if (typeof resource === 'string') {
    if (resource === '*') return '*';
    const match =
      /^arn:[^:]*:s3:::([^/]+)(\/.*)?$/.exec(resource) ?? /^acs:oss:[^:]*:[^:]*:([^/]+)(\/.*)?$/.exec(resource) ?? /^jrn:oss:[^:]*:[^:]*:([^/]+)(\/.*)?$/.exec(resource);
    if (!match) return undefined;
    return /[*?]/.test(match[1]) ? '*' : match[1];
  }
  if (typeof resource !== 'object' || resource === null) return undefined;
  const intrinsic = resource as { 'Fn::GetAtt'?: unknown[]; 'Fn::Join'?: [string, unknown[]]; Ref?: string };
  if (Array.isArray(intrinsic['Fn::GetAtt']) && intrinsic['Fn::GetAtt'][1] === 'Arn') {
    const id = String(intrinsic['Fn::GetAtt'][0]);
    return bucketLogicalIds.includes(id) ? `logical:${id}` : undefined;
  }
  if (Array.isArray(intrinsic['Fn::Join'])) {
    const parts = intrinsic['Fn::Join'][1];
    const inner = parts.map((part) => bucketOf(part, bucketLogicalIds)).find((bucket) => bucket !== undefined);
    if (inner) return inner;
    // A literal ARN split around `Ref: AWS::Partition`: join the literal parts and read them as an ARN.
    const literal = parts.map((part) => (typeof part === 'string' ? part : 'aws')).join('');
    if (/:s3:::/.test(literal)) return bucketOf(literal);
  }
  return undefined;
}

/** True when a resource is (or may be) every resource: `*`, a bucket-wide wildcard, or an intrinsic we cannot read. */
function isEveryResource(resource: unknown): boolean {
  return resource === '*';
}

/**
 * Audits the statements of one policy document. Deny statements restrict and are skipped. For each Allow:
 * - an object write never on `*`, never on a bucket wildcard, only on `writeBuckets`;
 * - every bucket a statement names is one of `specBuckets`;
 * - a statement on `*` only with actions a {@link WildcardAllowance} of the cloud lists.
 */
export function auditPolicy(document: unknown, source: PolicySource, allowances: readonly WildcardAllowance[]): PolicyFinding[] {
  const findings: PolicyFinding[] = [];
  const statements = list((document as { Statement?: unknown } | undefined)?.Statement) as Statement[];
  statements.forEach((statement, index) => {
    const find = (problem: string) => findings.push({ source: source.label, statement: index, problem });
    if (statement.Effect !== 'Allow') return;
    const actions = list(statement.Action).map(String);
    if (statement.NotAction !== undefined || statement.NotResource !== undefined) find('uses NotAction/NotResource, which grants everything else');
    const resources = list(statement.Resource);
    const buckets = resources.map((resource) => bucketOf(resource, source.bucketLogicalIds));
    const writes = actions.filter(isObjectWrite);
    for (const bucket of buckets) {
      if (bucket === undefined || bucket === '*') continue;
      if (!source.specBuckets.includes(bucket)) find(`names bucket ${bucket}, which the spec did not use (spec: ${source.specBuckets.join(', ') || 'none'})`);
    }
    if (writes.length > 0) {
      if (resources.length === 0) find(`allows ${writes.join(', ')} without naming a resource`);
      resources.forEach((resource, at) => {
        const bucket = buckets[at];
        if (bucket === '*' || isEveryResource(resource)) find(`allows ${writes.join(', ')} on every bucket (${JSON.stringify(resource)})`);
        else if (bucket === undefined) find(`allows ${writes.join(', ')} on ${JSON.stringify(resource)}, which names no bucket`);
        else if (!source.writeBuckets.includes(bucket)) find(`allows ${writes.join(', ')} on bucket ${bucket}, which is not an export bucket of the spec`);
      });
    }
    if (resources.some(isEveryResource)) {
      const allowed = allowances.filter((allowance) => allowance.cloud === source.cloud).flatMap((allowance) => allowance.actions);
      const unlisted = actions.filter((action) => !allowed.includes(action));
      if (unlisted.length > 0) find(`allows ${unlisted.join(', ')} on "*", which no guide requires`);
    }
  });
  return findings;
}

/** The Allow statements on `*` of a document, as action lists (to show which allowances were used). */
export function wildcardStatements(document: unknown): string[][] {
  return (list((document as { Statement?: unknown } | undefined)?.Statement) as Statement[])
    .filter((statement) => statement.Effect === 'Allow' && list(statement.Resource).some(isEveryResource))
    .map((statement) => list(statement.Action).map(String));
}
