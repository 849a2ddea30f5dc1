// MLflow's proxied multipart upload, complete step: answered as MLflow answers it for a local artifact
// store (501 NOT_IMPLEMENTED after the path and parameter checks), so its client falls back to one PUT.
import { mlflowMpuRoute } from "@/server/mlflow/extra";

export const POST = mlflowMpuRoute;
export const GET = mlflowMpuRoute;
