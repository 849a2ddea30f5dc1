// Streams a multipart upload: the `file` part goes straight to the artifact store's staging area
// (hashed on the way, never held in memory); small text parts are returned as fields.
import { Readable, Transform } from "node:stream";
import type { ReadableStream as NodeWebReadableStream } from "node:stream/web";
import busboy from "busboy";
import type { ArtifactStore, StagedFile } from "@/server/artifacts/store";
import { Invalid, TooLarge } from "@/server/errors";

/** Room for the form's other parts and boundaries on top of the file itself. */
const OVERHEAD_BYTES = 2 * 1024 * 1024;

export type ParsedUpload = { fields: Record<string, string>; file?: { staged: StagedFile; fileName: string; mimeType: string } };

/** `what` names the file in messages, e.g. "the ONNX file" or "the image". */
export async function parseUpload(req: Request, store: ArtifactStore, fileLimit: number, what = "the ONNX file"): Promise<ParsedUpload> {
  const type = req.headers.get("content-type") ?? "";
  if (!type.toLowerCase().startsWith("multipart/form-data"))
    throw new Invalid("Send multipart/form-data with a `file` part and an optional `metadata` JSON part");
  const declared = Number(req.headers.get("content-length") ?? "0");
  if (declared > fileLimit + 1024 * 1024) throw new TooLarge(`The upload is ${declared} bytes; the limit is ${fileLimit}`);
  if (!req.body) throw new Invalid("The request has no body");

  const fields: Record<string, string> = {};
  let staging: Promise<StagedFile> | undefined;
  let fileName = "";
  let mimeType = "";
  let bb: busboy.Busboy;
  try {
    bb = busboy({ headers: { "content-type": type }, limits: { files: 1, fields: 20, fieldSize: 1024 * 1024, fileSize: fileLimit + 1 } });
  } catch (e) {
    throw new Invalid(`Malformed multipart request: ${(e as Error).message}`);
  }
  const done = new Promise<void>((resolve, reject) => {
    bb.on("file", (name, stream, info) => {
      if (name !== "file") {
        stream.resume();
        reject(new Invalid(`Unexpected file part \`${name}\`; ${what} goes in the \`file\` part`));
        return;
      }
      fileName = info.filename ?? "";
      mimeType = info.mimeType ?? "";
      staging = store.stage(stream, fileLimit);
      staging.catch(() => stream.resume());
    });
    bb.on("field", (name, value, info) => {
      if (info.valueTruncated) reject(new TooLarge(`The \`${name}\` part is over 1 MiB`));
      fields[name] = value;
    });
    bb.on("filesLimit", () => reject(new Invalid("Send one file per request")));
    bb.on("fieldsLimit", () => reject(new Invalid("Too many form parts: send `file` and `metadata` only")));
    bb.on("error", (e) => reject(new Invalid(`Malformed multipart request: ${(e as Error).message}`)));
    bb.on("close", () => resolve());
  });
  // Busboy skips parts over its limits but keeps reading, so the whole stream is counted here:
  // the request ends at the limit whatever Content-Length said (or did not say, when chunked).
  const max = fileLimit + OVERHEAD_BYTES;
  let total = 0;
  const source = Readable.fromWeb(req.body as NodeWebReadableStream<Uint8Array>);
  const counted = new Transform({
    transform(chunk: Buffer, _enc, callback) {
      total += chunk.length;
      if (total > max) callback(new TooLarge(`The upload is over the limit of ${max} bytes`));
      else callback(null, chunk);
    },
  });
  const cut = new Promise<never>((_resolve, reject) =>
    counted.on("error", (e) => {
      source.destroy();
      bb.destroy(e);
      reject(e);
    }),
  );
  cut.catch(() => undefined);
  source.pipe(counted).pipe(bb);
  try {
    await Promise.race([done, cut]);
    const staged = staging ? await staging : undefined;
    return { fields, file: staged ? { staged, fileName, mimeType } : undefined };
  } catch (e) {
    if (staging) await staging.then((s) => store.discard(s)).catch(() => undefined);
    throw e;
  }
}

/** An upload with its required `file` part and optional `metadata` JSON part; nothing stays staged on error. */
export async function parseUploadWithMetadata(req: Request, store: ArtifactStore, fileLimit: number, what: string) {
  const upload = await parseUpload(req, store, fileLimit, what);
  let metadata: unknown = {};
  try {
    metadata = upload.fields.metadata ? JSON.parse(upload.fields.metadata) : {};
  } catch (e) {
    if (upload.file) await store.discard(upload.file.staged);
    throw new Invalid(`The metadata part is not valid JSON: ${(e as Error).message}`);
  }
  if (!upload.file) throw new Invalid(`No \`file\` part: attach ${what} as multipart field \`file\``);
  return { file: upload.file, metadata };
}
