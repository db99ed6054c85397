import test from 'ava';
import { QueryParams } from '../../../emulator/core/query-params';

test('query params: lists, structures and sub-maps parse by name, not by position', (t) => {
  const params = QueryParams.parse(
    'Action=ImportImage&DiskContainer.2.Format=RAW&DiskContainer.1.Format=VMDK&DiskContainer.1.UserBucket.S3Bucket=b&ImportTaskId.10=z&ImportTaskId.2=y&Description=a+b%2Fc',
    'Version=2016-11-15&Action=ignored',
  );
  t.is(params.get('Action'), 'ImportImage', 'the first occurrence wins');
  t.is(params.get('Version'), '2016-11-15');
  t.is(params.get('Description'), 'a b/c');
  t.deepEqual(params.list('ImportTaskId'), ['y', 'z']);
  const disks = params.structs('DiskContainer');
  t.deepEqual(disks.map((disk) => disk.get('Format')), ['VMDK', 'RAW']);
  t.is(disks[0].sub('UserBucket').get('S3Bucket'), 'b');
  t.true(params.hasAny('DiskContainer'));
  t.false(params.hasAny('Disk'));
  t.is(params.canonical(['Action', 'Version']), QueryParams.parse('Version=x&ImportTaskId.2=y&Description=a%20b%2Fc&ImportTaskId.10=z&DiskContainer.1.UserBucket.S3Bucket=b&DiskContainer.1.Format=VMDK&DiskContainer.2.Format=RAW').canonical(['Action', 'Version']));
});
