// The process's artifact store, rooted at ARTIFACT_DIR (default DATA_DIR/artifacts).
import { artifactDir } from "@/server/env";
import { LocalArtifactStore } from "./local";
import type { ArtifactStore } from "./store";

export const artifactStore: ArtifactStore = new LocalArtifactStore(artifactDir);
