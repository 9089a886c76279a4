"""Request and response models of the product API (camelCase on the wire; prices as "19.99")."""

from datetime import datetime
from decimal import Decimal
from typing import Annotated, Any, Self

from pydantic import (
    AfterValidator,
    Field,
    StrictBool,
    StrictInt,
    StrictStr,
    field_validator,
    model_validator,
)
from pydantic_core import PydanticCustomError

from xshop.platform.schemas import CamelModel, Money, RequestModel
from xshop.services.catalog import validation
from xshop.services.catalog.models import Product
from xshop.services.catalog.stock import StockStatus

MAX_QUANTITY = 1_000_000_000


PriceIn = Annotated[Decimal, Field(allow_inf_nan=False), AfterValidator(validation.clean_price)]
Quantity = Annotated[StrictInt, Field(ge=0, le=MAX_QUANTITY)]
Sku = Annotated[StrictStr, AfterValidator(validation.clean_sku)]
Name = Annotated[StrictStr, AfterValidator(validation.clean_name)]
Description = Annotated[StrictStr, AfterValidator(validation.clean_description)]
Currency = Annotated[StrictStr, AfterValidator(validation.clean_currency)]
Category = Annotated[StrictStr, AfterValidator(validation.clean_category)]
Tags = Annotated[list[StrictStr], Field(max_length=50), AfterValidator(validation.clean_tags)]
ImageUrls = Annotated[list[StrictStr], AfterValidator(validation.clean_image_urls)]


class ProductCreate(RequestModel):
    sku: Sku
    name: Name
    description: Description = ""
    price: PriceIn
    currency: Currency = "USD"
    category: Category
    tags: Tags = []
    image_urls: ImageUrls = []
    is_active: StrictBool = True
    on_hand: Quantity = 0
    low_stock_threshold: Quantity = 5


class ProductUpdate(RequestModel):
    """Only the fields sent change. Stock has its own operation (``PATCH …/stock``)."""

    sku: Sku | None = None
    name: Name | None = None
    description: Description | None = None
    price: PriceIn | None = None
    currency: Currency | None = None
    category: Category | None = None
    tags: Tags | None = None
    image_urls: ImageUrls | None = None
    is_active: StrictBool | None = None
    low_stock_threshold: Quantity | None = None

    @field_validator("*", mode="before")
    @classmethod
    def _not_null(cls, value: Any) -> Any:
        if value is None:
            raise PydanticCustomError("null", "May not be null; leave the field out to keep its value.")
        return value

    @model_validator(mode="after")
    def _not_empty(self) -> Self:
        if not self.model_fields_set:
            raise PydanticCustomError("empty", "Send at least one field to change.")
        return self

    def changes(self) -> dict[str, Any]:
        return {name: getattr(self, name) for name in self.model_fields_set}


class StockUpdate(RequestModel):
    """Either the counted quantity (``onHand``) or a correction (``delta``), always with a reason."""

    on_hand: Quantity | None = None
    delta: Annotated[StrictInt, Field(ge=-MAX_QUANTITY, le=MAX_QUANTITY)] | None = None
    reason: Annotated[StrictStr, AfterValidator(validation.clean_reason)]

    @model_validator(mode="after")
    def _one_of(self) -> Self:
        if (self.on_hand is None) == (self.delta is None):
            raise PydanticCustomError("one_of", "Send exactly one of onHand and delta.")
        if self.delta == 0:
            raise PydanticCustomError("zero", "delta must not be 0.")
        return self


class PublicStock(CamelModel):
    available: int
    status: StockStatus


class AdminStock(PublicStock):
    on_hand: int
    reserved: int
    low_stock_threshold: int


class ProductSummary(CamelModel):
    """A product as listings show it."""

    id: str
    sku: str
    name: str
    price: Money
    currency: str
    category: str
    tags: list[str]
    image_urls: list[str]
    stock: PublicStock

    @classmethod
    def of(cls, product: Product) -> Self:
        return cls.model_validate(_fields(product) | {"stock": _public_stock(product)})


class ProductDetail(ProductSummary):
    description: str
    created_at: datetime
    updated_at: datetime

    @classmethod
    def of(cls, product: Product) -> Self:
        return cls.model_validate(_fields(product) | _details(product) | {"stock": _public_stock(product)})


class ProductAdmin(ProductDetail):
    is_active: bool
    stock: AdminStock

    @classmethod
    def of(cls, product: Product) -> Self:
        stock = AdminStock(
            available=product.available,
            status=product.stock_status,
            on_hand=product.on_hand,
            reserved=product.reserved,
            low_stock_threshold=product.low_stock_threshold,
        )
        return cls.model_validate(
            _fields(product) | _details(product) | {"is_active": product.is_active, "stock": stock}
        )


class CategoryCount(CamelModel):
    category: str
    count: int = Field(description="Active products in the category.")


class CategoryList(CamelModel):
    items: list[CategoryCount]


def _fields(product: Product) -> dict[str, Any]:
    return {
        "id": product.id,
        "sku": product.sku,
        "name": product.name,
        "price": product.price,
        "currency": product.currency,
        "category": product.category,
        "tags": product.tag_names,
        "image_urls": list(product.image_urls),
    }


def _details(product: Product) -> dict[str, Any]:
    return {
        "description": product.description,
        "created_at": product.created_at,
        "updated_at": product.updated_at,
    }


def _public_stock(product: Product) -> PublicStock:
    return PublicStock(available=max(product.available, 0), status=product.stock_status)
