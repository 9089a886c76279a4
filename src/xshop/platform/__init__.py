"""Cross-cutting building blocks shared by every service. Holds no domain logic."""
