"use client";
// Uploads an image to the frame library through REST (multipart), with real progress, cancel and the server's reason
// when it refuses the file.
import { useRouter } from "next/navigation";
import { z } from "zod";
import { Field, Input } from "@/components/ui/input";
import { UploadDialog } from "@/components/ui/upload-dialog";
import { useMultipartUpload } from "@/components/ui/use-multipart-upload";
import { formatBytes } from "@/lib/format";
import { FRAME_TAGS, MAX_FRAME_BYTES } from "@/server/frames/schemas";

const ZCreated = z.object({ id: z.string() });
const LIMIT = formatBytes(MAX_FRAME_BYTES);

export function UploadFrame() {
  const router = useRouter();
  const upload = useMultipartUpload({
    url: "/api/v1/frames",
    created: ZCreated,
    onCreated: (created) => router.push(`/frames/${created.id}`),
    noFile: "Choose an image first.",
    refuse: (f) => (f.size > MAX_FRAME_BYTES ? `The image is ${formatBytes(f.size)}; the limit is ${LIMIT}.` : null),
  });

  return (
    <UploadDialog
      upload={upload}
      trigger="Upload frame"
      title="Upload a frame"
      description="JPEG, PNG or WebP up to 20 MiB and 8192×8192. The server decodes and re-encodes it (PNG stays PNG, others become WebP) and drops EXIF, including location."
      drop={{
        id: "frame-file",
        label: "Image file",
        accept: "image/jpeg,image/png,image/webp",
        prompt: "Drop an image here, or choose one.",
        oneAtATime: "Drop one image at a time.",
        testId: "frame-dropzone",
        selectedTestId: "frame-selected",
        // Said as soon as the file is chosen, not only when Upload is pressed.
        onPick: (f) => upload.pick(f, f && f.size > MAX_FRAME_BYTES ? `${f.name} is ${formatBytes(f.size)}; the limit is ${LIMIT}.` : null),
      }}
      texts={{
        checking: "Uploaded; checking the image",
        processing: "Uploaded. Decoding and re-encoding the image…",
        done: () => "Added to the library. Opening it…",
        cancelled: "Upload cancelled; nothing was added.",
      }}
      metadata={(form) => {
        const name = String(form.get("name") ?? "").trim();
        return { ...(name ? { name } : {}), tags: form.getAll("tags").map(String) };
      }}
    >
      <Field label="Name (optional)" htmlFor="frame-name" hint="Defaults to the file name.">
        <Input id="frame-name" name="name" maxLength={120} disabled={upload.busy} placeholder="Depot exit, low sun" />
      </Field>
      <fieldset disabled={upload.busy}>
        <legend className="text-sm font-medium text-zinc-700 dark:text-zinc-300">Tags</legend>
        <div className="mt-2 flex flex-wrap gap-x-4 gap-y-1">
          {FRAME_TAGS.map((t) => (
            <label key={t} className="flex items-center gap-1.5 text-sm">
              <input type="checkbox" name="tags" value={t} /> {t}
            </label>
          ))}
        </div>
      </fieldset>
    </UploadDialog>
  );
}
