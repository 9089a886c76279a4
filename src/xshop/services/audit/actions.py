"""What each event type means in the audit trail: its action name and whether it records a success."""

ACTIONS = {
    "auth.user.registered": "USER_REGISTRATION",
    "user.created": "USER_CREATED",
    "auth.email.verification.requested": "EMAIL_VERIFICATION_REQUESTED",
    "auth.email.verified": "EMAIL_VERIFIED",
    "auth.login.succeeded": "LOGIN_SUCCEEDED",
    "auth.login.failed": "LOGIN_FAILED",
    "auth.password.reset.requested": "PASSWORD_RESET_REQUESTED",
    "auth.password.changed": "PASSWORD_CHANGED",
    "user.deleted": "USER_DELETED",
    "product.created": "PRODUCT_CREATED",
    "product.updated": "PRODUCT_UPDATED",
    "inventory.stock.updated": "STOCK_UPDATED",
    "order.placed": "ORDER_PLACED",
    "order.status.changed": "ORDER_STATUS_CHANGED",
}


def action_of(event_type: str) -> str:
    """The named action, or one derived from the type so events added later are still searchable."""
    return ACTIONS.get(event_type) or event_type.upper().replace(".", "_")


def is_success(event_type: str) -> bool:
    return not event_type.endswith(".failed")
