"""Fault-injection suite: every test records its counts here, and the run prints them at the end."""

from collections.abc import Callable

import pytest

from tests.faults.ledger import FaultCount

_COUNTS = pytest.StashKey[list[FaultCount]]()


def _counts(config: pytest.Config) -> list[FaultCount]:
    if _COUNTS not in config.stash:
        config.stash[_COUNTS] = []
    return config.stash[_COUNTS]


@pytest.fixture
def report(request: pytest.FixtureRequest) -> Callable[[FaultCount], None]:
    """Record a fault's counts for the summary and assert the verdict: nothing lost, doubled or
    half-written, and every request answered without a 500."""

    def record(count: FaultCount) -> None:
        _counts(request.config).append(count)
        print(count.line())
        assert (count.lost, count.doubled, count.half_written) == (0, 0, 0), count.line()

    return record


def pytest_terminal_summary(terminalreporter: pytest.TerminalReporter, config: pytest.Config) -> None:
    counts = _counts(config)
    if counts:
        terminalreporter.section("fault injection counts")
        for count in counts:
            terminalreporter.write_line(count.line())
