import { type CloudId } from '../model/cloud';

/** Which network an endpoint is reached from. */
export type EndpointNetwork = 'public' | 'internal';

/**
 * The S3-protocol endpoint of a cloud's object store in a region, or `undefined` for AWS (the SDK's own default,
 * which also honours `AWS_ENDPOINT_URL_S3`).
 *
 * - Alibaba OSS: `https://s3.oss-<region>.aliyuncs.com`; internal `https://s3.oss-<region>-internal.aliyuncs.com`.
 * - JD OSS: `https://s3.<region>.jdcloud-oss.com`; internal `https://s3-internal.<region>.jdcloud-oss.com`.
 *
 * @param cloud the cloud
 * @param region the region (`cn-hangzhou`, `cn-north-1`)
 * @param network public (default) or the cloud's internal network
 */
export function s3ProtocolEndpoint(cloud: CloudId, region: string, network: EndpointNetwork = 'public'): string | undefined {
  switch (cloud) {
    case 'aws':
      return undefined;
    case 'alicloud':
      return network === 'internal'
        ? `https://s3.oss-${region}-internal.aliyuncs.com`
        : `https://s3.oss-${region}.aliyuncs.com`;
    case 'jdcloud':
      return network === 'internal'
        ? `https://s3-internal.${region}.jdcloud-oss.com`
        : `https://s3.${region}.jdcloud-oss.com`;
  }
}

/**
 * The `ossUrl` that JD Cloud's `exportImage` wants: the bucket's full internal https URL,
 * `https://<bucket>.s3-internal.<region>.jdcloud-oss.com`.
 */
export function jdcloudExportOssUrl(bucket: string, region: string): string {
  return `https://${bucket}.s3-internal.${region}.jdcloud-oss.com`;
}

/**
 * True when requests to `endpoint` must be virtual-hosted style: Alibaba OSS's own hosts (`*.aliyuncs.com`) deny
 * path-style requests. Anything else (AWS with an override, JD OSS, an emulator on loopback) takes path style.
 */
export function requiresVirtualHostedStyle(endpoint: string): boolean {
  let host: string;
  try {
    host = new URL(endpoint).hostname;
  } catch {
    host = endpoint;
  }
  return /(^|\.)aliyuncs\.com$/i.test(host);
}

/**
 * The default addressing style: path style whenever an endpoint override is given (loopback emulators cannot
 * resolve `<bucket>.127.0.0.1`), except for Alibaba's own hosts, which deny it; JD OSS's public endpoint also takes
 * path style (its official Node example sets `s3ForcePathStyle: true`); AWS and Alibaba public endpoints use
 * virtual-hosted style.
 */
export function defaultForcePathStyle(cloud: CloudId, endpoint: string | undefined): boolean {
  if (endpoint) return !requiresVirtualHostedStyle(endpoint);
  return cloud === 'jdcloud';
}
