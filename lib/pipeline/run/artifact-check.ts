import { normalizeDiskFormat } from '../../model/disk-format';
import { type Artifact } from '../../model/task';
import { type ObjectStorage } from '../../storage/object-storage';

/** What an artifact check found wrong; empty means the file is what was asked for. */
export type ArtifactCheck = (storage: ObjectStorage, artifact: Artifact) => Promise<readonly string[]>;

/** The shape of `lib/storage/verify-artifact.ts`'s report that this module relies on. */
interface VerifyReportLike {
  readonly problems: readonly unknown[];
}

/** The signature of `verifyArtifact` from `lib/storage`. */
export type VerifyArtifact = (
  storage: ObjectStorage,
  artifact: Artifact,
  expectation?: { readonly format?: string },
) => Promise<VerifyReportLike>;

/** Adapts `verifyArtifact` (a ranged read of the header: format magic, virtual size, size) to a list of problems. */
export function artifactCheckFrom(verify: VerifyArtifact): ArtifactCheck {
  return async (storage, artifact) => {
    const report = await verify(storage, artifact, { format: normalizeDiskFormat(artifact.format) ?? artifact.format });
    return report.problems.map((problem) =>
      typeof problem === 'string' ? problem : typeof problem === 'object' && problem !== null && 'message' in problem ? String((problem as { message: unknown }).message) : JSON.stringify(problem),
    );
  };
}
