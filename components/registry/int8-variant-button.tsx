"use client";
// "Make an int8 variant": the server quantises the version (weights only, or weights and activations calibrated on
// frames from the frame library), checks the variant against this version in onnxruntime-node, and registers it as a
// new draft version; the button then opens it.
import { useId, useState } from "react";
import { useMutation, useQuery } from "@tanstack/react-query";
import { useRouter } from "next/navigation";
import { Button } from "@/components/ui/button";
import { Input, Select } from "@/components/ui/input";
import { MutationError } from "@/components/ui/mutation-error";
import { useTRPC } from "@/lib/trpc";
import { CALIBRATION_FRAMES, QUANTIZATION_METHOD_LABELS, QUANTIZATION_METHODS, suggestedCalibrationTag, type QuantizationMethod } from "@/lib/variants";

export function Int8VariantButton({ slug, version }: { slug: string; version: number }) {
  const trpc = useTRPC();
  const router = useRouter();
  const id = useId();
  const [method, setMethod] = useState<QuantizationMethod>("weight-only");
  // null until the user types: then the model's usual calibration tag, when the frame library holds frames with it.
  const [typed, setTag] = useState<string | null>(null);
  const [frames, setFrames] = useState(String(CALIBRATION_FRAMES.default));
  // The frame library's tags, offered as suggestions; only fetched once static is chosen.
  const tags = useQuery({ ...trpc.frames.tags.queryOptions(), enabled: method === "static" });
  const suggested = suggestedCalibrationTag(slug);
  const tag = typed ?? (suggested && tags.data?.some((t) => t.tag === suggested) ? suggested : "");
  const make = useMutation({
    ...trpc.registry.makeInt8Variant.mutationOptions(),
    onSuccess: (v) => router.push(`/models/${slug}/versions/${v.version}`),
  });
  const frameCount = Number(frames);
  const framesOk = Number.isInteger(frameCount) && frameCount >= 1 && frameCount <= CALIBRATION_FRAMES.max;
  const missing =
    method === "static" ? (!tag.trim() ? "Enter the frame tag to calibrate on." : !framesOk ? `Choose 1 to ${CALIBRATION_FRAMES.max} frames.` : null) : null;
  const submit = () =>
    make.mutate(
      method === "static" ? { slug, version, method, calibrationTag: tag.trim(), calibrationFrames: frameCount } : { slug, version, method: "weight-only" },
    );
  return (
    <div className="w-full max-w-md space-y-2">
      <div className="space-y-1">
        <label htmlFor={`${id}-method`} className="block text-sm font-medium">
          Int8 method
        </label>
        <Select id={`${id}-method`} value={method} disabled={make.isPending} onChange={(e) => setMethod(e.target.value as QuantizationMethod)}>
          {QUANTIZATION_METHODS.map((m) => (
            <option key={m} value={m}>
              {QUANTIZATION_METHOD_LABELS[m]}
            </option>
          ))}
        </Select>
      </div>
      {method === "static" ? (
        <div className="grid gap-2 sm:grid-cols-[1fr_8rem]">
          <div className="space-y-1">
            <label htmlFor={`${id}-tag`} className="block text-sm font-medium">
              Calibration frame tag
            </label>
            <Input
              id={`${id}-tag`}
              list={`${id}-tags`}
              value={tag}
              disabled={make.isPending}
              aria-describedby={`${id}-tag-hint`}
              onChange={(e) => setTag(e.target.value)}
            />
            <datalist id={`${id}-tags`}>
              {(tags.data ?? []).map((t) => (
                <option key={t.tag} value={t.tag}>{`${t.count} frames`}</option>
              ))}
            </datalist>
          </div>
          <div className="space-y-1">
            <label htmlFor={`${id}-frames`} className="block text-sm font-medium">
              Frames (at most)
            </label>
            <Input
              id={`${id}-frames`}
              type="number"
              inputMode="numeric"
              min={1}
              max={CALIBRATION_FRAMES.max}
              value={frames}
              disabled={make.isPending}
              onChange={(e) => setFrames(e.target.value)}
            />
          </div>
          <p id={`${id}-tag-hint`} className="text-xs text-muted sm:col-span-2">
            Representative frames, not the evaluation ones: activation ranges come from running this version on them.
          </p>
        </div>
      ) : null}
      <Button variant="secondary" disabled={make.isPending || Boolean(missing)} onClick={submit}>
        {make.isPending ? (method === "static" ? "Calibrating and checking…" : "Quantising and checking…") : "Make an int8 variant"}
      </Button>
      {missing && !make.isPending ? <p className="text-xs text-muted">{missing}</p> : null}
      {make.isPending ? (
        <p role="status" className="text-xs text-muted">
          {method === "static"
            ? `Running this version on up to ${frameCount} frames tagged ${tag.trim()} to measure activation ranges, rewriting the graph with int8 weights and quantise/dequantise pairs, then running both versions in onnxruntime-node to measure the difference. This takes up to a minute.`
            : "Rewriting the weights as int8, then running both versions in onnxruntime-node to measure the difference."}
        </p>
      ) : null}
      <MutationError error={make.error} />
    </div>
  );
}
