"use client";
// Admin control: grant or revoke the safety-reviewer permission for any user.
import { useMutation } from "@tanstack/react-query";
import { useRouter } from "next/navigation";
import { useState } from "react";
import { Button } from "@/components/ui/button";
import { Badge } from "@/components/ui/card";
import { Dialog, FormActions } from "@/components/ui/dialog";
import { Table, Td, Th } from "@/components/ui/table";
import { Time } from "@/components/ui/time";
import { useTRPC } from "@/lib/trpc";
import type { Role } from "@/server/auth/roles";
import { MutationError } from "@/components/ui/mutation-error";

type Row = { id: string; email: string; name: string; role: Role; active: boolean; granted: boolean; grantedAt: Date | null; grantedBy: string | null };

export function ReviewersAdmin({ rows }: { rows: Row[] }) {
  const trpc = useTRPC();
  const router = useRouter();
  const refresh = { onSuccess: () => router.refresh() };
  const grant = useMutation({ ...trpc.safety.grant.mutationOptions(), ...refresh });
  const revoke = useMutation({
    ...trpc.safety.revoke.mutationOptions(),
    onSuccess: () => {
      setConfirm(null);
      router.refresh();
    },
  });
  const [confirm, setConfirm] = useState<Row | null>(null);
  const error = grant.error ?? revoke.error;
  return (
    <>
      <MutationError error={error} />
      <Table className="mt-3">
        <thead>
          <tr>
            <Th>User</Th>
            <Th>Role</Th>
            <Th>Safety reviewer</Th>
            <Th>Granted</Th>
            <Th />
          </tr>
        </thead>
        <tbody>
          {rows.map((u) => (
            <tr key={u.id}>
              <Td>
                <div className="font-medium">{u.name}</div>
                <div className="text-xs text-muted">{u.email}</div>
              </Td>
              <Td>
                {u.role} {u.active ? null : <Badge tone="red">deactivated</Badge>}
              </Td>
              <Td>{u.granted ? <Badge tone="green">reviewer</Badge> : <span className="text-muted">—</span>}</Td>
              <Td>
                {u.granted ? (
                  <span className="text-xs">
                    <Time value={u.grantedAt} /> by {u.grantedBy ?? "system"}
                  </span>
                ) : null}
              </Td>
              <Td className="text-right">
                {u.granted ? (
                  <Button variant="secondary" aria-label={`Revoke safety reviewer from ${u.email}`} onClick={() => setConfirm(u)}>
                    Revoke
                  </Button>
                ) : (
                  <Button
                    variant="secondary"
                    aria-label={`Grant safety reviewer to ${u.email}`}
                    disabled={grant.isPending}
                    onClick={() => grant.mutate({ userId: u.id, permission: "safety_reviewer" })}
                  >
                    Grant
                  </Button>
                )}
              </Td>
            </tr>
          ))}
        </tbody>
      </Table>
      <Dialog
        open={confirm !== null}
        onOpenChange={(o) => !o && setConfirm(null)}
        title={`Revoke safety reviewer from ${confirm?.email ?? ""}?`}
        description="They can no longer sign off releases. Their earlier sign-offs stay on record."
      >
        <FormActions onCancel={() => setConfirm(null)}>
          <Button variant="danger" disabled={revoke.isPending} onClick={() => confirm && revoke.mutate({ userId: confirm.id, permission: "safety_reviewer" })}>
            Revoke
          </Button>
        </FormActions>
      </Dialog>
    </>
  );
}
