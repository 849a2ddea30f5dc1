"use client";
// The webhook target form (create and edit): URL, format and the alert filters.
import { Field, Input, Select } from "@/components/ui/input";
import { ALERT_KINDS } from "@/server/monitoring/schemas";
import { SEVERITIES, WEBHOOK_FORMATS } from "@/server/webhooks/schemas";

export type TargetValues = { name: string; url: string; format: (typeof WEBHOOK_FORMATS)[number]; model: string; minSeverity: string; kinds: string[] };

const FORMAT_LABELS: Record<(typeof WEBHOOK_FORMATS)[number], string> = {
  slack: "Slack-compatible ({text, blocks})",
  generic: "Generic JSON",
  retrain: "Training pipeline (retrain requests only)",
};

export function TargetFields({
  idPrefix,
  values,
  onChange,
  editing,
}: {
  idPrefix: string;
  values: TargetValues;
  onChange: (v: TargetValues) => void;
  editing?: boolean;
}) {
  const set = (patch: Partial<TargetValues>) => onChange({ ...values, ...patch });
  return (
    <div className="space-y-3">
      <Field label="Name" htmlFor={`${idPrefix}-name`}>
        <Input
          id={`${idPrefix}-name`}
          value={values.name}
          onChange={(e) => set({ name: e.target.value })}
          required
          minLength={2}
          maxLength={80}
          placeholder="#ml-oncall"
        />
      </Field>
      <Field label="URL" htmlFor={`${idPrefix}-url`} hint="http or https, no credentials in it. Private and loopback addresses need an allow-list entry.">
        <Input
          id={`${idPrefix}-url`}
          type="url"
          value={values.url}
          onChange={(e) => set({ url: e.target.value })}
          required
          placeholder="https://hooks.slack.com/services/…"
        />
      </Field>
      {!editing ? (
        <Field label="Format" htmlFor={`${idPrefix}-format`}>
          <Select
            id={`${idPrefix}-format`}
            value={values.format}
            onChange={(e) => set({ format: WEBHOOK_FORMATS.find((f) => f === e.target.value) ?? "generic" })}
          >
            {WEBHOOK_FORMATS.map((f) => (
              <option key={f} value={f}>
                {FORMAT_LABELS[f]}
              </option>
            ))}
          </Select>
        </Field>
      ) : null}
      {values.format !== "retrain" ? (
        <fieldset className="space-y-3 rounded-md border border-zinc-200 p-3 dark:border-zinc-800">
          <legend className="px-1 text-sm font-medium">Only alerts that match</legend>
          <Field label="Model (slug)" htmlFor={`${idPrefix}-model`} hint="Empty: every model.">
            <Input
              id={`${idPrefix}-model`}
              value={values.model}
              onChange={(e) => set({ model: e.target.value })}
              pattern="[a-z0-9-]{2,64}"
              placeholder="any model"
            />
          </Field>
          <Field label="Minimum severity" htmlFor={`${idPrefix}-severity`}>
            <Select id={`${idPrefix}-severity`} value={values.minSeverity} onChange={(e) => set({ minSeverity: e.target.value })}>
              <option value="">any severity</option>
              {SEVERITIES.map((s) => (
                <option key={s} value={s}>
                  {s} and above
                </option>
              ))}
            </Select>
          </Field>
          <div className="flex flex-wrap gap-3 text-sm" role="group" aria-label="Alert kinds">
            {ALERT_KINDS.map((k) => (
              <label key={k} className="flex items-center gap-1.5">
                <input
                  type="checkbox"
                  checked={values.kinds.includes(k)}
                  onChange={(e) => set({ kinds: e.target.checked ? [...values.kinds, k] : values.kinds.filter((x) => x !== k) })}
                />
                {k}
              </label>
            ))}
            <span className="text-xs text-muted">(none ticked: every kind)</span>
          </div>
        </fieldset>
      ) : null}
    </div>
  );
}

/** The filters as the mutation wants them: empty means no filter. */
export function filterInput(v: TargetValues) {
  const kinds = ALERT_KINDS.filter((k) => v.kinds.includes(k));
  return { model: v.model.trim() || null, minSeverity: SEVERITIES.find((s) => s === v.minSeverity) ?? null, kinds };
}
