"use client";
import { useMutation } from "@tanstack/react-query";
import { useRouter } from "next/navigation";
import { useState } from "react";
import { Button } from "@/components/ui/button";
import { Dialog, FormActions } from "@/components/ui/dialog";
import { Field, Input, Select } from "@/components/ui/input";
import { useTRPC } from "@/lib/trpc";
import { isScope } from "@/server/auth/roles";
import { MutationError } from "@/components/ui/mutation-error";

/** `allowed`: the scopes the signed-in user's role can hold. */
export function CreateToken({ allowed }: { allowed: string[] }) {
  const trpc = useTRPC();
  const router = useRouter();
  const [open, setOpen] = useState(false);
  const [secret, setSecret] = useState<string | null>(null);
  const [expiry, setExpiry] = useState<string>("90");
  const create = useMutation({
    ...trpc.tokens.create.mutationOptions(),
    onSuccess: (t) => {
      setSecret(t.token);
      router.refresh();
    },
  });

  function onSubmit(e: React.FormEvent<HTMLFormElement>) {
    e.preventDefault();
    const f = new FormData(e.currentTarget);
    const date = String(f.get("expiresAt") ?? "");
    create.mutate({
      name: String(f.get("name") ?? ""),
      scopes: f.getAll("scopes").map(String).filter(isScope),
      // "Never" is sent as null: only a person here may choose it; the API always sets an expiry.
      expiresAt:
        expiry === "never" ? null : expiry === "date" ? (date ? new Date(date + "T23:59:59Z") : undefined) : new Date(Date.now() + Number(expiry) * 86_400_000),
    });
  }

  function close() {
    setOpen(false);
    setExpiry("90");
    setSecret(null);
    create.reset();
  }

  return (
    <>
      <Button onClick={() => setOpen(true)}>Create token</Button>
      <Dialog
        open={open}
        onOpenChange={(o) => (o ? setOpen(true) : close())}
        title={secret ? "Copy your token now" : "Create an API token"}
        description={
          secret ? "It is shown only once; Sentinel keeps only its hash." : "For training jobs, CI and devices: send it as Authorization: Bearer <token>."
        }
      >
        {secret ? (
          <div className="space-y-3">
            <code data-testid="new-token" className="block break-all rounded bg-zinc-100 p-3 font-mono text-sm dark:bg-zinc-800">
              {secret}
            </code>
            <div className="flex justify-end gap-2">
              <Button variant="secondary" onClick={() => navigator.clipboard?.writeText(secret)}>
                Copy
              </Button>
              <Button onClick={close}>Done</Button>
            </div>
          </div>
        ) : (
          <form onSubmit={onSubmit} className="space-y-4">
            <Field label="Name" htmlFor="token-name">
              <Input id="token-name" name="name" required maxLength={100} placeholder="nightly-training" />
            </Field>
            <fieldset>
              <legend className="text-sm font-medium">Scopes</legend>
              <div className="mt-2 grid grid-cols-2 gap-1">
                {allowed.map((s) => (
                  <label key={s} className="flex items-center gap-2 text-sm">
                    <input type="checkbox" name="scopes" value={s} /> {s}
                  </label>
                ))}
              </div>
            </fieldset>
            <Field
              label="Expires"
              htmlFor="token-expiry-choice"
              hint={expiry === "never" ? "A token that never expires works until someone revokes it." : undefined}
            >
              <Select id="token-expiry-choice" value={expiry} onChange={(e) => setExpiry(e.target.value)}>
                <option value="30">In 30 days</option>
                <option value="90">In 90 days</option>
                <option value="365">In 1 year</option>
                <option value="date">On a date…</option>
                <option value="never">Never</option>
              </Select>
            </Field>
            {expiry === "date" ? (
              <Field label="Expires on" htmlFor="token-expiry">
                <Input id="token-expiry" name="expiresAt" type="date" required />
              </Field>
            ) : null}
            <MutationError error={create.error} />
            <FormActions onCancel={close}>
              <Button type="submit" disabled={create.isPending}>
                {create.isPending ? "Creating…" : "Create"}
              </Button>
            </FormActions>
          </form>
        )}
      </Dialog>
    </>
  );
}
