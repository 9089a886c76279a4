"""The admin search API: filters, time range, stable paging, and its error answers."""

from datetime import UTC, datetime, timedelta

import pytest

from tests.unit.audit.support import AuditHarness, event

T0 = datetime(2025, 10, 27, 10, 0, tzinfo=UTC)


def at(minutes: int) -> datetime:
    return T0 + timedelta(minutes=minutes)


SEED = [
    event(
        "auth.user.registered",
        {"userId": "u1", "email": "ann@example.com", "ipAddress": "10.0.0.1"},
        at=at(0),
        correlationid="cid-a",
    ),
    event("user.created", {"userId": "u1", "email": "ann@example.com"}, at=at(1), correlationid="cid-a"),
    event("auth.login.failed", {"email": "ann@example.com", "ipAddress": "10.0.0.9"}, at=at(2)),
    event("auth.login.failed", {"email": "bob@example.com", "ipAddress": "10.0.0.9"}, at=at(3)),
    event(
        "auth.login.succeeded",
        {"userId": "u2", "email": "bob@example.com", "ipAddress": "10.0.0.2"},
        at=at(4),
        correlationid="cid-b",
    ),
    event("order.placed", {"userId": "u2"}, at=at(5), correlationid="cid-b"),
]


def ids_of(*indexes: int) -> list[str]:
    """Event ids of SEED entries, newest first as the API orders them."""
    return [SEED[i].id for i in sorted(indexes, key=lambda i: SEED[i].time, reverse=True)]


@pytest.fixture
async def seeded(audit: AuditHarness) -> AuditHarness:
    await audit.publish(*SEED)
    await audit.wait_for(len(SEED))
    return audit


@pytest.mark.parametrize(
    ("params", "expected"),
    [
        ({}, ids_of(0, 1, 2, 3, 4, 5)),
        ({"userId": "u1"}, ids_of(0, 1)),
        ({"email": "ann@example.com"}, ids_of(0, 1, 2)),
        ({"email": "  BOB@example.com"}, ids_of(3, 4)),
        ({"eventType": "auth.login.failed"}, ids_of(2, 3)),
        ({"action": "ORDER_PLACED"}, ids_of(5)),
        ({"correlationId": "cid-b"}, ids_of(4, 5)),
        ({"ipAddress": "10.0.0.9"}, ids_of(2, 3)),
        ({"success": "false"}, ids_of(2, 3)),
        ({"success": "true"}, ids_of(0, 1, 4, 5)),
        ({"eventType": "auth.login.failed", "email": "bob@example.com"}, ids_of(3)),
        ({"userId": "nobody"}, []),
    ],
)
async def test_each_filter_selects_its_entries(seeded: AuditHarness, params, expected):
    page = await seeded.search(**params)
    assert [e["eventId"] for e in page["items"]] == expected
    assert page["totalItems"] == len(expected)


@pytest.mark.parametrize(
    ("params", "expected"),
    [
        ({"from": at(2).isoformat(), "to": at(4).isoformat()}, ids_of(2, 3, 4)),
        ({"from": at(4).isoformat()}, ids_of(4, 5)),
        ({"to": at(1).isoformat()}, ids_of(0, 1)),
        ({"from": at(3).isoformat(), "to": at(3).isoformat()}, ids_of(3)),
        ({"from": "2025-10-27T12:02:00+02:00", "to": "2025-10-27T10:03:30Z"}, ids_of(2, 3)),
        ({"from": "2025-10-27T10:05:00"}, ids_of(5)),
        ({"from": at(6).isoformat()}, []),
    ],
)
async def test_the_time_range_is_inclusive_and_offset_aware(seeded: AuditHarness, params, expected):
    page = await seeded.search(**params)
    assert [e["eventId"] for e in page["items"]] == expected


