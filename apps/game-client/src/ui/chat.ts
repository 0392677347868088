import { type ChatMessage, Limits } from "@rally/protocol";
import { attempt, clear, h, time } from "./dom.js";

/** What a player can do about someone else's line. */
export interface LineActions {
  report: (line: ChatMessage) => void;
  ignore: (line: ChatMessage) => void;
}

/**
 * A chat panel: history, and an input where Enter sends, with a counter near the length limit.
 * Other players' lines can be reported or their author ignored.
 */
export function chatBox(
  name: string,
  send: (text: string) => Promise<void>,
  toast: (text: string) => void,
  myName: () => string | undefined,
  actions?: LineActions,
) {
  const messages = h("div", { class: "messages", role: "log", "aria-live": "polite" });
  const input = h("input", {
    name,
    class: "grow",
    maxLength: Limits.chatMax,
    placeholder: "Say something… (Enter to send)",
    autocomplete: "off",
  }) as HTMLInputElement;
  const counter = h("span", { class: "counter", "data-counter": name });
  const count = () => {
    const used = input.value.length;
    counter.textContent = `${used}/${Limits.chatMax}`;
    counter.classList.toggle("show", used >= Limits.chatMax - 60);
    counter.classList.toggle("full", used >= Limits.chatMax);
  };
  input.addEventListener("input", count);
  let sending = false;
  const submit = () => {
    const text = input.value.trim();
    if (!text || sending) return;
    sending = true;
    void attempt(
      async () => {
        await send(text);
        input.value = "";
        count();
      },
      undefined,
      toast,
    ).finally(() => {
      sending = false;
    });
  };
  input.addEventListener("keydown", (event) => {
    if (event.key === "Enter") submit();
  });
  count();
  const element = h(
    "div",
    { class: "chat", "data-chat": name },
    h("h2", {}, "Chat"),
    messages,
    h(
      "div",
      { class: "row chat-input" },
      input,
      counter,
      h(
        "button",
        { class: "btn small", type: "button", name: `${name}-send`, on: { click: submit } },
        "Send",
      ),
    ),
  );
  return {
    element,
    render(list: ChatMessage[], empty: string) {
      if (list.length === 0) return clear(messages, h("div", { class: "empty" }, empty));
      const me = myName()?.toLowerCase();
      clear(
        messages,
        ...list.map((m) =>
          h(
            "div",
            {
              "data-message": m.id,
              class: `message ${me && m.text.toLowerCase().includes(me) && m.from.name.toLowerCase() !== me ? "mention" : ""}`,
            },
            h("time", {}, time(m.at)),
            h("span", { class: "from" }, m.from.name),
            h("span", { class: "text" }, m.text),
            ...(actions && m.from.name.toLowerCase() !== me ? [lineButtons(m, actions)] : []),
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
