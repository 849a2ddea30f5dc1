"use client";
// Create or change a monthly budget (engineers and admins; the server checks the role and audits the change).
import { useMutation } from "@tanstack/react-query";
import { useRouter } from "next/navigation";
import { useState } from "react";
import { Button } from "@/components/ui/button";
import { useTRPC } from "@/lib/trpc";
import { MutationError } from "@/components/ui/mutation-error";

type Budget = { scope: "team" | "model"; key: string; amount: string };

const input = "rounded-md border border-zinc-300 bg-white px-2 py-1 text-sm dark:border-zinc-700 dark:bg-zinc-900";

export function BudgetEditor({ month, budgets }: { month: string; budgets: Budget[] }) {
  const trpc = useTRPC();
  const router = useRouter();
  const [draft, setDraft] = useState<Budget>({ scope: "team", key: "", amount: "" });
  const set = useMutation({
    ...trpc.cost.setBudget.mutationOptions(),
    onSuccess: () => {
      setDraft({ scope: "team", key: "", amount: "" });
      router.refresh();
    },
  });
  return (
    <div className="space-y-2">
      {budgets.length ? (
        <div className="flex flex-wrap gap-2 text-xs" role="group" aria-label="Edit a budget">
          {budgets.map((b) => (
            <button
              key={`${b.scope}-${b.key}`}
              type="button"
              className="rounded border border-zinc-300 px-2 py-0.5 hover:bg-zinc-100 dark:border-zinc-700 dark:hover:bg-zinc-800"
              onClick={() => setDraft(b)}
            >
              Edit {b.key}
            </button>
          ))}
        </div>
      ) : null}
      <form
        aria-label="Budget"
        className="flex flex-wrap items-end gap-3"
        onSubmit={(e) => {
          e.preventDefault();
          set.mutate({ scope: draft.scope, key: draft.key, month, amount: draft.amount });
        }}
      >
        <label className="text-xs">
          <span className="block font-medium">Scope</span>
          <select aria-label="Scope" className={input} value={draft.scope} onChange={(e) => setDraft({ ...draft, scope: e.target.value as Budget["scope"] })}>
            <option value="team">Team</option>
            <option value="model">Model</option>
          </select>
        </label>
        <label className="text-xs">
          <span className="block font-medium">{draft.scope === "team" ? "Team" : "Model slug"}</span>
          <input
            className={input}
            value={draft.key}
            onChange={(e) => setDraft({ ...draft, key: e.target.value })}
            required
            maxLength={64}
            placeholder={draft.scope === "team" ? "perception" : "forward-collision-warning"}
          />
        </label>
        <label className="text-xs">
          <span className="block font-medium">Amount for {month} (USD)</span>
          <input
            className={`${input} w-32`}
            value={draft.amount}
            onChange={(e) => setDraft({ ...draft, amount: e.target.value })}
            required
            inputMode="decimal"
            pattern="\d{1,9}(\.\d{1,6})?"
            placeholder="12000.00"
          />
        </label>
        <Button type="submit" disabled={set.isPending}>
          {set.isPending ? "Saving…" : "Save budget"}
        </Button>
      </form>
      <MutationError error={set.error} />
      {set.isSuccess ? (
        <p role="status" className="text-xs text-zinc-600 dark:text-zinc-400">
          Budget saved and audited.
        </p>
      ) : null}
    </div>
  );
}
