import { cn } from "@/lib/cn";

/** `label` names the table for assistive technology (and tests) when no caption does. The first column stays in view
 * when the table scrolls sideways (`keyFirst={false}` for tables whose first column is not what identifies a row). */
export function Table({ children, className, label, keyFirst = true }: { children: React.ReactNode; className?: string; label?: string; keyFirst?: boolean }) {
  return (
    <div
      className={cn(
        "overflow-x-auto rounded-lg border border-zinc-200 bg-white dark:border-zinc-800 dark:bg-zinc-900",
        keyFirst && "table-key-first",
        className,
      )}
    >
      <table className="w-full text-left text-sm" aria-label={label}>
        {children}
      </table>
    </div>
  );
}
export function Th({ children, className }: { children?: React.ReactNode; className?: string }) {
  return (
    <th className={cn("bg-zinc-100 px-3 py-2 text-xs font-semibold uppercase tracking-wide text-zinc-600 dark:bg-zinc-900 dark:text-zinc-400", className)}>
      {children}
    </th>
  );
}
export function Td({ children, className }: { children?: React.ReactNode; className?: string }) {
  return <td className={cn("border-t border-zinc-200 px-3 py-2 align-top dark:border-zinc-800", className)}>{children}</td>;
}
