// Imports each area's palette source so the command palette lists its entities.
import "@/server/registry/palette";
import "@/server/incidents/palette";
import "@/server/experiments/palette";
import "@/server/sweeps/palette";
