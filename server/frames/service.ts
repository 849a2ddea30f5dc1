// Sample frames: the camera images the playground runs models on. Uploads are decoded and re-encoded here (sharp), so
// only pixels we wrote ever reach a browser; every change is audited.
import fsp from "node:fs/promises";
import { and, arrayContains, arrayOverlaps, count, desc, eq, ilike, sql, type SQL } from "drizzle-orm";
import sharp from "sharp";
import { queryRows, type Db } from "@/db/client";
import { sampleFrames, users, type FrameGroundTruth } from "@/db/schema";
import type { ArtifactStore, StagedFile } from "@/server/artifacts/store";
import { writeAudit } from "@/server/audit/service";
import type { Actor } from "@/server/auth/roles";
import { Conflict, Invalid, NotFound, TooLarge } from "@/server/errors";
import { MAX_FRAME_BYTES, MAX_FRAME_SIDE, ZFrameId, ZFrameMetadata, ZListFrames, ZUpdateFrame, type TGroundTruth } from "./schemas";

export type FrameRow = typeof sampleFrames.$inferSelect;
export type StoredMediaType = "image/png" | "image/webp";

/** What every door returns for a frame. */
export function frameResource(row: FrameRow, createdByEmail: string | null = null) {
  const gt = row.groundTruth;
  return {
    id: row.id,
    name: row.name,
    sha256: row.sha256,
    mediaType: row.mediaType,
    width: row.width,
    height: row.height,
    sizeBytes: row.sizeBytes,
    source: row.source,
    tags: row.tags,
    groundTruth: gt ?? null,
    counts: { boxes: gt?.boxes?.length ?? 0, texts: gt?.texts?.length ?? 0, hasClass: !!gt?.class },
    createdAt: row.createdAt,
    createdBy: createdByEmail,
    imageUrl: `/api/v1/frames/${row.id}/image`,
    thumbnailUrl: `/api/v1/frames/${row.id}/image?size=thumb`,
  };
}
export type FrameResource = ReturnType<typeof frameResource>;

const columns = { frame: sampleFrames, createdBy: users.email };

export async function listFrames(db: Db, input: unknown = {}) {
  const q = ZListFrames.parse(input);
  const where: SQL[] = [];
  const tags = [...new Set(q.tags)];
  // Both operators use the GIN index on tags.
  if (tags.length) where.push(q.match === "any" ? arrayOverlaps(sampleFrames.tags, tags) : arrayContains(sampleFrames.tags, tags));
  if (q.source) where.push(eq(sampleFrames.source, q.source));
  if (q.q) where.push(ilike(sampleFrames.name, `%${q.q.replace(/[%_\\]/g, "\\$&")}%`));
  const filter = where.length ? and(...where) : undefined;
  const [rows, [{ total }]] = await Promise.all([
    db
      .select(columns)
      .from(sampleFrames)
      .leftJoin(users, eq(users.id, sampleFrames.createdBy))
      .where(filter)
      .orderBy(desc(sampleFrames.createdAt), sampleFrames.name)
      .limit(q.pageSize)
      .offset((q.page - 1) * q.pageSize),
    db.select({ total: count() }).from(sampleFrames).where(filter),
  ]);
  return { items: rows.map((r) => frameResource(r.frame, r.createdBy)), total, page: q.page, pageSize: q.pageSize };
}

/** How many frames carry each tag, most common first (the browser's filter chips). */
export async function frameTagCounts(db: Db): Promise<{ tag: string; count: number }[]> {
  const rows = await queryRows(
    db,
    sql`select tag, count(*)::int as n from (select unnest(${sampleFrames.tags}) as tag from ${sampleFrames}) t group by tag order by n desc, tag`,
  );
  return rows.map((r) => ({ tag: String(r.tag), count: Number(r.n) }));
}

async function frameRow(db: Db, id: string): Promise<{ frame: FrameRow; createdBy: string | null }> {
  const parsed = ZFrameId.safeParse(id);
  if (!parsed.success) throw new NotFound(`Frame ${id}`);
  const [row] = await db.select(columns).from(sampleFrames).leftJoin(users, eq(users.id, sampleFrames.createdBy)).where(eq(sampleFrames.id, parsed.data));
  if (!row) throw new NotFound(`Frame ${id}`);
  return row;
}

export async function getFrame(db: Db, id: string): Promise<FrameResource> {
  const row = await frameRow(db, id);
  return frameResource(row.frame, row.createdBy);
}

// ---------------------------------------------------------------------------------------------------------------------
// Image intake

type AcceptedType = "image/jpeg" | "image/png" | "image/webp";

const startsWith = (b: Uint8Array, sig: number[], at = 0) => sig.every((v, i) => b[at + i] === v);
const ascii = (s: string) => [...s].map((c) => c.charCodeAt(0));

