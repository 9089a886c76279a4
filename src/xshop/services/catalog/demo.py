"""A realistic demo catalogue, generated the same way every time: 240 products in 10 categories with
believable names, descriptions, prices and tags, some sold out, some low on stock, a few inactive."""

import random
from dataclasses import dataclass
from decimal import Decimal

from xshop.services.catalog.schemas import ProductCreate

SEED = 20241124
PER_CATEGORY = 24


@dataclass(frozen=True)
class _Kind:
    noun: str
    low: int
    high: int
    tags: tuple[str, ...]


@dataclass(frozen=True)
class _Category:
    slug: str
    code: str
    brands: tuple[str, ...]
    qualities: tuple[str, ...]
    kinds: tuple[_Kind, ...]
    pitches: tuple[str, ...]


CATEGORIES = (
    _Category(
        "electronics",
        "ELE",
        ("Northwind", "Voltra", "Lumen", "Kestrel", "Orbit"),
        ("Wireless", "Compact", "Noise-Cancelling", "Portable", "Smart", "Pro"),
        (
            _Kind("Headphones", 39, 349, ("audio", "bluetooth")),
            _Kind("Speaker", 25, 299, ("audio", "bluetooth")),
            _Kind("Charger", 12, 69, ("charging", "usb-c")),
            _Kind("Webcam", 29, 179, ("video", "home-office")),
            _Kind("Keyboard", 35, 199, ("home-office", "typing")),
            _Kind("Power Bank", 19, 89, ("charging", "travel")),
        ),
        (
            "Sets up in minutes with no software to install",
            "Built from recycled aluminium and plastics",
            "Rated among the best in its class by reviewers",
            "Backed by a two-year warranty",
        ),
    ),
    _Category(
        "books",
        "BOO",
        ("Harbor Press", "Quillstone", "Bluebird Books", "Marrow & Finch"),
        ("Illustrated", "Collected", "Practical", "Pocket", "Annotated", "Complete"),
        (
            _Kind("Guide to Sourdough", 14, 39, ("cooking", "hardcover")),
            _Kind("History of Maps", 18, 45, ("history", "hardcover")),
            _Kind("Field Guide to Birds", 12, 32, ("nature", "paperback")),
            _Kind("Python Handbook", 29, 59, ("programming", "paperback")),
            _Kind("Short Stories", 9, 24, ("fiction", "paperback")),
            _Kind("Atlas of Stars", 19, 49, ("science", "hardcover")),
        ),
        (
            "Written for curious beginners and seasoned readers alike",
            "Printed on acid-free paper",
            "Includes an index and suggestions for further reading",
            "A favourite of our staff",
        ),
    ),
    _Category(
        "home-kitchen",
        "HOM",
        ("Ember & Oak", "Casa Verde", "Ironleaf", "Maple Row"),
        ("Cast-Iron", "Stainless", "Ceramic", "Non-Stick", "Bamboo", "Enamelled"),
        (
            _Kind("Skillet", 24, 119, ("cookware", "oven-safe")),
            _Kind("Chef's Knife", 29, 149, ("cutlery", "gift")),
            _Kind("Cutting Board", 15, 59, ("prep", "gift")),
            _Kind("Mixing Bowl Set", 19, 69, ("prep", "baking")),
            _Kind("Dutch Oven", 59, 299, ("cookware", "oven-safe")),
            _Kind("Teapot", 18, 79, ("tea", "gift")),
        ),
        (
            "Dishwasher safe and built to last for years",
            "Heats evenly on gas, electric and induction",
            "Designed with professional cooks",
            "Comes with a lifetime guarantee",
        ),
    ),
    _Category(
        "clothing",
        "CLO",
        ("Fernhill", "Tidewater", "Alder & Co", "Northshore"),
        ("Merino", "Organic Cotton", "Linen", "Waterproof", "Quilted", "Relaxed-Fit"),
        (
            _Kind("T-Shirt", 15, 45, ("tops", "unisex")),
            _Kind("Hoodie", 39, 99, ("tops", "unisex")),
            _Kind("Rain Jacket", 69, 229, ("outerwear", "waterproof")),
            _Kind("Chinos", 39, 89, ("bottoms", "casual")),
            _Kind("Beanie", 12, 35, ("accessories", "winter")),
            _Kind("Socks (3 Pairs)", 9, 29, ("accessories", "gift")),
        ),
        (
            "Cut for comfort and cut to last",
            "Made from responsibly sourced fibres",
            "Machine washable at 30 degrees",
            "Available in a range of sizes",
        ),
    ),
    _Category(
        "sports-outdoors",
        "SPO",
        ("Summit Line", "Trailhand", "Glacier", "Riverstone"),
        ("Ultralight", "All-Weather", "Insulated", "Folding", "Trail", "Expedition"),
        (
            _Kind("Tent", 89, 449, ("camping", "hiking")),
            _Kind("Sleeping Bag", 49, 249, ("camping", "winter")),
            _Kind("Water Bottle", 12, 45, ("hydration", "hiking")),
            _Kind("Trekking Poles", 29, 129, ("hiking", "travel")),
            _Kind("Yoga Mat", 19, 89, ("fitness", "yoga")),
            _Kind("Daypack", 35, 159, ("hiking", "travel")),
        ),
        (
            "Tested on long days in the mountains",
            "Packs down small and weighs next to nothing",
            "Made with recycled materials",
            "Ready for rain, wind and the odd snow shower",
        ),
    ),
    _Category(
        "toys-games",
        "TOY",
        ("Pinwheel", "Brightblock", "Little Fox", "Meeple Works"),
        ("Wooden", "Cooperative", "Classic", "Magnetic", "Deluxe", "Travel"),
        (
            _Kind("Building Blocks", 19, 79, ("kids", "creative")),
            _Kind("Board Game", 19, 69, ("family", "strategy")),
            _Kind("Puzzle (1000 Pieces)", 14, 35, ("puzzles", "family")),
            _Kind("Train Set", 29, 129, ("kids", "creative")),
            _Kind("Card Game", 9, 25, ("family", "party")),
            _Kind("Plush Bear", 12, 39, ("kids", "gift")),
        ),
        (
            "Made from non-toxic, child-safe materials",
            "Hours of play for the whole family",
            "Recommended for ages 6 and up",
            "Stores neatly in its own box",
        ),
    ),
    _Category(
        "beauty",
        "BEA",
        ("Petal & Stone", "Aveline", "Clearwater", "Sora"),
        ("Hydrating", "Gentle", "Fragrance-Free", "Revitalising", "Nourishing", "Mineral"),
        (
            _Kind("Face Cream", 14, 69, ("skincare", "vegan")),
            _Kind("Cleanser", 9, 35, ("skincare", "sensitive-skin")),
            _Kind("Lip Balm", 4, 15, ("lips", "vegan")),
            _Kind("Shampoo", 8, 29, ("haircare", "vegan")),
            _Kind("Sunscreen SPF 50", 12, 39, ("skincare", "sun")),
            _Kind("Hand Cream", 7, 25, ("skincare", "gift")),
        ),
        (
            "Dermatologically tested on sensitive skin",
            "Free from parabens and sulphates",
            "Absorbs quickly without a greasy feel",
            "Packaged in recycled plastic",
        ),
    ),
    _Category(
        "grocery",
        "GRO",
        ("Golden Acre", "Hillside Farm", "Salt & Sprig", "Roastery Nine"),
        ("Organic", "Single-Origin", "Small-Batch", "Cold-Pressed", "Stone-Ground", "Wildflower"),
        (
            _Kind("Coffee Beans 1kg", 14, 39, ("coffee", "organic")),
            _Kind("Olive Oil 500ml", 9, 29, ("pantry", "organic")),
            _Kind("Honey 350g", 6, 19, ("pantry", "breakfast")),
            _Kind("Green Tea (50 Bags)", 5, 15, ("tea", "organic")),
            _Kind("Dark Chocolate Bar", 3, 9, ("snacks", "vegan")),
            _Kind("Granola 750g", 5, 14, ("breakfast", "snacks")),
        ),
        (
            "Sourced directly from small producers",
            "Packed fresh every week",
            "No artificial colours or preservatives",
            "Ethically traded and fully traceable",
        ),
    ),
    _Category(
        "garden",
        "GAR",
        ("Greenthumb", "Willowbank", "Terra Nova", "Bramble"),
        ("Heavy-Duty", "Ergonomic", "Galvanised", "Self-Watering", "Solar", "Compact"),
        (
            _Kind("Pruning Shears", 14, 59, ("tools", "pruning")),
            _Kind("Watering Can", 12, 45, ("watering", "outdoor")),
            _Kind("Planter", 15, 89, ("pots", "outdoor")),
            _Kind("Garden Hose 25m", 25, 79, ("watering", "outdoor")),
            _Kind("Lantern", 15, 49, ("lighting", "outdoor")),
            _Kind("Kneeler Seat", 19, 59, ("tools", "comfort")),
        ),
        (
            "Weather-resistant and rust-proof",
            "Made for years of use in every season",
            "Comfortable in the hand, even after a long afternoon",
            "Loved by allotment gardeners",
        ),
    ),
    _Category(
        "office",
        "OFF",
        ("Paperlane", "Deskwise", "Inkwell", "Modul"),
        ("Recycled", "Adjustable", "Minimalist", "Dotted", "Refillable", "Ergonomic"),
        (
            _Kind("Notebook A5", 6, 25, ("stationery", "writing")),
            _Kind("Fountain Pen", 15, 129, ("writing", "gift")),
            _Kind("Desk Lamp", 25, 119, ("lighting", "home-office")),
            _Kind("Monitor Stand", 25, 89, ("home-office", "desk")),
            _Kind("Desk Organiser", 12, 45, ("desk", "storage")),
            _Kind("Planner 2025", 12, 35, ("stationery", "planning")),
        ),
        (
            "Keeps your desk tidy and your day on track",
            "Designed in a small studio in Lisbon",
            "Sturdy enough for daily use",
            "Makes a thoughtful gift for colleagues",
        ),
    ),
)


