import { type ArtifactCheck } from '../run/artifact-check';

/**
 * The artifact check `apply` uses: the object exists and is not empty (HEAD). A header check of the format magic
 * and virtual size (lib/storage's `verifyArtifact`) replaces this when that module is available.
 */
export async function defaultArtifactCheck(): Promise<ArtifactCheck> {
  return async (storage, artifact) => {
    const info = await storage.head(artifact.bucket, artifact.key);
    if (!info) return ['the object does not exist'];
    if (info.sizeBytes === 0) return ['the object is empty'];
    return [];
  };
}
