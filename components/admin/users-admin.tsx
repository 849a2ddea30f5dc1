"use client";
import { useMutation } from "@tanstack/react-query";
import { useRouter } from "next/navigation";
import { useState } from "react";
import { Button } from "@/components/ui/button";
import { Badge, ErrorNote } from "@/components/ui/card";
import { Dialog } from "@/components/ui/dialog";
import { Field, Input, Select } from "@/components/ui/input";
import { Table, Td, Th } from "@/components/ui/table";
import { Time } from "@/components/ui/time";
import { useTRPC } from "@/lib/trpc";
import { ROLES, type Role } from "@/server/auth/roles";

type UserRow = { id: string; email: string; name: string; role: Role; active: boolean; createdAt: Date; lastSignInAt: Date | null };

function isRole(v: string): v is Role {
  return (ROLES as readonly string[]).includes(v);
}

export function UsersAdmin({ rows, selfId }: { rows: UserRow[]; selfId: string }) {
  const trpc = useTRPC();
  const router = useRouter();
  const refresh = { onSuccess: () => router.refresh() };
  const changeRole = useMutation({ ...trpc.admin.changeRole.mutationOptions(), ...refresh });
  const setActive = useMutation({ ...trpc.admin.setActive.mutationOptions(), ...refresh });
  const [confirm, setConfirm] = useState<UserRow | null>(null);
  const error = changeRole.error ?? setActive.error;
  return (
    <>
      {error ? <ErrorNote>{error.message}</ErrorNote> : null}
      <Table className="mt-3">
        <thead>
          <tr>
            <Th>User</Th>
            <Th>Role</Th>
            <Th>State</Th>
            <Th>Created</Th>
            <Th>Last sign-in</Th>
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
                <Select
                  aria-label={`Role of ${u.email}`}
                  value={u.role}
                  disabled={u.id === selfId || changeRole.isPending}
                  onChange={(e) => isRole(e.target.value) && changeRole.mutate({ userId: u.id, role: e.target.value })}
                  className="w-32"
                >
                  {ROLES.map((r) => (
                    <option key={r} value={r}>{r}</option>
                  ))}
                </Select>
              </Td>
              <Td>{u.active ? <Badge tone="green">active</Badge> : <Badge tone="red">deactivated</Badge>}</Td>
              <Td><Time value={u.createdAt} /></Td>
              <Td><Time value={u.lastSignInAt} /></Td>
              <Td className="text-right">
                {u.id !== selfId ? (
                  u.active ? (
                    <Button variant="secondary" onClick={() => setConfirm(u)}>Deactivate</Button>
                  ) : (
                    <Button variant="secondary" onClick={() => setActive.mutate({ userId: u.id, active: true })}>Reactivate</Button>
                  )
                ) : null}
              </Td>
            </tr>
          ))}
        </tbody>
      </Table>
      <Dialog open={confirm !== null} onOpenChange={(o) => !o && setConfirm(null)} title={`Deactivate ${confirm?.email ?? ""}?`} description="They are signed out at their next request and their API tokens stop working. You can reactivate them later.">
        <div className="flex justify-end gap-2">
          <Button variant="secondary" onClick={() => setConfirm(null)}>Cancel</Button>
          <Button variant="danger" onClick={() => { if (confirm) setActive.mutate({ userId: confirm.id, active: false }); setConfirm(null); }}>
            Deactivate
          </Button>
        </div>
      </Dialog>
    </>
  );
}

export function CreateUser() {
  const trpc = useTRPC();
  const router = useRouter();
  const [open, setOpen] = useState(false);
  const create = useMutation({ ...trpc.admin.createUser.mutationOptions(), onSuccess: () => { setOpen(false); router.refresh(); } });
  function onSubmit(e: React.FormEvent<HTMLFormElement>) {
    e.preventDefault();
    const f = new FormData(e.currentTarget);
    const role = String(f.get("role"));
    create.mutate({ email: String(f.get("email")), name: String(f.get("name") || "") || undefined, role: isRole(role) ? role : "viewer", password: String(f.get("password")) });
  }
  return (
    <>
      <Button onClick={() => setOpen(true)}>Create user</Button>
      <Dialog open={open} onOpenChange={setOpen} title="Create a user" description="Share the initial password with them over a safe channel.">
        <form onSubmit={onSubmit} className="space-y-3">
          <Field label="Email" htmlFor="new-email"><Input id="new-email" name="email" type="email" required /></Field>
          <Field label="Name" htmlFor="new-name"><Input id="new-name" name="name" /></Field>
          <Field label="Role" htmlFor="new-role">
            <Select id="new-role" name="role" defaultValue="viewer">
              {ROLES.map((r) => <option key={r} value={r}>{r}</option>)}
            </Select>
          </Field>
          <Field label="Initial password" htmlFor="new-password" hint="At least 10 characters"><Input id="new-password" name="password" type="password" required minLength={10} /></Field>
          {create.error ? <ErrorNote>{create.error.message}</ErrorNote> : null}
          <div className="flex justify-end gap-2">
            <Button type="button" variant="secondary" onClick={() => setOpen(false)}>Cancel</Button>
            <Button type="submit" disabled={create.isPending}>Create user</Button>
          </div>
        </form>
      </Dialog>
    </>
  );
}
