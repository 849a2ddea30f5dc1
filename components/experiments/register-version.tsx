"use client";
// "Register as model version" from a run: reference the run's artifact (runs:/<id>/model, JSON) or upload an ONNX
// file (multipart); either way the version's lineage names the run and carries its latest metrics.
import { useQuery } from "@tanstack/react-query";
import { useRouter } from "next/navigation";
import { useState } from "react";
import { z } from "zod";
import { Button } from "@/components/ui/button";
import { ErrorNote } from "@/components/ui/card";
import { Dialog } from "@/components/ui/dialog";
import { Field, Input, Select } from "@/components/ui/input";
import { useTRPC } from "@/lib/trpc";
import { versionMetricsOf } from "@/lib/version-metrics";

const ZCreated = z.object({ version: z.number().int() });
const ZProblem = z.object({ detail: z.string() });

export function RegisterVersion({ runId, runName, metrics }: { runId: string; runName: string; metrics: { key: string; value: number }[] }) {
  const trpc = useTRPC();
  const router = useRouter();
  const [open, setOpen] = useState(false);
  const [mode, setMode] = useState<"reference" | "upload">("reference");
  const [slug, setSlug] = useState("");
  const [file, setFile] = useState<File | null>(null);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const models = useQuery(trpc.registry.list.queryOptions({ sort: "name", pageSize: 200 }, { enabled: open }));
  const artifactUri = `runs:/${runId}/model`;

  async function submit(e: React.FormEvent) {
    e.preventDefault();
    if (!slug) return setError("Choose a model.");
    if (mode === "upload" && !file) return setError("Choose an ONNX file.");
    setBusy(true);
    setError(null);
    const metadata = { description: `Registered from run ${runName} (${runId}).`, lineage: { sourceRunId: runId }, metrics: versionMetricsOf(metrics) };
    let body: BodyInit;
    const headers: Record<string, string> = { accept: "application/json" };
    if (mode === "reference") {
      body = JSON.stringify({ ...metadata, artifactUri });
      headers["content-type"] = "application/json";
    } else {
      const form = new FormData();
      form.append("metadata", JSON.stringify(metadata));
      form.append("file", file!, file!.name);
      body = form;
    }
    try {
      const res = await fetch(`/api/v1/models/${encodeURIComponent(slug)}/versions`, { method: "POST", headers, body });
      const data: unknown = await res.json().catch(() => null);
      const created = ZCreated.safeParse(data);
      if (res.status === 201 && created.success) {
        router.push(`/models/${slug}/versions/${created.data.version}`);
        return;
      }
      const problem = ZProblem.safeParse(data);
      setError(problem.success ? problem.data.detail : `Registration failed (HTTP ${res.status}).`);
    } catch {
      setError("The connection to the server was lost; try again.");
    }
    setBusy(false);
  }

  return (
    <>
      <Button onClick={() => setOpen(true)}>Register as model version</Button>
      <Dialog
        open={open}
        onOpenChange={(o) => (busy ? undefined : (setOpen(o), setError(null)))}
        title="Register as model version"
        description="The new version records this run as its source, with the run's latest metrics."
      >
        <form onSubmit={submit} className="space-y-4">
          <Field label="Model" htmlFor="register-model">
            <Select id="register-model" value={slug} onChange={(e) => setSlug(e.target.value)} disabled={busy}>
              <option value="">{models.isPending ? "Loading models…" : "Choose a model"}</option>
              {(models.data?.items ?? []).map((m) => (
                <option key={m.slug} value={m.slug}>
                  {m.name} ({m.slug}){m.latestVersion ? ` · latest v${m.latestVersion}` : ""}
                </option>
              ))}
            </Select>
          </Field>
          <fieldset className="space-y-2">
            <legend className="text-sm font-medium text-zinc-700 dark:text-zinc-300">Artifact</legend>
            <label className="flex items-start gap-2 text-sm">
              <input type="radio" name="mode" checked={mode === "reference"} onChange={() => setMode("reference")} className="mt-1" disabled={busy} />
              <span>
                Reference the run&apos;s artifact <code className="font-mono text-xs">{artifactUri}</code>
              </span>
            </label>
            <label className="flex items-start gap-2 text-sm">
              <input type="radio" name="mode" checked={mode === "upload"} onChange={() => setMode("upload")} className="mt-1" disabled={busy} />
              <span>Upload an ONNX file (parsed: signature, opset and operators shown on the version page)</span>
            </label>
            {mode === "upload" ? (
              <Input
                type="file"
                aria-label="ONNX file"
                accept=".onnx,application/octet-stream"
                disabled={busy}
                onChange={(e) => setFile(e.currentTarget.files?.[0] ?? null)}
              />
            ) : null}
          </fieldset>
          <p className="text-xs text-muted">
            {Object.keys(versionMetricsOf(metrics)).length} metrics are copied into the version; lineage links back to this run.
          </p>
          {error ? <ErrorNote>{error}</ErrorNote> : null}
          <div className="flex justify-end gap-2">
            <Button type="button" variant="secondary" disabled={busy} onClick={() => setOpen(false)}>
              Cancel
            </Button>
            <Button type="submit" disabled={busy || !slug}>
              {busy ? "Registering…" : "Register version"}
            </Button>
          </div>
        </form>
      </Dialog>
    </>
  );
}