async def test_an_entry_is_found_by_its_id(seeded: AuditHarness):
    listed = (await seeded.search(pageSize=1))["items"][0]
    response = await seeded.client.get(f"/api/audit/logs/{listed['id']}", headers=seeded.admin)
    assert response.status_code == 200
    assert response.json() == listed


async def test_pages_are_stable_when_timestamps_are_equal(audit: AuditHarness):
    same_time = [event("product.updated", {"n": n}, at=at(10)) for n in range(5)]
    await audit.publish(
        event("product.created", {}, at=at(20)), *same_time, event("product.created", {}, at=at(0))
    )
    everything = await audit.wait_for(7)

    assert [e["timestamp"] for e in everything] == sorted((e["timestamp"] for e in everything), reverse=True)
    tied = [e["id"] for e in everything[1:6]]
    assert tied == sorted(tied, reverse=True)

    pages = [await audit.search(page=n, pageSize=2) for n in (1, 2, 3, 4)]
    assert [e["id"] for p in pages for e in p["items"]] == [e["id"] for e in everything]
    assert [(p["hasPrevious"], p["hasNext"]) for p in pages] == [
        (False, True),
        (True, True),
        (True, True),
        (True, False),
    ]
    assert {(p["totalItems"], p["totalPages"], p["pageSize"]) for p in pages} == {(7, 4, 2)}
    assert [e["id"] for e in (await audit.search(page=2, pageSize=2))["items"]] == [
        e["id"] for e in pages[1]["items"]
    ]
    beyond = await audit.search(page=5, pageSize=2)
    assert (beyond["items"], beyond["hasNext"]) == ([], False)


@pytest.mark.parametrize("path", ["/api/audit/logs", "/api/audit/logs/some-id"])
async def test_an_anonymous_caller_is_refused(audit: AuditHarness, path):
    response = await audit.client.get(path)
    assert response.status_code == 401
    assert response.headers["content-type"] == "application/problem+json"
    assert response.json()["code"] == "UNAUTHENTICATED"


async def test_an_invalid_token_is_refused(audit: AuditHarness):
    response = await audit.client.get("/api/audit/logs", headers={"Authorization": "Bearer not-a-jwt"})
    assert response.status_code == 401
    assert response.json()["code"] == "INVALID_TOKEN"


@pytest.mark.parametrize("path", ["/api/audit/logs", "/api/audit/logs/some-id"])
async def test_a_customer_is_forbidden(audit: AuditHarness, path):
    response = await audit.client.get(path, headers=audit.customer)
    assert response.status_code == 403
    assert response.json()["code"] == "FORBIDDEN"


async def test_an_unknown_id_is_not_found(audit: AuditHarness):
    response = await audit.client.get("/api/audit/logs/no-such-entry", headers=audit.admin)
    assert response.status_code == 404
    assert response.headers["content-type"] == "application/problem+json"
    assert response.json()["code"] == "NOT_FOUND"


@pytest.mark.parametrize(
    ("params", "field"),
    [
        ({"pageSize": 101}, "pageSize"),
        ({"page": 0}, "page"),
        ({"from": "yesterday"}, "from"),
        ({"success": "maybe"}, "success"),
        ({"from": at(5).isoformat(), "to": at(4).isoformat()}, "from"),
    ],
)
async def test_invalid_queries_are_rejected_with_field_errors(audit: AuditHarness, params, field):
    response = await audit.client.get("/api/audit/logs", params=params, headers=audit.admin)
    assert response.status_code == 400
    assert response.headers["content-type"] == "application/problem+json"
    body = response.json()
    assert body["code"] == "VALIDATION_FAILED"
    assert [e["field"] for e in body["errors"]] == [field]


async def test_the_error_answers_are_documented(audit: AuditHarness):
    paths = audit.unit.app.openapi()["paths"]
    assert set(paths["/api/audit/logs"]["get"]["responses"]) >= {"200", "400", "401", "403"}
    assert set(paths["/api/audit/logs/{log_id}"]["get"]["responses"]) >= {"200", "401", "403", "404"}