def _price(rng: random.Random, kind: _Kind) -> Decimal:
    whole = rng.randint(kind.low, kind.high)
    return Decimal(whole) + Decimal(rng.choice(("0.99", "0.49", "0.00", "0.95")))


def _on_hand(rng: random.Random) -> int:
    draw = rng.random()
    if draw < 0.08:
        return 0
    if draw < 0.2:
        return rng.randint(1, 5)
    return rng.randint(6, 250)


def _product(rng: random.Random, category: _Category, number: int) -> ProductCreate:
    kind = category.kinds[number % len(category.kinds)]
    brand = rng.choice(category.brands)
    quality = rng.choice(category.qualities)
    name = f"{brand} {quality} {kind.noun}"
    first, second = rng.sample(category.pitches, 2)
    description = f"{brand}'s {quality.lower()} take on the {kind.noun.lower()}. {first}. {second}."
    sku = f"{category.code}-{number + 1:04d}"
    return ProductCreate(
        sku=sku,
        name=name,
        description=description,
        price=_price(rng, kind),
        currency="USD",
        category=category.slug,
        tags=[*kind.tags, quality.lower().replace(" ", "-").replace("(", "").replace(")", "")],
        image_urls=[f"https://picsum.photos/seed/{sku.lower()}/640/480"],
        # A few retired products, so the admin list has something to show with includeInactive.
        is_active=number % 12 != 11,
        on_hand=_on_hand(rng),
        low_stock_threshold=5,
    )


def demo_products() -> list[ProductCreate]:
    rng = random.Random(SEED)
    return [_product(rng, category, n) for category in CATEGORIES for n in range(PER_CATEGORY)]
