/**
 * Resumes dropped on the window (or picked) arrive as `ResumeDroppedEvent`s, whichever screen is
 * open. This inbox listens from app start, keeps the latest one until the Push screen takes it,
 * and tells subscribers (the overlay, the Push screen, whoever switches screens).
 */
import { events, type ResumeDroppedEvent } from "./bindings";

type Listener = (event: ResumeDroppedEvent) => void;
type DragListener = (over: boolean) => void;

let pending: ResumeDroppedEvent | null = null;
const listeners = new Set<Listener>();
const dragListeners = new Set<DragListener>();
let started = false;

/** Starts listening (once); safe to call from every component that needs the inbox. */
export function startPushInbox(): void {
  if (started) return;
  started = true;
  void events.resumeDroppedEvent
    .listen((e) => deliver(e.payload))
    .catch(() => (started = false));
  void events.resumeDragEvent
    .listen((e) => {
      for (const l of dragListeners) l(e.payload.over);
    })
    .catch(() => {});
}

/** Hands `event` to the listeners, or keeps it for the next one when nobody listens. */
export function deliver(event: ResumeDroppedEvent): void {
  if (listeners.size === 0) {
    pending = event;
    return;
  }
  pending = null;
  for (const l of listeners) l(event);
}

/** Subscribes; a resume that arrived while nobody listened is delivered at once. */
export function onResumeDropped(listener: Listener): () => void {
  listeners.add(listener);
  if (pending) {
    const event = pending;
    pending = null;
    listener(event);
  }
  return () => listeners.delete(listener);
}

export function onResumeDrag(listener: DragListener): () => void {
  dragListeners.add(listener);
  return () => dragListeners.delete(listener);
}

/** For tests. */
export function resetPushInbox(): void {
  pending = null;
  listeners.clear();
  dragListeners.clear();
}
