import { type XmlObject } from '../../core/xml';
import { type CatalogImage, type CatalogSnapshot } from '../aws-catalog';
import { AwsError } from '../aws-error';
import { AWS_ACCOUNT_ID } from '../aws-identity';
import { type QueryAction } from '../query-service';
import { filters, honourDryRun, matchesFilter, paginate, rejectUnknownParameters } from './ec2-params';
import { assertWellFormedImageId } from './export-image';
import { type Ec2World } from './ec2-world';
import { type Ec2Tag } from './ec2-state';
import { ec2Response, itemSet, tagSet } from './ec2-xml';

const IMAGE_FILTERS = [
  'image-id',
  'name',
  'state',
  'owner-id',
  'owner-alias',
  'is-public',
  'platform',
  'platform-details',
  'architecture',
  'product-code',
  'product-code.type',
  'block-device-mapping.snapshot-id',
  'block-device-mapping.encrypted',
  'image-type',
  'root-device-type',
  'virtualization-type',
  'tag-key',
];

const SNAPSHOT_FILTERS = ['snapshot-id', 'status', 'owner-id', 'volume-size', 'encrypted', 'description', 'tag-key'];

/** DescribeImages and DescribeSnapshots over the catalog and the AMIs / snapshots imports created. */
export function describeImageActions(world: Ec2World): Record<string, QueryAction> {
  return {
    DescribeImages: (call) => {
      const { params, region } = call;
      rejectUnknownParameters(params, ['ExecutableBy', 'Filter', 'ImageId', 'Owner', 'IncludeDeprecated', 'IncludeDisabled', 'DryRun', 'MaxResults', 'NextToken']);
      const ids = params.list('ImageId');
      ids.forEach(assertWellFormedImageId);
      const owners = params.list('Owner');
      const byName = filters(params, 'Filter', IMAGE_FILTERS);
      if (ids.length > 0 && params.has('MaxResults')) {
        throw new AwsError('InvalidParameterCombination', 'The parameter imageIdsSet cannot be used with the parameter maxResults', 400);
      }
      honourDryRun(params);
      const images = world.images(region);
      const missing = ids.filter((id) => !images.some((image) => image.id === id));
      if (missing.length > 0) throw new AwsError('InvalidAMIID.NotFound', `The image id '[${missing.join(', ')}]' does not exist`, 400);
      const selected = images
        .filter((image) => ids.length === 0 || ids.includes(image.id))
        .filter((image) => owners.length === 0 || owners.some((owner) => ownerMatches(image, owner)))
        .filter((image) => [...byName].every(([name, values]) => imageFilter(image, name, values) || tagFilter(world.resourceTags(image.id), name, values)));
      const { page, nextToken } = paginate(selected, params, { min: 5, max: 1000 });
      return ec2Response('DescribeImages', { imagesSet: itemSet(page.map((image) => imageXml(image, world.resourceTags(image.id)))), nextToken }, call.requestId);
    },

    DescribeSnapshots: (call) => {
      const { params, region } = call;
      rejectUnknownParameters(params, ['MaxResults', 'NextToken', 'Owner', 'RestorableBy', 'SnapshotId', 'DryRun', 'Filter']);
      const ids = params.list('SnapshotId');
      const owners = params.list('Owner');
      const byName = filters(params, 'Filter', SNAPSHOT_FILTERS);
      honourDryRun(params);
      for (const id of ids) if (!/^snap-([0-9a-f]{8}|[0-9a-f]{17})$/.test(id)) throw new AwsError('InvalidSnapshotID.Malformed', `Invalid id: "${id}" (expecting "snap-...")`, 400);
      const snapshots = world.snapshots(region);
      const missing = ids.filter((id) => !snapshots.some((snapshot) => snapshot.id === id));
      if (missing.length > 0) throw new AwsError('InvalidSnapshot.NotFound', `The snapshot '${missing.join(', ')}' does not exist.`, 400);
      const selected = snapshots
        .filter((snapshot) => ids.length === 0 || ids.includes(snapshot.id))
        .filter((snapshot) => owners.length === 0 || owners.some((owner) => (owner === 'self' ? snapshot.owner === AWS_ACCOUNT_ID : snapshot.owner === owner)))
        .filter((snapshot) => [...byName].every(([name, values]) => snapshotFilter(snapshot, name, values) || tagFilter(world.resourceTags(snapshot.id), name, values)));
      const { page, nextToken } = paginate(selected, params, { min: 5, max: 1000 });
      return ec2Response('DescribeSnapshots', { snapshotSet: itemSet(page.map((snapshot) => snapshotXml(snapshot, world.resourceTags(snapshot.id)))), nextToken }, call.requestId);
    },
  };
}

