import Ecs from '@alicloud/ecs20140526';
import * as OpenApi from '@alicloud/openapi-core';
import Ram, * as $Ram from '@alicloud/ram20150501';
import { CreateBucketCommand, PutObjectCommand, S3Client } from '@aws-sdk/client-s3';
import { startEmulator, type Emulator, type EmulatorOptions } from '../../../emulator';

/** The golden, exportable image of each region in the catalog. */
export const GOLDEN_IMAGE = {
  'cn-hangzhou': 'm-g01den0hangzhou001',
  'cn-shanghai': 'm-g01den0shanghai001',
  'ap-southeast-1': 'm-g01den0singapore01',
} as const;

/** A second exportable image in cn-hangzhou (for quota tests). */
export const SECOND_GOLDEN_IMAGE = 'm-g01den0hangzhou002';

/** One catalog image per documented ExportImage refusal (all in cn-hangzhou). */
export const REFUSED_IMAGE = {
  marketplace: 'm-refuse0marketplace',
  encrypted: 'm-refuse0encrypted01',
  fiveDataDisks: 'm-refuse0fivedisks01',
  bigDataDisk: 'm-refuse0bigdisk0001',
  windows: 'm-refuse0windows0001',
  unavailable: 'm-refuse0unavailable',
  publicImage: 'm-refuse0publicimage',
} as const;

/** The trust policy of the ECS image service roles (ExportImage document). */
export const ECS_TRUST = JSON.stringify({
  Statement: [{ Action: 'sts:AssumeRole', Effect: 'Allow', Principal: { Service: ['ecs.aliyuncs.com'] } }],
  Version: '1',
});

/** A hand-driven clock. */
export class ManualClock {
  private current: number;
  public constructor(start = Date.UTC(2026, 0, 1)) {
    this.current = start;
  }
  /** Now, epoch ms. */
  public now(): number {
    return this.current;
  }
  /** Moves time forward. */
  public advance(ms: number): void {
    this.current += ms;
  }
}

/** An emulator with the official Alibaba SDK clients (and an S3 client for OSS) bound to it. */
export interface AlicloudKit {
  readonly emulator: Emulator;
  readonly clock: ManualClock;
  /** ECS client (V3 signatures) in cn-hangzhou. */
  readonly ecs: Ecs;
  /** ECS client signing with V2 (HMAC-SHA1). */
  readonly ecsV2: Ecs;
  /** RAM client. */
  readonly ram: Ram;
  /** OSS over the S3 protocol, signing for a region. */
  oss(region?: string): S3Client;
  /** Creates a bucket in a region (the OSS way: the signing region decides). */
  createBucket(name: string, region?: string): Promise<void>;
  /** Writes an object. */
  putObject(bucket: string, key: string, body: Buffer, region?: string): Promise<void>;
  /** Creates a service role trusting ECS with a system policy attached. */
  createServiceRole(roleName: string, systemPolicy: string): Promise<void>;
  stop(): Promise<void>;
}

function config(endpoint: string, credentials: { accessKeyId: string; secretAccessKey: string }, extra: Record<string, unknown> = {}) {
  const url = new URL(endpoint);
  return new OpenApi.$OpenApiUtil.Config({
    accessKeyId: credentials.accessKeyId,
    accessKeySecret: credentials.secretAccessKey,
    regionId: 'cn-hangzhou',
    endpoint: url.host,
    protocol: 'http',
    ...extra,
  });
}

/** Starts an emulator on a manual clock (unless options say otherwise) and binds the SDK clients to it. */
export async function startAlicloudKit(options: EmulatorOptions = {}): Promise<AlicloudKit> {
  const clock = new ManualClock();
  const emulator = await startEmulator({ clock, ...options });
  const credentials = emulator.credentials.alicloud;
  const ecs = new Ecs(config(emulator.endpoints.alicloud.ecs, credentials));
  const ecsV2 = new Ecs(config(emulator.endpoints.alicloud.ecs, credentials, { signatureAlgorithm: 'v2' }));
  const ram = new Ram(config(emulator.endpoints.alicloud.ram, credentials));
  const ossClients = new Map<string, S3Client>();
  const oss = (region = 'cn-hangzhou'): S3Client => {
    let client = ossClients.get(region);
    if (!client) {
      client = new S3Client({ region, endpoint: emulator.endpoints.alicloud.oss, forcePathStyle: true, credentials, maxAttempts: 1 });
      ossClients.set(region, client);
    }
    return client;
  };
  return {
    emulator,
    clock,
    ecs,
    ecsV2,
    ram,
    oss,
    createBucket: async (name, region = 'cn-hangzhou') => {
      await oss(region).send(new CreateBucketCommand({ Bucket: name }));
    },
    putObject: async (bucket, key, body, region = 'cn-hangzhou') => {
      await oss(region).send(new PutObjectCommand({ Bucket: bucket, Key: key, Body: body }));
    },
    createServiceRole: async (roleName, systemPolicy) => {
      await ram.createRole(new $Ram.CreateRoleRequest({ roleName, assumeRolePolicyDocument: ECS_TRUST }));
      await ram.attachPolicyToRole(new $Ram.AttachPolicyToRoleRequest({ roleName, policyName: systemPolicy, policyType: 'System' }));
    },
    stop: async () => {
      for (const client of ossClients.values()) client.destroy();
      await emulator.stop();
    },
  };
}

/** The `code` of an SDK error (ClientError, ServerError, ThrottlingError). */
export function codeOf(error: unknown): string | undefined {
  return (error as { code?: string } | undefined)?.code;
}
