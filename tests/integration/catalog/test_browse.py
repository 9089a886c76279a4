"""Acceptance 1 (and 2's listing half): search, every filter, every sort and pagination return the
right products in the right order, with stable pages across equal sort keys; bad parameters are 400.
Each test asks within its own namespace (``Catalogue.scoped``), so the answers are exact on a shared shop
too."""

import pytest

from tests.integration.catalog.support import Catalogue, assert_problem, ids_of

NAME_ORDER = ("B", "F", "C", "E", "G", "A", "D", "I")


@pytest.mark.parametrize(
    ("params", "letters"),
    [
        ({}, NAME_ORDER),
        ({"q": "mug"}, ("B", "G", "A", "F", "D")),
        ({"q": "  MuG "}, ("B", "G", "A", "F", "D")),
        ({"q": "coffee"}, ("C", "A", "D")),
        ({"q": "ceramic"}, ("B", "A")),
        ({"q": "STRASSE"}, ("I",)),
        ({"q": "straße"}, ("I",)),
        ({"q": "100%"}, ("G",)),
        ({"q": "_"}, ()),
        ({"q": "hidden"}, ()),
        ({"category": "kitchen"}, ("B", "C", "E", "A")),
        ({"category": "KITCHEN"}, ("B", "C", "E", "A")),
        ({"category": "books"}, ("G", "I")),
        ({"category": "garden"}, ()),
        ({"tags": "steel"}, ("F", "D")),
        ({"tags": "steel,travel"}, ("F", "D", "I")),
        ({"tags": " Travel , fiction,"}, ("G", "D", "I")),
        ({"minPrice": "12"}, ("B", "F", "C", "E", "A", "D", "I")),
        ({"maxPrice": "12.00"}, ("B", "E", "G", "A")),
        ({"minPrice": "12.00", "maxPrice": "19.99"}, ("B", "E", "A", "D", "I")),
        ({"minPrice": "19.99", "maxPrice": "19.99"}, ("D",)),
        ({"inStock": "true"}, ("F", "C", "E", "G", "A", "D", "I")),
        ({"inStock": "false"}, ("B",)),
        ({"q": "mug", "category": "kitchen", "inStock": "true"}, ("A",)),
        ({"sort": "name"}, NAME_ORDER),
        ({"sort": "relevance"}, NAME_ORDER),
        ({"sort": "newest"}, ("I", "G", "F", "E", "D", "C", "B", "A")),
        ({"q": "coffee", "sort": "newest"}, ("D", "C", "A")),
    ],
)
@pytest.mark.any_runtime
async def test_search_filters_and_sorts_give_exactly_these_products(
    shop, catalogue: Catalogue, params, letters
):
    response = await shop.bff.get("/bff/products", params={"pageSize": 100, **catalogue.scoped(params)})
    assert ids_of(response) == catalogue.ids(*letters)
    assert response.json()["totalItems"] == len(letters)


@pytest.mark.any_runtime
async def test_price_sorts_break_equal_prices_by_id(shop, catalogue: Catalogue):
    everything = ("A", "B", "C", "D", "E", "F", "G", "I")
    ascending = await shop.bff.get("/bff/products", params=catalogue.scoped({"sort": "price_asc"}))
    assert ids_of(ascending) == catalogue.by_price_then_id(*everything)
    descending = await shop.bff.get("/bff/products", params=catalogue.scoped({"sort": "price_desc"}))
    assert ids_of(descending) == catalogue.by_price_then_id(*everything, descending=True)


