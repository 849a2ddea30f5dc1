import type { Metadata } from "next";
import { PortalLink } from "@/components/ui/portal-link";
import { Badge, EmptyState, PageHeader } from "@/components/ui/card";
import { Table, Td, Th } from "@/components/ui/table";
import { serverApi } from "@/server/caller";

export const metadata: Metadata = { title: "Playground" };

export default async function PlaygroundIndex() {
  const { api } = await serverApi();
  const rows = await api.playground.catalogue();
  return (
    <>
      <PageHeader
        title="Playground"
        description="Run a registered model on camera frames in your browser with onnxruntime-web: nothing leaves this machine, no server GPU."
      />
      {rows.length ? (
        <Table>
          <thead>
            <tr>
              <Th>Model</Th>
              <Th>Version</Th>
              <Th>Task</Th>
              <Th>Can run</Th>
            </tr>
          </thead>
          <tbody>
            {rows.map((r) => (
              <tr key={`${r.slug}-${r.number}`}>
                <Td>
                  <span className="font-medium">{r.name}</span> <span className="text-xs text-muted">{r.slug}</span>
                </Td>
                <Td>
                  v{r.number}{" "}
                  {r.aliases.map((a) => (
                    <Badge key={a} tone="blue">
                      {a}
                    </Badge>
                  ))}
                </Td>
                <Td>{r.task}</Td>
                <Td>
                  {r.reason ? (
                    <span className="text-sm text-muted">{r.reason}</span>
                  ) : (
                    <>
                      <PortalLink className="font-medium text-link underline" href={`/models/${r.slug}/versions/${r.number}/playground`}>
                        Open in playground
                      </PortalLink>
                      {r.cropsOnly ? <p className="text-xs text-muted">Crops only: {r.cropsOnly}</p> : null}
                    </>
                  )}
                </Td>
              </tr>
            ))}
          </tbody>
        </Table>
      ) : (
        <EmptyState title="No model versions yet">
          Register a model and upload its ONNX file; versions that only reference external weights are listed with the reason they cannot run here.
        </EmptyState>
      )}
    </>
  );
}
