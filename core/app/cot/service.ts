/** The Cursor on Target part as the shells see it (issue 17): events in as a device's observations, the picture out as events. */
import type { AppContext } from '../context/operation.js';
import { exportCotPicture, type CotExport } from './export.js';
import { ingestCotDocument, ingestCotEvents, type CotIngestRequest, type CotOutcome } from './ingest.js';
import { listenCot, serveCotExport, type CotExportRequest, type CotExportServer, type CotListener, type CotListenRequest } from './listeners.js';

export interface CotService {
  /** Each event text ingested in order under the device's credential; one outcome per event. */
  ingest(request: CotIngestRequest, events: Iterable<string | Uint8Array> | AsyncIterable<string | Uint8Array>): Promise<CotOutcome[]>;
  /** A document of several concatenated events (a file), split by `</event>`; one outcome per piece. */
  ingestDocument(request: CotIngestRequest, text: string): Promise<CotOutcome[]>;
  /** A UDP or TCP listener on 127.0.0.1 ingesting what arrives, until closed. */
  listen(request: CotListenRequest): Promise<CotListener>;
  /** The joint picture as CoT events with their provenance. */
  exportPicture(): Promise<CotExport>;
  /** A TCP server on 127.0.0.1 sending the picture to each client that connects, then its changes. */
  serveExport(request: CotExportRequest): Promise<CotExportServer>;
}

export function createCotService(context: AppContext): CotService {
  return {
    ingest: (request, events) => ingestCotEvents(context.writing(), request, events),
    ingestDocument: (request, text) => ingestCotDocument(context.writing(), request, text),
    listen: (request) => listenCot(context.writing(), request),
    exportPicture: () => exportCotPicture(context.reading()),
    serveExport: (request) => serveCotExport(context, request),
  };
}
