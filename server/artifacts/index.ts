// The process's artifact store, rooted at ARTIFACT_DIR (default DATA_DIR/artifacts).
import { artifactDir } from "@/server/env";
import { ArtifactStore } from "./store";

export const artifactStore = new ArtifactStore(artifactDir);
