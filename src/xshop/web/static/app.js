// Talks to the BFF on this origin (/bff/*): JSON, the CSRF double submit of DESIGN §6, one quiet
// session refresh on 401, and problem+json errors shown on the fields they name.
"use strict";

const xshop = (() => {
  const QUIET = new Set([
    "/bff/auth/login", "/bff/auth/register", "/bff/auth/refresh", "/bff/auth/logout",
    "/bff/auth/password/forgot", "/bff/auth/password/reset", "/bff/auth/email/resend",
  ]);

  function cookie(name) {
    const found = document.cookie.split("; ").find((item) => item.startsWith(name + "="));
    return found ? decodeURIComponent(found.slice(name.length + 1)) : null;
  }

  function send(method, path, body, headers) {
    const sent = Object.assign({ Accept: "application/json" }, headers || {});
    if (body !== undefined) sent["Content-Type"] = "application/json";
    const csrf = cookie("csrfToken");
    if (method !== "GET" && csrf) sent["X-CSRF-Token"] = csrf;
    return fetch(path, {
      method, headers: sent, credentials: "same-origin",
      body: body === undefined ? undefined : JSON.stringify(body),
    });
  }

  function toLogin() {
    const next = location.pathname + location.search;
    location.assign("/login?next=" + encodeURIComponent(next));
  }

  // Resolves to the response; a session that cannot be refreshed sends the user to sign in and
  // never resolves, so callers do not flash an error on the way out.
  async function bff(method, path, body, headers) {
    let response = await send(method, path, body, headers);
    if (response.status !== 401 || QUIET.has(path)) return response;
    if (cookie("csrfToken")) {
      const refreshed = await send("POST", "/bff/auth/refresh");
      if (refreshed.ok) response = await send(method, path, body, headers);
      if (response.status !== 401) return response;
    }
    toLogin();
    return new Promise(() => {});
  }

  async function problemOf(response) {
    try {
      return await response.json();
    } catch (_) {
      return { detail: "Something went wrong. Please try again." };
    }
  }

  function fieldOf(form, name) {
    return form.querySelector(`[name="${CSS.escape(name)}"]`);
  }

  function setFieldError(form, name, message) {
    const input = fieldOf(form, name);
    const slot = form.querySelector(`[data-error-for="${CSS.escape(name)}"]`);
    if (!input || !slot) return false;
    slot.textContent = message || "";
    if (message) input.setAttribute("aria-invalid", "true");
    else input.removeAttribute("aria-invalid");
    return true;
  }

  function setFormMessage(form, selector, message) {
    const box = form.querySelector(selector);
    if (!box) return;
    box.textContent = message || "";
    box.hidden = !message;
  }

  function clearErrors(form) {
    form.querySelectorAll("[data-error-for]").forEach((slot) => setFieldError(form, slot.dataset.errorFor, ""));
    setFormMessage(form, "[data-form-error]", "");
    setFormMessage(form, "[data-form-status]", "");
  }

  function focusFirstInvalid(form) {
    const first = form.querySelector("[aria-invalid='true']");
    if (first) first.focus();
  }

  function showProblem(form, problem) {
    const byCode = Object.fromEntries(
      (form.dataset.codes || "").split(/\s+/).filter(Boolean).map((pair) => pair.split(":")),
    );
    const unplaced = [];
    for (const error of problem.errors || []) {
      if (!setFieldError(form, error.field, error.message)) unplaced.push(error.message);
    }
    if (!(problem.errors || []).length && byCode[problem.code]) {
      setFieldError(form, byCode[problem.code], problem.detail);
    } else if (unplaced.length || !(problem.errors || []).length) {
      setFormMessage(form, "[data-form-error]", [problem.detail, ...unplaced].filter(Boolean).join(" "));
    }
    focusFirstInvalid(form);
  }

  function bodyOf(form) {
    const body = {};
    for (const input of form.elements) {
      if (!input.name || input.dataset.local !== undefined) continue;
      if (form.dataset.changedOnly !== undefined && input.value === input.defaultValue) continue;
      let value = input.type === "checkbox" ? input.checked : input.value.trim();
      if (input.type === "password") value = input.value;
      if (value === "" && input.dataset.optional !== undefined) continue;
      if (input.dataset.type === "int") value = Number.parseInt(value, 10);
      const path = input.name.split(".");
      let target = body;
      for (const key of path.slice(0, -1)) target = target[key] = target[key] || {};
      target[path[path.length - 1]] = value;
    }
    return body;
  }

  function fill(template, ...sources) {
    return template.replace(/\{(\w+)\}/g, (_, key) => {
      const source = sources.find((item) => item && item[key] !== undefined);
      return encodeURIComponent(source ? source[key] : "");
    });
  }

  const validators = {};

  // crypto.randomUUID needs a secure context; getRandomValues works on plain http too.
  function newKey() {
    const bytes = crypto.getRandomValues(new Uint8Array(16));
    return Array.from(bytes, (b) => b.toString(16).padStart(2, "0")).join("");
  }

  async function submit(form, event) {
    event.preventDefault();
    const button = form.querySelector("[type=submit]");
    if (button && button.disabled) return;
    clearErrors(form);
    const check = validators[form.dataset.validate];
    if (check && !check(form)) {
      focusFirstInvalid(form);
      return;
    }
    if (button) button.disabled = true;
    const headers = {};
    if (form.dataset.idempotencyKey) headers["Idempotency-Key"] = form.dataset.idempotencyKey;
    const values = bodyOf(form);
    let response;
    try {
      response = await bff(form.dataset.method || "POST", form.dataset.path, values, headers);
    } catch (_) {
      setFormMessage(form, "[data-form-error]", "The shop could not be reached. Please try again.");
      if (button) button.disabled = false;
      return;
    }
    if (response.ok) {
      const answer = response.status === 204 ? {} : await response.json();
      if (form.dataset.next) {
        location.assign(fill(form.dataset.next, answer, values));
        return;
      }
      if (form.dataset.reload !== undefined) {
        location.reload();
        return;
      }
      setFormMessage(form, "[data-form-status]", form.dataset.done || answer.message || "Done.");
      if (button) button.disabled = false;
      return;
    }
    // A refused request is final, so a retry is a new attempt with a new idempotency key.
    if (form.dataset.idempotencyKey) form.dataset.idempotencyKey = newKey();
    showProblem(form, await problemOf(response));
    if (button) button.disabled = false;
  }

  document.addEventListener("submit", (event) => {
    const form = event.target;
    if (form instanceof HTMLFormElement && form.dataset.path) submit(form, event);
  });

  return { bff, cookie, setFieldError, setFormMessage, validators };
})();
