import { attempt, h } from "../ui/dom.js";
import { BaseScene, FONT } from "./base.js";

export class LoginScene extends BaseScene {
  constructor() {
    super("login");
  }

  create(): void {
    const { width, height } = this.scale.gameSize;
    const title = this.add
      .text(width / 2, height * 0.2, "READY UP", {
        fontFamily: FONT,
        fontSize: "96px",
        fontStyle: "800",
        color: "#46d3ff",
      })
      .setOrigin(0.5)
      .setAlpha(0.12);
    this.tweens.add({ targets: title, scale: 1.06, duration: 1800, yoyo: true, repeat: -1 });

    const error = h("div", { class: "error", role: "alert" });
    const username = h("input", {
      name: "username",
      id: "username",
      autocomplete: "username",
      maxLength: 20,
    }) as HTMLInputElement;
    const password = h("input", {
      name: "password",
      id: "password",
      type: "password",
      autocomplete: "current-password",
    }) as HTMLInputElement;
    const register = h(
      "button",
      { class: "btn cool grow", type: "button", name: "register" },
      "Register",
    ) as HTMLButtonElement;
    const signin = h(
      "button",
      { class: "btn grow", type: "submit", name: "signin" },
      "Sign in",
    ) as HTMLButtonElement;
    const submit = (action: "login" | "register") => {
      register.classList.remove("hint");
      if (!username.value.trim() || !password.value) {
        error.textContent = "Enter your username and password.";
        (username.value.trim() ? password : username).focus();
        return;
      }
      signin.disabled = register.disabled = true;
      void attempt(() => this.net[action](username.value.trim(), password.value), error).then((done) => {
        signin.disabled = register.disabled = false;
        // An unknown name may simply be a new player: point at Register.
        if (!done && action === "login" && error.textContent?.includes("Register"))
          register.classList.add("hint");
      });
    };
    register.addEventListener("click", () => submit("register"));
    for (const input of [username, password]) input.addEventListener("input", () => (error.textContent = ""));
    const form = h(
      "form",
      {
        class: "panel login",
        on: {
          submit: (e) => {
            e.preventDefault();
            submit("login");
          },
        },
      },
      h("div", { class: "brand big" }, "RALLY"),
      h("p", { class: "sub" }, "Lobbies, friends and games — sign in to play"),
      h("label", { for: "username" }, "Username"),
      username,
      h("label", { for: "password" }, "Password"),
      password,
      h("div", { class: "row", style: "margin-top:18px" }, signin, register),
      error,
    );
    this.mount("login", form);
    username.focus();
  }
}
