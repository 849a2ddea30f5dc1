"use client";
// New deployment (engineers; production targets need an admin) and new target (admins), each in a dialog; the server refuses with the reason.
import { useMutation } from "@tanstack/react-query";
import { useRouter } from "next/navigation";
import { useId, useState } from "react";
import { MutationError } from "@/components/ui/mutation-error";
import { Button } from "@/components/ui/button";
import { ErrorNote } from "@/components/ui/card";
import { Dialog, FormActions } from "@/components/ui/dialog";
import { Field, Input, Select } from "@/components/ui/input";
import { useTRPC } from "@/lib/trpc";
import { canDeployTo, type PolicyActor } from "@/server/deployments/policy";

type Target = { slug: string; name: string; environment: string; protected: boolean };

export function CreateDeploymentButton({ targets, actor }: { targets: Target[]; actor: PolicyActor }) {
  const trpc = useTRPC();
  const router = useRouter();
  const id = useId();
  // Whether this person may deploy to a protected environment, in the policy's terms.
  const protectedToo = canDeployTo(actor, { name: "Production", protected: true }).allowed;
  const usable = targets.filter((t) => canDeployTo(actor, { name: t.environment, protected: t.protected }).allowed);
  const [open, setOpen] = useState(false);
  const [target, setTarget] = useState(usable[0]?.slug ?? "");
  const [model, setModel] = useState("");
  const [version, setVersion] = useState("");
  const [config, setConfig] = useState("{}");
  const [configError, setConfigError] = useState<string | null>(null);
  const create = useMutation({ ...trpc.deployments.create.mutationOptions(), onSuccess: (r) => router.push(`/deployments/${r.id}`) });
  const submit = (e: React.FormEvent) => {
    e.preventDefault();
    let parsed: unknown;
    try {
      parsed = JSON.parse(config || "{}");
    } catch {
      setConfigError('Runtime config is not valid JSON, e.g. {"thresholds": {"lead_vehicle": 0.6}}');
      return;
    }
    setConfigError(null);
    create.mutate({ target, model: model.trim(), version: /^\d+$/.test(version.trim()) ? Number(version.trim()) : version.trim(), config: parsed as never });
  };
  return (
    <>
      <Button onClick={() => setOpen(true)} disabled={!usable.length}>
        New deployment
      </Button>
      <Dialog
        open={open}
        onOpenChange={setOpen}
        title="New deployment"
        description={protectedToo ? "Put a model version on a target." : "Engineers deploy to dev and staging targets; production needs an admin."}
      >
        <form onSubmit={submit} className="space-y-3">
          <Field label="Target" htmlFor={`${id}-target`}>
            <Select id={`${id}-target`} value={target} onChange={(e) => setTarget(e.target.value)}>
              {usable.map((t) => (
                <option key={t.slug} value={t.slug}>
                  {t.name} ({t.environment})
                </option>
              ))}
            </Select>
          </Field>
          <Field label="Model" htmlFor={`${id}-model`} hint="The model's slug, e.g. camera-health">
            <Input id={`${id}-model`} value={model} onChange={(e) => setModel(e.target.value)} required />
          </Field>
          <Field label="Version" htmlFor={`${id}-version`} hint="A number, or an alias such as production">
            <Input id={`${id}-version`} value={version} onChange={(e) => setVersion(e.target.value)} required />
          </Field>
          <Field
            label="Runtime config (JSON)"
            htmlFor={`${id}-config`}
            hint="thresholds per label, batchSize, featureFlags; checked against the version's manifest"
          >
            <textarea
              id={`${id}-config`}
              value={config}
              onChange={(e) => setConfig(e.target.value)}
              rows={3}
              className="w-full rounded-md border border-zinc-300 bg-white px-2.5 py-1.5 font-mono text-sm dark:border-zinc-700 dark:bg-zinc-900"
            />
          </Field>
          {configError ? <ErrorNote>{configError}</ErrorNote> : null}
          <MutationError error={create.error} />
          <FormActions onCancel={() => setOpen(false)}>
            <Button type="submit" disabled={create.isPending}>
              Deploy
            </Button>
          </FormActions>
        </form>
      </Dialog>
    </>
  );
}

