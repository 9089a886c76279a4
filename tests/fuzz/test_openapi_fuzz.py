"""schemathesis over every operation of every service's OpenAPI document (DESIGN §9, issue 7).

Each operation gets positive (schema-valid) and negative (schema-violating) examples, derandomized so
CI sees the same requests every run. Checks: no 5xx, the status code and content type are documented,
the body matches the documented schema, and every 4xx is problem+json with a ``code``."""

from typing import Any

import pytest
import schemathesis
from fastapi import FastAPI
from fastapi.routing import APIRoute
from hypothesis import HealthCheck, Phase, given, settings
from hypothesis.errors import Unsatisfiable
from schemathesis import Case, CheckContext, GenerationMode, Response
from schemathesis.checks import not_a_server_error
from schemathesis.core.failures import FailureGroup
from schemathesis.specs.openapi.checks import (
    content_type_conformance,
    response_schema_conformance,
    status_code_conformance,
)

from tests.fuzz.loop_bridge import ShopThread
from tests.helpers import ShopDriver
from xshop.platform.http.principal import calling_service
from xshop.runtime.registry import services

# ~120 operations x 2 modes: this keeps the whole run near a minute on a 2-core machine.
MAX_EXAMPLES = 12
SERVICES = [*services(), "mail"]


@schemathesis.check
def client_errors_are_problems(ctx: CheckContext, response: Response, case: Case) -> bool | None:
    if 400 <= response.status_code < 500:
        media_type = response.headers.get("content-type", [""])[0].split(";")[0]
        assert media_type == "application/problem+json", f"{response.status_code} is {media_type!r}"
        body = response.json()
        assert isinstance(body, dict) and body.get("code"), f"{response.status_code} without a code"
        assert body.get("status") == response.status_code, "problem status differs from the response's"
    return None


CHECKS = [
    not_a_server_error,
    status_code_conformance,
    content_type_conformance,
    response_schema_conformance,
    client_errors_are_problems,
]


def _needs_service_token(app: FastAPI, method: str, path: str) -> bool:
    """Internal routes take only another service's token; fuzz them with one to reach validation."""
    for route in app.routes:
        if isinstance(route, APIRoute) and route.path_format == path and method.upper() in route.methods:
            pending = list(route.dependant.dependencies)
            while pending:
                dependency = pending.pop()
                if dependency.call is calling_service:
                    return True
                pending.extend(dependency.dependencies)
    return False


def _app_of(driver: ShopDriver, service: str) -> FastAPI:
    if service == "mail":
        assert driver.shop.mail is not None
        return driver.shop.mail.app
    assert service in driver.shop.units, f"the embedded shop does not host {service}"
    return driver.shop.units[service].app


def _explore(case_headers: dict[str, str], strategy: Any) -> None:
    @settings(
        max_examples=MAX_EXAMPLES,
        derandomize=True,
        deadline=None,
        database=None,
        phases=[Phase.explicit, Phase.generate],
        suppress_health_check=list(HealthCheck),
    )
    @given(case=strategy)
    def run(case: Case) -> None:
        case.call_and_validate(headers=case_headers, checks=CHECKS)

    run()


@pytest.fixture(scope="module")
def people(fuzz_shop: tuple[ShopThread, ShopDriver]) -> dict[str, dict[str, str]]:
    """A real registered user holding both roles (routes look the caller up), and a service."""
    runner, driver = fuzz_shop
    registered = runner.call(driver.register("fuzz-admin@example.com"))
    assert registered.status_code == 201, registered.text
    user_id = registered.json()["user"]["id"]
    return {
        "user": driver.token(["customer", "admin"], user_id),
        "service": driver.token(["service"], "service:fuzz"),
    }


@pytest.mark.slow
@pytest.mark.parametrize("service", SERVICES)
def test_every_operation_keeps_to_its_openapi_document(fuzz_shop, people, service):
    runner, driver = fuzz_shop
    app = _app_of(driver, service)
    schema = schemathesis.openapi.from_asgi("/openapi.json", runner.bridge(app))
    failures: list[str] = []
    operations = 0
    for result in schema.get_all_operations():
        operation = result.ok()
        operations += 1
        internal = _needs_service_token(app, operation.method, operation.path)
        headers = people["service" if internal else "user"]
        for mode in (GenerationMode.POSITIVE, GenerationMode.NEGATIVE):
            try:
                _explore(headers, operation.as_strategy(generation_mode=mode))
            except Unsatisfiable:
                # Nothing in this operation can be made invalid (no parameters, or free-form strings).
                assert mode is GenerationMode.NEGATIVE, operation.label
            except (Exception, FailureGroup) as exc:
                failures.append(f"{operation.label} ({mode.value}):\n{exc}")
    assert operations > 0
    assert not failures, "\n\n".join(failures)
