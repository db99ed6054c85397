/**
 * The commented skeleton `imageport init` writes: one export per cloud's habits, every section explained, and it
 * validates as written (tests check that). What `--generate-cli-skeleton` is to one cloud call, this is to a pipeline.
 */
export function initSkeleton(options: { schemaReference: string; name: string }): string {
  return `# yaml-language-server: $schema=${options.schemaReference}
# An imageport pipeline. Check it with \`imageport validate\`, preview with \`imageport plan\`,
# run with \`imageport apply\` (add --local to run against the built-in emulator).
name: ${options.name}

# The clouds this pipeline uses: region, optional endpoint overrides, and how many tasks run at once.
clouds:
  aws:
    region: us-east-1
    # concurrency: 5            # tasks at the same time (AWS's default quota is 5 per region)
    # endpoints: { ec2: http://127.0.0.1:4510, s3: http://127.0.0.1:4511 }
  # alicloud:
  #   region: cn-hangzhou
  # jdcloud:
  #   region: cn-east-2

# Service roles the cloud assumes to write into (or read from) your buckets. imageport scopes their policies to the
# buckets this file uses. Add \`existing: true\` for a role made elsewhere (used, never changed or deleted).
roles:
  vmimport:
    cloud: aws
    roleName: vmimport

# Buckets, by key. \`existing: true\` marks a bucket made elsewhere: used, never created or deleted.
buckets:
  exports:
    cloud: aws
    name: my-image-exports-bucket
    # lifecycle: { expireAfterDays: 30 }

# Exports: an image written into a bucket as a disk file. \`bucket\` and \`role\` name keys above.
exports:
  golden:
    cloud: aws
    imageId: ami-0123456789abcdef0
    format: vmdk                   # AWS: vmdk, raw or vhd
    bucket: exports
    prefix: exports/
    role: vmimport
    description: Golden image export
    tags: { team: platform }
    removal: retain                # destroy deletes the exported file only with \`removal: destroy\`
    timeouts: { create: 2h }
  # An entry can also be the cloud's own request, as \`aws ec2 export-image --cli-input-json\` takes it:
  # golden-from-script:
  #   cloud: aws
  #   request:
  #     DiskImageFormat: VMDK
  #     ImageId: ami-0123456789abcdef0
  #     S3ExportLocation: { S3Bucket: my-image-exports-bucket, S3Prefix: scripts/ }

# Imports: disk files turned into a new image. A disk can read the file an export of this file writes.
# imports:
#   restored:
#     cloud: aws
#     role: vmimport
#     disks:
#       - fromExport: golden
`;
}
