/**
 * Alibaba Cloud ECS image export/import facts, as documented (reference notes §1-§4, seed 004, SDK models of
 * `@alicloud/ecs20140526` v7). Pure data: no SDK import.
 */

/** Where a rule comes from, for validation issues. */
export const SOURCE_EXPORT = 'Alibaba Cloud ECS ExportImage';
/** Where an import rule comes from, for validation issues. */
export const SOURCE_IMPORT = 'Alibaba Cloud ECS ImportImage';

/** Formats ExportImage writes (`ImageFormat`), in the documented lower-case spelling. */
export const EXPORT_FORMATS = ['raw', 'vhd', 'qcow2', 'vmdk', 'vdi'] as const;
/** Default `ImageFormat` of ExportImage. */
export const DEFAULT_EXPORT_FORMAT = 'raw';

/** Formats ImportImage reads (`DiskDeviceMapping.N.Format`), in the documented upper-case spelling. */
export const IMPORT_FORMATS = ['RAW', 'VHD', 'QCOW2', 'VMDK'] as const;

/**
 * Regions where ExportImage honours `ImageFormat` (ExportImage doc, 2026): Tokyo, Jakarta, Frankfurt, Dubai, Virginia,
 * London, Singapore, Kuala Lumpur, Silicon Valley. Elsewhere ECS refuses a non-RAW format with
 * `InvalidImageFormat.RegionNotSupported` (or silently writes RAW).
 */
export const IMAGE_FORMAT_REGIONS: readonly string[] = [
  'ap-northeast-1',
  'ap-southeast-5',
  'eu-central-1',
  'me-east-1',
  'us-east-1',
  'eu-west-1',
  'ap-southeast-1',
  'ap-southeast-3',
  'us-west-1',
];

/** Default role of ExportImage ("any other role name is invalid", CN doc). */
export const EXPORT_ROLE_NAME = 'AliyunECSImageExportDefaultRole';
/** Default role of ImportImage ("You must use this exact role name", ImportImage doc). */
export const IMPORT_ROLE_NAME = 'AliyunECSImageImportDefaultRole';
/** System policy of the export role. */
export const EXPORT_SYSTEM_POLICY = 'AliyunECSImageExportRolePolicy';
/** System policy of the import role. */
export const IMPORT_SYSTEM_POLICY = 'AliyunECSImageImportRolePolicy';
/** The service principal both roles must trust. */
export const ECS_SERVICE_PRINCIPAL = 'ecs.aliyuncs.com';

/** OSS actions the export role needs (ExportImage doc, custom-policy equivalent of the system policy). */
export const EXPORT_OSS_ACTIONS = [
  'oss:GetObject',
  'oss:PutObject',
  'oss:DeleteObject',
  'oss:GetBucketLocation',
  'oss:GetBucketInfo',
  'oss:AbortMultipartUpload',
  'oss:ListMultipartUploads',
  'oss:ListParts',
] as const;

/** OSS actions the import role needs (ImportImage doc). */
export const IMPORT_OSS_ACTIONS = ['oss:GetObject', 'oss:GetBucketLocation', 'oss:GetBucketInfo'] as const;

/** OSS actions that act on the bucket itself (resource `acs:oss:*:*:<bucket>`); the rest act on objects. */
export const OSS_BUCKET_ACTIONS: readonly string[] = ['oss:GetBucketLocation', 'oss:GetBucketInfo', 'oss:ListMultipartUploads'];

/** `Platform` values of ImportImage (SDK model `ImportImageRequest`). */
export const IMPORT_PLATFORMS = [
  'Aliyun',
  'Anolis',
  'CentOS',
  'Ubuntu',
  'CoreOS',
  'SUSE',
  'Debian',
  'OpenSUSE',
  'FreeBSD',
  'RedHat',
  'Kylin',
  'UOS',
  'Fedora',
  'Fedora CoreOS',
  'CentOS Stream',
  'AlmaLinux',
  'Rocky Linux',
  'Gentoo',
  'Customized Linux',
  'Others Linux',
  'Windows Server 2022',
  'Windows Server 2019',
  'Windows Server 2016',
  'Windows Server 2012',
  'Windows Server 2008',
  'Windows Server 2003',
] as const;

/** `OSType` values of ImportImage. */
export const IMPORT_OS_TYPES = ['linux', 'windows'] as const;
/** `Architecture` values of ImportImage. */
export const IMPORT_ARCHITECTURES = ['x86_64', 'i386', 'arm64'] as const;
/** `BootMode` values of ImportImage. */
export const IMPORT_BOOT_MODES = ['BIOS', 'UEFI'] as const;
/** `LicenseType` values of ImportImage. */
export const IMPORT_LICENSE_TYPES = ['Auto', 'Aliyun', 'BYOL'] as const;
/** `DetectionStrategy` values of ImportImage ("Only the standard check mode is supported"). */
export const IMPORT_DETECTION_STRATEGIES = ['Standard'] as const;
/** `Features.NvmeSupport` values of ImportImage. */
export const IMPORT_NVME_SUPPORT = ['supported', 'unsupported'] as const;

/** ImportImage takes the system disk and at most 16 data disks (`DiskDeviceMapping.1` to `.17`). */
export const MAX_IMPORT_DISKS = 17;
/** `DiskDeviceMapping.N.DiskImageSize` bounds, GiB. */
export const DISK_IMAGE_SIZE_GIB = { min: 1, max: 2048 } as const;
/** ImportImage takes at most 20 `Tag.N`. */
export const MAX_IMPORT_TAGS = 20;

/** ExportImage refuses images with more data disks than this. */
export const MAX_EXPORT_DATA_DISKS = 4;
/** ExportImage refuses images with a data disk larger than this, GiB. */
export const MAX_EXPORT_DATA_DISK_GIB = 500;

/** Task statuses of DescribeTasks / DescribeTaskAttribute. `Deleted` is what a cancelled task shows. */
export const TASK_STATUSES = ['Waiting', 'Processing', 'Finished', 'Failed', 'Deleted', 'Paused'] as const;

/**
 * Every image status, for DescribeImages' `Status` filter: its default (`Available`) hides images still being
 * created, so an import waiter must ask for all of them.
 */
export const ALL_IMAGE_STATUSES = 'Creating,Waiting,Available,UnAvailable,CreateFailed,Deprecated';
