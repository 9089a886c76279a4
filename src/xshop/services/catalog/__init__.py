"""Catalog service (port 3005): owns products, their stock and stock reservations; publishes
``product.*`` and ``inventory.stock.updated`` events."""
