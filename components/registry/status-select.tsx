"use client";
import { useMutation } from "@tanstack/react-query";
import { useRouter } from "next/navigation";
import { useState } from "react";
import { Button } from "@/components/ui/button";
import { Dialog, FormActions } from "@/components/ui/dialog";
import { Select } from "@/components/ui/input";
import { useTRPC } from "@/lib/trpc";
import { VERSION_STATUSES } from "@/server/registry/schemas";
import { MutationError } from "@/components/ui/mutation-error";
import type { VersionStatus } from "./types";

function isStatus(s: string): s is VersionStatus {
  return VERSION_STATUSES.some((x) => x === s);
}

/** Moves a version through draft → candidate → approved → archived; archiving asks first. */
export function StatusSelect({ slug, version, status, aliases }: { slug: string; version: number; status: VersionStatus; aliases: string[] }) {
  const trpc = useTRPC();
  const router = useRouter();
  const [choice, setChoice] = useState<VersionStatus>(status);
  const [confirming, setConfirming] = useState(false);
  const update = useMutation({
    ...trpc.registry.updateVersion.mutationOptions(),
    onSuccess: () => {
      setConfirming(false);
      router.refresh();
    },
  });
  const save = () => update.mutate({ slug, version, patch: { status: choice } });

  return (
    <form
      className="flex flex-wrap items-center gap-2"
      onSubmit={(e) => {
        e.preventDefault();
        if (choice === "archived") setConfirming(true);
        else save();
      }}
    >
      <div className="w-36">
        <Select aria-label="Status" value={choice} onChange={(e) => isStatus(e.target.value) && setChoice(e.target.value)}>
          {VERSION_STATUSES.map((s) => (
            <option key={s} value={s}>
              {s}
            </option>
          ))}
        </Select>
      </div>
      <Button type="submit" variant="secondary" disabled={choice === status || update.isPending}>
        {update.isPending ? "Saving…" : "Change status"}
      </Button>
      <MutationError error={!confirming && update.error} />
      <Dialog
        open={confirming}
        onOpenChange={(o) => !o && setConfirming(false)}
        title={`Archive v${version}?`}
        description={
          aliases.length
            ? `No alias can be pointed at an archived version. Its current aliases (${aliases.join(", ")}) keep pointing at it until you move them.`
            : "No alias can be pointed at an archived version until it is restored to another status."
        }
      >
        <MutationError error={update.error} />
        <FormActions onCancel={() => setConfirming(false)} className="mt-4">
          <Button variant="danger" disabled={update.isPending} onClick={save}>
            Archive v{version}
          </Button>
        </FormActions>
      </Dialog>
    </form>
  );
}
