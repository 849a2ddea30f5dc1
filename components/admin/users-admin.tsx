"use client";
import { useMutation } from "@tanstack/react-query";
import { useRouter } from "next/navigation";
import { useState } from "react";
import { Button } from "@/components/ui/button";
import { Badge } from "@/components/ui/card";
import { Dialog, FormActions } from "@/components/ui/dialog";
import { Field, Input, Select } from "@/components/ui/input";
import { Table, Td, Th } from "@/components/ui/table";
import { Time } from "@/components/ui/time";
import { useTRPC } from "@/lib/trpc";
import { ROLES, type Role } from "@/server/auth/roles";
import { MutationError } from "@/components/ui/mutation-error";

type UserRow = { id: string; email: string; name: string; role: Role; active: boolean; createdAt: Date; lastSignInAt: Date | null };
export type ThrottleRow = { kind: "account" | "address"; key: string; failures: number; lastFailureAt: Date | null; lockedUntil: Date | null; locked: boolean };

function isRole(v: string): v is Role {
  return (ROLES as readonly string[]).includes(v);
}

export function UsersAdmin({ rows, selfId, throttles }: { rows: UserRow[]; selfId: string; throttles: ThrottleRow[] }) {
  const trpc = useTRPC();
  const router = useRouter();
  const refresh = { onSuccess: () => router.refresh() };
  const changeRole = useMutation({ ...trpc.admin.changeRole.mutationOptions(), ...refresh });
  const setActive = useMutation({ ...trpc.admin.setActive.mutationOptions(), ...refresh });
  const unlock = useMutation({ ...trpc.admin.unlockSignIn.mutationOptions(), ...refresh });
  const [confirm, setConfirm] = useState<UserRow | null>(null);
  const error = changeRole.error ?? setActive.error ?? unlock.error;
  const byEmail = new Map(throttles.filter((t) => t.kind === "account").map((t) => [t.key, t]));
  return (
    <>
      <MutationError error={error} />
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
          {rows.map((u) => {
            const throttle = byEmail.get(u.email.toLowerCase());
            return (
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
                      <option key={r} value={r}>
                        {r}
                      </option>
                    ))}
                  </Select>
                </Td>
                <Td>
                  <div className="flex flex-col items-start gap-1">
                    {u.active ? <Badge tone="green">active</Badge> : <Badge tone="red">deactivated</Badge>}
                    {throttle?.locked ? (
                      <Badge tone="red">
                        locked until&nbsp;
                        <Time value={throttle.lockedUntil} />
                      </Badge>
                    ) : null}
                    {throttle && throttle.failures > 0 ? (
                      <span className="text-xs text-zinc-600 dark:text-zinc-400">
                        {throttle.failures} failed sign-in{throttle.failures === 1 ? "" : "s"}, last <Time value={throttle.lastFailureAt} />
                      </span>
                    ) : null}
                  </div>
                </Td>
                <Td>
                  <Time value={u.createdAt} />
                </Td>
                <Td>
                  <Time value={u.lastSignInAt} />
                </Td>
                <Td className="text-right">
                  <div className="flex flex-wrap justify-end gap-2">
                    {throttle && (throttle.locked || throttle.failures > 0) ? (
                      <Button
                        variant="secondary"
                        disabled={unlock.isPending}
                        onClick={() => unlock.mutate({ kind: "account", key: throttle.key })}
                        aria-label={`Unlock sign-in for ${u.email}`}
                      >
                        {throttle.locked ? "Unlock" : "Clear failures"}
                      </Button>
                    ) : null}
                    {u.id !== selfId ? (
                      u.active ? (
                        <Button variant="secondary" onClick={() => setConfirm(u)}>
                          Deactivate
                        </Button>
                      ) : (
                        <Button variant="secondary" onClick={() => setActive.mutate({ userId: u.id, active: true })}>
                          Reactivate
                        </Button>
                      )
                    ) : null}
                  </div>
                </Td>
              </tr>
            );
          })}
        </tbody>
      </Table>
      <Dialog
        open={confirm !== null}
        onOpenChange={(o) => !o && setConfirm(null)}
        title={`Deactivate ${confirm?.email ?? ""}?`}
        description="Their open sessions end now, on every browser, and their API tokens stop working. You can reactivate them later; they then sign in again."
      >
        <FormActions onCancel={() => setConfirm(null)}>
          <Button
            variant="danger"
            onClick={() => {
              if (confirm) setActive.mutate({ userId: confirm.id, active: false });
              setConfirm(null);
            }}
          >
            Deactivate
          </Button>
        </FormActions>
      </Dialog>
    </>
  );
}

