// Admin order page: the status change. On success the new status shows at once, with a link to the
// audit records of this change (found by the request's correlation id).
"use strict";

(() => {
  const form = document.querySelector("form.status-form");
  if (!form) return;

  function say(selector, text) {
    const box = form.querySelector(selector);
    box.textContent = text;
    box.hidden = !text;
  }

  form.addEventListener("submit", async (event) => {
    event.preventDefault();
    const button = form.querySelector("[type=submit]");
    if (button.disabled) return;
    say("[data-form-error]", "");
    say("[data-form-status]", "");
    button.disabled = true;
    const body = { status: form.elements.status.value };
    if (form.elements.reason.value.trim()) body.reason = form.elements.reason.value.trim();
    const path = `/bff/admin/orders/${encodeURIComponent(form.dataset.orderId)}/status`;
    let response;
    try {
      response = await xshop.bff("PATCH", path, body);
    } catch (_) {
      say("[data-form-error]", "The shop could not be reached. Please try again.");
      button.disabled = false;
      return;
    }
    if (!response.ok) {
      const problem = await response.json().catch(() => ({}));
      say("[data-form-error]", problem.detail || "The status could not be changed.");
      button.disabled = false;
      return;
    }
    const order = await response.json();
    document.querySelector("[data-order-status]").textContent = order.status;
    const status = form.querySelector("[data-form-status]");
    status.textContent = `Status changed to ${order.status}. `;
    const correlation = response.headers.get("x-correlation-id");
    if (correlation) {
      const link = document.createElement("a");
      link.href = `/admin/audit?correlationId=${encodeURIComponent(correlation)}`;
      link.textContent = "See the audit records of this change";
      status.append(link);
    }
    status.hidden = false;
    button.disabled = false;
  });
})();
