// Renders user-written markdown (model cards, descriptions) safely: no raw HTML (no rehype-raw),
// react-markdown's default urlTransform drops javascript: and other unsafe URLs, links open in a new tab.
import Markdown, { type Components } from "react-markdown";
import remarkGfm from "remark-gfm";
import { cn } from "@/lib/cn";

export function MarkdownPre(props: React.ComponentProps<"pre">) {
  return <pre {...props} className="mt-2 overflow-x-auto rounded bg-zinc-100 p-3 text-xs dark:bg-zinc-800 [&_code]:bg-transparent [&_code]:p-0" />;
}

/** Shared with the runbook renderer (components/runbooks/runbook-markdown.tsx), which adds directives and checklists. */
export const markdownComponents: Components = {
  // An unsafe URL arrives here emptied by urlTransform; show its text without a link.
  a: ({ node: _node, href, ...props }) =>
    href ? <a {...props} href={href} target="_blank" rel="noopener noreferrer" className="text-link underline" /> : <span {...props} />,
  h1: ({ node: _node, ...props }) => <h2 {...props} className="mt-4 text-lg font-semibold first:mt-0" />,
  h2: ({ node: _node, ...props }) => <h3 {...props} className="mt-4 text-base font-semibold first:mt-0" />,
  h3: ({ node: _node, ...props }) => <h4 {...props} className="mt-3 text-sm font-semibold first:mt-0" />,
  h4: ({ node: _node, ...props }) => <h5 {...props} className="mt-3 text-sm font-medium first:mt-0" />,
  p: ({ node: _node, ...props }) => <p {...props} className="mt-2 first:mt-0" />,
  ul: ({ node: _node, ...props }) => <ul {...props} className="mt-2 list-disc space-y-1 pl-5" />,
  ol: ({ node: _node, ...props }) => <ol {...props} className="mt-2 list-decimal space-y-1 pl-5" />,
  blockquote: ({ node: _node, ...props }) => (
    <blockquote {...props} className="mt-2 border-l-4 border-zinc-300 pl-3 text-zinc-600 first:mt-0 dark:border-zinc-700 dark:text-zinc-400" />
  ),
  code: ({ node: _node, className, ...props }) => (
    <code {...props} className={cn("rounded bg-zinc-100 px-1 font-mono text-[0.85em] dark:bg-zinc-800", className)} />
  ),
  pre: ({ node: _node, ...props }) => <MarkdownPre {...props} />,
  table: ({ node: _node, ...props }) => (
    <div className="mt-2 overflow-x-auto">
      <table {...props} className="text-left text-sm" />
    </div>
  ),
  th: ({ node: _node, ...props }) => (
    <th {...props} className="border border-zinc-200 bg-zinc-50 px-2 py-1 font-semibold dark:border-zinc-800 dark:bg-zinc-900" />
  ),
  td: ({ node: _node, ...props }) => <td {...props} className="border border-zinc-200 px-2 py-1 dark:border-zinc-800" />,
  hr: ({ node: _node, ...props }) => <hr {...props} className="my-4 border-zinc-200 dark:border-zinc-800" />,
  img: ({ node: _node, alt, ...props }) => (
    // Images in user markdown are shown as links rather than loaded, so a card cannot make readers fetch third-party URLs.
    <a href={typeof props.src === "string" ? props.src : undefined} target="_blank" rel="noopener noreferrer" className="text-link underline">
      {alt ? `image: ${alt}` : "image"}
    </a>
  ),
};

export function MarkdownText({ children, className }: { children: string; className?: string }) {
  return (
    <div className={cn("text-sm leading-relaxed", className)}>
      <Markdown remarkPlugins={[remarkGfm]} components={markdownComponents}>
        {children}
      </Markdown>
    </div>
  );
}
