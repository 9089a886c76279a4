"""What a fault test counts, and the verdict: every accepted registration has each of its events
recorded once by audit and its email sent once; a refused one left nothing behind."""

from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass

REGISTRATION_EVENTS = ("user.created", "auth.user.registered", "auth.email.verification.requested")


@dataclass(frozen=True)
class Outcome:
    """How one registration request ended: an HTTP status and problem code, or None when no answer
    came back (the process serving it was killed)."""

    email: str
    status: int | None
    code: str | None = None


@dataclass(frozen=True)
class FaultCount:
    fault: str
    runtime: str
    requests: int
    answered: int
    accepted: int
    refused: int
    events_published: int
    effects: int
    emails: int
    lost: int
    doubled: int
    half_written: int

    def line(self) -> str:
        return (
            f"FAULT {self.fault} {self.runtime}: requests={self.requests} answered={self.answered} "
            f"accepted={self.accepted} refused={self.refused} events_published={self.events_published} "
            f"effects={self.effects} emails={self.emails} lost={self.lost} doubled={self.doubled} "
            f"half_written={self.half_written}"
        )


def _left_behind(records: Counter[tuple[str, str]], email: str) -> bool:
    """Auth's events, or an account the refusal did not withdraw (``user.deleted`` by auth)."""
    withdrawn = records[email, "user.deleted"]
    return bool(
        records[email, "auth.user.registered"]
        or records[email, "auth.email.verification.requested"]
        or records[email, "user.created"] > withdrawn
    )


def tally(
    fault: str,
    runtime: str,
    outcomes: Iterable[Outcome],
    audited: Iterable[tuple[str, str]],
    mailed: Iterable[tuple[str, str]],
    events_published: int,
) -> FaultCount:
    """``audited``: (email, event type) per audit record, ``user.deleted`` included; ``mailed``:
    (recipient, Message-ID) per message the SMTP server accepted. Both may hold records of other
    tests' addresses.

    An email resent with the same Message-ID (its first send's outcome was lost in a crash) is the
    same email to the receiving side, so doubles are counted by distinct Message-ID."""
    outcomes = list(outcomes)
    accepted = {o.email for o in outcomes if o.status == 201}
    refused = {o.email for o in outcomes if o.status is not None and o.email not in accepted}
    ours = {o.email for o in outcomes}
    records = Counter((email, kind) for email, kind in audited if email in ours)
    messages = Counter(email for email, _ in set(mailed) if email in ours)
    lost = doubled = 0
    for email in accepted:
        for kind in REGISTRATION_EVENTS:
            lost += records[email, kind] == 0
            doubled += max(0, records[email, kind] - 1)
        lost += messages[email] == 0
        doubled += max(0, messages[email] - 1)
    # Each test's addresses are unique, so EMAIL_EXISTS on a retry means a refused attempt left a user.
    half_written = sum(o.code == "EMAIL_EXISTS" for o in outcomes) + sum(
        1 for email in refused if messages[email] or _left_behind(records, email)
    )
    return FaultCount(
        fault=fault,
        runtime=runtime,
        requests=len(outcomes),
        answered=sum(o.status is not None and (o.status < 500 or o.status == 503) for o in outcomes),
        accepted=len(accepted),
        refused=sum(o.status is not None and o.status != 201 for o in outcomes),
        events_published=events_published,
        effects=sum(records.values()),
        emails=sum(messages.values()),
        lost=lost,
        doubled=doubled,
        half_written=half_written,
    )
