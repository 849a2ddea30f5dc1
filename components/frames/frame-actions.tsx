"use client";
// Engineer controls on a frame: edit its tags, delete it (confirmed). Both go through tRPC and are audited.
import { useMutation } from "@tanstack/react-query";
import { useRouter } from "next/navigation";
import { useState } from "react";
import { Button } from "@/components/ui/button";
import { Dialog, FormActions } from "@/components/ui/dialog";
import { Field, Input } from "@/components/ui/input";
import { useTRPC } from "@/lib/trpc";
import type { Frame } from "./types";
import { MutationError } from "@/components/ui/mutation-error";

export function EditTags({ frame }: { frame: Frame }) {
  const trpc = useTRPC();
  const router = useRouter();
  const [editing, setEditing] = useState(false);
  const update = useMutation({
    ...trpc.frames.update.mutationOptions(),
    onSuccess: () => {
      setEditing(false);
      router.refresh();
    },
  });
  if (!editing)
    return (
      <Button variant="secondary" onClick={() => setEditing(true)}>
        Edit tags
      </Button>
    );
  return (
    <form
      className="space-y-2"
      onSubmit={(e) => {
        e.preventDefault();
        const raw = String(new FormData(e.currentTarget).get("tags") ?? "");
        update.mutate({ id: frame.id, patch: { tags: raw.split(/[\s,]+/).filter(Boolean) } });
      }}
    >
      <Field label="Tags" htmlFor="frame-tags" hint="Separated by commas or spaces, e.g. night, rain, highway.">
        <Input id="frame-tags" name="tags" defaultValue={frame.tags.join(", ")} autoFocus />
      </Field>
      <MutationError error={update.error} />
      <div className="flex gap-2">
        <Button type="submit" disabled={update.isPending}>
          {update.isPending ? "Saving…" : "Save tags"}
        </Button>
        <Button type="button" variant="secondary" onClick={() => setEditing(false)}>
          Cancel
        </Button>
      </div>
    </form>
  );
}

export function DeleteFrame({ frame }: { frame: Frame }) {
  const trpc = useTRPC();
  const router = useRouter();
  const [open, setOpen] = useState(false);
  const remove = useMutation({ ...trpc.frames.delete.mutationOptions(), onSuccess: () => router.push("/frames") });
  return (
    <>
      <Button variant="danger" onClick={() => setOpen(true)}>
        Delete frame
      </Button>
      <Dialog
        open={open}
        onOpenChange={setOpen}
        title={`Delete “${frame.name}”?`}
        description="It leaves the library and every playground's frame picker. Its ground truth goes with it; the audit log keeps a record."
      >
        <MutationError error={remove.error} />
        <FormActions onCancel={() => setOpen(false)} className="mt-4">
          <Button variant="danger" disabled={remove.isPending} onClick={() => remove.mutate({ id: frame.id })}>
            Delete frame
          </Button>
        </FormActions>
      </Dialog>
    </>
  );
}
