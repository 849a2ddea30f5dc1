"use client";
// Uploads an ONNX file as a new version through REST (multipart), with real progress and cancel.
import { useRouter } from "next/navigation";
import { z } from "zod";
import { Field, Input } from "@/components/ui/input";
import { UploadDialog } from "@/components/ui/upload-dialog";
import { useMultipartUpload } from "@/components/ui/use-multipart-upload";

const ZCreated = z.object({ version: z.number().int() });

export function UploadVersion({ slug }: { slug: string }) {
  const router = useRouter();
  const upload = useMultipartUpload({
    url: `/api/v1/models/${encodeURIComponent(slug)}/versions`,
    created: ZCreated,
    onCreated: (created) => router.push(`/models/${slug}/versions/${created.version}`),
    noFile: "Choose an ONNX file first.",
  });

  return (
    <UploadDialog
      upload={upload}
      trigger="Upload version"
      title="Upload a new version"
      description="The file is checked to be ONNX, hashed and parsed; its signature and operators appear on the version page."
      drop={{
        id: "upload-file",
        label: "ONNX file",
        accept: ".onnx,application/octet-stream",
        prompt: "Drop an .onnx file here, or choose one.",
        oneAtATime: "Drop one file at a time.",
        testId: "upload-dropzone",
        selectedTestId: "upload-selected",
      }}
      texts={{
        checking: "Uploaded; checking the file",
        processing: "Uploaded. Checking and parsing the file…",
        done: (created) => `Registered as v${created.version}. Opening it…`,
        cancelled: "Upload cancelled; no version was created.",
      }}
      metadata={(form) => ({ description: String(form.get("description") ?? "") })}
    >
      <Field label="Description (optional)" htmlFor="upload-description" hint="What changed in this version.">
        <Input id="upload-description" name="description" maxLength={10_000} disabled={upload.busy} placeholder="Retrained on the March night-driving set" />
      </Field>
    </UploadDialog>
  );
}
