"use client";
// FOCUS CSV upload: preview (validated server-side, nothing written), then import all or nothing.
// Goes through REST like the registry's uploads: files up to 10 MiB exceed the tRPC body limit.
import { useRouter } from "next/navigation";
import { useState } from "react";
import { Button } from "@/components/ui/button";
import { Badge, Card, ErrorNote } from "@/components/ui/card";
import { Table, Td, Th } from "@/components/ui/table";
import { money } from "@/lib/cost-format";

type Issue = { line: number; column: string; message: string };
type Preview = {
  ok: boolean;
  issues: Issue[];
  rowCount: number;
  newRows: number;
  alreadyImported: number;
  billedMicros: number;
  firstDay: string | null;
  lastDay: string | null;
  sample: {
    line: number;
    day: string;
    model: string | null;
    version: number | null;
    environment: string;
    resourceKind: string;
    billedMicros: number;
    serviceName: string;
    duplicate: boolean;
  }[];
};

async function post(text: string, query: string) {
  const res = await fetch(`/api/v1/costs/csv?${query}`, { method: "POST", headers: { "content-type": "text/csv" }, body: text });
  const body: unknown = await res.json();
  if (!res.ok) throw Object.assign(new Error((body as { detail?: string }).detail ?? `HTTP ${res.status}`), { body });
  return body;
}

export function CsvImport() {
  const router = useRouter();
  const [file, setFile] = useState<{ name: string; text: string } | null>(null);
  const [preview, setPreview] = useState<Preview | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [done, setDone] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);

  async function choose(f: File | undefined) {
    setPreview(null);
    setDone(null);
    setError(null);
    if (!f) return setFile(null);
    const text = await f.text();
    setFile({ name: f.name, text });
    setBusy(true);
    try {
      setPreview((await post(text, "dryRun=1")) as Preview);
    } catch (e) {
      setError((e as Error).message);
    } finally {
      setBusy(false);
    }
  }

  async function importNow() {
    if (!file) return;
    setBusy(true);
    setError(null);
    try {
      const r = (await post(file.text, `fileName=${encodeURIComponent(file.name)}`)) as { imported: number; skipped: number; billedMicros: number };
      setDone(`Imported ${r.imported} rows (${money(r.billedMicros)}); ${r.skipped} already imported were skipped.`);
      setPreview(null);
      router.refresh();
    } catch (e) {
      setError((e as Error).message);
    } finally {
      setBusy(false);
    }
  }

  return (
    <div className="space-y-4">
      <Card>
        <label htmlFor="focus-file" className="block text-sm font-medium">
          FOCUS CSV file
        </label>
        <input id="focus-file" type="file" accept=".csv,text/csv" className="mt-2 block text-sm" onChange={(e) => void choose(e.target.files?.[0])} />
        <p className="mt-2 text-xs text-muted">
          Columns BilledCost, EffectiveCost, ChargePeriodStart, ChargePeriodEnd, ServiceName, ResourceId, Tags (JSON with model, version, environment,
          resource_kind); optional BillingCurrency (USD) and ChargeCategory (Credit or Adjustment for negative amounts). Up to 10 MiB or 100,000 rows.
        </p>
      </Card>
      {busy ? <p role="status">Checking…</p> : null}
      {error ? <ErrorNote>{error}</ErrorNote> : null}
      {done ? (
        <p
          role="status"
          className="rounded-md border border-emerald-200 bg-emerald-50 px-3 py-2 text-sm text-emerald-800 dark:border-emerald-900 dark:bg-emerald-950 dark:text-emerald-300"
        >
          {done}
        </p>
      ) : null}
      {preview ? (
        preview.ok ? (
          <Card>
            <p className="text-sm">
              <strong>{preview.rowCount}</strong> valid rows from {preview.firstDay} to {preview.lastDay}: <strong>{preview.newRows}</strong> new (
              {money(preview.billedMicros)}), {preview.alreadyImported} already imported.
            </p>
            <Table className="mt-3">
              <thead>
                <tr>
                  <Th>Line</Th>
                  <Th>Day</Th>
                  <Th>Model</Th>
                  <Th>Environment</Th>
                  <Th>Resource</Th>
                  <Th>Billed</Th>
                  <Th />
                </tr>
              </thead>
              <tbody>
                {preview.sample.map((r) => (
                  <tr key={r.line}>
                    <Td>{r.line}</Td>
                    <Td>{r.day}</Td>
                    <Td>{r.model ? `${r.model}${r.version ? ` v${r.version}` : ""}` : "unallocated"}</Td>
                    <Td>{r.environment}</Td>
                    <Td>{r.resourceKind}</Td>
                    <Td className="tabular-nums">{money(r.billedMicros, 4)}</Td>
                    <Td>{r.duplicate ? <Badge>already imported</Badge> : null}</Td>
                  </tr>
                ))}
              </tbody>
            </Table>
            <div className="mt-3">
              <Button disabled={busy || preview.newRows === 0} onClick={() => void importNow()}>
                Import {preview.newRows} rows
              </Button>
            </div>
          </Card>
        ) : (
          <Card>
            <p className="text-sm font-medium text-red-700 dark:text-red-400">The file cannot be imported; nothing will be written until every row is valid.</p>
            <Table className="mt-3">
              <thead>
                <tr>
                  <Th>Line</Th>
                  <Th>Column</Th>
                  <Th>Problem</Th>
                </tr>
              </thead>
              <tbody>
                {preview.issues.map((i, n) => (
                  <tr key={n}>
                    <Td>{i.line || "—"}</Td>
                    <Td>{i.column || "—"}</Td>
                    <Td>{i.message}</Td>
                  </tr>
                ))}
              </tbody>
            </Table>
          </Card>
        )
      ) : null}
    </div>
  );
}
