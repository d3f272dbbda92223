/** Where the own API serves a time-lapse video and its poster (the history and the list link them). */
export function timelapseUrls(name: string): { url: string; posterUrl: string } {
  const encoded = encodeURIComponent(name);
  return { url: `/api/v1/timelapses/${encoded}`, posterUrl: `/api/v1/timelapses/${encoded}/poster` };
}
