// MLflow's artifact proxy: list (GET ?path=), download (GET), upload (PUT, streamed) and DELETE.
import { mlflowArtifactsRoute } from "@/server/mlflow/extra";

export const GET = mlflowArtifactsRoute;
export const PUT = mlflowArtifactsRoute;
export const DELETE = mlflowArtifactsRoute;
export const POST = mlflowArtifactsRoute;
