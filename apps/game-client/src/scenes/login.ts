import { attempt, h } from "../ui/dom.js";
import { BaseScene, CONTENT_WIDTH } from "./base.js";

export class LoginScene extends BaseScene {
  constructor() {
    super("login");
  }

  create(): void {
    this.backdrop("RALLY", "Lobbies, friends and games — sign in to play");
    const title = this.add
      .text(CONTENT_WIDTH / 2 + 150, 200, "READY UP", {
        fontFamily: "Trebuchet MS",
        fontSize: "64px",
        fontStyle: "bold",
        color: "#46d3ff",
      })
      .setOrigin(0.5)
      .setAlpha(0.15);
    this.tweens.add({ targets: title, scale: 1.06, duration: 1800, yoyo: true, repeat: -1 });

    const error = h("div", { class: "error", role: "alert" });
    const username = h("input", {
      name: "username",
      autocomplete: "username",
      maxLength: 20,
    }) as HTMLInputElement;
    const password = h("input", {
      name: "password",
      type: "password",
      autocomplete: "current-password",
    }) as HTMLInputElement;
    const submit = (action: "login" | "register") =>
      attempt(() => this.net[action](username.value.trim(), password.value), error);
    const form = h(
      "form",
      {
        class: "panel",
        on: {
          submit: (e) => {
            e.preventDefault();
            void submit("login");
          },
        },
      },
      h("h2", {}, "Sign in"),
      h("label", { for: "username" }, "Username"),
      username,
      h("label", {}, "Password"),
      password,
      h(
        "div",
        { class: "row", style: "margin-top:16px" },
        h("button", { class: "btn grow", type: "submit", name: "signin" }, "Sign in"),
        h(
          "button",
          {
            class: "btn cool grow",
            type: "button",
            name: "register",
            on: { click: () => void submit("register") },
          },
          "Register",
        ),
      ),
      error,
    );
    for (const input of [username, password]) input.style.width = "100%";
    // Signed out by the server (a ban): say why before anything else is tried.
    this.watch(["signedOutBecause"], () => {
      if (this.net.state.signedOutBecause) error.textContent = this.net.state.signedOutBecause;
    });
    this.panel(CONTENT_WIDTH / 2 - 190, 230, 380, 300, form);
    username.focus();
  }
}