function ownerMatches(image: CatalogImage, owner: string): boolean {
  if (owner === 'self') return image.owner === AWS_ACCOUNT_ID;
  if (owner === 'amazon' || owner === 'aws-marketplace') return image.ownerAlias === owner;
  return image.owner === owner;
}

function imageFilter(image: CatalogImage, name: string, values: string[]): boolean {
  switch (name) {
    case 'image-id':
      return matchesFilter(values, image.id);
    case 'name':
      return matchesFilter(values, image.name);
    case 'state':
      return matchesFilter(values, image.state);
    case 'owner-id':
      return matchesFilter(values, image.owner);
    case 'owner-alias':
      return matchesFilter(values, image.ownerAlias);
    case 'is-public':
      return matchesFilter(values, String(image.public));
    case 'platform':
      return matchesFilter(values, image.platform);
    case 'platform-details':
      return matchesFilter(values, image.platformDetails);
    case 'architecture':
      return matchesFilter(values, image.architecture);
    case 'product-code':
      return image.productCodes.some((code) => matchesFilter(values, code.id));
    case 'product-code.type':
      return image.productCodes.some((code) => matchesFilter(values, code.type));
    case 'block-device-mapping.snapshot-id':
      return image.blockDevices.some((device) => matchesFilter(values, device.snapshotId));
    case 'block-device-mapping.encrypted':
      return image.blockDevices.some((device) => matchesFilter(values, String(device.encrypted)));
    case 'image-type':
      return matchesFilter(values, 'machine');
    case 'root-device-type':
      return matchesFilter(values, 'ebs');
    case 'virtualization-type':
      return matchesFilter(values, 'hvm');
    default:
      return false; // tag filters: see tagFilter
  }
}

/** `tag:<key>` (value match) and `tag-key` filters over a resource's tags. */
function tagFilter(tags: readonly Ec2Tag[], name: string, values: string[]): boolean {
  if (name === 'tag-key') return tags.some((tag) => matchesFilter(values, tag.key));
  if (!name.startsWith('tag:')) return false;
  const tag = tags.find((item) => item.key === name.slice(4));
  return tag !== undefined && matchesFilter(values, tag.value);
}

function snapshotFilter(snapshot: CatalogSnapshot, name: string, values: string[]): boolean {
  switch (name) {
    case 'snapshot-id':
      return matchesFilter(values, snapshot.id);
    case 'status':
      return matchesFilter(values, 'completed');
    case 'owner-id':
      return matchesFilter(values, snapshot.owner);
    case 'volume-size':
      return matchesFilter(values, String(snapshot.volumeSizeGiB));
    case 'encrypted':
      return matchesFilter(values, String(snapshot.encrypted));
    case 'description':
      return matchesFilter(values, snapshot.description);
    default:
      return false;
  }
}

function imageXml(image: CatalogImage, tags: readonly Ec2Tag[]): XmlObject {
  const root = image.blockDevices[0];
  return {
    imageId: image.id,
    imageLocation: `${image.ownerAlias ?? image.owner}/${image.name}`,
    imageState: image.state,
    imageOwnerId: image.owner,
    creationDate: image.creationDate,
    isPublic: image.public,
    productCodes: itemSet(image.productCodes.map((code) => ({ productCode: code.id, type: code.type }))),
    architecture: image.architecture,
    imageType: 'machine',
    platform: image.platform,
    platformDetails: image.platformDetails,
    usageOperation: image.usageOperation,
    imageOwnerAlias: image.ownerAlias,
    name: image.name,
    description: image.description,
    rootDeviceType: 'ebs',
    rootDeviceName: root?.deviceName,
    blockDeviceMapping: itemSet(
      image.blockDevices.map((device) => ({
        deviceName: device.deviceName,
        ebs: { snapshotId: device.snapshotId, volumeSize: device.volumeSizeGiB, deleteOnTermination: true, volumeType: device.volumeType, encrypted: device.encrypted },
      })),
    ),
    virtualizationType: 'hvm',
    tagSet: tagSet(tags),
    hypervisor: 'xen',
    enaSupport: true,
    sriovNetSupport: 'simple',
    bootMode: image.bootMode,
  };
}

function snapshotXml(snapshot: CatalogSnapshot, tags: readonly Ec2Tag[]): XmlObject {
  return {
    snapshotId: snapshot.id,
    volumeId: 'vol-ffffffff',
    status: 'completed',
    startTime: '2024-06-01T12:00:00.000Z',
    progress: '100%',
    ownerId: snapshot.owner,
    volumeSize: snapshot.volumeSizeGiB,
    description: snapshot.description,
    encrypted: snapshot.encrypted,
    storageTier: 'standard',
    tagSet: tagSet(tags),
  };
}
