"""Composition roots: the only places that know every service and wire them together."""
