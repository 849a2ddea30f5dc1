// MLflow-compatible REST (tracking and the model-registry subset); see server/mlflow/door.ts.
import { mlflowRoute, offerDirectRoute } from "@/server/mlflow/door";

export const GET = mlflowRoute;
export const POST = mlflowRoute;
export const PATCH = mlflowRoute;
export const DELETE = mlflowRoute;

offerDirectRoute("/api/2.0/mlflow/", { GET, POST, PATCH, DELETE });
