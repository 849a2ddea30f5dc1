// Shapes of registry procedure outputs, for components that receive them as props.
import type { inferRouterOutputs } from "@trpc/server";
import type { AppRouter } from "@/server/routers/_app";

type Registry = inferRouterOutputs<AppRouter>["registry"];

export type ModelList = Registry["list"];
export type ModelListItem = ModelList["items"][number];
export type ModelDetail = Registry["model"];
export type ModelVersionRow = ModelDetail["versions"][number];
export type ModelAlias = ModelDetail["aliases"][number];
export type VersionResource = Registry["version"];
export type OnnxInfo = NonNullable<VersionResource["onnx"]>;
export type TensorInfo = OnnxInfo["inputs"][number];
export type VersionArtifact = VersionResource["artifact"];
export type HistoryEntry = Registry["versionHistory"][number];
export type Comparison = Registry["compare"];
export type VersionStatus = VersionResource["status"];
export type Integrity = "unverified" | "ok" | "mismatch" | "missing";
