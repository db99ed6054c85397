import { jdOssInternalBucketUrl, type JdcloudEndpoints } from './settings';

/**
 * `ossUrl` for exportImage. On JD Cloud: the bucket's internal domain
 * `https://<bucket>.s3-internal.<region>.jdcloud-oss.com`. When the OSS endpoint is overridden (the emulator), the
 * path-style bucket URL on that endpoint: `<endpoint>/<bucket>` (the form `emulator/jdcloud` documents and accepts).
 */
export function exportOssUrl(bucket: string, region: string, endpoints: JdcloudEndpoints): string {
  return endpoints.ossOverridden ? `${endpoints.oss}/${bucket}` : jdOssInternalBucketUrl(bucket, region);
}

/**
 * The bucket and key a JD OSS object URL points at, or `undefined` when it is not a JD OSS URL of this connection:
 * virtual-host form `https://<bucket>.s3[-internal].<region>.jdcloud-oss.com/<key>` (also the legacy `jcloudcs.com`),
 * path-style on the public endpoint `https://s3.<region>.jdcloud-oss.com/<bucket>/<key>` (what a presigned link from
 * this driver looks like), or path-style on the overridden endpoint.
 */
export function parseOssObjectUrl(url: string, endpoints: JdcloudEndpoints): { bucket: string; key: string } | undefined {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    return undefined;
  }
  const path = decodeURIComponent(parsed.pathname).replace(/^\/+/, '');
  const virtualHost = /^([a-z0-9-]+)\.s3(?:-internal)?\.[a-z0-9-]+\.(?:jdcloud-oss|jcloudcs)\.com$/.exec(parsed.hostname);
  if (virtualHost && path.length > 0) return { bucket: virtualHost[1], key: path };
  if (/^s3(?:-internal)?\.[a-z0-9-]+\.(?:jdcloud-oss|jcloudcs)\.com$/.test(parsed.hostname)) {
    const slash = path.indexOf('/');
    if (slash > 0 && slash < path.length - 1) return { bucket: path.slice(0, slash), key: path.slice(slash + 1) };
  }
  if (endpoints.ossOverridden) {
    const base = new URL(endpoints.oss);
    const basePath = base.pathname.replace(/\/+$/, '');
    if (parsed.host === base.host && `/${path}`.startsWith(`${basePath}/`)) {
      const rest = `/${path}`.slice(basePath.length + 1);
      const slash = rest.indexOf('/');
      if (slash > 0 && slash < rest.length - 1) return { bucket: rest.slice(0, slash), key: rest.slice(slash + 1) };
    }
  }
  return undefined;
}
