import type { TContract } from "@/server/registry/schemas";
import { DefinitionList } from "./definition-list";

/** Where the model may run: runtime, opset and firmware bounds, device classes. */
export function ContractView({ contract }: { contract: TContract }) {
  const none = <span className="text-muted">no limit</span>;
  return (
    <DefinitionList
      rows={[
        ["Min ONNX Runtime", contract.minOnnxRuntime ?? none],
        ["Max opset", contract.maxOpset ?? none],
        ["Min firmware", contract.minFirmware ?? none],
        ["Device classes", contract.deviceClasses.length ? contract.deviceClasses.join(", ") : <span className="text-muted">any</span>],
      ]}
    />
  );
}
