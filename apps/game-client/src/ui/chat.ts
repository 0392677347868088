import type { ChatMessage } from "@rally/protocol";
import { attempt, clear, h, time } from "./dom.js";

/** A chat panel: history, and an input where Enter sends. */
export function chatBox(name: string, send: (text: string) => Promise<void>, toast: (text: string) => void) {
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
            { class: "message" },
            h("time", {}, time(m.at)),
            h("span", { class: "from" }, m.from.name),
            m.text,
          ),
        ),
      );
      messages.scrollTop = messages.scrollHeight;
    },
  };
}