const ENVIRONMENTS = [
  { key: "dev", name: "Dev" },
  { key: "staging", name: "Staging" },
  { key: "production", name: "Production" },
];

export function CreateTargetButton() {
  const trpc = useTRPC();
  const router = useRouter();
  const id = useId();
  const [open, setOpen] = useState(false);
  const [f, setF] = useState({
    slug: "",
    name: "",
    kind: "cloud-online" as "cloud-online" | "cloud-batch" | "edge-fleet",
    environment: "staging",
    onnxRuntime: "1.20",
    maxOpset: "21",
    hardwareClass: "cloud-cpu",
  });
  const set = (k: keyof typeof f) => (e: React.ChangeEvent<HTMLInputElement | HTMLSelectElement>) => setF({ ...f, [k]: e.target.value });
  const create = useMutation({
    ...trpc.deployments.createTarget.mutationOptions(),
    onSuccess: () => {
      setOpen(false);
      router.refresh();
    },
  });
  return (
    <>
      <Button variant="secondary" onClick={() => setOpen(true)}>
        New target
      </Button>
      <Dialog open={open} onOpenChange={setOpen} title="New deployment target" description="A cloud service, a batch job or an edge fleet, in one environment.">
        <form
          className="space-y-3"
          onSubmit={(e) => {
            e.preventDefault();
            create.mutate({
              slug: f.slug.trim(),
              name: f.name.trim(),
              kind: f.kind,
              environment: f.environment,
              runtime: { onnxRuntime: f.onnxRuntime.trim(), maxOpset: Number(f.maxOpset) },
              hardwareClass: f.kind === "edge-fleet" ? undefined : f.hardwareClass.trim() || undefined,
            });
          }}
        >
          <Field label="Slug" htmlFor={`${id}-slug`} hint="lowercase letters, digits and -">
            <Input id={`${id}-slug`} value={f.slug} onChange={set("slug")} required />
          </Field>
          <Field label="Name" htmlFor={`${id}-name`}>
            <Input id={`${id}-name`} value={f.name} onChange={set("name")} required />
          </Field>
          <Field label="Kind" htmlFor={`${id}-kind`}>
            <Select id={`${id}-kind`} value={f.kind} onChange={set("kind")}>
              <option value="cloud-online">Cloud online</option>
              <option value="cloud-batch">Cloud batch</option>
              <option value="edge-fleet">Edge fleet</option>
            </Select>
          </Field>
          <Field label="Environment" htmlFor={`${id}-env`}>
            <Select id={`${id}-env`} value={f.environment} onChange={set("environment")}>
              {ENVIRONMENTS.map((e) => (
                <option key={e.key} value={e.key}>
                  {e.name}
                </option>
              ))}
            </Select>
          </Field>
          <div className="grid grid-cols-2 gap-3">
            <Field label="ONNX Runtime" htmlFor={`${id}-ort`}>
              <Input id={`${id}-ort`} value={f.onnxRuntime} onChange={set("onnxRuntime")} required />
            </Field>
            <Field label="Max opset" htmlFor={`${id}-opset`}>
              <Input id={`${id}-opset`} type="number" min={1} max={50} value={f.maxOpset} onChange={set("maxOpset")} required />
            </Field>
          </div>
          {f.kind !== "edge-fleet" ? (
            <Field label="Hardware class" htmlFor={`${id}-hw`}>
              <Input id={`${id}-hw`} value={f.hardwareClass} onChange={set("hardwareClass")} />
            </Field>
          ) : null}
          <MutationError error={create.error} />
          <FormActions onCancel={() => setOpen(false)}>
            <Button type="submit" disabled={create.isPending}>
              Create target
            </Button>
          </FormActions>
        </form>
      </Dialog>
    </>
  );
}
