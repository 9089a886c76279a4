"""Stock status as listings show it (DESIGN §8)."""

from enum import StrEnum


class StockStatus(StrEnum):
    IN_STOCK = "in_stock"
    LOW_STOCK = "low_stock"
    OUT_OF_STOCK = "out_of_stock"


def stock_status(available: int, low_stock_threshold: int) -> StockStatus:
    if available <= 0:
        return StockStatus.OUT_OF_STOCK
    if available <= low_stock_threshold:
        return StockStatus.LOW_STOCK
    return StockStatus.IN_STOCK
