import { XMLParser } from 'fast-xml-parser';
import { type DiskImageInfo, imageError, imageWarning, type ImageProblem } from './image-info';
import { isTarHeader, readFirstTarEntry } from './tar';

/** True when the header is a tar archive whose first entry is an `.ovf` descriptor. */
export function isOva(header: Buffer): boolean {
  if (!isTarHeader(header)) return false;
  const entry = readFirstTarEntry(header);
  return typeof entry === 'object' && /\.ovf$/i.test(entry.name);
}

/** Bytes per allocation unit: `byte`, `byte * 2^30`, `byte * 1024^3`. */
function unitBytes(units: unknown): number | undefined {
  if (units === undefined) return 1;
  const match = /^\s*byte\s*(?:\*\s*(\d+)\s*\^\s*(\d+))?\s*$/i.exec(String(units));
  if (!match) return undefined;
  return match[1] === undefined ? 1 : Number(match[1]) ** Number(match[2]);
}

/** Capacities of the `<Disk>` elements of an OVF descriptor, in bytes, in document order. */
export function ovfDiskCapacities(xml: string): number[] {
  const parser = new XMLParser({ ignoreAttributes: false, attributeNamePrefix: '@_', removeNSPrefix: true });
  const document = parser.parse(xml) as Record<string, unknown>;
  const envelope = document.Envelope as Record<string, unknown> | undefined;
  const section = envelope?.DiskSection as Record<string, unknown> | undefined;
  const disks = section?.Disk === undefined ? [] : Array.isArray(section.Disk) ? section.Disk : [section.Disk];
  return (disks as Record<string, unknown>[]).flatMap((disk) => {
    const capacity = Number(disk['@_capacity']);
    const unit = unitBytes(disk['@_capacityAllocationUnits']);
    return Number.isFinite(capacity) && unit !== undefined ? [capacity * unit] : [];
  });
}

/**
 * Parses an OVA: a tar archive whose first entry must be the `.ovf` descriptor (OVF 1.x/2.x). When the descriptor
 * lies within `header`, its `<Disk ovf:capacity>` gives the virtual size (of the first disk; the variant says how
 * many disks there are).
 *
 * @param header the first bytes of the object (64 KiB covers most descriptors)
 */
export function parseOva(header: Buffer): DiskImageInfo {
  if (!isTarHeader(header)) {
    return { format: 'ova', problems: [imageError('bad-magic', 'not a tar archive (no "ustar" header at offset 257)')] };
  }
  const entry = readFirstTarEntry(header);
  if (typeof entry !== 'object') {
    return { format: 'ova', problems: [imageError('bad-header', 'the first tar header cannot be read')] };
  }
  if (!/\.ovf$/i.test(entry.name)) {
    return {
      format: 'ova',
      problems: [imageError('bad-header', `the first entry is "${entry.name}": an OVA must start with its .ovf descriptor`)],
    };
  }
  const problems: ImageProblem[] = [];
  const end = entry.dataOffset + entry.storedSizeBytes;
  if (end > header.length) {
    problems.push(imageWarning('unchecked', `the ${entry.storedSizeBytes}-byte descriptor was not read whole: no virtual size`));
    return { format: 'ova', problems };
  }
  let capacities: number[] = [];
  try {
    capacities = ovfDiskCapacities(header.toString('utf8', entry.dataOffset, end));
  } catch (error) {
    problems.push(imageError('bad-header', `the descriptor is not valid XML: ${(error as Error).message}`));
  }
  if (capacities.length === 0 && problems.length === 0) {
    problems.push(imageError('bad-header', 'the descriptor declares no disk with a capacity'));
  }
  return {
    format: 'ova',
    variant: `${capacities.length} disk${capacities.length === 1 ? '' : 's'}`,
    ...(capacities.length > 0 ? { virtualSizeBytes: capacities[0] } : {}),
    problems,
  };
}