export function CreateUser() {
  const trpc = useTRPC();
  const router = useRouter();
  const [open, setOpen] = useState(false);
  const create = useMutation({
    ...trpc.admin.createUser.mutationOptions(),
    onSuccess: () => {
      setOpen(false);
      router.refresh();
    },
  });
  function onSubmit(e: React.FormEvent<HTMLFormElement>) {
    e.preventDefault();
    const f = new FormData(e.currentTarget);
    const role = String(f.get("role"));
    create.mutate({
      email: String(f.get("email")),
      name: String(f.get("name") || "") || undefined,
      role: isRole(role) ? role : "viewer",
      password: String(f.get("password")),
    });
  }
  return (
    <>
      <Button onClick={() => setOpen(true)}>Create user</Button>
      <Dialog open={open} onOpenChange={setOpen} title="Create a user" description="Share the initial password with them over a safe channel.">
        <form onSubmit={onSubmit} className="space-y-3">
          <Field label="Email" htmlFor="new-email">
            <Input id="new-email" name="email" type="email" required />
          </Field>
          <Field label="Name" htmlFor="new-name">
            <Input id="new-name" name="name" />
          </Field>
          <Field label="Role" htmlFor="new-role">
            <Select id="new-role" name="role" defaultValue="viewer">
              {ROLES.map((r) => (
                <option key={r} value={r}>
                  {r}
                </option>
              ))}
            </Select>
          </Field>
          <Field label="Initial password" htmlFor="new-password" hint="At least 10 characters">
            <Input id="new-password" name="password" type="password" required minLength={10} />
          </Field>
          <MutationError error={create.error} />
          <FormActions onCancel={() => setOpen(false)}>
            <Button type="submit" disabled={create.isPending}>
              Create user
            </Button>
          </FormActions>
        </form>
      </Dialog>
    </>
  );
}

/** Addresses and unknown accounts with recent failed sign-ins; users' own locks show in the table above. */
export function SignInLocks({ rows, knownEmails }: { rows: ThrottleRow[]; knownEmails: string[] }) {
  const trpc = useTRPC();
  const router = useRouter();
  const unlock = useMutation({ ...trpc.admin.unlockSignIn.mutationOptions(), onSuccess: () => router.refresh() });
  const known = new Set(knownEmails.map((e) => e.toLowerCase()));
  const others = rows.filter((r) => r.kind === "address" || !known.has(r.key));
  return (
    <section aria-labelledby="locks-heading" className="mt-8">
      <h2 id="locks-heading" className="text-base font-semibold">
        Sign-in failures by address and unknown account
      </h2>
      <p className="mt-1 text-sm text-zinc-600 dark:text-zinc-400">
        Failures in the last 24 hours. An address is locked after too many failures on any account.
      </p>
      <MutationError error={unlock.error} />
      {others.length === 0 ? (
        <p className="mt-3 text-sm text-zinc-600 dark:text-zinc-400">No failed sign-ins from addresses or unknown accounts in the last 24 hours.</p>
      ) : (
        <Table className="mt-3" label="Sign-in failures by address and unknown account">
          <thead>
            <tr>
              <Th>Address or account</Th>
              <Th>Failures</Th>
              <Th>Last failure</Th>
              <Th>State</Th>
              <Th />
            </tr>
          </thead>
          <tbody>
            {others.map((r) => (
              <tr key={`${r.kind}:${r.key}`}>
                <Td>
                  <span className="font-mono text-xs">{r.key}</span> <span className="text-xs text-zinc-600 dark:text-zinc-400">{r.kind}</span>
                </Td>
                <Td>{r.failures}</Td>
                <Td>
                  <Time value={r.lastFailureAt} />
                </Td>
                <Td>
                  {r.locked ? (
                    <Badge tone="red">
                      locked until&nbsp;
                      <Time value={r.lockedUntil} />
                    </Badge>
                  ) : (
                    <Badge>open</Badge>
                  )}
                </Td>
                <Td className="text-right">
                  <Button
                    variant="secondary"
                    disabled={unlock.isPending}
                    onClick={() => unlock.mutate({ kind: r.kind, key: r.key })}
                    aria-label={`${r.locked ? "Unlock" : "Clear failures for"} ${r.key}`}
                  >
                    {r.locked ? "Unlock" : "Clear failures"}
                  </Button>
                </Td>
              </tr>
            ))}
          </tbody>
        </Table>
      )}
    </section>
  );
}
