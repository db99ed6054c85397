import test from 'ava';
import { SpecValidationError, describeValue, formatIssue } from '../../../lib/model/validation-issue';

test('formatIssue names the field, the value, the rule, the allowed values and the source', (t) => {
  const line = formatIssue({
    field: 'format',
    value: 'QCOW2',
    rule: 'is not an export format of this cloud',
    code: 'format.not-allowed',
    allowed: ['VMDK', 'RAW', 'VHD'],
    source: 'AWS ExportImage',
  });
  t.is(line, 'format: "QCOW2" is not an export format of this cloud (allowed: VMDK, RAW, VHD) [AWS ExportImage]');
});

test('describeValue shows a missing value and shortens long ones', (t) => {
  t.is(describeValue(undefined), '(missing)');
  t.is(describeValue('x'.repeat(300)).length, 80);
  t.is(describeValue(42), '42');
});

test('SpecValidationError lists every issue, one per line', (t) => {
  const error = new SpecValidationError('ImageExport "golden"', [
    { field: 'format', value: 'x', rule: 'is wrong', code: 'a' },
    { field: 'description', value: 'y', rule: 'is too long', code: 'b' },
  ]);
  t.is(error.issues.length, 2);
  t.regex(error.message, /^ImageExport "golden" is invalid:\n {2}- format: "x" is wrong\n {2}- description: "y" is too long$/);
});
