// MLflow-compatible REST (tracking and the model-registry subset); see server/experiments/mlflow.ts.
import { mlflowRoute } from "@/server/experiments/mlflow";

export const GET = mlflowRoute;
export const POST = mlflowRoute;
export const PATCH = mlflowRoute;
export const DELETE = mlflowRoute;
