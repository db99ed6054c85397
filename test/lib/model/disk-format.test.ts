import test from 'ava';
import { normalizeDiskFormat } from '../../../lib/model/disk-format';

test('normalizeDiskFormat accepts any letter case and trims', (t) => {
  t.is(normalizeDiskFormat('VMDK'), 'vmdk');
  t.is(normalizeDiskFormat(' Raw '), 'raw');
  t.is(normalizeDiskFormat('raw.tar.gz'), 'raw.tar.gz');
});

test('normalizeDiskFormat rejects unknown formats and non-strings', (t) => {
  t.is(normalizeDiskFormat('iso'), undefined);
  t.is(normalizeDiskFormat(3), undefined);
  t.is(normalizeDiskFormat(undefined), undefined);
});
