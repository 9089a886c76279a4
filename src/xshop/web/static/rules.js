// The registration rules of DESIGN §6, checked as the user types, with the server's own wording.
// The server checks them again; this only saves a round trip.
"use strict";

(() => {
  const NAME = /^[\p{L} \-'.\u2019]*$/u;
  const PHONE = /^\+?[0-9 \-().]*$/;
  const EMAIL = /^[^\s@]+@[^\s@]+\.[^\s@]+$/;

  function length(value, low, high, what) {
    if (value.length < low) return `${what} must be at least ${low} characters.`;
    if (value.length > high) return `${what} must be at most ${high} characters.`;
    return "";
  }

  function name(value, low, what) {
    return length(value, low, 50, what)
      || (NAME.test(value) ? "" : `${what} may contain only letters, spaces, hyphens, apostrophes and periods.`)
      || (value && !/\p{L}/u.test(value) ? `${what} must contain a letter.` : "");
  }

  function password(value) {
    return length(value, 6, 25, "Password")
      || (new TextEncoder().encode(value).length > 72 ? "Password must be at most 72 bytes in UTF-8." : "")
      || (/\p{L}/u.test(value) ? "" : "Password must contain at least one letter.")
      || (/[0-9]/.test(value) ? "" : "Password must contain at least one digit.");
  }

  const RULES = {
    firstName: (v) => name(v.trim(), 2, "First name"),
    lastName: (v) => name(v.trim(), 0, "Last name"),
    email: (v) => length(v.trim(), 5, 100, "Email") || (EMAIL.test(v.trim()) ? "" : "Email is not a valid address."),
    phoneNumber: (v) => {
      const value = v.trim();
      if (!value) return "";
      const digits = (value.match(/[0-9]/g) || []).length;
      return length(value, 7, 20, "Phone number")
        || (PHONE.test(value) ? "" : "Phone number may contain digits, spaces, - ( ) . and a leading +.")
        || (digits >= 7 && digits <= 15 ? "" : "Phone number must have between 7 and 15 digits.");
    },
    password,
    newPassword: password,
  };

  function confirmRule(form, input) {
    const original = form.elements[input.dataset.confirms];
    return original && input.value !== original.value ? "Passwords do not match." : "";
  }

  function check(form, input) {
    const rule = input.dataset.confirms ? () => confirmRule(form, input) : RULES[input.name];
    if (!rule) return true;
    const message = rule(input.value);
    xshop.setFieldError(form, input.name, message);
    return !message;
  }

  function strength(value) {
    let score = 0;
    if (value.length >= 8) score += 1;
    if (value.length >= 12) score += 1;
    if (/[a-z]/.test(value) && /[A-Z]/.test(value)) score += 1;
    if (/[0-9]/.test(value) && /\p{L}/u.test(value)) score += 1;
    if (/[^\p{L}0-9]/u.test(value)) score += 1;
    return Math.min(score, 4);
  }

  const WORDS = ["too weak", "weak", "fair", "good", "strong"];

  function showStrength(form, input) {
    const meter = form.querySelector(`[data-strength-for="${input.name}"]`);
    if (!meter) return;
    const score = input.value ? strength(input.value) : 0;
    meter.value = score;
    const text = form.querySelector(`[data-strength-text-for="${input.name}"]`);
    text.textContent = input.value ? `Password strength: ${WORDS[score]}` : "";
  }

  function watched(form) {
    return Array.from(form.elements).filter((input) => RULES[input.name] || input.dataset.confirms);
  }

  function bind(form) {
    for (const input of watched(form)) {
      const recheck = () => {
        check(form, input);
        showStrength(form, input);
        const confirm = form.querySelector(`[data-confirms="${input.name}"]`);
        if (confirm && confirm.value) check(form, confirm);
      };
      input.addEventListener("input", recheck);
      input.addEventListener("blur", recheck);
    }
  }

  xshop.validators.rules = (form) => watched(form).map((input) => check(form, input)).every(Boolean);
  document.querySelectorAll("form[data-validate='rules']").forEach(bind);
})();
