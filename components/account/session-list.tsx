"use client";
import { useMutation } from "@tanstack/react-query";
import { signOut } from "next-auth/react";
import { useRouter } from "next/navigation";
import { useState } from "react";
import { Button } from "@/components/ui/button";
import { Badge, EmptyState } from "@/components/ui/card";
import { Dialog, FormActions } from "@/components/ui/dialog";
import { Time } from "@/components/ui/time";
import { useTRPC } from "@/lib/trpc";
import { describeUserAgent } from "@/lib/user-agent";
import type { SessionView } from "@/server/auth/sessions";
import { MutationError } from "@/components/ui/mutation-error";

type SessionRow = SessionView;

export function SessionList({ rows }: { rows: SessionRow[] }) {
  const trpc = useTRPC();
  const router = useRouter();
  const [confirmAll, setConfirmAll] = useState(false);
  const [confirmOne, setConfirmOne] = useState<SessionRow | null>(null);
  const endOne = useMutation({
    ...trpc.sessions.end.mutationOptions(),
    onSuccess: () => {
      setConfirmOne(null);
      router.refresh();
    },
  });
  // The server has already ended this browser's session too; signOut clears its cookie and leaves.
  const endAll = useMutation({ ...trpc.sessions.endAll.mutationOptions(), onSuccess: () => signOut({ callbackUrl: "/signin" }) });
  const others = rows.filter((r) => !r.current).length;

  return (
    <section aria-labelledby="sessions-heading">
      <div className="flex flex-wrap items-center justify-between gap-3">
        <h2 id="sessions-heading" className="text-base font-semibold">
          Signed-in browsers <span className="font-normal text-zinc-600 dark:text-zinc-400">({rows.length})</span>
        </h2>
        <Button variant="danger" onClick={() => setConfirmAll(true)} disabled={endAll.isPending}>
          {endAll.isPending ? "Signing out…" : "Sign out everywhere"}
        </Button>
      </div>
      <MutationError error={endAll.error} />
      <MutationError error={!confirmOne && endOne.error} />
      {rows.length === 0 ? (
        <div className="mt-3">
          <EmptyState title="No open sessions">Sign in again to start one.</EmptyState>
        </div>
      ) : (
        <ul className="mt-3 divide-y divide-zinc-200 rounded-lg border border-zinc-200 dark:divide-zinc-800 dark:border-zinc-800" aria-label="Sessions">
          {rows.map((s) => {
            const label = describeUserAgent(s.userAgent);
            return (
              <li key={s.id} className="flex flex-col gap-3 p-4 sm:flex-row sm:items-center sm:justify-between">
                <div className="min-w-0">
                  <div className="flex flex-wrap items-center gap-2">
                    <span className="font-medium">{label}</span>
                    {s.current ? <Badge tone="blue">This browser</Badge> : null}
                    {s.method === "oidc" ? <Badge>single sign-on</Badge> : null}
                  </div>
                  <dl className="mt-1 grid grid-cols-[auto_1fr] gap-x-3 gap-y-0.5 text-sm text-zinc-600 dark:text-zinc-400">
                    <dt>Address</dt>
                    <dd className="truncate font-mono text-xs leading-5">{s.address ?? "unknown"}</dd>
                    <dt>Signed in</dt>
                    <dd>
                      <Time value={s.createdAt} />
                    </dd>
                    <dt>Last active</dt>
                    <dd>
                      <Time value={s.lastSeenAt} />
                    </dd>
                    <dt>Ends</dt>
                    <dd>
                      <Time value={s.expiresAt} />
                    </dd>
                  </dl>
                </div>
                {s.current ? null : (
                  <Button
                    variant="secondary"
                    className="self-start sm:self-center"
                    onClick={() => setConfirmOne(s)}
                    aria-label={`Sign out ${label}, signed in from ${s.address ?? "an unknown address"}`}
                  >
                    Sign out
                  </Button>
                )}
              </li>
            );
          })}
        </ul>
      )}
      <Dialog
        open={confirmAll}
        onOpenChange={setConfirmAll}
        title="Sign out everywhere?"
        description={`Ends ${others === 0 ? "this session" : `all ${rows.length} sessions, this one included`}; every browser signed in as you must sign in again. API tokens keep working.`}
      >
        <MutationError error={endAll.error} />
        <FormActions onCancel={() => setConfirmAll(false)} className="mt-4">
          <Button variant="danger" disabled={endAll.isPending} onClick={() => endAll.mutate()}>
            Sign out everywhere
          </Button>
        </FormActions>
      </Dialog>
      <Dialog
        open={confirmOne !== null}
        onOpenChange={(o) => !o && setConfirmOne(null)}
        title={`Sign out ${confirmOne ? describeUserAgent(confirmOne.userAgent) : ""}?`}
        description="That browser is signed out at its next request and must sign in again."
      >
        <MutationError error={endOne.error} />
        <FormActions onCancel={() => setConfirmOne(null)} className="mt-4">
          <Button variant="danger" disabled={endOne.isPending} onClick={() => confirmOne && endOne.mutate({ sessionId: confirmOne.id })}>
            Sign out that browser
          </Button>
        </FormActions>
      </Dialog>
    </section>
  );
}
