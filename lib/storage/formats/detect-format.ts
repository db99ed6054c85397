import { type DiskFormat } from '../../model/disk-format';
import { isOva } from './ova';
import { isQcow2 } from './qcow2';
import { isGzip } from './raw-tar-gz';
import { isVdi } from './vdi';
import { isVhdFooter } from './vhd';
import { isVhdx } from './vhdx';
import { isVmdk } from './vmdk';

/**
 * Detects a disk image format from the first bytes of a file, by magic: QCOW2 `QFI\xfb`, VMDK `KDMV` or a text
 * descriptor, VHDX `vhdxfile`, dynamic VHD `conectix`, VDI `0xbeda107f` at 0x40, gzip (→ `raw.tar.gz`), a tar
 * starting with an `.ovf` (→ `ova`). `undefined` means no magic: a raw disk, or a fixed VHD, whose footer is at the
 * end of the file (check the last 512 bytes with `isVhdFooter`).
 */
export function detectFormat(header: Buffer): DiskFormat | undefined {
  if (isQcow2(header)) return 'qcow2';
  if (isVhdx(header)) return 'vhdx';
  if (isVhdFooter(header)) return 'vhd';
  if (isVdi(header)) return 'vdi';
  if (isGzip(header)) return 'raw.tar.gz';
  if (isOva(header)) return 'ova';
  if (isVmdk(header)) return 'vmdk';
  return undefined;
}
