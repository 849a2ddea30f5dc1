// The process's artifact store: an S3-compatible bucket when ARTIFACT_STORE_URL is set (several replicas),
// else the local directory ARTIFACT_DIR (default DATA_DIR/artifacts).
import { artifactDir, s3StoreConfig } from "@/server/env";
import { LocalArtifactStore } from "./local";
import { S3ArtifactStore } from "./s3";
import type { ArtifactStore } from "./store";

export const artifactStore: ArtifactStore = s3StoreConfig ? new S3ArtifactStore(s3StoreConfig) : new LocalArtifactStore(artifactDir);
