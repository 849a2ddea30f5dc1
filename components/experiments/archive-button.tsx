"use client";
// Archives (MLflow "delete") or restores an experiment after a confirmation that says what it does.
import { useMutation } from "@tanstack/react-query";
import { useRouter } from "next/navigation";
import { useState } from "react";
import { MutationError } from "@/components/ui/mutation-error";
import { Button } from "@/components/ui/button";
import { Dialog, FormActions } from "@/components/ui/dialog";
import { useTRPC } from "@/lib/trpc";

export function ArchiveButton({ id, name, archived }: { id: string; name: string; archived: boolean }) {
  const trpc = useTRPC();
  const router = useRouter();
  const [open, setOpen] = useState(false);
  const done = { onSuccess: () => (setOpen(false), router.refresh()) };
  const archive = useMutation(trpc.experiments.archiveExperiment.mutationOptions(done));
  const restore = useMutation(trpc.experiments.restoreExperiment.mutationOptions(done));
  const m = archived ? restore : archive;
  const verb = archived ? "Restore" : "Archive";
  return (
    <>
      <Button variant={archived ? "secondary" : "ghost"} className="px-2 py-1 text-xs" onClick={() => setOpen(true)} aria-label={`${verb} ${name}`}>
        {verb}
      </Button>
      <Dialog
        open={open}
        onOpenChange={(o) => (setOpen(o), m.reset())}
        title={`${verb} “${name}”?`}
        description={
          archived
            ? "The experiment and its runs appear in lists and searches again."
            : "The experiment and its runs leave lists and searches (MLflow clients see it as deleted). Nothing is erased; you can restore it later."
        }
      >
        <MutationError error={m.error} />
        <FormActions onCancel={() => setOpen(false)} className="mt-3">
          <Button variant={archived ? "primary" : "danger"} disabled={m.isPending} onClick={() => m.mutate({ experimentId: id })}>
            {m.isPending ? `${verb.replace(/e$/, "")}ing…` : `${verb} experiment`}
          </Button>
        </FormActions>
      </Dialog>
    </>
  );
}
