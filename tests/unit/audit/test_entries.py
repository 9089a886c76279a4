from datetime import UTC, datetime, timedelta, timezone

import pytest

from tests.unit.audit.support import event
from xshop.services.audit.actions import ACTIONS, action_of, is_success
from xshop.services.audit.entries import entry_from

RECORDED = datetime(2025, 10, 27, 10, 31, tzinfo=UTC)


@pytest.mark.parametrize(("event_type", "action"), sorted(ACTIONS.items()))
def test_known_event_types_have_their_named_action(event_type, action):
    assert action_of(event_type) == action


def test_other_event_types_get_an_action_derived_from_the_type():
    assert action_of("catalog.price.dropped") == "CATALOG_PRICE_DROPPED"
    assert action_of("auth.login.failed") == "LOGIN_FAILED"
    assert ACTIONS["auth.user.registered"] == "USER_REGISTRATION"


@pytest.mark.parametrize(
    ("event_type", "success"),
    [
        ("auth.login.failed", False),
        ("payment.capture.failed", False),
        ("auth.login.succeeded", True),
        ("order.placed", True),
        ("failed.order", True),
    ],
)
def test_only_types_ending_in_failed_record_a_failure(event_type, success):
    assert is_success(event_type) is success


def test_an_entry_takes_its_searchable_fields_from_the_payload_and_envelope():
    at = datetime(2025, 10, 27, 12, 30, tzinfo=timezone(timedelta(hours=2)))
    entry = entry_from(
        event(
            "auth.user.registered",
            {
                "userId": "u1",
                "email": " John@Example.COM ",
                "ipAddress": "192.168.1.100",
                "userAgent": "Mozilla/5.0",
                "correlationId": "from-data",
            },
            at=at,
            correlationid="from-envelope",
            source="auth",
        ),
        RECORDED,
    )
    assert (entry.user_id, entry.email, entry.ip_address, entry.user_agent) == (
        "u1",
        "john@example.com",
        "192.168.1.100",
        "Mozilla/5.0",
    )
    assert entry.correlation_id == "from-envelope"
    assert entry.timestamp == at
    assert entry.timestamp.tzinfo == UTC
    assert entry.recorded_at == RECORDED
    assert (entry.action, entry.success, entry.source) == ("USER_REGISTRATION", True, "auth")
    assert entry.payload["email"] == " John@Example.COM "


def test_the_correlation_id_falls_back_to_the_payload():
    entry = entry_from(event("user.created", {"correlationId": "cid-1"}), RECORDED)
    assert entry.correlation_id == "cid-1"


def test_missing_or_malformed_payload_fields_are_left_empty():
    entry = entry_from(
        event("product.updated", {"userId": 42, "email": ["x"], "ipAddress": "  ", "userAgent": None}),
        RECORDED,
    )
    assert (entry.user_id, entry.email, entry.ip_address, entry.user_agent, entry.correlation_id) == (
        None,
        None,
        None,
        None,
        None,
    )


def test_an_event_time_without_an_offset_is_taken_as_utc():
    entry = entry_from(event("user.created", {}, at=datetime(2025, 10, 27, 10, 30)), RECORDED)
    assert entry.timestamp == datetime(2025, 10, 27, 10, 30, tzinfo=UTC)


def test_over_long_fields_are_clipped_to_their_columns_and_kept_whole_in_the_payload():
    address = "1" * 500
    entry = entry_from(event("auth.login.failed", {"ipAddress": address}), RECORDED)
    assert entry.ip_address == "1" * 64
    assert entry.payload["ipAddress"] == address
