"use client";
// Add a note to the incident timeline; `n` focuses it.
import { useMutation } from "@tanstack/react-query";
import { useRouter } from "next/navigation";
import { useState } from "react";
import { MutationError } from "@/components/ui/mutation-error";
import { Button } from "@/components/ui/button";
import { Input } from "@/components/ui/input";
import { useTRPC } from "@/lib/trpc";

export function NoteForm({ id }: { id: string }) {
  const trpc = useTRPC();
  const router = useRouter();
  const [text, setText] = useState("");
  const m = useMutation({
    ...trpc.incidents.addNote.mutationOptions(),
    onSuccess: () => {
      setText("");
      router.refresh();
    },
  });
  return (
    <form
      className="space-y-1"
      onSubmit={(e) => {
        e.preventDefault();
        if (text.trim()) m.mutate({ id, text });
      }}
    >
      <div className="flex gap-2">
        <label htmlFor="incident-note" className="sr-only">
          Note
        </label>
        <Input
          id="incident-note"
          data-shortcut-focus="n"
          placeholder="Add a note to the timeline (n)"
          value={text}
          onChange={(e) => setText(e.target.value)}
          maxLength={5000}
        />
        <Button type="submit" variant="secondary" disabled={m.isPending || !text.trim()}>
          Add note
        </Button>
      </div>
      <MutationError error={m.error} />
    </form>
  );
}
