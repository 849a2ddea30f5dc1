// MLflow's /get-artifact?run_id=&path= download of one run artifact.
import { getArtifactRoute } from "@/server/mlflow/extra";

export const GET = getArtifactRoute;
export const POST = getArtifactRoute;
