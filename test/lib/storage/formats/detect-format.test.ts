import test from 'ava';
import { detectFormat } from '../../../../lib/storage/formats/detect-format';
import {
  buildDynamicVhd,
  buildFixedVhd,
  buildOva,
  buildQcow2,
  buildRawDisk,
  buildRawTarGz,
  buildTar,
  buildVdi,
  buildVhdx,
  buildVmdk,
  ovfDescriptor,
  vmdkDescriptor,
} from './image-builders';

test('detects each format by its magic', (t) => {
  t.is(detectFormat(buildQcow2()), 'qcow2');
  t.is(detectFormat(buildVmdk()), 'vmdk');
  t.is(detectFormat(buildVmdk({ streamOptimized: true })), 'vmdk');
  t.is(detectFormat(Buffer.from(vmdkDescriptor('monolithicFlat', ['RW 8 FLAT "f.vmdk" 0']))), 'vmdk');
  t.is(detectFormat(buildDynamicVhd()), 'vhd');
  t.is(detectFormat(buildVhdx()), 'vhdx');
  t.is(detectFormat(buildVdi()), 'vdi');
  t.is(detectFormat(buildRawTarGz(buildRawDisk())), 'raw.tar.gz');
  t.is(detectFormat(buildOva(ovfDescriptor([1]))), 'ova');
});

test('no magic: raw data, a fixed VHD (footer at the end), a plain tar', (t) => {
  t.is(detectFormat(buildRawDisk()), undefined);
  t.is(detectFormat(buildFixedVhd(buildRawDisk())), undefined);
  t.is(detectFormat(buildTar('disk.raw', Buffer.alloc(10))), undefined);
  t.is(detectFormat(Buffer.alloc(0)), undefined);
});
