// MLflow's /ajax-api/2.0/mlflow prefix: the same endpoints as /api/2.0/mlflow plus the UI-only ones.
import { mlflowAjaxRoute, offerDirectRoute } from "@/server/mlflow/door";

export const GET = mlflowAjaxRoute;
export const POST = mlflowAjaxRoute;
export const PATCH = mlflowAjaxRoute;
export const DELETE = mlflowAjaxRoute;
export const PUT = mlflowAjaxRoute;

offerDirectRoute("/ajax-api/2.0/mlflow/", { GET, POST, PATCH, DELETE, PUT });
