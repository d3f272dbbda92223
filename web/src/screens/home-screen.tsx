/** Home: the printer, an interrupted print, the job, the camera, the temperatures. */
import { CameraView } from "../home/camera-view.tsx";
import { JobCard } from "../home/job-card.tsx";
import { PrinterStatus } from "../home/printer-status.tsx";
import { RecoveryBanner } from "../home/recovery-banner.tsx";
import { TempsPanel } from "../home/temps-panel.tsx";

export function HomeScreen() {
  return (
    <div class="grid">
      <div class="col">
        <PrinterStatus />
        <RecoveryBanner />
        <JobCard />
        <CameraView />
      </div>
      <div class="col">
        <TempsPanel />
      </div>
    </div>
  );
}