/** The image type from the first bytes (names and declared types are ignored); a name for known refusals. */
export function sniffImageType(head: Uint8Array): { type: AcceptedType } | { type: null; looksLike: string | null } {
  if (startsWith(head, [0xff, 0xd8, 0xff])) return { type: "image/jpeg" };
  if (startsWith(head, [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a])) return { type: "image/png" };
  if (startsWith(head, ascii("RIFF")) && startsWith(head, ascii("WEBP"), 8)) return { type: "image/webp" };
  const looksLike = startsWith(head, ascii("GIF8"))
    ? "a GIF image"
    : startsWith(head, ascii("BM"))
      ? "a BMP image"
      : startsWith(head, [0x49, 0x49, 0x2a, 0x00]) || startsWith(head, [0x4d, 0x4d, 0x00, 0x2a])
        ? "a TIFF image"
        : startsWith(head, ascii("ftyp"), 4)
          ? "an HEIC/AVIF or video file"
          : startsWith(head, ascii("%PDF"))
            ? "a PDF document"
            : /^\s*</.test(Buffer.from(head.subarray(0, 64)).toString("latin1"))
              ? "an SVG/XML or HTML document"
              : null;
  return { type: null, looksLike };
}

/** sharp's messages, without anything that could name a server path. */
function decodeError(e: unknown): string {
  const msg = e instanceof Error ? e.message : String(e);
  return (
    msg
      .replace(/(\/[\w.-]+)+/g, "")
      .replace(/\s+/g, " ")
      .replace(/[:\s]+$/, "")
      .trim()
      .slice(0, 200) || "unknown decoder error"
  );
}

export type NormalisedImage = { bytes: Buffer; mediaType: StoredMediaType; width: number; height: number; detectedType: AcceptedType };

/**
 * Decodes an uploaded image fully and writes a fresh file: orientation applied (EXIF rotate), metadata dropped (EXIF,
 * XMP, ICC: sharp writes none unless asked), alpha flattened on black, 8-bit sRGB. PNG stays PNG (lossless); JPEG
 * becomes WebP at quality 92 and WebP lossless WebP. Browsers and servers decode PNG and WebP bit-exactly, unlike
 * JPEG, so the playground's preprocessing matches the server's. Refuses anything sharp cannot decode cleanly.
 */
export async function normaliseImage(bytes: Buffer): Promise<NormalisedImage> {
  if (bytes.length === 0) throw new Invalid("The file is empty");
  if (bytes.length > MAX_FRAME_BYTES) throw new TooLarge(`The image is ${bytes.length} bytes; the limit is ${MAX_FRAME_BYTES} bytes (20 MiB)`);
  const sniffed = sniffImageType(bytes.subarray(0, 64));
  if (!sniffed.type) {
    throw new Invalid(
      `Only JPEG, PNG and WebP images are accepted (checked by content, not by name); this file is ${sniffed.looksLike ?? "not an image format we recognise"}`,
    );
  }
  const options = { failOn: "warning", limitInputPixels: MAX_FRAME_SIDE * MAX_FRAME_SIDE } as const;
  let width: number;
  let height: number;
  try {
    const meta = await sharp(bytes, options).metadata();
    const format = { jpeg: "image/jpeg", png: "image/png", webp: "image/webp" }[meta.format as string];
    if (format !== sniffed.type) throw new Error(`it starts like ${sniffed.type} but decodes as ${meta.format ?? "nothing"}`);
    width = meta.width ?? 0;
    height = meta.height ?? 0;
  } catch (e) {
    throw new Invalid(`The image could not be read: ${decodeError(e)}`);
  }
  if (!width || !height) throw new Invalid("The image has no pixels");
  if (width > MAX_FRAME_SIDE || height > MAX_FRAME_SIDE)
    throw new Invalid(`The image is ${width}x${height} pixels; the limit is ${MAX_FRAME_SIDE}x${MAX_FRAME_SIDE}`);
  try {
    const pipeline = sharp(bytes, options).rotate().flatten({ background: "#000000" }).toColourspace("srgb");
    const encoded =
      sniffed.type === "image/png"
        ? pipeline.png({ compressionLevel: 9, adaptiveFiltering: false, palette: false })
        : pipeline.webp(sniffed.type === "image/webp" ? { lossless: true } : { quality: 92 });
    const { data, info } = await encoded.toBuffer({ resolveWithObject: true });
    return {
      bytes: data,
      mediaType: sniffed.type === "image/png" ? "image/png" : "image/webp",
      width: info.width,
      height: info.height,
      detectedType: sniffed.type,
    };
  } catch (e) {
    throw new Invalid(`The image could not be decoded (truncated or corrupt?): ${decodeError(e)}`);
  }
}

/** Boxes must lie inside the image they describe. */
function checkGroundTruth(gt: TGroundTruth | null | undefined, width: number, height: number): void {
  gt?.boxes?.forEach((b, i) => {
    if (b.x + b.w > width + 0.5 || b.y + b.h > height + 0.5) {
      throw new Invalid(`Ground-truth box ${i + 1} (${b.label}) reaches outside the ${width}x${height} image`);
    }
  });
}

