"""The orders service: carts, checkout, orders and their history."""
