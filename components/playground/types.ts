// What the server hands the playground: serialisable descriptions of versions and frames.
import type { TManifest } from "@/server/registry/schemas";

export type PlaygroundModel = {
  key: string;
  slug: string;
  version: number;
  name: string;
  sha256: string;
  sizeBytes: number;
  downloadUrl: string;
  manifest: TManifest;
  aliases: string[];
};

export type PlaygroundFrame = {
  id: string;
  name: string;
  width: number;
  height: number;
  tags: string[];
  url: string;
  groundTruth: { boxes?: { x: number; y: number; w: number; h: number; label: string; text?: string }[]; texts?: string[]; class?: string } | null;
};

/** The PaddleOCR direction classifier and recogniser that follow a text detector. */
export type OcrPipeline = { classifier: PlaygroundModel | null; recognizer: PlaygroundModel };