function nameFromFile(fileName: string | undefined): string {
  const base = (fileName ?? "").split(/[\\/]/).pop() ?? "";
  const clean = base
    .replace(/\.[A-Za-z0-9]{1,5}$/, "")
    .normalize("NFKD")
    .replace(/[\u0300-\u036f]/g, "")
    .replace(/[^\w.\- ]+/g, "_")
    .replace(/^[.\s_]+/, "")
    .trim()
    .slice(0, 120);
  return clean || "Uploaded frame";
}

export type NewFrame = {
  bytes: Buffer;
  mediaType: StoredMediaType;
  width: number;
  height: number;
  name: string;
  source: "generated" | "upload";
  tags: string[];
  groundTruth: FrameGroundTruth | null;
};

/** Stores already-normalised bytes and records the frame; the same image twice is refused with the first one's name. */
export async function insertFrame(db: Db, store: ArtifactStore, actor: Actor | null, input: NewFrame): Promise<FrameResource> {
  checkGroundTruth(input.groundTruth, input.width, input.height);
  const { sha256, size } = await store.putBytes(input.bytes);
  const row = await db.transaction(async (tx) => {
    // Serialises concurrent uploads of the same bytes so only one row is made.
    await tx.execute(sql`select pg_advisory_xact_lock(hashtext(${sha256}))`);
    const [dup] = await tx.select({ id: sampleFrames.id, name: sampleFrames.name }).from(sampleFrames).where(eq(sampleFrames.sha256, sha256)).limit(1);
    if (dup) throw new Conflict(`This image is already in the library as “${dup.name}” (frame ${dup.id})`);
    const [created] = await tx
      .insert(sampleFrames)
      .values({
        name: input.name,
        sha256,
        mediaType: input.mediaType,
        width: input.width,
        height: input.height,
        sizeBytes: size,
        source: input.source,
        tags: input.tags,
        groundTruth: input.groundTruth,
        createdBy: actor?.userId ?? null,
      })
      .returning();
    await writeAudit(tx, actor, { action: "frame.create", entityType: "sample_frame", entityId: created.id, after: created });
    return created;
  });
  return frameResource(row, actor?.email ?? null);
}

export type FrameUpload = { staged: StagedFile; fileName?: string };

/**
 * An uploaded image (staged by the multipart parser) with its `metadata` part: validated, decoded, re-encoded and
 * stored. The original bytes are never kept; on any refusal nothing is stored.
 */
export async function createFrameFromUpload(db: Db, store: ArtifactStore, actor: Actor, upload: FrameUpload, metadata: unknown): Promise<FrameResource> {
  let meta: ReturnType<typeof ZFrameMetadata.parse>;
  let image: NormalisedImage;
  try {
    meta = ZFrameMetadata.parse(metadata ?? {});
    if (upload.staged.size > MAX_FRAME_BYTES) throw new TooLarge(`The image is ${upload.staged.size} bytes; the limit is ${MAX_FRAME_BYTES} bytes (20 MiB)`);
    image = await normaliseImage(await fsp.readFile(upload.staged.tmpPath));
  } finally {
    await store.discard(upload.staged);
  }
  return insertFrame(db, store, actor, {
    bytes: image.bytes,
    mediaType: image.mediaType,
    width: image.width,
    height: image.height,
    name: meta.name ?? nameFromFile(upload.fileName),
    source: "upload",
    tags: meta.tags,
    groundTruth: meta.groundTruth ?? null,
  });
}

export async function updateFrame(db: Db, actor: Actor, id: string, input: unknown): Promise<FrameResource> {
  const patch = ZUpdateFrame.parse(input);
  const row = await db.transaction(async (tx) => {
    const { frame: before } = await frameRow(tx, id);
    if (patch.groundTruth !== undefined) checkGroundTruth(patch.groundTruth, before.width, before.height);
    const [after] = await tx.update(sampleFrames).set(patch).where(eq(sampleFrames.id, before.id)).returning();
    await writeAudit(tx, actor, { action: "frame.update", entityType: "sample_frame", entityId: before.id, before, after });
    return after;
  });
  return getFrame(db, row.id);
}

/** Removes the frame from the library. Its bytes stay in the content-addressed store, which other records may share. */
export async function deleteFrame(db: Db, actor: Actor, id: string): Promise<{ id: string; deleted: true }> {
  return db.transaction(async (tx) => {
    const { frame } = await frameRow(tx, id);
    await tx.delete(sampleFrames).where(eq(sampleFrames.id, frame.id));
    await writeAudit(tx, actor, { action: "frame.delete", entityType: "sample_frame", entityId: frame.id, before: frame });
    return { id: frame.id, deleted: true as const };
  });
}

/** The stored bytes of a frame, for the image endpoint. */
export async function frameImage(db: Db, id: string) {
  const { frame } = await frameRow(db, id);
  return { sha256: frame.sha256, mediaType: frame.mediaType, sizeBytes: frame.sizeBytes, name: frame.name };
}
