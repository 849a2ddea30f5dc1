// Runbook Markdown with the model cards' safe renderer, plus live panels, action buttons and, during an incident, a checklist.
import { Children, cloneElement, isValidElement } from "react";
import Markdown, { type Components } from "react-markdown";
import remarkGfm from "remark-gfm";
import { ChecklistBox } from "@/components/incidents/checklist-box";
import { MitigationButtons, type MitigationDeployment } from "@/components/incidents/mitigation-buttons";
import { MarkdownPre, markdownComponents } from "@/components/registry/markdown";
import { Button } from "@/components/ui/button";
import { DIRECTIVE_LANG, expandDirectives, parseDirective, type ChecklistItem } from "@/lib/runbook-markdown";
import type { Role } from "@/server/auth/roles";
import { RunbookPanel } from "./runbook-panel";

export type RunbookIncident = {
  id: string;
  deployments: MitigationDeployment[];
  checklist: (ChecklistItem & { checked: boolean })[];
  canAct: boolean;
  actor: { userId: string; role: Role };
};

type HastNode = { type: string; tagName?: string; value?: string; properties?: Record<string, unknown>; children?: HastNode[] };

function directiveText(node: HastNode | undefined): string | null {
  const code = node?.children?.find((c) => c.type === "element" && c.tagName === "code");
  const cls = code?.properties?.className;
  if (!Array.isArray(cls) || !cls.includes(`language-${DIRECTIVE_LANG}`)) return null;
  return (code?.children ?? []).map((c) => c.value ?? "").join("");
}

/** `body` is the raw runbook; `model` feeds panels without model=...; `incident` turns task items into a checklist and enables actions. */
export function RunbookMarkdown({
  body,
  model,
  incident,
  rollbackTo,
}: {
  body: string;
  model: string | null;
  incident?: RunbookIncident;
  rollbackTo?: number | null;
}) {
  const byLine = new Map((incident?.checklist ?? []).map((c) => [c.line, c]));
  const components: Components = {
    ...markdownComponents,
    pre: ({ node, ...props }) => {
      const text = directiveText(node as HastNode | undefined);
      const d = text ? parseDirective(text) : null;
      if (!d) return <MarkdownPre {...props} />;
      if (d.type === "panel") return <RunbookPanel name={d.name} model={d.attrs.model ?? model} />;
      const only = d.name === "pause" ? "pause" : "rollback";
      if (!incident) {
        return (
          <div className="my-3">
            <Button variant="secondary" disabled title="Runs during an incident, on the incident's deployments">
              {only === "pause" ? "Pause rollout" : rollbackTo ? `Roll back to v${rollbackTo}` : "Roll back to the last good version"}
            </Button>
            <p className="mt-1 text-xs text-muted">Action button: active on the incident page, with a confirmation.</p>
          </div>
        );
      }
      return (
        <div className="my-3">
          <MitigationButtons incidentId={incident.id} deployments={incident.deployments} only={only} actor={incident.actor} shortcuts={false} />
        </div>
      );
    },
    li: ({ node, className, children, ...props }) => {
      const line = (node as { position?: { start: { line: number } } } | undefined)?.position?.start.line;
      const item = incident && line !== undefined ? byLine.get(line) : undefined;
      // Task items read as a checklist, not a bulleted list.
      const task = typeof className === "string" && className.includes("task-list-item");
      if (!task)
        return (
          <li {...props} className={className}>
            {children}
          </li>
        );
      if (!item || !incident) {
        // Outside an incident the task's box is a read-only picture of the source; its text is still its label.
        const [box, ...rest] = Children.toArray(children);
        if (line === undefined || !isValidElement<{ type?: string; "aria-labelledby"?: string }>(box) || box.props.type !== "checkbox")
          return (
            <li {...props} className="-ml-5 list-none">
              {children}
            </li>
          );
        const id = `runbook-task-${line}`;
        return (
          <li {...props} className="-ml-5 list-none">
            {cloneElement(box, { "aria-labelledby": id })}
            <span id={id}>{rest}</span>
          </li>
        );
      }
      return (
        <li {...props} className="list-none -ml-5" data-testid="checklist-item">
          <ChecklistBox
            key={String(item.checked)}
            incidentId={incident.id}
            item={item.index}
            text={item.text}
            checked={item.checked}
            canAct={incident.canAct}
          />
          {children}
        </li>
      );
    },
    // In checklist mode the ChecklistBox replaces the static box remark-gfm draws.
    input: ({ node: _node, ...props }) => (incident && props.type === "checkbox" ? null : <input {...props} className="mr-1.5 align-middle" />),
  };
  return (
    <div className="text-sm leading-relaxed">
      <Markdown remarkPlugins={[remarkGfm]} components={components}>
        {expandDirectives(body)}
      </Markdown>
    </div>
  );
}
