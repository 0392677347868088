import { attempt, h } from "./dom.js";

const FOCUSABLE = "button:not([disabled]), input, select, textarea, [tabindex]:not([tabindex='-1'])";
const layer = () => document.getElementById("modals") ?? document.body;

/**
 * A modal over the whole window: Escape closes it, Tab and Shift+Tab stay inside it, and focus
 * goes back where it was. Returns its close function.
 */
export function modal(content: HTMLElement, onClose: () => void = () => {}): () => void {
  const previous = document.activeElement as HTMLElement | null;
  const back = h("div", { class: "modal-back", role: "dialog", "aria-modal": "true" }, content);
  let closed = false;
  const close = () => {
    if (closed) return;
    closed = true;
    back.remove();
    document.removeEventListener("keydown", onKey, true);
    onClose();
    previous?.focus?.();
  };
  const onKey = (event: KeyboardEvent) => {
    if (event.key === "Escape") {
      event.preventDefault();
      close();
    } else if (event.key === "Tab") {
      const items = [...back.querySelectorAll<HTMLElement>(FOCUSABLE)];
      if (items.length === 0) return;
      const first = items[0]!;
      const last = items[items.length - 1]!;
      const inside = back.contains(document.activeElement);
      if (event.shiftKey && (document.activeElement === first || !inside)) {
        event.preventDefault();
        last.focus();
      } else if (!event.shiftKey && (document.activeElement === last || !inside)) {
        event.preventDefault();
        first.focus();
      }
    }
  };
  back.addEventListener("mousedown", (event) => event.target === back && close());
  document.addEventListener("keydown", onKey, true);
  layer().append(back);
  queueMicrotask(() => back.querySelector<HTMLElement>("input, select, button")?.focus());
  return close;
}

/** A form in a modal: Cancel or Escape closes it, and a failure of `run` shows in words under it. */
export function dialog(
  heading: string,
  fields: HTMLElement[],
  action: string,
  run: () => Promise<void>,
  kind: "normal" | "danger" = "normal",
): () => void {
  const error = h("div", { class: "error", role: "alert" });
  const confirm = h(
    "button",
    { class: `btn grow ${kind === "danger" ? "danger" : ""}`, type: "submit", name: "confirm" },
    action,
  ) as HTMLButtonElement;
  let close = () => {};
  const form = h(
    "form",
    {
      class: "panel modal",
      "data-modal": heading,
      on: {
        submit: (e) => {
          e.preventDefault();
          if (confirm.disabled) return;
          confirm.disabled = true;
          void attempt(run, error).then((done) => {
            confirm.disabled = false;
            if (done) close();
          });
        },
      },
    },
    h("h2", {}, heading),
    ...fields,
    h(
      "div",
      { class: "row", style: "margin-top:16px" },
      confirm,
      h(
        "button",
        { class: "btn ghost", type: "button", name: "cancel", on: { click: () => close() } },
        "Cancel",
      ),
    ),
    error,
  );
  close = modal(form);
  return close;
}

/** Asks before an action that is hard to undo. */
export function confirmAction(heading: string, text: string, action: string, run: () => Promise<void>): void {
  dialog(heading, [h("p", { class: "dialog-text" }, text)], action, run, "danger");
}
