// "Add to cart" on product pages: the BFF sets a line's quantity, so the current one is read first.
"use strict";

document.addEventListener("submit", async (event) => {
  const form = event.target;
  if (!(form instanceof HTMLFormElement) || form.dataset.cartAdd === undefined) return;
  event.preventDefault();
  const button = form.querySelector("[type=submit]");
  const productId = form.dataset.productId;
  const wanted = Number.parseInt(form.elements.quantity.value, 10);
  xshop.setFieldError(form, "quantity", "");
  xshop.setFormMessage(form, "[data-form-error]", "");
  xshop.setFormMessage(form, "[data-form-status]", "");
  if (!Number.isInteger(wanted) || wanted < 1) {
    xshop.setFieldError(form, "quantity", "Choose a quantity of at least 1.");
    return;
  }
  button.disabled = true;
  try {
    const cart = await xshop.bff("GET", "/bff/cart");
    const lines = cart.ok ? (await cart.json()).lines : [];
    const line = lines.find((item) => item.productId === productId);
    const quantity = (line ? line.quantity : 0) + wanted;
    const path = "/bff/cart/items/" + encodeURIComponent(productId);
    const answer = await xshop.bff("PUT", path, { quantity });
    const body = await answer.json();
    if (answer.ok) {
      xshop.setFormMessage(form, "[data-form-status]", `Added to your cart (${quantity} in cart).`);
      document.querySelectorAll("[data-cart-count]").forEach((badge) => {
        badge.textContent = String(body.itemCount);
      });
    } else {
      const message = (body.errors || []).map((e) => e.message).join(" ") || body.detail;
      xshop.setFormMessage(form, "[data-form-error]", message);
    }
  } catch (_) {
    xshop.setFormMessage(form, "[data-form-error]", "The shop could not be reached. Please try again.");
  } finally {
    button.disabled = false;
  }
});
