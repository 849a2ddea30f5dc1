"use client";
import { useMutation } from "@tanstack/react-query";
import { useRouter } from "next/navigation";
import { useState } from "react";
import { Button } from "@/components/ui/button";
import { Badge, EmptyState } from "@/components/ui/card";
import { Dialog, FormActions } from "@/components/ui/dialog";
import { Table, Td, Th } from "@/components/ui/table";
import { Time } from "@/components/ui/time";
import { useTRPC } from "@/lib/trpc";
import { MutationError } from "@/components/ui/mutation-error";

export type TokenRow = {
  id: string;
  name: string;
  prefix: string;
  scopes: string[];
  ownerEmail: string;
  expiresAt: Date | null;
  lastUsedAt: Date | null;
  revokedAt: Date | null;
  createdAt: Date;
  state: "active" | "revoked" | "expired";
};

export function TokenList({ rows, showOwner = false, admin = false }: { rows: TokenRow[]; showOwner?: boolean; admin?: boolean }) {
  const trpc = useTRPC();
  const router = useRouter();
  const [confirm, setConfirm] = useState<TokenRow | null>(null);
  const opts = admin ? trpc.admin.revokeToken.mutationOptions() : trpc.tokens.revoke.mutationOptions();
  const revoke = useMutation({
    ...opts,
    onSuccess: () => {
      setConfirm(null);
      router.refresh();
    },
  });
  if (!rows.length) return <EmptyState title="No tokens yet">Create one for a training job, CI pipeline or device.</EmptyState>;
  return (
    <>
      <Table>
        <thead>
          <tr>
            <Th>Name</Th>
            {showOwner ? <Th>Owner</Th> : null}
            <Th>Scopes</Th>
            <Th>Created</Th>
            <Th>Last used</Th>
            <Th>Expires</Th>
            <Th>State</Th>
            <Th />
          </tr>
        </thead>
        <tbody>
          {rows.map((t) => {
            return (
              <tr key={t.id}>
                <Td>
                  <span className="font-medium">{t.name}</span> <code className="text-xs text-muted">{t.prefix}…</code>
                </Td>
                {showOwner ? <Td>{t.ownerEmail}</Td> : null}
                <Td>
                  <div className="flex flex-wrap gap-1">
                    {t.scopes.map((s) => (
                      <Badge key={s}>{s}</Badge>
                    ))}
                  </div>
                </Td>
                <Td>
                  <Time value={t.createdAt} />
                </Td>
                <Td>
                  <Time value={t.lastUsedAt} />
                </Td>
                <Td>{t.expiresAt ? <Time value={t.expiresAt} /> : <span className="text-muted">no expiry</span>}</Td>
                <Td>
                  <Badge tone={t.state === "active" ? "green" : t.state === "expired" ? "amber" : "red"}>{t.state}</Badge>
                </Td>
                <Td className="text-right">
                  {!t.revokedAt ? (
                    <Button variant="secondary" onClick={() => setConfirm(t)} aria-label={`Revoke ${t.name}`}>
                      Revoke
                    </Button>
                  ) : null}
                </Td>
              </tr>
            );
          })}
        </tbody>
      </Table>
      <Dialog
        open={confirm !== null}
        onOpenChange={(o) => !o && setConfirm(null)}
        title={`Revoke token “${confirm?.name ?? ""}”?`}
        description="Every job or device using it gets 401 from its next request. This cannot be undone."
      >
        <MutationError error={revoke.error} />
        <FormActions onCancel={() => setConfirm(null)} className="mt-4">
          <Button variant="danger" disabled={revoke.isPending} onClick={() => confirm && revoke.mutate({ tokenId: confirm.id })}>
            Revoke token
          </Button>
        </FormActions>
      </Dialog>
    </>
  );
}
