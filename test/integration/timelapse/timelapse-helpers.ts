import { readFileSync } from "node:fs";
import type {
  FileDto,
  StartedJobResponse,
  TimelapseSettingsDto,
  TimelapsesResponse,
} from "../../../server/api/contract.ts";
import type { ApiClient } from "../../helpers/api-client.ts";
import { until } from "../../helpers/until.ts";
import { upload, waitForAnalysis, waitForState } from "../api-v1/v1-helpers.ts";

/** Uploads `path` as `name`, waits for its analysis; its layer count. */
export async function uploadAnalysed(client: ApiClient, name: string, path: string): Promise<number> {
  const answer = await upload(client, name, readFileSync(path));
  if (answer.status !== 201)
    throw new Error(`upload of ${name}: ${answer.status} ${JSON.stringify(answer.body)}`);
  const file: FileDto = await waitForAnalysis(client, name);
  const analysis = file.analysis;
  if (analysis?.status !== "ready") throw new Error(`${name} was not analysed: ${JSON.stringify(analysis)}`);
  return analysis.layers;
}

export async function configureTimelapse(
  client: ApiClient,
  patch: Partial<TimelapseSettingsDto>,
): Promise<TimelapseSettingsDto> {
  const answer = await client.request<TimelapseSettingsDto>("PATCH", "/api/v1/timelapse/settings", {
    json: patch,
  });
  if (answer.status !== 200)
    throw new Error(`time-lapse settings: ${answer.status} ${JSON.stringify(answer.body)}`);
  return answer.body;
}

/** Prints `name` to the end; its job id. */
export async function printToEnd(client: ApiClient, name: string, timeout = 120_000): Promise<number> {
  await waitForState(client, "idle");
  const started = await client.post<StartedJobResponse>("/api/v1/job/start", { file: name });
  if (started.status !== 201 && started.status !== 202)
    throw new Error(`start ${name}: ${started.status} ${JSON.stringify(started.body)}`);
  await waitForState(client, "printing");
  await waitForState(client, "idle", timeout);
  return started.body.jobId;
}

/** Waits until the job's time-lapse is rendered; the listing. */
export function waitForVideo(
  client: ApiClient,
  jobId: number,
  timeout = 120_000,
): Promise<TimelapsesResponse> {
  return until(
    async () => {
      const answer = await client.get<TimelapsesResponse>("/api/v1/timelapses");
      if (answer.status !== 200)
        throw new Error(`time-lapses: ${answer.status} ${JSON.stringify(answer.body)}`);
      return answer.body;
    },
    (list) => list.videos.some((v) => v.jobId === jobId),
    `job ${jobId}'s time-lapse is rendered`,
    timeout,
  );
}
