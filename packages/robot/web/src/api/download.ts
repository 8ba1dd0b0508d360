/**
 * A download from the window API. A plain link cannot carry the window's request key (every API
 * call needs it in a header, docs/adr/0073), so the file is fetched with it and handed to the
 * browser's download from memory.
 */
import { api } from "./client.ts";
import { windowKeyHeaders } from "./window-key.ts";

export async function downloadExport(path: string, fileName: string): Promise<void> {
  const response = await fetch(path, {
    headers: windowKeyHeaders(),
    credentials: "same-origin",
    cache: "no-store",
  });
  if (!response.ok) {
    // Asked again through the shared client: it reads the error (and notices a lost session)
    // as for every other call, and throws it.
    await api.request("GET", path.replace(/^\/api/, ""));
    throw api.toError(undefined);
  }
  const url = URL.createObjectURL(await response.blob());
  const link = document.createElement("a");
  link.href = url;
  link.download = fileName;
  link.click();
  URL.revokeObjectURL(url);
}
