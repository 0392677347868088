import type { Net } from "../net/client.js";
import type { LineActions } from "./chat.js";
import { dialog } from "./dialog.js";
import { attempt, h } from "./dom.js";

/** Report (with a reason, to the admins) and Ignore, for other players' chat lines. */
export function lineActions(net: Net): LineActions {
  return {
    report: (line) => {
      const reason = h("input", {
        name: "report-reason",
        maxLength: 200,
        required: true,
      }) as HTMLInputElement;
      dialog(
        `Report ${line.from.name}`,
        [h("p", { class: "dialog-text" }, `“${line.text}”`), h("label", {}, "Why?"), reason],
        "Report",
        async () => {
          await net.game.reportLine(line.id, reason.value.trim());
          net.toast("Thanks: an admin will look at it", "good");
        },
      );
    },
    ignore: (line) =>
      void attempt(
        async () => {
          await net.ignore(line.from.id);
          net.toast(`You no longer see ${line.from.name}'s messages`, "good");
        },
        undefined,
        (text) => net.toast(text, "bad"),
      ),
  };
}
