// Severity radio group with each level's meaning, for declaring an incident.
import { SEVERITIES, SEVERITY_MEANING, type Severity } from "@/server/incidents/schemas";

export function SeverityChoice({ value, onChange, name }: { value: Severity; onChange: (s: Severity) => void; name: string }) {
  return (
    <fieldset className="space-y-1">
      <legend className="mb-1 text-sm font-medium">Severity</legend>
      {SEVERITIES.map((s) => (
        <label key={s} className="flex items-start gap-2 text-sm">
          <input type="radio" name={name} className="mt-1" checked={value === s} onChange={() => onChange(s)} />
          <span>
            <span className="font-medium">{SEVERITY_MEANING[s].label}</span> <span className="text-muted">{SEVERITY_MEANING[s].meaning}</span>
          </span>
        </label>
      ))}
    </fieldset>
  );
}
