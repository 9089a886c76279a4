"""The OpenAPI document as the services really answer: every error is RFC 9457 problem+json, and
request validation fails with 400 (``VALIDATION_FAILED``/``MALFORMED_JSON``), never FastAPI's 422."""

from typing import Any

from fastapi import FastAPI
from fastapi.openapi.utils import get_openapi

from xshop.platform.http.problems import PROBLEM_MEDIA_TYPE

_PROBLEM_REF = {"$ref": "#/components/schemas/Problem"}
PROBLEM_SCHEMA: dict[str, Any] = {
    "title": "Problem",
    "description": "RFC 9457 problem details with the shop's stable `code`.",
    "type": "object",
    "required": ["type", "title", "status", "detail", "code"],
    "properties": {
        "type": {"type": "string"},
        "title": {"type": "string"},
        "status": {"type": "integer"},
        "detail": {"type": "string"},
        "code": {"type": "string", "description": "Stable UPPER_SNAKE identifier"},
        "correlationId": {"type": ["string", "null"]},
        "errors": {
            "type": "array",
            "items": {
                "type": "object",
                "required": ["field", "code", "message"],
                "properties": {
                    "field": {"type": "string"},
                    "code": {"type": "string"},
                    "message": {"type": "string"},
                },
            },
        },
    },
}
_FASTAPI_VALIDATION_ERROR = "Validation Error"
_FASTAPI_SCHEMAS = ("HTTPValidationError", "ValidationError")


def _fix_operation(operation: dict[str, Any]) -> None:
    responses: dict[str, Any] = operation.setdefault("responses", {})
    fastapi_422 = responses.get("422", {}).get("description") == _FASTAPI_VALIDATION_ERROR
    if fastapi_422:
        del responses["422"]
    if fastapi_422 or operation.get("parameters") or operation.get("requestBody"):
        responses.setdefault("400", {"description": "`VALIDATION_FAILED` or `MALFORMED_JSON`"})
    if operation.get("requestBody"):
        responses.setdefault("413", {"description": "`PAYLOAD_TOO_LARGE`"})
    for status, response in responses.items():
        if status.startswith(("4", "5")):
            response["content"] = {PROBLEM_MEDIA_TYPE: {"schema": _PROBLEM_REF}}


def problem_openapi(app: FastAPI) -> dict[str, Any]:
    """Install with ``app.openapi = lambda: problem_openapi(app)``; built once, then cached."""
    if app.openapi_schema:
        return app.openapi_schema
    document = get_openapi(
        title=app.title, version=app.version, description=app.description, routes=app.routes
    )
    for item in document.get("paths", {}).values():
        for operation in item.values():
            _fix_operation(operation)
    schemas = document.setdefault("components", {}).setdefault("schemas", {})
    for name in _FASTAPI_SCHEMAS:
        schemas.pop(name, None)
    schemas["Problem"] = PROBLEM_SCHEMA
    app.openapi_schema = document
    return document
