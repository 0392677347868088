type Child = Node | string | null | undefined | false;
type Props = Record<string, unknown> & { class?: string; on?: Record<string, (event: Event) => void> };

/** Builds a DOM element: h("button", { class: "btn", on: { click } }, "Play"). */
export function h(tag: string, props: Props = {}, ...children: Child[]): HTMLElement {
  const element = document.createElement(tag);
  for (const [key, value] of Object.entries(props)) {
    if (key === "on") {
      for (const [event, handler] of Object.entries(value as Record<string, (e: Event) => void>)) {
        element.addEventListener(event, handler);
      }
    } else if (key === "class") element.className = String(value);
    else if (key === "style") element.setAttribute("style", String(value));
    else if (
      key.startsWith("data-") ||
      key.startsWith("aria-") ||
      ["type", "for", "role", "title", "tabindex"].includes(key)
    )
      element.setAttribute(key, String(value));
    else if (value !== undefined && value !== null && value !== false)
      (element as unknown as Record<string, unknown>)[key] = value;
  }
  for (const child of children) {
    if (child === null || child === undefined || child === false) continue;
    element.append(child);
  }
  return element;
}

export function clear(element: HTMLElement, ...children: Child[]): void {
  element.replaceChildren(...(children.filter(Boolean) as (Node | string)[]));
}

/** Runs an action, showing its failure in words in `errorBox` (or as a toast). */
export async function attempt(
  work: () => Promise<unknown>,
  errorBox?: HTMLElement,
  toast?: (text: string) => void,
): Promise<boolean> {
  if (errorBox) errorBox.textContent = "";
  try {
    await work();
    return true;
  } catch (error) {
    const message = error instanceof Error ? error.message : String(error);
    if (errorBox) errorBox.textContent = message;
    else toast?.(message);
    return false;
  }
}

/**
 * A button whose request is in flight is disabled until the answer: a double-click sends one
 * request and gets one answer, not two contradictory ones.
 */
export function actionButton(
  label: string,
  props: Props,
  work: () => Promise<unknown>,
  toast?: (text: string) => void,
): HTMLButtonElement {
  const button = h("button", { type: "button", ...props }, label) as HTMLButtonElement;
  button.addEventListener("click", () => {
    if (button.disabled) return;
    button.disabled = true;
    button.classList.add("busy");
    void attempt(work, undefined, toast).finally(() => {
      button.disabled = false;
      button.classList.remove("busy");
    });
  });
  return button;
}

export function time(iso: string): string {
  return new Date(iso).toLocaleTimeString([], { hour: "2-digit", minute: "2-digit" });
}

export function modeName(mode: string): string {
  const words = mode.replaceAll("_", " ");
  return words.charAt(0).toUpperCase() + words.slice(1);
}
