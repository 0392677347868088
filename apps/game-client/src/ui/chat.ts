import { type ChatMessage, Limits } from "@rally/protocol";
import { attempt, clear, h, time } from "./dom.js";

/** A chat panel: history, and an input where Enter sends, with a counter near the length limit. */
export function chatBox(
  name: string,
  send: (text: string) => Promise<void>,
  toast: (text: string) => void,
  myName: () => string | undefined,
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
              class: `message ${me && m.text.toLowerCase().includes(me) && m.from.name.toLowerCase() !== me ? "mention" : ""}`,
            },
            h("time", {}, time(m.at)),
            h("span", { class: "from" }, m.from.name),
            h("span", { class: "text" }, m.text),
          ),
        ),
      );
      messages.scrollTop = messages.scrollHeight;
    },
  };
}
