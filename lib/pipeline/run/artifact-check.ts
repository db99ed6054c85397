import { normalizeDiskFormat } from '../../model/disk-format';
import { type Artifact } from '../../model/task';
import { type ObjectStorage } from '../../storage/object-storage';
import { verifyArtifact } from '../../storage/verify-artifact';

/** What an artifact check found: errors fail the export, warnings are reported. */
export interface ArtifactFindings {
  /** Problems that make the file unusable (missing, empty, truncated, wrong format, bad magic…). */
  readonly errors: readonly string[];
  /** Things worth a look (a suspicious all-zero first sector…). */
  readonly warnings: readonly string[];
}

/** Checks one exported file. */
export type ArtifactCheck = (storage: ObjectStorage, artifact: Artifact) => Promise<ArtifactFindings>;

/**
 * The check `apply` runs on every exported file: `verifyArtifact` from lib/storage (HEAD for the size, a ranged read
 * of the header for the format magic and virtual size; never the whole object), against the format the task wrote.
 */
export const verifyExportedArtifact: ArtifactCheck = async (storage, artifact) => {
  const report = await verifyArtifact(storage, artifact, { format: normalizeDiskFormat(artifact.format) ?? artifact.format });
  return {
    errors: report.problems.filter((problem) => problem.severity === 'error').map((problem) => problem.message),
    warnings: report.problems.filter((problem) => problem.severity !== 'error').map((problem) => problem.message),
  };
};
