import { describeValue } from '../../model/validation-issue';
import { booleanAt, compact, numberAt, stringAt, type ConversionIssue, type ConvertedEntry } from './converted-entry';

const REQUEST = 'request';

/** JD OSS bucket URLs: `https://<bucket>.s3-internal.<region>.jdcloud-oss.com` (what exportImage wants) or `.s3.`. */
const JD_OSS_URL = /^https:\/\/([a-z0-9][a-z0-9-]{1,61}[a-z0-9])\.s3(?:-internal)?\.([a-z]{2}(?:-[a-z0-9]+)+)\.jdcloud-oss\.com\/?$/;

/** The bucket and region of a JD OSS bucket URL, or `undefined` when it is not one. */
export function parseJdOssBucketUrl(url: string): { bucket: string; region: string } | undefined {
  const match = JD_OSS_URL.exec(url);
  return match ? { bucket: match[1], region: match[2] } : undefined;
}

/**
 * Converts the input of JD Cloud vm exportImage (`jdc vm export-image --input-json`: regionId, imageId, roleName,
 * ossUrl, ossPrefix, clientToken, isAllDisk) to imageport's export fields. The bucket comes from `ossUrl`.
 */
export function convertJdcloudExportRequest(request: unknown): ConvertedEntry {
  const issues: ConversionIssue[] = [];
  const ossUrl = stringAt(request, 'ossUrl');
  const location = ossUrl === undefined ? undefined : parseJdOssBucketUrl(ossUrl);
  if (ossUrl !== undefined && location === undefined) {
    issues.push({
      path: [REQUEST, 'ossUrl'],
      value: ossUrl,
      rule: 'is not a JD Cloud OSS bucket URL such as https://my-bucket.s3-internal.cn-east-2.jdcloud-oss.com',
      code: 'request.oss-url',
    });
  }
  const regionId = stringAt(request, 'regionId');
  if (location && regionId !== undefined && location.region !== regionId) {
    issues.push({
      path: [REQUEST, 'ossUrl'],
      value: ossUrl,
      rule: `names a bucket in ${location.region}, but regionId is ${describeValue(regionId)}: the bucket must be in the image's region`,
      code: 'request.oss-url-region',
    });
  }
  return {
    fields: compact({
      imageId: stringAt(request, 'imageId'),
      bucket: location?.bucket,
      prefix: stringAt(request, 'ossPrefix'),
      roleName: stringAt(request, 'roleName'),
      clientToken: stringAt(request, 'clientToken'),
      allDisks: booleanAt(request, 'isAllDisk'),
    }),
    region: regionId ?? location?.region,
    paths: {
      region: [REQUEST, regionId !== undefined ? 'regionId' : 'ossUrl'],
      imageId: [REQUEST, 'imageId'],
      bucket: [REQUEST, 'ossUrl'],
      prefix: [REQUEST, 'ossPrefix'],
      roleName: [REQUEST, 'roleName'],
      clientToken: [REQUEST, 'clientToken'],
      allDisks: [REQUEST, 'isAllDisk'],
    },
    issues,
  };
}

/**
 * Converts the input of JD Cloud vm importImage (`jdc vm import-image --input-json`: architecture, osType, platform,
 * diskFormat, systemDiskSizeGB, imageUrl, osVersion, imageName, description, forceImport, clientToken, bootMode).
 */
export function convertJdcloudImportRequest(request: unknown): ConvertedEntry {
  const systemDiskSizeGiB = numberAt(request, 'systemDiskSizeGB');
  return {
    fields: compact({
      disks: [compact({ url: stringAt(request, 'imageUrl'), format: stringAt(request, 'diskFormat'), sizeGiB: systemDiskSizeGiB })],
      architecture: stringAt(request, 'architecture'),
      osType: stringAt(request, 'osType'),
      platform: stringAt(request, 'platform'),
      systemDiskSizeGiB,
      osVersion: stringAt(request, 'osVersion'),
      imageName: stringAt(request, 'imageName'),
      description: stringAt(request, 'description'),
      forceImport: booleanAt(request, 'forceImport'),
      clientToken: stringAt(request, 'clientToken'),
      bootMode: stringAt(request, 'bootMode'),
    }),
    region: stringAt(request, 'regionId'),
    paths: {
      region: [REQUEST, 'regionId'],
      disks: [REQUEST, 'imageUrl'],
      'disks[0]': [REQUEST, 'imageUrl'],
      'disks[0].url': [REQUEST, 'imageUrl'],
      'disks[0].format': [REQUEST, 'diskFormat'],
      'disks[0].sizeGiB': [REQUEST, 'systemDiskSizeGB'],
      architecture: [REQUEST, 'architecture'],
      osType: [REQUEST, 'osType'],
      platform: [REQUEST, 'platform'],
      systemDiskSizeGiB: [REQUEST, 'systemDiskSizeGB'],
      osVersion: [REQUEST, 'osVersion'],
      imageName: [REQUEST, 'imageName'],
      description: [REQUEST, 'description'],
      forceImport: [REQUEST, 'forceImport'],
      clientToken: [REQUEST, 'clientToken'],
      bootMode: [REQUEST, 'bootMode'],
    },
    issues: [],
  };
}
