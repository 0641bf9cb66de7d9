import { type Progress, Stage } from "../../src/gen/oaktree/v1/common_pb.js";

const STAGE_TEXT: Record<Stage, string> = {
  [Stage.UNSPECIFIED]: "Working",
  [Stage.ACCEPTED]: "Accepted",
  [Stage.CREATING_VOLUME]: "Creating the boot volume",
  [Stage.BUILDING]: "Building",
  [Stage.ATTACHING_VOLUMES]: "Attaching volumes",
  [Stage.ATTACHING_IP]: "Attaching a floating IP",
  [Stage.UPLOADING]: "Uploading",
  [Stage.PROCESSING]: "Processing",
  [Stage.DELETING]: "Deleting",
  [Stage.ROLLING_BACK]: "Rolling back",
  [Stage.DONE]: "Done",
};

/** One streamed step as a line: `Building (BUILD) · 0.4 s`. */
export function progressText(progress: Progress | undefined): string {
  if (!progress) return STAGE_TEXT[Stage.UNSPECIFIED];
  const status = progress.cloudStatus ? ` (${progress.cloudStatus})` : "";
  const message = progress.message ? `: ${progress.message}` : "";
  const seconds = (Number(progress.elapsedMs) / 1000).toFixed(1);
  return `${STAGE_TEXT[progress.stage] ?? "Working"}${status}${message} · ${seconds} s`;
}