@pytest.mark.parametrize(("sort", "descending"), [("price_asc", False), ("price_desc", True)])
@pytest.mark.parametrize("page_size", [2, 3])
@pytest.mark.any_runtime
async def test_pages_split_equal_sort_keys_stably(shop, catalogue: Catalogue, sort, descending, page_size):
    expected = catalogue.by_price_then_id("A", "B", "C", "D", "E", "F", "G", "I", descending=descending)
    pages = []
    total_pages = -(-len(expected) // page_size)
    for page in range(1, total_pages + 2):
        params = catalogue.scoped({"sort": sort, "pageSize": page_size, "page": page})
        first = await shop.bff.get("/bff/products", params=params)
        async with shop.client("catalog") as catalog:  # uncached: the database's own order
            assert ids_of(await catalog.get("/api/products", params=params)) == ids_of(first)
        body = first.json()
        assert (body["page"], body["pageSize"], body["totalItems"], body["totalPages"]) == (
            page,
            page_size,
            len(expected),
            total_pages,
        )
        assert (body["hasPrevious"], body["hasNext"]) == (page > 1, page < total_pages)
        pages.append(ids_of(first))
    assert pages[-1] == []
    assert [product for page in pages for product in page] == expected


@pytest.mark.any_runtime
async def test_the_service_answers_the_same_as_the_bff(shop, catalogue: Catalogue):
    params = catalogue.scoped({"q": "mug", "sort": "price_desc", "pageSize": 3})
    async with shop.client("catalog") as catalog:
        direct = await catalog.get("/api/products", params=params)
    through_bff = await shop.bff.get("/bff/products", params=params)
    assert direct.json() == through_bff.json()
    assert ids_of(direct) == catalogue.by_price_then_id("A", "B", "D", "F", "G", descending=True)[:3]


@pytest.mark.any_runtime
async def test_a_listing_shows_price_as_a_string_and_stock_status_but_no_stock_internals(shop, catalogue):
    [item] = (await shop.bff.get("/bff/products", params=catalogue.scoped({"q": "grinder"}))).json()["items"]
    assert item == {
        "id": catalogue.by_letter["C"],
        "sku": catalogue.sku("C"),
        "name": "Coffee Grinder",
        "price": "45.50",
        "currency": "USD",
        "category": catalogue.category("kitchen"),
        "tags": [catalogue.tag("coffee"), catalogue.tag("electric")],
        "imageUrls": [],
        "stock": {"available": 3, "status": "low_stock"},
    }


@pytest.mark.any_runtime
async def test_product_details_show_description_price_status_and_available_quantity(shop, catalogue):
    response = await shop.bff.get(f"/bff/products/{catalogue.by_letter['D']}")
    assert response.status_code == 200
    product = response.json()
    assert product["description"] == "Keeps coffee hot; fits every mug holder."
    assert (product["price"], product["stock"]) == ("19.99", {"available": 25, "status": "in_stock"})
    assert {"createdAt", "updatedAt"} <= set(product)
    assert "isActive" not in product and "onHand" not in product["stock"]
    sold_out = (await shop.bff.get(f"/bff/products/{catalogue.by_letter['B']}")).json()
    assert sold_out["stock"] == {"available": 0, "status": "out_of_stock"}


@pytest.mark.any_runtime
async def test_categories_count_active_products(shop, catalogue):
    response = await shop.bff.get("/bff/categories")
    assert response.status_code == 200
    assert catalogue.own_categories(response.json()) == {
        "items": [
            {"category": catalogue.category("books"), "count": 2},
            {"category": catalogue.category("kitchen"), "count": 4},
            {"category": catalogue.category("outdoor"), "count": 2},
        ]
    }


async def test_an_empty_catalogue_lists_nothing(shop):  # a fresh shop's: embedded only
    body = (await shop.bff.get("/bff/products")).json()
    assert body == {
        "items": [],
        "page": 1,
        "pageSize": 20,
        "totalItems": 0,
        "totalPages": 0,
        "hasPrevious": False,
        "hasNext": False,
    }
    assert (await shop.bff.get("/bff/categories")).json() == {"items": []}


@pytest.mark.parametrize(
    ("params", "field"),
    [
        ({"page": "0"}, "page"),
        ({"page": "1000001"}, "page"),
        ({"page": "99999999999999999999"}, "page"),
        ({"page": "two"}, "page"),
        ({"pageSize": "0"}, "pageSize"),
        ({"pageSize": "101"}, "pageSize"),
        ({"minPrice": "-1"}, "minPrice"),
        ({"maxPrice": "-0.01"}, "maxPrice"),
        ({"minPrice": "abc"}, "minPrice"),
        ({"minPrice": "1.234"}, "minPrice"),
        ({"minPrice": "NaN"}, "minPrice"),
        ({"maxPrice": "1e400"}, "maxPrice"),
        ({"minPrice": "20", "maxPrice": "10"}, "minPrice"),
        ({"sort": "cheapest"}, "sort"),
        ({"inStock": "maybe"}, "inStock"),
        ({"q": "x" * 101}, "q"),
        ({"category": "c" * 51}, "category"),
        ({"tags": ",".join(f"t{i}" for i in range(21))}, "tags"),
    ],
)
@pytest.mark.any_runtime
async def test_bad_parameters_are_400_never_500(shop, params, field):
    for client, path in ((shop.bff, "/bff/products"), (shop.client("catalog"), "/api/products")):
        response = await client.get(path, params=params)
        problem = assert_problem(response, 400, "VALIDATION_FAILED")
        assert field in {error["field"] for error in problem["errors"]}, problem


@pytest.mark.any_runtime
async def test_unknown_and_inactive_products_are_404(shop, catalogue):
    for product_id in ("no-such-product", catalogue.by_letter["H"], "x" * 64):
        assert_problem(await shop.bff.get(f"/bff/products/{product_id}"), 404, "NOT_FOUND")
    too_long = await shop.bff.get(f"/bff/products/{'x' * 65}")
    assert_problem(too_long, 400, "VALIDATION_FAILED")
    traversal = await shop.bff.get("/bff/products/..%2Fadmin%2Fproducts")
    assert traversal.status_code == 404
