import { Table, Td, Th } from "@/components/ui/table";
import { shapeText } from "./format";
import type { TensorInfo } from "./types";

/** Inputs and outputs of the graph: symbolic dims by name, unknown dims as "?". */
export function SignatureTable({ inputs, outputs }: { inputs: TensorInfo[]; outputs: TensorInfo[] }) {
  const rows = [...inputs.map((t) => ({ side: "input", t })), ...outputs.map((t) => ({ side: "output", t }))];
  if (!rows.length) return <p className="text-sm text-muted">The graph declares no inputs or outputs.</p>;
  return (
    <Table>
      <caption className="sr-only">Signature: inputs and outputs</caption>
      <thead>
        <tr>
          <Th>Kind</Th>
          <Th>Name</Th>
          <Th>Type</Th>
          <Th>Shape</Th>
        </tr>
      </thead>
      <tbody>
        {rows.map(({ side, t }) => (
          <tr key={`${side}:${t.name}`}>
            <Td className="text-muted">{side}</Td>
            <Td className="font-mono text-xs">{t.name}</Td>
            <Td className="font-mono text-xs">{t.elemType}</Td>
            <Td className="font-mono text-xs">{t.shape.length ? shapeText(t.shape) : <span className="text-muted">scalar or unknown rank</span>}</Td>
          </tr>
        ))}
      </tbody>
    </Table>
  );
}
