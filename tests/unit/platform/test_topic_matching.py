"""Topic-exchange binding semantics, as RabbitMQ defines them."""

import pytest
from hypothesis import given
from hypothesis import strategies as st

from xshop.platform.events.bus import retry_delay, topic_matches

WORD = st.text(alphabet="abcxyz", min_size=1, max_size=5)
KEY = st.lists(WORD, min_size=1, max_size=5).map(".".join)


@pytest.mark.parametrize(
    ("pattern", "key", "expected"),
    [
        ("auth.user.registered", "auth.user.registered", True),
        ("auth.user.registered", "auth.user.created", False),
        ("auth.*.registered", "auth.user.registered", True),
        ("auth.*", "auth.user.registered", False),
        ("auth.#", "auth.user.registered", True),
        ("auth.#", "auth", True),
        ("#.registered", "auth.user.registered", True),
        ("*.registered", "auth.user.registered", False),
        ("order.*.changed", "order.status.changed", True),
        ("#", "anything.at.all", True),
        ("a.#.z", "a.z", True),
        ("a.#.z", "a.b.c.z", True),
        ("a.#.z", "a.b.c", False),
    ],
)
def test_examples(pattern, key, expected):
    assert topic_matches(pattern, key) is expected


@given(KEY)
def test_hash_matches_everything_and_a_key_matches_itself(key):
    assert topic_matches("#", key)
    assert topic_matches(key, key)


@given(KEY)
def test_star_stands_for_exactly_one_word(key):
    words = key.split(".")
    assert topic_matches(".".join(["*"] * len(words)), key)
    assert not topic_matches(".".join(["*"] * (len(words) + 1)), key)


def test_retry_delay_grows_then_caps():
    assert [retry_delay(n, 0.5, 3) for n in range(1, 6)] == [0.5, 1.0, 2.0, 3, 3]
