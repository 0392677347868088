import type { ChatMessage } from "@rally/protocol";
import { attempt, clear, h, time } from "./dom.js";

/** What a player can do about someone else's line. */
export interface LineActions {
  me: () => string | null;
  report: (line: ChatMessage) => void;
  ignore: (line: ChatMessage) => void;
}

/** A chat panel: history, and an input where Enter sends; others' lines can be reported or ignored. */
export function chatBox(
  name: string,
  send: (text: string) => Promise<void>,
  toast: (text: string) => void,
  actions?: LineActions,
) {
  const messages = h("div", { class: "messages" });
  const input = h("input", {
    name,
    class: "grow",
    maxLength: 300,
    placeholder: "Say something… (Enter to send)",
  }) as HTMLInputElement;
  const submit = () => {
    const text = input.value.trim();
    if (!text) return;
    void attempt(
      async () => {
        await send(text);
        input.value = "";
      },
      undefined,
      toast,
    );
  };
  input.addEventListener("keydown", (event) => {
    if (event.key === "Enter") submit();
  });
  const element = h(
    "div",
    { class: "chat", "data-chat": name },
    h("h2", {}, "Chat"),
    messages,
    h(
      "div",
      { class: "row" },
      input,
      h("button", { class: "btn small", type: "button", on: { click: submit } }, "Send"),
    ),
  );
  return {
    element,
    render(list: ChatMessage[], empty: string) {
      if (list.length === 0) return clear(messages, h("div", { class: "empty" }, empty));
      clear(
        messages,
        ...list.map((m) =>
          h(
            "div",
            { class: "message", "data-message": m.id },
            h("time", {}, time(m.at)),
            h("span", { class: "from" }, m.from.name),
            m.text,
            ...(actions && m.from.id !== actions.me() ? [lineButtons(m, actions)] : []),
          ),
        ),
      );
      messages.scrollTop = messages.scrollHeight;
    },
  };
}

function lineButtons(line: ChatMessage, actions: LineActions): HTMLElement {
  const button = (label: string, run: () => void) =>
    h("button", { class: "link", type: "button", name: label.toLowerCase(), on: { click: run } }, label);
  return h(
    "span",
    { class: "line-actions" },
    button("Report", () => actions.report(line)),
    button("Ignore", () => actions.ignore(line)),
  );
}
